"""The quick profile: a partial run by design, reported as PASS-PARTIAL or FAILED, never PASS.

`nox -s quick` runs the static column and the 4-node leg's static and live tiers into
reports/quick/ and builds that page with `--profile quick`. Here: the profile's rules on
generated records (tests/report_data.py), the command's exit codes and outputs, and the
nox session itself driven with a recording stand-in for `nox.Session`.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from nox.command import CommandFailed

import noxfile
from minio_conformance.catalog import CATALOG, Severity, Tier
from minio_conformance.reporting.model import (
    EXIT_FAILED,
    EXIT_INCOMPLETE,
    EXIT_PASS,
    EXIT_UNUSABLE,
    Result,
    RunFile,
    Status,
    build_matrix,
    check_runs,
)
from minio_conformance.reporting.profiles import FULL, PROFILES, QUICK
from tests.report_data import complete_records, quick_records, record, verdict, write_records

PROJECT = Path(__file__).resolve().parent.parent
LABEL = (
    "PARTIAL RUN (quick profile): static tier and live tier on 4 nodes; "
    "not run: disruptive scenarios, the 1- and 2-node legs"
)
DISRUPTIVE = [r.id for r in CATALOG.values() if r.tier is Tier.DISRUPTIVE]


def quick_runs(**changes: Callable[[dict[str, Any]], dict[str, Any]] | None) -> list[RunFile]:
    """The generated quick run; `changes` maps a run name to a function editing its record (None drops it)."""
    runs = []
    for name, data in quick_records().items():
        if name in changes and changes[name] is None:
            continue
        fn = changes.get(name) or (lambda d: d)
        runs.append(RunFile(name, fn(copy.deepcopy(data))))
    return runs


def set_outcome(req_id: str, outcome: str, status: str, reason: str | None = None) -> Callable[[dict[str, Any]], Any]:
    def edit(data: dict[str, Any]) -> dict[str, Any]:
        for test in data["tests"]:
            if test["requirements"] == [req_id]:
                test["outcome"] = outcome
                findings = [{"message": "planted"}] if status == "failed" else []
                test["verdicts"] = [verdict(req_id, status, reason, findings=findings)]
        return data

    return edit


def report_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minio_conformance.reporting", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line_refusal(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == EXIT_UNUSABLE, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def live_id(severity: Severity = Severity.REQUIRED) -> str:
    return next(r.id for r in CATALOG.values() if r.tier is Tier.LIVE and r.severity is severity)


# --- the profile -------------------------------------------------------------------------------------


def test_profiles_say_what_they_cover() -> None:
    assert set(PROFILES) == {"full", "quick"}
    assert not FULL.partial
    assert FULL.label == ""
    assert all(FULL.covers(leg, tier) for leg in ("static", "1", "2", "4") for tier in Tier)
    assert QUICK.partial
    assert QUICK.label == LABEL
    assert QUICK.covers("static", Tier.STATIC)
    assert QUICK.covers("4", Tier.LIVE)
    assert QUICK.covers("4", Tier.STATIC)
    assert not QUICK.covers("4", Tier.DISRUPTIVE)
    assert not QUICK.covers_leg("1")
    assert not QUICK.covers_leg("2")
    assert QUICK.left_out("4", Tier.DISRUPTIVE) == "disruptive scenarios are not part of the quick profile"
    assert QUICK.left_out("2", Tier.STATIC) == "the leg is not part of the quick profile"
    assert QUICK.left_out("4", Tier.LIVE) == ""


# --- the verdict -------------------------------------------------------------------------------------


def test_a_quick_run_that_passed_is_pass_partial_and_lists_what_it_did_not_evaluate() -> None:
    v = build_matrix(quick_runs(), profile=QUICK).verdict()
    assert (v.result, v.exit_code) == (Result.PASS_PARTIAL, EXIT_PASS)
    assert not v.passed, "a partial run is never a plain PASS"
    assert v.head == "PASS-PARTIAL"
    assert (v.legs_not_run, v.legs_missing_tiers, v.unproven) == ((), (), ())
    assert [n.id for n in v.not_evaluated] == DISRUPTIVE
    assert {n.reason for n in v.not_evaluated} == {"disruptive scenarios not run (not part of the quick profile)"}
    assert v.line.startswith(
        f"PASS-PARTIAL: {LABEL}; nothing that ran failed; not evaluated ({len(DISRUPTIVE)}): {' '.join(DISRUPTIVE)} ["
    ), v.line


def test_the_same_results_without_the_profile_are_incomplete() -> None:
    v = build_matrix(quick_runs()).verdict()
    assert (v.result, v.exit_code) == (Result.INCOMPLETE, EXIT_INCOMPLETE)
    assert v.line.startswith("INCOMPLETE: legs without results: 1 node, 2 nodes; 4 nodes without disruptive")
    assert v.not_evaluated == ()


def test_cells_left_out_by_the_profile_say_so() -> None:
    matrix = build_matrix(quick_runs(), profile=QUICK)
    row = next(r for r in matrix.rows if r.requirement.id == DISRUPTIVE[0])
    cells = {c.leg: c for c in row.cells}
    assert (cells["4"].status, cells["4"].reason) == (
        Status.NOT_RUN,
        "disruptive scenarios are not part of the quick profile",
    )
    assert cells["1"].reason == cells["2"].reason == "the leg is not part of the quick profile"
    live = next(r for r in matrix.rows if r.requirement.id == live_id())
    assert {c.leg: c.status for c in live.cells}["4"] is Status.PASSED
    assert [leg.planned for leg in matrix.legs] == [True, False, False, True]


@pytest.mark.parametrize("run", ["static", "leg-4nodes-live"])
def test_a_failure_in_what_ran_fails_the_quick_run(run: str) -> None:
    tier = Tier.STATIC if run == "static" else Tier.LIVE
    rid = next(r.id for r in CATALOG.values() if r.tier is tier and r.severity is Severity.REQUIRED)
    v = build_matrix(quick_runs(**{run: set_outcome(rid, "failed", "failed")}), profile=QUICK).verdict()
    assert (v.result, v.exit_code) == (Result.FAILED, EXIT_FAILED)
    assert v.line.startswith(f"FAILED: {LABEL}; required requirement(s) failed: {rid}; not evaluated"), v.line
    assert "nothing that ran failed" not in v.line


def test_advisory_failures_fail_a_quick_run_only_when_strict() -> None:
    adv = live_id(Severity.ADVISORY)
    runs = quick_runs(**{"leg-4nodes-live": set_outcome(adv, "xfailed", "failed")})
    lenient = build_matrix(runs, profile=QUICK).verdict()
    assert (lenient.result, lenient.advisory_failed) == (Result.PASS_PARTIAL, (adv,))
    assert f"advisory not met (not enforced without --strict): {adv}" in lenient.line
    strict = build_matrix(runs, profile=QUICK).verdict(strict=True)
    assert (strict.result, strict.exit_code) == (Result.FAILED, EXIT_FAILED)


def test_requirements_not_applicable_or_skipped_on_4_nodes_are_listed_with_why() -> None:
    na, skipped = [r.id for r in CATALOG.values() if r.tier is Tier.LIVE and r.severity is Severity.REQUIRED][:2]
    runs = quick_runs(
        **{
            "leg-4nodes-live": lambda d: set_outcome(skipped, "skipped", "passed")(
                set_outcome(na, "skipped", "not_applicable", "1 and 2 drives only")(d)
            )
        }
    )
    v = build_matrix(runs, profile=QUICK).verdict()
    assert v.result is Result.PASS_PARTIAL, v.line
    listed = {n.id: n.reason for n in v.not_evaluated}
    assert listed[na] == "4 nodes: not applicable (1 and 2 drives only)"
    assert listed[skipped].startswith("4 nodes: skipped")
    assert list(listed) == [rid for rid in CATALOG if rid in {na, skipped, *DISRUPTIVE}], "catalog order"


def test_a_requirement_with_no_test_in_the_quick_runs_is_listed_as_not_evaluated() -> None:
    """CLN-3 and OPS-5 are live requirements proven by disruptive-marked tests: the quick run has none of them."""
    rid = live_id()

    def drop(data: dict[str, Any]) -> dict[str, Any]:
        data["tests"] = [t for t in data["tests"] if t["requirements"] != [rid]]
        return data

    v = build_matrix(quick_runs(**{"leg-4nodes-live": drop}), profile=QUICK).verdict()
    assert v.result is Result.PASS_PARTIAL
    reason = {n.id: n.reason for n in v.not_evaluated}[rid]
    assert reason.startswith("no test of it ran on 4 nodes; its tests may be among what the quick profile does not")


@pytest.mark.parametrize(
    ("dropped", "expected"),
    [
        ("leg-4nodes-live", "legs without results: 4 nodes"),
        ("static", "legs without results: static"),
    ],
)
def test_a_run_the_profile_covers_that_has_no_results_is_incomplete(dropped: str, expected: str) -> None:
    v = build_matrix(quick_runs(**{dropped: None}), profile=QUICK).verdict()
    assert (v.result, v.exit_code) == (Result.INCOMPLETE, EXIT_INCOMPLETE)
    assert v.line.startswith(f"INCOMPLETE: {LABEL}; {expected}"), v.line


def test_a_4_node_leg_whose_live_tier_could_not_run_is_incomplete() -> None:
    live = quick_records()["leg-4nodes-live"]
    static_tests = [t for t in live["tests"] if CATALOG[t["requirements"][0]].tier is Tier.STATIC]
    runs = [*quick_runs(**{"leg-4nodes-live": None}), RunFile("leg-4nodes-static", record(static_tests, ["4"]))]
    assert check_runs(runs, QUICK) is None
    v = build_matrix(runs, profile=QUICK).verdict()
    assert v.result is Result.INCOMPLETE
    assert [str(m) for m in v.legs_missing_tiers] == [
        "4 nodes without live results (the live tier could not run: static tests only)"
    ]


@pytest.mark.parametrize("name", ["leg-1nodes-live", "leg-2nodes-disruptive", "leg-4nodes-disruptive"])
def test_results_outside_the_profile_are_refused(name: str) -> None:
    runs = [*quick_runs(), RunFile(name, complete_records()[name])]
    problem = check_runs(runs, QUICK)
    assert problem is not None
    assert problem.startswith(f"{name}.json: ")
    assert "not part of the quick profile (static tier and live tier on 4 nodes)" in problem
    assert check_runs(runs) is None, "the full profile takes them"


def test_no_quick_input_reads_a_plain_pass() -> None:
    """Whatever subset of the quick runs and outcomes: PASS-PARTIAL, FAILED or INCOMPLETE, never PASS."""
    rid = live_id()
    variants: list[list[RunFile]] = [
        quick_runs(),
        quick_runs(static=None),
        quick_runs(**{"leg-4nodes-live": None}),
        quick_runs(**{"leg-4nodes-live": set_outcome(rid, "failed", "failed")}),
        quick_runs(**{"leg-4nodes-live": set_outcome(rid, "skipped", "not_applicable", "n/a")}),
    ]
    for runs in variants:
        for strict in (False, True):
            assert build_matrix(runs, profile=QUICK).verdict(strict=strict).result is not Result.PASS


# --- the command -------------------------------------------------------------------------------------


def test_the_command_writes_a_page_and_summary_that_say_partial_run(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "quick", quick_records())
    result = report_cli(str(reports), "--profile", "quick")
    assert result.returncode == EXIT_PASS, result.stdout + result.stderr
    line = result.stdout.splitlines()[1]
    assert line.startswith(f"PASS-PARTIAL: {LABEL}; nothing that ran failed; not evaluated"), line

    summary = json.loads((reports / "summary.json").read_text())
    assert summary["profile"]["name"] == "quick"
    assert summary["profile"]["partial"] is True
    assert summary["profile"]["label"] == LABEL
    assert summary["profile"]["covers"] == {"static": ["static"], "4": ["static", "live"]}
    assert [n["id"] for n in summary["profile"]["not evaluated"]] == DISRUPTIVE
    assert summary["profile"]["not evaluated"][0] == {
        "id": DISRUPTIVE[0],
        "tier": "disruptive",
        "severity": CATALOG[DISRUPTIVE[0]].severity.value,
        "reason": "disruptive scenarios not run (not part of the quick profile)",
    }
    assert summary["verdict"]["result"] == "pass-partial"
    assert summary["verdict"]["exit code"] == EXIT_PASS
    assert summary["verdict"]["partial run"] == LABEL
    assert summary["verdict"]["not evaluated"] == DISRUPTIVE
    assert summary["verdict"]["legs without results"] == []
    legs = {leg["key"]: leg for leg in summary["legs"]}
    assert legs["1"]["left out by the profile"] == "not part of the quick profile"
    assert legs["4"]["left out by the profile"] is None

    page = (reports / "index.html").read_text()
    assert "<title>MinIO on Kubernetes conformance: PASS-PARTIAL</title>" in page
    assert 'data-result="pass-partial"' in page
    assert 'data-result="pass"' not in page
    assert 'id="partial" role="note" data-profile="quick"' in page
    assert f'<div class="label">{LABEL}</div>' in page
    for rid in DISRUPTIVE:
        assert f'<a class="st chip s-notrun" href="#r-{rid}"' in page
    assert "<b>1 node</b>:\n<span class=\"small\">not part of the quick profile</span>" in page
    assert "legs without results" not in page


def test_the_command_exits_1_when_something_that_ran_failed(tmp_path: Path) -> None:
    rid = live_id()
    runs = quick_records()
    runs["leg-4nodes-live"] = set_outcome(rid, "failed", "failed")(runs["leg-4nodes-live"])
    reports = write_records(tmp_path / "quick", runs)
    result = report_cli(str(reports), "--profile", "quick")
    assert result.returncode == EXIT_FAILED, result.stdout + result.stderr
    assert result.stdout.splitlines()[1].startswith(f"FAILED: {LABEL}; required requirement(s) failed: {rid}")
    summary = json.loads((reports / "summary.json").read_text())
    assert (summary["verdict"]["result"], summary["profile"]["label"]) == ("failed", LABEL)
    assert 'data-result="failed"' in (reports / "index.html").read_text()


@pytest.mark.parametrize("name", ["leg-1nodes-live", "leg-4nodes-disruptive"])
def test_the_command_refuses_results_outside_the_profile_in_one_line(tmp_path: Path, name: str) -> None:
    runs = {**quick_records(), name: complete_records()[name]}
    reports = write_records(tmp_path / "quick", runs)
    one_line_refusal(report_cli(str(reports), "--profile", "quick"), f"{name}.json", "not part of the quick profile")
    assert not (reports / "index.html").exists()
    assert not (reports / "summary.json").exists()


def test_the_command_refuses_malformed_input_under_the_profile(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "quick", quick_records())
    (reports / "leg-4nodes-live.json").write_text('{"tests": [')
    one_line_refusal(report_cli(str(reports), "--profile", "quick"), "leg-4nodes-live.json", "not valid JSON")


def test_the_command_is_incomplete_when_the_live_run_left_no_record(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "quick", {"static": quick_records()["static"]})
    result = report_cli(str(reports), "--profile", "quick")
    assert result.returncode == EXIT_INCOMPLETE, result.stdout + result.stderr
    assert result.stdout.splitlines()[1].startswith(f"INCOMPLETE: {LABEL}; legs without results: 4 nodes")


def test_quick_results_merged_from_two_directories(tmp_path: Path) -> None:
    runs = quick_records()
    static = write_records(tmp_path / "job-static", {"static": runs["static"]})
    four = write_records(tmp_path / "job-4", {"leg-4nodes-live": runs["leg-4nodes-live"]})
    result = report_cli(str(tmp_path / "out"), str(static), str(four), "--profile", "quick")
    assert result.returncode == EXIT_PASS, result.stdout + result.stderr
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["verdict"]["result"] == "pass-partial"


def test_the_full_profile_is_the_default_and_unchanged(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "reports", complete_records())
    result = report_cli(str(reports))
    assert result.returncode == EXIT_PASS, result.stdout + result.stderr
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["verdict"]["result"] == "pass"
    assert (summary["profile"]["name"], summary["profile"]["partial"], summary["profile"]["label"]) == (
        "full",
        False,
        None,
    )
    assert 'id="partial"' not in (reports / "index.html").read_text()
    quick = report_cli(str(reports), "--profile", "quick")
    one_line_refusal(quick, "not part of the quick profile")


# --- the nox session ---------------------------------------------------------------------------------


class SessionFailed(Exception):
    pass


class FakeSession:
    """Records what a nox session runs; `fail` decides which commands fail (CommandFailed) or raise."""

    def __init__(
        self, posargs: Sequence[str] = (), fail: Callable[[tuple[str, ...]], BaseException | None] | None = None
    ) -> None:
        self.posargs = list(posargs)
        self.fail = fail or (lambda args: None)
        self.runs: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def install(self, *args: str, **kwargs: Any) -> None:
        pass

    def log(self, *args: Any, **kwargs: Any) -> None:
        pass

    def warn(self, *args: Any, **kwargs: Any) -> None:
        pass

    def error(self, message: str) -> None:
        raise SessionFailed(message)

    def run(self, *args: str, **kwargs: Any) -> None:
        self.runs.append((args, kwargs))
        problem = self.fail(args)
        if problem is not None:
            raise problem

    def commands(self) -> list[tuple[str, ...]]:
        return [args for args, _ in self.runs]


REPORT_FILE_ARGS = ("--junitxml=", "--html=", "--self-contained-html", "--minio-results=")


def without_report_args(args: Sequence[str]) -> list[str]:
    return [a for a in args if not a.startswith(REPORT_FILE_ARGS)]


def is_live(args: tuple[str, ...]) -> bool:
    return args[:2] == ("pytest", "suites") and "--minio-live" in args


@pytest.fixture
def quick_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "reports" / "quick"
    monkeypatch.setattr(noxfile, "QUICK_REPORTS", target)
    monkeypatch.setattr(noxfile, "ensure_images", lambda session: dict(OFFLINE_IMAGES))
    monkeypatch.delenv("MINIO_CONFORMANCE_STATIC_ONLY", raising=False)
    return target


OFFLINE_IMAGES = {"MINIO_CONFORMANCE_NODE_IMAGE": "local/kind-node:v1", "MINIO_CONFORMANCE_KIND": "/opt/kind"}


def test_the_session_is_declared_like_the_other_expensive_ones() -> None:
    quick = noxfile.quick
    assert quick.default is False
    assert quick.python == noxfile.PYTHON
    assert quick.func.__doc__
    assert "static tier" in quick.func.__doc__
    assert quick.func.__annotations__ == {"session": "nox.Session", "return": "None"}
    assert noxfile.QUICK_REPORTS == noxfile.REPORTS / "quick"


def test_the_session_runs_static_live_teardown_report_in_its_own_directory(quick_dir: Path) -> None:
    stale = quick_dir / "leg-4nodes-live.json"
    quick_dir.mkdir(parents=True)
    stale.write_text("{}")
    seen_stale: list[bool] = []

    def watch(args: tuple[str, ...]) -> None:
        seen_stale.append(stale.exists())

    session = FakeSession(posargs=["-k", "svc"], fail=watch)
    noxfile.quick.func(session)
    commands = session.commands()
    assert [c[:4] for c in commands] == [
        ("pytest", "suites", "-m", "static"),
        ("pytest", "suites", "-m", "static or live"),
        ("python", "-m", "fixtures.teardown", "4"),
        ("python", "-m", "minio_conformance.reporting", str(quick_dir)),
    ]
    assert not any(seen_stale), "a previous quick run's results are removed before anything runs"
    static, live, _, report = commands
    assert "--minio-nodes=1,2,4" in static
    assert "--profile" in report
    assert report[report.index("--profile") + 1] == "quick"
    for args in (static, live):
        assert args[args.index("-k") : args.index("-k") + 2] == ("-k", "svc"), "posargs reach both pytest runs"
        for flag in ("--junitxml=", "--html=", "--minio-results="):
            value = next(a for a in args if a.startswith(flag)).split("=", 1)[1]
            assert Path(value).parent == quick_dir, value


def test_the_live_phase_matches_the_conformance_4_node_leg(quick_dir: Path) -> None:
    from fixtures.matrix import INTERRUPT_GRACE_S, leg_job

    quick = FakeSession(posargs=["-x"])
    noxfile.quick.func(quick)
    quick_live, quick_kwargs = next((a, k) for a, k in quick.runs if is_live(a))
    leg_live = leg_job(4, quick_dir, ["-x"], upgrade_apart=True).phases[0].argv
    assert leg_live[1:4] == ("-m", "pytest", "suites")
    assert sorted(without_report_args(quick_live[2:])) == sorted(without_report_args(leg_live[4:]))
    assert quick_kwargs["env"] == OFFLINE_IMAGES, "the images ensure_images settled on"
    assert quick_kwargs["interrupt_timeout"] == noxfile.INTERRUPT_TIMEOUT_S == INTERRUPT_GRACE_S
    assert quick_kwargs["terminate_timeout"] == noxfile.TERMINATE_TIMEOUT_S
    assert not any("disruptive" in a for a, _ in quick.runs)


def test_the_main_job_gets_its_images_then_runs_static_the_matrix_and_the_page(quick_dir: Path) -> None:
    session = FakeSession(posargs=["--minio-nodes=4", "-x"])
    noxfile.conformance.func(session)
    commands = session.commands()
    assert [c[:4] for c in commands] == [
        ("pytest", "suites", "-m", "static"),
        ("python", "-m", "fixtures.matrix", "--nodes"),
        ("python", "-m", "minio_conformance.reporting", str(noxfile.REPORTS)),
    ]
    matrix, kwargs = session.runs[1]
    assert matrix[4] == "4", "--minio-nodes picks the legs (a CI shard)"
    assert matrix[matrix.index("--") + 1 :] == ("-x",), "other posargs reach every pytest run"
    assert kwargs["env"] == OFFLINE_IMAGES
    assert kwargs["interrupt_timeout"] == noxfile.MATRIX_INTERRUPT_TIMEOUT_S


def test_a_failed_matrix_still_builds_the_page_and_fails_the_session(quick_dir: Path) -> None:
    session = FakeSession(fail=lambda args: CommandFailed("exit 1") if "fixtures.matrix" in args else None)
    with pytest.raises(CommandFailed):
        noxfile.conformance.func(session)
    assert session.commands()[-1][:3] == ("python", "-m", "minio_conformance.reporting")


def test_without_images_the_main_job_runs_the_static_tier_per_leg(
    quick_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINIO_CONFORMANCE_STATIC_ONLY", "offline image build did not finish")
    monkeypatch.setattr(noxfile, "ensure_images", lambda session: pytest.fail("no images are needed"))
    session = FakeSession()
    noxfile.conformance.func(session)
    legs = [a for a in session.commands() if "--minio-nodes=1,2,4" not in a]
    assert [next(x for x in a if x.startswith("--minio-nodes=")) for a in legs] == [
        "--minio-nodes=1", "--minio-nodes=2", "--minio-nodes=4",
    ]  # fmt: skip
    assert not any("fixtures.matrix" in a for a in session.commands())


# --- where the images come from ------------------------------------------------------------------


def ensure(session: FakeSession) -> dict[str, str]:
    return noxfile.ensure_images(session)  # type: ignore[arg-type]


@pytest.fixture
def no_image_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("NODE_IMAGE", "MINIO_IMAGE", "HELPER_IMAGE", "KIND", "KUBECTL", "IMAGES"):
        monkeypatch.delenv(f"MINIO_CONFORMANCE_{key}", raising=False)
    monkeypatch.setattr(noxfile, "CACHE", tmp_path / "cache")
    return tmp_path / "cache"


def test_user_image_settings_are_used_as_given(no_image_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("NODE_IMAGE", "MINIO_IMAGE", "HELPER_IMAGE"):
        monkeypatch.setenv(f"MINIO_CONFORMANCE_{key}", f"mine/{key.lower()}:1")
    session = FakeSession()
    assert ensure(session) == {}
    assert session.commands() == []


def test_an_offline_build_in_the_cache_is_reloaded(no_image_settings: Path) -> None:
    no_image_settings.mkdir()
    (no_image_settings / "images.env").write_text("NODE_IMAGE=local/node:1\nKIND=/c/kind\n")
    session = FakeSession()
    env = ensure(session)
    assert [Path(c[1]).name for c in session.commands()] == ["setup-docker.sh", "build-images.sh"]
    assert env == {"MINIO_CONFORMANCE_NODE_IMAGE": "local/node:1", "MINIO_CONFORMANCE_KIND": "/c/kind"}


def test_public_images_are_used_when_they_can_be_pulled(
    no_image_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda tool: f"/usr/bin/{tool}")
    session = FakeSession()
    assert ensure(session) == {}
    names = [c[0] if c[0] == "docker" else Path(c[1]).name for c in session.commands()]
    assert names == ["setup-docker.sh", "docker"]


@pytest.mark.parametrize("why", ["no kind", "pull refused"])
def test_without_registry_access_the_offline_images_are_built(
    no_image_settings: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    monkeypatch.setattr(shutil, "which", lambda tool: None if why == "no kind" else f"/usr/bin/{tool}")
    session = FakeSession(fail=lambda args: CommandFailed("denied") if args[0] == "docker" else None)
    ensure(session)
    assert Path(session.commands()[-1][1]).name == "build-images.sh"


def test_an_unknown_image_choice_is_refused(no_image_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIO_CONFORMANCE_IMAGES", "registry")
    with pytest.raises(SessionFailed, match="offline or public"):
        ensure(FakeSession())


@pytest.mark.parametrize("failing", ["static", "live"])
def test_a_failed_phase_still_tears_down_builds_the_page_and_fails_the_session(quick_dir: Path, failing: str) -> None:
    def fail(args: tuple[str, ...]) -> BaseException | None:
        phase = "live" if is_live(args) else "static" if args[:2] == ("pytest", "suites") else None
        return CommandFailed(f"{phase} failed") if phase == failing else None

    session = FakeSession(fail=fail)
    with pytest.raises(SessionFailed, match=f"quick profile: failures in {failing}"):
        noxfile.quick.func(session)
    assert [c[2] for c in session.commands()[-2:]] == ["fixtures.teardown", "minio_conformance.reporting"]
    assert len(session.commands()) == 4, "the live phase runs even when the static tier failed"


def test_an_interrupt_still_tears_down_and_builds_the_page(quick_dir: Path) -> None:
    session = FakeSession(fail=lambda args: KeyboardInterrupt() if is_live(args) else None)
    with pytest.raises(KeyboardInterrupt):
        noxfile.quick.func(session)
    assert [c[2] for c in session.commands()[-2:]] == ["fixtures.teardown", "minio_conformance.reporting"]


def test_an_incomplete_or_unusable_report_fails_the_session(quick_dir: Path) -> None:
    session = FakeSession(
        fail=lambda args: CommandFailed("exit 3") if "minio_conformance.reporting" in args else None
    )
    with pytest.raises(SessionFailed, match="failures in report"):
        noxfile.quick.func(session)
    _, kwargs = session.runs[-1]
    assert kwargs["success_codes"] == [0, 1], "PASS-PARTIAL and FAILED are answers; 2 and 3 are not"
