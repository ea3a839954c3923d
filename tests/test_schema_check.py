"""SCH-1: the schema check judges every object, collects every problem and never echoes a Secret's values."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import kubernetes_validate
import pytest

from minio_conformance.checks import Snapshot, run_check
from minio_conformance.kindnodes import kind_nodes
from minio_conformance.manifests import ManifestSet
from minio_conformance.render import Credentials, render
from minio_conformance.schema import (
    TARGET_KUBERNETES,
    Coverage,
    built_in_groups,
    unjudgeable,
    validate_object,
)
from minio_conformance.verdict import Status, Verdict

Obj = dict[str, Any]
NS = "minio-system"


def rendered(documented: ManifestSet, count: int = 4) -> list[Obj]:
    return [copy.deepcopy(dict(o)) for o in render(documented, kind_nodes(count), Credentials.generate()).objects]


def sch1(objects: list[Obj]) -> Verdict:
    return run_check("SCH-1", Snapshot.of(objects, kind_nodes(4)))


def of_kind(objects: list[Obj], kind: str) -> Obj:
    return next(o for o in objects if o["kind"] == kind)


def service_monitor() -> Obj:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {"name": "minio", "namespace": NS},
        "spec": {"selector": {"matchLabels": {"app": "minio"}}, "endpoints": [{"port": "api"}]},
    }


def secret(**payload: Any) -> Obj:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "minio-credentials", "namespace": NS}, **payload}


@pytest.mark.parametrize("count", [1, 2, 4])
def test_documented_manifests_pass_and_every_object_is_validated(documented: ManifestSet, count: int) -> None:
    objects = rendered(documented, count)
    v = sch1(objects)
    assert v.status is Status.PASSED, v.summary()
    assert v.notes == ()
    assert len(v.evidence["validated"]) == len(objects)
    assert v.evidence["Kubernetes version"] == TARGET_KUBERNETES


def test_agrees_with_kubernetes_validate_on_the_documented_objects(documented: ManifestSet) -> None:
    """The same schemas kubernetes-validate uses: it accepts every object the check accepts."""
    for obj in rendered(documented):
        assert validate_object(obj).valid
        kubernetes_validate.validate(dict(obj), TARGET_KUBERNETES, strict=True)


@pytest.mark.parametrize(
    ("kind", "api_version", "served"),
    [("StatefulSet", "apps/v1beta1", "apps/v1"), ("PodDisruptionBudget", "policy/v1beta1", "policy/v1")],
)
def test_removed_api_version_fails_naming_object_and_api_version(
    documented: ManifestSet, kind: str, api_version: str, served: str
) -> None:
    objects = rendered(documented)
    target = of_kind(objects, kind)
    target["apiVersion"] = api_version
    v = sch1(objects)
    assert v.status is Status.FAILED
    [finding] = v.findings
    assert finding.object_ref == f"{kind} {NS}/minio"
    assert finding.path == "apiVersion"
    assert f"{api_version} {kind} is not served by Kubernetes {TARGET_KUBERNETES}; use {served}" == finding.message
    assert f"{kind} {NS}/minio ({api_version})" in v.evidence["not served by this version"]


@pytest.mark.parametrize(
    ("api_version", "kind", "fragment"),
    [
        ("extensions/v1beta1", "Ingress", "no kind Ingress in API group extensions"),
        ("v1", "Widget", "no kind Widget in the core API"),
        ("storage.k8s.io/v1beta1", "StorageClass", "use storage.k8s.io/v1"),
        ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "use rbac.authorization.k8s.io/v1"),
        ("settings.k8s.io/v1alpha1", "PodPreset", "no kind PodPreset in API group settings.k8s.io"),
    ],
)
def test_unknown_kind_or_version_of_a_built_in_group_is_a_finding(api_version: str, kind: str, fragment: str) -> None:
    v = sch1([{"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}}])
    assert v.status is Status.FAILED
    [finding] = v.findings
    assert (finding.object_ref, finding.path) == (f"{kind} x", "apiVersion")
    assert fragment in finding.message


def test_built_in_groups_cover_the_kubernetes_api_groups() -> None:
    expected = {
        "",
        "apps",
        "batch",
        "policy",
        "extensions",
        "autoscaling",
        "storage.k8s.io",
        "networking.k8s.io",
        "rbac.authorization.k8s.io",
        "discovery.k8s.io",
        "coordination.k8s.io",
        "scheduling.k8s.io",
        "node.k8s.io",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "certificates.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "resource.k8s.io",
    }
    assert expected <= built_in_groups()
    assert not {"monitoring.coreos.com", "gateway.networking.k8s.io", "snapshot.storage.k8s.io"} & built_in_groups()


def test_custom_resource_is_listed_as_not_validated_never_a_finding(documented: ManifestSet) -> None:
    objects = [*rendered(documented), service_monitor()]
    v = sch1(objects)
    assert v.status is Status.PASSED, v.summary()
    assert v.notes == (
        f"not validated (custom resource, no Kubernetes {TARGET_KUBERNETES} schema): "
        f"ServiceMonitor {NS}/minio (monitoring.coreos.com/v1)",
    )
    assert v.evidence["not validated"] == [f"ServiceMonitor {NS}/minio (monitoring.coreos.com/v1)"]
    assert validate_object(service_monitor()).coverage is Coverage.NOT_VALIDATED


def test_a_broken_custom_resource_is_still_not_judged() -> None:
    broken = service_monitor()
    broken["spec"] = "not even an object"
    assert sch1([broken]).status is Status.PASSED


def test_every_problem_is_collected_each_at_its_field(documented: ManifestSet) -> None:
    objects = rendered(documented)
    sts = of_kind(objects, "StatefulSet")
    minio = sts["spec"]["template"]["spec"]["containers"][0]
    sts["spec"]["podManagmentPolicy"] = "OrderedReady"
    del sts["spec"]["selector"]
    minio["ports"][0]["containerPort"] = "9000"
    minio["livenessProbe"]["httpGet"]["port"] = [9000]
    svc = of_kind(objects, "Service")
    svc["spec"]["clusterIp"] = "None"
    pdb = of_kind(objects, "PodDisruptionBudget")
    pdb["apiVersion"] = "policy/v1beta1"
    v = sch1(objects)
    got = {(f.object_ref, f.path, f.message) for f in v.findings}
    sts_ref, containers = f"StatefulSet {NS}/minio", "spec.template.spec.containers[0]"
    assert got == {
        (sts_ref, "spec.podManagmentPolicy", f"unknown field (not in Kubernetes {TARGET_KUBERNETES})"),
        (sts_ref, "spec.selector", "required field is missing"),
        (sts_ref, f"{containers}.ports[0].containerPort", "expected integer, got string"),
        (sts_ref, f"{containers}.livenessProbe.httpGet.port", "expected string or integer, got array"),
        (f"Service {NS}/minio-headless", "spec.clusterIp", f"unknown field (not in Kubernetes {TARGET_KUBERNETES})"),
        (
            f"PodDisruptionBudget {NS}/minio",
            "apiVersion",
            f"policy/v1beta1 PodDisruptionBudget is not served by Kubernetes {TARGET_KUBERNETES}; use policy/v1",
        ),
    }
    assert len(v.findings) == len(got)


def test_several_unknown_fields_of_one_object_are_separate_findings() -> None:
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS, "lables": {}}, "sepc": {}, "extra": 1}
    paths = sorted(f.path for f in sch1([ns]).findings)
    assert paths == ["extra", "metadata.lables", "sepc"]


@pytest.mark.parametrize(
    "payload",
    [
        {"stringData": {"accesskey": 73915508, "secretkey": "s3cr3t-Value-9f2b"}},
        {"stringData": {"accesskey": "acc-Value-1c4d", "secretkey": 73915508.25}},
        {"stringData": {"secretkey": ["s3cr3t-Value-9f2b"]}},
        {"data": {"secretkey": {"nested": "s3cr3t-Value-9f2b"}}},
        {"data": "s3cr3t-Value-9f2b"},
        {"stringData": "s3cr3t-Value-9f2b"},
        {"stringData": {"secretkey": "s3cr3t-Value-9f2b"}, "type": 73915508},
        {"stringData": {"secretkey": "s3cr3t-Value-9f2b"}, "immutable": "s3cr3t-Value-9f2b"},
        {"stringData": {"secretkey": "s3cr3t-Value-9f2b"}, "stringdata": {"secretkey": "s3cr3t-Value-9f2b"}},
    ],
    ids=[
        "numeric-value",
        "float-value",
        "list-value",
        "object-value",
        "data-a-string",
        "stringdata-a-string",
        "type-a-number",
        "immutable-a-string",
        "misspelt-stringdata",
    ],
)
def test_secret_values_are_never_echoed(payload: Mapping[str, Any]) -> None:
    v = sch1([secret(**payload)])
    assert v.status is Status.FAILED
    text = v.summary() + "\n" + repr(v.evidence) + "\n" + "\n".join(v.notes)
    for value in ("73915508", "s3cr3t-Value-9f2b", "acc-Value-1c4d"):
        assert value not in text, text


def test_numeric_secret_value_points_at_its_key() -> None:
    v = sch1([secret(stringData={"accesskey": "acc-Value-1c4d", "secretkey": 73915508})])
    [finding] = v.findings
    assert (finding.path, finding.message) == ("stringData.secretkey", "expected string, got integer")


def test_valid_secret_passes() -> None:
    assert sch1([secret(type="Opaque", stringData={"accesskey": "a", "secretkey": "b"})]).status is Status.PASSED


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        ({"apiVersion": 1, "kind": "Namespace"}, "apiVersion must be a string such as v1 or apps/v1, got integer"),
        ({"apiVersion": "apps/v1/x", "kind": "StatefulSet"}, "apiVersion must be a string"),
        ({"apiVersion": "v1", "kind": ["Namespace"]}, "kind must be a non-empty string, got array"),
    ],
)
def test_objects_that_cannot_be_judged(obj: Obj, reason: str) -> None:
    found = unjudgeable(obj)
    assert found is not None
    assert found.startswith(reason)
    assert sch1([{**obj, "metadata": {"name": "x"}}]).status is Status.FAILED


def test_judgeable_objects() -> None:
    assert unjudgeable({"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor"}) is None
    assert unjudgeable({"apiVersion": "apps/v1beta1", "kind": "StatefulSet"}) is None
