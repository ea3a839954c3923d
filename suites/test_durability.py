"""EC, PV-3, PRB-4, OPS-4: erasure-coded data through pod loss and node loss (000 §2, §6, §9; 001).

Each scenario states MinIO's predicted outcome for this leg's drive count before it
injects the fault, then asserts it, refusals included. Scenarios run after every
non-disruptive test, one at a time, and each either leaves the cluster healthy or
marks it tainted so later scenarios fail fast instead of judging a broken cluster.
The faults and the observations are `fixtures/scenarios.py`'s; the tests only judge.
"""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.durability import Recovery, as_json
from fixtures.evidence import assert_verdict
from fixtures.live import LiveTarget
from fixtures.scenarios import (
    FirstNodeLost,
    NodeOutage,
    PodReturn,
    Stage,
    pods_down,
    signal_minio,
    statefulset_recreated,
)
from minio_conformance.checks.durability import (
    and_recovered,
    judge_degraded,
    judge_ordered_outage,
    judge_pinned,
    judge_recovered,
    judge_same_place,
)
from minio_conformance.checks.operations import claims_retained
from minio_conformance.checks.probes import liveness_recovery
from minio_conformance.durability import FROZEN_PROCESS_NODES, ReadPass, expect
from minio_conformance.verdict import Verdict, not_applicable

pytestmark = pytest.mark.disruptive


def _record(request: pytest.FixtureRequest, key: str, value: Any) -> None:
    request.node.user_properties.append((key, as_json(value)))


def _say(request: pytest.FixtureRequest, line: str) -> None:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"[durability] {line}")


# --- one pod deleted: it returns to its node, its claim and its data ------------------------------


@pytest.mark.requirement("PV-3")
def test_deleted_pod_returns_to_its_node_claim_and_data(
    request: pytest.FixtureRequest, pod_return: PodReturn, live_target: LiveTarget
) -> None:
    """The StatefulSet recreates the pod on the node its PV is pinned to, with the same claim; data intact."""
    _record(request, "timeline", pod_return.timeline)
    verdict = judge_same_place("PV-3", pod_return.before, pod_return.after, pod_return.reads_after, pod_return.timeline)
    assert_verdict(request, verdict, live_target)


@pytest.mark.requirement("EC-3")
def test_all_drives_online_and_writes_after_the_pod_returns(
    request: pytest.FixtureRequest, pod_return: PodReturn, stage: Stage, live_target: LiveTarget
) -> None:
    """After the lost pod returns: every drive online (admin info), writes succeed, every object intact."""
    _record(request, "timeline", pod_return.timeline)
    assert_verdict(
        request, _recovered(pod_return.recovery, stage, pod_return.reads_after, pod_return.timeline), live_target
    )


def _recovered(recovery: Recovery, stage: Stage, reads: ReadPass, timeline: dict[str, float]) -> Verdict:
    return judge_recovered(
        "EC-3", recovery.drives_online, stage.drives, recovery.write, reads, timeline, recovery.failed_writes
    )


# --- pods held down for a whole read pass: MinIO's quorum rules, asserted --------------------------


def _degraded(request: pytest.FixtureRequest, stage: Stage, req_id: str, lost: int) -> None:
    """Hold `lost` pods down, judge the outage against the prediction, then judge the recovery.

    Pods Ready again is not S3 served again: the NodePort answers only once kube-proxy routes
    to the returned pods, so recovery is awaited (bounded) before the data is read back.
    """
    exp = expect(stage.drives, lost)
    _say(request, f"{req_id}: {exp.statement()}")
    seen = pods_down(stage, lost, exp)
    _record(request, "timeline", seen.timeline)
    _record(
        request,
        "read latency s",
        {
            "healthy": stage.baseline.summary(),
            "degraded": seen.during.reads.summary(),
            "after": seen.reads_after.summary(),
        },
    )
    during = judge_degraded(req_id, exp, seen.during, seen.timeline)
    after = _recovered(seen.recovery, stage, seen.reads_after, seen.timeline)
    assert_verdict(request, and_recovered(during, after), LiveTarget(stage.cluster, stage.cluster.redactor()))


@pytest.mark.requirement("EC-1")
@pytest.mark.parametrize("lost", [1, 2], ids=["one-pod-down", "two-pods-down"])
def test_four_drives_read_and_write_as_quorum_predicts(
    request: pytest.FixtureRequest, scenario: Stage, live_target: LiveTarget, lost: int
) -> None:
    """4 drives (EC:2): one lost keeps reads and writes; two lost keep reads and refuse writes."""
    if scenario.drives != 4:
        assert_verdict(
            request, not_applicable("EC-1", f"EC-1 concerns 4 drives; this leg has {scenario.drives}"), live_target
        )
    _degraded(request, scenario, "EC-1", lost)


@pytest.mark.requirement("EC-2")
def test_one_and_two_drives_follow_quorum_rules(
    request: pytest.FixtureRequest, scenario: Stage, live_target: LiveTarget
) -> None:
    """2 drives (EC:1): one lost keeps reads, refuses writes. 1 drive: nothing during the outage, intact after."""
    if scenario.drives not in (1, 2):
        assert_verdict(
            request,
            not_applicable("EC-2", f"EC-2 concerns 1 and 2 drives; this leg has {scenario.drives}"),
            live_target,
        )
    _degraded(request, scenario, "EC-2", 1)


# --- a whole node stopped -----------------------------------------------------------------------


@pytest.mark.requirement("EC-4")
def test_stopped_node_keeps_its_pod_and_reads_are_served(
    request: pytest.FixtureRequest, node_paused: NodeOutage | None, stage: Stage, live_target: LiveTarget
) -> None:
    """The node of minio-(N-1) is paused: its pod, even force-deleted, is never placed elsewhere; reads go on."""
    if node_paused is None:
        assert_verdict(
            request, not_applicable("EC-4", f"EC-4 concerns 4 nodes; this leg has {stage.drives}"), live_target
        )
        return
    exp = expect(stage.drives, 1)
    _say(request, f"EC-4: paused node {node_paused.node}; {exp.statement()}")
    _record(request, "timeline", node_paused.timeline)
    _record(request, "client wait on the lost pod's address", node_paused.hang)
    if node_paused.reads is not None:
        _record(
            request, "read latency s", {"healthy": stage.baseline.summary(), "degraded": node_paused.reads.summary()}
        )
    verdict = judge_pinned(
        "EC-4", node_paused.node, node_paused.placements, node_paused.reads, exp, node_paused.timeline
    )
    assert_verdict(request, verdict, live_target)


@pytest.mark.requirement("EC-3")
def test_all_drives_online_and_writes_after_the_node_returns(
    request: pytest.FixtureRequest, node_paused: NodeOutage | None, stage: Stage, live_target: LiveTarget
) -> None:
    """After the paused node returns: its pod is back, every drive online, writes succeed, every object intact."""
    if node_paused is None:
        assert_verdict(
            request,
            not_applicable("EC-3", f"the node-stop scenario runs on 4 nodes; this leg has {stage.drives}"),
            live_target,
        )
        return
    _record(request, "timeline", node_paused.timeline)
    verdict = _recovered(node_paused.recovery, stage, node_paused.reads_after, node_paused.timeline)
    assert_verdict(request, verdict, live_target)


# --- the node of minio-0 lost: OrderedReady and pinned volumes --------------------------------------


def _first_node_not_applicable(request: pytest.FixtureRequest, req_id: str, stage: Stage, target: LiveTarget) -> None:
    assert_verdict(
        request, not_applicable(req_id, f"losing minio-0's node needs 2+ nodes; this leg has {stage.drives}"), target
    )


@pytest.mark.requirement("STS-8")
def test_lost_minio0_node_blocks_ordered_recreation_of_later_pods(
    request: pytest.FixtureRequest, first_node_lost: FirstNodeLost | None, stage: Stage, live_target: LiveTarget
) -> None:
    """OrderedReady with pinned volumes: while minio-0's node is down, a deleted minio-1 is not recreated."""
    if first_node_lost is None:
        _first_node_not_applicable(request, "STS-8", stage, live_target)
        return
    lost = first_node_lost
    _record(request, "timeline", lost.timeline)
    _record(request, "client wait on minio-0's address", lost.hang)
    _record(request, "statefulset samples", [vars(s) for s in lost.samples])
    verdict = judge_ordered_outage("STS-8", lost.node, lost.peer, lost.samples, lost.timeline)
    for note in verdict.notes:
        _say(request, note)
    assert_verdict(request, verdict, live_target)


def _s3_while_first_node_lost(
    request: pytest.FixtureRequest,
    req_id: str,
    drives: int,
    lost: FirstNodeLost | None,
    stage: Stage,
    target: LiveTarget,
) -> None:
    if lost is None or stage.drives != drives:
        why = f"{req_id} is judged here on {drives} nodes; this leg has {stage.drives}"
        assert_verdict(request, not_applicable(req_id, why), target)
        return
    exp = expect(stage.drives, 2)
    _say(request, f"{req_id} (minio-0's node and minio-1 lost): {exp.statement()}")
    _record(request, "timeline", lost.timeline)
    _record(request, "read latency s", {"healthy": stage.baseline.summary(), "degraded": lost.during.reads.summary()})
    assert_verdict(request, judge_degraded(req_id, exp, lost.during, lost.timeline), target)


@pytest.mark.requirement("EC-1")
def test_four_drives_with_minio0_node_and_minio1_lost_keep_reads_only(
    request: pytest.FixtureRequest, first_node_lost: FirstNodeLost | None, stage: Stage, live_target: LiveTarget
) -> None:
    """4 drives, minio-0's node and minio-1 gone (two lost): reads succeed, writes are refused."""
    _s3_while_first_node_lost(request, "EC-1", 4, first_node_lost, stage, live_target)


@pytest.mark.requirement("EC-2")
def test_two_drives_with_both_pods_lost_serve_nothing(
    request: pytest.FixtureRequest, first_node_lost: FirstNodeLost | None, stage: Stage, live_target: LiveTarget
) -> None:
    """2 drives, minio-0's node and minio-1 gone (both lost): no reads, no writes, as quorum predicts."""
    _s3_while_first_node_lost(request, "EC-2", 2, first_node_lost, stage, live_target)


@pytest.mark.requirement("EC-3")
def test_set_recovers_when_the_minio0_node_returns(
    request: pytest.FixtureRequest, first_node_lost: FirstNodeLost | None, stage: Stage, live_target: LiveTarget
) -> None:
    """After minio-0's node returns: every pod Ready, every drive online, writes succeed, every object intact."""
    if first_node_lost is None:
        _first_node_not_applicable(request, "EC-3", stage, live_target)
        return
    _record(request, "timeline", first_node_lost.timeline)
    verdict = _recovered(first_node_lost.recovery, stage, first_node_lost.reads_after, first_node_lost.timeline)
    assert_verdict(request, verdict, live_target)


# --- a hung MinIO process -------------------------------------------------------------------------


@pytest.mark.requirement("PRB-4")
@pytest.mark.parametrize("signal", ["STOP", "KILL"], ids=["frozen-SIGSTOP", "killed-SIGKILL"])
def test_hung_or_killed_minio_is_restarted_and_leaves_endpoints(
    request: pytest.FixtureRequest, stage: Stage, live_target: LiveTarget, node_hosts: dict[str, Any], signal: str
) -> None:
    """Frozen: liveness restarts it; killed: the kubelet does. Either way it leaves, then rejoins, the endpoints.

    The frozen case runs on the 1-node leg only (about 150 s a leg): the kubelet's liveness probe
    and the endpoints controller act on one container, whatever the node count.
    """
    if signal == "STOP" and stage.drives != FROZEN_PROCESS_NODES:
        why = (
            f"PRB-4's frozen process is proven on the {FROZEN_PROCESS_NODES}-node leg: liveness restarts a frozen "
            "container and readiness takes it out of the endpoints whatever the node count "
            f"(this leg has {stage.drives}; the killed process runs on every leg)"
        )
        assert_verdict(request, not_applicable("PRB-4", why), live_target)
        return
    scenario: Stage = request.getfixturevalue("scenario")
    seen = signal_minio(scenario, node_hosts, signal)
    _record(request, "timeline", seen.timeline)
    _record(request, "last termination", seen.last_termination)
    verdict = liveness_recovery(
        seen.pod, seen.restarts_before, seen.restarts_after, seen.left_endpoints, seen.back, seen.timeline
    )
    assert_verdict(request, verdict, live_target)


# --- the StatefulSet deleted and recreated --------------------------------------------------------


@pytest.mark.requirement("OPS-4")
def test_claims_survive_statefulset_deletion_and_scale_in(
    request: pytest.FixtureRequest, scenario: Stage, live_target: LiveTarget
) -> None:
    """Delete the StatefulSet, recreate it from the manifests: same claims, data intact; scale-in keeps claims."""
    seen = statefulset_recreated(scenario)
    _record(request, "timeline", seen.timeline)
    verdict = claims_retained(
        "OPS-4", seen.before, seen.after_delete, seen.after_recreate, seen.scaled_kept, seen.reads_intact
    )
    assert_verdict(request, verdict, live_target)
