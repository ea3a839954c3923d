"""A deployment that cannot come up is judged: the failed step fails its requirement, the rest are not evaluated.

The step -> requirement table and the cascade rule are tested directly; then whole live runs
(`pytest suites -m live --minio-live` on "your own cluster") against a stand-in API server
(`tests/fake_apiserver.py`) and a stand-in `kubectl` that refuses to apply one kind, and a refusal
to start on a namespace that is not the suite's, with and without pytest-xdist. No cluster, no docker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fixtures.cluster import STATE_ROOT_ENV
from fixtures.commands import Command
from fixtures.config import PROJECT_ROOT
from fixtures.deploy import (
    EVIDENCE_LIMIT,
    STEP_REQUIREMENTS,
    Deployer,
    DeployError,
    DeployRecord,
    DeployRefused,
    bounded,
    step_requirements,
)
from fixtures.evidence import is_not_evaluated, verdict_record
from fixtures.live import deployment_verdicts, not_up_reason, one_line, step_title, unreported_step_reports
from fixtures.options import NOT_EVALUATED, RequirementTally
from minio_conformance.catalog import CATALOG
from minio_conformance.names import DOCUMENTED
from minio_conformance.redact import Redactor
from minio_conformance.verdict import Status
from tests.fake_apiserver import FakeCluster, serving

PREP_FAILED = {
    "step": "5 storage preparation",
    "requirements": ["PREP-1"],
    "message": "step '5 storage preparation' failed: timed out after 180 s waiting for storage-prep pods Ready\nmore",
    "evidence": {"events": "0s Warning ... no nodes match"},
}

# --- the table -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "ids"),
    [
        ("cluster up", ("PRE-2",)),
        ("0 preflight", ("PRE-2",)),
        ("1 clean slate", ("CLN-1",)),
        ("3 namespace and credentials", ("SEC-1",)),
        ("4 storage class", ("STO-1",)),
        ("5 storage preparation", ("PREP-1",)),
        ("6 persistent volumes", ("PV-1",)),
        ("7 services", ("SVC-1",)),
        ("8 statefulset", ("STS-1",)),
        ("9-10 wait for Ready", ("VAL-1",)),
        ("10 cluster formed (write quorum)", ("VAL-1",)),
    ],
)
def test_each_step_maps_to_the_requirement_it_proves(label: str, ids: tuple[str, ...]) -> None:
    assert step_requirements(label, TimeoutError("x")) == ids


def test_every_mapped_id_is_a_live_tested_requirement_of_the_catalog() -> None:
    for ids in STEP_REQUIREMENTS.values():
        assert all(rid in CATALOG for rid in ids)


def test_preflight_is_refined_by_what_failed_and_a_step_can_narrow_itself() -> None:
    assert step_requirements("0 preflight", DeployError("missing permission(s): x", ("PRE-3",))) == ("PRE-3",)
    assert step_requirements("0 preflight", TimeoutError(), narrowed=("PRE-1",)) == ("PRE-1",)
    assert step_requirements("1 clean slate", TimeoutError("PVs"), narrowed=("CLN-2",)) == ("CLN-2",)
    with pytest.raises(KeyError, match="maps to no requirement"):
        step_requirements("11 something new", TimeoutError())


def test_evidence_is_bounded_keeping_the_newest_end() -> None:
    text = "old\n" + "x" * (EVIDENCE_LIMIT + 10) + "\nnewest event"
    cut = bounded(text)
    assert cut.endswith("newest event")
    assert cut.startswith("[... ")
    assert len(cut) < EVIDENCE_LIMIT + 60
    assert bounded("short") == "short"


# --- a failing step records its evidence -------------------------------------------------------------


class StubKube:
    kubeconfig = "/nonexistent/kubeconfig"
    context = "fake"
    names = DOCUMENTED


def test_a_failed_step_is_recorded_with_ids_and_redacted_evidence(tmp_path: Path) -> None:
    secret = "planted-step-secret-91f2"
    kubectl = tmp_path / "kubectl"
    kubectl.write_text(f'#!/bin/sh\necho "kubectl $*: credential {secret}"\n')
    kubectl.chmod(0o755)
    record = DeployRecord(cluster="byo-fake")
    deployer = Deployer(StubKube(), Command(str(kubectl)), record, lambda _line: None)  # type: ignore[arg-type]
    deployer.redactor = Redactor([secret])
    with pytest.raises(DeployError, match="5 storage preparation"), deployer.step("5 storage preparation"):
        raise TimeoutError(f"timed out waiting (password {secret})")
    failed = record.failed_step
    assert failed is not None
    assert failed["step"] == "5 storage preparation"
    assert failed["requirements"] == ["PREP-1"]
    assert set(failed["evidence"]) >= {"events", "pods app=minio-storage-prep", "kubectl get -o wide"}
    assert "describe daemonset minio-storage-prep" in failed["evidence"]["daemonset minio-storage-prep"]
    assert secret not in json.dumps(failed)
    assert "5 storage preparation" in record.steps


def test_a_refusal_is_no_step_failure() -> None:
    record = DeployRecord(cluster="byo-fake")
    deployer = Deployer(StubKube(), Command("/bin/true"), record, lambda _line: None)  # type: ignore[arg-type]
    with pytest.raises(DeployRefused), deployer.step("1 clean slate"):
        raise DeployRefused("namespace minio-system exists without label ...; refusing to start")
    assert record.failed_step is None


# --- the cascade rule -------------------------------------------------------------------------------


def test_the_failed_steps_requirement_fails_naming_the_step_and_the_rest_are_not_evaluated() -> None:
    failed, other = deployment_verdicts(["PREP-1", "SEC-2"], PREP_FAILED)
    assert failed.status is Status.FAILED
    assert failed.findings[0].message == (
        "step 5 storage preparation failed: step '5 storage preparation' failed: timed out after 180 s "
        "waiting for storage-prep pods Ready more"
    )
    assert len(one_line("x" * 50 + "\n" + "y" * 1000)) < 420
    assert other.status is Status.NOT_APPLICABLE
    assert is_not_evaluated(other)
    assert other.notes == ("not evaluated: the deployment did not come up (step 5 storage preparation failed)",)
    record = verdict_record(other, lambda t: t)
    assert record["not_evaluated"] is True
    assert record["not_applicable_reason"] == other.notes[0]
    assert "not_evaluated" not in verdict_record(failed, lambda t: t)
    assert step_title("cluster up") == "cluster up"
    assert not_up_reason({"step": "cluster up"}) == "the deployment did not come up (cluster up failed)"


def test_an_id_no_test_failed_under_is_failed_by_a_report_of_its_own() -> None:
    setup, call, teardown = unreported_step_reports(PREP_FAILED, failed_ids={"SEC-2"})
    assert call.failed
    assert call.nodeid == "deployment::5 storage preparation"
    assert ("requirement", "PREP-1") in call.user_properties
    assert ("evidence: events", "0s Warning ... no nodes match") in call.sections
    assert setup.passed
    assert teardown.passed
    assert unreported_step_reports(PREP_FAILED, failed_ids={"PREP-1"}) == []


def test_a_failure_outside_any_step_fails_the_run_naming_no_id() -> None:
    failure = {"step": "bring-up", "requirements": [], "message": "ConfigException: no context", "evidence": {}}
    _, call, _ = unreported_step_reports(failure, failed_ids=set())
    assert call.failed
    assert not [v for k, v in call.user_properties if k == "requirement"]


def test_the_tally_counts_not_evaluated_apart_from_skips_and_violations() -> None:
    tally = RequirementTally()
    for rid, v in zip(["PREP-1", "SEC-2"], deployment_verdicts(["PREP-1", "SEC-2"], PREP_FAILED), strict=True):
        props: list[tuple[str, object]] = [("requirement", rid), ("verdict", json.dumps(verdict_record(v, str)))]
        where: tuple[str, tuple[str, int, str], dict[str, Any]] = (f"t::{rid}", ("t", 1, rid), {})
        if v.status is Status.FAILED:
            report = pytest.TestReport(*where, "failed", "failed", "call", user_properties=props)
        else:
            report = pytest.TestReport(*where, "skipped", ("t", 1, "skip"), "call", user_properties=props)
        tally.add(report)
    assert set(tally.outcomes["PREP-1"]) == {"failed"}
    assert set(tally.outcomes["SEC-2"]) == {NOT_EVALUATED}
    assert list(tally.not_evaluated_reasons) == ["the deployment did not come up (step 5 storage preparation failed)"]


# --- whole live runs on a stand-in cluster ------------------------------------------------------------

STUB_KUBECTL = """\
#!/bin/sh
echo "kubectl $*" >> "$STUB_CALLS"
case "$*" in
  *" apply "*)
    input=$(cat)
    if [ -n "$STUB_FAIL_KIND" ] && printf '%s\\n' "$input" | grep -q "^kind: $STUB_FAIL_KIND"; then
      echo "Error from server (Forbidden): $STUB_FAIL_KIND refused by policy" >&2; exit 1
    fi ;;
  *"get events"*) echo "LAST SEEN   TYPE      REASON         OBJECT            MESSAGE"
                  echo "3s          Warning   FailedCreate   stub/events-line  refused by policy" ;;
esac
exit 0
"""


def live_run(
    tmp_path: Path, cluster: FakeCluster, *extra: str, fail_kind: str = ""
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]:
    stub = tmp_path / "kubectl"
    stub.write_text(STUB_KUBECTL)
    stub.chmod(0o755)
    results = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINIO_CONFORMANCE_")}
    env.update(STUB_CALLS=str(tmp_path / "calls"), STUB_FAIL_KIND=fail_kind, PYTHONUNBUFFERED="1")
    env[STATE_ROOT_ENV] = str(tmp_path / "state")
    with serving(cluster, tmp_path / "kubeconfig"):
        argv = [sys.executable, "-m", "pytest", "suites", "-m", "live", "--minio-live", "--minio-nodes=1",
                "--minio-kubeconfig", str(tmp_path / "kubeconfig"), "--minio-context", "fake",
                "--minio-kubectl", str(stub), "--minio-results", str(results), "-p", "no:cacheprovider",
                *extra]  # fmt: skip
        run = subprocess.run(argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=240)
    data = json.loads(results.read_text()) if results.exists() else None
    return run, data


def summary(run: subprocess.CompletedProcess[str]) -> str:
    return run.stdout.split("requirements ===")[-1]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_failed_storage_preparation_fails_prep_1_only(tmp_path: Path, workers: list[str]) -> None:
    run, data = live_run(tmp_path, FakeCluster(), *workers, fail_kind="DaemonSet")
    assert run.returncode == 1, run.stdout + run.stderr
    closing = summary(run)
    assert "VIOLATED PREP-1 " in closing
    assert "violated requirement IDs: PREP-1\n" in closing
    assert "0 requirement(s) proven, 1 violated, 0 advisory not met" in closing
    assert "not evaluated (the deployment did not come up (step 5 storage preparation failed)): " in closing
    reason = f"not evaluated: {not_up_reason(PREP_FAILED)}"
    assert f"SKIPPED [1] suites/test_clean_slate.py:19: {reason}" in run.stdout  # at the test, not in pytest
    assert data is not None
    tests = {t["nodeid"]: t for t in data["tests"]}
    prep = tests["suites/test_storage.py::test_storage_prep_runs_once_per_schedulable_node"]
    assert prep["outcome"] == "failed"
    assert "step 5 storage preparation failed" in prep["message"]
    assert "FailedCreate" in prep["evidence"]["events"]
    assert data["deploy"]["failed_step"]["requirements"] == ["PREP-1"]
    others = [t for t in data["tests"] if t is not prep]
    assert others
    assert all(t["outcome"] == "skipped" for t in others)
    for test in others:
        assert [v.get("not_evaluated") for v in test["verdicts"]] == [True] * len(test["requirements"])
        assert test["message"].endswith(
            "not evaluated: the deployment did not come up (step 5 storage preparation failed)"
        )


def test_a_failed_steps_id_without_a_test_in_the_run_still_fails_it(tmp_path: Path) -> None:
    run, data = live_run(tmp_path, FakeCluster(), "-k", "not STO-1", fail_kind="StorageClass")
    assert run.returncode == 1, run.stdout + run.stderr
    closing = summary(run)
    assert "violated requirement IDs: STO-1\n" in closing
    assert "deployment::4 storage class" in closing
    assert data is not None
    step = next(t for t in data["tests"] if t["nodeid"] == "deployment::4 storage class")
    assert step["outcome"] == "failed"
    assert step["requirements"] == ["STO-1"]
    assert "StorageClass refused by policy" in step["message"]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_foreign_namespace_is_a_refusal_one_line_exit_2_and_nothing_touched(
    tmp_path: Path, workers: list[str]
) -> None:
    cluster = FakeCluster(namespace_labels={"team": "theirs"})
    run, data = live_run(tmp_path, cluster, *workers)
    assert run.returncode == 2, run.stdout + run.stderr
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    assert errors == [
        "Exit: minio-conformance: namespace minio-system exists without label "
        "app.kubernetes.io/managed-by=minio-conformance: it is not this suite's to delete; refusing to start "
        "(on byo-fake; nothing was changed, no test run)"
    ]
    assert "VIOLATED" not in run.stdout
    assert "passed" not in run.stdout
    assert "failed" not in run.stdout
    assert "Exit" not in run.stdout  # the line is said once, on stderr
    assert cluster.deletes() == []
    assert not [m for m, _ in cluster.requests if m in ("PUT", "PATCH")]
    calls = tmp_path / "calls"
    assert " apply " not in (calls.read_text() if calls.exists() else "")
    assert data is None  # nothing was judged


def test_a_foreign_storage_class_is_a_refusal_too(tmp_path: Path) -> None:
    cluster = FakeCluster(foreign_storage_class=True)
    run, _ = live_run(tmp_path, cluster)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "StorageClass minio-local-storage exists without label" in run.stderr
    assert "refusing to touch it" in run.stderr
    assert cluster.deletes() == []


def test_a_concrete_sets_own_secret_values_are_masked_in_step_evidence(tmp_path: Path) -> None:
    import base64

    from fixtures.deploy import deploy_redactor
    from minio_conformance.manifests import load_manifests
    from minio_conformance.render import Credentials

    user, password = "team-root-user-4411", "team-root-password-8c2e"
    encoded = base64.b64encode(password.encode()).decode()
    (tmp_path / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: minio-credentials, namespace: minio-system}\n"
        f"stringData: {{accesskey: {user}}}\ndata: {{secretkey: {encoded}}}\n"
    )
    redactor = deploy_redactor(Credentials("generated-user-1", "generated-pass-1"), load_manifests(tmp_path))
    text = redactor.text(f"env: {user} {password} {encoded} generated-pass-1 ${{MINIO_ROOT_USER}}")
    for value in (user, password, encoded, "generated-pass-1"):
        assert value not in text
    assert "${MINIO_ROOT_USER}" in text
