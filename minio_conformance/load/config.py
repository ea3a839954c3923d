"""The team's gate configuration: its names, node counts and waivers.

`minio-conformance.yaml` beside the manifests (or `--config FILE`):

    namespace: storage            # every name defaults to the documented one
    statefulset: minio-cluster
    container: minio
    headless_service: minio-cluster-hl
    secret: minio-root
    secret_user_key: rootUser
    secret_password_key: rootPassword
    storage_class: local-nvme
    storage_prep: minio-storage-prep
    api_node_port: 30900
    console_node_port: 30901
    nodes: [1, 2, 4]              # node counts a template set is rendered for
    waivers:
      - id: STS-7
        reason: Parallel pod management, agreed with the storage team (TICKET-123)

A waiver names a requirement ID and a reason. Waived IDs are reported as waived in every
output, never as passed, and do not fail the gate. Every problem is one ConfigError line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minio_conformance.catalog import CATALOG
from minio_conformance.load.documents import DEFAULT_LIMITS, LoadError, Mark, parse_documents
from minio_conformance.load.sources import CONFIG_NAMES
from minio_conformance.names import DOCUMENTED, NAME_FIELDS, Names
from minio_conformance.topology import NODE_COUNTS

DEFAULT_NODE_COUNTS = NODE_COUNTS  # the documented matrix (minio_conformance/topology.py)
MAX_NODES = 64
_DNS_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_INT_FIELDS = {"api_node_port", "console_node_port"}
_KEY_FIELDS = {"secret_user_key", "secret_password_key"}


class ConfigError(LoadError):
    """A config file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Waiver:
    id: str
    reason: str


@dataclass(frozen=True)
class GateConfig:
    names: Names = DOCUMENTED
    nodes: tuple[int, ...] = DEFAULT_NODE_COUNTS
    waivers: tuple[Waiver, ...] = ()
    path: str | None = None

    def waiver(self, req_id: str) -> Waiver | None:
        return next((w for w in self.waivers if w.id == req_id), None)

    @property
    def deviations(self) -> dict[str, tuple[object, object]]:
        """Names that differ from the documented ones: field -> (documented, configured)."""
        return self.names.changed()


def parse_node_counts(raw: str, what: str = "--nodes") -> tuple[int, ...]:
    """`1,2,4` -> (1, 2, 4); one ConfigError line for anything else."""
    parts = [p.strip() for p in raw.split(",")]
    if not raw.strip() or any(not p.isdigit() for p in parts):
        raise ConfigError(f"{what} expects node counts such as 1,2,4, not {raw!r}")
    counts = tuple(int(p) for p in parts)
    bad = [c for c in counts if not 1 <= c <= MAX_NODES]
    if bad:
        raise ConfigError(f"{what} expects counts from 1 to {MAX_NODES}, not {bad[0]}")
    return tuple(dict.fromkeys(counts))


def find_config(inputs: Sequence[str]) -> Path | None:
    """The config file beside the first input that has one (the working directory for `-`)."""
    found: list[Path] = []
    for raw in inputs:
        base = Path(".") if raw in ("-", "") else Path(raw)
        directory = base if base.is_dir() else base.parent
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                found.append(candidate)
                break
    distinct = list(dict.fromkeys(os.path.realpath(p) for p in found))
    if len(distinct) > 1:
        raise ConfigError(f"two config files ({found[0]}, {found[1]}): name one with --config")
    return found[0] if found else None


def _want(where: str, key: str, value: Any, what: str) -> ConfigError:
    got = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, Mapping) else type(value).__name__
    return ConfigError(f"{where}: {key} must be {what}, not {got if not isinstance(value, str) else repr(value)}")


def parse_config(text: str, shown: str) -> GateConfig:
    docs = parse_documents(text, shown, DEFAULT_LIMITS)
    if not docs:
        return GateConfig(path=shown)
    if len(docs) > 1:
        raise ConfigError(f"{shown}: holds {len(docs)} YAML documents, expected one")
    doc = docs[0]
    data = doc.value
    if not isinstance(data, Mapping):
        raise ConfigError(f"{shown}:{doc.start}: expected a mapping of settings")

    def at(*path: str | int) -> str:
        mark: Mark = doc.positions.nearest(path)[0]
        return f"{shown}:{mark}"

    known = {*NAME_FIELDS, "nodes", "waivers"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{at(key)}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for key in NAME_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key in _INT_FIELDS:
            if not isinstance(value, int) or isinstance(value, bool) or not 30000 <= value <= 32767:
                raise _want(at(key), key, value, "a NodePort number from 30000 to 32767")
        elif key in _KEY_FIELDS:
            if not isinstance(value, str) or not _SECRET_KEY.match(value):
                raise _want(at(key), key, value, "a Secret key name")
        elif not isinstance(value, str) or not _DNS_NAME.match(value) or len(value) > 253:
            raise _want(at(key), key, value, "a Kubernetes object name")
        values[key] = value
    nodes: tuple[int, ...] = DEFAULT_NODE_COUNTS
    if "nodes" in data:
        raw = data["nodes"]
        if not isinstance(raw, list) or not raw or not all(isinstance(n, int) and not isinstance(n, bool) for n in raw):
            raise _want(at("nodes"), "nodes", raw, "a list of node counts such as [1, 2, 4]")
        nodes = parse_node_counts(",".join(str(n) for n in raw), f"{at('nodes')}: nodes")
    waivers: list[Waiver] = []
    raw_waivers = data.get("waivers", [])
    if not isinstance(raw_waivers, list):
        raise _want(at("waivers"), "waivers", raw_waivers, "a list of {id, reason}")
    for i, entry in enumerate(raw_waivers):
        if not isinstance(entry, Mapping) or set(entry) - {"id", "reason"}:
            raise ConfigError(f"{at('waivers', i)}: a waiver is a mapping with id and reason only")
        req_id, reason = entry.get("id"), entry.get("reason")
        if not isinstance(req_id, str) or req_id not in CATALOG:
            raise ConfigError(f"{at('waivers', i, 'id')}: waiver id {req_id!r} is not a requirement ID of the catalog")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{at('waivers', i)}: the waiver of {req_id} needs a reason")
        if any(w.id == req_id for w in waivers):
            raise ConfigError(f"{at('waivers', i, 'id')}: {req_id} is waived twice")
        waivers.append(Waiver(req_id, " ".join(reason.split())))
    return GateConfig(Names(**values), nodes, tuple(waivers), shown)


def load_config(path: Path | str) -> GateConfig:
    shown = str(path)
    if shown == "":
        raise ConfigError("--config is empty: name a config file")
    try:
        data = Path(path).read_bytes()[: DEFAULT_LIMITS.file_bytes + 1]
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such config file") from None
    except IsADirectoryError:
        raise ConfigError(f"{shown}: is a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    if len(data) > DEFAULT_LIMITS.file_bytes:
        raise ConfigError(f"{shown}: too large for a config file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: not UTF-8 text") from None
    try:
        return parse_config(text, shown)
    except ConfigError:
        raise
    except LoadError as exc:
        raise ConfigError(str(exc)) from None
