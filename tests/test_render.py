"""The documented derivations: replicas, server arguments, PVs and the PDB budget per topology."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minio_conformance.kindnodes import kind_nodes
from minio_conformance.manifests import ManifestSet, SourceDocument
from minio_conformance.objects import dig, of_kind
from minio_conformance.render import Credentials, ImageOverrides, derive_endpoints, render
from minio_conformance.topology import ErasureProfile, Mode, replicas_for, schedulable_nodes, server_args


def sts(objects: list) -> dict:  # type: ignore[type-arg]
    return next(o for o in objects if o["kind"] == "StatefulSet")


@pytest.mark.parametrize(
    ("count", "mode"),
    [(1, Mode.STANDALONE), (2, Mode.BASIC_DISTRIBUTED), (3, Mode.FULL_DISTRIBUTED), (4, Mode.FULL_DISTRIBUTED)],
)
def test_replicas_args_and_pvs_follow_schedulable_nodes(documented: ManifestSet, count: int, mode: Mode) -> None:
    rendered = render(documented, kind_nodes(count), Credentials.generate())
    assert rendered.replicas == count
    assert rendered.mode is mode
    s = sts(rendered.objects)
    assert s["spec"]["replicas"] == count
    assert s["spec"]["template"]["spec"]["containers"][0]["args"] == server_args(count)
    pvs = of_kind(rendered.objects, "PersistentVolume")
    assert [p["metadata"]["name"] for p in pvs] == [f"minio-pv-{i}" for i in range(count)]
    pinned = [
        dig(p, "spec", "nodeAffinity", "required", "nodeSelectorTerms", 0, "matchExpressions", 0, "values") for p in pvs
    ]
    assert pinned == [[n] for n in rendered.schedulable]


def test_control_plane_is_excluded_only_when_tainted() -> None:
    assert schedulable_nodes(kind_nodes(1)) == ["minio-conformance-1n-control-plane"]
    assert schedulable_nodes(kind_nodes(2)) == ["minio-conformance-2n-worker", "minio-conformance-2n-worker2"]
    with pytest.raises(ValueError, match="no schedulable node"):
        replicas_for(0)


def test_standalone_args_are_the_documented_ones() -> None:
    assert server_args(1) == ["server", "/data", "--console-address", ":9001"]
    assert server_args(2)[3:] == [
        "http://minio-0.minio-headless.minio-system.svc.cluster.local/data",
        "http://minio-1.minio-headless.minio-system.svc.cluster.local/data",
    ]


def _set_of(*objs: dict) -> ManifestSet:  # type: ignore[type-arg]
    return ManifestSet(Path("."), tuple(SourceDocument("x.yaml", i, o) for i, o in enumerate(objs)))


def _sts(**container: object) -> dict:  # type: ignore[type-arg]
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "minio", "namespace": "minio-system"},
        "spec": {
            "replicas": "${MINIO_REPLICAS}",
            "template": {"spec": {"containers": [{"name": "minio", **container}]}},
        },
    }


def test_volumes_placeholder_splices_the_endpoints_and_maps_paths_back_to_the_file() -> None:
    args = ["server", "--address=:9000", "${MINIO_VOLUMES}", "--console-address=:9001"]
    rendered = render(_set_of(_sts(args=args)), kind_nodes(2), Credentials.generate())
    obj = rendered.rendered[0]
    assert obj.obj["spec"]["replicas"] == 2
    assert dig(obj.obj, "spec", "template", "spec", "containers", 0, "args") == [
        "server",
        "--address=:9000",
        "http://minio-0.minio-headless.minio-system.svc.cluster.local/data",
        "http://minio-1.minio-headless.minio-system.svc.cluster.local/data",
        "--console-address=:9001",
    ]
    at = ("spec", "template", "spec", "containers", 0, "args")
    assert obj.source_path((*at, 3)) == (*at, 2)  # the second URL came from the placeholder
    assert obj.source_path((*at, 4)) == (*at, 3)  # the flag after it, from the item after it
    single = render(_set_of(_sts(args=args)), kind_nodes(1), Credentials.generate()).objects[0]
    assert dig(single, "spec", "template", "spec", "containers", 0, "args") == [
        "server",
        "--address=:9000",
        "/data",
        "--console-address=:9001",
    ]


def test_values_written_in_a_file_are_never_rewritten() -> None:
    literal = _sts(args=["server", "/data"])
    literal["spec"]["replicas"] = 4
    out = render(_set_of(literal), kind_nodes(2), Credentials.generate()).objects[0]
    assert out["spec"]["replicas"] == 4
    assert out["spec"]["template"]["spec"]["containers"][0]["args"] == ["server", "/data"]


def test_derive_endpoints_keeps_flags() -> None:
    args = ["server", "--address=:9000", "--console-address=:9001", "http://old/data"]
    assert derive_endpoints(args, 1, "minio-system") == [
        "server",
        "/data",
        "--address=:9000",
        "--console-address=:9001",
    ]
    assert derive_endpoints(args, 2, "minio-system")[-1] == (
        "http://minio-1.minio-headless.minio-system.svc.cluster.local/data"
    )


@pytest.mark.parametrize(
    ("drives", "parity", "read", "write"),
    [(1, 0, 1, 1), (2, 1, 1, 2), (3, 1, 2, 2), (4, 2, 2, 3), (5, 2, 3, 3), (6, 3, 3, 4), (8, 4, 4, 5)],
)
def test_erasure_profile_follows_minio_defaults(drives: int, parity: int, read: int, write: int) -> None:
    p = ErasureProfile(drives)
    assert (p.parity, p.read_quorum, p.write_quorum) == (parity, read, write)


def test_pdb_budget_is_derived(documented: ManifestSet) -> None:
    budgets = {
        n: next(
            o
            for o in render(documented, kind_nodes(n), Credentials.generate()).objects
            if o["kind"] == "PodDisruptionBudget"
        )["spec"]["maxUnavailable"]
        for n in (1, 2, 4)
    }
    assert budgets == {1: 0, 2: 0, 4: 1}


def test_credentials_and_images_are_filled_in(documented: ManifestSet) -> None:
    creds = Credentials("user-abc", "secret-xyz-123")
    out = render(documented, kind_nodes(2), creds, ImageOverrides(minio="m:1", helper="h:1")).objects
    secret = next(o for o in out if o["kind"] == "Secret")
    assert secret["stringData"] == {"accesskey": "user-abc", "secretkey": "secret-xyz-123"}
    assert sts(out)["spec"]["template"]["spec"]["containers"][0]["image"] == "m:1"
    ds = next(o for o in out if o["kind"] == "DaemonSet")
    assert ds["spec"]["template"]["spec"]["containers"][0]["image"] == "h:1"
    assert "user-abc" not in repr(creds)
    assert "secret-xyz" not in repr(creds)


def test_placeholders_that_are_not_ours_are_left_alone() -> None:
    """A ConfigMap's shell script (a Helm chart's `${MC}`) is not a template of ours."""
    script = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "minio", "namespace": "minio-system"},
        "data": {"add-user": 'MC="/usr/bin/mc --config-dir ${MC_CONFIG_DIR}"\n${MC} admin user add ${INDEX}'},
    }
    out = render(_set_of(script), kind_nodes(1), Credentials.generate()).objects
    assert out == [script]


def test_credentials_under_data_are_base64() -> None:
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "minio-credentials"},
        "data": {"accesskey": "${MINIO_ACCESS_KEY}"},
    }
    out = render(_set_of(secret), kind_nodes(1), Credentials("user-abc", "secret")).objects[0]
    assert out["data"] == {"accesskey": "dXNlci1hYmM="}


BASELINE = Path(__file__).parent / "data" / "render" / "documented-before-placeholders.json"


@pytest.mark.parametrize("leg", ["1", "2", "4", "2-images"])
def test_documented_set_renders_exactly_as_before_the_placeholders(documented: ManifestSet, leg: str) -> None:
    """The live tier deploys what render() makes: the documented set must render to the same objects as it
    did before every derived value became an explicit placeholder (recorded from that rendering)."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    access, secret = baseline["credentials"]
    minio, helper = baseline["images"]
    count = int(leg.split("-")[0])
    images = ImageOverrides(minio, helper) if leg.endswith("images") else ImageOverrides()
    rendered = render(documented, kind_nodes(count), Credentials(access, secret), images)
    want = baseline["renderings"][leg]
    assert rendered.replicas == want["replicas"]
    assert list(rendered.schedulable) == want["schedulable"]
    assert json.loads(json.dumps(rendered.objects)) == want["objects"]
    assert [r.origin for r in rendered.rendered] == want["origins"]
