"""STS: the MinIO StatefulSet (000 §8, 001)."""

from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict
from fixtures.faults import scale_in_order
from fixtures.live import LiveCluster, LiveTarget
from minio_conformance.checks.statefulset import ordered_start, pods_on_distinct_nodes, scale_down_order


@pytest.mark.static
@pytest.mark.requirement("STS-1")
def test_statefulset_identity(prove_static: Callable[[str], None]) -> None:
    """Name minio, serviceName minio-headless, selector app=minio, replicas per TOP-2."""
    prove_static("STS-1")


@pytest.mark.static
@pytest.mark.requirement("STS-2")
def test_server_command_and_args(prove_static: Callable[[str], None]) -> None:
    """minio server ... --console-address :9001 and every pod URL in distributed mode."""
    prove_static("STS-2")


@pytest.mark.static
@pytest.mark.requirement("STS-3")
def test_runs_as_user_1000(prove_static: Callable[[str], None]) -> None:
    """MinIO runs as user 1000, never root."""
    prove_static("STS-3")


@pytest.mark.static
@pytest.mark.requirement("STS-4")
def test_required_pod_anti_affinity(prove_static: Callable[[str], None]) -> None:
    """Required anti-affinity on hostname keeps pods on distinct nodes."""
    prove_static("STS-4")


@pytest.mark.static
@pytest.mark.requirement("STS-5")
def test_data_claim_template(prove_static: Callable[[str], None]) -> None:
    """One RWO claim per pod of class minio-local-storage, mounted at /data."""
    prove_static("STS-5")


@pytest.mark.static
@pytest.mark.requirement("STS-6")
def test_resources_requested_and_limited(prove_static: Callable[[str], None]) -> None:
    """Requests and limits for CPU and memory on every container."""
    prove_static("STS-6")


@pytest.mark.static
@pytest.mark.requirement("STS-7")
def test_ordered_ready_pod_management(prove_static: Callable[[str], None]) -> None:
    """OrderedReady: pods start one after another."""
    prove_static("STS-7")


@pytest.mark.live
@pytest.mark.requirement("STS-8")
def test_pods_started_in_ordinal_order(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """minio-0..N-1, each created only after the previous one was Ready (timeline of the deploy)."""
    verdict = ordered_start(live_cluster.record.pods, live_cluster.record.replicas, live_cluster.names)
    assert_verdict(request, verdict, live_target)


@pytest.mark.live
@pytest.mark.requirement("STS-9")
def test_no_two_pods_share_a_node(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """Required anti-affinity, as scheduled: one MinIO pod per node."""
    verdict = pods_on_distinct_nodes("STS-9", live_cluster.minio_pods(), live_cluster.record.replicas)
    assert_verdict(request, verdict, live_target)


@pytest.mark.disruptive
@pytest.mark.requirement("STS-8")
def test_scale_in_removes_highest_ordinal_first(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """Scaling in by one (or two) removes the highest ordinal(s) first; scaling back restores the set."""
    seen = scale_in_order(live_cluster)
    assert_verdict(request, scale_down_order(seen.before, seen.removal, seen.target), live_target)
