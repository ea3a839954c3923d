"""The interrupt check's pure parts: which output line reaches which point, and the leftover accounting."""

from __future__ import annotations

import re
import signal

import pytest

from benchmarks.interrupt_check import (
    CLUSTER,
    DEFERRED,
    POINTS,
    TEARDOWN_DONE,
    TEARDOWN_START,
    Observation,
    Point,
    Result,
    Trigger,
    exit_code,
    group_members,
    judge,
    leftovers,
    parse_images_env,
    point_line,
    summary_line,
)

# Output of a 1-node live run as the check reads it (stdout and stderr merged), trimmed.
RUN = [
    "============================= test session starts ==============================",
    f"[minio-conformance] creating kind cluster {CLUSTER}: 1 control plane + 0 worker(s), image minio-conformance/node",
    f'Creating cluster "{CLUSTER}" ...',
    " • Ensuring node image (minio-conformance/node:v1.34.10) 🖼  ...",
    " ✓ Ensuring node image (minio-conformance/node:v1.34.10) 🖼",
    " • Preparing nodes 📦   ...",
    " ✓ Preparing nodes 📦 ",
    " • Writing configuration 📜  ...",
    " ✓ Writing configuration 📜",
    " • Starting control-plane 🕹️  ...",
    f"[minio-conformance] loading image minio-conformance/minio:RELEASE into {CLUSTER}",
    "[minio-conformance] [deploy] 0 preflight ...",
    "[minio-conformance] [deploy] 0 preflight: 0.2 s",
    "[minio-conformance] [deploy] 5 storage preparation ...",
    "[minio-conformance] [deploy]   storage prep not ready yet (10 s)",
    "[minio-conformance] [deploy] 5 storage preparation: 12.0 s",
    "[minio-conformance] [deploy] 9-10 wait for Ready ...",
    "[minio-conformance] [deploy]   4 s: minio-0:Pending",
    "[minio-conformance] [deploy] 9-10 wait for Ready: 30.1 s",
    "[minio-conformance] MinIO Ready 30.1 s after the StatefulSet was applied",
    "collected 60 items / 20 deselected / 40 selected",
    "suites/test_clean_slate.py::test_clean_slate_recorded PASSED             [  2%]",
    "suites/test_credentials.py::test_secret_only PASSED                      [  5%]",
]


def first_firing_line(point: Point, lines: list[str]) -> int | None:
    trigger = Trigger(point.after)
    for index, line in enumerate(lines):
        if trigger.feed(line):
            return index
    return None


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("create", " • Starting control-plane 🕹️  ..."),
        ("load", f"[minio-conformance] loading image minio-conformance/minio:RELEASE into {CLUSTER}"),
        ("storage-prep", "[minio-conformance] [deploy] 5 storage preparation ..."),
        ("ready", "[minio-conformance] [deploy] 9-10 wait for Ready ..."),
        ("live", "suites/test_credentials.py::test_secret_only PASSED                      [  5%]"),
        ("teardown", "suites/test_clean_slate.py::test_clean_slate_recorded PASSED             [  2%]"),
        ("create-early", RUN[1]),
    ],
)
def test_each_point_fires_on_its_progress_line(key: str, line: str) -> None:
    point = next(p for p in POINTS if p.key == key)
    assert first_firing_line(point, RUN) == RUN.index(line)


def test_points_are_distinct_and_use_both_signals() -> None:
    assert len({p.key for p in POINTS}) == len(POINTS)
    assert {p.sig for p in POINTS} == {signal.SIGINT, signal.SIGTERM}
    assert [p.key for p in POINTS if p.second is not None] == ["teardown"]


def test_patterns_match_only_in_order() -> None:
    trigger = Trigger(["^b$", "^a$"])
    assert not trigger.feed("a")  # "a" before "b" does not count
    assert not trigger.feed("b")
    assert trigger.waiting_for() == "^a$"
    assert trigger.feed("a")
    assert trigger.fired
    assert trigger.feed("anything")  # stays fired


def test_a_reused_cluster_does_not_reach_a_point() -> None:
    reused = [f"[minio-conformance] reusing kind cluster {CLUSTER}", *RUN[10:]]
    assert all(first_firing_line(p, reused) is None for p in POINTS)


def test_the_run_s_teardown_lines_are_recognised() -> None:
    start = f"[minio-conformance] interrupted by SIGTERM during the live tests: tearing down kind cluster {CLUSTER} ..."
    done = (
        f"[minio-conformance] interrupted by SIGTERM during the live tests: deleted kind cluster {CLUSTER} "
        "and its 1 node container(s) (6 s)"
    )
    deferred = (
        f"[minio-conformance] SIGINT received while tearing down {CLUSTER}: deferred until the teardown is done "
        "(further signals are ignored meanwhile)"
    )
    assert re.search(TEARDOWN_START, start)
    assert not re.search(TEARDOWN_START, done)
    assert re.search(TEARDOWN_DONE, done)
    assert re.search(TEARDOWN_DONE, "[minio-conformance] interrupted by SIGINT during bring-up: nothing to tear down")
    assert re.search(TEARDOWN_DONE, f"[minio-conformance] deleted kind cluster {CLUSTER} and its 1 node container(s)")
    assert not re.search(TEARDOWN_DONE, start)
    assert re.search(DEFERRED, deferred)


def test_leftovers_count_each_thing_once() -> None:
    seen = Observation(
        clusters=["minio-conformance-4n", CLUSTER],
        containers=[f"{CLUSTER}-control-plane"],
        volumes=["0f3a"],
        processes=["4242 kind"],
        scratch=[f".pytest-kind/{CLUSTER}/tmp/images-tar-1/images.tar"],
    )
    assert leftovers(seen) == [
        f"kind cluster {CLUSTER}",
        f"container {CLUSTER}-control-plane",
        "volume 0f3a",
        "process 4242 kind",
        f"scratch file .pytest-kind/{CLUSTER}/tmp/images-tar-1/images.tar",
    ]


def test_other_clusters_are_not_leftovers() -> None:
    assert leftovers(Observation(clusters=["minio-conformance-4n", "minio-upg-a"])) == []


def test_group_members_picks_the_run_s_group_only() -> None:
    ps = "    1     1 init\n  300   300 python\n  301   300 kind\n  302   300 docker run\n  400   399 kind\n"
    assert group_members(ps, 300) == ["300 python", "301 kind", "302 docker run"]
    assert group_members(ps, 12) == []


def test_images_env_is_read_like_nox_does() -> None:
    text = "# written by build-images.sh\nKIND=/cache/go/kind/kind\nNODE_IMAGE='minio-conformance/node:v1'\nEMPTY=\n"
    assert parse_images_env(text) == {"KIND": "/cache/go/kind/kind", "NODE_IMAGE": "minio-conformance/node:v1"}


def _point(second: signal.Signals | None = None) -> Point:
    return Point("p", "a point", signal.SIGINT, ("x",), second=second)


def test_a_clean_interrupted_run_has_no_problem() -> None:
    result = Result(_point(), reached_after=40.0, exit_code=2, exit_after=8.5, fresh=True, teardown="deleted ...")
    assert judge(result) == []
    line = point_line(result)
    assert line.startswith("SIGINT")
    assert "a point" in line
    assert "signalled at 40.0 s, exit 2 after 8.5 s, leftovers: none" in line


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"reached_after": None}, "point not reached"),
        ({"exit_code": None, "exit_after": None}, "did not exit by the deadline (killed)"),
        ({"exit_code": 0}, "exited 0 after an interrupt"),
        ({"fresh": False}, "reused a cluster left from before"),
        ({"teardown": ""}, "no teardown line"),
    ],
)
def test_problems_are_named(changes: dict[str, object], problem: str) -> None:
    result = Result(_point(), reached_after=40.0, exit_code=2, exit_after=8.5, fresh=True, teardown="deleted ...")
    for name, value in changes.items():
        setattr(result, name, value)
    assert problem in judge(result)


def test_the_second_signal_must_be_deferred() -> None:
    result = Result(_point(signal.SIGTERM), reached_after=1.0, exit_code=2, exit_after=7.0, fresh=True, teardown="x")
    assert judge(result) == ["second signal not reported as deferred"]
    result.deferred = True
    assert judge(result) == []
    assert point_line(result).startswith("SIGINT+SIGTERM")


def test_summary_and_exit_code() -> None:
    clean = Result(_point(), reached_after=1.0, exit_code=2, exit_after=3.0, fresh=True, teardown="x")
    leaky = Result(_point(), reached_after=1.0, exit_code=2, exit_after=3.0, fresh=True, teardown="x")
    leaky.left = [f"kind cluster {CLUSTER}", f"container {CLUSTER}-control-plane"]
    assert summary_line([clean, leaky]) == "interrupt check: 2 points tried, 2 leftovers"
    assert exit_code([clean, leaky]) == 1
    assert exit_code([clean]) == 0
    assert exit_code([]) == 1
    clean.problems = ["point not reached"]
    assert exit_code([clean]) == 1
    assert "leftovers: kind cluster" in point_line(leaky)
