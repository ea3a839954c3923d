"""The catalog matches the requirements document, and every ID has a test that names it."""

from __future__ import annotations

import ast
import re
from importlib import resources
from pathlib import Path

import pytest

from minio_conformance.catalog import (
    CATALOG,
    DECISIONS,
    RequirementsFormatError,
    Severity,
    Tier,
    heading_source,
    parse_requirements,
)
from minio_conformance.checks import CHECKS
from minio_conformance.mutants import MUTANTS

PROJECT = Path(__file__).resolve().parent.parent
PACKAGED = PROJECT / "minio_conformance" / "requirements.md"
AUTHORITATIVE = PROJECT.parent / "shared" / "spec" / "requirements.md"
REQUIREMENTS_FILES = {"packaged": PACKAGED, "authoritative": AUTHORITATIVE}
LINE = re.compile(r"^- ([A-Z]+-\d+) \[([a-z, ]+)\]", re.M)


def tiers_in(text: str) -> dict[str, tuple[Tier, Severity]]:
    """ID -> (tier, severity), read with a plain regex independent of the catalog's parser."""
    found = {}
    for req_id, tags in LINE.findall(text):
        words = [t.strip() for t in tags.split(",")]
        found[req_id] = (Tier(words[0]), Severity.ADVISORY if "advisory" in words else Severity.REQUIRED)
    return found


def referenced_ids() -> dict[str, list[str]]:
    """Requirement IDs named by @pytest.mark.requirement(...) in suites/, with the tests naming them."""
    refs: dict[str, list[str]] = {}
    for path in sorted((PROJECT / "suites").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.ClassDef):
                continue
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr == "requirement"
                ):
                    for arg in deco.args:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            refs.setdefault(arg.value, []).append(f"{path.name}::{node.name}")
    return refs


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=label) for label, p in REQUIREMENTS_FILES.items() if p.exists()],
)
def test_every_documented_requirement_is_catalogued(path: Path) -> None:
    documented = tiers_in(path.read_text(encoding="utf-8"))
    assert len(documented) >= 50, "the requirements file parsed to too few IDs; has its format changed?"
    missing = sorted(set(documented) - set(CATALOG))
    assert not missing, f"IDs in {path} missing from the catalog: {missing}"
    extra = sorted(set(CATALOG) - set(documented))
    assert not extra, f"catalog IDs not in {path}: {extra}"
    wrong = {
        rid: (documented[rid], (CATALOG[rid].tier, CATALOG[rid].severity))
        for rid in documented
        if documented[rid] != (CATALOG[rid].tier, CATALOG[rid].severity)
    }
    assert not wrong, f"tier/severity differ from {path}: {wrong}"


def test_every_requirement_has_a_test() -> None:
    refs = referenced_ids()
    untested = sorted(set(CATALOG) - set(refs))
    assert not untested, f"requirements with no test naming them: {untested}"
    unknown = sorted(set(refs) - set(CATALOG))
    assert not unknown, f"tests name unknown requirement IDs: {unknown}"


def test_every_static_requirement_has_a_check_and_a_mutant() -> None:
    static = {r.id for r in CATALOG.values() if r.tier is Tier.STATIC}
    pure_checks = set(CHECKS) | {"SEC-5"}  # SEC-5 is checked over evidence text, not a snapshot
    assert static - pure_checks == set(), f"static requirements without a pure check: {sorted(static - pure_checks)}"
    caught = {rid for m in MUTANTS for rid in m.catches} | {"SEC-5"}  # SEC-5: see test_redaction.py
    assert static - caught == set(), f"static requirements no mutant proves: {sorted(static - caught)}"


def test_catalog_entries_are_complete() -> None:
    for req in CATALOG.values():
        assert req.statement, req
        assert req.source.startswith("00"), req
    for decision in DECISIONS:
        assert set(decision.requirements) <= set(CATALOG), decision


def test_packaged_requirements_are_the_authoritative_file() -> None:
    if not AUTHORITATIVE.exists():
        pytest.skip(f"the authoritative requirements file {AUTHORITATIVE} is not on this machine")
    packaged = resources.files("minio_conformance").joinpath("requirements.md").read_text(encoding="utf-8")
    assert packaged == AUTHORITATIVE.read_text(encoding="utf-8"), (
        f"minio_conformance/requirements.md differs from {AUTHORITATIVE}; copy it over verbatim"
    )


def test_statements_are_the_files_own_text() -> None:
    """Each catalogued statement is the rest of its line in the file, word for word."""
    lines = PACKAGED.read_text(encoding="utf-8").splitlines()
    reworded = [
        r.id
        for r in CATALOG.values()
        if not any(line.startswith(f"- {r.id} [") and line.endswith(f"] {r.statement}") for line in lines)
    ]
    assert not reworded, f"catalog statements that differ from the requirements file: {reworded}"


SMALL = """# Requirements

Prose before the first heading is ignored, even - bullets.
- like this one

## Step 2 - topology decides the mode (000 §2)
- TOP-1 [static] Schedulable nodes = nodes without the taint.

## Operations practice (001, advisory unless the manifests include it)
A paragraph of prose.
- OPS-1 [static, advisory] A PodDisruptionBudget.
- OPS-5 [live, advisory] Rolling updates go highest ordinal first.
"""


def test_parser_reads_id_tier_severity_statement_and_source() -> None:
    parsed = {r.id: r for r in parse_requirements(SMALL)}
    assert list(parsed) == ["TOP-1", "OPS-1", "OPS-5"]
    assert parsed["TOP-1"].statement == "Schedulable nodes = nodes without the taint."
    assert (parsed["TOP-1"].tier, parsed["TOP-1"].severity, parsed["TOP-1"].source) == (
        Tier.STATIC,
        Severity.REQUIRED,
        "000 §2",
    )
    assert (parsed["OPS-5"].tier, parsed["OPS-5"].severity, parsed["OPS-5"].source) == (
        Tier.LIVE,
        Severity.ADVISORY,
        "001",
    )
    assert parsed["OPS-1"].family == "OPS"


@pytest.mark.parametrize(
    ("title", "source"),
    [
        ("Step 5 - storage preparation DaemonSet (000 §5)", "000 §5"),
        ("Step 8 - StatefulSet (000 §8, 001)", "000 §8, 001"),
        ("Operations practice (001, advisory unless the manifests include it)", "001"),
        ("Every object - API validity (000 §3-§9, 004)", "000 §3-§9, 004"),
        (
            "Changing a running deployment (001 update strategy and partition, PodDisruptionBudget; "
            "004 rolling update and rollback)",
            "001, 004",
        ),
        ("Topology (000 §2, §8)", "000 §2, §8"),
        ("Notes without a source", None),
        ("Notes (see below)", None),
    ],
)
def test_heading_source(title: str, source: str | None) -> None:
    assert heading_source(title) == source


@pytest.mark.parametrize(
    ("bad_line", "why"),
    [
        ("- TOP-2 static Replicas per node.", "not a requirement line"),
        ("- TOP-2 [static]", "not a requirement line"),
        ("- top-2 [static] Replicas per node.", "not a requirement line"),
        ("- TOP-2 [statc] Replicas per node.", "unknown tier 'statc'"),
        ("- TOP-2 [static, optional] Replicas per node.", "unknown tag 'optional'"),
        ("- TOP-1 [static] Listed again.", "TOP-1 is listed twice"),
    ],
)
def test_malformed_line_is_an_error_naming_the_line(bad_line: str, why: str) -> None:
    text = SMALL.replace(
        "- TOP-1 [static] Schedulable nodes = nodes without the taint.\n",
        f"- TOP-1 [static] Schedulable nodes = nodes without the taint.\n{bad_line}\n",
    )
    with pytest.raises(RequirementsFormatError) as caught:
        parse_requirements(text, "bad.md")
    message = str(caught.value)
    assert message.startswith("bad.md line 8: "), message
    assert why in message
    assert repr(bad_line) in message


def test_requirement_under_a_heading_without_source_is_an_error() -> None:
    text = "## Notes\n- TOP-1 [static] Schedulable nodes.\n"
    with pytest.raises(RequirementsFormatError, match=r"line 2: .*names no source document"):
        parse_requirements(text, "bad.md")


def test_a_file_without_requirements_is_an_error() -> None:
    with pytest.raises(RequirementsFormatError, match="no requirement lines"):
        parse_requirements("# Requirements\n\nNothing here.\n", "empty.md")
