"""Waived requirements in the auditor report: a status of their own, never passed, never missing.

The gate config waives a requirement; the static tier records its verdict as not applicable
with the note `waived: <reason> (<config file>)`, and fixtures/results.py marks that verdict
with `waived_reason`. The report reads that field: the cell reads "waived", the verdict can be
PASS with the waived IDs stated, and the page and summary.json say which and why.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures.results import _verdict as sidecar_verdict
from minio_conformance.catalog import CATALOG, Requirement, Severity, Tier
from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.model import (
    EXIT_FAILED,
    EXIT_PASS,
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
from tests.report_data import (
    WAIVER_FILE,
    complete_records,
    quick_records,
    verdict,
    waive,
    waived_verdict,
    write_records,
)

PROJECT = Path(__file__).resolve().parent.parent
REASON = "Parallel pod management, agreed with the storage team (TICKET-123)"
WAIVER = f"{REASON} ({WAIVER_FILE})"


def static_required(n: int = 0) -> str:
    return [r.id for r in CATALOG.values() if r.tier is Tier.STATIC and r.severity is Severity.REQUIRED][n]


Edit = Callable[[dict[str, Any]], Any]


def _unchanged(data: dict[str, Any]) -> dict[str, Any]:
    return data


def runs_with(edits: dict[str, Edit], records: dict[str, Any] | None = None) -> list[RunFile]:
    base = complete_records() if records is None else records
    out = []
    for name, data in base.items():
        edit: Edit = edits.get(name, _unchanged)
        out.append(RunFile(name, edit(copy.deepcopy(data))))
    return out


def waived_everywhere(rid: str, reason: str = REASON) -> dict[str, Edit]:
    """Every run's tests of `rid` waived (the static tier runs in the static column and in each live leg)."""
    return {name: waive(rid, reason) for name in complete_records()}


# --- the sidecar ---------------------------------------------------------------------------------------


def test_the_sidecar_marks_a_waived_verdict_and_only_that() -> None:
    note = f"waived: {REASON} ({WAIVER_FILE})"
    na = {"requirement": "STS-7", "status": "not_applicable", "findings": [], "notes": [note]}
    marked = sidecar_verdict(json.dumps({**na, "not_applicable_reason": note}))
    assert marked is not None
    assert marked["waived_reason"] == WAIVER
    plain = sidecar_verdict(json.dumps({**na, "notes": ["needs 4 nodes; this leg has 1"]}))
    assert plain is not None
    assert "waived_reason" not in plain
    passed = sidecar_verdict({**na, "status": "passed"})
    assert passed is not None
    assert "waived_reason" not in passed, "only a not-applicable verdict is waived"


def test_the_static_tier_records_a_waiver_that_the_report_reads_as_waived(tmp_path: Path) -> None:
    """The whole path: config waiver -> static tier -> results sidecar -> waived cell and PASS-able verdict."""
    config = tmp_path / "minio-conformance.yaml"
    config.write_text(f"waivers:\n  - id: STS-7\n    reason: {REASON}\n")
    results = tmp_path / "results"
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "suites", "-m", "static", "-q", "-p", "no:cacheprovider",
            "--minio-nodes=1", f"--minio-config={config}", f"--minio-results={results / 'static.json'}",
        ],
        cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    data = json.loads((results / "static.json").read_text())
    tests = [t for t in results_of(RunFile("static", data)) if "STS-7" in t.requirements]
    assert tests
    assert {t.status for t in tests} == {Status.WAIVED}
    (record,) = [v for t in data["tests"] if "STS-7" in t["requirements"] for v in t["verdicts"]]
    assert (record["status"], record["waived_reason"]) == ("not_applicable", f"{REASON} ({config})")
    others = [v for t in data["tests"] for v in t["verdicts"] if v["requirement"] != "STS-7"]
    assert others
    assert not any("waived_reason" in v for v in others)
    cell = next(c for r in build_matrix([RunFile("static", data)]).rows if r.requirement.id == "STS-7" for c in r.cells)
    assert (cell.status, cell.reason) == (Status.WAIVED, f"waived: {REASON} ({config})")


# --- the rules ------------------------------------------------------------------------------------------


def test_a_skip_whose_verdicts_are_all_waived_is_waived() -> None:
    waived = verdict_records([waived_verdict("STS-7", REASON)])
    plain = verdict_records([verdict("STS-7", "not_applicable", "needs 4 nodes")])
    assert waived[0].waived
    assert waived[0].waived_reason == WAIVER
    assert not plain[0].waived
    assert status_of("skipped", waived) is Status.WAIVED
    assert status_of("skipped", plain) is Status.NOT_APPLICABLE
    assert status_of("skipped", waived + plain) is Status.NOT_APPLICABLE, "a waiver is never read into another ID"
    assert status_of("failed", waived) is Status.FAILED


REQ = Requirement("X-1", "statement", "000 §1", Tier.STATIC)


def records_of(*entries: dict[str, Any]) -> list[Any]:
    return results_of(RunFile("static", {"tests": list(entries)}))


def entry_of(
    nodeid: str, outcome: str, verdicts: list[dict[str, Any]], reqs: tuple[str, ...] = ("X-1",)
) -> dict[str, Any]:
    return {"nodeid": nodeid, "outcome": outcome, "duration": 0.1, "requirements": list(reqs), "verdicts": verdicts}


def static_leg() -> Leg:
    return Leg("static", (RunFile("static", {"tests": []}),))


def test_a_waived_cell_never_reads_passed_but_a_failure_still_fails_it() -> None:
    waived = entry_of("s::w[1node]", "skipped", [waived_verdict("X-1", REASON)])
    passed = entry_of("s::p[2nodes]", "passed", [verdict("X-1")])
    failed = entry_of("s::f[4nodes]", "failed", [verdict("X-1", "failed", findings=[{"message": "no"}])])
    cell = combine(REQ, static_leg(), records_of(waived, passed))
    assert (cell.status, cell.reason) == (Status.WAIVED, f"waived: {WAIVER}")
    assert combine(REQ, static_leg(), records_of(waived, passed, failed)).status is Status.FAILED


def test_a_test_of_several_ids_is_waived_only_for_the_waived_one() -> None:
    both = entry_of(
        "s::two",
        "skipped",
        [waived_verdict("X-1", REASON), verdict("X-2", "not_applicable", "needs 4 nodes")],
        ("X-1", "X-2"),
    )
    (record,) = records_of(both)
    assert record.status is Status.NOT_APPLICABLE
    assert record.status_for("X-1") is Status.WAIVED
    assert record.status_for("X-2") is Status.NOT_APPLICABLE
    other = Requirement("X-2", "statement", "000 §2", Tier.STATIC)
    assert combine(REQ, static_leg(), [record]).status is Status.WAIVED
    assert combine(other, static_leg(), [record]).status is Status.NOT_APPLICABLE


# --- the verdict ----------------------------------------------------------------------------------------


def test_a_waived_required_id_is_neither_passed_nor_missing_and_the_run_can_pass() -> None:
    rid = static_required()
    v = build_matrix(runs_with(waived_everywhere(rid))).verdict()
    assert (v.result, v.exit_code) == (Result.PASS, EXIT_PASS), v.line
    assert rid not in v.unproven
    assert [(w.id, w.reason, w.legs) for w in v.waived] == [(rid, WAIVER, ("static", "1", "2", "4"))]
    assert v.line.startswith(f"PASS: every required requirement proven or waived, none failed; 1 waived ({rid}) ")
    assert v.counts["waived"] == 4
    assert v.counts["passed"] > 0
    row = next(r for r in build_matrix(runs_with(waived_everywhere(rid))).rows if r.requirement.id == rid)
    assert not row.proven, "a waived requirement is not proven"


def test_without_the_waiver_the_same_id_not_applicable_everywhere_is_incomplete() -> None:
    rid = static_required()

    def not_applicable(data: dict[str, Any]) -> dict[str, Any]:
        for t in data["tests"]:
            if t["requirements"] == [rid]:
                t["outcome"], t["verdicts"] = "skipped", [verdict(rid, "not_applicable", "not here")]
        return data

    v = build_matrix(runs_with(dict.fromkeys(complete_records(), not_applicable))).verdict()
    assert (v.result, v.unproven, v.waived) == (Result.INCOMPLETE, (rid,), ())


def test_several_waivers_are_counted_and_a_failure_elsewhere_still_fails() -> None:
    first, second, failing = static_required(0), static_required(1), static_required(2)

    def edits(data: dict[str, Any]) -> dict[str, Any]:
        data = waive(second, "second reason")(waive(first, REASON)(data))
        for t in data["tests"]:
            if t["requirements"] == [failing]:
                t["outcome"], t["verdicts"] = "failed", [verdict(failing, "failed", findings=[{"message": "x"}])]
        return data

    v = build_matrix(runs_with(dict.fromkeys(complete_records(), edits))).verdict()
    assert (v.result, v.exit_code, v.required_failed) == (Result.FAILED, EXIT_FAILED, (failing,))
    assert [w.id for w in v.waived] == [first, second]
    assert v.line.startswith(f"FAILED: required requirement(s) failed: {failing}; 2 waived ({first} {second}) [")


def test_a_waived_id_that_failed_in_another_test_is_failed_and_still_listed_as_waived() -> None:
    rid = static_required()
    edits: dict[str, Edit] = {"static": waive(rid, REASON)}

    def fail_on_4(data: dict[str, Any]) -> dict[str, Any]:
        for t in data["tests"]:
            if t["requirements"] == [rid]:
                t["outcome"], t["verdicts"] = "failed", [verdict(rid, "failed", findings=[{"message": "on live"}])]
        return data

    edits["leg-4nodes-live"] = fail_on_4
    v = build_matrix(runs_with(edits)).verdict()
    assert v.result is Result.FAILED
    assert v.required_failed == (rid,)
    assert [(w.id, w.legs) for w in v.waived] == [(rid, ("static",))]


def test_a_partial_run_lists_a_waived_id_as_waived_not_as_not_evaluated() -> None:
    rid = static_required()
    runs = runs_with({name: waive(rid, REASON) for name in quick_records()}, quick_records())
    v = build_matrix(runs, profile=QUICK).verdict()
    assert v.result is Result.PASS_PARTIAL, v.line
    assert rid not in [n.id for n in v.not_evaluated]
    assert [w.id for w in v.waived] == [rid]
    assert f"1 waived ({rid})" in v.line


# --- page and summary.json ------------------------------------------------------------------------------


def test_page_and_summary_say_which_are_waived_and_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rid = static_required()
    reason = "accepted <risk> & tracked (TICKET-9)"
    runs = {name: waive(rid, reason)(copy.deepcopy(data)) for name, data in complete_records().items()}
    reports = write_records(tmp_path / "reports", runs)
    assert report_main([str(reports)]) == EXIT_PASS
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(f"PASS: every required requirement proven or waived, none failed; 1 waived ({rid})")
    summary = json.loads((reports / "summary.json").read_text())
    shown = f"{reason} ({WAIVER_FILE})"
    assert summary["verdict"]["waived count"] == 1
    assert summary["verdict"]["waived"] == [
        {"id": rid, "severity": "required", "reason": shown, "legs": ["static", "1", "2", "4"]}
    ]
    assert summary["verdict"]["cells"]["waived"] == 4
    assert "waived" in summary["status values"]
    row = next(r for r in summary["matrix"] if r["id"] == rid)
    assert {c["status"] for c in row["cells"].values()} == {"waived"}
    assert row["cells"]["static"]["reason"] == f"waived: {shown}"
    assert row["cells"]["static"]["tests"][0]["verdicts"][0]["waived_reason"] == shown
    page = (reports / "index.html").read_text()
    assert 'id="waived" role="note" data-count="1"' in page
    assert f'<tr data-requirement="{rid}"><td><a class="st chip s-waived"' in page
    assert "accepted &lt;risk&gt; &amp; tracked (TICKET-9)" in page
    assert "<risk>" not in page
    assert f'class="st s-waived" href="#c-{rid}-static"' in page
    assert 'data-status="waived" data-leg="static">waived</a>' in page
    assert 'data-verdict="waived"' in page
    assert ".s-waived {" in page
