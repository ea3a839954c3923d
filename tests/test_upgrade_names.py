"""The upgrade scenario takes a team's set as it is: its names (the gate config) and its own nodes.

The example set in `examples/team-names/` names everything differently from 000 (namespace
objstore, StatefulSet s3, container server, Secret s3-root with other keys, NodePorts 31900/31901).
The scenario renders it with those names, derives its proof heads from the team's StatefulSet and
container, and judges pods `s3-<i>`; a concrete set's own nodes are mapped onto kind's as at deploy.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from fixtures.upgrade import rendered_objects, statefulset_of
from minio_conformance.checks.upgrade import (
    HEAD_VARIANTS,
    PodState,
    RolloutRecord,
    force_rollout,
    head_variant,
    judge_applied,
    judge_data,
    judge_order,
    minio_image,
    refused_fields,
    served_paths,
)
from minio_conformance.load.config import load_config
from minio_conformance.manifests import dump_documents, load_manifests
from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.nodemap import pv_nodes
from minio_conformance.render import Credentials, ImageOverrides
from minio_conformance.verdict import Status
from tests.test_upgrade_judges import good_record

pytestmark = pytest.mark.unit

TEAM_SET = Path(__file__).resolve().parent.parent / "examples" / "team-names" / "manifests"
TEAM: Names = load_config(TEAM_SET / "minio-conformance.yaml").names
KIND = ["minio-conformance-4n-worker", "minio-conformance-4n-worker2", "minio-conformance-4n-worker3"]
CREDENTIALS = Credentials("user-team", "password-team")


def node(name: str) -> dict[str, Any]:
    return {"kind": "Node", "apiVersion": "v1", "metadata": {"name": name}, "spec": {}}


def team_objects() -> list[dict[str, Any]]:
    return rendered_objects(load_manifests(TEAM_SET), [node(n) for n in KIND], CREDENTIALS, ImageOverrides(), TEAM)


def test_the_example_config_is_the_teams_names() -> None:
    assert (TEAM.namespace, TEAM.statefulset, TEAM.container) == ("objstore", "s3", "server")
    assert TEAM.secret_keys == {"MINIO_ROOT_USER": "rootUser", "MINIO_ROOT_PASSWORD": "rootPassword"}


def test_the_team_set_renders_under_its_own_names() -> None:
    objects = team_objects()
    sts = statefulset_of(objects, TEAM)
    assert sts["metadata"]["namespace"] == "objstore"
    assert sts["spec"]["replicas"] == 3
    assert served_paths(sts) == ["/data"]
    args = sts["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "http://s3-0.s3-hl.objstore.svc.cluster.local/data" in args
    assert statefulset_of(objects) == {}  # under the documented name there is nothing to upgrade
    assert minio_image(sts, TEAM).startswith("minio/minio:")


@pytest.mark.parametrize("variant", HEAD_VARIANTS, ids=lambda v: v.id)
def test_each_proof_head_changes_the_teams_statefulset(variant: Any) -> None:
    base = team_objects()
    head = head_variant(variant, base, "1", TEAM)
    before, after = statefulset_of(base, TEAM), statefulset_of(head, TEAM)
    assert after["spec"]["template"]["metadata"]["annotations"]
    assert before["spec"]["template"]["metadata"].get("annotations") is None  # the base is left alone
    expected_refusal = {
        "renamed-claim-template": ["spec.volumeClaimTemplates"],
        "pod-management-parallel": ["spec.podManagementPolicy"],
    }.get(variant.id, [])
    assert refused_fields(before, after) == expected_refusal
    if variant.id == "renamed-claim-template":
        mounts = after["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
        assert [m["name"] for m in mounts] == ["data-v2"]  # the team's container `server` follows the rename
    if variant.id == "mount-path-moved":
        rec = good_record(3, head_statefulset=after, statefulset="s3", container="server")
        found = judge_data(rec)
        assert found.status is Status.FAILED
        assert "MinIO serves /data, which no claim is mounted at" in found.findings[0].message
        assert found.findings[0].path == "spec.template.spec.containers[server].volumeMounts"


def test_a_proof_head_on_the_documented_name_finds_no_statefulset() -> None:
    """Without the team's names the heads would be derived from nothing: a clear error, not a no-op."""
    with pytest.raises(LookupError, match="no StatefulSet minio"):
        head_variant(HEAD_VARIANTS[0], team_objects(), "1", DOCUMENTED)
    with pytest.raises(LookupError, match="no StatefulSet minio"):
        force_rollout(team_objects(), "1")


def team_record(**changes: Any) -> RolloutRecord:
    """A complete 3-pod rollout of StatefulSet s3: the documented good record with the team's pod names."""
    rec = good_record(3, statefulset="s3", container="server")
    rec.states = [
        PodState(s.t, s.pod.replace("minio-", "s3-"), s.uid, s.revision, s.ready, s.deleting, s.node)
        for s in rec.states
    ]
    for key, value in changes.items():
        setattr(rec, key, value)
    return rec


def test_the_judges_follow_the_teams_pod_names() -> None:
    rec = team_record()
    assert rec.pods() == ["s3-0", "s3-1", "s3-2"]
    assert judge_applied(rec).status is Status.PASSED
    assert judge_order(rec).status is Status.PASSED
    assert judge_order(rec).evidence["expected order"] == ["s3-2", "s3-1", "s3-0"]


def test_pods_under_other_names_are_not_the_teams() -> None:
    """The documented pods in a record of StatefulSet s3 are not its pods: each s3 pod is missing."""
    found = judge_applied(good_record(3, statefulset="s3"))
    assert found.status is Status.FAILED
    assert {f.object_ref for f in found.findings} == {"Pod s3-0", "Pod s3-1", "Pod s3-2"}


def test_a_refusal_names_the_teams_statefulset() -> None:
    rec = team_record(accepted=False)
    rec.head_statefulset = copy.deepcopy(rec.base_statefulset)
    rec.head_statefulset["spec"]["podManagementPolicy"] = "Parallel"
    found = judge_applied(rec)
    assert found.findings[0].object_ref == "StatefulSet s3"
    assert "StatefulSet s3 changes immutable spec.podManagementPolicy" in found.findings[0].message


def test_a_record_without_names_reads_as_the_documented_one() -> None:
    """Records written before the names were kept judge as before."""
    raw = good_record(3).to_dict()
    del raw["statefulset"], raw["container"]
    rec = RolloutRecord.from_dict(raw)
    assert (rec.statefulset, rec.container) == ("minio", "minio")
    assert judge_applied(rec).status is Status.PASSED


def test_a_concrete_team_set_is_mapped_onto_kinds_nodes_only_on_an_owned_cluster(tmp_path: Path) -> None:
    """The team's set rendered for its own racks, written out, is concrete; the scenario maps it like the deployer."""
    racks = [node(n) for n in ("rack1-c", "rack1-a", "rack1-b")]
    concrete_dir = tmp_path / "deploy"
    concrete_dir.mkdir()
    (concrete_dir / "minio.yaml").write_text(
        dump_documents(rendered_objects(load_manifests(TEAM_SET), racks, CREDENTIALS, ImageOverrides(), TEAM))
    )
    concrete = load_manifests(concrete_dir)
    kind_nodes = [node(n) for n in KIND]
    mapped = rendered_objects(concrete, kind_nodes, CREDENTIALS, ImageOverrides(), TEAM, map_nodes=True)
    as_written = rendered_objects(concrete, kind_nodes, CREDENTIALS, ImageOverrides(), TEAM)
    assert pv_nodes(mapped) == KIND
    assert pv_nodes(as_written) == ["rack1-a", "rack1-b", "rack1-c"]
    assert statefulset_of(mapped, TEAM) == statefulset_of(as_written, TEAM)  # only the PVs' nodes change


def test_the_gate_passes_the_example_under_its_config(capsys: pytest.CaptureFixture[str]) -> None:
    """The example stays a set the gate passes (its config found beside it), so the live runs on it mean something."""
    from minio_conformance.gate import main as gate_main

    assert gate_main(["gate", str(TEAM_SET)]) == 0
    out = capsys.readouterr().out
    assert "10 name(s) differ from the documented ones" in out
