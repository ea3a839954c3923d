"""OPS: operations practice from 001 (advisory).

Static checks OPS-1, OPS-2 over the manifests; the live judges OPS-3 (metrics answer) and
OPS-5 (rolling update order), and the disruptive judge OPS-4 (claims retained).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from minio_conformance.checks import Snapshot, check, not_evaluated
from minio_conformance.checks.common import Deviation, shown
from minio_conformance.names import DOCUMENTED, Names
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


def metrics_answer(with_token: int | str, without_token: int | str) -> Verdict:
    """OPS-3: /minio/v2/metrics/cluster answers 200 to an authorised scrape.

    `without_token` (the status of an unauthenticated scrape) is kept as evidence only and not
    judged: OPS-3 asks only that the endpoint answers, and says nothing about whether an
    unauthenticated scrape must be refused or allowed (that depends on MINIO_PROMETHEUS_AUTH_TYPE).
    """
    findings = []
    if with_token != 200:
        findings.append(Finding(f"metrics answered {with_token!r} with a bearer token", "Service minio-api"))
    return verdict("OPS-3", findings, {"with bearer token": with_token, "without token": without_token})


def rolling_update_order(
    replicas: int,
    partition_phase: Mapping[str, bool],
    roll_order: Sequence[str],
    names: Names = DOCUMENTED,
    strategy_type: str = "RollingUpdate",
) -> Verdict:
    """OPS-5: with partition N-1 only the highest ordinal updates; then the rest go highest first.

    `partition_phase` maps pod -> updated? while the partition held; `roll_order` lists pods in
    the order they were updated after the partition was lifted. `strategy_type` is the deployed
    StatefulSet's own update strategy: anything but RollingUpdate rolls nothing by itself.
    """
    if strategy_type != "RollingUpdate":
        return verdict(
            "OPS-5",
            [
                Finding(
                    f"updateStrategy.type is {strategy_type}: a template change is not rolled out "
                    "(expected RollingUpdate, highest ordinal first)",
                    f"StatefulSet {names.statefulset}",
                )
            ],
            {"update strategy": strategy_type},
        )
    findings = []
    top = f"{names.statefulset}-{replicas - 1}"
    for pod, updated in sorted(partition_phase.items()):
        if pod == top and not updated:
            findings.append(Finding("the highest ordinal was not updated while the partition held", f"Pod {pod}"))
        if pod != top and updated:
            findings.append(Finding("updated although the partition holds it back", f"Pod {pod}"))
    expected = [f"{names.statefulset}-{i}" for i in range(replicas - 2, -1, -1)]
    if list(roll_order) != expected:
        findings.append(
            Finding(
                f"after lifting the partition pods updated in the order {list(roll_order)}, expected {expected}",
                f"StatefulSet {names.statefulset}",
            )
        )
    return verdict(
        "OPS-5", findings, {"updated while partitioned": dict(partition_phase), "roll order": list(roll_order)}
    )


def claims_retained(
    req_id: str,
    before: Mapping[str, str],
    after_delete: Mapping[str, str],
    after_recreate: Mapping[str, str],
    scaled_in_kept: bool | None,
    intact: bool | None,
) -> Verdict:
    """OPS-4: claims (by UID) survive StatefulSet deletion and scale-in; the recreated set reuses them.

    `intact` None: the data was not read, because the recreated pods cannot start (their claims were
    deleted, and the pinned PVs they were bound to are Released); that follows from the claims'
    finding and is noted, not reported again as lost data.
    """
    findings = (
        [] if before else [Finding("nothing observed: no claim existed before the deletion", "PersistentVolumeClaim")]
    )
    if after_delete != before:
        findings.append(
            Finding(
                f"claims after deleting the StatefulSet: {sorted(after_delete)}; before: {sorted(before)}",
                "PersistentVolumeClaim",
            )
        )
    if after_recreate != before:
        findings.append(Finding("the recreated StatefulSet does not use the same claims", "PersistentVolumeClaim"))
    if scaled_in_kept is False:
        findings.append(Finding("the claim of a scaled-in pod was deleted", "PersistentVolumeClaim"))
    if intact is False:
        findings.append(Finding("data did not survive the StatefulSet's deletion", "S3"))
    notes = (
        ["data not read: the recreated pods cannot start without their deleted claims (not evaluated)"]
        if intact is None
        else []
    )
    return verdict(
        req_id,
        findings,
        {
            "claims before": dict(before),
            "after delete": dict(after_delete),
            "after recreate": dict(after_recreate),
            "scale-in kept claim": scaled_in_kept,
            "data intact": "not read (the recreated pods cannot start)" if intact is None else intact,
        },
        notes=notes,
    )
