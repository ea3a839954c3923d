"""Tests of the suite's own code: pure logic, plugins and the command-line gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from minio_conformance.manifests import ManifestSet, load_manifests

PROJECT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(PROJECT / "tests"):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def documented() -> ManifestSet:
    return load_manifests(PROJECT / "manifests")
