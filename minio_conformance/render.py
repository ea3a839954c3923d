"""Apply the documented derivations to a manifest set for a given list of nodes.

000 derives at deploy time: the replica count and the server arguments from the
number of schedulable nodes (§2, §8), and one PV per schedulable node pinned by
hostname (§6). The renderer does exactly that and nothing else, so every other
property of the manifests reaches the checks unchanged.
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from minio_conformance.manifests import ManifestError, ManifestSet, SourceDocument, placeholders, substitute
from minio_conformance.objects import dig, kind, name, namespace
from minio_conformance.topology import (
    CONSOLE_ADDRESS,
    STATEFULSET,
    ErasureProfile,
    Mode,
    mode_for,
    pod_host,
    replicas_for,
    schedulable_nodes,
)

PV_PLACEHOLDERS = frozenset({"INDEX", "NODE_NAME"})
CREDENTIAL_PLACEHOLDERS = {"MINIO_ACCESS_KEY": "access_key", "MINIO_SECRET_KEY": "secret_key"}
DERIVE_ANNOTATION = "minio-conformance.io/derive"
MINIO_CONTAINER = "minio"
STORAGE_PREP = "minio-storage-prep"
_ENDPOINT = re.compile(r"^(https?://|/)")


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
    obj: Mapping[str, Any]
    origin: str


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


def derive_endpoints(old_args: Sequence[str], replicas: int, ns: str) -> list[str]:
    """Server args with the endpoint arguments re-derived for `replicas`.

    Flags such as --console-address are kept as written; the endpoint form (explicit
    list or `{0...N-1}`, with or without a port) follows what the manifest used.
    """
    kept = [a for a in old_args if not _ENDPOINT.match(a)]
    old_urls = [a for a in old_args if a.startswith(("http://", "https://"))]
    if mode_for(replicas) is Mode.STANDALONE:
        at = kept.index("server") + 1 if "server" in kept else 0
        return [*kept[:at], "/data", *kept[at:]]
    scheme, port, ellipsis, path = "http", "", False, "/data"
    if old_urls:
        m = re.match(r"^(https?)://([^/]+)(/.*)?$", old_urls[0])
        if m:
            scheme, host, path = m.group(1), m.group(2), m.group(3) or "/data"
            ellipsis = "{0..." in host
            if re.search(r":\d+$", host):
                port = ":" + host.rsplit(":", 1)[1]
    if ellipsis:
        host = pod_host(0, ns).replace(f"{STATEFULSET}-0.", f"{STATEFULSET}-{{0...{replicas - 1}}}.", 1)
        urls = [f"{scheme}://{host}{port}{path}"]
    else:
        urls = [f"{scheme}://{pod_host(i, ns)}{port}{path}" for i in range(replicas)]
    return kept + urls


def _render_statefulset(obj: dict[str, Any], replicas: int, images: ImageOverrides) -> None:
    obj.setdefault("spec", {})["replicas"] = replicas
    ns = namespace(obj) or "minio-system"
    for container in dig(obj, "spec", "template", "spec", "containers", default=[]):
        if container.get("name") != MINIO_CONTAINER:
            continue
        container["args"] = derive_endpoints(container.get("args") or [], replicas, ns)
        if images.minio:
            container["image"] = images.minio


def _render_pdb(obj: dict[str, Any], replicas: int) -> None:
    if dig(obj, "metadata", "annotations", DERIVE_ANNOTATION) == "maxUnavailable":
        obj.setdefault("spec", {})["maxUnavailable"] = ErasureProfile(replicas).max_unavailable_keeping_writes


def _expand_pv_template(doc: SourceDocument, nodes: Sequence[str]) -> list[RenderedObject]:
    return [
        RenderedObject(substitute(doc.obj, {"INDEX": str(i), "NODE_NAME": node}), f"{doc.origin}[{node}]")
        for i, node in enumerate(nodes)
    ]


def render(
    manifests: ManifestSet,
    nodes: Sequence[Mapping[str, Any]],
    credentials: Credentials,
    images: ImageOverrides = ImageOverrides(),
) -> RenderedDeployment:
    """Render `manifests` for a cluster whose Node objects are `nodes`."""
    schedulable = schedulable_nodes(nodes)
    replicas = replicas_for(len(schedulable))
    cred_values = {ph: getattr(credentials, attr) for ph, attr in CREDENTIAL_PLACEHOLDERS.items()}
    out: list[RenderedObject] = []
    for doc in manifests.documents:
        used = placeholders(doc.obj)
        if kind(doc.obj) == "PersistentVolume" and used & PV_PLACEHOLDERS:
            unknown = used - PV_PLACEHOLDERS
            if unknown:
                raise ManifestError(f"{doc.origin}: unknown placeholder(s) {sorted(unknown)} in PV template")
            out.extend(_expand_pv_template(doc, schedulable))
            continue
        unknown = used - set(cred_values)
        if unknown:
            raise ManifestError(f"{doc.origin}: unknown placeholder(s) {sorted(unknown)}")
        obj: dict[str, Any] = copy.deepcopy(dict(substitute(doc.obj, cred_values) if used else doc.obj))
        if kind(obj) == "StatefulSet" and name(obj) == STATEFULSET:
            _render_statefulset(obj, replicas, images)
        elif kind(obj) == "PodDisruptionBudget":
            _render_pdb(obj, replicas)
        elif kind(obj) == "DaemonSet" and name(obj) == STORAGE_PREP and images.helper:
            for container in dig(obj, "spec", "template", "spec", "containers", default=[]):
                container["image"] = images.helper
        out.append(RenderedObject(obj, doc.origin))
    return RenderedDeployment(tuple(out), tuple(nodes), tuple(schedulable), replicas)


__all__ = [
    "CONSOLE_ADDRESS",
    "Credentials",
    "ImageOverrides",
    "RenderedDeployment",
    "RenderedObject",
    "derive_endpoints",
    "render",
]
