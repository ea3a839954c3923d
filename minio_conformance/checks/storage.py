"""STO-1, PV-1, PV-2, PREP-3: local storage (000 §4-§6)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import Deviation, minio_pvs, pv_pinned_nodes, shown, storage_prep
from minio_conformance.objects import (
    WORKLOAD_KINDS,
    containers,
    dig,
    dig_map,
    labels,
    maps,
    name,
    of_kind,
    pod_template_spec,
    ref,
)
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
