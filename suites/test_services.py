"""SVC: the headless and NodePort Services (000 §7)."""

from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict
from fixtures.http import resolve_from_probe, status_from_host
from fixtures.live import LiveCluster, LiveTarget
from fixtures.s3 import node_addresses
from minio_conformance.checks.services import endpoints_cover_ready_pods, node_ports_answer, pod_dns_resolves


@pytest.mark.static
@pytest.mark.requirement("SVC-1")
def test_headless_service(prove_static: Callable[[str], None]) -> None:
    """clusterIP None, app=minio, ports api 9000 and console 9001."""
    prove_static("SVC-1")


@pytest.mark.static
@pytest.mark.requirement("SVC-2")
def test_node_ports(prove_static: Callable[[str], None]) -> None:
    """S3 API on 30900, console on 30901."""
    prove_static("SVC-2")


@pytest.mark.live
@pytest.mark.requirement("SVC-3")
def test_node_ports_reachable_from_outside_via_every_node(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """From this machine: S3 health on <node>:30900 and the console on <node>:30901, for every node."""
    names = live_cluster.names
    api, console = names.api_node_port, names.console_node_port
    results = {}
    for node, ip in sorted(node_addresses(live_cluster.kube.nodes()).items()):
        results[node] = {
            api: status_from_host(f"http://{ip}:{api}/minio/health/live"),
            console: status_from_host(f"http://{ip}:{console}/"),
        }
    assert_verdict(request, node_ports_answer(results, names), live_target)


@pytest.mark.live
@pytest.mark.requirement("SVC-4")
def test_pod_dns_names_resolve_in_cluster(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, probe_pod: str
) -> None:
    """minio-<i>.minio-headless.minio-system.svc.cluster.local resolves to each pod, from a pod."""
    pods = live_cluster.minio_pods()
    answers = {}
    for pod in pods:
        host = live_cluster.names.pod_host(int(pod["metadata"]["name"].rsplit("-", 1)[1]))
        answers[host] = resolve_from_probe(live_cluster, probe_pod, host)
    verdict = pod_dns_resolves(answers, pods, live_cluster.namespace, live_cluster.names)
    assert_verdict(request, verdict, live_target)


@pytest.mark.live
@pytest.mark.requirement("SVC-5")
def test_every_service_has_an_endpoint_per_ready_pod(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """Each MinIO Service's EndpointSlices list every ready pod and no unready one."""
    kube = live_cluster.kube
    services = kube.services()
    slices = kube.endpoint_slices()
    assert_verdict(request, endpoints_cover_ready_pods(services, slices, live_cluster.minio_pods()), live_target)
