"""Failed tests without a requirement ID fail the report, named, in a section of their own.

A deployment step that failed (recorded as `deployment::<step>` with no requirement), a fixture
error or any other failed or errored test that no requirement ID names is not evidence about a
requirement, but the run did not complete as the suite needs: the report is FAILED and says which.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.model import (
    EXIT_FAILED,
    EXIT_PASS,
    Result,
    RunFile,
    build_matrix,
    unattributed_failures,
)
from minio_conformance.reporting.profiles import QUICK
from tests.report_data import complete_records, quick_records, write_records

DEPLOY_STEP = "deployment::storage-preparation"
WHY = "step 5 storage preparation failed: DaemonSet minio-storage-prep not ready after 120 s"


def unattributed(nodeid: str, outcome: str, message: str = "", **properties: Any) -> dict[str, Any]:
    return {
        "nodeid": nodeid,
        "outcome": outcome,
        "duration": 0.2,
        "requirements": [],
        "properties": properties,
        "evidence": {},
        "message": message,
        "verdicts": [],
    }


def runs_plus(extra: dict[str, list[dict[str, Any]]], base: dict[str, Any] | None = None) -> list[RunFile]:
    records = copy.deepcopy(complete_records() if base is None else base)
    for name, tests in extra.items():
        records[name]["tests"] += tests
    return [RunFile(name, data) for name, data in records.items()]


@pytest.mark.parametrize(
    ("nodeid", "outcome", "message"),
    [
        (DEPLOY_STEP, "failed", WHY + "\nevents: ..."),
        ("suites/test_storage.py::test_volumes_bound", "error", "kubernetes.client.ApiException: (503)"),
    ],
)
def test_a_failed_or_errored_test_without_an_id_fails_the_report(nodeid: str, outcome: str, message: str) -> None:
    v = build_matrix(runs_plus({"leg-4nodes-live": [unattributed(nodeid, outcome, message)]})).verdict()
    assert (v.result, v.exit_code) == (Result.FAILED, EXIT_FAILED), v.line
    assert v.required_failed == (), "no requirement failed: the unattributed failure alone fails the report"
    (failure,) = v.unattributed_failed
    assert (failure.nodeid, failure.leg, failure.run, failure.outcome) == (nodeid, "4", "leg-4nodes-live", outcome)
    assert failure.why == message.splitlines()[0]
    assert v.line.startswith(f"FAILED: test(s) failed without a requirement ID: {nodeid} (4 nodes) [")


@pytest.mark.parametrize("outcome", ["passed", "skipped", "xfailed", "xpassed"])
def test_other_outcomes_without_an_id_do_not_fail_it(outcome: str) -> None:
    v = build_matrix(runs_plus({"static": [unattributed("suites/test_schema.py::test_x[1node]", outcome)]})).verdict()
    assert (v.result, v.unattributed_failed) == (Result.PASS, ()), v.line


def test_each_is_named_with_its_leg_and_a_failure_wins_over_incomplete() -> None:
    runs = runs_plus(
        {
            "static": [unattributed("suites/test_schema.py::test_y[2nodes]", "error", "fixture 'x' not found")],
            "leg-1nodes-live": [unattributed(DEPLOY_STEP, "failed", WHY)],
        }
    )
    runs = [r for r in runs if r.name != "leg-2nodes-disruptive"]
    v = build_matrix(runs).verdict()
    assert v.result is Result.FAILED
    assert [str(u) for u in v.unattributed_failed] == [
        "suites/test_schema.py::test_y[2nodes] (static)",
        f"{DEPLOY_STEP} (1 node)",
    ]
    assert "; incomplete: 2 nodes without disruptive results" in v.line


def test_a_proof_head_test_is_reported_as_a_missed_proof_head_not_twice() -> None:
    head = unattributed(
        "suites/test_upgrade.py::test_broken_head_is_caught_under_its_id[mount-path-moved-UPG-3]",
        "failed",
        "Failed: mount-path-moved: UPG-3 did not catch it",
        catches="UPG-3",
    )
    v = build_matrix(runs_plus({"leg-4nodes-disruptive": [head]})).verdict()
    assert v.result is Result.FAILED
    assert [m.head for m in v.missed_proof_heads] == ["mount-path-moved"]
    assert v.unattributed_failed == ()
    assert unattributed_failures(build_matrix(runs_plus({})).tests) == ()


def test_a_quick_run_with_a_failed_deployment_step_is_failed() -> None:
    runs = runs_plus({"leg-4nodes-live": [unattributed(DEPLOY_STEP, "failed", WHY)]}, quick_records())
    v = build_matrix(runs, profile=QUICK).verdict()
    assert (v.result, v.exit_code) == (Result.FAILED, EXIT_FAILED), v.line
    assert "nothing that ran failed" not in v.line
    assert f"test(s) failed without a requirement ID: {DEPLOY_STEP} (4 nodes)" in v.line


def test_page_and_summary_list_them_in_a_section_of_their_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = complete_records()
    records["leg-4nodes-live"]["tests"].append(unattributed(DEPLOY_STEP, "failed", WHY))
    records["static"]["tests"].append(unattributed("suites/test_schema.py::test_ok[1node]", "passed"))
    reports = write_records(tmp_path / "reports", records)
    assert report_main([str(reports)]) == EXIT_FAILED
    assert f"FAILED: test(s) failed without a requirement ID: {DEPLOY_STEP} (4 nodes)" in capsys.readouterr().out
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["verdict"]["failed without requirement"] == [
        {"nodeid": DEPLOY_STEP, "leg": "4", "run": "leg-4nodes-live", "outcome": "failed", "why": WHY}
    ]
    assert [t["nodeid"] for t in summary["tests without requirement"]] == [
        "suites/test_schema.py::test_ok[1node]",
        DEPLOY_STEP,
    ]
    page = (reports / "index.html").read_text()
    alert = re.search(r'<div id="unattributed-failures" role="alert">(.*?)</div>', page, re.S)
    assert alert is not None
    anchor = re.search(r'href="#(t-[0-9a-f]+)"', alert.group(1))
    assert anchor is not None
    assert DEPLOY_STEP in alert.group(1)
    own = page.index('id="failed-without-requirement"')
    rest = page.index("<h3>Tests without a requirement ID</h3>")
    block = page.index(f'id="{anchor.group(1)}"')
    assert own < block < rest, "the failed test's block is in its own section, before the other unattributed tests"
    assert page.count(f'id="{anchor.group(1)}"') == 1
    assert page.index("suites/test_schema.py::test_ok[1node]</code>") > rest


def test_a_report_without_them_has_no_such_section(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "reports", complete_records())
    assert report_main([str(reports)]) == EXIT_PASS
    page = (reports / "index.html").read_text()
    assert 'id="unattributed-failures"' not in page
    assert 'id="failed-without-requirement"' not in page
    assert json.loads((reports / "summary.json").read_text())["verdict"]["failed without requirement"] == []
