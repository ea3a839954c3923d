"""Requirement checks: pure functions from a Snapshot to a Verdict.

A Snapshot is what the check looks at: the MinIO objects (rendered from manifests,
or read back from a cluster) and the cluster's Node objects. Checks never do I/O,
return every finding rather than the first, and accept the defaulted fields a live
API server adds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from minio_conformance.objects import named
from minio_conformance.topology import ErasureProfile, replicas_for, schedulable_nodes
from minio_conformance.verdict import Verdict


@dataclass(frozen=True)
class Snapshot:
    objects: tuple[Mapping[str, Any], ...]
    nodes: tuple[Mapping[str, Any], ...]

    @classmethod
    def of(cls, objects: Iterable[Mapping[str, Any]], nodes: Iterable[Mapping[str, Any]]) -> Snapshot:
        return cls(tuple(objects), tuple(nodes))

    @property
    def schedulable(self) -> list[str]:
        return schedulable_nodes(self.nodes)

    @property
    def expected_replicas(self) -> int:
        return replicas_for(len(self.schedulable))

    @property
    def erasure(self) -> ErasureProfile:
        return ErasureProfile(self.expected_replicas)

    def get(self, kind_: str, name_: str) -> Mapping[str, Any] | None:
        return named(self.objects, kind_, name_)


Check = Callable[[Snapshot], Verdict]
CHECKS: dict[str, Check] = {}


def check(req_id: str) -> Callable[[Check], Check]:
    """Register a function as the static check of requirement `req_id`."""

    def register(fn: Check) -> Check:
        if req_id in CHECKS:
            raise ValueError(f"two checks registered for {req_id}")
        CHECKS[req_id] = fn
        return fn

    return register


def run_check(req_id: str, snapshot: Snapshot) -> Verdict:
    return CHECKS[req_id](snapshot)


def run_all(snapshot: Snapshot) -> dict[str, Verdict]:
    return {req_id: fn(snapshot) for req_id, fn in sorted(CHECKS.items())}


def _load_families() -> None:
    # Imported for their registrations.
    from minio_conformance.checks import (  # noqa: F401
        credentials,
        operations,
        probes,
        schema,
        security,
        services,
        statefulset,
        storage,
        topology,
    )


_load_families()
