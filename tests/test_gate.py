"""`minio-conformance gate`: the installed command, run from directories outside the checkout."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from minio_conformance.catalog import CATALOG, Severity
from minio_conformance.checks import Snapshot, run_all
from minio_conformance.kindnodes import kind_nodes
from minio_conformance.load.documents import walk
from minio_conformance.manifests import ManifestSet, dump_documents, write_manifest_set
from minio_conformance.mutants import MUTANTS, Stage, mutate_source
from minio_conformance.render import Credentials, render

PROJECT = Path(__file__).resolve().parent.parent
COMMAND = str(Path(sys.executable).parent / "minio-conformance")
HELM = PROJECT / "tests" / "data" / "gate" / "helm" / "minio-chart-5.4.0-rendered.yaml"
SECRET = "planted-secret-value-7f3a"


def gate(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [COMMAND, "gate", *args],
        cwd=cwd,
        input=stdin.decode() if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def copy_manifests(tmp_path: Path) -> Path:
    target = tmp_path / "team-repo" / "deploy" / "minio"
    shutil.copytree(PROJECT / "manifests", target)
    return target


def violated(stdout: str) -> list[str]:
    last = stdout.strip().splitlines()[-1]
    assert last.startswith("minio-conformance gate: "), stdout
    if "FAILED" not in last:
        return []
    return last.split("violated (", 1)[1].split(")", 1)[0].split()


def position_of(path: Path, needle: str) -> str:
    """`file:line:col` of the first line holding `needle` (at the needle's first character)."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1}"
    raise AssertionError(f"{needle!r} not in {path}")


def test_a_copy_of_the_shipped_manifests_passes_with_one_line(tmp_path: Path) -> None:
    copy_manifests(tmp_path)
    result = gate("deploy/minio", cwd=tmp_path / "team-repo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("minio-conformance gate: passed: 25 requirement(s) met")
    assert "template rendered for 1, 2, 4 nodes" in result.stdout


def test_a_copy_broken_in_one_place_names_that_id_at_the_field(tmp_path: Path) -> None:
    target = copy_manifests(tmp_path)
    services = target / "05-services.yaml"
    services.write_text(services.read_text().replace("nodePort: 30901", "nodePort: 31901"))
    result = gate("deploy/minio", cwd=tmp_path / "team-repo")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"deploy/minio/05-services.yaml:{position_of(services, 'nodePort: 31901')}: SVC-2 port 9001 (console) is "
        "exposed on another nodePort (expected 30901, found 31901)",
        lines[-1],
    ]
    assert violated(result.stdout) == ["SVC-2"]


SOURCE_MUTANTS = [m for m in MUTANTS if m.stage is Stage.SOURCE]


@pytest.mark.parametrize("mutant", SOURCE_MUTANTS, ids=lambda m: m.id)
def test_every_source_mutant_fails_the_gate_with_its_ids(documented: ManifestSet, mutant: Any, tmp_path: Path) -> None:
    target = write_manifest_set(mutate_source(mutant, documented).documents, tmp_path / "broken")
    result = gate(str(target), "--format", "json", cwd=tmp_path)
    advisory_only = all(CATALOG[rid].severity is Severity.ADVISORY for rid in mutant.catches)
    assert result.returncode == (0 if advisory_only else 1), result.stdout[-2000:]
    report = json.loads(result.stdout)
    found = set(report["violated"])
    advisory = {r["id"] for r in report["requirements"] if r["outcome"] == "advisory not met"}
    assert mutant.catches <= found | advisory
    assert found <= mutant.catches | mutant.also
    for r in report["requirements"]:
        for f in r["findings"]:
            assert f["line"] >= 1
            assert f["column"] >= 1
            assert Path(f["file"]).is_file()


def concrete_copy(documented: ManifestSet, directory: Path, nodes: int = 4) -> Path:
    rendered = render(documented, kind_nodes(nodes, "prod"), Credentials("admin-user-1", SECRET))
    directory.mkdir(parents=True)
    (directory / "minio.yaml").write_text(dump_documents(rendered.objects))
    return directory / "minio.yaml"


@pytest.mark.parametrize("nodes", [1, 2, 4])
def test_a_concrete_set_is_judged_as_written(documented: ManifestSet, tmp_path: Path, nodes: int) -> None:
    path = concrete_copy(documented, tmp_path / "concrete", nodes)
    result = gate(str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert f"as written, {nodes} node(s) from its PersistentVolumes" in result.stdout


def test_misspelt_namespace_in_urls_and_replicas_off_the_pvs_are_caught(
    documented: ManifestSet, tmp_path: Path
) -> None:
    """The issue's case: before, the renderer rewrote both and the set passed."""
    path = concrete_copy(documented, tmp_path / "concrete")
    text = path.read_text().replace(".minio-headless.minio-system.svc", ".minio-headless.minio-sytem.svc")
    path.write_text(text.replace("replicas: 4", "replicas: 3", 1))
    result = gate(str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert {"STS-2", "TOP-2"} <= set(violated(result.stdout)) <= {"STS-2", "TOP-2", "TOP-3"}
    assert f"concrete/minio.yaml:{position_of(path, 'replicas: 3')}: TOP-2" in result.stdout
    assert "found http://minio-0.minio-headless.minio-sytem.svc.cluster.local/data" in result.stdout
    assert SECRET not in result.stdout


def test_a_helm_rendered_stream_gives_real_findings_in_few_lines(tmp_path: Path) -> None:
    result = gate("-", "--stdin-name", "rendered.yaml", cwd=tmp_path, stdin=HELM.read_bytes())
    assert result.returncode == 1
    ids = violated(result.stdout)
    assert {"STS-1", "STS-2", "STS-4", "STS-5", "STS-7", "PRB-1", "SEC-2"} <= set(ids)
    lines = result.stdout.splitlines()[:-1]
    for req_id in ids:
        mine = [line for line in lines if f": {req_id} " in line]
        assert 1 <= len(mine) < 5, (req_id, mine)
    assert all(line.startswith("rendered.yaml:") for line in lines)
    assert "ConfigMap" not in result.stdout  # its ${MC} script is not a template of ours
    assert "SCH-1" not in ids
    assert "found http://minio-{0...3}.minio-svc.minio-system.svc/export" in result.stdout


def test_names_and_waivers_from_the_config_file(tmp_path: Path) -> None:
    target = copy_manifests(tmp_path)
    sts = target / "06-statefulset.yaml"
    sts.write_text(sts.read_text().replace("  name: minio\n  namespace", "  name: minio-cluster\n  namespace", 1))
    sts.write_text(sts.read_text().replace("podManagementPolicy: OrderedReady", "podManagementPolicy: Parallel"))
    result = gate("deploy/minio", cwd=tmp_path / "team-repo")
    assert violated(result.stdout) == ["STS-1"]
    assert "14 not evaluated" in result.stdout
    assert "state its name in the config file (statefulset: minio-cluster)" in result.stdout
    (target / "minio-conformance.yaml").write_text(
        "statefulset: minio-cluster\nwaivers:\n  - id: STS-7\n    reason: parallel start agreed (TICKET-1)\n"
    )
    cwd = tmp_path / "team-repo"
    result = gate(
        "deploy/minio",
        "--format",
        "json=gate.json",
        "--format",
        "junit=gate.xml",
        "--format",
        "sarif=gate.sarif",
        cwd=cwd,
    )
    assert result.returncode == 0, result.stdout
    assert "1 waived (STS-7)" in result.stdout
    assert "1 name(s) differ from the documented ones" in result.stdout
    report = json.loads((cwd / "gate.json").read_text())
    sts7 = next(r for r in report["requirements"] if r["id"] == "STS-7")
    assert sts7["outcome"] == "waived"
    assert sts7["waiver"] == "parallel start agreed (TICKET-1)"
    assert sts7["findings"], "a waived requirement keeps its findings"
    assert report["deviations"] == {"statefulset": {"documented": "minio", "configured": "minio-cluster"}}
    case = next(c for c in ET.parse(cwd / "gate.xml").iter("testcase") if c.get("name", "").startswith("STS-7 "))
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("waived: ")
    sarif = json.loads((cwd / "gate.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["STS-7"]
    assert results[0]["suppressions"] == [{"kind": "external", "justification": "parallel start agreed (TICKET-1)"}]


def _no_empty(value: Any, where: str = "$") -> None:
    if isinstance(value, Mapping):
        assert value, f"empty object at {where}"
        for k, v in value.items():
            _no_empty(v, f"{where}.{k}")
    elif isinstance(value, list):
        assert value or where.endswith(".results"), f"empty array at {where}"
        for i, v in enumerate(value):
            _no_empty(v, f"{where}[{i}]")
    elif isinstance(value, str):
        assert value, f"empty string at {where}"


def test_sarif_points_at_the_field_in_multi_document_files(documented: ManifestSet, tmp_path: Path) -> None:
    target = copy_manifests(tmp_path)
    services = target / "05-services.yaml"
    services.write_text(services.read_text().replace("nodePort: 30901", "nodePort: 31901"))
    result = gate(str(target), "--format", "sarif", cwd=tmp_path)
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    _no_empty(sarif)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) == 25
    (res,) = run["results"]
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == "SVC-2"
    region = res["locations"][0]["physicalLocation"]["region"]
    line, column = position_of(services, "nodePort: 31901").split(":")
    assert (region["startLine"], region["startColumn"]) == (int(line), int(column))
    assert (
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "team-repo/deploy/minio/05-services.yaml"
    )
    assert rules[res["ruleIndex"]]["fullDescription"]["text"].startswith("NodePort Services")


def test_no_secret_value_reaches_any_output(documented: ManifestSet, tmp_path: Path) -> None:
    path = concrete_copy(documented, tmp_path / "concrete")
    text = path.read_text()
    text = text.replace("name: MINIO_ROOT_PASSWORD\n", f"name: MINIO_ROOT_PASSWORD\n          value: {SECRET}\n", 1)
    path.write_text(text.replace("valueFrom:\n", "x-valueFrom:\n", 0))
    for fmt in ("text", "json", "junit", "sarif"):
        result = gate(str(path), "--format", fmt, "-v", cwd=tmp_path)
        assert result.returncode in (1, 2)
        assert SECRET not in result.stdout + result.stderr, fmt


def test_custom_resources_are_not_validated_and_removed_apis_violate_sch_1(tmp_path: Path) -> None:
    target = copy_manifests(tmp_path)
    (target / "08-servicemonitor.yaml").write_text(
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: minio, namespace: minio-system}\n"
        "spec: {selector: {matchLabels: {app: minio}}}\n"
    )
    (target / "kustomization.yaml").write_text("resources: [00-namespace.yaml]\n")
    result = gate(str(target), "-v", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert (
        "not validated (custom resource, no Kubernetes 1.34 schema): ServiceMonitor minio-system/minio" in result.stdout
    )
    assert "kustomization.yaml: skipped, a kustomize file" in result.stdout
    pdb = target / "07-poddisruptionbudget.yaml"
    pdb.write_text(pdb.read_text().replace("policy/v1", "policy/v1beta1"))
    result = gate(str(target), cwd=tmp_path)
    assert violated(result.stdout) == ["SCH-1"]
    assert f"07-poddisruptionbudget.yaml:{position_of(pdb, 'apiVersion')}: SCH-1" in result.stdout


def test_strict_fails_on_advisory_requirements(tmp_path: Path) -> None:
    target = copy_manifests(tmp_path)
    (target / "07-poddisruptionbudget.yaml").unlink()
    assert gate(str(target), cwd=tmp_path).returncode == 0
    strict = gate(str(target), "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert violated(strict.stdout) == ["OPS-1"]


def _wrong_types() -> list[Any]:
    return ["hello", 7, True, None, [], ["x"], {}, {"x": 1}]


def test_no_check_raises_on_wrong_types_anywhere(documented: ManifestSet) -> None:
    """Every field of every rendered object replaced by values of every other type: judged, never a crash."""
    nodes = kind_nodes(4)
    objects = [copy.deepcopy(dict(o)) for o in render(documented, nodes, Credentials.generate()).objects]
    for index, obj in enumerate(objects):
        paths = [p for p, _ in walk(obj) if p and p[0] not in ("apiVersion", "kind") and p[:2] != ("metadata", "name")]
        for path in paths:
            for wrong in _wrong_types():
                broken = copy.deepcopy(objects)
                parent: Any = broken[index]
                for step in path[:-1]:
                    parent = parent[step]
                parent[path[-1]] = copy.deepcopy(wrong)
                run_all(Snapshot.of(broken, nodes))
