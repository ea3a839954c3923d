"""OPS-1, OPS-2: operations practice from 001 (advisory)."""

from __future__ import annotations

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import minio_statefulset, missing_statefulset
from minio_conformance.objects import APP_LABEL, containers, dig, of_kind, ref, selector_matches
from minio_conformance.verdict import Finding, Verdict, verdict


def _allowed_unavailable(pdb_spec: dict[str, object], replicas: int) -> int | None:
    """Pods a PDB lets go at once; None when the budget is a percentage we do not evaluate."""
    max_unavailable, min_available = pdb_spec.get("maxUnavailable"), pdb_spec.get("minAvailable")
    if isinstance(max_unavailable, int):
        return max_unavailable
    if isinstance(min_available, int):
        return max(replicas - min_available, 0)
    for value in (max_unavailable, min_available):
        if isinstance(value, str) and value.endswith("%"):
            pct = int(value[:-1])
            n = -(-replicas * pct // 100)  # Kubernetes rounds up
            return n if value is max_unavailable else max(replicas - n, 0)
    return None


@check("OPS-1")
def disruption_budget_keeps_quorum(snap: Snapshot) -> Verdict:
    replicas = snap.expected_replicas
    profile = snap.erasure
    budget = profile.max_unavailable_keeping_writes
    pdbs = [
        p
        for p in of_kind(snap.objects, "PodDisruptionBudget")
        if selector_matches(dig(p, "spec", "selector"), APP_LABEL)
    ]
    findings = []
    allowed: dict[str, int | None] = {}
    if not pdbs:
        findings.append(Finding("no PodDisruptionBudget selects app=minio", "PodDisruptionBudget"))
    for pdb in pdbs:
        n = _allowed_unavailable(dict(pdb.get("spec") or {}), replicas)
        allowed[ref(pdb)] = n
        if n is None or n > budget:
            findings.append(
                Finding(
                    f"allows {n} of {replicas} pods down; write quorum is {profile.write_quorum} of {replicas} "
                    f"(EC:{profile.parity}), so at most {budget} may go",
                    ref(pdb),
                    "spec",
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


@check("OPS-2")
def graceful_shutdown(snap: Snapshot) -> Verdict:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("OPS-2", [missing_statefulset()])
    spec = dig(sts, "spec", "template", "spec", default={})
    grace = spec.get("terminationGracePeriodSeconds")
    pre_stop = [c.get("name") for c in containers(spec, init=False) if dig(c, "lifecycle", "preStop")]
    findings = []
    if grace is None and not pre_stop:
        findings.append(
            Finding("neither terminationGracePeriodSeconds nor a preStop hook is set", ref(sts), "spec.template.spec")
        )
    elif grace is not None and grace < 10:
        findings.append(
            Finding(
                f"terminationGracePeriodSeconds {grace} leaves MinIO no time to finish requests",
                ref(sts),
                "spec.template.spec.terminationGracePeriodSeconds",
            )
        )
    return verdict("OPS-2", findings, {"terminationGracePeriodSeconds": grace, "preStop": pre_stop})
