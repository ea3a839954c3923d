"""The documented derivations from cluster topology (000 §2, §6, §8)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import NAMESPACE, dig, maps, name

CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane"
HEADLESS_SERVICE = "minio-headless"
STATEFULSET = "minio"
CONSOLE_ADDRESS = ":9001"
# The schedulable node counts the conformance matrix proves: standalone, basic and full distributed.
NODE_COUNTS = (1, 2, 4)


class Mode(StrEnum):
    STANDALONE = "standalone"
    BASIC_DISTRIBUTED = "basic-distributed"
    FULL_DISTRIBUTED = "full-distributed"


def is_schedulable(node: Mapping[str, Any]) -> bool:
    """A node is schedulable unless it carries the control-plane NoSchedule taint (000 §2)."""
    for taint in maps(dig(node, "spec", "taints")):
        if taint.get("key") == CONTROL_PLANE_TAINT and taint.get("effect") == "NoSchedule":
            return False
    return True


def schedulable_nodes(nodes: Iterable[Mapping[str, Any]]) -> list[str]:
    """Names of schedulable nodes, sorted (as `kubectl get nodes` lists them)."""
    return sorted(name(n) for n in nodes if isinstance(n, Mapping) and is_schedulable(n))


def replicas_for(schedulable_count: int) -> int:
    """1 -> 1, 2 -> 2, 3+ -> one per node. Zero schedulable nodes cannot host MinIO."""
    if schedulable_count < 1:
        raise ValueError("no schedulable node: every node carries the control-plane NoSchedule taint")
    return schedulable_count


def mode_for(replicas: int) -> Mode:
    if replicas == 1:
        return Mode.STANDALONE
    if replicas == 2:
        return Mode.BASIC_DISTRIBUTED
    return Mode.FULL_DISTRIBUTED


def pod_host(index: int, namespace: str = NAMESPACE, names: Names = DOCUMENTED) -> str:
    return names.pod_host(index, namespace)


def pod_url(index: int, namespace: str = NAMESPACE, names: Names = DOCUMENTED) -> str:
    return f"http://{pod_host(index, namespace, names)}/data"


def server_endpoints(replicas: int, namespace: str = NAMESPACE, names: Names = DOCUMENTED) -> list[str]:
    """What MinIO serves for a replica count: `/data` alone, or every pod's URL (000 §8)."""
    if mode_for(replicas) is Mode.STANDALONE:
        return ["/data"]
    return [pod_url(i, namespace, names) for i in range(replicas)]


def server_args(replicas: int, namespace: str = NAMESPACE, names: Names = DOCUMENTED) -> list[str]:
    """The documented server arguments for a replica count (000 §8)."""
    endpoints = server_endpoints(replicas, namespace, names)
    if mode_for(replicas) is Mode.STANDALONE:
        return ["server", *endpoints, "--console-address", CONSOLE_ADDRESS]
    return ["server", "--console-address", CONSOLE_ADDRESS, *endpoints]


@dataclass(frozen=True)
class ErasureProfile:
    """MinIO's default erasure-coding layout for one erasure set of `drives` drives.

    Default parity (storage class STANDARD): EC:0 for 1 drive, EC:1 for 2-3, EC:2 for
    4-5, EC:3 for 6-7, EC:4 for 8+. Reads need the data shards; writes need the data
    shards, plus one when parity is exactly half the set.
    """

    drives: int

    @property
    def parity(self) -> int:
        d = self.drives
        if d <= 1:
            return 0
        if d <= 3:
            return 1
        if d <= 5:
            return 2
        if d <= 7:
            return 3
        return 4

    @property
    def data_shards(self) -> int:
        return self.drives - self.parity

    @property
    def read_quorum(self) -> int:
        return self.data_shards

    @property
    def write_quorum(self) -> int:
        return self.data_shards + (1 if self.parity == self.data_shards else 0)

    def readable_with(self, lost: int) -> bool:
        return self.drives - lost >= self.read_quorum

    def writable_with(self, lost: int) -> bool:
        return self.drives - lost >= self.write_quorum

    @property
    def max_unavailable_keeping_writes(self) -> int:
        return self.drives - self.write_quorum
