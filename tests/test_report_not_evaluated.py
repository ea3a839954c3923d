"""Requirements the live tier could not observe, in the auditor report: "not evaluated", a missing proof.

When the deployment does not come up, the live tier fails the failed step's requirement IDs with
its evidence and skips every other live and disruptive test with a not-applicable verdict marked
`"not_evaluated": true` (fixtures/evidence.py `not_evaluated`); the deploy record carries the
`failed_step`. The report reads the mark: such a test and a cell made of such tests read "not
evaluated" (never not applicable, never passed), a required ID only not evaluated makes the report
INCOMPLETE unless something failed, and the leg's header shows the failed step with its evidence.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.catalog import CATALOG, Requirement, Severity, Tier
from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.model import (
    EXIT_FAILED,
    EXIT_INCOMPLETE,
    EXIT_PASS,
    EXIT_UNUSABLE,
    Leg,
    Result,
    RunFile,
    Status,
    build_matrix,
    combine,
    results_of,
    status_of,
    verdict_records,
)
from minio_conformance.reporting.profiles import QUICK
from minio_conformance.reporting.records import RecordError, check_record
from tests.report_data import (
    NODE_LEGS,
    NOT_UP,
    complete_records,
    entry,
    failed_step,
    not_evaluated_verdict,
    not_up,
    quick_records,
    record,
    verdict,
    waived_verdict,
    write_records,
)

Edit = Callable[[dict[str, Any]], dict[str, Any]]
NODE_RUNS = tuple(f"leg-{n}nodes-{phase}" for n in NODE_LEGS for phase in ("live", "disruptive"))


def live_required(n: int = 0, *, besides: tuple[str, ...] = ("PREP-1",)) -> str:
    ids = [r.id for r in CATALOG.values() if r.tier is Tier.LIVE and r.severity is Severity.REQUIRED]
    return [rid for rid in ids if rid not in besides][n]


def _unchanged(data: dict[str, Any]) -> dict[str, Any]:
    return data


def runs_with(edits: dict[str, Edit], records: dict[str, Any] | None = None) -> list[RunFile]:
    base = complete_records() if records is None else records
    return [RunFile(name, edits.get(name, _unchanged)(copy.deepcopy(data))) for name, data in base.items()]


def only(rid: str, edit: Callable[[dict[str, Any], str], None]) -> Edit:
    """Edit a record: every test of `rid` changed by `edit(test, rid)`."""

    def edit_record(data: dict[str, Any]) -> dict[str, Any]:
        for test in data["tests"]:
            if test["requirements"] == [rid]:
                edit(test, rid)
        return data

    return edit_record


def skip_not_evaluated(test: dict[str, Any], rid: str) -> None:
    test["outcome"], test["message"] = "skipped", f"Skipped: not evaluated: {NOT_UP}"
    test["verdicts"] = [not_evaluated_verdict(rid)]


def skip_not_applicable(test: dict[str, Any], rid: str) -> None:
    test["outcome"], test["verdicts"] = "skipped", [verdict(rid, "not_applicable", "not here")]


def fail(test: dict[str, Any], rid: str) -> None:
    test["outcome"], test["verdicts"] = "failed", [verdict(rid, "failed", findings=[{"message": "broken"}])]


def not_evaluated_everywhere(rid: str) -> dict[str, Edit]:
    return dict.fromkeys(NODE_RUNS, only(rid, skip_not_evaluated))


# --- the records ----------------------------------------------------------------------------------------


def a_record(*, verdicts: list[dict[str, Any]] | None = None, deploy: Any = None) -> dict[str, Any]:
    extra = {} if deploy is None else {"deploy": deploy}
    test = entry("suites/test_storage.py::test_prep", "PREP-1", "skipped", verdicts)
    return record([test], ["4"], **extra)


def test_a_not_evaluated_verdict_and_a_failed_step_are_accepted() -> None:
    check_record(a_record(verdicts=[not_evaluated_verdict("PREP-1")], deploy={"failed_step": failed_step()}))
    check_record(a_record(verdicts=[{**not_evaluated_verdict("PREP-1"), "not_evaluated": False}]))
    check_record(a_record(deploy={"failed_step": None}))  # DeployRecord's default when every step succeeded
    check_record(a_record(deploy={"failed_step": {"step": "bring-up"}}))  # lenient: keys are optional
    check_record(a_record(deploy={"failed_step": {**failed_step(), "requirements": [], "extra": 1}}))


@pytest.mark.parametrize("value", ["true", 1, 0, None, [], {}])
def test_not_evaluated_must_be_a_boolean(value: Any) -> None:
    bad = {**not_evaluated_verdict("PREP-1"), "not_evaluated": value}
    with pytest.raises(RecordError, match=r"^test #0 verdict #0: 'not_evaluated' must be a boolean, not \w+$"):
        check_record(a_record(verdicts=[bad]))


def test_only_a_not_applicable_verdict_is_not_evaluated() -> None:
    bad = {**verdict("PREP-1"), "not_evaluated": True}
    with pytest.raises(RecordError, match=r"a not-evaluated verdict .* must be not_applicable, not passed"):
        check_record(a_record(verdicts=[bad]))


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("storage preparation failed", "deploy: 'failed_step' must be an object, not string"),
        ([failed_step()], "deploy: 'failed_step' must be an object, not array"),
        ({"step": 5}, "deploy failed_step: 'step' must be a string, not number"),
        ({"message": ["x"]}, "deploy failed_step: 'message' must be a string, not array"),
        ({"requirements": "PREP-1"}, "deploy failed_step: 'requirements' must be an array, not string"),
        ({"requirements": ["PREP-1", 2]}, "deploy failed_step: 'requirements' must be an array of strings"),
        ({"requirements": ["X"] * 65}, "'requirements' holds 65 entries, more than the 64 read at most"),
        ({"evidence": ["events"]}, "deploy failed_step: 'evidence' must be an object, not array"),
        ({"evidence": {"events": 3}}, "deploy failed_step: every 'evidence' value must be a string"),
    ],
)
def test_a_failed_step_of_the_wrong_shape_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], step: Any, message: str
) -> None:
    with pytest.raises(RecordError, match=re.escape(message)):
        check_record(a_record(deploy={"failed_step": step}))
    runs = complete_records()
    runs["leg-4nodes-live"]["deploy"] = {"failed_step": step}
    assert report_main([str(write_records(tmp_path / "reports", runs))]) == EXIT_UNUSABLE
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert message in err[0]
    assert not (tmp_path / "reports" / "index.html").exists()


# --- the rules ------------------------------------------------------------------------------------------


def test_a_skip_whose_verdicts_all_say_not_evaluated_is_not_evaluated() -> None:
    unobserved = verdict_records([not_evaluated_verdict("PREP-1")])
    plain = verdict_records([verdict("PREP-1", "not_applicable", "needs 4 nodes")])
    waived = verdict_records([waived_verdict("PREP-1", "agreed")])
    assert unobserved[0].not_evaluated
    assert not plain[0].not_evaluated
    assert status_of("skipped", unobserved) is Status.NOT_EVALUATED
    assert status_of("skipped", plain) is Status.NOT_APPLICABLE
    assert status_of("skipped", unobserved + plain) is Status.NOT_APPLICABLE, "never read into another verdict"
    assert status_of("skipped", unobserved + waived) is Status.NOT_APPLICABLE
    assert status_of("failed", unobserved) is Status.FAILED
    assert status_of("skipped", verdict_records([{**not_evaluated_verdict("PREP-1"), "not_evaluated": False}])) is (
        Status.NOT_APPLICABLE
    )
    assert Status.NOT_EVALUATED not in (Status.NOT_APPLICABLE, Status.WAIVED, Status.SKIPPED, Status.NOT_RUN)


REQ = Requirement("X-1", "statement", "000 §1", Tier.LIVE)


def entry_of(
    nodeid: str, outcome: str, verdicts: list[dict[str, Any]], reqs: tuple[str, ...] = ("X-1",)
) -> dict[str, Any]:
    return {"nodeid": nodeid, "outcome": outcome, "duration": 0.1, "requirements": list(reqs), "verdicts": verdicts}


def results_for(*entries: dict[str, Any]) -> list[Any]:
    return results_of(RunFile("leg-4nodes-live", {"tests": list(entries)}))


def live_leg() -> Leg:
    return Leg("4", (RunFile("leg-4nodes-live", {"tests": []}),))


def test_a_cell_of_not_evaluated_tests_is_not_evaluated_with_why() -> None:
    unobserved = entry_of("s::a", "skipped", [not_evaluated_verdict("X-1")])
    cell = combine(REQ, live_leg(), results_for(unobserved, {**unobserved, "nodeid": "s::b"}))
    assert (cell.status, cell.reason) == (Status.NOT_EVALUATED, NOT_UP)
    (test,) = results_for(unobserved)
    assert (test.status, test.reason) == (Status.NOT_EVALUATED, f"not evaluated: {NOT_UP}")


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (entry_of("s::p", "passed", [verdict("X-1")]), Status.PASSED),
        (entry_of("s::f", "failed", [verdict("X-1", "failed", findings=[{"message": "no"}])]), Status.FAILED),
        (entry_of("s::n", "skipped", [verdict("X-1", "not_applicable", "needs 4 nodes")]), Status.NOT_EVALUATED),
        (entry_of("s::s", "skipped", []), Status.NOT_EVALUATED),
    ],
)
def test_a_cell_with_another_test_never_reads_not_applicable(other: dict[str, Any], expected: Status) -> None:
    unobserved = entry_of("s::a", "skipped", [not_evaluated_verdict("X-1")])
    assert combine(REQ, live_leg(), results_for(unobserved, other)).status is expected


def test_a_test_of_several_ids_is_not_evaluated_only_for_the_unobserved_one() -> None:
    both = entry_of(
        "s::two",
        "skipped",
        [not_evaluated_verdict("X-1"), verdict("X-2", "not_applicable", "needs 4 nodes")],
        ("X-1", "X-2"),
    )
    (test,) = results_for(both)
    assert test.status is Status.NOT_APPLICABLE
    assert (test.status_for("X-1"), test.status_for("X-2")) == (Status.NOT_EVALUATED, Status.NOT_APPLICABLE)
    other = Requirement("X-2", "statement", "000 §2", Tier.LIVE)
    assert combine(REQ, live_leg(), [test]).status is Status.NOT_EVALUATED
    assert combine(other, live_leg(), [test]).status is Status.NOT_APPLICABLE


# --- the verdict ----------------------------------------------------------------------------------------


def test_a_required_id_only_not_evaluated_makes_the_report_incomplete() -> None:
    rid = live_required()
    matrix = build_matrix(runs_with(not_evaluated_everywhere(rid)))
    v = matrix.verdict()
    assert (v.result, v.exit_code) == (Result.INCOMPLETE, EXIT_INCOMPLETE), v.line
    assert (v.unproven, v.unobserved, v.waived) == ((rid,), (rid,), ())
    assert f"required requirement(s) not evaluated (could not be observed), proven in no leg: {rid}" in v.line
    assert "not proven in any leg" not in v.line
    assert v.counts["not evaluated"] == len(NODE_LEGS)
    assert v.counts["not applicable"] == sum(1 for r in CATALOG.values() if r.tier is not Tier.STATIC)
    row = next(r for r in matrix.rows if r.requirement.id == rid)
    assert not row.proven
    assert row.not_evaluated_legs == NODE_LEGS
    assert [c.status for c in row.cells] == [Status.NOT_APPLICABLE] + [Status.NOT_EVALUATED] * 3


def test_not_evaluated_in_one_leg_and_passed_in_another_is_proven() -> None:
    rid = live_required()
    v = build_matrix(runs_with({"leg-4nodes-live": only(rid, skip_not_evaluated)})).verdict()
    assert (v.result, v.unproven, v.counts["not evaluated"]) == (Result.PASS, (), 1), v.line


def test_a_failure_wins_over_not_evaluated() -> None:
    rid, failing = live_required(0), live_required(1)
    edits = not_evaluated_everywhere(rid)
    edits["leg-1nodes-live"] = lambda d: only(failing, fail)(only(rid, skip_not_evaluated)(d))
    v = build_matrix(runs_with(edits)).verdict()
    assert (v.result, v.exit_code, v.required_failed) == (Result.FAILED, EXIT_FAILED, (failing,)), v.line
    assert v.unobserved == (rid,)
    assert f"incomplete: required requirement(s) not evaluated (could not be observed), proven in no leg: {rid}" in (
        v.line
    )


def test_a_deployment_that_did_not_come_up_everywhere_fails_on_its_step_and_leaves_the_rest_unproven() -> None:
    edits = dict.fromkeys(NODE_RUNS, not_up(failed_step()))
    matrix = build_matrix(runs_with(edits))
    v = matrix.verdict()
    assert (v.result, v.exit_code, v.required_failed) == (Result.FAILED, EXIT_FAILED, ("PREP-1",)), v.line
    unobserved = [
        r.id
        for r in CATALOG.values()
        if r.tier is not Tier.STATIC and r.id != "PREP-1" and r.severity is Severity.REQUIRED
    ]
    assert list(v.unobserved) == unobserved
    assert list(v.unproven) == unobserved, "not evaluated is never read as not applicable nor as passed"
    assert v.counts["not evaluated"] == 3 * (sum(1 for r in CATALOG.values() if r.tier is not Tier.STATIC) - 1)
    assert v.counts["passed"] == 4 * sum(1 for r in CATALOG.values() if r.tier is Tier.STATIC)


def test_the_same_ids_not_applicable_instead_are_not_listed_as_not_evaluated() -> None:
    rid = live_required()
    v = build_matrix(runs_with(dict.fromkeys(NODE_RUNS, only(rid, skip_not_applicable)))).verdict()
    assert (v.result, v.unproven, v.unobserved, v.counts["not evaluated"]) == (Result.INCOMPLETE, (rid,), (), 0)
    assert f"required requirement(s) not proven in any leg: {rid}" in v.line


def test_a_partial_run_lists_an_unobserved_id_as_not_evaluated_with_why() -> None:
    rid = live_required()
    runs = runs_with({"leg-4nodes-live": only(rid, skip_not_evaluated)}, quick_records())
    v = build_matrix(runs, profile=QUICK).verdict()
    assert v.result is Result.PASS_PARTIAL, v.line
    (listed,) = [n for n in v.not_evaluated if n.id == rid]
    assert listed.reason == f"4 nodes: not evaluated ({NOT_UP})"


def test_a_partial_run_whose_deployment_did_not_come_up_fails_on_its_step() -> None:
    runs = runs_with({"leg-4nodes-live": not_up(failed_step())}, quick_records())
    v = build_matrix(runs, profile=QUICK).verdict()
    assert (v.result, v.required_failed) == (Result.FAILED, ("PREP-1",)), v.line
    live = {r.id for r in CATALOG.values() if r.tier is Tier.LIVE and r.id != "PREP-1"}
    assert live <= {n.id for n in v.not_evaluated}


# --- page and summary.json ------------------------------------------------------------------------------

EVIDENCE = "Warning <b>FailedMount</b> & pod/minio-storage-prep-x: <script>alert(1)</script>"


def test_page_and_summary_show_not_evaluated_cells_and_the_failed_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step = failed_step(message="DaemonSet <minio-storage-prep> not ready after 120 s", evidence={"events": EVIDENCE})
    runs = complete_records()
    for name in ("leg-4nodes-live", "leg-4nodes-disruptive"):
        runs[name] = not_up(step)(runs[name])
    reports = write_records(tmp_path / "reports", runs)
    assert report_main([str(reports)]) == EXIT_FAILED
    line = capsys.readouterr().out.splitlines()[1]
    unobserved = sum(1 for r in CATALOG.values() if r.tier is not Tier.STATIC) - 1
    assert line.startswith("FAILED: required requirement(s) failed: PREP-1 ["), line
    assert f"{unobserved} not evaluated" in line

    summary = json.loads((reports / "summary.json").read_text())
    assert summary["verdict"]["cells"]["not evaluated"] == unobserved
    assert summary["verdict"]["required not evaluated"] == [], "proven on 1 and 2 nodes"
    assert "not evaluated" in summary["status values"]
    rid = live_required()
    cell = next(r for r in summary["matrix"] if r["id"] == rid)["cells"]["4"]
    assert (cell["status"], cell["reason"]) == ("not evaluated", NOT_UP)
    (recorded,) = cell["tests"][0]["verdicts"]
    assert (recorded["status"], recorded["not_evaluated"]) == ("not_applicable", True)
    assert next(r for r in summary["matrix"] if r["id"] == "PREP-1")["cells"]["4"]["status"] == "failed"
    legs = {m["key"]: m for m in summary["legs"]}
    assert legs["4"]["failed deploy step"] == {
        "step": "storage-preparation",
        "requirements": ["PREP-1"],
        "message": "DaemonSet <minio-storage-prep> not ready after 120 s",
        "evidence": {"events": EVIDENCE},
    }
    assert legs["2"]["failed deploy step"] is None

    page = (reports / "index.html").read_text()
    assert ".s-noteval {" in page
    assert '<span class="st chip s-noteval">not evaluated</span>: neither passed nor not applicable' in page
    assert f'class="st s-noteval" href="#c-{rid}-4"' in page
    assert 'data-status="not evaluated" data-leg="4">not evaluated</a>' in page
    assert 'data-verdict="not_evaluated">verdict ' in page
    assert f'<b class="st s-noteval">not evaluated</b> ({NOT_UP})' in page
    header = page[page.index('<div class="leg" id="leg-4">') :]
    header = header[: header.index("</td>")]
    assert '<div class="failed-step" data-step="storage-preparation">' in header
    assert 'deploy step failed: <b>storage-preparation</b></span> (requirements: <a href="#r-PREP-1">PREP-1</a>)' in (
        header
    )
    assert "DaemonSet &lt;minio-storage-prep&gt; not ready after 120 s" in header
    assert '<details class="evidence"><summary>evidence: events</summary>' in header, "collapsed until asked for"
    assert "Warning &lt;b&gt;FailedMount&lt;/b&gt; &amp; pod/minio-storage-prep-x: &lt;script&gt;" in header
    assert "<script>alert" not in page
    assert 'class="failed-step"' not in page[: page.index('<div class="leg" id="leg-4">')]


def test_the_cli_says_incomplete_when_a_required_id_was_only_not_evaluated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = live_required()
    runs = {name: data for name, data in complete_records().items()}
    for name, edit in not_evaluated_everywhere(rid).items():
        runs[name] = edit(runs[name])
    reports = write_records(tmp_path / "reports", runs)
    assert report_main([str(reports)]) == EXIT_INCOMPLETE
    line = capsys.readouterr().out.splitlines()[1]
    assert line.startswith(
        f"INCOMPLETE: required requirement(s) not evaluated (could not be observed), proven in no leg: {rid} ["
    )
    summary = json.loads((reports / "summary.json").read_text())
    assert (summary["verdict"]["required not evaluated"], summary["verdict"]["required not proven"]) == ([rid], [rid])
    page = (reports / "index.html").read_text()
    assert f'<a class="st chip s-noteval" href="#r-{rid}">{rid}</a>' in page


def test_a_complete_run_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports = write_records(tmp_path / "reports", complete_records())
    assert report_main([str(reports)]) == EXIT_PASS
    assert "not evaluated" not in capsys.readouterr().out
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["verdict"]["cells"]["not evaluated"] == 0
    assert summary["verdict"]["required not evaluated"] == []
    assert 'class="failed-step"' not in (reports / "index.html").read_text()
