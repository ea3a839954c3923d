"""Requirement checks: pure functions from a Snapshot to a Verdict.

A Snapshot is what the check looks at: the MinIO objects (rendered from manifests, as written
in a concrete manifest set, or read back from a cluster), the cluster's Node objects, and the
names the deployment gives its objects. Checks never do I/O, return every finding rather than
the first, and accept the defaulted fields a live API server adds.

No cascades: a check declares the objects it needs (`needs=`). When one is missing, the
requirement that owns it reports it once, and every check that needs it is *not evaluated*,
naming the owner, instead of failing again. A finding under a field whose type already breaks
the API schema is left to SCH-1 alone. Findings found while loading (duplicate keys) and the
supplementary checks of a requirement (`@supplement`) join its verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import dig, named, resolve_path
from minio_conformance.topology import ErasureProfile, replicas_for, schedulable_nodes
from minio_conformance.verdict import Finding, Status, Verdict, not_applicable

NOT_EVALUATED = "not evaluated"


@dataclass(frozen=True)
class Snapshot:
    objects: tuple[Mapping[str, Any], ...]
    nodes: tuple[Mapping[str, Any], ...]
    names: Names = DOCUMENTED
    # True for a concrete manifest set judged as written: its nodes are the ones its PVs pin.
    nodes_from_set: bool = False
    # (requirement ID, finding) found while loading the objects, e.g. duplicate keys under SCH-1.
    load_findings: tuple[tuple[str, Finding], ...] = field(default=(), compare=False)

    @classmethod
    def of(
        cls, objects: Iterable[Mapping[str, Any]], nodes: Iterable[Mapping[str, Any]], names: Names = DOCUMENTED
    ) -> Snapshot:
        return cls(tuple(objects), tuple(nodes), names)

    @classmethod
    def as_written(
        cls,
        objects: Iterable[Mapping[str, Any]],
        names: Names = DOCUMENTED,
        load_findings: Iterable[tuple[str, Finding]] = (),
    ) -> Snapshot:
        """A concrete manifest set: its topology is its own, the nodes its MinIO PVs are pinned to."""
        from minio_conformance.checks.common import minio_pvs, pv_pinned_nodes

        objs = tuple(objects)
        pinned = sorted({n for pv in minio_pvs(objs) for n in pv_pinned_nodes(pv) or [] if isinstance(n, str)})
        nodes = tuple({"apiVersion": "v1", "kind": "Node", "metadata": {"name": n}} for n in pinned)
        return cls(objs, nodes, names, True, tuple(load_findings))

    @property
    def schedulable(self) -> list[str]:
        return schedulable_nodes(self.nodes)

    @property
    def expected_replicas(self) -> int | None:
        """Replicas the topology calls for (TOP-2); None when the node count is unknown."""
        count = len(self.schedulable)
        return replicas_for(count) if count else None

    @property
    def replicas(self) -> int | None:
        """The replicas to judge quorum by: the topology's, else the StatefulSet's as written."""
        if self.expected_replicas is not None:
            return self.expected_replicas
        value = dig(self.statefulset, "spec", "replicas", default=1) if self.statefulset is not None else None
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    @property
    def erasure(self) -> ErasureProfile:
        return ErasureProfile(self.replicas or 1)

    def get(self, kind_: str, name_: str) -> Mapping[str, Any] | None:
        return named(self.objects, kind_, name_)

    @cached_property
    def statefulset(self) -> Mapping[str, Any] | None:
        from minio_conformance.checks.common import minio_statefulset

        return minio_statefulset(self.objects, self.names)

    @cached_property
    def container(self) -> Mapping[str, Any] | None:
        from minio_conformance.checks.common import minio_container

        return minio_container(self.statefulset, self.names) if self.statefulset is not None else None

    def minio(self) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
        """The MinIO StatefulSet and container, for checks whose `needs=` guarantee both."""
        sts, container = self.statefulset, self.container
        if sts is None or container is None:
            raise LookupError(f"no StatefulSet {self.names.statefulset} with container {self.names.container}")
        return sts, container

    def minio_statefulset(self) -> Mapping[str, Any]:
        """The MinIO StatefulSet, for checks whose `needs=` guarantee it."""
        if self.statefulset is None:
            raise LookupError(f"no StatefulSet {self.names.statefulset}")
        return self.statefulset


Check = Callable[[Snapshot], Verdict]
CHECKS: dict[str, Check] = {}
NEEDS: dict[str, tuple[str, ...]] = {}
SUPPLEMENTS: dict[str, list[Callable[[Snapshot], list[Finding]]]] = {}


@dataclass(frozen=True)
class Anchor:
    """An object many requirements look at; `owner` reports it missing, the others are not evaluated."""

    owner: str
    present: Callable[[Snapshot], bool]
    missing: Callable[[Snapshot], str]


def _pvs_present(snap: Snapshot) -> bool:
    from minio_conformance.checks.common import minio_pvs

    return bool(minio_pvs(snap.objects))


ANCHORS: dict[str, Anchor] = {
    "statefulset": Anchor(
        "STS-1", lambda s: s.statefulset is not None, lambda s: f"no StatefulSet {s.names.statefulset}"
    ),
    "container": Anchor(
        "STS-2",
        lambda s: s.statefulset is None or s.container is not None,
        lambda s: f"no container {s.names.container} in StatefulSet {s.names.statefulset}",
    ),
    "pvs": Anchor("PV-1", _pvs_present, lambda s: "no PersistentVolume labelled app=minio"),
    "nodes": Anchor(
        "PV-1",
        lambda s: s.expected_replicas is not None,
        lambda s: "the set pins no PersistentVolume to a node, so its node count is unknown",
    ),
}


def check(req_id: str, needs: tuple[str, ...] = ()) -> Callable[[Check], Check]:
    """Register a function as the static check of requirement `req_id`, needing the `ANCHORS` named."""
    unknown = set(needs) - set(ANCHORS)
    if unknown:
        raise ValueError(f"{req_id} needs unknown anchor(s) {sorted(unknown)}")

    def register(fn: Check) -> Check:
        if req_id in CHECKS:
            raise ValueError(f"two checks registered for {req_id}")
        CHECKS[req_id] = fn
        NEEDS[req_id] = needs
        return fn

    return register


def supplement(req_id: str) -> Callable[[Callable[[Snapshot], list[Finding]]], Callable[[Snapshot], list[Finding]]]:
    """Register more findings for `req_id` (kept beside, not inside, the requirement's own check)."""

    def register(fn: Callable[[Snapshot], list[Finding]]) -> Callable[[Snapshot], list[Finding]]:
        SUPPLEMENTS.setdefault(req_id, []).append(fn)
        return fn

    return register


def not_evaluated(req_id: str, reason: str, owner: str | None = None) -> Verdict:
    """A requirement that cannot be judged because something it needs is missing (reported by `owner`)."""
    why = f"{NOT_EVALUATED}: {reason}" + (f" ({owner})" if owner else "")
    evidence: dict[str, Any] = {NOT_EVALUATED: reason}
    if owner:
        evidence["depends on"] = owner
    return not_applicable(req_id, why, evidence)


def is_not_evaluated(v: Verdict) -> bool:
    return v.status is Status.NOT_APPLICABLE and NOT_EVALUATED in v.evidence


def depends_on(v: Verdict) -> str | None:
    owner = v.evidence.get("depends on") if is_not_evaluated(v) else None
    return str(owner) if owner else None


def _with_findings(v: Verdict, extra: list[Finding]) -> Verdict:
    if not extra:
        return v
    findings = (*v.findings, *(f for f in extra if f not in v.findings))
    return Verdict(v.requirement, Status.FAILED, findings, v.evidence, v.notes)


def _missing_anchor(req_id: str, snap: Snapshot) -> Verdict | None:
    for need in NEEDS.get(req_id, ()):
        anchor = ANCHORS[need]
        if anchor.owner != req_id and not anchor.present(snap):
            return not_evaluated(req_id, anchor.missing(snap), anchor.owner)
    return None


def _judge(req_id: str, snap: Snapshot) -> Verdict:
    missing = _missing_anchor(req_id, snap)
    if missing is not None:
        return missing
    v = CHECKS[req_id](snap)
    extra = [f for fn in SUPPLEMENTS.get(req_id, []) for f in fn(snap)]
    extra += [f for rid, f in snap.load_findings if rid == req_id]
    return _with_findings(v, extra)


_TYPE_PROBLEM = "expected "


def _schema_type_problems(schema: Verdict, snap: Snapshot) -> dict[str, list[tuple[str | int, ...]]]:
    """object ref -> field paths whose type breaks the schema (their subtrees cannot be judged)."""
    from minio_conformance.objects import ref

    by_ref = {ref(o): o for o in snap.objects}
    out: dict[str, list[tuple[str | int, ...]]] = {}
    for f in schema.findings:
        if f.message.startswith(_TYPE_PROBLEM) and f.object_ref in by_ref:
            out.setdefault(f.object_ref, []).append(resolve_path(by_ref[f.object_ref], f.path))
    return out


def _under(path: tuple[str | int, ...], broken: list[tuple[str | int, ...]]) -> bool:
    return any(path[: len(b)] == b for b in broken)


def _decascade(v: Verdict, broken: dict[str, list[tuple[str | int, ...]]], snap: Snapshot) -> Verdict:
    """Drop findings under fields SCH-1 already reports as the wrong type."""
    if not broken or v.status is not Status.FAILED:
        return v
    from minio_conformance.objects import refers_to

    kept = []
    for f in v.findings:
        obj = next((o for o in snap.objects if f.object_ref and refers_to(o, f.object_ref)), None)
        refs = [r for r in broken if obj is not None and refers_to(obj, r)]
        if obj is not None and refs and _under(resolve_path(obj, f.path), [p for r in refs for p in broken[r]]):
            continue
        kept.append(f)
    if kept:
        return Verdict(v.requirement, v.status, tuple(kept), v.evidence, v.notes)
    return not_evaluated(v.requirement, "the fields it reads have the wrong type", "SCH-1")


def run_all(snap: Snapshot) -> dict[str, Verdict]:
    """Every registered check, without cascades (see the module docstring)."""
    verdicts: dict[str, Verdict] = {}
    schema = _judge("SCH-1", snap) if "SCH-1" in CHECKS else None
    broken = _schema_type_problems(schema, snap) if schema is not None else {}
    for req_id in sorted(CHECKS):
        if req_id == "SCH-1" and schema is not None:
            verdicts[req_id] = schema
            continue
        try:
            v = _judge(req_id, snap)
        except (TypeError, AttributeError, KeyError, ValueError, IndexError):
            if schema is None or schema.passed:
                raise
            v = not_evaluated(req_id, "its objects break the API schema", "SCH-1")
        verdicts[req_id] = _decascade(v, broken, snap)
    return verdicts


_last: list[tuple[Snapshot, dict[str, Verdict]]] = []


def run_check(req_id: str, snapshot: Snapshot) -> Verdict:
    """The verdict of one requirement, judged with all the others (so without cascades)."""
    if not (_last and _last[0][0] is snapshot):
        _last[:] = [(snapshot, run_all(snapshot))]
    return _last[0][1][req_id]


def _load_families() -> None:
    # Imported for their registrations.
    from minio_conformance.checks import (  # noqa: F401
        credentials,
        encoding,
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
