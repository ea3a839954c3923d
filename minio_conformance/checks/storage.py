"""STO-1, PV-1, PV-2, PREP-3: local storage (000 §4-§6)."""

from __future__ import annotations

from collections import Counter

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import minio_pvs, pv_pinned_nodes, storage_prep
from minio_conformance.objects import (
    WORKLOAD_KINDS,
    containers,
    dig,
    labels,
    name,
    of_kind,
    pod_template_spec,
    ref,
)
from minio_conformance.render import STORAGE_PREP
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
    sc = snap.get("StorageClass", STORAGE_CLASS)
    if sc is None:
        return verdict("STO-1", [Finding(f"no StorageClass {STORAGE_CLASS}", f"StorageClass {STORAGE_CLASS}")])
    findings = [
        Finding(f"{field} is {sc.get(field)!r}, expected {want!r}", ref(sc), field)
        for field, want in EXPECTED_STORAGE_CLASS.items()
        if sc.get(field, "Delete" if field == "reclaimPolicy" else None) != want
    ]
    return verdict("STO-1", findings, {field: sc.get(field) for field in EXPECTED_STORAGE_CLASS})


@check("PV-1")
def one_local_pv_per_node(snap: Snapshot) -> Verdict:
    pvs = minio_pvs(snap.objects)
    findings: list[Finding] = []
    unlabelled = [name(pv) for pv in of_kind(snap.objects, "PersistentVolume") if pv not in pvs]
    for pv_name in unlabelled:
        findings.append(
            Finding(
                "PV lacks label app=minio (it would escape the clean-up of 000 §1)",
                f"PersistentVolume {pv_name}",
                "metadata.labels",
            )
        )
    if len(pvs) + len(unlabelled) != len(snap.schedulable):
        findings.append(
            Finding(
                f"{len(pvs) + len(unlabelled)} PV(s) for {len(snap.schedulable)} schedulable node(s)",
                "PersistentVolume",
            )
        )
    for pv in pvs:
        r = ref(pv)
        spec = pv.get("spec") or {}
        pinned = pv_pinned_nodes(pv) or []
        node_label = labels(pv).get("node")
        if not node_label:
            findings.append(Finding("PV lacks the node label", r, "metadata.labels.node"))
        elif pinned and node_label not in pinned:
            findings.append(
                Finding(f"node label {node_label!r} differs from the pinned node {pinned}", r, "metadata.labels.node")
            )
        capacity = dig(spec, "capacity", "storage")
        if str(capacity) != PV_CAPACITY:
            findings.append(Finding(f"capacity is {capacity!r}, expected {PV_CAPACITY}", r, "spec.capacity.storage"))
        if spec.get("accessModes") != ["ReadWriteOnce"]:
            findings.append(
                Finding(f"accessModes is {spec.get('accessModes')}, expected [ReadWriteOnce]", r, "spec.accessModes")
            )
        if dig(spec, "local", "path") != DATA_PATH:
            findings.append(
                Finding(f"local.path is {dig(spec, 'local', 'path')!r}, expected {DATA_PATH}", r, "spec.local.path")
            )
        if spec.get("storageClassName") != STORAGE_CLASS:
            findings.append(
                Finding(
                    f"storageClassName is {spec.get('storageClassName')!r}, expected {STORAGE_CLASS}",
                    r,
                    "spec.storageClassName",
                )
            )
        if spec.get("persistentVolumeReclaimPolicy", "Retain") != "Retain":
            findings.append(
                Finding(
                    f"reclaim policy is {spec.get('persistentVolumeReclaimPolicy')}: data would "
                    "not be kept (000 §4 intends Retain)",
                    r,
                    "spec.persistentVolumeReclaimPolicy",
                )
            )
    return verdict("PV-1", findings, {"PVs": [name(pv) for pv in pvs], "schedulable nodes": snap.schedulable})


@check("PV-2")
def pvs_pinned_one_per_node(snap: Snapshot) -> Verdict:
    findings: list[Finding] = []
    pins: dict[str, list[str]] = {}
    for pv in minio_pvs(snap.objects):
        pinned = pv_pinned_nodes(pv)
        if pinned is None:
            findings.append(
                Finding("no required nodeAffinity on kubernetes.io/hostname", ref(pv), "spec.nodeAffinity.required")
            )
            continue
        if len(pinned) != 1:
            findings.append(
                Finding(
                    f"pinned to {len(pinned)} nodes {pinned}; a local PV lives on exactly one",
                    ref(pv),
                    "spec.nodeAffinity",
                )
            )
        pins[name(pv)] = pinned
    counts = Counter(node for pinned in pins.values() for node in pinned)
    for node, n in sorted(counts.items()):
        if n > 1:
            sharing = sorted(pv for pv, pinned in pins.items() if node in pinned)
            findings.append(Finding(f"{n} PVs {sharing} pin the same node {node}", "PersistentVolume"))
    return verdict("PV-2", findings, {"PV pins": pins})


def _privileges(spec: dict[str, object] | None) -> list[str]:
    """The host-level privileges a pod spec asks for."""
    if not spec:
        return []
    found = [flag for flag in ("hostPID", "hostNetwork", "hostIPC") if spec.get(flag)]
    for c in containers(spec):
        if dig(c, "securityContext", "privileged"):
            found.append(f"privileged container {c.get('name')}")
        if dig(c, "securityContext", "allowPrivilegeEscalation") is True:
            found.append(f"privilege escalation in {c.get('name')}")
    for vol in spec.get("volumes") or []:  # type: ignore[attr-defined]
        if dig(vol, "hostPath", "path") == "/":
            found.append(f"host root mounted (volume {vol.get('name')})")
    return found


@check("PREP-3")
def storage_prep_is_the_only_privileged_workload(snap: Snapshot) -> Verdict:
    findings: list[Finding] = []
    prep = storage_prep(snap.objects)
    notes: list[str] = []
    if prep is None:
        findings.append(Finding(f"no DaemonSet {STORAGE_PREP}", f"DaemonSet {STORAGE_PREP}"))
    else:
        spec = pod_template_spec(prep) or {}
        privileges = _privileges(dict(spec))
        mounts_host_root = any(
            m.get("mountPath") == "/host"
            and any(
                v.get("name") == m.get("name") and dig(v, "hostPath", "path") == "/" for v in spec.get("volumes") or []
            )
            for c in containers(spec)
            for m in c.get("volumeMounts") or []
        )
        if not mounts_host_root:
            findings.append(
                Finding("host root is not mounted at /host as documented", ref(prep), "spec.template.spec.volumes")
            )
        notes.append(
            f"RISK: {ref(prep)} runs with {', '.join(privileges) or 'no host privileges'} on every "
            "schedulable node; anyone who can change its pod template controls those nodes."
        )
        if labels(dig(prep, "spec", "template", default={})).get("app") == "minio":
            findings.append(
                Finding(
                    "its pods carry app=minio, so the MinIO Services would select these host-network pods",
                    ref(prep),
                    "spec.template.metadata.labels",
                )
            )
    others = {}
    for obj in snap.objects:
        if obj is prep or obj.get("kind") not in WORKLOAD_KINDS:
            continue
        privileges = _privileges(dict(pod_template_spec(obj) or {}))
        if privileges:
            others[ref(obj)] = privileges
            findings.append(
                Finding(
                    f"privileged besides the storage-prep DaemonSet: {', '.join(privileges)}",
                    ref(obj),
                    "spec.template.spec",
                )
            )
    return verdict("PREP-3", findings, {"privileged workloads besides storage prep": others}, notes)
