"""Fill a template manifest set's placeholders for a given list of nodes.

000 derives at deploy time: the replica count and the server arguments from the number of
schedulable nodes (§2, §8), one PV per schedulable node pinned by hostname (§6), and the
credentials (§3). In a template every such value is an explicit placeholder, and the renderer
fills exactly those and nothing else; a value written in a file is never rewritten.

Placeholders (ours only where they are used; any other `${...}`, such as a shell variable in a
ConfigMap's script, is left as written):

| placeholder | where | becomes |
| --- | --- | --- |
| `${INDEX}`, `${NODE_NAME}` | a PersistentVolume | one copy per schedulable node: its ordinal and name |
| `${MINIO_ACCESS_KEY}`, `${MINIO_SECRET_KEY}` | a Secret | the credentials (base64 under `data`) |
| `${MINIO_REPLICAS}` | a StatefulSet | the replica count (000 §2) |
| `${MINIO_SERVER_ARGS}` | a StatefulSet container's `args` | `server ... --console-address :9001` (000 §8) |
| `${MINIO_VOLUMES}` | an item of such `args` | the endpoints alone: `/data`, or every pod's URL |
| `${MINIO_MAX_UNAVAILABLE}` | a PodDisruptionBudget | drives minus MinIO's write quorum |

A whole-value placeholder takes the value's type (`replicas: ${MINIO_REPLICAS}` is a number).
"""

from __future__ import annotations

import base64
import copy
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from minio_conformance.manifests import ManifestSet, SourceDocument, placeholders
from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import dig, kind, maps, name, namespace
from minio_conformance.topology import (
    CONSOLE_ADDRESS,
    ErasureProfile,
    Mode,
    mode_for,
    replicas_for,
    schedulable_nodes,
    server_args,
    server_endpoints,
)

PLACEHOLDER_RE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
PLACEHOLDER_WHOLE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
PV_PLACEHOLDERS = frozenset({"INDEX", "NODE_NAME"})
CREDENTIAL_PLACEHOLDERS = {"MINIO_ACCESS_KEY": "access_key", "MINIO_SECRET_KEY": "secret_key"}
STATEFULSET_PLACEHOLDERS = frozenset({"MINIO_REPLICAS", "MINIO_SERVER_ARGS", "MINIO_VOLUMES"})
PDB_PLACEHOLDERS = frozenset({"MINIO_MAX_UNAVAILABLE"})
TOPOLOGY_PLACEHOLDERS = PV_PLACEHOLDERS | STATEFULSET_PLACEHOLDERS | PDB_PLACEHOLDERS
DERIVE_ANNOTATION = "minio-conformance.io/derive"
MINIO_CONTAINER = "minio"
STORAGE_PREP = "minio-storage-prep"


def ours(doc_kind: str, used: set[str]) -> set[str]:
    """The placeholders among `used` that the renderer fills in an object of `doc_kind`."""
    if doc_kind == "PersistentVolume":
        return used & PV_PLACEHOLDERS
    if doc_kind == "Secret":
        return used & set(CREDENTIAL_PLACEHOLDERS)
    if doc_kind == "StatefulSet":
        return used & STATEFULSET_PLACEHOLDERS
    if doc_kind == "PodDisruptionBudget":
        return used & PDB_PLACEHOLDERS
    return set()


def template_placeholders(manifests: ManifestSet) -> set[str]:
    """Every placeholder of ours the set uses."""
    return {p for d in manifests.documents for p in ours(kind(d.obj), placeholders(d.obj))}


def is_topology_template(manifests: ManifestSet) -> bool:
    """True when the set derives its topology at deploy time (a PV template or derived replicas)."""
    return bool(template_placeholders(manifests) & TOPOLOGY_PLACEHOLDERS)


@dataclass(frozen=True)
class Credentials:
    """MinIO root credentials. repr() never shows the values."""

    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)

    @classmethod
    def generate(cls) -> Credentials:
        return cls(access_key="mc" + secrets.token_hex(9), secret_key=secrets.token_urlsafe(30))

    def values(self) -> tuple[str, str]:
        return (self.access_key, self.secret_key)


@dataclass(frozen=True)
class ImageOverrides:
    """Images that replace the manifests' own (e.g. locally built ones for offline runs)."""

    minio: str | None = None
    helper: str | None = None


@dataclass(frozen=True)
class RenderedObject:
    """One object to apply, where it came from, and how its lists were spliced by `${MINIO_VOLUMES}`.

    `splices` maps a list's field path to (index, items inserted in place of one): a rendered
    path's index past that point is `inserted - 1` further than in the file.
    """

    obj: Mapping[str, Any]
    origin: str
    source: SourceDocument | None = field(default=None, compare=False, repr=False)
    splices: Mapping[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def source_path(self, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
        """The field path in the file that `path` (in the rendered object) was rendered from."""
        out: list[str | int] = []
        for step in path:
            splice = self.splices.get(tuple(out))
            if splice is not None and isinstance(step, int):
                at, inserted = splice
                if at <= step < at + inserted:
                    step = at
                elif step >= at + inserted:
                    step -= inserted - 1
            out.append(step)
        return tuple(out)


@dataclass(frozen=True)
class RenderedDeployment:
    """The objects to apply, in apply order, and the topology they were derived for."""

    rendered: tuple[RenderedObject, ...]
    nodes: tuple[Mapping[str, Any], ...]
    schedulable: tuple[str, ...]
    replicas: int

    @property
    def objects(self) -> list[Mapping[str, Any]]:
        return [r.obj for r in self.rendered]

    @property
    def mode(self) -> Mode:
        return mode_for(self.replicas)

    @property
    def erasure(self) -> ErasureProfile:
        return ErasureProfile(self.replicas)

    def origin_of(self, obj: Mapping[str, Any]) -> str:
        for r in self.rendered:
            if r.obj is obj:
                return r.origin
        return ""


def derive_endpoints(old_args: Sequence[str], replicas: int, ns: str, names: Names = DOCUMENTED) -> list[str]:
    """Server args with the endpoint arguments derived for `replicas` (kept for callers of the old renderer).

    Flags such as --console-address are kept as written; standalone serves `/data` right after
    `server`, distributed mode lists every pod's URL at the end.
    """
    kept = [a for a in old_args if not a.startswith(("http://", "https://", "/"))]
    endpoints = server_endpoints(replicas, ns, names)
    if mode_for(replicas) is Mode.STANDALONE:
        at = kept.index("server") + 1 if "server" in kept else 0
        return [*kept[:at], *endpoints, *kept[at:]]
    return kept + endpoints


@dataclass
class _Fill:
    """The values of our placeholders for one rendering of one object."""

    text: dict[str, str]
    typed: dict[str, Any]
    spliced: dict[str, list[Any]]
    splices: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)


def _fill(value: Any, fill: _Fill, path: tuple[str | int, ...] = ()) -> Any:
    if isinstance(value, str):
        whole = PLACEHOLDER_WHOLE.fullmatch(value)
        if whole and whole.group(1) in fill.typed:
            return copy.deepcopy(fill.typed[whole.group(1)])
        return PLACEHOLDER_RE.sub(lambda m: fill.text.get(m.group(1), m.group(0)), value)
    if isinstance(value, Mapping):
        return {k: _fill(v, fill, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            whole = PLACEHOLDER_WHOLE.fullmatch(item) if isinstance(item, str) else None
            if whole and whole.group(1) in fill.spliced:
                items = fill.spliced[whole.group(1)]
                fill.splices[path] = (len(out), len(items))
                out.extend(items)
            else:
                out.append(_fill(item, fill, (*path, len(out))))
        return out
    return value


def _render_secret(obj: Mapping[str, Any], credentials: Credentials) -> dict[str, Any]:
    values = {ph: getattr(credentials, attr) for ph, attr in CREDENTIAL_PLACEHOLDERS.items()}
    out = dict(obj)
    for field_name, encode in (("stringData", False), ("data", True)):
        payload = obj.get(field_name)
        if not isinstance(payload, Mapping):
            continue
        filled: dict[str, Any] = {}
        for key, value in payload.items():
            if isinstance(value, str):
                text = PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), value)
                if encode and text != value:
                    text = base64.b64encode(text.encode()).decode()
                filled[key] = text
            else:
                filled[key] = value
        out[field_name] = filled
    return copy.deepcopy(out)


def _statefulset_fill(obj: Mapping[str, Any], replicas: int, names: Names) -> _Fill:
    ns = namespace(obj) or names.namespace
    return _Fill(
        {"MINIO_REPLICAS": str(replicas)},
        {"MINIO_REPLICAS": replicas, "MINIO_SERVER_ARGS": server_args(replicas, ns, names)},
        {"MINIO_VOLUMES": server_endpoints(replicas, ns, names)},
    )


def _pdb_fill(replicas: int) -> _Fill:
    budget = ErasureProfile(replicas).max_unavailable_keeping_writes
    return _Fill({"MINIO_MAX_UNAVAILABLE": str(budget)}, {"MINIO_MAX_UNAVAILABLE": budget}, {})


def render(
    manifests: ManifestSet,
    nodes: Sequence[Mapping[str, Any]],
    credentials: Credentials,
    images: ImageOverrides = ImageOverrides(),
    *,
    names: Names = DOCUMENTED,
) -> RenderedDeployment:
    """Render `manifests` for a cluster whose Node objects are `nodes` (see the module docstring)."""
    schedulable = schedulable_nodes(nodes)
    replicas = replicas_for(len(schedulable))
    out: list[RenderedObject] = []
    for doc in manifests.documents:
        doc_kind = kind(doc.obj)
        used = ours(doc_kind, placeholders(doc.obj))
        if doc_kind == "PersistentVolume" and used:
            for i, node in enumerate(schedulable):
                fill = _Fill({"INDEX": str(i), "NODE_NAME": node}, {}, {})
                out.append(RenderedObject(_fill(doc.obj, fill), f"{doc.origin}[{node}]", doc))
            continue
        splices: dict[tuple[str | int, ...], tuple[int, int]] = {}
        if doc_kind == "Secret" and used:
            obj: dict[str, Any] = _render_secret(doc.obj, credentials)
        elif doc_kind == "StatefulSet" and used:
            fill = _statefulset_fill(doc.obj, replicas, names)
            obj = _fill(doc.obj, fill)
            splices = fill.splices
        elif doc_kind == "PodDisruptionBudget" and used:
            obj = _fill(doc.obj, _pdb_fill(replicas))
        else:
            obj = copy.deepcopy(dict(doc.obj))
        if doc_kind == "StatefulSet" and name(obj) == names.statefulset and images.minio:
            for container in maps(dig(obj, "spec", "template", "spec", "containers")):
                if container.get("name") == names.container:
                    container["image"] = images.minio  # type: ignore[index]
        elif doc_kind == "DaemonSet" and name(obj) == names.storage_prep and images.helper:
            for container in maps(dig(obj, "spec", "template", "spec", "containers")):
                container["image"] = images.helper  # type: ignore[index]
        out.append(RenderedObject(obj, doc.origin, doc, splices))
    return RenderedDeployment(tuple(out), tuple(nodes), tuple(schedulable), replicas)


__all__ = [
    "CONSOLE_ADDRESS",
    "Credentials",
    "ImageOverrides",
    "RenderedDeployment",
    "RenderedObject",
    "derive_endpoints",
    "is_topology_template",
    "render",
    "template_placeholders",
]
