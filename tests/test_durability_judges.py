"""The durability judges pass on what MinIO's erasure-coding table predicts and fail on every deviation.

A judge that cannot fail proves nothing, so each one is shown one good observation and
one bad observation per kind of finding it can raise. Pure: no cluster, no S3.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minio_conformance.checks.durability import (
    SetSample,
    and_recovered,
    judge_degraded,
    judge_ordered_outage,
    judge_pinned,
    judge_recovered,
    judge_same_place,
)
from minio_conformance.durability import INTACT, Expectation, Observation, ReadPass, expect
from minio_conformance.verdict import Status, Verdict

pytestmark = pytest.mark.unit

TIMELINE = {"lost": 0.0, "observed": 12.5}


def reads(*failed: str, intact: int = 2) -> ReadPass:
    """`intact` good objects, plus one failed read per outcome in `failed`."""
    results = {f"ok-{i}": INTACT for i in range(intact)}
    results.update({f"bad-{i}": outcome for i, outcome in enumerate(failed)})
    return ReadPass(results, {k: 0.01 * (i + 1) for i, k in enumerate(results)})


def messages(v: Verdict) -> str:
    return "\n".join(str(f) for f in v.findings)


# --- expect() / Expectation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("drives", "lost", "reads_ok", "writes_ok"),
    [
        (1, 0, True, True),
        (1, 1, False, False),
        (2, 1, True, False),
        (2, 2, False, False),
        (4, 1, True, True),
        (4, 2, True, False),
        (4, 3, False, False),
    ],
)
def test_expect_follows_the_erasure_coding_table(drives: int, lost: int, reads_ok: bool, writes_ok: bool) -> None:
    assert expect(drives, lost) == Expectation(drives, lost, reads_ok, writes_ok)


@pytest.mark.parametrize(("drives", "parity"), [(1, 0), (2, 1), (4, 2)])
def test_expectation_profile_has_the_default_parity(drives: int, parity: int) -> None:
    assert expect(drives, 0).profile.parity == parity


@pytest.mark.parametrize(
    ("drives", "lost", "fragments"),
    [
        (1, 1, ["1 drive(s)", "EC:0", "1 lost", "reads fail", "writes are refused"]),
        (2, 1, ["EC:1", "write quorum 2", "reads succeed", "writes are refused"]),
        (4, 1, ["EC:2", "read quorum 2", "write quorum 3", "reads succeed", "writes succeed"]),
        (4, 2, ["EC:2", "2 lost", "reads succeed", "writes are refused"]),
        (4, 3, ["3 lost", "reads fail", "writes are refused"]),
    ],
)
def test_statement_names_the_predicted_outcome(drives: int, lost: int, fragments: list[str]) -> None:
    text = expect(drives, lost).statement()
    for fragment in fragments:
        assert fragment in text


# --- ReadPass ---------------------------------------------------------------------------


def test_read_pass_splits_intact_from_failed_and_summarises() -> None:
    rp = ReadPass({"a": INTACT, "b": "corrupt", "c": "NoSuchKey"}, {"a": 0.5, "b": 0.1, "c": 2.0})
    assert rp.intact == ["a"]
    assert rp.failed == {"b": "corrupt", "c": "NoSuchKey"}
    assert rp.summary() == {
        "objects": 3,
        "intact": 1,
        "failed": {"b": "corrupt", "c": "NoSuchKey"},
        "latency max s": 2.0,
        "latency median s": 0.5,
    }


def test_empty_read_pass_summary_has_no_latency() -> None:
    summary = ReadPass().summary()
    assert summary["objects"] == 0
    assert summary["latency max s"] is None
    assert summary["latency median s"] is None


# --- judge_degraded ---------------------------------------------------------------------

HEALTHY = {"write": 200, "read": 200}
READ_ONLY = {"write": 503, "read": 200}
DOWN = {"write": 503, "read": 503}


@pytest.mark.parametrize(
    ("drives", "lost", "obs"),
    [
        (4, 1, Observation(reads(), "ok", HEALTHY)),
        (4, 2, Observation(reads(), "XMinioWriteQuorum", READ_ONLY)),
        (2, 1, Observation(reads(), "XMinioWriteQuorum", READ_ONLY)),
        (4, 3, Observation(reads("XMinioReadQuorum", intact=0), "XMinioWriteQuorum", DOWN)),
        (1, 1, Observation(reads("connection refused", intact=0), "connection refused", {})),
    ],
    ids=["4-drives-1-lost", "4-drives-2-lost", "2-drives-1-lost", "4-drives-3-lost", "1-drive-1-lost"],
)
def test_degraded_passes_when_everything_matches_the_prediction(drives: int, lost: int, obs: Observation) -> None:
    exp = expect(drives, lost)
    v = judge_degraded("EC-2", exp, obs, TIMELINE)
    assert v.status is Status.PASSED, v.summary()
    assert v.notes == (exp.statement(),)
    assert v.evidence["expected"] == exp.statement()


@pytest.mark.parametrize(
    ("drives", "lost", "obs", "fragment"),
    [
        (4, 1, Observation(reads("corrupt"), "ok", HEALTHY), "read of bad-0 failed with 1 lost: corrupt"),
        (4, 3, Observation(reads("x"), "refused", DOWN), "2 object(s) were readable although read quorum is lost"),
        (4, 1, Observation(reads(), "SlowDown", HEALTHY), "write failed with 1 lost: SlowDown"),
        (2, 1, Observation(reads(), "ok", READ_ONLY), "write succeeded although write quorum is lost"),
        (4, 1, Observation(reads(), "ok", READ_ONLY), "write-quorum health answered 503, expected 200"),
        (4, 2, Observation(reads(), "refused", {"write": 503}), "read-quorum health answered None, expected 200"),
        (4, 2, Observation(reads(), "refused", HEALTHY), "write-quorum health answered 200 although write quorum"),
        (
            4,
            3,
            Observation(reads("x", intact=0), "refused", {"write": 503, "read": 200}),
            "read-quorum health answered 200 although read quorum is lost",
        ),
    ],
    ids=[
        "read-failed",
        "read-served-without-quorum",
        "write-failed",
        "write-accepted-without-quorum",
        "write-health-not-200",
        "read-health-missing",
        "write-health-200-without-quorum",
        "read-health-200-without-quorum",
    ],
)
def test_degraded_fails_on_each_deviation(drives: int, lost: int, obs: Observation, fragment: str) -> None:
    v = judge_degraded("EC-2", expect(drives, lost), obs, TIMELINE)
    assert v.status is Status.FAILED
    assert len(v.findings) == 1, v.summary()
    assert fragment in messages(v)


# --- judge_recovered --------------------------------------------------------------------


def test_recovered_passes_and_keeps_refused_attempts_as_evidence_only() -> None:
    v = judge_recovered("EC-3", 4, 4, "ok", reads(), TIMELINE, failed_writes=["XMinioWriteQuorum", "timeout"])
    assert v.status is Status.PASSED
    assert v.findings == ()
    assert v.evidence["write attempts refused before recovery"] == ["XMinioWriteQuorum", "timeout"]


def test_recovered_failed_writes_default_to_none() -> None:
    v = judge_recovered("EC-3", 2, 2, "ok", reads(), TIMELINE)
    assert v.status is Status.PASSED
    assert v.evidence["write attempts refused before recovery"] == []


@pytest.mark.parametrize(
    ("online", "write", "rp", "fragment"),
    [
        (3, "ok", reads(), "3 of 4 drive(s) online after recovery"),
        (4, "XMinioWriteQuorum", reads(), "write after recovery failed: XMinioWriteQuorum"),
        (4, "ok", reads("corrupt"), "bad-0 after recovery: corrupt"),
    ],
    ids=["drive-offline", "write-failed", "object-damaged"],
)
def test_recovered_fails_on_each_deviation(online: int, write: str, rp: ReadPass, fragment: str) -> None:
    v = judge_recovered("EC-3", online, 4, write, rp, TIMELINE, failed_writes=["earlier"])
    assert v.status is Status.FAILED
    assert len(v.findings) == 1
    assert fragment in messages(v)


# --- and_recovered: an outage and what followed it, one verdict ------------------------------------

ONE_DRIVE_OUTAGE = Observation(reads("EndpointConnectionError", intact=0), "EndpointConnectionError", {})


def test_outage_and_recovery_pass_together() -> None:
    during = judge_degraded("EC-2", expect(1, 1), ONE_DRIVE_OUTAGE, TIMELINE)
    after = judge_recovered("EC-3", 1, 1, "ok", reads(), TIMELINE)
    v = and_recovered(during, after)
    assert v.status is Status.PASSED
    assert v.requirement == "EC-2"
    assert v.evidence["after the outage"]["write"] == "ok"
    assert v.notes == during.notes


def test_outage_as_predicted_but_data_unreadable_after_fails() -> None:
    """The 1-drive case: unavailable during the outage is expected, unreadable after it is not."""
    during = judge_degraded("EC-2", expect(1, 1), ONE_DRIVE_OUTAGE, TIMELINE)
    after = judge_recovered("EC-3", 1, 1, "ok", reads("EndpointConnectionError"), TIMELINE)
    v = and_recovered(during, after)
    assert v.status is Status.FAILED
    assert v.requirement == "EC-2"
    assert "after the outage: bad-0 after recovery: EndpointConnectionError" in messages(v)


def test_outage_findings_stay_unprefixed_next_to_recovery_findings() -> None:
    during = judge_degraded(
        "EC-1", expect(4, 1), Observation(reads(), "XMinioWriteQuorum", {"write": 200, "read": 200}), TIMELINE
    )
    after = judge_recovered("EC-3", 3, 4, "ok", reads(), TIMELINE)
    text = messages(and_recovered(during, after))
    assert "write failed with 1 lost: XMinioWriteQuorum" in text
    assert "after the outage: 3 of 4 drive(s) online after recovery" in text


# --- judge_same_place -------------------------------------------------------------------

PLACE = {"node": "worker", "claim": "data-minio-0", "pv": "minio-pv-0"}


def test_same_place_passes_when_pod_returns_to_node_claim_and_pv() -> None:
    v = judge_same_place("PV-3", PLACE, dict(PLACE), reads(), TIMELINE)
    assert v.status is Status.PASSED


@pytest.mark.parametrize(
    ("after", "fragment"),
    [
        ({**PLACE, "node": "worker2"}, "node was 'worker', now 'worker2'"),
        ({**PLACE, "pv": "other-pv"}, "pv was 'minio-pv-0', now 'other-pv'"),
        ({"node": "worker", "pv": "minio-pv-0"}, "claim was 'data-minio-0', now None"),
    ],
    ids=["moved-node", "other-pv", "claim-missing"],
)
def test_same_place_fails_when_placement_changes(after: dict[str, str], fragment: str) -> None:
    v = judge_same_place("PV-3", PLACE, after, reads(), TIMELINE)
    assert v.status is Status.FAILED
    assert fragment in messages(v)


def test_same_place_fails_when_data_is_damaged() -> None:
    v = judge_same_place("PV-3", PLACE, dict(PLACE), reads("corrupt"), TIMELINE)
    assert v.status is Status.FAILED
    assert "bad-0: corrupt" in messages(v)


# --- judge_pinned -----------------------------------------------------------------------


@pytest.mark.parametrize("rp", [reads(), None], ids=["with-reads", "without-reads"])
def test_pinned_passes_when_pod_stays_on_its_node_or_unscheduled(rp: ReadPass | None) -> None:
    exp = expect(4, 1)
    v = judge_pinned("EC-4", "worker", ["worker", None, "worker"], rp, exp, TIMELINE)
    assert v.status is Status.PASSED
    assert v.notes == (exp.statement(),)
    assert v.evidence["placements seen"] == ["None", "worker"]


def test_pinned_fails_when_pod_lands_on_another_node() -> None:
    v = judge_pinned("EC-4", "worker", ["worker", "worker3", None], reads(), expect(4, 1), TIMELINE)
    assert v.status is Status.FAILED
    assert "pod was placed on worker3 while its node worker was down" in messages(v)


def test_pinned_fails_when_predicted_reads_fail() -> None:
    v = judge_pinned("EC-4", "worker", [None], reads("XMinioReadQuorum"), expect(4, 1), TIMELINE)
    assert v.status is Status.FAILED
    assert "read of bad-0 failed while worker was down: XMinioReadQuorum" in messages(v)


def test_pinned_does_not_hold_failed_reads_against_an_unreadable_set() -> None:
    v = judge_pinned("EC-4", "worker", [None], reads("refused", intact=0), expect(1, 1), TIMELINE)
    assert v.status is Status.PASSED


# --- SetSample + judge_ordered_outage ---------------------------------------------------

LOST = "worker"
PEER = "minio-2"


def outage(*samples: SetSample) -> Verdict:
    return judge_ordered_outage("STS-8", LOST, PEER, samples, TIMELINE)


@pytest.mark.parametrize(
    "samples",
    [
        (SetSample(0.0, LOST, False, False), SetSample(30.0, LOST, False, False), SetSample(60.0, None, False, False)),
        (SetSample(5.0, None, False, False),),
    ],
    ids=["stays-on-lost-node", "unscheduled"],
)
def test_ordered_outage_passes_and_says_the_set_was_blocked(samples: tuple[SetSample, ...]) -> None:
    v = outage(*samples)
    assert v.status is Status.PASSED
    assert v.evidence["set blocked"] is True
    assert len(v.notes) == 1
    watched = f"{max(s.t for s in samples):.0f} s watched"
    assert f"{PEER} was not recreated for the {watched}" in v.notes[0]
    assert "restores no later pod until minio-0's node returns" in v.notes[0]


def test_ordered_outage_fails_when_minio_0_is_placed_elsewhere() -> None:
    v = outage(SetSample(0.0, LOST, False, False), SetSample(20.0, "worker3", False, False))
    assert v.status is Status.FAILED
    assert "minio-0 was placed on worker3 while its node worker was down" in messages(v)


def test_ordered_outage_fails_when_later_pod_returns_before_minio_0_is_ready() -> None:
    v = outage(SetSample(0.0, LOST, False, False), SetSample(42.0, LOST, False, True))
    assert v.status is Status.FAILED
    assert f"{PEER} was recreated 42 s after its deletion while minio-0 was not Ready" in messages(v)
    assert v.evidence["set blocked"] is False
    assert v.notes == ()


def test_ordered_outage_fails_without_samples() -> None:
    v = outage()
    assert v.status is Status.FAILED
    assert "nothing observed: the StatefulSet was never sampled during the outage" in messages(v)
    assert v.notes == ()


def test_ordered_outage_allows_later_pod_once_minio_0_is_ready() -> None:
    v = outage(SetSample(0.0, LOST, False, False), SetSample(90.0, LOST, True, True))
    assert v.status is Status.PASSED
    assert v.evidence["minio-0 Ready seen"] is True
    assert v.evidence["set blocked"] is False
    assert v.notes == (f"{PEER} came back 90 s after its deletion, once minio-0 was Ready again.",)


def test_ordered_outage_never_calls_a_failed_set_blocked() -> None:
    v = outage(SetSample(0.0, LOST, False, False), SetSample(20.0, "worker3", False, False))
    assert v.evidence["set blocked"] is False
    assert v.notes == ()


def test_ordered_outage_names_the_earliest_recreation() -> None:
    v = outage(SetSample(50.0, LOST, False, True), SetSample(10.0, LOST, False, True))
    assert "recreated 10 s after its deletion" in messages(v)


# --- an empty read pass proves nothing --------------------------------------------------


EMPTY = ReadPass()


@pytest.mark.parametrize(
    ("judge", "fragment"),
    [
        (
            lambda: judge_degraded("EC-1", expect(4, 1), Observation(EMPTY, "ok", {"write": 200, "read": 200}), {}),
            "no object was read during the outage",
        ),
        (lambda: judge_recovered("EC-3", 4, 4, "ok", EMPTY, {}), "no object was read after recovery"),
        (
            lambda: judge_same_place("PV-3", {"node": "w"}, {"node": "w"}, EMPTY, {}),
            "no object was read after the pod returned",
        ),
        (lambda: judge_pinned("EC-4", "w", ["w"], EMPTY, expect(4, 1), {}), "no object was read while w was down"),
        (lambda: judge_pinned("EC-4", "w", [], reads(), expect(4, 1), {}), "placement was never read while w was down"),
    ],
    ids=["degraded", "recovered", "same-place", "pinned-reads", "pinned-placements"],
)
def test_judges_fail_when_nothing_was_observed(judge: Callable[[], Verdict], fragment: str) -> None:
    v = judge()
    assert v.status is Status.FAILED
    assert f"nothing observed: {fragment}" in messages(v) or fragment in messages(v)


def test_pinned_fails_when_reads_succeed_although_read_quorum_is_lost() -> None:
    v = judge_pinned("EC-4", "w", ["w"], reads(intact=3), expect(4, 3), {})
    assert v.status is Status.FAILED
    assert "3 object(s) were readable while w was down although read quorum is lost" in messages(v)
