"""EC, PV-3, PRB-4, OPS-4: erasure-coded data through pod loss and node loss (000 §2, §6, §9; 001).

Each scenario states MinIO's predicted outcome for this leg's drive count before it
injects the fault, then asserts it, refusals included. Scenarios run after every
non-disruptive test, one at a time, and each either leaves the cluster healthy or
marks it tainted so later scenarios fail fast instead of judging a broken cluster.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from fixtures.durability import (
    DataSet,
    Recovery,
    Timeline,
    api_endpoints,
    as_json,
    await_first_write,
    await_recovery,
    node_lost,
    observe,
    pods_held_down,
    pods_ready,
    quorum_health,
    read_pass,
    require_healthy,
    restore_or_taint,
    scale,
    wait_until,
    write_data_set,
)
from fixtures.evidence import assert_verdict
from fixtures.kube import wait_for
from fixtures.live import LiveCluster, LiveTarget
from fixtures.s3 import S3Endpoint, node_addresses
from minio_conformance.checks.durability import (
    SetSample,
    and_recovered,
    judge_degraded,
    judge_ordered_outage,
    judge_pinned,
    judge_recovered,
    judge_same_place,
)
from minio_conformance.checks.operations import claims_retained
from minio_conformance.checks.probes import liveness_recovery
from minio_conformance.durability import Observation, ReadPass, expect
from minio_conformance.manifests import dump_documents
from minio_conformance.objects import NAMESPACE, is_ready
from minio_conformance.verdict import Verdict, not_applicable

pytestmark = pytest.mark.disruptive


def _record(request: pytest.FixtureRequest, key: str, value: Any) -> None:
    request.node.user_properties.append((key, as_json(value)))


def _say(request: pytest.FixtureRequest, line: str) -> None:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"[durability] {line}")


@dataclass
class Stage:
    cluster: LiveCluster
    endpoint: S3Endpoint
    access: str
    secret: str
    data: DataSet
    baseline: ReadPass

    @property
    def drives(self) -> int:
        return self.cluster.record.replicas

    def reads(self) -> ReadPass:
        return read_pass(self.endpoint, self.access, self.secret, self.data)


@pytest.fixture(scope="module")
def stage(live_cluster: LiveCluster, s3_endpoint: S3Endpoint) -> Stage:
    """The data set, written before any failure, and a healthy read pass as the latency baseline."""
    require_healthy(live_cluster)
    access, secret = live_cluster.credentials()
    # Ready pods are not a formed cluster: /minio/health/ready answers 200 before quorum.
    if not wait_until(lambda: quorum_health(s3_endpoint).get("write") == 200, 180, interval=2):
        pytest.fail(f"MinIO never reached write quorum: {quorum_health(s3_endpoint)}", pytrace=False)
    # Quorum health can say 200 while writes still fail (503, or SlowDownWrite right after a
    # redeploy over retained data): wait for a real write before writing the data set.
    if not await_first_write(s3_endpoint, access, secret)[0]:
        pytest.fail("MinIO accepted no write within 180 s of reaching write quorum", pytrace=False)
    data = write_data_set(s3_endpoint, access, secret)
    baseline = read_pass(s3_endpoint, access, secret, data)
    assert not baseline.failed, f"healthy cluster failed to read back the data set: {baseline.failed}"
    return Stage(live_cluster, s3_endpoint, access, secret, data, baseline)


@pytest.fixture
def scenario(stage: Stage, request: pytest.FixtureRequest) -> Iterator[Stage]:
    require_healthy(stage.cluster)
    yield stage
    restore_or_taint(stage.cluster, stage.endpoint, request.node.name)


def _victim(stage: Stage) -> str:
    return f"minio-{stage.drives - 1}"


def _placement(cluster: LiveCluster, pod: str) -> dict[str, str]:
    p = cluster.kube.core.read_namespaced_pod(pod, NAMESPACE)
    claim = cluster.kube.core.read_namespaced_persistent_volume_claim(f"data-{pod}", NAMESPACE)
    return {
        "node": p.spec.node_name,
        "claim": claim.metadata.name,
        "claim uid": claim.metadata.uid,
        "pv": claim.spec.volume_name,
    }


# --- one pod deleted: it returns to its node, its claim and its data ------------------------------


@dataclass
class PodReturn:
    before: dict[str, str]
    after: dict[str, str]
    reads_after: ReadPass
    recovery: Recovery
    timeline: dict[str, float]


@pytest.fixture(scope="module")
def pod_return(stage: Stage) -> PodReturn:
    require_healthy(stage.cluster)
    cluster, pod = stage.cluster, _victim(stage)
    before = _placement(cluster, pod)
    t = Timeline()
    cluster.kube.core.delete_namespaced_pod(pod, NAMESPACE)
    wait_until(lambda: not pods_ready(cluster, stage.drives), 60, interval=0.2)
    t.mark("loss detected (pod not Ready)")
    if wait_until(lambda: not stage.reads().failed, 300, interval=1):
        t.mark("reads succeed")
    wait_for(f"{pod} Ready again", lambda: pods_ready(cluster, stage.drives), 300, interval=1)
    t.mark("pod Ready again")
    recovery = await_recovery(stage.endpoint, stage.access, stage.secret, stage.drives, t)
    outcome = PodReturn(before, _placement(cluster, pod), stage.reads(), recovery, t.events)
    restore_or_taint(cluster, stage.endpoint, "pod deletion")
    return outcome


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
    t = Timeline()
    with pods_held_down(stage.cluster, lost, t):
        want = {"write": exp.writes, "read": exp.reads}
        if wait_until(lambda: {k: v == 200 for k, v in quorum_health(stage.endpoint).items()} == want, 90, 2):
            t.mark("quorum health reflects the loss")
        obs = observe(stage.endpoint, stage.access, stage.secret, stage.data)
        t.mark("read pass and write attempt done")
    recovery = await_recovery(stage.endpoint, stage.access, stage.secret, stage.drives, t)
    reads_after = stage.reads()
    t.mark("read pass after the outage done")
    _record(request, "timeline", t.events)
    _record(
        request,
        "read latency s",
        {"healthy": stage.baseline.summary(), "degraded": obs.reads.summary(), "after": reads_after.summary()},
    )
    during = judge_degraded(req_id, exp, obs, t.events)
    after = _recovered(recovery, stage, reads_after, t.events)
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


@dataclass
class NodeOutage:
    node: str
    placements: list[str | None]
    reads: ReadPass | None
    hang: dict[str, Any]
    recovery: Recovery
    reads_after: ReadPass
    timeline: dict[str, float]


def _other_host(node_hosts: dict[str, Any], cluster: LiveCluster, not_on: str) -> Any:
    """A schedulable node's testinfra host other than `not_on`, as a client inside the cluster network."""
    return next(node_hosts[n] for n in cluster.record.schedulable if n != not_on)


@pytest.fixture(scope="module")
def node_paused(stage: Stage, node_hosts: dict[str, Any]) -> NodeOutage | None:
    """The node of minio-(N-1) paused: its pod force-deleted and watched for 30 s; then the node returns."""
    if stage.drives != 4:
        return None
    require_healthy(stage.cluster)
    cluster, pod = stage.cluster, _victim(stage)
    node = _placement(cluster, pod)["node"]
    ip = cluster.kube.core.read_namespaced_pod(pod, NAMESPACE).status.pod_ip
    t = Timeline()
    placements: list[str | None] = []
    with node_lost(cluster, node, _other_host(node_hosts, cluster, node), ip, t) as loss:
        cluster.kube.core.delete_namespaced_pod(pod, NAMESPACE, grace_period_seconds=0)
        t.mark("pod force-deleted")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            placements.append(_pod_node(cluster, pod))
            time.sleep(2)
        reads = stage.reads()
        t.mark("read pass during outage done")
    placements.append(_pod_node(cluster, pod))
    recovery = await_recovery(stage.endpoint, stage.access, stage.secret, stage.drives, t)
    outcome = NodeOutage(node, placements, reads, loss.hang, recovery, stage.reads(), t.events)
    restore_or_taint(cluster, stage.endpoint, "node paused")
    return outcome


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


@dataclass
class FirstNodeLost:
    node: str
    peer: str
    samples: list[SetSample]
    during: Observation
    hang: dict[str, Any]
    recovery: Recovery
    reads_after: ReadPass
    timeline: dict[str, float]


def _set_sample(cluster: LiveCluster, peer: str, peer_uid: str, since: float) -> SetSample:
    pods = {p["metadata"]["name"]: p for p in cluster.kube.pods()}
    first = pods.get("minio-0") or {}
    again = pods.get(peer)
    return SetSample(
        round(time.monotonic() - since, 1),
        (first.get("spec") or {}).get("nodeName"),
        is_ready(first),
        again is not None and again["metadata"].get("uid") != peer_uid,
    )


@pytest.fixture(scope="module")
def first_node_lost(stage: Stage, node_hosts: dict[str, Any]) -> FirstNodeLost | None:
    """Pause minio-0's node, force-delete minio-0, delete minio-1, watch 60 s, then bring the node back.

    The S3 client goes through a node that stays up: the default endpoint is minio-0's own node.
    """
    if stage.drives < 2:
        return None
    require_healthy(stage.cluster)
    cluster, peer = stage.cluster, "minio-1"
    node = _placement(cluster, "minio-0")["node"]
    ip = cluster.kube.core.read_namespaced_pod("minio-0", NAMESPACE).status.pod_ip
    addresses = node_addresses(cluster.kube.nodes())
    endpoint = S3Endpoint(addresses[next(n for n in reversed(cluster.record.schedulable) if n != node)])
    t = Timeline()
    samples: list[SetSample] = []
    with node_lost(cluster, node, _other_host(node_hosts, cluster, node), ip, t) as loss:
        cluster.kube.core.delete_namespaced_pod("minio-0", NAMESPACE, grace_period_seconds=0)
        t.mark("minio-0 force-deleted")
        peer_uid = cluster.kube.core.read_namespaced_pod(peer, NAMESPACE).metadata.uid
        cluster.kube.core.delete_namespaced_pod(peer, NAMESPACE)
        wait_until(lambda: _pod_uid(cluster, peer) != peer_uid, 120)  # gone, or already recreated
        deleted_at = time.monotonic()
        t.mark(f"{peer} deleted")
        samples.append(_set_sample(cluster, peer, peer_uid, deleted_at))
        during = observe(endpoint, stage.access, stage.secret, stage.data)
        t.mark("read pass and write attempt during the outage done")
        while time.monotonic() - deleted_at < 60:
            samples.append(_set_sample(cluster, peer, peer_uid, deleted_at))
            time.sleep(2)
        samples.append(_set_sample(cluster, peer, peer_uid, deleted_at))
        t.mark("watch of the StatefulSet done")
    recovery = await_recovery(endpoint, stage.access, stage.secret, stage.drives, t)
    reads_after = read_pass(endpoint, stage.access, stage.secret, stage.data)
    outcome = FirstNodeLost(node, peer, samples, during, loss.hang, recovery, reads_after, t.events)
    restore_or_taint(cluster, stage.endpoint, "node of minio-0 lost")
    return outcome


def _pod_uid(cluster: LiveCluster, pod: str) -> str | None:
    try:
        return str(cluster.kube.core.read_namespaced_pod(pod, NAMESPACE).metadata.uid)
    except Exception:
        return None


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


def _pod_node(cluster: LiveCluster, pod: str) -> str | None:
    try:
        node = cluster.kube.core.read_namespaced_pod(pod, NAMESPACE).spec.node_name
        return str(node) if node else None
    except Exception:
        return None


# --- a hung MinIO process -------------------------------------------------------------------------


def _restarts(cluster: LiveCluster, pod: str) -> int:
    p = cluster.kube.core.read_namespaced_pod(pod, NAMESPACE)
    return sum(c.restart_count for c in p.status.container_statuses or [])


def _last_termination(cluster: LiveCluster, pod: str, since: datetime) -> dict[str, Any]:
    """Why the container last stopped (reason, exit code) and how often the liveness probe failed since `since`."""
    p = cluster.kube.core.read_namespaced_pod(pod, NAMESPACE)
    last = next((c.last_state.terminated for c in p.status.container_statuses or [] if c.last_state), None)
    events = cluster.kube.core.list_namespaced_event(NAMESPACE, field_selector=f"involvedObject.name={pod}").items
    liveness = sum(
        e.count or 1
        for e in events
        if "Liveness probe failed" in (e.message or "")
        and (e.last_timestamp or e.event_time or e.first_timestamp or since) >= since
    )
    return {
        "reason": getattr(last, "reason", None),
        "exit code": getattr(last, "exit_code", None),
        "liveness probe failures (events)": liveness,
    }


@pytest.mark.requirement("PRB-4")
@pytest.mark.parametrize("signal", ["STOP", "KILL"], ids=["frozen-SIGSTOP", "killed-SIGKILL"])
def test_hung_or_killed_minio_is_restarted_and_leaves_endpoints(
    request: pytest.FixtureRequest, scenario: Stage, live_target: LiveTarget, node_hosts: dict[str, Any], signal: str
) -> None:
    """Frozen: liveness restarts it; killed: the kubelet does. Either way it leaves, then rejoins, the endpoints."""
    cluster, pod = scenario.cluster, _victim(scenario)
    placement = _placement(cluster, pod)
    ip = cluster.kube.core.read_namespaced_pod(pod, NAMESPACE).status.pod_ip
    before = _restarts(cluster, pod)
    t = Timeline()
    signalled_at = datetime.now(UTC).replace(microsecond=0)
    result = node_hosts[placement["node"]].run(f"pkill -{signal} -x minio")
    assert result.rc == 0, f"could not signal minio on {placement['node']}: {result.stderr}"
    t.mark(f"minio sent SIG{signal}")
    left = wait_until(lambda: ip not in api_endpoints(cluster), 120, 0.5)
    if left:
        t.mark("left the endpoints")
    restarted = wait_until(lambda: _restarts(cluster, pod) > before, 300, 2)
    if restarted:
        t.mark("container restarted")
    back = wait_until(
        lambda: (
            pods_ready(cluster, scenario.drives)
            and cluster.kube.core.read_namespaced_pod(pod, NAMESPACE).status.pod_ip in api_endpoints(cluster)
        ),
        240,
        2,
    )
    if back:
        t.mark("Ready and back in endpoints")
    _record(request, "timeline", t.events)
    _record(request, "last termination", _last_termination(cluster, pod, signalled_at))
    verdict = liveness_recovery(pod, before, _restarts(cluster, pod), left, back, t.events)
    assert_verdict(request, verdict, live_target)


# --- the StatefulSet deleted and recreated --------------------------------------------------------


def _claims(cluster: LiveCluster) -> dict[str, str]:
    items = cluster.kube.core.list_namespaced_persistent_volume_claim(NAMESPACE).items
    return {c.metadata.name: c.metadata.uid for c in items if c.metadata.name.startswith("data-minio-")}


@pytest.mark.requirement("OPS-4")
def test_claims_survive_statefulset_deletion_and_scale_in(
    request: pytest.FixtureRequest, scenario: Stage, live_target: LiveTarget
) -> None:
    """Delete the StatefulSet, recreate it from the manifests: same claims, data intact; scale-in keeps claims."""
    cluster = scenario.cluster
    before = _claims(cluster)
    sts = cluster.kube.plain(cluster.kube.apps.read_namespaced_stateful_set("minio", NAMESPACE))
    for key in ("status",):
        sts.pop(key, None)
    meta = sts["metadata"]
    sts["metadata"] = {k: meta[k] for k in ("name", "namespace", "labels", "annotations") if k in meta}
    sts.update(kind="StatefulSet", apiVersion="apps/v1")
    t = Timeline()
    cluster.kube.apps.delete_namespaced_stateful_set("minio", NAMESPACE)
    wait_for("MinIO pods gone", lambda: not cluster.kube.pods(), 300, interval=1)
    t.mark("statefulset and pods deleted")
    after_delete = _claims(cluster)
    cluster.kubectl("apply", "-f", "-", input_text=dump_documents([sts]))
    wait_for("recreated pods Ready", lambda: pods_ready(cluster, scenario.drives), 300, interval=1)
    t.mark("recreated and Ready")
    wait_until(lambda: not scenario.reads().failed, 120, 2)
    reads = scenario.reads()
    after_recreate = _claims(cluster)
    scaled_kept = None
    if scenario.drives > 1:
        scale(cluster, scenario.drives - 1)
        wait_for("scale-in", lambda: len(cluster.kube.pods()) == scenario.drives - 1, 180, interval=1)
        scaled_kept = f"data-minio-{scenario.drives - 1}" in _claims(cluster)
        scale(cluster, scenario.drives)
        wait_for("scale back", lambda: pods_ready(cluster, scenario.drives), 300, interval=1)
        t.mark("scale-in and back done")
    _record(request, "timeline", t.events)
    verdict = claims_retained("OPS-4", before, after_delete, after_recreate, scaled_kept, not reads.failed)
    assert_verdict(request, verdict, live_target)
