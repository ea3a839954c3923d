"""Live judges read the team's names (the gate config) instead of the documented ones."""

from __future__ import annotations

from typing import Any

import pytest

from minio_conformance.checks.operations import rolling_update_order
from minio_conformance.checks.services import node_ports_answer, pod_dns_resolves
from minio_conformance.checks.statefulset import ordered_start
from minio_conformance.checks.validation import claims_bound
from minio_conformance.names import Names
from minio_conformance.verdict import Status

pytestmark = pytest.mark.unit

TEAM = Names(
    namespace="objstore", statefulset="s3", headless_service="s3-hl", api_node_port=31900, console_node_port=31901
)


def claim(name: str, phase: str = "Bound") -> dict[str, Any]:
    return {"kind": "PersistentVolumeClaim", "metadata": {"name": name}, "status": {"phase": phase}}


def pod(name: str, ip: str) -> dict[str, Any]:
    return {"kind": "Pod", "metadata": {"name": name}, "status": {"podIP": ip}}


def test_ordered_start_expects_the_teams_pod_names() -> None:
    timeline = [
        {"name": "s3-0", "created": "2026-11-29T01:00:00Z", "ready": "2026-11-29T01:00:10Z"},
        {"name": "s3-1", "created": "2026-11-29T01:00:11Z", "ready": "2026-11-29T01:00:20Z"},
    ]
    assert ordered_start(timeline, 2, TEAM).status is Status.PASSED
    documented = ordered_start(timeline, 2)
    assert documented.status is Status.FAILED
    assert "expected minio-0..minio-1" in documented.findings[0].message


def test_claims_bound_expects_the_teams_claims() -> None:
    claims = [claim("data-s3-0"), claim("data-s3-1")]
    assert claims_bound(claims, 2, TEAM).status is Status.PASSED
    assert claims_bound(claims, 2).status is Status.FAILED


def test_node_ports_and_pod_dns_under_the_teams_names() -> None:
    answered = {"node-a": {31900: 200, 31901: 200}}
    assert node_ports_answer(answered, TEAM).status is Status.PASSED
    assert node_ports_answer(answered).status is Status.FAILED
    answers = {"s3-0.s3-hl.objstore.svc.cluster.local": ["10.0.0.5"]}
    assert pod_dns_resolves(answers, [pod("s3-0", "10.0.0.5")], "objstore", TEAM).status is Status.PASSED
    assert pod_dns_resolves(answers, [pod("s3-0", "10.0.0.5")], "objstore").status is Status.FAILED


def test_rolling_update_order_under_the_teams_names() -> None:
    phase = {"s3-0": False, "s3-1": False, "s3-2": True}
    assert rolling_update_order(3, phase, ["s3-1", "s3-0"], TEAM).status is Status.PASSED
    assert rolling_update_order(3, phase, ["s3-1", "s3-0"]).status is Status.FAILED


class _Secret:
    def __init__(self, data: dict[str, str] | None) -> None:
        self.data = data


class _Core:
    def __init__(self, secret: _Secret | None) -> None:
        self.secret = secret
        self.asked: list[tuple[str, str]] = []

    def read_namespaced_secret(self, name: str, namespace: str) -> _Secret:
        from kubernetes.client.exceptions import ApiException

        self.asked.append((namespace, name))
        if self.secret is None:
            raise ApiException(status=404, reason="Not Found")
        return self.secret


def test_root_credentials_are_decoded_in_one_place_under_the_teams_names() -> None:
    import base64

    from fixtures.kube import Kube

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    class FakeKube(Kube):
        core: Any = None  # the one API group root_credentials asks, answered by a stub

    kube = FakeKube(api=None, kubeconfig="", context=None, names=TEAM)
    kube.core = _Core(_Secret({TEAM.secret_user_key: b64("u-1"), TEAM.secret_password_key: b64("p-1")}))
    found = kube.root_credentials()
    assert found is not None
    assert found.values() == ("u-1", "p-1")
    assert kube.core.asked == [(TEAM.namespace, TEAM.secret)]
    kube.core = _Core(_Secret({TEAM.secret_user_key: b64("u-1")}))
    assert kube.root_credentials() is None
    kube.core = _Core(None)
    assert kube.root_credentials() is None
