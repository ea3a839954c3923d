"""The matrix driver's plan and its comparison with the bare procedure (no cluster)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures.matrix import deploy_vs_bare, jobs_for, parse_args, plan


def lanes_for(*argv: str) -> list[list[str]]:
    args, extra = parse_args(list(argv))
    return [[job.name for job in lane] for lane in plan(jobs_for(args, extra), args.lanes)]


def test_full_matrix_runs_the_longest_leg_alone_and_every_job_once() -> None:
    lanes = lanes_for()
    assert ["4n"] in lanes
    assert sorted(name for lane in lanes for name in lane) == ["1n", "2n", "4n", "4n-bare", "4n-upgrade"]
    assert len(lanes) == 3


def test_one_lane_runs_everything_in_a_row() -> None:
    assert lanes_for("--lanes", "1", "--no-bare", "--no-upgrade") == [["1n", "2n", "4n"]]


def test_a_shard_without_four_nodes_has_no_upgrade_and_no_bare_procedure() -> None:
    assert lanes_for("--nodes", "2") == [["2n"]]


def test_upgrade_apart_leaves_it_out_of_the_legs_disruptive_run() -> None:
    args, extra = parse_args(["--nodes", "4", "--", "-x"])
    leg, upgrade = jobs_for(args, extra)[:2]
    disruptive = leg.phases[1].argv
    marker = disruptive[disruptive.index("suites") + 1 :]
    assert marker[marker.index("-m") + 1] == "disruptive and not upgrade"
    assert "-x" in disruptive
    assert "-x" in upgrade.phases[0].argv
    assert upgrade.phases[0].argv[upgrade.phases[0].argv.index("--minio-lane") + 1] == "upgrade"


@pytest.mark.parametrize("argv", [["--nodes", "x"], ["--nodes", "0"], ["--lanes", "0"], ["--nodes", ""]])
def test_bad_arguments_are_a_usage_error(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        parse_args(argv)
    assert exc.value.code == 2


def test_deploy_is_compared_with_the_bare_procedure(tmp_path: Path) -> None:
    steps = {"cluster up": 40.0, "load images": 10.0, "0 preflight": 1.0, "8 statefulset": 2.0}
    steps["9-10 wait for Ready"] = 47.0
    (tmp_path / "leg-4nodes-live.json").write_text(json.dumps({"deploy": {"steps": steps}}))
    (tmp_path / "bare-procedure-4nodes.json").write_text(json.dumps({"total_s": 80.0}))
    found = deploy_vs_bare(tmp_path)
    assert found is not None
    assert found == {"suite_deploy_s": 100.0, "bare_procedure_s": 80.0, "ratio": 1.25}


@pytest.mark.parametrize("bare", ["", "[]", '{"total_s": 0}', '{"total_s": "9"}'])
def test_missing_or_malformed_records_give_no_ratio(tmp_path: Path, bare: str) -> None:
    (tmp_path / "leg-4nodes-live.json").write_text(json.dumps({"deploy": {"steps": {"9-10 wait for Ready": 5}}}))
    if bare:
        (tmp_path / "bare-procedure-4nodes.json").write_text(bare)
    assert deploy_vs_bare(tmp_path) is None


CHILD = """
import pathlib, signal, sys, time
marker = pathlib.Path(sys.argv[1])
def stop(signum, frame):
    marker.write_text(signal.Signals(signum).name)
    sys.exit(2)
signal.signal(signal.SIGTERM, stop)
marker.with_suffix(".started").write_text("")
time.sleep(60)
"""


def test_an_interrupt_reaches_every_running_job_and_every_job_still_tears_down(tmp_path: Path) -> None:
    import sys
    import threading

    from fixtures.matrix import Job, Phase, Runner

    def job(name: str, nodes: int, lane: str = "") -> Job:
        argv = (sys.executable, "-c", CHILD, str(tmp_path / f"{name}.signal"))
        return Job(nodes, lane, (Phase("live", argv, name), Phase("disruptive", argv, name)))

    lanes = [[job("a", 4)], [job("b", 1), job("c", 2)]]
    runner = Runner(lanes, tmp_path / "reports", {})
    torn_down: list[str] = []
    runner.teardown = lambda job: torn_down.append(job.name)  # type: ignore[method-assign]

    def interrupt_when_started() -> None:
        for _ in range(200):
            if (tmp_path / "a.started").exists() and (tmp_path / "b.started").exists():
                break
            threading.Event().wait(0.05)
        runner.interrupt(15, None)

    threading.Thread(target=interrupt_when_started, daemon=True).start()
    assert runner.run() == 130
    assert (tmp_path / "a.signal").read_text() == "SIGTERM"
    assert (tmp_path / "b.signal").read_text() == "SIGTERM"
    assert not (tmp_path / "c.started").exists()  # nothing starts after the signal
    assert sorted(torn_down) == ["1n", "4n"]  # every started job; 2n never started
    record = json.loads((tmp_path / "reports" / "matrix-timings.json").read_text())
    assert record["interrupted_by"] == "SIGTERM"
    assert [p["phase"] for p in record["phases"]] == ["live", "live"]


def test_mutants_run_in_a_lane_of_their_own_beside_the_legs() -> None:
    lanes = lanes_for("--mutants", "2:4")
    assert len(lanes) == 4
    assert ["2n-mutants"] in lanes
    args, extra = parse_args(["--mutants", "2:4"])
    [job] = [j for j in jobs_for(args, extra) if j.lane == "mutants"]
    assert job.phases[0].argv[-2:] == ("--subset", "4")
    assert job.expected_minutes < next(j for j in jobs_for(args, extra) if j.name == "4n").expected_minutes


@pytest.mark.parametrize("raw", ["3", "2:x", "x", ":4", "2:-1"])
def test_a_bad_mutant_setting_is_a_usage_error(raw: str) -> None:
    with pytest.raises(SystemExit) as exc:
        parse_args(["--mutants", raw])
    assert exc.value.code == 2


def test_all_mutants_when_no_subset_is_given() -> None:
    args, extra = parse_args(["--nodes", "2", "--mutants", "2"])
    [job] = [j for j in jobs_for(args, extra) if j.lane == "mutants"]
    assert "--subset" not in job.phases[0].argv


def test_the_node_count_matrix_has_one_value_everywhere() -> None:
    import noxfile
    from minio_conformance.load.config import DEFAULT_NODE_COUNTS
    from minio_conformance.topology import NODE_COUNTS

    assert noxfile.NODE_COUNTS == DEFAULT_NODE_COUNTS == NODE_COUNTS  # the noxfile imports nothing of ours


class GonePipe:
    """A stdout whose reader went away (a CI log pipe, a killed parent)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_output_stops_neither_the_jobs_nor_their_teardown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from fixtures.matrix import Job, Phase, Runner

    argv = (sys.executable, "-c", "print('a line the terminal will never see')")
    runner = Runner([[Job(1, "", (Phase("live", argv, "x"), Phase("disruptive", argv, "y")))]], tmp_path, {})
    torn_down: list[str] = []
    runner.teardown = lambda job: torn_down.append(job.name)  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdout", GonePipe())
    assert runner.run() == 0
    assert torn_down == ["1n"]
    record = json.loads((tmp_path / "matrix-timings.json").read_text())
    assert [p["exit_status"] for p in record["phases"]] == [0, 0]


def test_a_version_change_follows_the_upgrade_on_its_cluster_without_proof_heads() -> None:
    old = "minio-conformance/minio:RELEASE.2025-09-07T16-13-09Z"
    args, extra = parse_args(["--version-change", old, "--mutants", "2:4"])
    [job] = [j for j in jobs_for(args, extra) if j.lane == "upgrade"]
    assert [p.label for p in job.phases] == ["upgrade", "version change"]
    assert [p.results for p in job.phases] == ["leg-4nodes-upgrade", "leg-4nodes-version-change"]
    same, change = (p.argv for p in job.phases)
    assert "--minio-base-image" not in same
    assert "--minio-upgrade-heads" not in same
    assert change[change.index("--minio-base-image") + 1] == old
    assert change[change.index("--minio-upgrade-heads") + 1] == "none"
    assert change[change.index("--minio-lane") + 1] == "upgrade"  # the same cluster, kept between the two
    plain = next(j for j in jobs_for(*parse_args([])) if j.lane == "upgrade")
    assert len(plain.phases) == 1
    assert job.expected_minutes > plain.expected_minutes
    lanes = lanes_for("--version-change", old, "--mutants", "2:4")
    assert ["4n"] in lanes  # the two long jobs keep lanes of their own
    assert ["2n-mutants"] in lanes
