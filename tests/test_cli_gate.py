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


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--minio-nodes=0"], "from 1 to 64"),
        (["--minio-nodes=two"], "node counts such as 1,2,4"),
        (["--manifests="], "--manifests is empty"),
        (["--minio-kubeconfig=/nonexistent/kubeconfig"], "no such file"),
        (["--minio-config=/nonexistent/config.yaml"], "no such config file"),
    ],
    ids=["nodes-zero", "nodes-word", "manifests-empty", "kubeconfig-missing", "config-missing"],
)
def test_bad_option_values_give_one_line_and_exit_2(args: list[str], expected: str) -> None:
    result = gate(*args)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1, result.stderr


def test_unknown_context_gives_one_line(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\ncontexts:\n  - name: prod\n    context: {cluster: c}\n")
    result = gate(f"--minio-kubeconfig={kubeconfig}", "--minio-context=staging")
    assert result.returncode == 2
    assert "--minio-context 'staging' is not a context" in result.stderr
    assert "prod" in result.stderr


def test_one_misnamed_statefulset_is_one_violated_id_and_a_waiver_is_never_a_pass(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "m"
    shutil.copytree(PROJECT / "manifests", target)
    sts = target / "06-statefulset.yaml"
    sts.write_text(sts.read_text().replace("  name: minio\n  namespace", "  name: minio-cluster\n  namespace", 1))
    result = gate("--manifests", str(target), "-rs")
    assert result.returncode == 1
    assert "violated requirement IDs: STS-1\n" in result.stdout
    assert "not evaluated: no StatefulSet minio (STS-1)" in result.stdout
    (target / "minio-conformance.yaml").write_text("waivers:\n  - id: STS-1\n    reason: renamed on purpose\n")
    result = gate("--manifests", str(target), "-rs")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "waived: renamed on purpose" in result.stdout
    assert "STS-1" not in result.stdout.split("requirement(s) proven")[0].split("requirements ===")[-1]


def test_a_concrete_set_is_one_as_written_target(documented: ManifestSet, tmp_path: Path) -> None:
    from minio_conformance.kindnodes import kind_nodes
    from minio_conformance.manifests import dump_documents
    from minio_conformance.render import Credentials, render

    target = tmp_path / "concrete"
    target.mkdir()
    objects = render(documented, kind_nodes(2), Credentials("admin-user", "secret-value-123")).objects
    (target / "minio.yaml").write_text(dump_documents(objects))
    result = gate("--manifests", str(target), "-v")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "26 passed" in result.stdout  # one target: the set as written
    assert "secret-value-123" not in result.stdout
