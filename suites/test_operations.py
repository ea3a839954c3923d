"""OPS: operations practice from 001 (advisory unless --minio-strict)."""

import time
from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict
from fixtures.http import status_from_probe
from fixtures.kube import wait_for
from fixtures.live import LiveCluster, LiveTarget
from minio_conformance.checks.operations import metrics_answer, rolling_update_order
from minio_conformance.objects import NAMESPACE
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
    url = f"http://minio-api.{NAMESPACE}.svc.cluster.local:9000/minio/v2/metrics/cluster"
    with_token = status_from_probe(live_cluster, probe_pod, url, {"Authorization": f"Bearer {token}"})
    without = status_from_probe(live_cluster, probe_pod, url)
    assert_verdict(request, metrics_answer(with_token, without), live_target)


def _revisions(live_cluster: LiveCluster) -> dict[str, str]:
    return {
        p["metadata"]["name"]: p["metadata"]["labels"].get("controller-revision-hash", "")
        for p in live_cluster.kube.pods()
        if not p["metadata"].get("deletionTimestamp")
    }


@pytest.mark.disruptive
@pytest.mark.requirement("OPS-5")
def test_rolling_update_highest_ordinal_first_and_partition_holds(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """A template change under partition N-1 updates only minio-(N-1); lifting it rolls the rest N-2..0."""
    kube = live_cluster.kube
    replicas = live_cluster.record.replicas
    old = _revisions(live_cluster)
    patch = {
        "spec": {
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": replicas - 1}},
            "template": {"metadata": {"annotations": {"minio-conformance.io/rolled-at": str(time.time())}}},
        }
    }
    kube.apps.patch_namespaced_stateful_set("minio", NAMESPACE, patch)
    top = f"minio-{replicas - 1}"

    def all_ready() -> bool:
        return kube.minio_ready(replicas)

    try:
        wait_for(
            f"{top} updated and Ready",
            lambda: _revisions(live_cluster).get(top, old[top]) != old[top] and all_ready(),
            300,
        )
        time.sleep(5)
        now = _revisions(live_cluster)
        partition_phase = {pod: now.get(pod) != rev for pod, rev in old.items()}
        order: list[str] = []
        kube.apps.patch_namespaced_stateful_set(
            "minio", NAMESPACE, {"spec": {"updateStrategy": {"rollingUpdate": {"partition": 0}}}}
        )

        def rolled() -> bool:
            current = _revisions(live_cluster)
            for pod, rev in old.items():
                if pod != top and pod not in order and current.get(pod) not in (None, rev):
                    order.append(pod)
            return len(order) == replicas - 1 and all_ready()

        wait_for("the rolling update to finish", rolled, 120 + 90 * replicas, interval=1)
    finally:
        kube.apps.patch_namespaced_stateful_set(
            "minio", NAMESPACE, {"spec": {"updateStrategy": {"rollingUpdate": {"partition": 0}}}}
        )
        wait_for("all pods Ready", all_ready, 300)
    assert_verdict(request, rolling_update_order(replicas, partition_phase, order), live_target)
