"""The gate result as JSON: every requirement with its outcome, findings and evidence."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from minio_conformance.gate import GateResult, Located

SCHEMA_VERSION = 1


def finding(f: Located) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": f.location.file,
        "line": f.location.line,
        "column": f.location.column,
        "message": f.message,
        "object": f.object_ref,
        "path": f.path,
    }
    if f.expected or f.found:
        out["expected"], out["found"] = f.expected, f.found
    if f.nodes:
        out["nodes"] = sorted(f.nodes)
    return out


def document(result: GateResult) -> dict[str, Any]:
    from minio_conformance import __version__
    from minio_conformance.formats.text import summary as summary_line

    requirements = []
    for r in result.results.values():
        entry: dict[str, Any] = {
            "id": r.id,
            "outcome": r.outcome.value,
            "severity": r.requirement.severity.value,
            "source": r.requirement.source,
            "statement": r.requirement.statement,
            "findings": [finding(f) for f in r.findings],
        }
        if r.reason:
            entry["reason"] = r.reason
        if r.depends_on:
            entry["depends_on"] = r.depends_on
        if r.waiver:
            entry["waiver"] = r.waiver
        if r.notes:
            entry["notes"] = r.notes
        if r.evidence:
            entry["evidence"] = result.redactor.obj(r.evidence)
        requirements.append(entry)
    return {
        "tool": "minio-conformance",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "exit_code": result.exit_code,
        "summary": summary_line(result),
        "violated": result.failing,
        "inputs": result.inputs,
        "files": result.files,
        "objects": result.objects,
        "basis": result.basis,
        "strict": result.strict,
        "config": result.config.path,
        "deviations": {k: {"documented": d, "configured": c} for k, (d, c) in result.config.deviations.items()},
        "waivers": [{"id": w.id, "reason": w.reason} for w in result.config.waivers],
        "notes": result.notes,
        "requirements": requirements,
    }


def render(result: GateResult, *, verbose: bool = False) -> str:
    return json.dumps(document(result), indent=2, sort_keys=False, default=str) + "\n"
