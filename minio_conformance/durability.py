"""The model of the durability scenarios: what MinIO's erasure-coding rules predict when drives
go away, and the shapes of what a scenario records (objects written, read passes, observations).

The expectation for every scenario is derived from ErasureProfile (default parity
EC:0 for 1 drive, EC:1 for 2-3, EC:2 for 4-5; reads need the data shards; writes need
them too, plus one when parity is exactly half the set), never written by hand. The judges of
what happened live in `minio_conformance/checks/durability.py` (and `checks/upgrade.py` for UPG).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from minio_conformance.topology import ErasureProfile

INTACT = "intact"


@dataclass(frozen=True)
class Expectation:
    drives: int
    lost: int
    reads: bool
    writes: bool

    @property
    def profile(self) -> ErasureProfile:
        return ErasureProfile(self.drives)

    def statement(self) -> str:
        p = self.profile
        return (
            f"{self.drives} drive(s) (EC:{p.parity}; read quorum {p.read_quorum}, write quorum {p.write_quorum}), "
            f"{self.lost} lost: reads {'succeed' if self.reads else 'fail'}, "
            f"writes {'succeed' if self.writes else 'are refused'}"
        )


def expect(drives: int, lost: int) -> Expectation:
    p = ErasureProfile(drives)
    return Expectation(drives, lost, p.readable_with(lost), p.writable_with(lost))


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str
    writer: str
    multipart: bool = False


@dataclass
class ReadPass:
    """Per object: INTACT, "corrupt", or the error; and each read's latency in seconds."""

    results: dict[str, str] = field(default_factory=dict)
    latency: dict[str, float] = field(default_factory=dict)

    @property
    def intact(self) -> list[str]:
        return [k for k, v in self.results.items() if v == INTACT]

    @property
    def failed(self) -> dict[str, str]:
        return {k: v for k, v in self.results.items() if v != INTACT}

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latency.values())
        return {
            "objects": len(self.results),
            "intact": len(self.intact),
            "failed": self.failed,
            "latency max s": round(lat[-1], 3) if lat else None,
            "latency median s": round(lat[len(lat) // 2], 3) if lat else None,
        }


@dataclass
class Observation:
    """What one degraded state looked like."""

    reads: ReadPass
    write: str  # "ok" or the error
    health: Mapping[str, int | str]  # {"write": status, "read": status} from /minio/health/cluster[/read]


# PRB-4's frozen process (SIGSTOP, restarted by liveness) is judged on this leg only: the kubelet's
# liveness probe and the endpoints controller act on one container, whatever the node count.
FROZEN_PROCESS_NODES = 1
