"""A concrete set's nodes mapped onto a cluster's nodes, one to one, for a deployment on kind.

A concrete set (no `${...}` topology placeholders) pins its PersistentVolumes to the team's own
nodes by hostname (`nodeAffinity`, `kubernetes.io/hostname In [...]`). Deployed on a kind cluster,
those nodes do not exist; the live tier then maps the set's node names, sorted, one to one onto
the cluster's schedulable nodes, sorted, and rewrites only those PV hostnames and the PVs' `node`
label where it names a mapped node, at deploy time (the static tier judges the files as written).
Pure: objects in, objects out.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from minio_conformance.manifests import ManifestSet
from minio_conformance.objects import dig, kind, maps
from minio_conformance.render import RenderedDeployment, is_topology_template

HOSTNAME_KEY = "kubernetes.io/hostname"
NODE_LABEL = "node"  # the documented PV label naming its node (000 §6, PV-1)


class NodeMapError(ValueError):
    """The set's nodes cannot be mapped onto the cluster's; the message is one line."""


def _hostname_expressions(pv: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    terms = maps(dig(pv, "spec", "nodeAffinity", "required", "nodeSelectorTerms"))
    return [
        expr
        for term in terms
        for expr in maps(term.get("matchExpressions"))
        if expr.get("key") == HOSTNAME_KEY and expr.get("operator") == "In"
    ]


def pv_nodes(objects: Iterable[Mapping[str, Any]]) -> list[str]:
    """The hostnames the set's PersistentVolumes are pinned to, sorted, each once."""
    found: set[str] = set()
    for obj in objects:
        if kind(obj) != "PersistentVolume":
            continue
        for expr in _hostname_expressions(obj):
            found.update(str(v) for v in expr.get("values") or [] if isinstance(v, str))
    return sorted(found)


def node_mapping(objects: Iterable[Mapping[str, Any]], cluster_nodes: Sequence[str]) -> dict[str, str]:
    """The set's PV nodes -> the cluster's nodes, or {} when every PV node is one of `cluster_nodes`.

    Sorted one to one; NodeMapError (one line) when the counts differ.
    """
    named = pv_nodes(objects)
    if not named or set(named) <= set(cluster_nodes):
        return {}
    if len(named) != len(cluster_nodes):
        raise NodeMapError(
            f"the set's PersistentVolumes name {len(named)} node(s) ({', '.join(named)}) that are not "
            f"all nodes of the cluster, which has {len(cluster_nodes)} schedulable node(s): they cannot "
            "be mapped one to one (run with --minio-nodes equal to the set's node count)"
        )
    return dict(zip(named, sorted(cluster_nodes), strict=True))


def map_objects(objects: Iterable[Mapping[str, Any]], mapping: Mapping[str, str]) -> list[Mapping[str, Any]]:
    """`objects` with every PV's hostname node affinity and `node` label renamed by `mapping` (others as they are)."""
    out: list[Mapping[str, Any]] = []
    for obj in objects:
        if kind(obj) != "PersistentVolume" or not mapping:
            out.append(obj)
            continue
        new = copy.deepcopy(dict(obj))
        for expr in _hostname_expressions(new):
            values = expr.get("values")
            if isinstance(values, list):
                values[:] = [mapping.get(v, v) if isinstance(v, str) else v for v in values]
        labels = (new.get("metadata") or {}).get("labels")
        if isinstance(labels, dict) and isinstance(labels.get(NODE_LABEL), str):
            labels[NODE_LABEL] = mapping.get(labels[NODE_LABEL], labels[NODE_LABEL])
        out.append(new)
    return out


def map_pv_nodes(rendered: RenderedDeployment, mapping: Mapping[str, str]) -> RenderedDeployment:
    """The rendered deployment with its PVs pinned to the mapped nodes (origins and sources kept)."""
    mapped = map_objects([r.obj for r in rendered.rendered], mapping)
    return dataclasses.replace(
        rendered, rendered=tuple(dataclasses.replace(r, obj=o) for r, o in zip(rendered.rendered, mapped, strict=True))
    )


def set_node_mapping(manifests: ManifestSet, cluster_nodes: Sequence[str]) -> dict[str, str]:
    """A concrete set's PV nodes -> `cluster_nodes`; {} for a template (rendered for the cluster itself) or a set
    already naming these nodes. NodeMapError (one line) when the counts differ."""
    if is_topology_template(manifests):
        return {}
    return node_mapping([d.obj for d in manifests.documents], cluster_nodes)
