"""Reading and writing a manifests directory laid out like `manifests/`.

Files are applied in name order, which is the documented order (000 §3-§8). Every
problem becomes a ManifestError whose message is one line naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PLACEHOLDER = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
MANIFEST_SUFFIXES = (".yaml", ".yml")


class ManifestError(Exception):
    """A manifests directory that cannot be used; the message is one line."""


@dataclass(frozen=True)
class SourceDocument:
    """One YAML document of one manifest file, with where it came from."""

    file: str
    index: int
    obj: Mapping[str, Any]

    @property
    def origin(self) -> str:
        return f"{self.file}#{self.index}"


@dataclass(frozen=True)
class ManifestSet:
    directory: Path
    documents: tuple[SourceDocument, ...]

    @property
    def objects(self) -> list[Mapping[str, Any]]:
        return [d.obj for d in self.documents]


def _validate_document(doc: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(doc, Mapping):
        raise ManifestError(f"{where}: expected a Kubernetes object (a mapping), got {type(doc).__name__}")
    missing = [k for k in ("apiVersion", "kind") if not doc.get(k)]
    if missing:
        raise ManifestError(f"{where}: not a Kubernetes object: missing {', '.join(missing)}")
    if not isinstance(doc.get("metadata"), Mapping) or not doc["metadata"].get("name"):
        raise ManifestError(f"{where}: {doc['kind']} has no metadata.name")
    return doc


def manifest_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in MANIFEST_SUFFIXES)


def load_manifests(directory: Path | str) -> ManifestSet:
    """Load every YAML document under `directory` (not recursive), in file-name order."""
    root = Path(directory)
    if not root.exists():
        raise ManifestError(f"manifests directory {root} does not exist")
    if not root.is_dir():
        raise ManifestError(f"manifests path {root} is not a directory")
    files = manifest_files(root)
    if not files:
        raise ManifestError(f"manifests directory {root} holds no .yaml/.yml file")
    documents: list[SourceDocument] = []
    for path in files:
        try:
            loaded = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ManifestError(f"{path}:{line}: malformed YAML: {problem}") from None
        except UnicodeDecodeError:
            raise ManifestError(f"{path}: not UTF-8 text") from None
        for index, doc in enumerate(d for d in loaded if d is not None):
            documents.append(SourceDocument(path.name, index, _validate_document(doc, f"{path} document {index}")))
    return ManifestSet(root, tuple(documents))


def placeholders(value: Any) -> set[str]:
    """Names of ${PLACEHOLDER}s anywhere in a nested structure."""
    found: set[str] = set()
    if isinstance(value, str):
        found.update(PLACEHOLDER.findall(value))
    elif isinstance(value, Mapping):
        for k, v in value.items():
            found |= placeholders(k) | placeholders(v)
    elif isinstance(value, list):
        for item in value:
            found |= placeholders(item)
    return found


def substitute(value: Any, values: Mapping[str, str]) -> Any:
    """Replace ${NAME} placeholders in every string of a nested structure."""
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) in values else m.group(0), value)
    if isinstance(value, Mapping):
        return {substitute(k, values): substitute(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, values) for v in value]
    return value


def dump_documents(objects: Iterable[Mapping[str, Any]]) -> str:
    return yaml.safe_dump_all([_plain(o) for o in objects], sort_keys=False, default_flow_style=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def write_manifest_set(documents: Iterable[SourceDocument], directory: Path) -> Path:
    """Write documents back as files of the same names (for mutated copies)."""
    directory.mkdir(parents=True, exist_ok=True)
    by_file: dict[str, list[Mapping[str, Any]]] = {}
    for doc in documents:
        by_file.setdefault(doc.file, []).append(doc.obj)
    for file, objs in by_file.items():
        (directory / file).write_text(dump_documents(objs), encoding="utf-8")
    return directory


def iter_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from iter_strings(k)
            yield from iter_strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from iter_strings(v)
