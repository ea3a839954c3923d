"""Bad input never gives a traceback or a hang: exit 0, 1 or 2, and exit 2 is one line on stderr.

The corpus: small files in tests/data/gate/bad/ (each says `# expect: CODE TEXT` on its first
line), broken copies of the documented set (wrong types anywhere, duplicate keys, bad base64),
inputs too large or too deep to build (generated here), odd paths (symlink loops, FIFOs,
dangling links) and bad command lines and config files.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from minio_conformance.manifests import ManifestSet, SourceDocument, write_manifest_set

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "tests" / "data" / "gate" / "bad"
SECRET = "Very-Secret-Value-42"
COMMAND = str(Path(sys.executable).parent / "minio-conformance")


def run(*args: str, cwd: Path, stdin: bytes | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    result = subprocess.run(
        [COMMAND, *args],
        cwd=cwd,
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert time.monotonic() - started < timeout
    return result


def assert_clean(result: subprocess.CompletedProcess[str], code: int, expected: str = "") -> None:
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out[-3000:]
    assert SECRET not in out
    assert result.returncode == code, out[-3000:]
    if code == 2:
        assert result.stdout == "", result.stdout
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith("minio-conformance: ")
    if expected:
        assert expected in out, out[-3000:]


# --- the files of the corpus ---------------------------------------------------------------------------


def corpus_cases() -> list[Any]:
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        _, _, rest = first.partition("# expect: ")
        code, _, text = rest.partition(" ")
        cases.append(pytest.param(path, int(code), text, id=path.stem))
    return cases


@pytest.mark.parametrize(("path", "code", "expected"), corpus_cases())
def test_corpus_file(path: Path, code: int, expected: str, tmp_path: Path) -> None:
    assert_clean(run("gate", str(path), cwd=tmp_path), code, expected)
    assert_clean(run("gate", "-", cwd=tmp_path, stdin=path.read_bytes()), code, expected)


# --- broken copies of the documented set: judged (exit 1), never a crash ------------------------------

Obj = dict[str, Any]


def _sts(objs: list[Obj]) -> Obj:
    return next(o for o in objs if o["kind"] == "StatefulSet")


def _minio(objs: list[Obj]) -> Obj:
    container: Obj = _sts(objs)["spec"]["template"]["spec"]["containers"][0]
    return container


def _of(kind: str) -> Callable[[list[Obj]], Obj]:
    return lambda objs: next(o for o in objs if o["kind"] == kind)


EDITS: dict[str, tuple[Callable[[list[Obj]], None], str]] = {
    "spec-string": (lambda o: _sts(o).update(spec="hello"), "SCH-1"),
    "env-mapping": (lambda o: _minio(o).update(env={"MINIO_ROOT_USER": "x"}), "SCH-1"),
    "containers-string": (lambda o: _sts(o)["spec"]["template"]["spec"].update(containers="minio"), "SCH-1"),
    "replicas-string": (lambda o: _sts(o)["spec"].update(replicas="four"), "SCH-1"),
    "service-ports-string": (lambda o: _of("Service")(o)["spec"].update(ports="9000"), "SCH-1"),
    "pv-terms-string": (
        lambda o: _of("PersistentVolume")(o)["spec"]["nodeAffinity"]["required"].update(nodeSelectorTerms="x"),
        "SCH-1",
    ),
    "args-number": (lambda o: _minio(o).update(args=42), "SCH-1"),
    "claim-templates-mapping": (lambda o: _sts(o)["spec"].update(volumeClaimTemplates={}), "SCH-1"),
    "labels-list": (lambda o: _sts(o)["metadata"].update(labels=["app=minio"]), "SCH-1"),
    "huge-replicas": (lambda o: _sts(o)["spec"].update(replicas=10**30), "TOP-2"),
    "huge-ellipsis": (
        lambda o: _minio(o).update(
            args=["server", "http://minio-{0...999999999999}.minio-headless.minio-system.svc.cluster.local/data"]
        ),
        "STS-2",
    ),
    "probe-string": (lambda o: _minio(o).update(livenessProbe="curl"), "SCH-1"),
    "secret-data-invalid-base64": (
        lambda o: _of("Secret")(o).update(data={"accesskey": SECRET + "!!", "secretkey": "c2VjcmV0"}),
        "SCH-1",
    ),
    "literal-credentials": (
        lambda o: _minio(o).update(env=[{"name": "MINIO_ROOT_USER", "value": SECRET}]),
        "SEC-2",
    ),
    "storageclass-spec-list": (lambda o: _of("StorageClass")(o).update(parameters=["x"]), "SCH-1"),
    "tolerations-string": (lambda o: _sts(o)["spec"]["template"]["spec"].update(tolerations="all"), "SCH-1"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_wrong_types_anywhere_are_judged(documented: ManifestSet, edit: str, tmp_path: Path) -> None:
    change, req_id = EDITS[edit]
    objs = [copy.deepcopy(dict(d.obj)) for d in documented.documents]
    change(objs)
    docs = [SourceDocument(d.file, d.index, o) for d, o in zip(documented.documents, objs, strict=True)]
    target = write_manifest_set(docs, tmp_path / "set")
    result = run("gate", str(target), cwd=tmp_path)
    assert_clean(result, 1, req_id)
    for fmt in ("json", "sarif", "junit"):
        assert_clean(run("gate", str(target), "--format", fmt, cwd=tmp_path), 1)


def test_duplicate_keys_are_reported_at_the_second_one(tmp_path: Path) -> None:
    shutil.copytree(PROJECT / "manifests", tmp_path / "m")
    storage = tmp_path / "m" / "02-storageclass.yaml"
    storage.write_text(storage.read_text() + "reclaimPolicy: Retain\n")
    lines = storage.read_text().splitlines()
    result = run("gate", "m", cwd=tmp_path)
    assert_clean(result, 1, f"m/02-storageclass.yaml:{len(lines)}:1: SCH-1 duplicate key")


# --- inputs too large, too deep or too wide to build -----------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


GENERATED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "alias-bomb": (
        lambda d: _write(
            d / "bomb.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
            + "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + "".join(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)),
        ),
        "alias bomb",
    ),
    "deep-20000": (lambda d: _write(d / "deep.yaml", "a: " + "[" * 20000 + "]" * 20000 + "\n"), "nest"),
    "deep-150-mappings": (
        lambda d: _write(d / "deep.yaml", "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "v\n"),
        "nested more than",
    ),
    "50-mb": (lambda d: _write(d / "big.yaml", "# " + "x" * (50 * 1024 * 1024) + "\n"), "bytes"),
    "invalid-utf8": (
        lambda d: _bytes(d / "bin.yaml", b"apiVersion: v1\nkind: \xff\xfe\n"),
        "UTF-8",
    ),
    "nul-byte": (lambda d: _bytes(d / "nul.yaml", b"apiVersion: v1\x00\n"), "malformed YAML"),
    "utf16": (lambda d: _bytes(d / "u16.yaml", "kind: x\n".encode("utf-16")), "UTF-8"),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_input(case: str, tmp_path: Path) -> None:
    make, expected = GENERATED[case]
    path = make(tmp_path)
    assert_clean(run("gate", str(path), cwd=tmp_path), 2, expected)


# --- paths -------------------------------------------------------------------------------------------------


def _symlink_loop(d: Path) -> Path:
    (d / "set").mkdir()
    _write(d / "set" / "ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: minio-system}\n")
    (d / "set" / "again").symlink_to(d / "set")
    return d / "set"


def _file_loop(d: Path) -> Path:
    (d / "set").mkdir()
    (d / "set" / "a.yaml").symlink_to(d / "set" / "b.yaml")
    (d / "set" / "b.yaml").symlink_to(d / "set" / "a.yaml")
    return d / "set"


def _dangling(d: Path) -> Path:
    (d / "set").mkdir()
    (d / "set" / "gone.yaml").symlink_to(d / "nowhere.yaml")
    return d / "set"


def _fifo(d: Path) -> Path:
    os.mkfifo(d / "pipe.yaml")
    return d / "pipe.yaml"


def _empty_dir(d: Path) -> Path:
    (d / "set").mkdir()
    _write(d / "set" / "notes.txt", "no yaml here")
    return d / "set"


PATHS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "symlink-loop": (_symlink_loop, "symlink loop"),
    "file-symlink-loop": (_file_loop, "symlink loop"),
    "dangling-symlink": (_dangling, "no such file"),
    "fifo": (_fifo, "not a regular file"),
    "no-yaml-in-directory": (_empty_dir, "holds no .yaml/.yml file"),
    "missing": (lambda d: d / "nope", "no such file or directory"),
}


@pytest.mark.parametrize("case", sorted(PATHS))
def test_odd_path(case: str, tmp_path: Path) -> None:
    make, expected = PATHS[case]
    assert_clean(run("gate", str(make(tmp_path)), cwd=tmp_path), 2, expected)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "locked.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    path.chmod(0)
    assert_clean(run("gate", str(path), cwd=tmp_path), 2, "permission denied")


# --- command lines and config files ------------------------------------------------------------------------

CONFIGS = {
    "unknown-setting": ("statefulsets: minio\n", "unknown setting 'statefulsets'"),
    "not-a-mapping": ("- a\n", "expected a mapping"),
    "bad-name": ("statefulset: Minio_Cluster\n", "statefulset must be a Kubernetes object name"),
    "bad-node-port": ("api_node_port: 80\n", "api_node_port must be a NodePort number"),
    "waiver-unknown-id": ("waivers:\n  - id: XYZ-1\n    reason: because\n", "not a requirement ID"),
    "waiver-without-reason": ("waivers:\n  - id: STS-7\n", "needs a reason"),
    "waiver-twice": (
        "waivers:\n  - {id: STS-7, reason: a}\n  - {id: STS-7, reason: b}\n",
        "waived twice",
    ),
    "nodes-zero": ("nodes: [0]\n", "from 1 to 64"),
    "malformed": ("statefulset: [x\n", "malformed YAML"),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_bad_config(case: str, tmp_path: Path) -> None:
    text, expected = CONFIGS[case]
    shutil.copytree(PROJECT / "manifests", tmp_path / "m")
    _write(tmp_path / "m" / "minio-conformance.yaml", text)
    assert_clean(run("gate", "m", cwd=tmp_path), 2, expected)
    assert_clean(run("gate", str(PROJECT / "manifests"), "--config", "m/minio-conformance.yaml", cwd=tmp_path), 2)


COMMAND_LINES = {
    "no-command": ([], "name a command"),
    "no-path": (["gate"], "the following arguments are required"),
    "empty-path": (["gate", ""], "is empty"),
    "stdin-twice": (["gate", "-", "-"], "named twice"),
    "empty-stdin": (["gate", "-"], "no Kubernetes object found"),
    "nodes-zero": (["gate", "M", "--nodes", "0"], "from 1 to 64"),
    "nodes-word": (["gate", "M", "--nodes", "two"], "node counts such as 1,2,4"),
    "nodes-many": (["gate", "M", "--nodes", "1000"], "from 1 to 64"),
    "nodes-empty": (["gate", "M", "--nodes", ""], "node counts such as 1,2,4"),
    "format-unknown": (["gate", "M", "--format", "xml"], "expected one of"),
    "format-empty-file": (["gate", "M", "--format", "sarif="], "is empty"),
    "format-two-on-stdout": (["gate", "M", "--format", "json", "--format", "sarif"], "only one format"),
    "format-missing-directory": (["gate", "M", "--format", "json=nowhere/out.json"], "does not exist"),
    "config-missing": (["gate", "M", "--config", "nope.yaml"], "no such config file"),
    "config-empty": (["gate", "M", "--config", ""], "--config is empty"),
    "config-directory": (["gate", "M", "--config", "."], "is a directory"),
    "unknown-option": (["gate", "M", "--frobnicate"], "unrecognized arguments"),
    "stdin-name-empty": (["gate", "M", "--stdin-name", ""], "--stdin-name is empty"),
}


@pytest.mark.parametrize("case", sorted(COMMAND_LINES))
def test_bad_command_line(case: str, tmp_path: Path) -> None:
    args, expected = COMMAND_LINES[case]
    args = [str(PROJECT / "manifests") if a == "M" else a for a in args]
    assert_clean(run(*args, cwd=tmp_path, stdin=b"" if "-" in args else None), 2, expected)


def test_output_is_not_written_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.json").write_text("keep")
    (tmp_path / "out.json").symlink_to(tmp_path / "elsewhere.json")
    result = run("gate", str(PROJECT / "manifests"), "--format", "json=out.json", cwd=tmp_path)
    assert_clean(result, 2, "symlink")
    assert (tmp_path / "elsewhere.json").read_text() == "keep"


def test_yaml_is_parsed_by_the_gate_not_by_pyyaml_constructors() -> None:
    """The corpus' python tag would run code under an unsafe loader: the gate refuses it."""
    text = (CORPUS / "python-tag.yaml").read_text()
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
