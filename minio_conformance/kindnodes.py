"""Node objects shaped like those of a kind cluster, for the static tier.

kind names nodes predictably (`<cluster>-control-plane`, `<cluster>-worker`,
`<cluster>-worker2`, ...). A 1-node cluster has a single untainted control plane;
with workers, the control plane keeps its NoSchedule taint.
"""

from __future__ import annotations

from typing import Any

from minio_conformance.topology import CONTROL_PLANE_TAINT


def cluster_name(schedulable: int, lane: str = "") -> str:
    """The kind cluster of a leg; a lane (e.g. `upgrade`) gives a second cluster of the same size its own name."""
    return f"minio-conformance-{schedulable}n" + (f"-{lane}" if lane else "")


def node_names(cluster: str, schedulable: int) -> tuple[str, list[str]]:
    """(control-plane name, worker names) for a cluster of `schedulable` schedulable nodes."""
    control_plane = f"{cluster}-control-plane"
    if schedulable == 1:
        return control_plane, []
    workers = [f"{cluster}-worker" + (str(i + 1) if i else "") for i in range(schedulable)]
    return control_plane, workers


def _node(node_name: str, *, control_plane: bool, tainted: bool) -> dict[str, Any]:
    node_labels = {"kubernetes.io/hostname": node_name, "kubernetes.io/os": "linux"}
    if control_plane:
        node_labels["node-role.kubernetes.io/control-plane"] = ""
    spec: dict[str, Any] = {}
    if tainted:
        spec["taints"] = [{"key": CONTROL_PLANE_TAINT, "effect": "NoSchedule"}]
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": node_name, "labels": node_labels}, "spec": spec}


def kind_nodes(schedulable: int, cluster: str | None = None) -> list[dict[str, Any]]:
    """Node objects of a kind cluster with `schedulable` schedulable nodes."""
    if schedulable < 1:
        raise ValueError("a kind cluster has at least one schedulable node")
    cp, workers = node_names(cluster or cluster_name(schedulable), schedulable)
    if not workers:
        return [_node(cp, control_plane=True, tainted=False)]
    return [_node(cp, control_plane=True, tainted=True)] + [
        _node(w, control_plane=False, tainted=False) for w in workers
    ]
