"""Reading and writing manifest sets: directories laid out like `manifests/`, files and streams.

Files are applied in name order, which is the documented order (000 §3-§8); a directory is
searched recursively. Documents keep where they were written (file, line and column of every
key and value). A document without `kind` is not a Kubernetes object and is skipped with a
note, as is a kustomization file; a `kind: List` is its items. Every problem is a
ManifestError whose message is one line naming the file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from minio_conformance.load.documents import (
    DEFAULT_LIMITS,
    Duplicate,
    Limits,
    LoadError,
    Mark,
    ParsedDocument,
    Positions,
    parse_documents,
)
from minio_conformance.load.sources import MANIFEST_SUFFIXES, Source, read_sources

PLACEHOLDER = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_API_VERSION = re.compile(r"^(?:[^/\s]+/)?[^/\s]+$")

__all__ = ["MANIFEST_SUFFIXES", "ManifestError", "ManifestSet", "SourceDocument", "load_inputs", "load_manifests"]


class ManifestError(LoadError):
    """A manifest set that cannot be used; the message is one line."""


@dataclass(frozen=True)
class SourceDocument:
    """One Kubernetes object of one manifest file, with where it came from.

    `file` names the file inside its set (what a broken copy is written back as), `shown` is
    how messages name it, `positions` where each of its keys and values was written.
    """

    file: str
    index: int
    obj: Mapping[str, Any]
    positions: Positions | None = field(default=None, compare=False, repr=False)
    shown: str = field(default="", compare=False)
    duplicates: tuple[Duplicate, ...] = field(default=(), compare=False, repr=False)
    item: int | None = field(default=None, compare=False)

    @property
    def origin(self) -> str:
        return f"{self.file}#{self.index}" + (f".items[{self.item}]" if self.item is not None else "")

    @property
    def where(self) -> str:
        return self.shown or self.file

    def mark(self, path: tuple[str | int, ...] = ()) -> Mark:
        """Where `path` (or its nearest written ancestor) is in the file."""
        if self.positions is None:
            return Mark(1, 1)
        full = ("items", self.item, *path) if self.item is not None else path
        return self.positions.nearest(full)[0]


@dataclass(frozen=True)
class ManifestSet:
    directory: Path
    documents: tuple[SourceDocument, ...]
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    @property
    def objects(self) -> list[Mapping[str, Any]]:
        return [d.obj for d in self.documents]


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else type(value).__name__


def _identity_problem(obj: Mapping[str, Any]) -> tuple[tuple[str, ...], str] | None:
    """Why an object cannot be judged at all (its apiVersion, kind or name), with the field."""
    api_version, kind_ = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(kind_, str) or not kind_:
        return ("kind",), f"kind must be a non-empty string, not {_type_name(kind_)}"
    if api_version is None:
        return ("kind",), "not a Kubernetes object: missing apiVersion"
    if not isinstance(api_version, str) or not _API_VERSION.match(api_version):
        shape = " that is not of the form v1 or group/v1" if isinstance(api_version, str) else ""
        got = _type_name(api_version) + shape
        return ("apiVersion",), f"apiVersion must be a string such as v1 or apps/v1, not {got}"
    metadata = obj.get("metadata")
    if not isinstance(metadata, Mapping):
        return ("metadata",), f"{kind_} has no metadata mapping" + (
            f" (it is {_type_name(metadata)})" if metadata is not None else ""
        )
    name_ = metadata.get("name")
    if not isinstance(name_, str) or not name_:
        return ("metadata", "name"), f"{kind_} has no metadata.name" + (
            f" (it is {_type_name(name_)})" if name_ is not None else ""
        )
    ns = metadata.get("namespace")
    if ns is not None and not isinstance(ns, str):
        return ("metadata", "namespace"), f"metadata.namespace must be a string, not {_type_name(ns)}"
    return None


def _objects_of(source: Source, parsed: ParsedDocument, notes: list[str]) -> Iterator[SourceDocument]:
    where = f"{source.shown} document {parsed.index + 1}"
    value = parsed.value
    if not isinstance(value, Mapping):
        notes.append(f"{where}: skipped, not a Kubernetes object ({_type_name(value)})")
        return
    if "kind" not in value:
        notes.append(f"{where}: skipped, not a Kubernetes object (no kind)")
        return
    kind_ = value.get("kind")
    api_version = value.get("apiVersion")
    if kind_ in ("Kustomization", "Component") and str(api_version).startswith("kustomize.config.k8s.io"):
        notes.append(f"{where}: skipped, a kustomize file (gate the output of kustomize build instead)")
        return
    if kind_ == "List" and isinstance(value.get("items"), list) and api_version == "v1":
        for i, item in enumerate(value["items"]):
            if isinstance(item, Mapping):
                yield from _checked(source, parsed, item, i)
            else:
                mark = parsed.positions.nearest(("items", i))[0]
                raise ManifestError(f"{source.shown}:{mark}: List item {i} is {_type_name(item)}, not an object")
        return
    yield from _checked(source, parsed, value, None)


def _checked(
    source: Source, parsed: ParsedDocument, obj: Mapping[str, Any], item: int | None
) -> Iterator[SourceDocument]:
    doc = SourceDocument(source.file, parsed.index, obj, parsed.positions, source.shown, parsed.duplicates, item)
    problem = _identity_problem(obj)
    if problem is not None:
        field_path, why = problem
        raise ManifestError(f"{source.shown}:{doc.mark(field_path)}: {why}")
    yield doc


def documents_of(sources: Sequence[Source], limits: Limits = DEFAULT_LIMITS) -> tuple[list[SourceDocument], list[str]]:
    documents: list[SourceDocument] = []
    notes: list[str] = []
    for source in sources:
        if Path(source.file).name in KUSTOMIZATION_FILES:
            notes.append(f"{source.shown}: skipped, a kustomize file (gate the output of kustomize build instead)")
            continue
        for parsed in parse_documents(source.text, source.shown, limits):
            documents.extend(_objects_of(source, parsed, notes))
    return documents, notes


def load_inputs(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    stdin_name: str = "<stdin>",
    limits: Limits = DEFAULT_LIMITS,
) -> ManifestSet:
    """Every Kubernetes object of the inputs (directories, files, `-`), in name order per input."""
    try:
        sources = read_sources(paths, stdin, stdin_name, limits)
        documents, notes = documents_of(sources, limits)
    except ManifestError:
        raise
    except LoadError as exc:
        raise ManifestError(str(exc)) from None
    if not documents:
        shown = ", ".join(paths)
        raise ManifestError(f"{shown}: no Kubernetes object found ({len(notes)} document(s) skipped)")
    first = Path(paths[0]) if paths[0] != "-" else Path(".")
    return ManifestSet(first, tuple(documents), tuple(notes), tuple(s.shown for s in sources))


def load_manifests(directory: Path | str, limits: Limits = DEFAULT_LIMITS) -> ManifestSet:
    """Load every YAML document under `directory` (recursively), in file-name order."""
    root = Path(directory)
    if str(directory) == "":
        raise ManifestError("the manifests path is empty")
    if not root.exists():
        raise ManifestError(f"manifests directory {root} does not exist")
    if not root.is_dir():
        raise ManifestError(f"manifests path {root} is not a directory")
    loaded = load_inputs([str(root)], limits=limits)
    return ManifestSet(root, loaded.documents, loaded.notes, loaded.files)


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
        target = directory / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_documents(objs), encoding="utf-8")
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
