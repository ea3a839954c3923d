"""The gate result as JUnit XML: one test case per requirement (CI test summaries read it)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from minio_conformance.gate import GateResult


def render(result: GateResult, *, verbose: bool = False) -> str:
    from minio_conformance.formats.text import finding_line, summary
    from minio_conformance.gate import Outcome

    failing = set(result.failing)
    skipped = [
        r
        for r in result.results.values()
        if r.outcome in (Outcome.WAIVED, Outcome.NOT_EVALUATED, Outcome.NOT_APPLICABLE)
    ]
    suites = ET.Element("testsuites", name="minio-conformance gate")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="minio-conformance gate",
        tests=str(len(result.results)),
        failures=str(len(failing)),
        errors="0",
        skipped=str(len(skipped)),
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="basis", value=result.basis)
    if result.config.path:
        ET.SubElement(props, "property", name="config", value=result.config.path)
    for field, (documented, configured) in result.config.deviations.items():
        ET.SubElement(props, "property", name=f"deviation {field}", value=f"{configured} (documented: {documented})")
    for r in result.results.values():
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"minio-conformance.{r.requirement.family}",
            name=f"{r.id} {r.requirement.statement}",
        )
        cprops = ET.SubElement(case, "properties")
        ET.SubElement(cprops, "property", name="requirement", value=r.id)
        ET.SubElement(cprops, "property", name="source", value=r.requirement.source)
        ET.SubElement(cprops, "property", name="outcome", value=r.outcome.value)
        lines = [finding_line(f) for f in r.findings]
        if r.id in failing:
            failure = ET.SubElement(case, "failure", message=f"{r.id} {r.outcome.value}: {len(r.findings)} finding(s)")
            failure.text = "\n".join(lines)
        elif r.outcome is Outcome.WAIVED:
            ET.SubElement(case, "skipped", message=f"waived: {r.waiver}").text = "\n".join(lines) or None
        elif r.outcome is Outcome.NOT_EVALUATED:
            ET.SubElement(
                case, "skipped", message=f"not evaluated: {r.reason}" + (f" ({r.depends_on})" if r.depends_on else "")
            )
        elif r.outcome is Outcome.NOT_APPLICABLE:
            ET.SubElement(case, "skipped", message=f"not applicable: {r.reason}")
        elif r.outcome is Outcome.ADVISORY:
            ET.SubElement(case, "system-out").text = "advisory, not enforced without --strict:\n" + "\n".join(lines)
    ET.SubElement(suite, "system-out").text = summary(result)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
