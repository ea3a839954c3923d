"""The report builder on input it cannot judge, on paths it must not follow, and when merging.

Every refusal is one line on stderr, exit 2, no traceback and no report written. The
corpus of malformed records lives in tests/data/reporting/bad/<case>/ (each with an
`expect` file holding a part of the message); inputs that are large, deep, or need a
FIFO or a symlink are generated in tmp_path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.reporting import cli, sources
from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.model import EXIT_INCOMPLETE, EXIT_PASS, EXIT_UNUSABLE
from tests.report_data import complete_records, entry, record, write_records

PROJECT = Path(__file__).resolve().parent.parent
BAD = PROJECT / "tests" / "data" / "reporting" / "bad"
BAD_CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def report_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minio_conformance.reporting", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def refused(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Assert exit 2 with exactly one line on stderr (no traceback) containing every needle; return it."""
    assert result.returncode == EXIT_UNUSABLE, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("minio-conformance report: ")
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def refused_in_process(code: int, err: str, *needles: str) -> None:
    assert code == EXIT_UNUSABLE
    lines = err.splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0]


def complete(tmp_path: Path, name: str = "reports") -> Path:
    return write_records(tmp_path / name, complete_records())


# --- the corpus of malformed records ----------------------------------------------------------------


def test_the_corpus_is_there() -> None:
    assert len(BAD_CASES) >= 25
    assert all((BAD / case / "expect").is_file() for case in BAD_CASES)


@pytest.mark.parametrize("case", BAD_CASES)
def test_malformed_records_are_refused_in_one_line(tmp_path: Path, case: str) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(BAD / case, reports)
    expect = (reports / "expect").read_text().strip()
    line = refused(report_cli(str(reports)), expect)
    assert str(reports) in line
    assert not (reports / "index.html").exists()
    assert not (reports / "summary.json").exists()


@pytest.mark.parametrize("case", ["empty-tests", "junk-entries", "duration-string", "unknown-leg-node-count"])
def test_one_bad_file_spoils_an_otherwise_complete_run(tmp_path: Path, case: str) -> None:
    reports = complete(tmp_path)
    for path in (BAD / case).glob("*.json"):
        target = reports / path.name
        target.write_bytes(path.read_bytes())
    refused(report_cli(str(reports)))


# --- size and depth ---------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 70])
def test_deeply_nested_json_is_refused_quickly(tmp_path: Path, depth: int) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "static.json").write_text('{"tests": [' + "[" * depth + "]" * depth + "]}")
    started = time.monotonic()
    refused(report_cli(str(reports)), "static.json", "nested deeper than")
    assert time.monotonic() - started < 20


def test_deep_json_in_a_field_is_refused(tmp_path: Path) -> None:
    reports = complete(tmp_path)
    data = json.loads((reports / "static.json").read_text())
    nested: Any = "x"
    for _ in range(80):
        nested = {"a": nested}
    data["tests"][0]["properties"] = {"deep": nested}
    (reports / "static.json").write_text(json.dumps(data))
    refused(report_cli(str(reports)), "nested deeper than 64 levels")


def test_oversized_results_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = complete(tmp_path)
    monkeypatch.setattr(sources, "MAX_RESULTS_BYTES", 2000)
    code = report_main([str(reports)])
    refused_in_process(code, capsys.readouterr().err, "bytes, more than the 2000 read at most")
    assert not (reports / "index.html").exists()


def test_results_files_together_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = complete(tmp_path)
    monkeypatch.setattr(sources, "MAX_TOTAL_BYTES", 20_000)
    code = report_main([str(reports)])
    refused_in_process(code, capsys.readouterr().err, "results files together exceed the 20000 bytes")


def test_a_fifo_named_like_a_results_file_does_not_hang(tmp_path: Path) -> None:
    reports = complete(tmp_path)
    (reports / "static.json").unlink()
    os.mkfifo(reports / "static.json")
    refused(report_cli(str(reports), timeout=30), "static.json: not a regular file")


def test_unreadable_results_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = complete(tmp_path)
    real = sources.read_bounded

    def deny(path: Path, limit: int) -> bytes:
        if path.name == "leg-2nodes-live.json":
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(sources, "read_bounded", deny)
    code = report_main([str(reports)])
    refused_in_process(code, capsys.readouterr().err, "leg-2nodes-live.json: cannot be read: Permission denied")


def test_a_results_file_linking_outside_its_directory_is_not_read(tmp_path: Path) -> None:
    reports = complete(tmp_path)
    outside = tmp_path / "elsewhere.json"
    (reports / "static.json").rename(outside)
    (reports / "static.json").symlink_to(outside)
    refused(report_cli(str(reports)), "static.json: a link to a file outside")


def test_an_unexpected_error_is_still_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = complete(tmp_path)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(cli, "build_matrix", broken)
    code = report_main([str(reports)])
    refused_in_process(code, capsys.readouterr().err, "cannot build the report: KeyError")


# --- writing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["index.html", "summary.json"])
def test_never_writes_through_a_symlink(tmp_path: Path, name: str) -> None:
    reports = complete(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (reports / name).symlink_to(victim)
    refused(report_cli(str(reports)), f"{reports / name} is a symlink")
    assert victim.read_text() == "keep me\n"
    assert (reports / name).is_symlink()
    assert not [p for p in reports.iterdir() if p.name.endswith(".tmp")], "temp files are cleaned up"


def test_a_dangling_symlink_is_refused_too(tmp_path: Path) -> None:
    reports = complete(tmp_path)
    (reports / "index.html").symlink_to(tmp_path / "would-be-created.html")
    refused(report_cli(str(reports)), "is a symlink")
    assert not (tmp_path / "would-be-created.html").exists()


def test_outputs_replace_files_atomically_and_stay_readable(tmp_path: Path) -> None:
    reports = complete(tmp_path)
    (reports / "index.html").write_text("old")
    os.link(reports / "index.html", tmp_path / "hardlink.html")
    assert report_cli(str(reports)).returncode == EXIT_PASS
    assert (tmp_path / "hardlink.html").read_text() == "old", "a new file replaced the old one, not rewritten in place"
    assert (reports / "index.html").read_text().startswith("<!DOCTYPE html>")
    assert (reports / "index.html").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in reports.iterdir() if not p.name.endswith(".json")) == ["index.html"]


# --- paths named by a results file ---------------------------------------------------------------------


def manifests_entry(reports: Path) -> dict[str, Any]:
    summary = json.loads((reports / "summary.json").read_text())
    entries: list[dict[str, Any]] = summary["manifests"]
    assert len(entries) == 1, entries
    return entries[0]


def name_manifests(reports: Path, given: str) -> None:
    for path in reports.glob("*.json"):
        data = json.loads(path.read_text())
        data["manifests"] = given
        path.write_text(json.dumps(data))


# A relative path climbing from the project root to /etc, however deep the checkout sits.
ETC_FROM_PROJECT = os.path.relpath("/etc", PROJECT)


@pytest.mark.parametrize("given", ["/usr", ETC_FROM_PROJECT, "/etc", "/"])
def test_manifests_outside_the_project_and_results_are_not_read(tmp_path: Path, given: str) -> None:
    reports = complete(tmp_path)
    name_manifests(reports, given)
    started = time.monotonic()
    result = report_cli(str(reports))
    assert time.monotonic() - started < 20
    assert result.returncode == EXIT_PASS, result.stdout + result.stderr
    found = manifests_entry(reports)
    assert (found["sha256"], found["files"], found["path"]) == (None, 0, given)
    assert found["note"] == "not read: it lies outside the project root and the results directories"
    page = (reports / "index.html").read_text()
    assert "root:x:0:0" not in page
    assert "not read: it lies outside the project root" in page


def test_manifests_inside_the_results_directory_are_hashed_and_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = complete(tmp_path)
    manifests = reports / "my-manifests"
    manifests.mkdir()
    for i in range(5):
        (manifests / f"{i}.yaml").write_text(f"n: {i}\n")
    (manifests / "passwd").symlink_to("/etc/passwd")  # find -type f skips links; so does the hash
    name_manifests(reports, str(manifests))
    assert report_main([str(reports)]) == EXIT_PASS
    found = manifests_entry(reports)
    assert found["files"] == 5
    assert found["sha256"] == sources.manifests_digest(str(manifests), (), (reports,)).sha256
    monkeypatch.setattr(sources, "MAX_MANIFEST_FILES", 3)
    assert report_main([str(reports)]) == EXIT_PASS
    found = manifests_entry(reports)
    assert (found["sha256"], found["note"]) == (None, "not hashed: more than 3 files")
    capsys.readouterr()


def test_unreadable_manifests_file_is_a_note_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = complete(tmp_path)
    manifests = reports / "m"
    manifests.mkdir()
    (manifests / "a.yaml").write_text("a: 1\n")
    (manifests / "locked.yaml").write_text("b: 1\n")
    os.chmod(manifests / "locked.yaml", 0)
    name_manifests(reports, str(manifests))
    real = sources.read_bounded

    def deny(path: Path, limit: int) -> bytes:
        if path.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(sources, "read_bounded", deny)
    assert report_main([str(reports)]) == EXIT_PASS
    found = manifests_entry(reports)
    assert (found["sha256"], found["note"]) == (None, "not hashed: locked.yaml cannot be read")
    capsys.readouterr()


def test_the_project_manifests_are_still_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = complete(tmp_path)
    monkeypatch.chdir(tmp_path)  # a relative path is looked up in the project root too
    assert report_main([str(reports)]) == EXIT_PASS
    found = manifests_entry(reports)
    assert found["path"] == str(PROJECT / "manifests")
    assert found["sha256"] == sources.manifests_digest("manifests", (PROJECT,)).sha256


# --- merging the results of several jobs -----------------------------------------------------------------


def split(tmp_path: Path) -> dict[str, Path]:
    """The complete run as per-leg CI jobs would upload it: one directory per leg."""
    runs = complete_records()
    dirs = {}
    for leg in ("static", "1", "2", "4"):
        part = {n: d for n, d in runs.items() if (n == "static") == (leg == "static") and f"-{leg}nodes-" in n}
        if leg == "static":
            part = {"static": runs["static"]}
        dirs[leg] = write_records(tmp_path / "artifacts" / f"job-{leg}", part)
    return dirs


def test_merges_per_leg_directories_into_one_report(tmp_path: Path) -> None:
    dirs = split(tmp_path)
    (dirs["4"] / "leg-4nodes-live.html").write_text("<html>pytest-html</html>")
    (dirs["4"] / "unit.json").write_text("{}")
    out = tmp_path / "combined"
    result = report_cli(str(out), *(str(d) for d in dirs.values()))
    assert result.returncode == EXIT_PASS, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == f"report: {out / 'index.html'}"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["results directories"] == [str(d) for d in dirs.values()]
    assert summary["verdict"]["result"] == "pass"
    assert [leg["runs"] != [] for leg in summary["legs"]] == [True] * 4
    page = (out / "index.html").read_text()
    assert 'href="../artifacts/job-4/leg-4nodes-live.html"' in page
    assert "results merged from" in page
    assert f"{dirs['4']}/unit.json" in summary["ignored files"]
    assert not (dirs["4"] / "index.html").exists(), "the results directories are only read"


def test_merging_an_incomplete_set_is_incomplete(tmp_path: Path) -> None:
    dirs = split(tmp_path)
    result = report_cli(str(tmp_path / "out"), str(dirs["static"]), str(dirs["1"]), str(dirs["2"]))
    assert result.returncode == EXIT_INCOMPLETE, result.stdout + result.stderr
    assert result.stdout.splitlines()[1].startswith("INCOMPLETE: legs without results: 4 nodes")


def test_the_same_leg_and_tier_from_two_directories_is_refused(tmp_path: Path) -> None:
    dirs = split(tmp_path)
    shutil.copy(dirs["static"] / "static.json", dirs["4"] / "static.json")
    line = refused(report_cli(str(tmp_path / "out"), *(str(d) for d in dirs.values())))
    assert f"static.json is in both {dirs['static']} and {dirs['4']}" in line
    assert not (tmp_path / "out").exists()


def test_one_leg_spread_over_two_directories_is_refused(tmp_path: Path) -> None:
    dirs = split(tmp_path)
    other = tmp_path / "artifacts" / "job-4-disruptive"
    other.mkdir()
    (dirs["4"] / "leg-4nodes-disruptive.json").rename(other / "leg-4nodes-disruptive.json")
    refused(report_cli(str(tmp_path / "out"), *(str(d) for d in dirs.values()), str(other)), "conflicting 4 nodes leg")


def test_a_leg_that_both_ran_and_could_not_run_live_is_refused(tmp_path: Path) -> None:
    dirs = split(tmp_path)
    static_only = record([entry("suites/test_a.py::test_b[2nodes]", "SEC-1")], ["2"])
    write_records(dirs["2"], {"leg-2nodes-static": static_only})
    refused(report_cli(str(tmp_path / "out"), *(str(d) for d in dirs.values())), "conflicting 2 nodes leg")


def test_a_directory_given_twice_is_refused(tmp_path: Path) -> None:
    dirs = split(tmp_path)
    refused(report_cli(str(tmp_path / "out"), str(dirs["1"]), str(dirs["1"]) + "/"), "given twice")


def test_the_output_must_be_a_directory(tmp_path: Path) -> None:
    dirs = split(tmp_path)
    (tmp_path / "out").write_text("a file")
    refused(report_cli(str(tmp_path / "out"), *(str(d) for d in dirs.values())), "is not a directory")


def test_without_results_dirs_the_output_directory_is_read(tmp_path: Path) -> None:
    reports = complete(tmp_path)
    result = report_cli(str(reports))
    assert result.returncode == EXIT_PASS, result.stdout + result.stderr
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["results directories"] == [str(reports)]


def test_files_the_page_reads_on_its_own_are_not_listed_as_ignored(tmp_path: Path) -> None:
    """Timings, the bare procedure and the live mutants are read by the page itself; only strangers are listed."""
    from minio_conformance.redact import Redactor

    write_records(tmp_path, complete_records())
    for companion in ("matrix-timings", "bare-procedure-4nodes", "mutants-2nodes", "summary"):
        (tmp_path / f"{companion}.json").write_text("{}")
    (tmp_path / "unit.json").write_text("{}")
    (tmp_path / "notes.json").write_text("{}")
    loaded = sources.load_runs(tmp_path, Redactor([]))
    assert sorted(loaded.ignored) == ["notes.json", "unit.json"]
