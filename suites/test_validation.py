"""VAL: step 10 validation (000 §10) on the running deployment."""

from __future__ import annotations

import pytest

from fixtures.evidence import assert_verdict
from fixtures.live import LiveCluster, LiveTarget
from minio_conformance.checks.statefulset import pods_on_distinct_nodes
from minio_conformance.checks.validation import claims_bound, ready_within, services_have_endpoints


@pytest.mark.live
@pytest.mark.requirement("VAL-1")
def test_pods_ready_within_300_s(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """`kubectl wait --timeout=300s` of 000 §10: every pod Ready within 300 s of the apply."""
    assert_verdict(request, ready_within(live_cluster.record.all_ready_after_s), live_target)


@pytest.mark.live
@pytest.mark.requirement("VAL-2")
def test_pods_spread_over_nodes(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """`get pods -o wide` of 000 §10 shows each pod on a different node."""
    verdict = pods_on_distinct_nodes("VAL-2", live_cluster.minio_pods(), live_cluster.record.replicas)
    assert_verdict(request, verdict, live_target)


@pytest.mark.live
@pytest.mark.requirement("VAL-3")
def test_services_have_endpoints(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """Every MinIO Service has at least one ready endpoint."""
    kube = live_cluster.kube
    services = kube.services(selector="app=minio")
    slices = kube.endpoint_slices()
    assert_verdict(request, services_have_endpoints(services, slices), live_target)


@pytest.mark.live
@pytest.mark.requirement("VAL-4")
def test_claims_bound(request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget) -> None:
    """Every data-minio-<i> claim (data-<statefulset>-<i>) is Bound."""
    claims = [c for c in live_cluster.kube.claims() if c["metadata"]["name"].startswith(live_cluster.kube.claim_prefix)]
    assert_verdict(request, claims_bound(claims, live_cluster.record.replicas, live_cluster.names), live_target)
