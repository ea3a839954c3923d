"""OPS: operations practice from 001 (advisory unless --minio-strict)."""

import time
from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict
from fixtures.faults import partitioned_rollout
from fixtures.http import status_from_probe
from fixtures.live import LiveCluster, LiveTarget
from minio_conformance.checks.operations import metrics_answer, rolling_update_order
from minio_conformance.tokens import prometheus_token


@pytest.mark.static
@pytest.mark.requirement("OPS-1")
def test_disruption_budget_keeps_write_quorum(prove_static: Callable[[str], None]) -> None:
    """A PDB for app=minio that never lets write quorum go."""
    prove_static("OPS-1")


@pytest.mark.static
@pytest.mark.requirement("OPS-2")
def test_graceful_shutdown(prove_static: Callable[[str], None]) -> None:
    """A grace period or preStop hook lets MinIO finish in-flight requests."""
    prove_static("OPS-2")


@pytest.mark.live
@pytest.mark.requirement("OPS-3")
def test_cluster_metrics_answer(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, probe_pod: str
) -> None:
    """/minio/v2/metrics/cluster answers an authorised scrape (bearer token as `mc admin prometheus generate`)."""
    access, secret = live_cluster.credentials()
    token = prometheus_token(access, secret, int(time.time()))
    live_target.redactor.add(token)
    url = f"http://{live_cluster.api_service}.{live_cluster.namespace}.svc.cluster.local:9000/minio/v2/metrics/cluster"
    with_token = status_from_probe(live_cluster, probe_pod, url, {"Authorization": f"Bearer {token}"})
    without = status_from_probe(live_cluster, probe_pod, url)
    assert_verdict(request, metrics_answer(with_token, without), live_target)


@pytest.mark.disruptive
@pytest.mark.requirement("OPS-5")
def test_rolling_update_highest_ordinal_first_and_partition_holds(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """A template change under partition N-1 updates only minio-(N-1); lifting it rolls the rest N-2..0."""
    seen = partitioned_rollout(live_cluster)
    verdict = rolling_update_order(
        seen.replicas, seen.partition_phase, seen.order, live_cluster.names, seen.strategy_type
    )
    assert_verdict(request, verdict, live_target)
