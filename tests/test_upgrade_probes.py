"""The upgrade probes keep their rate while an attempt hangs, and gaps are measured between completions."""

from __future__ import annotations

import threading

from fixtures.s3 import S3Endpoint
from fixtures.upgrade import READ_PROBE_KEY, Probes, UpgradeData
from minio_conformance.checks.upgrade import Attempt, phase_stats


def test_a_hung_attempt_does_not_hold_back_the_next_one() -> None:
    probes = Probes(S3Endpoint("127.0.0.1", 9), "user-1", "pass-1", UpgradeData("b", {READ_PROBE_KEY: (1, "x")}))
    release, second_done = threading.Event(), threading.Event()

    def hung() -> str:
        release.wait(30)
        return "ok"

    def answered() -> str:
        second_done.set()
        return "ok"

    probes._launch("write", hung)
    probes._launch("write", answered)
    try:
        assert second_done.wait(10), "the second attempt waited for the hung one"
    finally:
        release.set()
        probes.stop()
    assert sorted(op for _, op, _, _ in probes.attempts) == ["write", "write"]
    assert [outcome for _, _, outcome, _ in probes.attempts] == ["ok", "ok"]


def test_the_longest_gap_is_between_completions_when_attempts_overlap() -> None:
    slow = Attempt(0.0, "write", "ok", 50.0)  # started first, answered after 50 s
    quick = Attempt(1.0, "write", "ok", 1.0)  # started next, answered at 2 s
    later = Attempt(10.0, "write", "ok", 0.5)
    stats = phase_stats([slow, quick, later], 0.0, 60.0)
    assert stats.succeeded == 3
    assert stats.longest_gap_s == 39.5  # 10.5 -> 50, not 0 -> 50


def test_a_hung_write_among_successes_is_no_gap_but_a_lone_one_is() -> None:
    hung = Attempt(5.0, "write", "ReadTimeoutError", 60.0)
    around = [Attempt(float(t), "write", "ok", 0.2) for t in range(0, 40)]
    assert phase_stats([hung, *around], 0.0, 40.0).longest_gap_s < 2
    assert phase_stats([Attempt(0.0, "write", "ok", 0.2), hung], 0.0, 70.0).longest_gap_s > 60
