"""STO, PREP, PV: local storage (000 §4-§6)."""

import time
from collections.abc import Callable
from typing import Any

import pytest

from fixtures.evidence import assert_verdict
from fixtures.live import LiveCluster, LiveTarget
from fixtures.nodes import stat_directory
from minio_conformance.checks.storage import (
    claim_waits_for_consumer,
    claims_pinned_to_pod_nodes,
    released_volume_kept,
    storage_directories,
    storage_prep_per_node,
)
from minio_conformance.manifests import dump_documents
from minio_conformance.objects import NAMESPACE


@pytest.mark.static
@pytest.mark.requirement("STO-1")
def test_storage_class_is_local_retained_and_delayed(prove_static: Callable[[str], None]) -> None:
    """no-provisioner, WaitForFirstConsumer, expandable, Retain."""
    prove_static("STO-1")


@pytest.mark.static
@pytest.mark.requirement("PREP-3")
def test_storage_prep_is_the_only_privileged_workload(prove_static: Callable[[str], None]) -> None:
    """The host-root DaemonSet is the single privileged workload; its risk is reported."""
    prove_static("PREP-3")


@pytest.mark.static
@pytest.mark.requirement("PV-1")
def test_one_local_pv_per_schedulable_node(prove_static: Callable[[str], None]) -> None:
    """One 10Gi RWO local PV per schedulable node, labelled and classed."""
    prove_static("PV-1")


@pytest.mark.static
@pytest.mark.requirement("PV-2")
def test_each_pv_pinned_to_its_own_node(prove_static: Callable[[str], None]) -> None:
    """Required hostname nodeAffinity; never two PVs on one node."""
    prove_static("PV-2")


@pytest.mark.live
@pytest.mark.requirement("PREP-1")
def test_storage_prep_runs_once_per_schedulable_node(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """One Ready storage-prep pod on every schedulable node and none on the tainted control plane."""
    pods = live_cluster.kube.pods("app=minio-storage-prep")
    assert_verdict(request, storage_prep_per_node(pods, live_cluster.kube.nodes()), live_target)


@pytest.mark.live
@pytest.mark.requirement("PREP-2")
def test_storage_directory_on_every_node(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, node_hosts: dict[str, Any]
) -> None:
    """/mnt/minio-data on each schedulable node itself: a directory, 755, owned by 1000:1000."""
    stats = {node: stat_directory(node_hosts[node], "/mnt/minio-data") for node in live_cluster.record.schedulable}
    assert_verdict(request, storage_directories(stats), live_target)


@pytest.mark.live
@pytest.mark.requirement("PV-2")
def test_bound_claims_pinned_to_their_pods_nodes(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """On the cluster, the PV bound to data-minio-<i> pins the node minio-<i> runs on."""
    kube = live_cluster.kube
    claims = kube.items(kube.core.list_namespaced_persistent_volume_claim(NAMESPACE), "PersistentVolumeClaim", "v1")
    pvs = kube.items(kube.core.list_persistent_volume(label_selector="app=minio"), "PersistentVolume", "v1")
    verdict = claims_pinned_to_pod_nodes("PV-2", live_cluster.minio_pods(), claims, pvs)
    assert_verdict(request, verdict, live_target)


def _claim(name: str, volume: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "storageClassName": "minio-local-storage",
        "resources": {"requests": {"storage": "1Gi"}},
    }
    if volume:
        spec["volumeName"] = volume
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": {"app": "minio-conformance-probe"}},
        "spec": spec,
    }


@pytest.mark.live
@pytest.mark.requirement("STO-2")
def test_claim_pending_until_a_pod_uses_it(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, worker_id: str
) -> None:
    """WaitForFirstConsumer: a claim nobody uses stays Pending (and says why)."""
    claim = f"sto2-unconsumed-{worker_id}"
    live_cluster.kubectl("apply", "-f", "-", input_text=dump_documents([_claim(claim)]))
    try:
        phases = []
        for _ in range(4):
            time.sleep(2)
            phases.append(live_cluster.kube.core.read_namespaced_persistent_volume_claim(claim, NAMESPACE).status.phase)
        events = live_cluster.kube.core.list_namespaced_event(NAMESPACE, field_selector=f"involvedObject.name={claim}")
        reasons = [e.reason for e in events.items]
    finally:
        live_cluster.kubectl("delete", "pvc", claim, "-n", NAMESPACE, "--wait=false", check=False)
    assert_verdict(request, claim_waits_for_consumer(phases, reasons), live_target)


@pytest.mark.live
@pytest.mark.requirement("STO-2")
def test_released_volume_keeps_its_data(
    request: pytest.FixtureRequest,
    live_cluster: LiveCluster,
    live_target: LiveTarget,
    node_hosts: dict[str, Any],
    worker_id: str,
) -> None:
    """Retain: deleting a claim leaves its PV Released and the data on the node (on a PV of its own)."""
    node = live_cluster.record.schedulable[0]
    host = node_hosts[node]
    path = f"/mnt/minio-conformance-sto2-{worker_id}"
    pv_name, claim, pod = f"minio-conformance-sto2-{worker_id}", f"sto2-retain-{worker_id}", f"sto2-writer-{worker_id}"
    host.run(f"mkdir -p {path} && chmod 777 {path}")
    pv = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": pv_name, "labels": {"app": "minio-conformance-probe"}},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": "minio-local-storage",
            "local": {"path": path},
            "nodeAffinity": {
                "required": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}
                    ]
                }
            },
        },
    }
    writer = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": pod, "namespace": NAMESPACE, "labels": {"app": "minio-conformance-probe"}},
        "spec": {
            "restartPolicy": "Never",
            "containers": [
                {
                    "name": "w",
                    "image": live_cluster.cfg.images.helper or "busybox:1.35",
                    "imagePullPolicy": "IfNotPresent",
                    "command": ["/bin/sh", "-c", "echo kept > /v/probe.txt"],
                    "volumeMounts": [{"name": "v", "mountPath": "/v"}],
                }
            ],
            "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": claim}}],
        },
    }
    try:
        live_cluster.kubectl("apply", "-f", "-", input_text=dump_documents([pv, _claim(claim, pv_name), writer]))
        live_cluster.kubectl(
            "wait",
            "--for=jsonpath={.status.phase}=Succeeded",
            f"pod/{pod}",
            "-n",
            NAMESPACE,
            "--timeout=120s",
            timeout=150,
        )
        live_cluster.kubectl("delete", "pod", pod, "-n", NAMESPACE, "--wait=true", timeout=120)
        live_cluster.kubectl("delete", "pvc", claim, "-n", NAMESPACE, "--wait=true", timeout=120)
        phase = None
        for _ in range(15):
            phase = live_cluster.kube.core.read_persistent_volume(pv_name).status.phase
            if phase == "Released":
                break
            time.sleep(1)
        kept = host.file(f"{path}/probe.txt").exists and "kept" in host.file(f"{path}/probe.txt").content_string
    finally:
        live_cluster.kubectl("delete", "pod", pod, "-n", NAMESPACE, "--wait=false", check=False)
        live_cluster.kubectl("delete", "pvc", claim, "-n", NAMESPACE, "--wait=false", check=False)
        live_cluster.kubectl("delete", "pv", pv_name, "--wait=false", check=False)
        host.run(f"rm -rf {path}")
    assert_verdict(request, released_volume_kept(phase, kept), live_target)
