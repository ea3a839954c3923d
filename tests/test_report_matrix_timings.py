"""The matrix run's timings on the auditor page and in summary.json; bad timings files are refused in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.reporting.matrix_timings import TimingsError, parse
from tests.report_data import complete_records, write_records

PROJECT = Path(__file__).resolve().parent.parent


def timings(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "started": "2026-11-29T00:42:27+00:00",
        "lanes": [["4n"], ["4n-bare", "4n-upgrade"], ["1n", "2n"]],
        "phases": [
            {"job": "4n", "phase": "live", "start_s": 0.0, "seconds": 265.3, "exit_status": 0},
            {"job": "4n-bare", "phase": "bare procedure", "start_s": 0.0, "seconds": 172.8, "exit_status": 0},
            {"job": "1n", "phase": "live", "start_s": 0.1, "seconds": 163.3, "exit_status": 0},
            {"job": "4n", "phase": "disruptive", "start_s": 265.3, "seconds": 1094.0, "exit_status": 1},
        ],
        "wall_s": 1366.8,
        "interrupted_by": None,
        "deploy_vs_bare": {"suite_deploy_s": 172.8, "bare_procedure_s": 152.3, "ratio": 1.13},
    }
    data.update(changes)
    return data


def build(tmp_path: Path, data: Any) -> subprocess.CompletedProcess[str]:
    reports = write_records(tmp_path / "reports", complete_records())
    (reports / "matrix-timings.json").write_text(data if isinstance(data, str) else json.dumps(data))
    return subprocess.run(
        [sys.executable, "-m", "minio_conformance.reporting", str(reports)],
        cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_page_shows_lanes_phases_and_the_bare_procedure_ratio(tmp_path: Path) -> None:
    result = build(tmp_path, timings())
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "reports" / "index.html").read_text()
    assert "The matrix run: 1366.8 s wall in 3 lane(s)" in page
    assert "<strong>1.13x</strong>" in page
    assert "lane 2: 4n-upgrade" not in page  # no phase recorded for it: no row
    assert "lane 1: 4n" in page
    summary = json.loads((tmp_path / "reports" / "summary.json").read_text())
    [run] = summary["matrix timings"]
    assert run["wall s"] == 1366.8
    assert run["deploy vs bare procedure"] == {"suite s": 172.8, "bare s": 152.3, "ratio": 1.13}
    assert [p["exit"] for p in run["phases"]] == [0, 0, 0, 1]


def test_a_run_without_a_bare_procedure_has_no_ratio(tmp_path: Path) -> None:
    assert parse("t", timings(deploy_vs_bare=None)).ratio is None


BAD: dict[str, tuple[Any, str]] = {
    "not-json": ("{", "not valid JSON"),
    "array": ([], "must be an object"),
    "lanes-not-array": (timings(lanes="4n"), "lanes must be an array"),
    "stray-job": (timings(lanes=[["4n"]]), "job(s) in no lane: 1n, 4n-bare"),
    "negative-seconds": (timings(wall_s=-1), "wall_s must be a number of seconds"),
    "string-exit": (timings(phases=[{"job": "4n", "phase": "live", "start_s": 0, "seconds": 1, "exit_status": "0"}]),
                    "exit_status must be a whole number or null"),
    "ratio-text": (timings(deploy_vs_bare={"ratio": "1.1"}), "ratio must be a number of seconds"),
    "deep": ({"lanes": [[[[[[[[[[["x"]]]]]]]]]]]}, "nested deeper than"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_timings_file_is_refused_in_one_line(tmp_path: Path, case: str) -> None:
    data, needle = BAD[case]
    result = build(tmp_path, data)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert needle in lines[0]


def test_a_timings_link_is_not_followed(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "reports", complete_records())
    (tmp_path / "elsewhere.json").write_text(json.dumps(timings()))
    (reports / "matrix-timings.json").symlink_to(tmp_path / "elsewhere.json")
    result = subprocess.run(
        [sys.executable, "-m", "minio_conformance.reporting", str(reports)],
        cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


def test_parse_errors_are_one_line() -> None:
    with pytest.raises(TimingsError) as exc:
        parse("f", timings(phases=[{"job": "4n"}]))
    assert "\n" not in str(exc.value)
