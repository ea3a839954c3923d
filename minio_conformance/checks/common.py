"""Lookups shared by the check families."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.objects import dig, kind, labels, of_kind
from minio_conformance.render import MINIO_CONTAINER, STORAGE_PREP
from minio_conformance.topology import STATEFULSET
from minio_conformance.verdict import Finding

STATEFULSET_REF = f"StatefulSet {STATEFULSET}"


def minio_statefulset(objects: tuple[Mapping[str, Any], ...]) -> Mapping[str, Any] | None:
    for obj in of_kind(objects, "StatefulSet"):
        if dig(obj, "metadata", "name") == STATEFULSET:
            return obj
    return None


def minio_container(sts: Mapping[str, Any]) -> Mapping[str, Any] | None:
    cs: list[Mapping[str, Any]] = list(dig(sts, "spec", "template", "spec", "containers", default=[]))
    for c in cs:
        if c.get("name") == MINIO_CONTAINER:
            return c
    return cs[0] if len(cs) == 1 else None


def missing_statefulset() -> Finding:
    return Finding("no StatefulSet named minio in the manifests", STATEFULSET_REF)


def missing_container(ref: str) -> Finding:
    return Finding("no container named minio in the pod template", ref, "spec.template.spec.containers")


def minio_pvs(objects: tuple[Mapping[str, Any], ...]) -> list[Mapping[str, Any]]:
    return [pv for pv in of_kind(objects, "PersistentVolume") if labels(pv).get("app") == "minio"]


def pv_pinned_nodes(pv: Mapping[str, Any]) -> list[str] | None:
    """Hostnames a PV is pinned to by required nodeAffinity, or None when not pinned that way."""
    terms = dig(pv, "spec", "nodeAffinity", "required", "nodeSelectorTerms", default=[])
    pinned: list[str] = []
    found = False
    for term in terms:
        for expr in term.get("matchExpressions") or []:
            if expr.get("key") == "kubernetes.io/hostname" and expr.get("operator") == "In":
                pinned.extend(expr.get("values") or [])
                found = True
    return pinned if found else None


def storage_prep(objects: tuple[Mapping[str, Any], ...]) -> Mapping[str, Any] | None:
    for obj in of_kind(objects, "DaemonSet"):
        if dig(obj, "metadata", "name") == STORAGE_PREP:
            return obj
    return None


def is_kind(obj: Mapping[str, Any], *kinds: str) -> bool:
    return kind(obj) in kinds
