"""The live judges pass on a healthy cluster's answers and fail on each kind of bad answer.

The live fixtures only gather observations; these pure functions decide. Each judge is
fed small plain dicts shaped like Kubernetes objects: one good case, and one bad case per
kind of finding it can produce, pinned by the finding's text. The judges live in their
families' modules (`minio_conformance/checks/<family>.py`), named in each section's header.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from minio_conformance.checks.clean_slate import namespace_cleaned, volumes_cleaned
from minio_conformance.checks.common import pvcs
from minio_conformance.checks.credentials import s3_access
from minio_conformance.checks.operations import claims_retained, metrics_answer, rolling_update_order
from minio_conformance.checks.preflight import cluster_answers, permissions_granted, preflight_tools
from minio_conformance.checks.probes import health_endpoints_answer, liveness_recovery
from minio_conformance.checks.services import endpoints_cover_ready_pods, node_ports_answer, pod_dns_resolves
from minio_conformance.checks.statefulset import ordered_start, pods_on_distinct_nodes, scale_down_order
from minio_conformance.checks.storage import (
    claim_waits_for_consumer,
    claims_pinned_to_pod_nodes,
    released_volume_kept,
    storage_directories,
    storage_prep_per_node,
)
from minio_conformance.checks.validation import claims_bound, ready_within, services_have_endpoints
from minio_conformance.verdict import Status, Verdict

pytestmark = pytest.mark.unit

Obj = dict[str, Any]
NS = "minio-system"
CP_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def messages(v: Verdict) -> str:
    return "\n".join(str(f) for f in v.findings)


def failed_with(v: Verdict, fragment: str) -> bool:
    """Failed with exactly one finding, and that finding is the one named by `fragment`."""
    return v.status is Status.FAILED and len(v.findings) == 1 and fragment in messages(v)


def pod(name: str, node: str | None = None, ip: str | None = None, ready: bool = True, restarts: int = 0) -> Obj:
    spec = {"nodeName": node} if node else {}
    status: Obj = {
        "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        "containerStatuses": [{"restartCount": restarts}],
    }
    if ip:
        status["podIP"] = ip
    return {"kind": "Pod", "metadata": {"name": name, "labels": {"app": "minio"}}, "spec": spec, "status": status}


def node(name: str, control_plane: bool = False) -> Obj:
    return {"kind": "Node", "metadata": {"name": name}, "spec": {"taints": [CP_TAINT]} if control_plane else {}}


def service(name: str, app: str = "minio", publish_not_ready: bool = False) -> Obj:
    spec: Obj = {"selector": {"app": app}}
    if publish_not_ready:
        spec["publishNotReadyAddresses"] = True
    return {"kind": "Service", "metadata": {"name": name}, "spec": spec}


def endpoint_slice(svc: str, *endpoints: tuple[str, bool]) -> Obj:
    return {
        "kind": "EndpointSlice",
        "metadata": {"name": f"{svc}-abc", "labels": {"kubernetes.io/service-name": svc}},
        "endpoints": [{"addresses": [ip], "conditions": {"ready": ready}} for ip, ready in endpoints],
    }


def claim(name: str, phase: str = "Bound", volume: str | None = None) -> Obj:
    return {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name},
        "spec": {"volumeName": volume} if volume else {},
        "status": {"phase": phase},
    }


def pv(name: str, *hosts: str) -> Obj:
    term = {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": list(hosts)}]}
    return {
        "kind": "PersistentVolume",
        "metadata": {"name": name, "labels": {"app": "minio"}},
        "spec": {"nodeAffinity": {"required": {"nodeSelectorTerms": [term]}}} if hosts else {},
    }


# --- pods_on_distinct_nodes (STS-9 / VAL-2) [checks/statefulset.py] -----------------------


def test_pods_on_distinct_nodes_passes_one_pod_per_node() -> None:
    v = pods_on_distinct_nodes("STS-9", [pod("minio-0", "w1"), pod("minio-1", "w2")], 2)
    assert v.status is Status.PASSED
    assert v.requirement == "STS-9"


@pytest.mark.parametrize(
    ("pods", "fragment"),
    [
        ([pod("minio-0", "w1")], "1 MinIO pod(s), expected 2"),
        ([pod("minio-0", "w1"), pod("minio-1")], "pods not scheduled: ['minio-1']"),
        ([pod("minio-0", "w1"), pod("minio-1", "w1")], "2 pods share node w1: ['minio-0', 'minio-1']"),
    ],
    ids=["wrong-count", "unscheduled", "shared-node"],
)
def test_pods_on_distinct_nodes_fails(pods: list[Obj], fragment: str) -> None:
    assert failed_with(pods_on_distinct_nodes("VAL-2", pods, 2), fragment)


# --- ordered_start (STS-8) [checks/statefulset.py] ----------------------------------------


def step(name: str, created: str, ready: str | None) -> dict[str, str | None]:
    return {"name": name, "created": created, "ready": ready}


GOOD_TIMELINE = [
    step("minio-1", "2026-01-01T00:00:20Z", "2026-01-01T00:00:30Z"),
    step("minio-0", "2026-01-01T00:00:00Z", "2026-01-01T00:00:10Z"),
    step("minio-2", "2026-01-01T00:00:30Z", "2026-01-01T00:00:40Z"),
]


def test_ordered_start_passes_when_each_pod_waits_for_its_predecessor() -> None:
    v = ordered_start(GOOD_TIMELINE, 3)
    assert v.status is Status.PASSED
    assert [t["name"] for t in v.evidence["timeline"]] == ["minio-0", "minio-1", "minio-2"]


@pytest.mark.parametrize(
    ("timeline", "fragment"),
    [
        (GOOD_TIMELINE[:2], "pods are ['minio-0', 'minio-1'], expected minio-0..minio-2"),
        (
            [step("minio-0", "2026-01-01T00:00:00Z", None), *GOOD_TIMELINE[::2]],
            "Pod minio-0: minio-0 never became Ready",
        ),
        (
            [GOOD_TIMELINE[1], step("minio-1", "2026-01-01T00:00:05Z", "2026-01-01T00:00:30Z"), GOOD_TIMELINE[2]],
            "minio-1 was created at 2026-01-01T00:00:05Z, before minio-0 was Ready (2026-01-01T00:00:10Z)",
        ),
        (
            [*GOOD_TIMELINE[:2], step("minio-2", "2026-01-01T00:00:30Z", None)],
            "Pod minio-2: minio-2 never became Ready",
        ),
    ],
    ids=["missing-pod", "never-ready", "created-too-early", "last-never-ready"],
)
def test_ordered_start_fails(timeline: list[Mapping[str, Any]], fragment: str) -> None:
    assert failed_with(ordered_start(timeline, 3), fragment)


# --- scale_down_order (STS-8) [checks/statefulset.py] -------------------------------------

FOUR = ["minio-0", "minio-1", "minio-2", "minio-3"]


def test_scale_down_order_passes_highest_first() -> None:
    assert scale_down_order(FOUR, ["minio-3", "minio-2"], 2).status is Status.PASSED


@pytest.mark.parametrize(
    "removed",
    [["minio-2", "minio-3"], ["minio-3"], ["minio-3", "minio-2", "minio-1"]],
    ids=["lowest-first", "too-few", "too-many"],
)
def test_scale_down_order_fails(removed: list[str]) -> None:
    v = scale_down_order(FOUR, removed, 2)
    assert failed_with(v, f"pods were removed in the order {removed}, expected ['minio-3', 'minio-2']")


def test_scale_down_order_with_nothing_to_remove_proves_nothing() -> None:
    assert failed_with(scale_down_order(["minio-0"], [], 1), "nothing observed: no pod above ordinal 0")


# --- storage_prep_per_node (PREP-1) [checks/storage.py] -----------------------------------

NODES = [node("cp", control_plane=True), node("w1"), node("w2")]


def test_storage_prep_per_node_passes_one_ready_pod_per_schedulable_node() -> None:
    v = storage_prep_per_node([pod("prep-a", "w1"), pod("prep-b", "w2")], NODES)
    assert v.status is Status.PASSED
    assert v.evidence["schedulable nodes"] == ["w1", "w2"]


@pytest.mark.parametrize(
    ("pods", "fragment"),
    [
        ([pod("prep-a", "w1")], "0 storage-prep pod(s) on schedulable node w2"),
        (
            [pod("prep-a", "w1"), pod("prep-b", "w2"), pod("prep-c", "w2")],
            "2 storage-prep pod(s) on schedulable node w2",
        ),
        (
            [pod("prep-a", "w1"), pod("prep-b", "w2"), pod("prep-c", "cp")],
            "storage-prep pod on non-schedulable node cp",
        ),
        (
            [pod("prep-a", "w1"), pod("prep-b", "w2", ready=False, restarts=4)],
            "Pod prep-b: storage-prep pod is not Ready (4 restarts)",
        ),
        (
            [pod("prep-a", "w1"), pod("prep-b", "w2"), pod("prep-c", ready=False)],
            "Pod prep-c: storage-prep pod is not scheduled to any node",
        ),
    ],
    ids=["missing", "duplicate", "on-control-plane", "not-ready", "unscheduled"],
)
def test_storage_prep_per_node_fails(pods: list[Obj], fragment: str) -> None:
    assert failed_with(storage_prep_per_node(pods, NODES), fragment)


def test_storage_prep_per_node_reports_unscheduled_beside_misplaced_pods_without_crashing() -> None:
    pods = [pod("prep-a", "w1"), pod("prep-b", "w2"), pod("prep-c", "cp"), pod("prep-d", ready=False)]
    v = storage_prep_per_node(pods, NODES)
    assert v.status is Status.FAILED
    assert [str(f) for f in v.findings] == [
        "Pod: storage-prep pod on non-schedulable node cp",
        "Pod prep-d: storage-prep pod is not scheduled to any node",
    ]
    assert v.evidence["pods per node"] == {"w1": 1, "w2": 1, "cp": 1}
    assert v.evidence["unscheduled pods"] == ["prep-d"]


# --- storage_directories (PREP-2) [checks/storage.py] -------------------------------------

GOOD_DIR = {"exists": True, "is_directory": True, "mode": 0o755, "uid": 1000, "gid": 1000}


def test_storage_directories_passes_and_shows_mode_in_octal() -> None:
    v = storage_directories({"w1": GOOD_DIR, "w2": GOOD_DIR})
    assert v.status is Status.PASSED
    assert v.evidence["stat"]["w1"]["mode"] == "0o755"


@pytest.mark.parametrize(
    ("stat", "fragment"),
    [
        ({"exists": False}, "Node w1: /mnt/minio-data does not exist"),
        ({**GOOD_DIR, "is_directory": False}, "Node w1: /mnt/minio-data is not a directory"),
        ({**GOOD_DIR, "mode": 0o777}, "mode is 0o777, expected 0o755"),
        ({**GOOD_DIR, "uid": 0}, "owner is 0:1000, expected 1000:1000"),
    ],
    ids=["absent", "not-directory", "mode", "owner"],
)
def test_storage_directories_fails(stat: Obj, fragment: str) -> None:
    assert failed_with(storage_directories({"w1": stat}), fragment)


def test_storage_directories_fails_when_nothing_was_inspected() -> None:
    assert failed_with(storage_directories({}), "no node was inspected")


# --- node_ports_answer (SVC-3) [checks/services.py] ---------------------------------------


def test_node_ports_answer_passes_on_200_everywhere() -> None:
    v = node_ports_answer({"w1": {30900: 200, 30901: 200}, "w2": {30900: 200, 30901: 200}})
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    ("ports", "fragment"),
    [
        ({30900: 503, 30901: 200}, "Node w1: port 30900 answered 503, expected HTTP 200"),
        ({30900: 200, 30901: "connection refused"}, "port 30901 answered 'connection refused'"),
        ({30900: 200}, "port 30901 answered None"),
    ],
    ids=["s3-unhealthy", "console-refused", "console-unprobed"],
)
def test_node_ports_answer_fails(ports: dict[int, int | str], fragment: str) -> None:
    assert failed_with(node_ports_answer({"w1": ports}), fragment)


def test_node_ports_answer_fails_when_no_node_was_probed() -> None:
    assert failed_with(node_ports_answer({}), "Node: nothing observed: no node was probed")


# --- pod_dns_resolves (SVC-4) [checks/services.py] ----------------------------------------

HOST0 = f"minio-0.minio-headless.{NS}.svc.cluster.local"


def test_pod_dns_resolves_passes_when_name_points_at_pod_ip() -> None:
    v = pod_dns_resolves({HOST0: ["10.0.0.5"]}, [pod("minio-0", "w1", "10.0.0.5")], NS)
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ({}, f"Pod minio-0: {HOST0} did not resolve"),
        ({HOST0: ["10.0.0.9"]}, f"{HOST0} resolved to ['10.0.0.9'], not the pod's IP 10.0.0.5"),
    ],
    ids=["no-answer", "wrong-ip"],
)
def test_pod_dns_resolves_fails(answers: dict[str, list[str]], fragment: str) -> None:
    assert failed_with(pod_dns_resolves(answers, [pod("minio-0", "w1", "10.0.0.5")], NS), fragment)


def test_pod_dns_resolves_fails_when_there_is_no_pod() -> None:
    v = pod_dns_resolves({HOST0: ["10.0.0.5"]}, [], NS)
    assert failed_with(v, "Pod: nothing observed: no MinIO pod to resolve")


# --- endpoints_cover_ready_pods (SVC-5) [checks/services.py] ------------------------------

READY_PODS = [pod("minio-0", "w1", "10.0.0.1"), pod("minio-1", "w2", "10.0.0.2", ready=False)]


def test_endpoints_cover_ready_pods_passes_and_ignores_other_services() -> None:
    services = [service("minio-api"), service("other", app="nginx")]
    slices = [endpoint_slice("minio-api", ("10.0.0.1", True), ("10.0.0.2", False))]
    v = endpoints_cover_ready_pods(services, slices, READY_PODS)
    assert v.status is Status.PASSED
    assert v.evidence["ready endpoints"] == {"minio-api": ["10.0.0.1"]}


def test_endpoints_cover_ready_pods_allows_unready_on_publish_not_ready_service() -> None:
    slices = [endpoint_slice("minio-headless", ("10.0.0.1", True), ("10.0.0.2", True))]
    v = endpoints_cover_ready_pods([service("minio-headless", publish_not_ready=True)], slices, READY_PODS)
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    ("endpoints", "fragment"),
    [
        ([("10.0.0.1", False)], "Service minio-api: no endpoint for ready pod IP(s) ['10.0.0.1']"),
        (
            [("10.0.0.1", True), ("10.0.0.2", True)],
            "Service minio-api: ready endpoint for unready pod IP(s) ['10.0.0.2']",
        ),
    ],
    ids=["ready-pod-missing", "unready-pod-served"],
)
def test_endpoints_cover_ready_pods_fails(endpoints: list[tuple[str, bool]], fragment: str) -> None:
    slices = [endpoint_slice("minio-api", *endpoints)]
    assert failed_with(endpoints_cover_ready_pods([service("minio-api")], slices, READY_PODS), fragment)


@pytest.mark.parametrize(
    ("services", "pods", "fragment"),
    [
        ([], READY_PODS, "Service: nothing observed: no Service selects app=minio"),
        ([service("other", app="nginx")], READY_PODS, "Service: nothing observed: no Service selects app=minio"),
        ([service("minio-api")], [], "Pod: nothing observed: no MinIO pod"),
    ],
    ids=["no-service", "only-foreign-service", "no-pod"],
)
def test_endpoints_cover_ready_pods_fails_when_nothing_was_observed(
    services: list[Obj], pods: list[Obj], fragment: str
) -> None:
    slices = [endpoint_slice("minio-api", ("10.0.0.1", True)), endpoint_slice("other", ("10.0.0.9", True))]
    assert failed_with(endpoints_cover_ready_pods(services, slices, pods), fragment)


# --- services_have_endpoints (VAL-3) [checks/validation.py] -------------------------------


def test_services_have_endpoints_passes() -> None:
    v = services_have_endpoints([service("minio-api")], [endpoint_slice("minio-api", ("10.0.0.1", True))])
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    "slices",
    [[], [endpoint_slice("minio-api", ("10.0.0.1", False))], [endpoint_slice("minio-console", ("10.0.0.1", True))]],
    ids=["no-slice", "only-unready", "other-service"],
)
def test_services_have_endpoints_fails(slices: list[Obj]) -> None:
    assert failed_with(services_have_endpoints([service("minio-api")], slices), "Service minio-api: no ready")


def test_services_have_endpoints_fails_when_there_is_no_service() -> None:
    slices = [endpoint_slice("minio-api", ("10.0.0.1", True))]
    assert failed_with(services_have_endpoints([], slices), "Service: nothing observed: no MinIO Service")


# --- claims_bound (VAL-4) [checks/validation.py] ------------------------------------------


def test_claims_bound_passes() -> None:
    assert claims_bound([claim("data-minio-0"), claim("data-minio-1")], 2).status is Status.PASSED


@pytest.mark.parametrize(
    ("claims", "fragment"),
    [
        (
            [claim("data-minio-0"), claim("data-minio-1", "Pending")],
            "PersistentVolumeClaim data-minio-1: claim is Pending",
        ),
        ([claim("data-minio-0")], "claim data-minio-1 does not exist"),
    ],
    ids=["pending", "missing"],
)
def test_claims_bound_fails(claims: list[Obj], fragment: str) -> None:
    assert failed_with(claims_bound(claims, 2), fragment)


# --- claims_pinned_to_pod_nodes (PV-2 / PV-3) [checks/storage.py] -------------------------


def test_claims_pinned_to_pod_nodes_passes() -> None:
    v = claims_pinned_to_pod_nodes(
        "PV-2", [pod("minio-0", "w1")], [claim("data-minio-0", volume="pv-0")], [pv("pv-0", "w1")]
    )
    assert v.status is Status.PASSED
    assert v.evidence["minio-0"]["pv pinned to"] == ["w1"]


@pytest.mark.parametrize(
    ("claims", "pvs", "fragment"),
    [
        ([claim("data-minio-0", "Pending")], [pv("pv-0", "w1")], "claim data-minio-0 is not bound to a MinIO PV"),
        ([claim("data-minio-0", volume="pv-x")], [pv("pv-0", "w1")], "claim data-minio-0 is not bound to a MinIO PV"),
        ([claim("data-minio-0", volume="pv-0")], [pv("pv-0", "w2")], "runs on w1 but its PV pv-0 is pinned to ['w2']"),
        ([claim("data-minio-0", volume="pv-0")], [pv("pv-0")], "runs on w1 but its PV pv-0 is pinned to []"),
    ],
    ids=["unbound", "foreign-pv", "pinned-elsewhere", "not-pinned"],
)
def test_claims_pinned_to_pod_nodes_fails(claims: list[Obj], pvs: list[Obj], fragment: str) -> None:
    assert failed_with(claims_pinned_to_pod_nodes("PV-3", [pod("minio-0", "w1")], claims, pvs), fragment)


def test_claims_pinned_with_no_pods_proves_nothing() -> None:
    assert failed_with(claims_pinned_to_pod_nodes("PV-2", [], [], []), "nothing observed: no MinIO pod")


# --- health_endpoints_answer (PRB-3) [checks/probes.py] -----------------------------------

HEALTH_OK = {"/minio/health/live": 200, "/minio/health/ready": 200}


def test_health_endpoints_answer_passes() -> None:
    assert health_endpoints_answer({"minio-0": HEALTH_OK}).status is Status.PASSED


@pytest.mark.parametrize(
    ("results", "fragment"),
    [
        ({"minio-0": {**HEALTH_OK, "/minio/health/ready": 503}}, "Pod minio-0: /minio/health/ready answered 503"),
        ({"minio-0": {"/minio/health/ready": 200}}, "/minio/health/live answered None"),
        ({}, "no pod was probed"),
    ],
    ids=["not-ready", "live-unprobed", "nothing-probed"],
)
def test_health_endpoints_answer_fails(results: dict[str, dict[str, int | str]], fragment: str) -> None:
    assert failed_with(health_endpoints_answer(results), fragment)


# --- ready_within (VAL-1) [checks/validation.py] ------------------------------------------


@pytest.mark.parametrize("seconds", [0.0, 120.0, 300.0])
def test_ready_within_passes_up_to_the_limit(seconds: float) -> None:
    assert ready_within(seconds).status is Status.PASSED


@pytest.mark.parametrize(
    ("seconds", "fragment"),
    [(None, "pods were not all Ready within 300 s"), (301.0, "all pods Ready after 301 s, more than 300 s")],
    ids=["never", "too-slow"],
)
def test_ready_within_fails(seconds: float | None, fragment: str) -> None:
    assert failed_with(ready_within(seconds), fragment)


# --- s3_access (SEC-3) [checks/credentials.py] --------------------------------------------


@pytest.mark.parametrize("code", ["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"])
def test_s3_access_passes_when_good_keys_work_and_bad_keys_are_refused(code: str) -> None:
    assert s3_access({"boto3": "ok", "mc": "ok"}, {"boto3": code}).status is Status.PASSED


@pytest.mark.parametrize(
    ("accepted", "refused", "fragment"),
    [
        (
            {"boto3": "AccessDenied"},
            {"boto3": "AccessDenied"},
            "boto3: request with the Secret's credentials failed: AccessDenied",
        ),
        ({"mc": "ok"}, {"mc": "ok"}, "mc: request with wrong credentials was not refused (got 'ok')"),
        ({"mc": "ok"}, {"mc": "InternalError"}, "not refused (got 'InternalError')"),
        ({}, {"mc": "AccessDenied"}, "S3: nothing observed: no request with the Secret's credentials"),
        ({"mc": "ok"}, {}, "S3: nothing observed: no request with wrong credentials"),
    ],
    ids=["good-keys-refused", "bad-keys-accepted", "bad-keys-other-error", "no-good-request", "no-bad-request"],
)
def test_s3_access_fails(accepted: dict[str, str], refused: dict[str, str], fragment: str) -> None:
    assert failed_with(s3_access(accepted, refused), fragment)


def test_s3_access_fails_when_nothing_was_requested() -> None:
    v = s3_access({}, {})
    assert v.status is Status.FAILED
    assert [str(f) for f in v.findings] == [
        "S3: nothing observed: no request with the Secret's credentials",
        "S3: nothing observed: no request with wrong credentials",
    ]


# --- preflight_tools (PRE-1) [checks/preflight.py] ----------------------------------------


def test_preflight_tools_passes_with_tools_and_a_one_line_message() -> None:
    v = preflight_tools({"kubectl": "/usr/bin/kubectl", "kind": "/usr/bin/kind"}, ["kubectl", "kind"], "ok\n")
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    ("found", "error", "fragment"),
    [
        ({"kubectl": None}, "kubectl is missing", "kubectl: kubectl not found"),
        ({}, None, "kubectl: kubectl not found"),
        ({"kubectl": "/usr/bin/kubectl"}, "first line\nsecond line", "the prerequisite message is not one line"),
    ],
    ids=["tool-none", "tool-absent", "multi-line-message"],
)
def test_preflight_tools_fails(found: dict[str, str | None], error: str | None, fragment: str) -> None:
    assert failed_with(preflight_tools(found, ["kubectl"], error), fragment)


# --- cluster_answers (PRE-2) [checks/preflight.py] ----------------------------------------


def test_cluster_answers_passes_with_a_version() -> None:
    assert cluster_answers("v1.31.0", None).status is Status.PASSED


def test_cluster_answers_fails_and_repeats_the_error() -> None:
    v = cluster_answers(None, "context kind-minio not found in ~/.kube/config")
    assert failed_with(v, "the cluster did not answer: context kind-minio not found in ~/.kube/config")


def test_cluster_answers_passes_when_the_unreachable_message_names_the_kubeconfig() -> None:
    v = cluster_answers("v1.34.10", None, "cluster unreachable with kubeconfig /tmp/dead (context dead)", "/tmp/dead")
    assert v.status is Status.PASSED


def test_cluster_answers_fails_when_the_unreachable_message_omits_the_kubeconfig() -> None:
    v = cluster_answers("v1.34.10", None, "connection refused", "/tmp/dead")
    assert failed_with(v, "the unreachable-cluster message does not name the kubeconfig /tmp/dead")


# --- permissions_granted (PRE-3) [checks/preflight.py] ------------------------------------


def test_permissions_granted_passes() -> None:
    assert permissions_granted({"create statefulsets": True, "create pv": True}).status is Status.PASSED


@pytest.mark.parametrize(
    ("permissions", "fragment"),
    [({"create statefulsets": True, "create pv": False}, "permission missing: create pv"), ({}, "no permission was")],
    ids=["denied", "nothing-checked"],
)
def test_permissions_granted_fails(permissions: dict[str, bool], fragment: str) -> None:
    assert failed_with(permissions_granted(permissions), fragment)


# --- namespace_cleaned (CLN-1) / volumes_cleaned (CLN-2) [checks/clean_slate.py] ----------


def test_namespace_cleaned_passes() -> None:
    assert namespace_cleaned({"namespace_absent_before_apply": True}).status is Status.PASSED


@pytest.mark.parametrize(
    ("clean", "fragment"),
    [({}, "no clean-slate step was recorded"), ({"namespace_absent_before_apply": False}, "namespace still existed")],
    ids=["unrecorded", "still-there"],
)
def test_namespace_cleaned_fails(clean: Obj, fragment: str) -> None:
    assert failed_with(namespace_cleaned(clean), fragment)


def test_volumes_cleaned_passes() -> None:
    assert volumes_cleaned({"pvs_left": []}).status is Status.PASSED


@pytest.mark.parametrize(
    ("clean", "fragment"),
    [
        ({}, "no clean-slate step was recorded"),
        ({"pvs_left": ["minio-pv-0"]}, "PVs left after clean-up: ['minio-pv-0']"),
    ],
    ids=["unrecorded", "pv-left"],
)
def test_volumes_cleaned_fails(clean: Obj, fragment: str) -> None:
    assert failed_with(volumes_cleaned(clean), fragment)


def test_volumes_cleaned_on_a_user_cluster_keeps_foreign_pvs_and_says_so() -> None:
    v = volumes_cleaned({"pvs_left": [], "foreign_pvs_kept": ["team-pv"], "own_cluster": False})
    assert v.status is Status.PASSED
    assert "team-pv" in v.notes[0]


def test_volumes_cleaned_on_its_own_cluster_fails_on_any_app_minio_pv_left() -> None:
    v = volumes_cleaned({"pvs_left": [], "foreign_pvs_kept": ["team-pv"], "own_cluster": True})
    assert failed_with(v, "app=minio PVs not deleted: ['team-pv']")


# --- claim_waits_for_consumer / released_volume_kept (STO-2) [checks/storage.py] ----------


def test_claim_waits_for_consumer_passes() -> None:
    v = claim_waits_for_consumer(["Pending", "Pending"], ["WaitForFirstConsumer"])
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    ("phases", "reasons", "fragment"),
    [
        (["Pending", "Bound"], ["WaitForFirstConsumer"], "claim phases over time were ['Pending', 'Bound']"),
        ([], ["WaitForFirstConsumer"], "claim phases over time were [], expected Pending throughout"),
        (["Pending"], ["ProvisioningFailed"], "no WaitForFirstConsumer event (events: ['ProvisioningFailed'])"),
    ],
    ids=["bound-early", "never-observed", "no-wait-event"],
)
def test_claim_waits_for_consumer_fails(phases: list[str], reasons: list[str], fragment: str) -> None:
    assert failed_with(claim_waits_for_consumer(phases, reasons), fragment)


def test_released_volume_kept_passes() -> None:
    assert released_volume_kept("Released", True).status is Status.PASSED


@pytest.mark.parametrize(
    ("phase", "survived", "fragment"),
    [
        ("Available", True, "PV phase after claim deletion is 'Available', expected Released"),
        (None, True, "PV phase after claim deletion is None"),
        ("Released", False, "the file written through the claim is gone from the node"),
    ],
    ids=["recycled", "pv-deleted", "data-gone"],
)
def test_released_volume_kept_fails(phase: str | None, survived: bool, fragment: str) -> None:
    assert failed_with(released_volume_kept(phase, survived), fragment)


# --- pvcs [checks/common.py] --------------------------------------------------------------


def test_pvcs_keeps_only_claims() -> None:
    objects = [claim("data-minio-0"), pv("pv-0", "w1"), pod("minio-0"), claim("data-minio-1")]
    assert [o["metadata"]["name"] for o in pvcs(objects)] == ["data-minio-0", "data-minio-1"]


# --- metrics_answer (OPS-3) [checks/operations.py] ----------------------------------------


@pytest.mark.parametrize("without_token", [403, 200])
def test_metrics_answer_passes_with_token_and_only_records_the_unauthenticated_scrape(
    without_token: int,
) -> None:
    """OPS-3 says nothing about unauthenticated scrapes, so their status is evidence, not judged."""
    v = metrics_answer(200, without_token)
    assert v.status is Status.PASSED
    assert v.evidence["without token"] == without_token


@pytest.mark.parametrize("status", [403, "connection refused"])
def test_metrics_answer_fails_when_authorised_scrape_is_refused(status: int | str) -> None:
    assert failed_with(metrics_answer(status, 403), f"metrics answered {status!r} with a bearer token")


# --- rolling_update_order (OPS-5) [checks/operations.py] ----------------------------------

HELD = {"minio-0": False, "minio-1": False, "minio-2": True}


def test_rolling_update_order_passes() -> None:
    assert rolling_update_order(3, HELD, ["minio-1", "minio-0"]).status is Status.PASSED


@pytest.mark.parametrize(
    ("phase", "order", "fragment"),
    [
        ({**HELD, "minio-2": False}, ["minio-1", "minio-0"], "Pod minio-2: the highest ordinal was not updated"),
        ({**HELD, "minio-0": True}, ["minio-1", "minio-0"], "Pod minio-0: updated although the partition holds it"),
        (
            HELD,
            ["minio-0", "minio-1"],
            "pods updated in the order ['minio-0', 'minio-1'], expected ['minio-1', 'minio-0']",
        ),
    ],
    ids=["top-not-updated", "held-pod-updated", "wrong-roll-order"],
)
def test_rolling_update_order_fails(phase: dict[str, bool], order: list[str], fragment: str) -> None:
    assert failed_with(rolling_update_order(3, phase, order), fragment)


# --- liveness_recovery (PRB-4) [checks/probes.py] -----------------------------------------


def test_liveness_recovery_passes() -> None:
    assert liveness_recovery("minio-1", 0, 1, True, True, {"hung": 0.0}).status is Status.PASSED


@pytest.mark.parametrize(
    ("after", "left", "back", "fragment"),
    [
        (2, True, True, "restart count stayed 2: the liveness probe did not restart it"),
        (3, False, True, "Pod minio-1: stayed a ready endpoint while hung"),
        (3, True, False, "did not return Ready to the endpoints after the restart"),
    ],
    ids=["not-restarted", "stayed-endpoint", "not-back"],
)
def test_liveness_recovery_fails(after: int, left: bool, back: bool, fragment: str) -> None:
    assert failed_with(liveness_recovery("minio-1", 2, after, left, back, {}), fragment)


# --- claims_retained (OPS-4) [checks/operations.py] ---------------------------------------

UIDS = {"data-minio-0": "uid-0", "data-minio-1": "uid-1"}


@pytest.mark.parametrize("scaled_in_kept", [True, None])
def test_claims_retained_passes(scaled_in_kept: bool | None) -> None:
    v = claims_retained("OPS-4", UIDS, dict(UIDS), dict(UIDS), scaled_in_kept, True)
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    ("after_delete", "after_recreate", "kept", "intact", "fragment"),
    [
        ({"data-minio-0": "uid-0"}, UIDS, True, True, "claims after deleting the StatefulSet: ['data-minio-0']"),
        (UIDS, {**UIDS, "data-minio-1": "uid-new"}, True, True, "the recreated StatefulSet does not use the same"),
        (UIDS, UIDS, False, True, "the claim of a scaled-in pod was deleted"),
        (UIDS, UIDS, True, False, "S3: data did not survive the StatefulSet's deletion"),
    ],
    ids=["deleted-with-set", "new-claims", "scale-in-deleted", "data-lost"],
)
def test_claims_retained_fails(
    after_delete: dict[str, str], after_recreate: dict[str, str], kept: bool, intact: bool, fragment: str
) -> None:
    assert failed_with(claims_retained("OPS-4", UIDS, after_delete, after_recreate, kept, intact), fragment)


def test_claims_deleted_with_the_statefulset_are_one_finding_and_the_data_not_evaluated() -> None:
    """claims-deleted-with-statefulset, live on 2 nodes: the recreated pods can never start (their pinned PVs are
    Released), so the data is not read; the claims' finding says it all, with no second finding about data."""
    v = claims_retained("OPS-4", UIDS, {}, {"data-minio-0": "uid-n0", "data-minio-1": "uid-n1"}, None, None)
    assert v.status is Status.FAILED
    assert [f.message for f in v.findings] == [
        "claims after deleting the StatefulSet: []; before: ['data-minio-0', 'data-minio-1']",
        "the recreated StatefulSet does not use the same claims",
    ]
    assert v.evidence["data intact"] == "not read (the recreated pods cannot start)"
    assert "not evaluated" in v.notes[0]


def test_claims_retained_with_no_claims_proves_nothing() -> None:
    assert failed_with(claims_retained("OPS-4", {}, {}, {}, None, True), "no claim existed before the deletion")


@pytest.mark.parametrize("strategy", ["OnDelete", "Unknown"])
def test_rolling_update_order_fails_when_the_deployed_strategy_rolls_nothing(strategy: str) -> None:
    """Recorded from the updates-on-delete-only mutant: the fixture used to patch RollingUpdate in itself."""
    seen = rolling_update_order(3, {}, [], strategy_type=strategy)
    assert failed_with(seen, f"updateStrategy.type is {strategy}")
    assert seen.evidence["update strategy"] == strategy
