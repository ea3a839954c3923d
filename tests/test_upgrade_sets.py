"""The upgrade scenario's inputs: the base from a directory or a git revision, the diff, the leg option."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fixtures.upgrade import BaseError, base_manifests, set_diff, set_digest, upgrade_legs
from minio_conformance.manifests import load_manifests

SHIPPED = Path(__file__).resolve().parent.parent / "manifests"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose `deploy/` holds the shipped manifests, committed, then changed in the tree."""
    root = tmp_path / "team"
    shutil.copytree(SHIPPED, root / "deploy")
    git(root.parent, "init", "-q", str(root))
    git(root, "-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", ".")
    git(root, "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-q", "-m", "base")
    sts = root / "deploy" / "06-statefulset.yaml"
    sts.write_text(sts.read_text().replace("terminationGracePeriodSeconds: 60", "terminationGracePeriodSeconds: 90"))
    return root


def test_no_base_means_the_head_itself() -> None:
    head = load_manifests(SHIPPED)
    base, origin = base_manifests(None, head, SHIPPED)
    assert base is head
    assert "forced pod-template change" in origin


def test_base_from_a_git_revision_is_that_revision_of_the_directory(repo: Path) -> None:
    head = load_manifests(repo / "deploy")
    base, origin = base_manifests("HEAD", head, repo / "deploy")
    assert origin.startswith("git revision HEAD")
    assert set_digest(base) == set_digest(load_manifests(SHIPPED))
    assert set_digest(base) != set_digest(head)


def test_base_from_a_directory(repo: Path) -> None:
    head = load_manifests(repo / "deploy")
    base, origin = base_manifests(str(SHIPPED), head, repo / "deploy")
    assert origin == f"directory {SHIPPED}"
    assert len(base.documents) == len(load_manifests(SHIPPED).documents)


def test_an_unknown_revision_is_one_line(repo: Path) -> None:
    head = load_manifests(repo / "deploy")
    with pytest.raises(BaseError) as caught:
        base_manifests("no-such-ref", head, repo / "deploy")
    assert "\n" not in str(caught.value)
    assert "--minio-base no-such-ref" in str(caught.value)


def test_the_diff_shows_the_change_and_never_a_secret() -> None:
    base = [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "minio-credentials"}, "data": {"k": "c2VjcmV0"}},
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "minio"}, "spec": {"replicas": 4}},
    ]
    head = [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "minio-credentials"}, "data": {"k": "b3RoZXI="}},
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "minio"}, "spec": {"replicas": 2}},
    ]
    diff = set_diff(base, head)
    assert "-  replicas: 4" in diff
    assert "+  replicas: 2" in diff
    assert "c2VjcmV0" not in diff
    assert "b3RoZXI=" not in diff
    assert "Secrets differ (values not shown)" in diff


@pytest.mark.parametrize(("raw", "legs"), [("4", {4}), ("1,2,4", {1, 2, 4}), ("all", None), (" ALL ", None)])
def test_upgrade_legs(raw: str, legs: set[int] | None) -> None:
    assert upgrade_legs(raw) == legs


@pytest.mark.parametrize("raw", ["", "0", "four", "2,-1"])
def test_upgrade_legs_refuses_nonsense(raw: str) -> None:
    with pytest.raises(pytest.UsageError):
        upgrade_legs(raw)
