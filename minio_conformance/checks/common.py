"""Lookups and finding shapes shared by the check families (static and live judges alike)."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import dig, dig_list, kind, labels, maps, name, of_kind
from minio_conformance.verdict import Finding

Obj = Mapping[str, Any]

SHELLS = frozenset({"sh", "bash", "ash", "dash", "/bin/sh", "/bin/bash", "/usr/bin/env"})


@dataclass(frozen=True)
class Deviation(Finding):
    """A finding about a value that differs from the documented one.

    `expected` and `found` are short descriptions, never a credential: a finding about a secret
    value says what kind of value was found, not the value.
    """

    expected: str = ""
    found: str = ""

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} (expected {self.expected}, found {self.found})" if self.expected or self.found else base


def shown(value: Any, limit: int = 60) -> str:
    """A value as a finding shows it: short, one line."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else repr(value) if not isinstance(value, int | float) else str(value)
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def statefulset_ref(names: Names = DOCUMENTED) -> str:
    return f"StatefulSet {names.statefulset}"


def minio_statefulset(objects: Sequence[Mapping[str, Any]], names: Names = DOCUMENTED) -> Mapping[str, Any] | None:
    for obj in of_kind(objects, "StatefulSet"):
        if name(obj) == names.statefulset:
            return obj
    return None


def minio_container(sts: Mapping[str, Any], names: Names = DOCUMENTED) -> Mapping[str, Any] | None:
    cs = maps(dig(sts, "spec", "template", "spec", "containers"))
    for c in cs:
        if c.get("name") == names.container:
            return c
    return cs[0] if len(cs) == 1 else None


def container_path(sts: Mapping[str, Any], container: Mapping[str, Any]) -> str:
    """The field path of `container` in the StatefulSet (by name when it has one)."""
    cname = container.get("name")
    if isinstance(cname, str) and cname:
        return f"spec.template.spec.containers[{cname}]"
    for i, c in enumerate(dig_list(sts, "spec", "template", "spec", "containers")):
        if c is container:
            return f"spec.template.spec.containers[{i}]"
    return "spec.template.spec.containers"


def missing_statefulset(objects: Sequence[Mapping[str, Any]], names: Names = DOCUMENTED) -> Finding:
    others = [name(o) for o in of_kind(objects, "StatefulSet")]
    hint = (
        f"; the set has StatefulSet {', '.join(others)}: if it is MinIO, state its name in the config file"
        f" (statefulset: {others[0]})"
        if others
        else ""
    )
    return Finding(f"no StatefulSet named {names.statefulset} in the manifests{hint}", statefulset_ref(names))


def missing_container(sts: Mapping[str, Any], names: Names = DOCUMENTED) -> Finding:
    from minio_conformance.objects import ref

    present = [str(c.get("name")) for c in maps(dig(sts, "spec", "template", "spec", "containers"))]
    return Deviation(
        f"no container named {names.container} in the pod template",
        ref(sts),
        "spec.template.spec.containers",
        expected=f"a container named {names.container}",
        found=", ".join(present) or "no container",
    )


def minio_pvs(objects: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [pv for pv in of_kind(objects, "PersistentVolume") if labels(pv).get("app") == "minio"]


def pv_pinned_nodes(pv: Mapping[str, Any]) -> list[str] | None:
    """Hostnames a PV is pinned to by required nodeAffinity, or None when not pinned that way."""
    terms = maps(dig(pv, "spec", "nodeAffinity", "required", "nodeSelectorTerms"))
    pinned: list[str] = []
    found = False
    for term in terms:
        for expr in maps(term.get("matchExpressions")):
            if expr.get("key") == "kubernetes.io/hostname" and expr.get("operator") == "In":
                values = expr.get("values")
                if isinstance(values, list):
                    pinned.extend(str(v) for v in values if isinstance(v, str))
                found = True
    return pinned if found else None


def storage_prep(objects: Sequence[Mapping[str, Any]], names: Names = DOCUMENTED) -> Mapping[str, Any] | None:
    for obj in of_kind(objects, "DaemonSet"):
        if name(obj) == names.storage_prep:
            return obj
    return None


def is_kind(obj: Mapping[str, Any], *kinds: str) -> bool:
    return kind(obj) in kinds


def strings(value: Any) -> list[str]:
    """A command or args list as strings (nothing when it is not a list)."""
    return [str(v) for v in value if isinstance(v, str | int | float)] if isinstance(value, list) else []


def server_invocation(container: Mapping[str, Any]) -> tuple[list[str], list[str], bool]:
    """(command, args) as MinIO receives them, and whether they were read out of a shell script.

    A container that runs `sh -c "... minio server ..."` (as Helm charts do) has its server
    arguments in the script; they are read from there so that they can be judged too.
    """
    command, args = strings(container.get("command")), strings(container.get("args"))
    if command and command[0] in SHELLS:
        script_at = next((i for i, a in enumerate([*command, *args]) if a.startswith("-") and "c" in a[1:]), None)
        words = [*command, *args]
        if script_at is not None and script_at + 1 < len(words):
            try:
                tokens = shlex.split(words[script_at + 1], comments=True)
            except ValueError:
                return command, args, False
            for i, token in enumerate(tokens):
                if token.rsplit("/", 1)[-1] == "minio" and i + 1 < len(tokens) and tokens[i + 1] == "server":
                    rest = tokens[i + 1 :]
                    for sep in ("&&", ";", "||", "|"):
                        if sep in rest:
                            rest = rest[: rest.index(sep)]
                    return ["minio"], rest, True
    return command, args, False


def ordinal(pod_name: str) -> int:
    """The StatefulSet ordinal of a pod name (`minio-3` -> 3)."""
    return int(pod_name.rsplit("-", 1)[1])


def slice_addresses(slices: Sequence[Obj], service: str, ready_only: bool = True) -> set[str]:
    """The endpoint addresses the EndpointSlices of `service` list (only ready ones by default)."""
    out: set[str] = set()
    for s in slices:
        if labels(s).get("kubernetes.io/service-name") != service:
            continue
        for ep in s.get("endpoints") or []:
            if ready_only and dig(ep, "conditions", "ready") is False:
                continue
            out.update(ep.get("addresses") or [])
    return out


def pvcs(objects: Sequence[Obj]) -> list[Obj]:
    """The PersistentVolumeClaims among `objects`."""
    return of_kind(objects, "PersistentVolumeClaim")
