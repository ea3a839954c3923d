"""The gate result as SARIF 2.1.0, for GitHub code scanning.

Each result points at the line and column of the offending field itself; rules carry the
catalog's statement and source; waived findings are suppressed with the waiver as justification.
Empty strings, arrays and objects are never written (strict consumers reject them).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from minio_conformance.gate import GateResult, Located

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(file: str) -> str:
    """A URI for a path: relative to the working directory (the repository root in CI) when inside it."""
    if os.path.isabs(file):
        rel = os.path.relpath(file)
        if rel.startswith(".."):
            return Path(file).as_uri()
        file = rel
    path = file.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:]
    return quote(path, safe="/:@-._~")


def _rule(r: Any) -> dict[str, Any]:
    req = r.requirement
    rule: dict[str, Any] = {
        "id": req.id,
        "name": req.id.replace("-", ""),
        "shortDescription": {"text": req.statement.split(";")[0][:200]},
        "fullDescription": {"text": req.statement},
        "help": {"text": f"{req.id} [{req.severity.value}, {req.source}]: {req.statement}"},
        "defaultConfiguration": {"level": "warning" if req.severity.value == "advisory" else "error"},
        "properties": {"tags": [req.family, req.tier.value, req.severity.value], "precision": "very-high"},
    }
    return rule


def _result(f: Located, index: int, level: str, waiver: str | None) -> dict[str, Any]:
    message = f.detail + (f" (for {', '.join(map(str, sorted(f.nodes)))} nodes)" if f.nodes else "")
    out: dict[str, Any] = {
        "ruleId": f.requirement,
        "ruleIndex": index,
        "level": level,
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.location.file)},
                    "region": {"startLine": f.location.line, "startColumn": f.location.column},
                }
            }
        ],
    }
    if f.object_ref:
        out["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": f.object_ref + (f" {f.path}" if f.path else "")}
        ]
    if waiver:
        out["suppressions"] = [{"kind": "external", "justification": waiver}]
    return out


def document(result: GateResult) -> dict[str, Any]:
    from minio_conformance import __version__
    from minio_conformance.gate import Outcome

    rules, results = [], []
    for index, r in enumerate(result.results.values()):
        rules.append(_rule(r))
        if r.outcome in (Outcome.VIOLATED, Outcome.ADVISORY, Outcome.WAIVED):
            level = (
                "error"
                if r.outcome is Outcome.VIOLATED or (result.strict and r.outcome is Outcome.ADVISORY)
                else "warning"
            )
            for f in r.findings:
                results.append(_result(f, index, level, r.waiver))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "minio-conformance",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True, "exitCode": result.exit_code}],
    }
    properties: dict[str, Any] = {"basis": result.basis}
    if result.config.deviations:
        properties["deviations"] = {k: f"{c} (documented: {d})" for k, (d, c) in result.config.deviations.items()}
    unevaluated = {r.id: r.reason for r in result.results.values() if r.outcome is Outcome.NOT_EVALUATED}
    if unevaluated:
        properties["notEvaluated"] = unevaluated
    run["properties"] = properties
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: GateResult, *, verbose: bool = False) -> str:
    return json.dumps(document(result), indent=2) + "\n"
