"""The live mutation score on the auditor page and in summary.json (reporting/mutation.py).

A mutant the live tier did not catch fails the report; a malformed mutants file is refused in
one line (exit 2), like any other input the builder cannot judge.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.model import (
    EXIT_FAILED,
    EXIT_PASS,
    EXIT_UNUSABLE,
    Result,
    RunFile,
    Verdict,
    build_matrix,
)
from minio_conformance.reporting.mutation import MutationError, judged, parse_mutation_run
from tests.report_data import complete_records, write_records

CAUGHT = {
    "name": "prep-dir-mode-775",
    "requirements": ["PREP-2"],
    "outcome": "caught",
    "seconds": 95.2,
    "evidence": "suites/test_storage.py::test_storage_directory_on_every_node: PREP-2 mode is 0o775, expected 0o755",
}


def mutants_file(*rows: dict[str, Any], nodes: int = 2) -> dict[str, Any]:
    applicable = [r for r in rows if r["outcome"] != "not applicable"]
    return {
        "nodes": nodes,
        "cluster": f"minio-conformance-{nodes}n-mutants",
        "started": "2026-11-29T00:00:00Z",
        "finished": "2026-11-29T00:10:00Z",
        "subset": None,
        "ran": [r["name"] for r in applicable],
        "good": {"requirements": ["PREP-2"], "seconds": 120.0, "problems": []},
        "mutants": copy.deepcopy(list(rows)),
        "score": {"caught": sum(r["outcome"] == "caught" for r in rows), "applicable": len(applicable)},
    }


def reports_with(tmp_path: Path, data: Any, name: str = "mutants-2nodes.json") -> Path:
    reports = write_records(tmp_path / "reports", complete_records())
    (reports / name).write_text(data if isinstance(data, str) else json.dumps(data))
    return reports


def test_a_run_is_scored_caught_over_applicable() -> None:
    na = {**CAUGHT, "name": "no-parity-4", "requirements": ["EC-1"], "outcome": "not applicable", "seconds": 0}
    run = parse_mutation_run("mutants-2nodes.json", mutants_file(CAUGHT, na))
    assert (run.caught, run.applicable, run.score) == (1, 1, "1/1 (100%)")
    assert run.total_seconds == 215.2


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda d: d.update(nodes=4), "nodes is 4, expected 2"),
        (lambda d: d["mutants"][0].update(outcome="probably"), "outcome must be one of"),
        (lambda d: d["mutants"][0].update(seconds="fast"), "seconds must be a number of seconds"),
        (lambda d: d["mutants"][0].update(requirements="PREP-2"), "requirements must be an array"),
        (lambda d: d.update(score={"caught": 0, "applicable": 1}), "disagrees with its table"),
        (lambda d: d.update(mutants={}), "mutants must be an array"),
        (lambda d: d.update(subset={"size": "two"}), "subset.size"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_field(edit: Any, needle: str) -> None:
    data = mutants_file(CAUGHT)
    edit(data)
    with pytest.raises(MutationError, match=needle):
        parse_mutation_run("mutants-2nodes.json", data)


def test_every_mutant_caught_passes_and_the_page_and_summary_carry_the_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = reports_with(tmp_path, mutants_file(CAUGHT))
    assert report_main([str(reports)]) == EXIT_PASS
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["live mutation"]["score"] == {"2": {"caught": 1, "applicable": 1}}
    assert summary["live mutation"]["runs"][0]["mutants"][0]["name"] == "prep-dir-mode-775"
    page = (reports / "index.html").read_text()
    assert 'id="mutation"' in page
    assert 'data-mutant="prep-dir-mode-775"' in page
    assert "1/1 (100%)" in page


def test_a_missed_mutant_fails_the_report_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missed = {**CAUGHT, "name": "api-traffic-policy-local", "requirements": ["SVC-3"], "outcome": "missed"}
    reports = reports_with(tmp_path, mutants_file(CAUGHT, missed))
    assert report_main([str(reports)]) == EXIT_FAILED
    line = capsys.readouterr().out.splitlines()[-1]
    assert line.startswith("FAILED")
    assert "live mutant(s) not caught: api-traffic-policy-local (2 nodes, missed)" in line
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["verdict"]["live mutants not caught"] == ["api-traffic-policy-local (2 nodes, missed)"]
    assert 'id="missed-mutants"' in (reports / "index.html").read_text()


def passing_verdict() -> Verdict:
    runs = [RunFile(name, copy.deepcopy(data)) for name, data in complete_records().items()]
    verdict = build_matrix(runs).verdict()
    assert verdict.result is Result.PASS
    return verdict


def test_a_mutant_not_judged_fails_too_and_not_applicable_ones_never_do() -> None:
    rows = (CAUGHT, {**CAUGHT, "name": "x", "outcome": "error"}, {**CAUGHT, "name": "y", "outcome": "not applicable"})
    base = passing_verdict()
    out = judged(base, [parse_mutation_run("mutants-2nodes.json", mutants_file(*rows))])
    assert out.result is Result.FAILED
    assert out.missed_mutants == ("x (2 nodes, error)",)
    assert judged(base, [parse_mutation_run("mutants-2nodes.json", mutants_file(CAUGHT))]) is base


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "must be an object"),
        (json.dumps({"nodes": 2}), "mutants must be an array"),
    ],
)
def test_a_malformed_mutants_file_is_exit_2_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str
) -> None:
    reports = reports_with(tmp_path, text)
    assert report_main([str(reports)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert needle in err
    assert "mutants-2nodes.json" in err
    assert not (reports / "summary.json").exists()


def test_the_same_node_count_from_two_directories_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = reports_with(tmp_path, mutants_file(CAUGHT))
    two = tmp_path / "two"
    two.mkdir()
    (two / "mutants-2nodes.json").write_text(json.dumps(mutants_file(CAUGHT)))
    assert report_main([str(tmp_path / "out"), str(one), str(two)]) == EXIT_UNUSABLE
    assert "2-node mutants also in" in capsys.readouterr().err
