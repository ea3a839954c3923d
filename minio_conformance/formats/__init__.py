"""Writers of a gate result: text (one line per finding), JSON, JUnit XML and SARIF 2.1.0.

Every writer reads the GateResult only, and every text it produces passes through the result's
redactor, so no Secret value of the judged set reaches any output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minio_conformance.gate import GateResult


def render(fmt: str, result: GateResult, *, verbose: bool = False) -> str:
    from minio_conformance.formats import json_report, junit, sarif, text

    writers = {"text": text.render, "json": json_report.render, "junit": junit.render, "sarif": sarif.render}
    return result.redact(writers[fmt](result, verbose=verbose))
