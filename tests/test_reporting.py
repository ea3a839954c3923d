"""The combined auditor report: matrix rules, verdict and exit codes, metadata, escaping, redaction.

Recorded inputs live in tests/data/reporting/sample (static tier from a real run; live
and disruptive legs hand-made on real node IDs). A report that must PASS is generated
from the catalog (tests/report_data.py), since the samples predate later requirements.
The planted-secret test runs the static tier for real and proves no planted credential
reaches any report file. Bad inputs and merging: tests/test_report_inputs.py.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.catalog import CATALOG, Requirement, Severity, Tier
from minio_conformance.manifests import ManifestSet, SourceDocument, write_manifest_set
from minio_conformance.redact import REDACTED
from minio_conformance.reporting import charts, sources
from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.model import (
    EXIT_FAILED,
    EXIT_INCOMPLETE,
    EXIT_PASS,
    Leg,
    Result,
    RunFile,
    Status,
    VerdictRecord,
    build_matrix,
    classify_run,
    combine,
    node_variant,
    results_of,
    status_of,
)
from minio_conformance.verdict import Status as VerdictStatus
from tests.report_data import complete_records, required_ids, verdict, write_records

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "tests" / "data" / "reporting" / "sample"
LEGS = ("static", "1", "2", "4")


def sample_runs() -> list[RunFile]:
    return [RunFile(p.stem, json.loads(p.read_text())) for p in sorted(SAMPLE.glob("*.json"))]


def cell(matrix: Any, req_id: str, leg: str) -> Any:
    row = next(r for r in matrix.rows if r.requirement.id == req_id)
    return next(c for c in row.cells if c.leg == leg)


def run_file(name: str, tests: list[dict[str, Any]], **extra: Any) -> RunFile:
    data = {"started": "2026-11-21T18:00:00+00:00", "finished": "2026-11-21T18:01:00+00:00", "tests": tests, **extra}
    return RunFile(name, data)


def t(nodeid: str, outcome: str, req: str, message: str = "", verdicts: list[Any] | None = None) -> dict[str, Any]:
    return {
        "nodeid": nodeid,
        "outcome": outcome,
        "duration": 0.1,
        "requirements": [req],
        "message": message,
        "verdicts": verdicts or [],
    }


def copy_sample(tmp_path: Path) -> Path:
    target = tmp_path / "reports"
    shutil.copytree(SAMPLE, target)
    return target


def edit(path: Path, fn: Any) -> None:
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data))


def report_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minio_conformance.reporting", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- pure rules -----------------------------------------------------------------------------------


def vr(status: VerdictStatus, reason: str | None = None) -> VerdictRecord:
    return VerdictRecord("EC-1", status, not_applicable_reason=reason)


NA, OK, BAD = VerdictStatus.NOT_APPLICABLE, VerdictStatus.PASSED, VerdictStatus.FAILED


@pytest.mark.parametrize(
    ("outcome", "verdicts", "expected"),
    [
        ("passed", (), Status.PASSED),
        ("passed", (OK,), Status.PASSED),
        ("xpassed", (), Status.PASSED),
        ("failed", (), Status.FAILED),
        ("failed", (OK,), Status.FAILED),  # the verdict passed, then the test failed: failed
        ("error", (), Status.FAILED),
        ("xfailed", (BAD,), Status.FAILED),
        ("passed", (BAD,), Status.FAILED),  # a failed verdict is never evidence of conformance
        ("skipped", (NA,), Status.NOT_APPLICABLE),
        ("skipped", (NA, NA), Status.NOT_APPLICABLE),
        ("skipped", (), Status.SKIPPED),
        ("skipped", (OK,), Status.SKIPPED),
        ("weird", (), Status.FAILED),
    ],
)
def test_outcomes_and_verdicts_map_to_cell_statuses(
    outcome: str, verdicts: tuple[VerdictStatus, ...], expected: Status
) -> None:
    assert status_of(outcome, [vr(v) for v in verdicts]) is expected


def test_not_applicable_is_read_from_the_verdict_never_from_the_message() -> None:
    text_only = results(t("a::z", "skipped", "X-1", "Skipped: X-1 not applicable: 4 drives only"))
    assert text_only[0].status is Status.SKIPPED
    data = results(t("a::z", "skipped", "X-1", "Skipped: whatever", [verdict("X-1", "not_applicable", "4 drives")]))
    assert (data[0].status, data[0].reason) == (Status.NOT_APPLICABLE, "4 drives")
    findings = [{"object_ref": "StatefulSet minio-system/minio", "path": "spec.replicas", "message": "is 3"}]
    failed = results(t("a::f", "failed", "X-1", "Failed: x", [verdict("X-1", "failed", findings=findings)]))
    assert [str(f) for f in failed[0].verdicts[0].findings] == ["StatefulSet minio-system/minio spec.replicas: is 3"]


def test_run_names_and_node_params() -> None:
    assert classify_run("static") == ("static", "static")
    assert classify_run("leg-4nodes-live") == ("4", "live")
    assert classify_run("leg-1nodes-disruptive") == ("1", "disruptive")
    assert classify_run("leg-2nodes-static") == ("2", "static")
    assert classify_run("unit") is None
    assert classify_run("summary") is None
    assert node_variant("suites/test_x.py::test_y[1node]") == "1"
    assert node_variant("suites/test_x.py::test_y[4nodes]") == "4"
    assert node_variant("suites/test_recheck_live.py::test_z[STS-4]") is None


REQ = Requirement("X-1", "statement", "000 §1", Tier.LIVE)


def results(*tests: dict[str, Any], name: str = "leg-2nodes-live") -> list[Any]:
    return results_of(run_file(name, list(tests)))


def leg2(*phases: str) -> Leg:
    return Leg("2", tuple(run_file(f"leg-2nodes-{p}", []) for p in phases))


def test_a_cell_fails_if_any_test_failed_and_passes_only_if_all_that_ran_passed() -> None:
    mixed = results(t("a::x", "passed", "X-1"), t("a::y", "failed", "X-1", "no"), t("a::z", "skipped", "X-1", "why"))
    assert combine(REQ, leg2("live"), mixed).status is Status.FAILED
    ran = results(t("a::x", "passed", "X-1"), t("a::z", "skipped", "X-1", "Skipped: no mc"))
    assert combine(REQ, leg2("live"), ran).status is Status.PASSED
    skipped = combine(REQ, leg2("live"), results(t("a::z", "skipped", "X-1", "Skipped: mc not built")))
    assert (skipped.status, skipped.reason) == (Status.SKIPPED, "mc not built")
    na_verdict = [verdict("X-1", "not_applicable", "4 drives only")]
    na = combine(REQ, leg2("live"), results(t("a::z", "skipped", "X-1", "Skipped: X-1 n/a", na_verdict)))
    assert (na.status, na.reason) == (Status.NOT_APPLICABLE, "4 drives only")


def test_cells_without_tests_say_why() -> None:
    assert combine(REQ, Leg("2", ()), []).status is Status.NOT_RUN
    static_only = combine(REQ, leg2("static"), [])
    assert static_only.status is Status.NOT_RUN
    assert "live tier could not run" in static_only.reason
    no_disruptive = combine(Requirement("D-1", "s", "001", Tier.DISRUPTIVE), leg2("live"), [])
    assert (no_disruptive.status, no_disruptive.reason) == (Status.NOT_RUN, "no disruptive run for this leg")
    static_col = combine(REQ, Leg("static", (run_file("static", []),)), [])
    assert static_col.status is Status.NOT_APPLICABLE


def test_sample_matrix() -> None:
    matrix = build_matrix(sample_runs())
    assert [r.requirement.id for r in matrix.rows] == list(CATALOG)
    assert all(tuple(c.leg for c in r.cells) == LEGS for r in matrix.rows)
    assert cell(matrix, "SVC-3", "4").status is Status.FAILED
    assert cell(matrix, "SVC-3", "1").status is Status.PASSED
    assert cell(matrix, "SVC-3", "2").status is Status.NOT_RUN  # leg-2nodes-static: live tier could not run
    assert cell(matrix, "SVC-3", "static").status is Status.NOT_APPLICABLE
    assert cell(matrix, "STS-4", "2").status is Status.PASSED  # static tests of the static-only leg count
    assert cell(matrix, "EC-1", "1").status is Status.NOT_APPLICABLE
    assert cell(matrix, "EC-1", "4").status is Status.PASSED
    ops3 = cell(matrix, "OPS-3", "4")
    assert (ops3.status, ops3.reason) == (
        Status.SKIPPED,
        "mc not built: metrics scrape needs MINIO_CONFORMANCE_BUILD_MC=1",
    )
    assert cell(matrix, "OPS-4", "4").status is Status.FAILED  # xfailed advisory
    static_tests = cell(matrix, "STS-4", "static").tests
    assert {x.variant for x in static_tests} == {"1", "2", "4"}
    # static requirements are re-checked on live objects in the live legs, and those tests count
    live_sts4 = {x.nodeid for x in cell(matrix, "STS-4", "4").tests}
    assert "suites/test_recheck_live.py::test_static_requirement_holds_on_live_objects[STS-4]" in live_sts4
    assert "suites/test_statefulset.py::test_required_pod_anti_affinity[4nodes]" in live_sts4
    # STS-8 is proven by a live test and a disruptive one in the same leg
    assert {x.phase for x in cell(matrix, "STS-8", "4").tests} == {"live", "disruptive"}
    assert [x.name for x in matrix.unattributed if x.leg == "static"] == [
        f"test_objects_valid_for_target_kubernetes[{n}]" for n in ("1node", "2nodes", "4nodes")
    ]


def complete_runs(**changes: Any) -> list[RunFile]:
    """The generated complete run; `changes` maps a run name to a function editing its record (None drops it)."""
    runs = []
    for name, data in complete_records().items():
        fn = changes.get(name, lambda d: d)
        if fn is None:
            continue
        runs.append(RunFile(name, fn(copy.deepcopy(data))))
    return runs


def advisory_id() -> str:
    return next(r.id for r in CATALOG.values() if r.severity is Severity.ADVISORY and r.tier is Tier.LIVE)


def with_failed(req_id: str, outcome: str = "failed") -> Any:
    def edit_record(data: dict[str, Any]) -> dict[str, Any]:
        for test in data["tests"]:
            if test["requirements"] == [req_id]:
                test["outcome"] = outcome
                test["verdicts"] = [verdict(req_id, "failed", findings=[{"message": "planted"}])]
        return data

    return edit_record


def test_verdict_required_vs_advisory_and_strict() -> None:
    sample = build_matrix(sample_runs()).verdict()
    assert (sample.result, sample.required_failed, sample.advisory_failed) == (Result.FAILED, ("SVC-3",), ("OPS-4",))
    assert sample.exit_code == EXIT_FAILED
    complete = build_matrix(complete_runs()).verdict()
    assert (complete.result, complete.exit_code) == (Result.PASS, EXIT_PASS), complete.line
    adv = advisory_id()
    lenient = build_matrix(complete_runs(**{"leg-4nodes-live": with_failed(adv, "xfailed")})).verdict()
    assert (lenient.result, lenient.advisory_failed) == (Result.PASS, (adv,))
    assert f"advisory not met (not enforced without --strict): {adv}" in lenient.line
    strict = build_matrix(complete_runs(**{"leg-4nodes-live": with_failed(adv, "xfailed")})).verdict(strict=True)
    assert (strict.result, strict.exit_code) == (Result.FAILED, EXIT_FAILED)


def test_a_complete_pass_needs_every_required_id_proven_somewhere() -> None:
    required = required_ids()
    assert required, "the catalog has required requirements"
    for rid in (required[0], required[-1]):

        def not_applicable_everywhere(data: dict[str, Any], rid: str = rid) -> dict[str, Any]:
            for test in data["tests"]:
                if test["requirements"] == [rid]:
                    test["outcome"] = "skipped"
                    test["verdicts"] = [verdict(rid, "not_applicable", "not on this leg")]
            return data

        runs = complete_runs(**{name: not_applicable_everywhere for name in complete_records()})
        v = build_matrix(runs).verdict()
        assert (v.result, v.unproven, v.exit_code) == (Result.INCOMPLETE, (rid,), EXIT_INCOMPLETE)
        assert v.line.startswith("INCOMPLETE: required requirement(s) not proven in any leg: " + rid)


def test_proven_in_one_leg_is_enough() -> None:
    """A requirement proven only in the 4-node leg (the upgrade scenario's) counts as proven."""
    disruptive = [r.id for r in CATALOG.values() if r.tier is Tier.DISRUPTIVE and r.severity is Severity.REQUIRED]
    assert disruptive

    def not_applicable_here(data: dict[str, Any]) -> dict[str, Any]:
        for test in data["tests"]:
            test["outcome"] = "skipped"
            test["verdicts"] = [verdict(test["requirements"][0], "not_applicable", "4 nodes only")]
        return data

    runs = complete_runs(**{"leg-1nodes-disruptive": not_applicable_here, "leg-2nodes-disruptive": not_applicable_here})
    assert build_matrix(runs).verdict().result is Result.PASS


@pytest.mark.parametrize(
    ("dropped", "expected"),
    [
        (("leg-4nodes-live", "leg-4nodes-disruptive"), "legs without results: 4 nodes"),
        (("static",), "legs without results: static"),
        (("leg-2nodes-disruptive",), "2 nodes without disruptive results (no disruptive run recorded)"),
        (("leg-1nodes-live",), "1 node without static, live results (no live run recorded)"),
    ],
)
def test_a_leg_without_results_for_its_tiers_is_incomplete(dropped: tuple[str, ...], expected: str) -> None:
    v = build_matrix(complete_runs(**dict.fromkeys(dropped))).verdict()
    assert (v.result, v.exit_code) == (Result.INCOMPLETE, EXIT_INCOMPLETE)
    assert v.line.startswith("INCOMPLETE: " + expected), v.line


def test_a_leg_whose_live_tier_could_not_run_is_incomplete() -> None:
    runs = [r for r in complete_runs() if not r.name.startswith("leg-2nodes")]
    static_part = next(r for r in complete_runs() if r.name == "leg-2nodes-live")
    tests = [x for x in static_part.data["tests"] if CATALOG[x["requirements"][0]].tier is Tier.STATIC]
    runs.append(run_file("leg-2nodes-static", tests, **{"node counts": ["2"]}))
    v = build_matrix(runs).verdict()
    assert v.result is Result.INCOMPLETE
    assert [str(m) for m in v.legs_missing_tiers] == [
        "2 nodes without live, disruptive results (the live tier could not run: static tests only)"
    ]
    assert v.unproven == ()  # the other legs proved everything


def test_failed_wins_over_incomplete_and_says_both() -> None:
    required = next(r.id for r in CATALOG.values() if r.tier is Tier.STATIC and r.severity is Severity.REQUIRED)
    v = build_matrix(complete_runs(static=with_failed(required), **{"leg-4nodes-disruptive": None})).verdict()
    assert (v.result, v.exit_code) == (Result.FAILED, EXIT_FAILED)
    assert v.line.startswith(f"FAILED: required requirement(s) failed: {required}; incomplete: 4 nodes without")


def test_failing_test_with_unknown_id_fails_the_verdict() -> None:
    matrix = build_matrix([run_file("static", [t("s::a[1node]", "failed", "NEW-1")])])
    assert "NEW-1" in matrix.unknown
    assert not matrix.verdict().passed


# --- charts -----------------------------------------------------------------------------------------


def test_nice_steps_and_layout_scale() -> None:
    assert [charts.nice_step(v) for v in (2.4, 58, 648, 0)] == [0.5, 10.0, 200.0, 1.0]
    chart = charts.layout("x", [charts.ChartRow("a", (charts.Span(0, 55, "c", "a"),))])
    assert chart.rects[0].width == pytest.approx(charts.PLOT_W * 55 / 60, abs=0.2)
    assert chart.ticks[-1].label == "60 s"


def test_pod_timings_in_ordinal_order_from_first_creation() -> None:
    deploy = {
        "pods": [
            {"name": "minio-10", "node": "w", "created": "2026-01-01T00:01:40Z", "ready": None, "restarts": 0},
            {"name": "minio-1", "node": "w2", "created": "2026-01-01T00:00:30Z", "ready": "2026-01-01T00:00:50Z"},
            {"name": "minio-0", "node": "w1", "created": "2026-01-01T00:00:00Z", "ready": "2026-01-01T00:00:29Z"},
        ]
    }
    timings = charts.pod_timings(deploy)
    assert [p.name for p in timings] == ["minio-0", "minio-1", "minio-10"]
    assert [(p.created_offset, p.ready_offset, p.to_ready) for p in timings] == [
        (0.0, 29.0, 29.0),
        (30.0, 50.0, 20.0),
        (100.0, None, None),
    ]


def test_suite_duration_excludes_bring_up_done_in_that_run() -> None:
    runs = {r.name: r for r in sample_runs()}
    live, disruptive = runs["leg-4nodes-live"], runs["leg-4nodes-disruptive"]
    steps = charts.deploy_steps(live.data["deploy"])
    bring_up = steps["cluster up"] + steps["load images"] + (charts.deploy_to_ready(live.data["deploy"]) or 0)
    assert charts.suite_duration(live) == pytest.approx((live.wall_s or 0) - bring_up, abs=0.05)
    # the disruptive run reused the deployment: only its own cluster/images time is taken off
    dsteps = charts.deploy_steps(disruptive.data["deploy"])
    expected = (disruptive.wall_s or 0) - dsteps["cluster up"] - dsteps["load images"]
    assert charts.suite_duration(disruptive) == pytest.approx(expected, abs=0.05)


def test_recovery_timelines_found_per_scenario_and_leg() -> None:
    found = charts.recoveries(build_matrix(sample_runs()))
    keys = {(r.test.name, r.leg) for r in found}
    assert ("test_stopped_node_keeps_its_pod_and_reads_are_served", "4") in keys
    assert ("test_hung_minio_is_restarted_by_liveness_and_leaves_endpoints", "1") in keys
    node_loss = next(r for r in found if r.test.name.startswith("test_stopped_node"))
    assert [e[1] for e in node_loss.events] == sorted(e[1] for e in node_loss.events)


# --- metadata sources ---------------------------------------------------------------------------------


def test_git_revision_read_from_the_repository_files(tmp_path: Path) -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(sha + "\n")
    assert sources.git_revision(tmp_path / "repo") == sha
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{sha} refs/heads/main\n")
    assert sources.git_revision(tmp_path / "repo") == sha
    (git / "HEAD").write_text(sha[::-1] + "\n")
    assert sources.git_revision(tmp_path / "repo") == sha[::-1]
    assert sources.git_revision(tmp_path / "nothing") == "unknown"


def test_git_revision_of_this_checkout_matches_git() -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=False)
    expected = head.stdout.strip() if head.returncode == 0 else "unknown"
    assert sources.git_revision(PROJECT) == expected


def test_images_env_parsing() -> None:
    text = "# written by build-images.sh\nKIND_VERSION=v0.30.0\nNODE_IMAGE='kind-node:v1.34.10'\nEMPTY=\nbad line\n"
    assert sources.parse_env_file(text) == {"KIND_VERSION": "v0.30.0", "NODE_IMAGE": "kind-node:v1.34.10", "EMPTY": ""}


def test_manifests_hash_is_the_documented_shell_pipeline(tmp_path: Path) -> None:
    target = tmp_path / "m"
    (target / "sub").mkdir(parents=True)
    (target / "b.yaml").write_text("b: 1\n")
    (target / "a.yaml").write_text("a: 1\n")
    (target / "sub" / "c.yaml").write_text("c: 1\n")
    digest = sources.manifests_digest(str(target), ())
    assert digest.files == 3
    listing = "".join(
        f"{hashlib.sha256((target / rel).read_bytes()).hexdigest()}  ./{rel}\n"
        for rel in ("a.yaml", "b.yaml", "sub/c.yaml")
    )
    assert digest.sha256 == hashlib.sha256(listing.encode()).hexdigest()
    if shutil.which("sha256sum") and shutil.which("find"):
        shell = subprocess.run(
            ["bash", "-c", "(cd \"$1\" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum",
             "_", str(target)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert shell.stdout.split()[0] == digest.sha256
    assert sources.manifests_digest("nope", (tmp_path,)).sha256 is None


# --- the command ------------------------------------------------------------------------------------


def test_builds_page_and_summary_and_exits_1_on_a_required_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = copy_sample(tmp_path)
    (reports / "leg-4nodes-live.html").write_text("<html>pytest-html</html>")
    (reports / "unit.json").write_text("{}")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "images.env").write_text(
        "KIND_VERSION=v0.30.0\nNODE_IMAGE=minio-conformance/kind-node:v1.34.10\n"
        "NODE_IMAGE_ID=sha256:" + "a" * 64 + "\nMINIO_IMAGE=other/minio:x\nMINIO_IMAGE_ID=sha256:" + "b" * 64 + "\n"
    )
    monkeypatch.setenv("MINIO_CONFORMANCE_CACHE", str(cache))
    monkeypatch.chdir(PROJECT)
    assert report_main([str(reports)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"report: {reports / 'index.html'}"
    assert out[1].startswith("FAILED: required requirement(s) failed: SVC-3;")

    page = (reports / "index.html").read_text()
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["verdict"]["result"] == "failed"
    assert summary["verdict"]["exit code"] == 1
    assert summary["verdict"]["required failed"] == ["SVC-3"]
    assert summary["verdict"]["legs missing tiers"] == [
        {
            "leg": "2",
            "title": "2 nodes",
            "tiers": ["live", "disruptive"],
            "reason": "the live tier could not run: static tests only",
        }
    ]
    ec1 = summary["matrix"][list(CATALOG).index("EC-1")]["cells"]["1"]
    assert ec1["status"] == "not applicable"
    assert ec1["tests"][0]["verdicts"][0]["not_applicable_reason"] == "EC-1 concerns 4 drives; this leg has 1"
    svc3 = summary["matrix"][list(CATALOG).index("SVC-3")]["cells"]["4"]["tests"][0]["verdicts"][0]
    assert svc3["findings"][0]["object_ref"] == "minio-conformance-4n-worker3:30901"
    assert [row["id"] for row in summary["matrix"]] == list(CATALOG)
    assert summary["matrix"][list(CATALOG).index("SVC-3")]["cells"]["4"]["status"] == "failed"
    assert summary["kind version"] == "v0.30.0"
    assert summary["kubernetes version"] == "v1.34.10"
    node = next(i for i in summary["images"] if i["role"] == "node")
    assert node["id"] == "sha256:" + "a" * 64  # same image as the deploy record: ID from images.env
    minio = next(i for i in summary["images"] if i["role"] == "minio")
    assert minio["id"] == "not recorded"  # images.env describes another image: its ID is not claimed
    assert summary["manifests"][0]["sha256"] == sources.manifests_digest("manifests", (PROJECT,)).sha256
    assert summary["git revision"] == sources.git_revision(PROJECT)
    assert "unit.json" in summary["ignored files"]

    # self-contained: nothing loaded from elsewhere
    for needle in ("<link", "@import", "url("):
        assert needle not in page
    targets = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page)
    assert targets
    assert not [x for x in targets if re.match(r"^(?:[a-z]+:|//)", x)], "external references"
    # cell links point at details on the page, which link to the leg's pytest-html file
    assert 'href="#c-SVC-3-4"' in page
    assert 'id="c-SVC-3-4"' in page
    assert 'href="leg-4nodes-live.html"' in page
    assert page.count("<svg") >= 5  # durations per leg, pods per live leg, recoveries
    assert "Recovery timelines" in page


def test_exit_0_only_when_complete_and_strict_for_advisory(tmp_path: Path) -> None:
    adv = advisory_id()
    runs = {name: data for name, data in complete_records().items()}
    runs["leg-4nodes-live"] = with_failed(adv, "xfailed")(copy.deepcopy(runs["leg-4nodes-live"]))
    reports = write_records(tmp_path / "reports", runs)
    result = report_cli(str(reports))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[1].startswith(f"PASS: advisory not met (not enforced without --strict): {adv}")
    summary = json.loads((reports / "summary.json").read_text())
    assert (summary["verdict"]["result"], summary["verdict"]["required not proven"]) == ("pass", [])
    strict = report_cli(str(reports), "--strict")
    assert strict.returncode == 1
    assert json.loads((reports / "summary.json").read_text())["verdict"]["strict"] is True


def test_sample_without_its_failure_is_incomplete_and_names_what_is_missing(tmp_path: Path) -> None:
    """The sample's 2-node leg could not run its live tier, and later catalog IDs are proven nowhere."""
    reports = copy_sample(tmp_path)

    def fix_svc3(data: dict[str, Any]) -> None:
        for test in data["tests"]:
            if "node_ports_reachable" in test["nodeid"]:
                test["outcome"], test["message"], test["verdicts"] = "passed", "", [verdict("SVC-3")]

    edit(reports / "leg-4nodes-live.json", fix_svc3)
    result = report_cli(str(reports))
    assert result.returncode == EXIT_INCOMPLETE, result.stdout + result.stderr
    line = result.stdout.splitlines()[1]
    assert line.startswith("INCOMPLETE: advisory not met (not enforced without --strict): OPS-4; ")
    assert "2 nodes without live, disruptive results (the live tier could not run: static tests only)" in line
    summary = json.loads((reports / "summary.json").read_text())
    proven = {row["id"] for row in summary["matrix"] if any(c["status"] == "passed" for c in row["cells"].values())}
    expected = [rid for rid in required_ids() if rid not in proven]
    assert summary["verdict"]["required not proven"] == expected
    if expected:
        assert f"required requirement(s) not proven in any leg: {' '.join(expected)}" in line
    page = (reports / "index.html").read_text()
    assert 'data-result="incomplete"' in page
    assert "MinIO on Kubernetes conformance: INCOMPLETE" in page


def test_a_leg_with_no_results_yet_is_incomplete_not_pass(tmp_path: Path) -> None:
    """What nox builds after the 1-node leg: a page that must not read PASS."""
    runs = {k: v for k, v in complete_records().items() if not k.startswith("leg-4nodes")}
    reports = write_records(tmp_path / "reports", runs)
    result = report_cli(str(reports))
    assert result.returncode == EXIT_INCOMPLETE, result.stdout + result.stderr
    assert result.stdout.splitlines()[1].startswith("INCOMPLETE: legs without results: 4 nodes")


@pytest.mark.parametrize("case", ["missing", "empty", "only-unit", "malformed", "not-a-record"])
def test_unusable_directory_exits_2_with_one_line(tmp_path: Path, case: str) -> None:
    target = tmp_path / "reports"
    if case != "missing":
        target.mkdir()
    if case == "only-unit":
        (target / "unit.json").write_text('{"tests": []}')
    if case == "malformed":
        (target / "static.json").write_text('{"tests": [')
    if case == "not-a-record":
        (target / "leg-1nodes-live.json").write_text("[1, 2]")
    result = report_cli(str(target))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert str(target) in lines[0]
    assert not (target / "index.html").exists()


def test_everything_printed_is_escaped_and_redacted(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    static = {
        "started": "2026-11-21T18:00:00+00:00",
        "finished": "2026-11-21T18:00:02+00:00",
        "manifests": "manifests",
        "tests": [
            {
                "nodeid": f"suites/test_a.py::test_b[1node]{hostile}",
                "outcome": "failed",
                "duration": 0.1,
                "requirements": ["SEC-2"],
                "properties": {"note": hostile},
                "evidence": {hostile: f"leaked value extra-known-secret-77 and {hostile}"},
                "message": "Failed: extra-known-secret-77 " + hostile,
            }
        ],
    }
    (reports / "static.json").write_text(json.dumps(static))
    redact = tmp_path / "redact.txt"
    redact.write_text("\nextra-known-secret-77\n")
    assert report_main([str(reports), "--redact-file", str(redact)]) == 1
    for name in ("index.html", "summary.json"):
        text = (reports / name).read_text()
        assert "extra-known-secret-77" not in text, name
        assert REDACTED.replace("<", "&lt;").replace(">", "&gt;") in text or REDACTED in text
    page = (reports / "index.html").read_text()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
    assert page.count("<script>") == 1  # the page's own few lines, nothing injected


# --- planted secret, end to end ---------------------------------------------------------------------

PLANTED = {
    "access key (Secret stringData)": "planted-access-4d2c9e",
    "secret key (Secret stringData)": "planted-secret-8e1f-XYZ",
    "MINIO_ROOT_PASSWORD literal": "planted-rootpw-6a9b7c",
}


def _plant(documented: ManifestSet) -> list[SourceDocument]:
    docs = []
    for doc in documented.documents:
        obj: dict[str, Any] = copy.deepcopy(dict(doc.obj))
        if obj.get("kind") == "Secret":
            obj["stringData"] = {
                "accesskey": PLANTED["access key (Secret stringData)"],
                "secretkey": PLANTED["secret key (Secret stringData)"],
            }
        if obj.get("kind") == "StatefulSet":
            for container in obj["spec"]["template"]["spec"]["containers"]:
                for env in container.get("env") or []:
                    if env.get("name") == "MINIO_ROOT_PASSWORD":
                        env.pop("valueFrom", None)
                        env["value"] = PLANTED["MINIO_ROOT_PASSWORD literal"]
        docs.append(SourceDocument(doc.file, doc.index, obj))
    return docs


def _leaks(directory: Path, values: Mapping[str, str]) -> list[str]:
    found = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for label, value in values.items():
            for form, needle in (("plain", value), ("base64", base64.b64encode(value.encode()).decode())):
                if needle.encode() in data:
                    found.append(f"{label} ({form}) in {path.relative_to(directory)}")
    return found


def test_planted_credentials_reach_no_report_file(documented: ManifestSet, tmp_path: Path) -> None:
    manifests = write_manifest_set(_plant(documented), tmp_path / "planted-manifests")
    source = "".join(p.read_text() for p in sorted(manifests.glob("*.yaml")))
    assert all(v in source for v in PLANTED.values()), "the planted values must really be in the manifests"
    reports = tmp_path / "reports"
    reports.mkdir()
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "suites", "-m", "static", "-q", "-p", "no:cacheprovider",
            "--minio-nodes=1,2,4", f"--manifests={manifests}",
            f"--junitxml={reports / 'static.xml'}", f"--html={reports / 'static.html'}", "--self-contained-html",
            f"--minio-results={reports / 'static.json'}",
        ],
        cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stdout[-3000:] + run.stderr[-3000:]
    assert (reports / "static.json").is_file()
    assert (reports / "static.html").is_file()
    built = report_cli(str(reports))
    assert built.returncode in (0, 1), built.stdout + built.stderr
    assert {p.name for p in reports.iterdir()} >= {"index.html", "summary.json", "static.json", "static.html"}
    leaks = _leaks(reports, PLANTED)
    leaks += [f"{label} in the pytest output" for label, v in PLANTED.items() if v in run.stdout + run.stderr]
    assert not leaks, "planted credentials leaked: " + "; ".join(leaks)
    summary = json.loads((reports / "summary.json").read_text())
    sec2 = next(r for r in summary["matrix"] if r["id"] == "SEC-2")
    assert sec2["cells"]["static"]["status"] == "failed"  # the literal password is caught, not only hidden
    assert sec2["severity"] == Severity.REQUIRED.value
