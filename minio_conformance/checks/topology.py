"""TOP: the topology decides the mode (000 §2)."""

from __future__ import annotations

import re

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import (
    STATEFULSET_REF,
    minio_container,
    minio_pvs,
    minio_statefulset,
    missing_container,
    missing_statefulset,
    pv_pinned_nodes,
)
from minio_conformance.objects import dig, name, ref
from minio_conformance.topology import CONTROL_PLANE_TAINT, Mode, is_schedulable, mode_for
from minio_conformance.verdict import Finding, Verdict, verdict


def _tolerates_control_plane(tolerations: list[dict[str, str]]) -> bool:
    for t in tolerations:
        key, op, effect = t.get("key"), t.get("operator", "Equal"), t.get("effect")
        if effect not in (None, "", "NoSchedule"):
            continue
        if (key is None or key == "") and op == "Exists":
            return True
        if key == CONTROL_PLANE_TAINT:
            return True
    return False


@check("TOP-1")
def schedulable_nodes_exclude_control_plane(snap: Snapshot) -> Verdict:
    """MinIO's volumes and pods go to exactly the nodes without the control-plane taint."""
    findings: list[Finding] = []
    schedulable = set(snap.schedulable)
    tainted = sorted(name(n) for n in snap.nodes if not is_schedulable(n))
    pinned: dict[str, list[str]] = {}
    for pv in minio_pvs(snap.objects):
        for node in pv_pinned_nodes(pv) or []:
            pinned.setdefault(node, []).append(name(pv))
    for node in sorted(set(pinned) - schedulable):
        why = "carries the control-plane NoSchedule taint" if node in tainted else "is not a node of the cluster"
        findings.append(Finding(f"PV(s) {pinned[node]} pinned to {node}, which {why}", "PersistentVolume"))
    for node in sorted(schedulable - set(pinned)):
        findings.append(Finding(f"schedulable node {node} has no MinIO PV", "PersistentVolume"))
    sts = minio_statefulset(snap.objects)
    if sts is None:
        findings.append(missing_statefulset())
    elif _tolerates_control_plane(dig(sts, "spec", "template", "spec", "tolerations", default=[])):
        findings.append(
            Finding(
                "pod template tolerates the control-plane NoSchedule taint", ref(sts), "spec.template.spec.tolerations"
            )
        )
    return verdict(
        "TOP-1",
        findings,
        {
            "schedulable nodes": sorted(schedulable),
            "tainted control-plane nodes": tainted,
            "PV pins": {k: v for k, v in sorted(pinned.items())},
        },
    )


@check("TOP-2")
def replicas_follow_node_count(snap: Snapshot) -> Verdict:
    expected = snap.expected_replicas
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("TOP-2", [missing_statefulset()])
    actual = dig(sts, "spec", "replicas", default=1)
    findings = []
    if actual != expected:
        findings.append(
            Finding(
                f"replicas is {actual}; {len(snap.schedulable)} schedulable node(s) require {expected} "
                f"({mode_for(expected).value})",
                ref(sts),
                "spec.replicas",
            )
        )
    return verdict(
        "TOP-2",
        findings,
        {
            "schedulable nodes": snap.schedulable,
            "replicas": actual,
            "expected replicas": expected,
            "mode": mode_for(expected).value,
        },
    )


def endpoint_args(args: list[str]) -> list[str]:
    return [a for a in args if a.startswith(("http://", "https://", "/"))]


def expanded_endpoint_count(endpoints: list[str]) -> int:
    """Count server endpoints, expanding MinIO's `{a...b}` ellipsis form."""
    total = 0
    for ep in endpoints:
        count = 1
        for lo, hi in re.findall(r"\{(\d+)\.\.\.(\d+)\}", ep):
            count *= int(hi) - int(lo) + 1
        total += count
    return total


@check("TOP-3")
def server_args_match_mode(snap: Snapshot) -> Verdict:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("TOP-3", [missing_statefulset()])
    container = minio_container(sts)
    if container is None:
        return verdict("TOP-3", [missing_container(ref(sts))])
    args = [str(a) for a in container.get("args") or []]
    endpoints = endpoint_args(args)
    replicas = dig(sts, "spec", "replicas", default=1)
    mode = mode_for(replicas)
    findings: list[Finding] = []
    urls = [e for e in endpoints if e.startswith(("http://", "https://"))]
    if mode is Mode.STANDALONE:
        if endpoints != ["/data"]:
            findings.append(
                Finding(
                    f"standalone mode must serve /data alone; endpoints are {endpoints}",
                    STATEFULSET_REF,
                    "spec.template.spec.containers[minio].args",
                )
            )
    else:
        if len(urls) != len(endpoints):
            findings.append(
                Finding(
                    f"distributed mode mixes local paths into the endpoints {endpoints}",
                    STATEFULSET_REF,
                    "spec.template.spec.containers[minio].args",
                )
            )
        count = expanded_endpoint_count(urls)
        if count != replicas:
            findings.append(
                Finding(
                    f"{replicas} replicas but the args list {count} pod URL(s)",
                    STATEFULSET_REF,
                    "spec.template.spec.containers[minio].args",
                )
            )
    return verdict("TOP-3", findings, {"mode": mode.value, "replicas": replicas, "args": args})
