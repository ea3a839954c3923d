"""`pytest -m static --manifests DIR` as a CI gate: exit codes and the IDs it names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from minio_conformance.manifests import ManifestSet, write_manifest_set
from minio_conformance.mutants import MUTANTS_BY_ID, mutate_source

PROJECT = Path(__file__).resolve().parent.parent


def gate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "static", "-q", "-p", "no:cacheprovider", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def broken_copy(documented: ManifestSet, directory: Path, *mutant_ids: str) -> Path:
    manifests = documented
    for mid in mutant_ids:
        manifests = mutate_source(MUTANTS_BY_ID[mid], manifests)
    return write_manifest_set(manifests.documents, directory)


def test_shipped_manifests_pass() -> None:
    result = gate()
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 violated" in result.stdout


@pytest.mark.parametrize("form", ["space", "equals"])
def test_broken_copy_outside_the_project_fails_naming_the_ids(
    documented: ManifestSet, tmp_path: Path, form: str
) -> None:
    target = broken_copy(documented, tmp_path / "broken", "no-anti-affinity", "nodeport-30090", "literal-credentials")
    args = ["--manifests", str(target)] if form == "space" else [f"--manifests={target}"]
    result = gate(*args)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "violated requirement IDs: SEC-2 STS-4 SVC-2" in result.stdout


def test_literal_credentials_never_printed(documented: ManifestSet, tmp_path: Path) -> None:
    target = broken_copy(documented, tmp_path / "creds", "literal-credentials")
    result = gate("--manifests", str(target))
    assert result.returncode == 1
    assert "changeme123" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("apiVersion: v1\nkind: Namespace\nmetadata: {name: x\n", "malformed YAML"),
        ("apiVersion: 1\nkind: Namespace\nmetadata: {name: x}\n", "apiVersion must be a string"),
        ("apiVersion: apps/v1/beta\nkind: StatefulSet\nmetadata: {name: x}\n", "apiVersion must be a string"),
        ("- just\n- a list\n", "no Kubernetes object found"),
        ("kind: Namespace\nmetadata: {name: x}\n", "missing apiVersion"),
    ],
    ids=["malformed", "apiversion-not-a-string", "apiversion-malformed", "not-a-mapping", "no-apiversion"],
)
def test_unusable_manifests_give_one_line_and_exit_2(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "00-bad.yaml").write_text(content)
    result = gate("--manifests", str(tmp_path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1, result.stderr


def test_missing_directory_exits_2(tmp_path: Path) -> None:
    result = gate("--manifests", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_removed_api_version_is_judged_as_a_violation_of_sch_1(documented: ManifestSet, tmp_path: Path) -> None:
    """An object of a built-in group in a version Kubernetes 1.34 no longer serves fails SCH-1, exit 1."""
    target = broken_copy(documented, tmp_path / "old-api", "removed-api-version")
    result = gate("--manifests", str(target))
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "violated requirement IDs: SCH-1" in result.stdout
    assert "StatefulSet minio-system/minio apiVersion: apps/v1beta1 StatefulSet is not served" in result.stdout


SERVICE_MONITOR = """\
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: minio
  namespace: minio-system
  labels:
    app: minio
spec:
  selector:
    matchLabels:
      app: minio
  endpoints:
    - port: api
      path: /minio/v2/metrics/cluster
"""


def test_custom_resource_is_listed_as_not_validated_and_not_fatal(documented: ManifestSet, tmp_path: Path) -> None:
    target = write_manifest_set(documented.documents, tmp_path / "with-crd")
    (target / "08-servicemonitor.yaml").write_text(SERVICE_MONITOR)
    result = gate("--manifests", str(target), "-rP")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 violated" in result.stdout
    assert "not validated (custom resource, no Kubernetes 1.34 schema): ServiceMonitor minio-system/minio" in (
        result.stdout
    )
