"""A concrete set's PV nodes mapped one to one onto a cluster's nodes (minio_conformance/nodemap.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fixtures.config import DEFAULT_MANIFESTS
from fixtures.kube import api_service_name
from minio_conformance.manifests import dump_documents, load_manifests
from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.nodemap import NodeMapError, map_objects, map_pv_nodes, node_mapping, pv_nodes
from minio_conformance.render import Credentials, is_topology_template, render

pytestmark = pytest.mark.unit


def node(name: str) -> dict[str, Any]:
    return {"kind": "Node", "apiVersion": "v1", "metadata": {"name": name}, "spec": {}}


def pv(name: str, *hosts: str) -> dict[str, Any]:
    hostname = {"key": "kubernetes.io/hostname", "operator": "In", "values": list(hosts)}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "local": {"path": "/mnt/minio-data"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [hostname]}]}},
        },
    }


SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "minio-api"}, "spec": {}}
KIND = ["minio-conformance-2n-worker", "minio-conformance-2n-worker2"]


def test_the_sets_nodes_sorted_map_one_to_one_onto_the_clusters_sorted() -> None:
    objects = [pv("minio-pv-1", "rack1-b"), SERVICE, pv("minio-pv-0", "rack1-a")]
    assert pv_nodes(objects) == ["rack1-a", "rack1-b"]
    assert node_mapping(objects, list(reversed(KIND))) == {"rack1-a": KIND[0], "rack1-b": KIND[1]}


def test_a_set_naming_the_clusters_own_nodes_is_not_mapped() -> None:
    assert node_mapping([pv("a", KIND[1]), pv("b", KIND[0])], KIND) == {}
    assert node_mapping([SERVICE], KIND) == {}  # no PV pinned by hostname: nothing to map


def test_counts_that_differ_refuse_with_one_line() -> None:
    with pytest.raises(NodeMapError) as exc:
        node_mapping([pv("a", "rack1-a"), pv("b", "rack1-b"), pv("c", "rack1-c")], KIND)
    message = str(exc.value)
    assert "\n" not in message
    assert "3 node(s) (rack1-a, rack1-b, rack1-c)" in message
    assert "2 schedulable node(s)" in message


def test_mapping_rewrites_only_pv_hostnames_and_leaves_the_input_alone() -> None:
    original = pv("minio-pv-0", "rack1-a")
    other = {"kind": "StatefulSet", "metadata": {"name": "minio"}, "spec": {"x": ["rack1-a"]}}
    mapped = map_objects([original, other], {"rack1-a": KIND[0]})
    expr = mapped[0]["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
    assert expr["values"] == [KIND[0]]
    assert mapped[1] is other
    assert original["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"] == [
        "rack1-a"
    ]


def test_a_concrete_rendered_set_deploys_under_the_mapping(tmp_path: Path) -> None:
    """The shipped template rendered for two team nodes and written out is a concrete set; mapped at
    deploy time, its PVs name kind's nodes, while the files keep the team's."""
    team_nodes = [
        {"kind": "Node", "apiVersion": "v1", "metadata": {"name": n}, "spec": {}} for n in ("rack1-b", "rack1-a")
    ]
    team = render(load_manifests(DEFAULT_MANIFESTS), team_nodes, Credentials("user-x", "password-x"))
    (tmp_path / "minio.yaml").write_text(dump_documents(team.objects))
    concrete = load_manifests(tmp_path)
    assert not is_topology_template(concrete)
    written = [d.obj for d in concrete.documents]
    mapping = node_mapping(written, KIND)
    assert mapping == {"rack1-a": KIND[0], "rack1-b": KIND[1]}
    rendered = render(concrete, [node(n) for n in KIND], Credentials("user-y", "password-y"))
    mapped = map_pv_nodes(rendered, mapping)
    assert pv_nodes(mapped.objects) == KIND
    assert [o["metadata"]["labels"]["node"] for o in mapped.objects if o["kind"] == "PersistentVolume"] == KIND
    assert [r.origin for r in mapped.rendered] == [r.origin for r in rendered.rendered]
    assert pv_nodes(rendered.objects) == ["rack1-a", "rack1-b"]  # the set as written is untouched


def test_the_api_service_is_found_by_the_teams_node_port() -> None:
    renamed = Names(api_node_port=31900)
    services = [
        {"metadata": {"name": "s3-console"}, "spec": {"ports": [{"port": 9001, "nodePort": 31901}]}},
        {"metadata": {"name": "s3-api"}, "spec": {"ports": [{"port": 9000, "nodePort": 31900}]}},
    ]
    assert api_service_name(services, renamed) == "s3-api"
    assert api_service_name(services, DOCUMENTED) == "minio-api"  # nothing on 30900: the documented name
