"""Offline schema validation against the targeted Kubernetes version.

Uses the JSON schemas that kubernetes-validate ships, so nothing is fetched at
test time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import kubernetes_validate
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError

from minio_conformance.objects import ref

TARGET_KUBERNETES = "1.34"


@dataclass(frozen=True)
class SchemaProblem:
    object_ref: str
    message: str
    unknown_kind: bool = False

    def __str__(self) -> str:
        return f"{self.object_ref}: {self.message}"


def validate_object(obj: Mapping[str, Any], version: str = TARGET_KUBERNETES) -> SchemaProblem | None:
    """None when `obj` is valid for Kubernetes `version`; otherwise the first problem."""
    try:
        kubernetes_validate.validate(dict(obj), version, strict=True)
    except SchemaNotFoundError:
        return SchemaProblem(
            ref(obj),
            f"unknown object: no {obj.get('apiVersion')} {obj.get('kind')} in Kubernetes {version}",
            unknown_kind=True,
        )
    except ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        return SchemaProblem(ref(obj), f"{where}: {exc.message}")
    return None


def supported_versions() -> list[str]:
    from kubernetes_validate.utils import all_versions

    return sorted(set(all_versions()))
