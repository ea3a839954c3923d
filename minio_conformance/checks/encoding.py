"""Supplements of SCH-1 the API schema cannot express: Secret payloads that are not base64.

(Duplicate keys, the other such problem, are found while loading and joined to SCH-1 by the
snapshot's `load_findings`.) Messages never carry a payload.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from minio_conformance.checks import Snapshot, supplement
from minio_conformance.checks.common import Deviation
from minio_conformance.objects import kind, ref
from minio_conformance.verdict import Finding


def is_base64(value: str) -> bool:
    text = "".join(value.split())
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


@supplement("SCH-1")
def secret_data_is_base64(snap: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    for obj in snap.objects:
        if kind(obj) not in ("Secret", "ConfigMap"):
            continue
        field = "data" if kind(obj) == "Secret" else "binaryData"
        data = obj.get(field)
        if not isinstance(data, Mapping):
            continue
        for key, value in data.items():
            if isinstance(value, str) and not is_base64(value):
                findings.append(
                    Deviation(
                        "the value is not valid base64: the API rejects it",
                        ref(obj),
                        f"{field}[{key}]",
                        expected="base64",
                        found="other text (not shown)",
                    )
                )
    return findings
