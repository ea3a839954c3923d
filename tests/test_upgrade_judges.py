"""UPG judges on recorded rollouts: each passes on a good record and fails on the break it exists for."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minio_conformance.checks.upgrade import (
    HEAD_VARIANTS,
    Attempt,
    Placement,
    PodState,
    RolloutRecord,
    availability,
    claim_mounts,
    force_rollout,
    head_variant,
    judge_applied,
    judge_availability,
    judge_data,
    judge_order,
    judge_rollback,
    refused_fields,
    served_paths,
)
from minio_conformance.durability import INTACT
from minio_conformance.verdict import Status

OLD, NEW = "minio-aaaa", "minio-bbbb"


def statefulset(replicas: int = 4, mount: str = "/data", partition: int | None = None) -> dict[str, Any]:
    strategy: dict[str, Any] = {"type": "RollingUpdate"}
    if partition is not None:
        strategy["rollingUpdate"] = {"partition": partition}
    args = ["server", "--console-address", ":9001"]
    args += [f"http://minio-{i}.minio-headless.minio-system.svc.cluster.local/data" for i in range(replicas)]
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "minio", "namespace": "minio-system"},
        "spec": {
            "replicas": replicas,
            "serviceName": "minio-headless",
            "podManagementPolicy": "OrderedReady",
            "updateStrategy": strategy,
            "selector": {"matchLabels": {"app": "minio"}},
            "template": {
                "metadata": {"labels": {"app": "minio"}},
                "spec": {
                    "containers": [
                        {
                            "name": "minio",
                            "command": ["minio"],
                            "args": args,
                            "volumeMounts": [{"name": "data", "mountPath": mount}],
                        }
                    ]
                },
            },
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}],
        },
    }


def rollout_states(replicas: int, order: list[int], step: float = 20.0, partition: int = 0) -> list[PodState]:
    """All pods Ready on OLD before the apply; then each pod of `order` replaced in turn, `step` s apart."""
    states = [PodState(-3.0, f"minio-{i}", f"uid-{i}", OLD, True, node=f"w{i}") for i in range(replicas)]
    t = 1.0
    for i in order:
        if i < partition:
            continue
        pod = f"minio-{i}"
        states.append(PodState(t, pod, f"uid-{i}", OLD, False, deleting=True, node=f"w{i}"))
        states.append(PodState(t + 3, pod, f"uid-{i}b", NEW, False, node=f"w{i}"))
        states.append(PodState(t + step - 2, pod, f"uid-{i}b", NEW, True, node=f"w{i}"))
        t += step
    return states


def probe_attempts(until: float, failing: tuple[float, float] | None = None, op_fail: str = "read") -> list[Attempt]:
    attempts = []
    t = -3.0
    while t < until:
        for op in ("read", "write"):
            bad = failing is not None and failing[0] <= t < failing[1] and op == op_fail
            attempts.append(Attempt(round(t, 2), op, "ServiceUnavailable" if bad else "ok", 0.05))
        t += 0.5
    return attempts


def placements(replicas: int) -> list[Placement]:
    return [Placement(f"data-minio-{i}", f"minio-pv-{i}", f"w{i}") for i in range(replicas)]


def good_record(replicas: int = 4, **changes: Any) -> RolloutRecord:
    order = list(range(replicas - 1, -1, -1))
    end = 1.0 + 20.0 * replicas
    rec = RolloutRecord(
        direction="upgrade",
        replicas=replicas,
        base_statefulset=statefulset(replicas),
        head_statefulset=statefulset(replicas),
        accepted=True,
        apply_output="statefulset.apps/minio configured",
        from_revision=OLD,
        to_revision=NEW,
        wait_s=480.0,
        timed_out=False,
        states=rollout_states(replicas, order),
        attempts=probe_attempts(end + 10),
        placements_before=placements(replicas),
        placements_after=placements(replicas),
        readback={f"set/{i:04d}": INTACT for i in range(201)},
        rollout_end_s=end,
    )
    for key, value in changes.items():
        setattr(rec, key, value)
    return rec


def messages(rec_verdict: Any) -> str:
    return "\n".join(str(f) for f in rec_verdict.findings)


# --- UPG-1 --------------------------------------------------------------------------------------------


def test_applied_passes_on_a_complete_rollout() -> None:
    assert judge_applied(good_record()).status is Status.PASSED


def test_applied_names_the_immutable_field_when_refused() -> None:
    head = statefulset()
    head["spec"]["podManagementPolicy"] = "Parallel"
    rec = good_record(
        head_statefulset=head,
        accepted=False,
        apply_output='The StatefulSet "minio" is invalid: spec: Forbidden: updates to statefulset spec for fields '
        "other than 'replicas', 'ordinals', 'template', 'updateStrategy' ... are forbidden",
        to_revision=OLD,
        states=[],
    )
    found = judge_applied(rec)
    assert found.status is Status.FAILED
    assert "spec.podManagementPolicy" in messages(found)
    assert found.evidence["refused fields"] == ["spec.podManagementPolicy"]
    assert "Forbidden" in found.evidence["API answer"]


def test_applied_fails_when_a_pod_stays_on_the_old_revision() -> None:
    states = rollout_states(4, [3, 2, 1])  # minio-0 never replaced
    found = judge_applied(good_record(states=states))
    assert found.status is Status.FAILED
    assert "Pod minio-0" in messages(found)
    assert OLD in messages(found)


def test_applied_fails_when_a_partition_is_left_in_place() -> None:
    states = rollout_states(4, [3], partition=3)
    rec = good_record(head_statefulset=statefulset(partition=3), states=states)
    found = judge_applied(rec)
    assert found.status is Status.FAILED
    assert "partition is 3" in messages(found)
    assert "partition 3 holds it back" in messages(found)


def test_applied_fails_on_timeout_and_on_nothing_observed() -> None:
    assert "did not finish within 480 s" in messages(judge_applied(good_record(timed_out=True)))
    assert "nothing observed" in messages(judge_applied(good_record(states=[])))


# --- UPG-2 --------------------------------------------------------------------------------------------


def test_order_passes_highest_first_one_at_a_time() -> None:
    assert judge_order(good_record()).status is Status.PASSED


def test_order_fails_when_lowest_goes_first() -> None:
    found = judge_order(good_record(states=rollout_states(4, [0, 1, 2, 3])))
    assert found.status is Status.FAILED
    assert "expected highest ordinal first" in messages(found)


def test_order_fails_when_the_next_pod_goes_before_the_previous_is_ready() -> None:
    states = rollout_states(4, [3, 2, 1, 0])
    # minio-2 taken down 2 s after minio-3 went, long before minio-3's new pod was Ready (t=19).
    states = [s for s in states if not (s.pod == "minio-2" and s.deleting)]
    states.append(PodState(3.0, "minio-2", "uid-2", OLD, False, deleting=True, node="w2"))
    found = judge_order(good_record(states=sorted(states, key=lambda s: s.t)))
    assert found.status is Status.FAILED
    assert "before minio-3 was Ready" in messages(found)


def test_order_partition_holds_lower_ordinals() -> None:
    rec = good_record(head_statefulset=statefulset(partition=3), states=rollout_states(4, [3], partition=3))
    assert judge_order(rec).status is Status.PASSED
    leaked = rollout_states(4, [3, 2], partition=0)
    found = judge_order(good_record(head_statefulset=statefulset(partition=3), states=leaked))
    assert found.status is Status.FAILED
    assert "although partition 3 holds it" in messages(found)


def test_order_not_applicable_without_template_change_or_when_refused() -> None:
    assert judge_order(good_record(to_revision=OLD)).status is Status.NOT_APPLICABLE
    assert judge_order(good_record(accepted=False)).status is Status.NOT_APPLICABLE


def test_order_fails_when_nothing_was_seen_replaced() -> None:
    states = [PodState(-3.0, f"minio-{i}", f"uid-{i}", OLD, True) for i in range(4)]
    assert "nothing observed" in messages(judge_order(good_record(states=states)))


# --- UPG-3 --------------------------------------------------------------------------------------------


def test_data_passes_when_everything_is_intact_and_in_place() -> None:
    assert judge_data(good_record()).status is Status.PASSED


def test_data_fails_on_a_corrupt_or_missing_object() -> None:
    readback = {"set/0001": INTACT, "set/0002": "corrupt", "set/0003": "NoSuchKey"}
    found = judge_data(good_record(readback=readback))
    assert found.status is Status.FAILED
    assert "1 of 3 object(s) read back corrupt after the rollout: set/0002" in messages(found)
    assert "1 of 3 object(s) read back NoSuchKey after the rollout: set/0003" in messages(found)
    many = judge_data(good_record(readback={f"k{i:03d}": "503" for i in range(201)}))
    assert len(many.findings) == 1
    assert "201 of 201 object(s) read back 503 after the rollout: k000, k001, k002, k003, k004 and 196 more" in (
        messages(many)
    )
    assert "nothing observed" in messages(judge_data(good_record(readback={})))


def test_data_fails_when_a_claim_moves_or_is_replaced() -> None:
    after = placements(4)
    after[1] = Placement("data-minio-1", "minio-pv-9", "w9")
    after.append(Placement("data-v2-minio-3", "minio-pv-3", "w3"))
    found = judge_data(good_record(placements_after=after))
    assert "was bound to minio-pv-1 on w1, now minio-pv-9 on w9" in messages(found)
    assert "data-v2-minio-3" in messages(found)


def test_data_fails_when_minio_serves_a_path_no_claim_is_mounted_at() -> None:
    found = judge_data(good_record(head_statefulset=statefulset(mount="/export")))
    assert found.status is Status.FAILED
    assert "MinIO serves /data, which no claim is mounted at" in messages(found)


def test_served_paths_and_claim_mounts() -> None:
    assert served_paths(statefulset(2)) == ["/data"]
    standalone = statefulset(1)
    standalone["spec"]["template"]["spec"]["containers"][0]["args"] = ["server", "/data/", "--console-address", ":9001"]
    assert served_paths(standalone) == ["/data/"]
    assert claim_mounts(statefulset(mount="/data/")) == ["/data"]


# --- UPG-4 --------------------------------------------------------------------------------------------


def test_availability_passes_when_served_throughout_on_four_drives() -> None:
    found = judge_availability(good_record())
    assert found.status is Status.PASSED
    stats = found.evidence["phases"]
    assert stats["rollout"]["read"]["success ratio"] == 1.0
    assert stats["rollout"]["read"]["longest gap s"] <= 1.0


def test_availability_fails_on_a_read_gap_quorum_does_not_explain() -> None:
    assert judge_availability(good_record(attempts=probe_attempts(91, failing=(10.0, 40.0)))).status is Status.PASSED
    found = judge_availability(good_record(attempts=probe_attempts(91, failing=(10.0, 75.0))))
    assert found.status is Status.FAILED
    assert "reads went 65." in messages(found)


def test_availability_two_drives_judges_reads_not_writes() -> None:
    rec = good_record(replicas=2, attempts=probe_attempts(120, failing=(5.0, 75.0), op_fail="write"))
    rec.rollout_end_s = 100.0
    rec.placements_before = rec.placements_after = placements(2)
    found = judge_availability(rec)
    assert found.status is Status.PASSED, messages(found)
    assert any("writes may be refused" in n for n in found.notes)
    rec.attempts = probe_attempts(120, failing=(5.0, 75.0), op_fail="read")
    assert judge_availability(rec).status is Status.FAILED


def test_availability_one_drive_outage_is_expected_but_reads_must_resume() -> None:
    rec = good_record(replicas=1, attempts=probe_attempts(31, failing=(1.0, 21.0)))
    assert judge_availability(rec).status is Status.PASSED
    rec.attempts = probe_attempts(31, failing=(1.0, 40.0))
    found = judge_availability(rec)
    assert found.status is Status.FAILED
    assert "the last reads still failed" in messages(found)


def test_availability_needs_attempts() -> None:
    assert "nothing observed" in messages(judge_availability(good_record(attempts=[])))


def test_availability_reports_every_phase() -> None:
    stats = availability(good_record())
    assert set(stats) == {"before", "rollout", "after"}
    assert stats["before"]["read"]["attempts"] > 0
    assert stats["after"]["write"]["attempts"] > 0


# --- UPG-5 --------------------------------------------------------------------------------------------


def test_rollback_passes_and_fails_with_the_part_named() -> None:
    assert judge_rollback(good_record(direction="rollback")).status is Status.PASSED
    found = judge_rollback(good_record(direction="rollback", readback={"set/0001": "corrupt"}))
    assert found.status is Status.FAILED
    assert "rolling back (UPG-3): 1 of 1 object(s) read back corrupt" in messages(found)


# --- the proof heads and the record ---------------------------------------------------------------------


def test_record_round_trips_through_plain_data() -> None:
    rec = good_record()
    assert RolloutRecord.from_dict(copy.deepcopy(rec.to_dict())) == rec


@pytest.mark.parametrize("variant", HEAD_VARIANTS, ids=lambda v: v.id)
def test_each_proof_head_changes_what_it_says(variant: Any) -> None:
    base = [statefulset()]
    head = head_variant(variant, base, "1")
    sts = head[0]
    assert sts["spec"]["template"]["metadata"]["annotations"]
    assert base[0]["spec"]["template"]["metadata"].get("annotations") is None  # the base is left alone
    if variant.id == "renamed-claim-template":
        assert refused_fields(base[0], sts) == ["spec.volumeClaimTemplates"]
    if variant.id == "pod-management-parallel":
        assert refused_fields(base[0], sts) == ["spec.podManagementPolicy"]
    if variant.id == "partition-left-in-place":
        assert refused_fields(base[0], sts) == []
        assert sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"] == 3
    if variant.id == "mount-path-moved":
        assert judge_data(good_record(head_statefulset=sts)).status is Status.FAILED


def test_force_rollout_changes_only_the_template_annotations() -> None:
    objs = [statefulset()]
    before = copy.deepcopy(objs)
    force_rollout(objs, "7")
    assert refused_fields(before[0], objs[0]) == []
    assert objs[0]["spec"]["template"]["metadata"]["annotations"] == {"minio-conformance.io/upgrade-head": "7"}
