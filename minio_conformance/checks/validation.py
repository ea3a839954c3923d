"""VAL: step 10 validation (000 §10) on the running deployment.

VAL-1 (Ready within 300 s), VAL-3 (Services have endpoints), VAL-4 (claims Bound). VAL-2
(pods on different nodes) shares STS-9's judge in `checks/statefulset.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from minio_conformance.checks.common import Obj, slice_addresses
from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import dig, name
from minio_conformance.verdict import Finding, Verdict, verdict


def ready_within(seconds: float | None, limit: float = 300.0) -> Verdict:
    """VAL-1: all pods Ready within `limit` seconds of applying the StatefulSet."""
    findings = []
    if seconds is None:
        findings.append(Finding(f"pods were not all Ready within {limit:.0f} s", "StatefulSet minio"))
    elif seconds > limit:
        findings.append(Finding(f"all pods Ready after {seconds:.0f} s, more than {limit:.0f} s", "StatefulSet minio"))
    return verdict("VAL-1", findings, {"seconds from apply to all Ready": seconds, "limit": limit})


def services_have_endpoints(services: Sequence[Obj], slices: Sequence[Obj]) -> Verdict:
    """VAL-3: every MinIO Service has at least one ready endpoint."""
    findings = []
    seen = {}
    for svc in services:
        addrs = slice_addresses(slices, name(svc))
        seen[name(svc)] = sorted(addrs)
        if not addrs:
            findings.append(Finding("no ready endpoint", f"Service {name(svc)}"))
    if not services:
        findings.append(Finding("nothing observed: no MinIO Service", "Service"))
    return verdict("VAL-3", findings, {"ready endpoints": seen})


def claims_bound(claims: Sequence[Obj], replicas: int, names: Names = DOCUMENTED) -> Verdict:
    """VAL-4: data-minio-0..N-1 (`data-<statefulset>-<i>`) exist and are Bound."""
    phases = {name(c): dig(c, "status", "phase") for c in claims}
    findings = [
        Finding(f"claim is {phase}", f"PersistentVolumeClaim {c}") for c, phase in phases.items() if phase != "Bound"
    ]
    for i in range(replicas):
        if f"data-{names.statefulset}-{i}" not in phases:
            findings.append(Finding(f"claim data-{names.statefulset}-{i} does not exist", "PersistentVolumeClaim"))
    return verdict("VAL-4", findings, {"claims": phases})
