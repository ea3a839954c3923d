"""STO, PREP, PV: local storage (000 §4-§6), the StorageClass, the storage-prep DaemonSet and the PVs.

Static checks STO-1, PV-1, PV-2, PREP-3 over the manifests; live judges over what the cluster
showed: PREP-1, PREP-2, PV-2/PV-3 (claims pinned to their pods' nodes), STO-2. PV-3's pod
recreation is judged in the durability scenarios (`checks/durability.py`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import Deviation, Obj, minio_pvs, pv_pinned_nodes, shown, storage_prep
from minio_conformance.objects import (
    WORKLOAD_KINDS,
    containers,
    dig,
    dig_map,
    is_ready,
    labels,
    maps,
    name,
    of_kind,
    pod_template_spec,
    ref,
)
from minio_conformance.topology import schedulable_nodes
from minio_conformance.verdict import Finding, Verdict, verdict

STORAGE_CLASS = "minio-local-storage"
DATA_PATH = "/mnt/minio-data"
PV_CAPACITY = "10Gi"
EXPECTED_STORAGE_CLASS = {
    "provisioner": "kubernetes.io/no-provisioner",
    "volumeBindingMode": "WaitForFirstConsumer",
    "allowVolumeExpansion": True,
    "reclaimPolicy": "Retain",
}


@check("STO-1")
def storage_class_shape(snap: Snapshot) -> Verdict:
    wanted = snap.names.storage_class
    sc = snap.get("StorageClass", wanted)
    if sc is None:
        return verdict("STO-1", [Finding(f"no StorageClass {wanted}", f"StorageClass {wanted}")])
    findings = [
        Deviation(f"{field} differs", ref(sc), field, expected=shown(want), found=shown(sc.get(field)))
        for field, want in EXPECTED_STORAGE_CLASS.items()
        if sc.get(field, "Delete" if field == "reclaimPolicy" else None) != want
    ]
    return verdict("STO-1", findings, {field: sc.get(field) for field in EXPECTED_STORAGE_CLASS})


@check("PV-1")
def one_local_pv_per_node(snap: Snapshot) -> Verdict:
    pvs = minio_pvs(snap.objects)
    storage_class = snap.names.storage_class
    findings: list[Finding] = []
    unlabelled = [pv for pv in of_kind(snap.objects, "PersistentVolume") if pv not in pvs]
    for pv in unlabelled:
        findings.append(
            Deviation(
                "the PV lacks label app=minio (it would escape the clean-up of 000 §1)",
                ref(pv),
                "metadata.labels",
                expected="app=minio",
                found=shown(labels(pv).get("app")),
            )
        )
    if snap.nodes_from_set:
        if not pvs and not unlabelled:
            findings.append(
                Finding("no PersistentVolume labelled app=minio: the set pins no drive to a node", "PersistentVolume")
            )
    elif len(pvs) + len(unlabelled) != len(snap.schedulable):
        findings.append(
            Deviation(
                "one PV per schedulable node",
                "PersistentVolume",
                "",
                expected=f"{len(snap.schedulable)} PV(s)",
                found=f"{len(pvs) + len(unlabelled)}",
            )
        )
    for pv in pvs:
        r = ref(pv)
        spec = dig_map(pv, "spec")
        pinned = pv_pinned_nodes(pv) or []
        node_label = labels(pv).get("node")
        if not node_label:
            findings.append(
                Deviation(
                    "the PV lacks the node label", r, "metadata.labels", expected="node=<its node>", found="nothing"
                )
            )
        elif pinned and node_label not in pinned:
            findings.append(
                Deviation(
                    "the node label differs from the pinned node",
                    r,
                    "metadata.labels.node",
                    expected=", ".join(pinned),
                    found=shown(node_label),
                )
            )
        capacity = dig(spec, "capacity", "storage")
        if str(capacity) != PV_CAPACITY:
            findings.append(
                Deviation(
                    "the capacity differs", r, "spec.capacity.storage", expected=PV_CAPACITY, found=shown(capacity)
                )
            )
        if spec.get("accessModes") != ["ReadWriteOnce"]:
            findings.append(
                Deviation(
                    "the PV is not ReadWriteOnce",
                    r,
                    "spec.accessModes",
                    expected="[ReadWriteOnce]",
                    found=shown(spec.get("accessModes")),
                )
            )
        if dig(spec, "local", "path") != DATA_PATH:
            findings.append(
                Deviation(
                    "local.path differs",
                    r,
                    "spec.local.path",
                    expected=DATA_PATH,
                    found=shown(dig(spec, "local", "path")),
                )
            )
        if spec.get("storageClassName") != storage_class:
            findings.append(
                Deviation(
                    "the PV has another StorageClass, so the claims never bind it",
                    r,
                    "spec.storageClassName",
                    expected=storage_class,
                    found=shown(spec.get("storageClassName")),
                )
            )
        if spec.get("persistentVolumeReclaimPolicy", "Retain") != "Retain":
            findings.append(
                Deviation(
                    "the PV would not keep its data (000 §4 intends Retain)",
                    r,
                    "spec.persistentVolumeReclaimPolicy",
                    expected="Retain",
                    found=shown(spec.get("persistentVolumeReclaimPolicy")),
                )
            )
    return verdict("PV-1", findings, {"PVs": [name(pv) for pv in pvs], "schedulable nodes": snap.schedulable})


@check("PV-2", needs=("pvs",))
def pvs_pinned_one_per_node(snap: Snapshot) -> Verdict:
    findings: list[Finding] = []
    pins: dict[str, list[str]] = {}
    for pv in minio_pvs(snap.objects):
        pinned = pv_pinned_nodes(pv)
        if pinned is None:
            findings.append(
                Deviation(
                    "the PV is not pinned to a node",
                    ref(pv),
                    "spec.nodeAffinity",
                    expected="required nodeAffinity kubernetes.io/hostname In [<node>]",
                    found="none",
                )
            )
            continue
        if len(pinned) != 1:
            findings.append(
                Deviation(
                    "a local PV lives on exactly one node",
                    ref(pv),
                    "spec.nodeAffinity",
                    expected="1 node",
                    found=f"{len(pinned)} nodes",
                )
            )
        pins[name(pv)] = pinned
    counts = Counter(node for pinned in pins.values() for node in pinned)
    for node, n in sorted(counts.items()):
        if n > 1:
            sharing = sorted(pv for pv, pinned in pins.items() if node in pinned)
            findings.append(
                Deviation(
                    f"{n} PVs pin the same node {node}: {', '.join(sharing)}",
                    f"PersistentVolume {sharing[-1]}",
                    "spec.nodeAffinity",
                    expected="one PV per node",
                    found=f"{n} on {node}",
                )
            )
    return verdict("PV-2", findings, {"PV pins": pins})


def _privileges(spec: Mapping[str, Any] | None) -> list[str]:
    """The host-level privileges a pod spec asks for."""
    if not spec:
        return []
    found = [flag for flag in ("hostPID", "hostNetwork", "hostIPC") if spec.get(flag) is True]
    for c in containers(spec):
        if dig(c, "securityContext", "privileged") is True:
            found.append(f"privileged container {c.get('name')}")
        if dig(c, "securityContext", "allowPrivilegeEscalation") is True:
            found.append(f"privilege escalation in {c.get('name')}")
    for vol in maps(spec.get("volumes")):
        if dig(vol, "hostPath", "path") == "/":
            found.append(f"host root mounted (volume {vol.get('name')})")
    return found


def _mounts_host_root(spec: Mapping[str, Any]) -> bool:
    volumes = maps(spec.get("volumes"))
    return any(
        m.get("mountPath") == "/host"
        and any(v.get("name") == m.get("name") and dig(v, "hostPath", "path") == "/" for v in volumes)
        for c in containers(spec)
        for m in maps(c.get("volumeMounts"))
    )


@check("PREP-3")
def storage_prep_is_the_only_privileged_workload(snap: Snapshot) -> Verdict:
    findings: list[Finding] = []
    wanted = snap.names.storage_prep
    prep = storage_prep(snap.objects, snap.names)
    notes: list[str] = []
    if prep is None:
        findings.append(Finding(f"no DaemonSet {wanted}", f"DaemonSet {wanted}"))
    else:
        spec = pod_template_spec(prep) or {}
        privileges = _privileges(spec)
        if not _mounts_host_root(spec):
            findings.append(
                Deviation(
                    "the host root is not mounted at /host as documented",
                    ref(prep),
                    "spec.template.spec.volumes",
                    expected="hostPath / mounted at /host",
                    found="no such mount",
                )
            )
        notes.append(
            f"RISK: {ref(prep)} runs with {', '.join(privileges) or 'no host privileges'} on every "
            "schedulable node; anyone who can change its pod template controls those nodes."
        )
        if labels(dig_map(prep, "spec", "template")).get("app") == "minio":
            findings.append(
                Deviation(
                    "its pods carry app=minio, so the MinIO Services would select these host-network pods",
                    ref(prep),
                    "spec.template.metadata.labels.app",
                    expected="a label other than app=minio",
                    found="app=minio",
                )
            )
    others = {}
    for obj in snap.objects:
        if obj is prep or obj.get("kind") not in WORKLOAD_KINDS:
            continue
        privileges = _privileges(pod_template_spec(obj))
        if privileges:
            others[ref(obj)] = privileges
            findings.append(
                Deviation(
                    "privileged besides the storage-prep DaemonSet",
                    ref(obj),
                    "spec.template.spec",
                    expected="no host privileges",
                    found=", ".join(privileges),
                )
            )
    return verdict("PREP-3", findings, {"privileged workloads besides storage prep": others}, notes)


def storage_prep_per_node(pods: Sequence[Obj], nodes: Sequence[Obj]) -> Verdict:
    """PREP-1: exactly one Ready storage-prep pod on each schedulable node, none elsewhere.

    A pod not yet scheduled to any node is reported as such (and not again as not Ready).
    """
    wanted = set(schedulable_nodes(nodes))
    scheduled = [p for p in pods if dig(p, "spec", "nodeName")]
    unscheduled = sorted(name(p) for p in pods if not dig(p, "spec", "nodeName"))
    per_node: Counter[str] = Counter(dig(p, "spec", "nodeName") for p in scheduled)
    findings = []
    for node in sorted(wanted):
        if per_node.get(node, 0) != 1:
            findings.append(Finding(f"{per_node.get(node, 0)} storage-prep pod(s) on schedulable node {node}", "Pod"))
    for node in sorted(set(per_node) - wanted):
        findings.append(Finding(f"storage-prep pod on non-schedulable node {node}", "Pod"))
    for pod_name in unscheduled:
        findings.append(Finding("storage-prep pod is not scheduled to any node", f"Pod {pod_name}"))
    for p in scheduled:
        if not is_ready(p):
            restarts = sum(c.get("restartCount", 0) for c in dig(p, "status", "containerStatuses", default=[]))
            findings.append(Finding(f"storage-prep pod is not Ready ({restarts} restarts)", f"Pod {name(p)}"))
    return verdict(
        "PREP-1",
        findings,
        {"pods per node": dict(per_node), "unscheduled pods": unscheduled, "schedulable nodes": sorted(wanted)},
    )


def storage_directories(stats: Mapping[str, Mapping[str, Any]]) -> Verdict:
    """PREP-2: `/mnt/minio-data` on every node: a directory, mode 755, owner 1000:1000.

    `stats` maps node -> {"exists": bool, "is_directory": bool, "mode": int, "uid": int, "gid": int}.
    """
    findings = []
    for node, st in sorted(stats.items()):
        if not st.get("exists"):
            findings.append(Finding("/mnt/minio-data does not exist", f"Node {node}"))
            continue
        if not st.get("is_directory"):
            findings.append(Finding("/mnt/minio-data is not a directory", f"Node {node}"))
        if st.get("mode") != 0o755:
            findings.append(Finding(f"mode is {oct(st.get('mode', 0))}, expected 0o755", f"Node {node}"))
        if (st.get("uid"), st.get("gid")) != (1000, 1000):
            findings.append(Finding(f"owner is {st.get('uid')}:{st.get('gid')}, expected 1000:1000", f"Node {node}"))
    if not stats:
        findings.append(Finding("no node was inspected", "Node"))
    return verdict("PREP-2", findings, {"stat": {n: {**s, "mode": oct(s.get("mode", 0))} for n, s in stats.items()}})


def claims_pinned_to_pod_nodes(req_id: str, pods: Sequence[Obj], claims: Sequence[Obj], pvs: Sequence[Obj]) -> Verdict:
    """PV-2/PV-3 on a live cluster: the PV bound to data-minio-<i> pins the node minio-<i> runs on."""
    by_claim = {name(c): dig(c, "spec", "volumeName") for c in claims}
    pv_by_name = {name(pv): pv for pv in pvs}
    findings = [] if pods else [Finding("nothing observed: no MinIO pod to check", "Pod")]
    evidence = {}
    for pod in pods:
        claim = f"data-{name(pod)}"
        node = dig(pod, "spec", "nodeName")
        pv = pv_by_name.get(by_claim.get(claim) or "")
        if pv is None:
            findings.append(Finding(f"claim {claim} is not bound to a MinIO PV", f"Pod {name(pod)}"))
            continue
        pinned = pv_pinned_nodes(pv) or []
        evidence[name(pod)] = {"node": node, "claim": claim, "pv": name(pv), "pv pinned to": pinned}
        if pinned != [node]:
            findings.append(Finding(f"runs on {node} but its PV {name(pv)} is pinned to {pinned}", f"Pod {name(pod)}"))
    return verdict(req_id, findings, evidence)


def claim_waits_for_consumer(phases: Sequence[str], reasons: Sequence[str]) -> Verdict:
    """STO-2 (binding): a claim without a consumer stays Pending, waiting for its first consumer."""
    findings = []
    if not phases or any(p != "Pending" for p in phases):
        findings.append(
            Finding(f"claim phases over time were {list(phases)}, expected Pending throughout", "PersistentVolumeClaim")
        )
    if "WaitForFirstConsumer" not in reasons:
        findings.append(
            Finding(f"no WaitForFirstConsumer event (events: {sorted(set(reasons))})", "PersistentVolumeClaim")
        )
    return verdict("STO-2", findings, {"phases": list(phases), "event reasons": sorted(set(reasons))})


def released_volume_kept(pv_phase: str | None, file_survived: bool) -> Verdict:
    """STO-2 (retention): after its claim is deleted the PV is Released, not deleted, and the data stays."""
    findings = []
    if pv_phase != "Released":
        findings.append(
            Finding(f"PV phase after claim deletion is {pv_phase!r}, expected Released", "PersistentVolume")
        )
    if not file_survived:
        findings.append(Finding("the file written through the claim is gone from the node", "PersistentVolume"))
    return verdict("STO-2", findings, {"pv phase": pv_phase, "data kept": file_survived})
