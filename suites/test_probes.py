"""PRB: health probes (000 §9)."""

from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict
from fixtures.http import status_from_probe
from fixtures.live import LiveCluster, LiveTarget
from minio_conformance.checks.probes import health_endpoints_answer


@pytest.mark.static
@pytest.mark.requirement("PRB-1")
def test_liveness_probe(prove_static: Callable[[str], None]) -> None:
    """httpGet /minio/health/live :9000, delay 30 s, period 30 s."""
    prove_static("PRB-1")


@pytest.mark.static
@pytest.mark.requirement("PRB-2")
def test_readiness_probe(prove_static: Callable[[str], None]) -> None:
    """httpGet /minio/health/ready :9000, delay 10 s, period 10 s."""
    prove_static("PRB-2")


@pytest.mark.live
@pytest.mark.requirement("PRB-3")
def test_health_endpoints_answer_on_every_pod(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, probe_pod: str
) -> None:
    """/minio/health/live and /minio/health/ready answer 200 on every pod's own address."""
    results = {}
    for pod in live_cluster.minio_pods():
        ip = pod["status"].get("podIP")
        results[pod["metadata"]["name"]] = {
            path: status_from_probe(live_cluster, probe_pod, f"http://{ip}:9000{path}")
            for path in ("/minio/health/live", "/minio/health/ready")
        }
    assert_verdict(request, health_endpoints_answer(results), live_target)
