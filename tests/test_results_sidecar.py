"""The results record carries each test's Verdict as data, with and without pytest-xdist.

A small suite is run for real (in a subprocess, with the project's plugins) so the
record is written by fixtures/results.py from the reports the controller receives; the
report builder then reads the statuses from those verdicts, not from message text.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.catalog import CATALOG, Severity, Tier
from minio_conformance.reporting.model import RunFile, Status, results_of
from minio_conformance.verdict import Finding, not_applicable, verdict
from minio_conformance.verdict import Status as VerdictStatus

PROJECT = Path(__file__).resolve().parent.parent
SECRET = "planted-sidecar-secret-5e1d"
REQUIRED = next(r.id for r in CATALOG.values() if r.severity is Severity.REQUIRED and r.tier is Tier.LIVE)
ADVISORY = next(r.id for r in CATALOG.values() if r.severity is Severity.ADVISORY)

SUITE = f'''
import pytest

from fixtures.evidence import assert_verdict
from minio_conformance.redact import Redactor
from minio_conformance.verdict import Finding, not_applicable, verdict


class Source:
    redactor = Redactor(["{SECRET}"])

    def redact(self, text):
        return self.redactor.text(text)

    def evidence(self, v):  # redacted, as the real sources (StaticTarget, LiveTarget) do
        return {{"objects": self.redact("kind: Secret, value {SECRET}")}}


@pytest.mark.requirement("{REQUIRED}")
def test_passes(request):
    assert_verdict(request, verdict("{REQUIRED}", [], {{"looked at": "everything"}}), Source())


@pytest.mark.requirement("{REQUIRED}")
def test_fails(request):
    found = [Finding("password is {SECRET}", "StatefulSet minio-system/minio", "spec.template.env[0]")]
    assert_verdict(request, verdict("{REQUIRED}", found, notes=["risk noted"]), Source())


@pytest.mark.requirement("{REQUIRED}")
def test_not_applicable(request):
    assert_verdict(request, not_applicable("{REQUIRED}", "needs 4 nodes; this leg has 1"), Source())


@pytest.mark.requirement("{ADVISORY}")
def test_advisory_not_met(request):
    assert_verdict(request, verdict("{ADVISORY}", [Finding("no budget")]), Source())


@pytest.mark.requirement("{REQUIRED}")
def test_plain_failure():
    assert 1 == 2


@pytest.mark.requirement("{REQUIRED}")
def test_skipped_saying_not_applicable():
    pytest.skip("{REQUIRED} not applicable: but said only in words")


def test_plain_pass():
    pass
'''


def run_suite(tmp_path: Path, *extra: str) -> dict[str, dict[str, Any]]:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["fixtures.evidence", "fixtures.results"]\n')
    (tmp_path / "test_suite.py").write_text(textwrap.dedent(SUITE))
    target = tmp_path / "results.json"
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "test_suite.py"]
    args.append(f"--minio-results={target}")
    run = subprocess.run(
        [*args, *extra],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert target.is_file(), run.stdout[-3000:]
    data = json.loads(target.read_text())
    assert SECRET not in target.read_text(), "the record is redacted"
    return {t["nodeid"].rsplit("::", 1)[-1]: t for t in data["tests"]}


@pytest.fixture(params=[(), ("-p", "xdist", "-n", "2")], ids=["serial", "xdist"])
def recorded(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, dict[str, Any]]:
    return run_suite(tmp_path, *request.param)


def test_each_test_records_its_verdict_as_data(recorded: dict[str, dict[str, Any]]) -> None:
    assert recorded["test_passes"]["verdicts"] == [
        {"requirement": REQUIRED, "status": "passed", "findings": [], "notes": [], "not_applicable_reason": None}
    ]
    failed = recorded["test_fails"]
    assert failed["outcome"] == "failed"
    assert failed["verdicts"] == [
        {
            "requirement": REQUIRED,
            "status": "failed",
            "findings": [
                {
                    "object_ref": "StatefulSet minio-system/minio",
                    "path": "spec.template.env[0]",
                    "message": "password is <redacted>",
                }
            ],
            "notes": ["risk noted"],
            "not_applicable_reason": None,
        }
    ]
    assert "objects" in failed["evidence"], "evidence stays where it was"
    na = recorded["test_not_applicable"]
    assert (na["outcome"], na["verdicts"][0]["status"]) == ("skipped", "not_applicable")
    assert na["verdicts"][0]["not_applicable_reason"] == "needs 4 nodes; this leg has 1"
    advisory = recorded["test_advisory_not_met"]
    assert (advisory["outcome"], advisory["verdicts"][0]["status"]) == ("xfailed", "failed")


def test_tests_without_a_verdict_still_get_a_record(recorded: dict[str, dict[str, Any]]) -> None:
    for name, outcome in (("test_plain_failure", "failed"), ("test_plain_pass", "passed")):
        assert (recorded[name]["outcome"], recorded[name]["verdicts"]) == (outcome, [])
    assert recorded["test_plain_failure"]["requirements"] == [REQUIRED]
    assert "verdict" not in recorded["test_plain_pass"]["properties"]


def test_the_report_reads_statuses_from_the_verdicts(recorded: dict[str, dict[str, Any]]) -> None:
    run = RunFile("leg-1nodes-live", {"tests": list(recorded.values())})
    statuses = {r.name: r.status for r in results_of(run)}
    assert statuses == {
        "test_passes": Status.PASSED,
        "test_fails": Status.FAILED,
        "test_not_applicable": Status.NOT_APPLICABLE,
        "test_advisory_not_met": Status.FAILED,
        "test_plain_failure": Status.FAILED,
        "test_skipped_saying_not_applicable": Status.SKIPPED,  # words are not a verdict
        "test_plain_pass": Status.PASSED,
    }
    na = next(r for r in results_of(run) if r.name == "test_not_applicable")
    assert na.reason == "needs 4 nodes; this leg has 1"


def test_verdict_record_is_pure_and_redacts() -> None:
    from fixtures.evidence import verdict_record

    def redact(text: str) -> str:
        return text.replace("s3cr3t", "<redacted>")

    record = verdict_record(verdict("X-1", [Finding("key s3cr3t", "Secret a/b", "data.k")], notes=["n s3cr3t"]), redact)
    assert record == {
        "requirement": "X-1",
        "status": VerdictStatus.FAILED.value,
        "findings": [{"object_ref": "Secret a/b", "path": "data.k", "message": "key <redacted>"}],
        "notes": ["n <redacted>"],
        "not_applicable_reason": None,
    }
    na = verdict_record(not_applicable("X-1", "only s3cr3t legs"), redact)
    assert (na["status"], na["not_applicable_reason"]) == ("not_applicable", "only <redacted> legs")
