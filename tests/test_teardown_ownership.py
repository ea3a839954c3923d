"""Teardown on a user's cluster removes only what carries this suite's label.

A namespace the suite refused to touch at start-up must survive the run's teardown too.
Pure: a recording stand-in for the Kubernetes core API, no cluster.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from kubernetes.client.exceptions import ApiException

from fixtures.commands import Command
from fixtures.deploy import (
    OWNED_SELECTOR,
    OWNER,
    OWNER_LABEL,
    Deployer,
    DeployError,
    DeployRecord,
    remove_own_deployment,
)
from minio_conformance.objects import NAMESPACE


class RecordingCore:
    """Answers like CoreV1Api for one namespace and a PV list; records every deletion."""

    def __init__(self, namespace_labels: dict[str, str] | None, owned_pvs: list[str]) -> None:
        self.namespace_labels = namespace_labels
        self.owned_pvs = owned_pvs
        self.deleted: list[str] = []
        self.selectors: list[str] = []

    def read_namespace(self, name: str) -> Any:
        if self.namespace_labels is None:
            raise ApiException(status=404)
        return SimpleNamespace(metadata=SimpleNamespace(name=name, labels=self.namespace_labels))

    def delete_namespace(self, name: str) -> None:
        self.deleted.append(f"namespace/{name}")

    def list_persistent_volume(self, label_selector: str) -> Any:
        self.selectors.append(label_selector)
        return SimpleNamespace(items=[SimpleNamespace(metadata=SimpleNamespace(name=n)) for n in self.owned_pvs])

    def delete_persistent_volume(self, name: str) -> None:
        self.deleted.append(f"pv/{name}")


class RecordingStorage:
    """Answers like StorageV1Api for the StorageClasses the suite labelled; records deletions."""

    def __init__(self, owned: list[str], deleted: list[str]) -> None:
        self.owned = owned
        self.deleted = deleted
        self.selectors: list[str] = []

    def list_storage_class(self, label_selector: str) -> Any:
        self.selectors.append(label_selector)
        return SimpleNamespace(items=[SimpleNamespace(metadata=SimpleNamespace(name=n)) for n in self.owned])

    def delete_storage_class(self, name: str) -> None:
        self.deleted.append(f"storageclass/{name}")


def apis(namespace_labels: dict[str, str] | None, pvs: list[str], classes: list[str]) -> tuple[Any, Any]:
    core = RecordingCore(namespace_labels, pvs)
    return core, RecordingStorage(classes, core.deleted)


def test_unlabelled_namespace_is_kept() -> None:
    core, storage = apis({"team": "storage"}, [], [])
    lines = remove_own_deployment(core, storage)
    assert core.deleted == []
    assert any("kept namespace" in line for line in lines)


def test_labelled_namespace_and_owned_cluster_objects_are_deleted() -> None:
    core, storage = apis({OWNER_LABEL: OWNER}, ["minio-pv-0", "minio-pv-1"], ["minio-local-storage"])
    remove_own_deployment(core, storage)
    assert core.deleted == [
        f"namespace/{NAMESPACE}",
        "pv/minio-pv-0",
        "pv/minio-pv-1",
        "storageclass/minio-local-storage",
    ]


def test_cluster_objects_are_listed_only_by_the_owner_selector() -> None:
    core, storage = apis(None, [], [])
    lines = remove_own_deployment(core, storage)
    assert core.selectors == [OWNED_SELECTOR]
    assert storage.selectors == [OWNED_SELECTOR]
    assert OWNER_LABEL in OWNED_SELECTOR
    assert lines == [f"namespace {NAMESPACE}: not present"]


def test_other_api_errors_are_not_swallowed() -> None:
    class Forbidden(RecordingCore):
        def read_namespace(self, name: str) -> Any:
            raise ApiException(status=403)

    core = Forbidden(None, ["minio-pv-0"])
    with pytest.raises(ApiException):
        remove_own_deployment(core, RecordingStorage(["minio-local-storage"], core.deleted))
    assert core.deleted == []


# --- deploying on a user's cluster never applies over someone else's cluster-scoped objects ----------


def _deployer(existing: dict[str, dict[str, str]]) -> Deployer:
    """A Deployer whose API knows `existing` cluster-scoped objects (name -> labels)."""

    def read(name: str) -> Any:
        if name not in existing:
            raise ApiException(status=404)
        return SimpleNamespace(metadata=SimpleNamespace(name=name, labels=existing[name]))

    kube = SimpleNamespace(
        core=SimpleNamespace(read_persistent_volume=read), storage=SimpleNamespace(read_storage_class=read)
    )
    return Deployer(kube, Command("kubectl"), DeployRecord(cluster="user"), lambda _line: None)  # type: ignore[arg-type]


STORAGE_CLASS = {"kind": "StorageClass", "metadata": {"name": "minio-local-storage"}}
PV = {"kind": "PersistentVolume", "metadata": {"name": "minio-pv-0"}}


@pytest.mark.parametrize("obj", [STORAGE_CLASS, PV], ids=["storageclass", "pv"])
def test_foreign_cluster_object_is_refused(obj: dict[str, Any]) -> None:
    deployer = _deployer({obj["metadata"]["name"]: {"app": "minio"}})
    with pytest.raises(DeployError, match="not this suite's; refusing to touch it"):
        deployer._refuse_foreign([obj])


def test_absent_or_own_cluster_objects_are_applied() -> None:
    deployer = _deployer({"minio-local-storage": {OWNER_LABEL: OWNER}})
    deployer._refuse_foreign([STORAGE_CLASS, PV, {"kind": "Service", "metadata": {"name": "minio"}}])
