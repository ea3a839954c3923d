"""TOP: the topology decides the mode (000 §2)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check, not_evaluated
from minio_conformance.checks.common import (
    Deviation,
    container_path,
    minio_pvs,
    pv_pinned_nodes,
    server_invocation,
    shown,
)
from minio_conformance.objects import dig, maps, name, ref
from minio_conformance.topology import CONTROL_PLANE_TAINT, Mode, is_schedulable, mode_for
from minio_conformance.verdict import Finding, Verdict, verdict


def _tolerates_control_plane(tolerations: list[Mapping[str, Any]]) -> bool:
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
    notes: list[str] = []
    if snap.nodes_from_set:
        notes.append("the set names no cluster nodes: its PVs' nodes are taken as its topology (PV-2 judges them)")
    else:
        for node in sorted(set(pinned) - schedulable):
            why = "carries the control-plane NoSchedule taint" if node in tainted else "is not a node of the cluster"
            findings.append(
                Finding(
                    f"PV(s) {', '.join(pinned[node])} pinned to {node}, which {why}",
                    f"PersistentVolume {pinned[node][0]}",
                    "spec.nodeAffinity",
                )
            )
        for node in sorted(schedulable - set(pinned)):
            findings.append(Finding(f"schedulable node {node} has no MinIO PV", "PersistentVolume"))
    sts = snap.statefulset
    if sts is None:
        if not findings:
            return not_evaluated("TOP-1", f"no StatefulSet {snap.names.statefulset}", "STS-1")
    elif _tolerates_control_plane(maps(dig(sts, "spec", "template", "spec", "tolerations"))):
        findings.append(
            Deviation(
                "the pod template tolerates the control-plane NoSchedule taint",
                ref(sts),
                "spec.template.spec.tolerations",
                expected="no toleration of the control-plane taint",
                found="a toleration of it",
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
        notes,
    )


def replicas_of(sts: Mapping[str, Any]) -> Any:
    spec = sts.get("spec")
    return spec.get("replicas", 1) if isinstance(spec, Mapping) else 1


@check("TOP-2", needs=("statefulset", "nodes"))
def replicas_follow_node_count(snap: Snapshot) -> Verdict:
    sts = snap.minio_statefulset()
    expected = snap.expected_replicas or 0
    actual = replicas_of(sts)
    basis = (
        f"the set's PVs pin {len(snap.schedulable)} node(s)"
        if snap.nodes_from_set
        else f"{len(snap.schedulable)} schedulable node(s)"
    )
    findings = []
    if actual != expected:
        findings.append(
            Deviation(
                f"replicas do not follow the topology: {basis} call for {mode_for(expected).value} mode",
                ref(sts),
                "spec.replicas",
                expected=str(expected),
                found=shown(actual),
            )
        )
    return verdict(
        "TOP-2",
        findings,
        {
            "schedulable nodes": snap.schedulable,
            "nodes from": "the set's PersistentVolumes" if snap.nodes_from_set else "the cluster's Node objects",
            "replicas": actual,
            "expected replicas": expected,
            "mode": mode_for(expected).value,
        },
    )


BOOLEAN_FLAGS = frozenset({"--quiet", "--anonymous", "--json", "--no-compat"})


def endpoint_args(args: list[str]) -> list[str]:
    """The endpoints among `minio server` arguments (a flag's value, such as `-S /certs`, is none)."""
    found: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a.startswith("-"):
            skip = "=" not in a and a not in BOOLEAN_FLAGS
            continue
        if a.startswith(("http://", "https://", "/")):
            found.append(a)
    return found


def expanded_endpoint_count(endpoints: list[str]) -> int:
    """Count server endpoints, expanding MinIO's `{a...b}` ellipsis form."""
    total = 0
    for ep in endpoints:
        count = 1
        for lo, hi in re.findall(r"\{(\d+)\.\.\.(\d+)\}", ep):
            count *= max(int(hi) - int(lo) + 1, 0)
        total += count
    return total


@check("TOP-3", needs=("statefulset", "container"))
def server_args_match_mode(snap: Snapshot) -> Verdict:
    sts, container = snap.minio()
    _, args, from_script = server_invocation(container)
    where = f"{container_path(sts, container)}.{'command' if from_script else 'args'}"
    endpoints = endpoint_args(args)
    replicas = replicas_of(sts)
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 1:
        return not_evaluated("TOP-3", "spec.replicas is not a positive number", "TOP-2")
    mode = mode_for(replicas)
    findings: list[Finding] = []
    urls = [e for e in endpoints if e.startswith(("http://", "https://"))]
    if mode is Mode.STANDALONE:
        if endpoints != ["/data"]:
            findings.append(
                Deviation(
                    "standalone mode (1 replica) must serve /data alone",
                    ref(sts),
                    where,
                    expected="/data",
                    found=shown(" ".join(endpoints) or "no endpoint"),
                )
            )
    else:
        if len(urls) != len(endpoints):
            findings.append(
                Deviation(
                    "distributed mode mixes local paths into the endpoints",
                    ref(sts),
                    where,
                    expected="pod URLs only",
                    found=shown(" ".join(e for e in endpoints if e not in urls)),
                )
            )
        count = expanded_endpoint_count(urls)
        if count != replicas:
            findings.append(
                Deviation(
                    f"the server arguments list a pod URL per replica, {replicas} replicas",
                    ref(sts),
                    where,
                    expected=f"{replicas} pod URL(s)",
                    found=f"{count}",
                )
            )
    return verdict("TOP-3", findings, {"mode": mode.value, "replicas": replicas, "args": args})
