"""YAML documents as plain values, with the line and column of every key and value, read within bounds.

Built from the parser's event stream (libyaml when PyYAML has it), not from PyYAML's recursive
composer, so that nesting depth and alias expansion are bounded before anything large is built:

- nesting deeper than `Limits.depth` fails in one line (a Kubernetes object nests ~20 levels);
- an alias counts as the size of what it repeats, and a document whose expanded size passes
  `Limits.nodes` fails in one line (a "billion laughs" alias bomb never expands);
- scalars resolve as YAML 1.1 does for kubectl (`yes` is a boolean, `010` an octal int), except
  timestamps, which stay strings as they do in Kubernetes' JSON;
- any tag other than the core schema's (`!!str`, `!!int`, ...) is refused: Kubernetes objects
  carry none, and custom tags are how unsafe loaders are attacked;
- duplicate keys are kept (the last value wins, as in PyYAML) and reported with both positions.

Every problem is a LoadError whose message is one line naming the file, line and column. No
message carries a scalar's value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCT = yaml.constructor.SafeConstructor()
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "binary", "merge", "value")}
_COLLECTION_TAGS = {f"{_CORE}map", f"{_CORE}seq", f"{_CORE}omap", f"{_CORE}set"}


class LoadError(Exception):
    """Input that cannot be read or parsed; the message is one line."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what one input may make the loader do."""

    file_bytes: int = 8 * 1024 * 1024
    total_bytes: int = 32 * 1024 * 1024
    depth: int = 100
    nodes: int = 500_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column (in characters)."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@dataclass
class Positions:
    """Where each key and value of one document was written, by path from the document root."""

    keys: dict[Path, Mark] = field(default_factory=dict)
    values: dict[Path, Mark] = field(default_factory=dict)

    def exact(self, path: Path) -> Mark | None:
        return self.keys.get(path) or self.values.get(path)

    def nearest(self, path: Path) -> tuple[Mark, Path]:
        """The mark of `path` or, when it was not written, of its closest written ancestor."""
        for cut in range(len(path), -1, -1):
            mark = self.exact(path[:cut])
            if mark is not None:
                return mark, path[:cut]
        return Mark(1, 1), ()


@dataclass(frozen=True)
class Duplicate:
    path: Path
    at: Mark
    first: Mark


@dataclass(frozen=True)
class ParsedDocument:
    """One YAML document: its value, where each part of it was written, and its duplicate keys."""

    index: int
    value: Any
    positions: Positions
    duplicates: tuple[Duplicate, ...] = ()

    @property
    def start(self) -> Mark:
        return self.positions.values.get((), Mark(1, 1))


def _mark(event: Any) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


def _where(origin: str, mark: Mark) -> str:
    return f"{origin}:{mark.line}:{mark.column}"


def _scalar(event: Any, loader: Any, origin: str) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        if tag == "!" or not event.implicit[0]:
            return event.value  # quoted, or the non-specific tag: a string
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    elif tag.startswith("!!"):
        tag = _CORE + tag[2:]
    if tag not in _SCALAR_TAGS:
        raise LoadError(f"{_where(origin, _mark(event))}: YAML tag {tag} is not supported in Kubernetes manifests")
    kind_ = tag[len(_CORE) :]
    node = yaml.ScalarNode(tag, event.value)
    try:
        if kind_ == "int":
            return _CONSTRUCT.construct_yaml_int(node)
        if kind_ == "float":
            return _CONSTRUCT.construct_yaml_float(node)
        if kind_ == "bool":
            return _CONSTRUCT.construct_yaml_bool(node)
        if kind_ == "null":
            return None
    except (ValueError, KeyError, yaml.YAMLError):
        raise LoadError(f"{_where(origin, _mark(event))}: not a valid {kind_}") from None
    return event.value  # str, timestamp (a string in Kubernetes), binary (base64 text), merge key


@dataclass
class _Frame:
    value: dict[str, Any] | list[Any]
    path: Path
    anchor: str | None
    start: Mark
    size: int = 1
    key: str | None = None
    key_mark: Mark | None = None
    key_is_merge: bool = False
    merges: list[Any] = field(default_factory=list)


class _Builder:
    """Builds one document from parser events with an explicit stack (no recursion)."""

    def __init__(self, origin: str, limits: Limits) -> None:
        self.origin = origin
        self.limits = limits
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.positions = Positions()
        self.duplicates: list[Duplicate] = []
        self.size = 0
        self.root: Any = None

    def _fail(self, mark: Mark, why: str) -> LoadError:
        return LoadError(f"{_where(self.origin, mark)}: {why}")

    def _count(self, n: int, mark: Mark) -> None:
        self.size += n
        if self.size > self.limits.nodes:
            raise self._fail(mark, f"the document expands to more than {self.limits.nodes} values (an alias bomb?)")

    def _slot(self) -> Path | None:
        """The path of the next value, or None when the next node is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        if top.key_mark is None:
            return None
        return (*top.path, str(top.key))

    def _key(self, key: str, mark: Mark, merge: bool) -> None:
        top = self.stack[-1]
        top.key, top.key_mark, top.key_is_merge = key, mark, merge

    def scalar(self, event: Any, value: Any) -> None:
        mark = _mark(event)
        self._count(1, mark)
        path = self._slot()
        if path is None:
            plain = event.tag is None and event.implicit[0]
            self._key(str(event.value), mark, plain and event.value == "<<")
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            return
        self._place(path, value, 1, mark, event.anchor)

    def alias(self, event: Any) -> None:
        mark = _mark(event)
        found = self.anchors.get(event.anchor)
        if found is None:
            raise self._fail(mark, f"alias *{event.anchor} names no anchor")
        value, size = found
        self._count(size, mark)
        path = self._slot()
        if path is None:
            if isinstance(value, dict | list):
                raise self._fail(mark, "a mapping key must be a scalar")
            self._key(str(value), mark, False)
            return
        self._place(path, value, size, mark, None)

    def open(self, container: dict[str, Any] | list[Any], event: Any) -> None:
        mark = _mark(event)
        if len(self.stack) >= self.limits.depth:
            raise self._fail(mark, f"nested more than {self.limits.depth} levels deep")
        tag = event.tag
        if tag not in (None, "!") and (_CORE + tag[2:] if tag.startswith("!!") else tag) not in _COLLECTION_TAGS:
            raise self._fail(mark, f"YAML tag {tag} is not supported in Kubernetes manifests")
        self._count(1, mark)
        path = self._slot()
        if path is None:
            raise self._fail(mark, "a mapping key must be a scalar")
        self.stack.append(_Frame(container, path, event.anchor, mark))

    def close(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.value, dict):
            for merged in frame.merges:
                for source in merged if isinstance(merged, list) else [merged]:
                    if not isinstance(source, dict):
                        raise self._fail(frame.start, "a merge key (<<) must name mappings")
                    for k, v in source.items():
                        frame.value.setdefault(k, v)
        self._place(frame.path, frame.value, frame.size, frame.start, frame.anchor)

    def _place(self, path: Path, value: Any, size: int, mark: Mark, anchor: str | None) -> None:
        if anchor:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root = value
            self.positions.values[()] = mark
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
            self.positions.values[path] = mark
            return
        key, key_mark = str(top.key), top.key_mark
        assert key_mark is not None
        top.key, top.key_mark = None, None
        if top.key_is_merge:
            top.merges.append(value)
            return
        if key in top.value:
            self.duplicates.append(Duplicate(path, key_mark, self.positions.keys.get(path, key_mark)))
        top.value[key] = value
        self.positions.keys[path] = key_mark
        self.positions.values[path] = mark


def _helm_hint(text: str) -> str:
    return " (a Helm template? render it first: helm template ... | minio-conformance gate -)" if "{{" in text else ""


def parse_documents(text: str, origin: str, limits: Limits = DEFAULT_LIMITS) -> list[ParsedDocument]:
    """Every non-empty document of `text` (named `origin` in messages), in order."""
    loader = _Loader(text)
    documents: list[ParsedDocument] = []
    index = 0
    try:
        builder: _Builder | None = None
        while loader.check_event():
            event = loader.get_event()
            cls = event.__class__
            if cls is yaml.DocumentStartEvent:
                builder = _Builder(origin, limits)
            elif cls is yaml.DocumentEndEvent:
                assert builder is not None
                if builder.root is not None:
                    documents.append(ParsedDocument(index, builder.root, builder.positions, tuple(builder.duplicates)))
                    index += 1
                builder = None
            elif builder is None:
                continue
            elif cls is yaml.ScalarEvent:
                builder.scalar(event, _scalar(event, loader, origin))
            elif cls is yaml.MappingStartEvent:
                builder.open({}, event)
            elif cls is yaml.SequenceStartEvent:
                builder.open([], event)
            elif cls in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                builder.close()
            elif cls is yaml.AliasEvent:
                builder.alias(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _where(origin, Mark(mark.line + 1, mark.column + 1)) if mark is not None else origin
        problem = exc.problem or exc.context or "unreadable"
        raise LoadError(f"{where}: malformed YAML: {problem}{_helm_hint(text)}") from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "unreadable"
        raise LoadError(f"{origin}: malformed YAML: {first}{_helm_hint(text)}") from None
    except LoadError as exc:
        raise LoadError(f"{exc}{_helm_hint(text)}") from None
    finally:
        loader.dispose()
    return documents


def walk(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) of a plain structure, depth first, without recursion."""
    stack: list[tuple[Path, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        yield p, v
        if isinstance(v, Mapping):
            stack.extend(((*p, str(k)), c) for k, c in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend(((*p, i), c) for i, c in reversed(list(enumerate(v))))
