"""STO, PREP, PV: local storage (000 §4-§6)."""

from collections.abc import Callable
from typing import Any

import pytest

from fixtures.evidence import assert_verdict
from fixtures.faults import released_volume, unconsumed_claim
from fixtures.live import LiveCluster, LiveTarget
from fixtures.nodes import stat_directory
from minio_conformance.checks.storage import (
    claim_waits_for_consumer,
    claims_pinned_to_pod_nodes,
    released_volume_kept,
    storage_directories,
    storage_prep_per_node,
)


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
    claims, pvs = kube.claims(), kube.persistent_volumes(selector="app=minio")
    verdict = claims_pinned_to_pod_nodes("PV-2", live_cluster.minio_pods(), claims, pvs)
    assert_verdict(request, verdict, live_target)


@pytest.mark.live
@pytest.mark.requirement("STO-2")
def test_claim_pending_until_a_pod_uses_it(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, worker_id: str
) -> None:
    """WaitForFirstConsumer: a claim nobody uses stays Pending (and says why)."""
    seen = unconsumed_claim(live_cluster, worker_id)
    assert_verdict(request, claim_waits_for_consumer(seen.phases, seen.reasons), live_target)


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
    seen = released_volume(live_cluster, node_hosts, worker_id)
    assert_verdict(request, released_volume_kept(seen.phase, seen.kept), live_target)
