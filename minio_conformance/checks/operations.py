"""OPS-1, OPS-2: operations practice from 001 (advisory)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check, not_evaluated
from minio_conformance.checks.common import Deviation, shown
from minio_conformance.objects import APP_LABEL, containers, dig, dig_map, of_kind, ref, selector_matches
from minio_conformance.verdict import Finding, Verdict, verdict


def _allowed_unavailable(pdb_spec: Mapping[str, Any], replicas: int) -> int | None:
    """Pods a PDB lets go at once; None when the budget cannot be read."""
    max_unavailable, min_available = pdb_spec.get("maxUnavailable"), pdb_spec.get("minAvailable")
    if isinstance(max_unavailable, int) and not isinstance(max_unavailable, bool):
        return max_unavailable
    if isinstance(min_available, int) and not isinstance(min_available, bool):
        return max(replicas - min_available, 0)
    for value in (max_unavailable, min_available):
        if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
            pct = int(value[:-1])
            n = -(-replicas * pct // 100)  # Kubernetes rounds up
            return n if value is max_unavailable else max(replicas - n, 0)
    return None


@check("OPS-1")
def disruption_budget_keeps_quorum(snap: Snapshot) -> Verdict:
    replicas = snap.replicas
    if replicas is None:
        return not_evaluated("OPS-1", "the replica count is unknown", "STS-1")
    profile = snap.erasure
    budget = profile.max_unavailable_keeping_writes
    pdbs = [
        p
        for p in of_kind(snap.objects, "PodDisruptionBudget")
        if selector_matches(dig(p, "spec", "selector"), APP_LABEL)
    ]
    findings: list[Finding] = []
    allowed: dict[str, int | None] = {}
    if not pdbs:
        findings.append(Finding("no PodDisruptionBudget selects app=minio", "PodDisruptionBudget"))
    for pdb in pdbs:
        spec = dig_map(pdb, "spec")
        n = _allowed_unavailable(spec, replicas)
        allowed[ref(pdb)] = n
        if n is None or n > budget:
            field = (
                "spec.maxUnavailable"
                if "maxUnavailable" in spec
                else "spec.minAvailable"
                if "minAvailable" in spec
                else "spec"
            )
            findings.append(
                Deviation(
                    f"the budget breaks write quorum ({profile.write_quorum} of {replicas}, EC:{profile.parity})",
                    ref(pdb),
                    field,
                    expected=f"at most {budget} pod(s) down",
                    found=f"{shown(n)} pod(s) down" if n is not None else "an unreadable budget",
                )
            )
    return verdict(
        "OPS-1",
        findings,
        {
            "replicas": replicas,
            "parity": profile.parity,
            "write quorum": profile.write_quorum,
            "read quorum": profile.read_quorum,
            "allowed unavailable": allowed,
        },
    )


@check("OPS-2", needs=("statefulset",))
def graceful_shutdown(snap: Snapshot) -> Verdict:
    sts = snap.minio_statefulset()
    spec = dig_map(sts, "spec", "template", "spec")
    grace = spec.get("terminationGracePeriodSeconds")
    pre_stop = [c.get("name") for c in containers(spec, init=False) if dig(c, "lifecycle", "preStop")]
    findings: list[Finding] = []
    if grace is None and not pre_stop:
        findings.append(
            Deviation(
                "no graceful shutdown",
                ref(sts),
                "spec.template.spec",
                expected="terminationGracePeriodSeconds or a preStop hook",
                found="neither",
            )
        )
    elif isinstance(grace, int | float) and not isinstance(grace, bool) and grace < 10:
        findings.append(
            Deviation(
                "MinIO gets no time to finish requests",
                ref(sts),
                "spec.template.spec.terminationGracePeriodSeconds",
                expected="at least 10",
                found=shown(grace),
            )
        )
    return verdict("OPS-2", findings, {"terminationGracePeriodSeconds": grace, "preStop": pre_stop})
