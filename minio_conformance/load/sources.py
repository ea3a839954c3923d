"""Finding and reading manifest inputs: directories (recursive), files and standard input, within bounds."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from minio_conformance.load.documents import DEFAULT_LIMITS, Limits, LoadError

MANIFEST_SUFFIXES = (".yaml", ".yml")
CONFIG_NAMES = ("minio-conformance.yaml", ".minio-conformance.yaml")
STDIN = "-"


@dataclass(frozen=True)
class Source:
    """One input text: `file` names it inside its set (relative to the directory given), `shown` in messages."""

    file: str
    shown: str
    text: str


def _oserror(shown: str, exc: OSError) -> LoadError:
    if exc.errno == errno.ELOOP:
        return LoadError(f"{shown}: symlink loop")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return LoadError(f"{shown}: permission denied")
    if exc.errno == errno.ENOENT:
        return LoadError(f"{shown}: no such file or directory")
    return LoadError(f"{shown}: cannot be read ({exc.strerror or exc.__class__.__name__})")


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LoadError(f"{shown}: not UTF-8 text") from None


def _read_file(path: Path, shown: str, limits: Limits) -> bytes:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise LoadError(f"{shown}: not a regular file")
        if info.st_size > limits.file_bytes:
            raise LoadError(
                f"{shown}: {info.st_size} bytes, more than the {limits.file_bytes} a manifest file may have"
            )
        with open(path, "rb") as handle:
            data = handle.read(limits.file_bytes + 1)
    except OSError as exc:
        raise _oserror(shown, exc) from None
    if len(data) > limits.file_bytes:
        raise LoadError(f"{shown}: more than the {limits.file_bytes} bytes a manifest file may have")
    return data


def read_stream(stream: BinaryIO, shown: str, limits: Limits = DEFAULT_LIMITS) -> str:
    try:
        data = stream.read(limits.file_bytes + 1)
    except OSError as exc:
        raise _oserror(shown, exc) from None
    if len(data) > limits.file_bytes:
        raise LoadError(f"{shown}: more than the {limits.file_bytes} bytes the gate reads from a stream")
    return _decode(data, shown)


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def manifest_files(root: Path, shown_root: str) -> list[tuple[str, Path]]:
    """(file name relative to `root`, path) of every .yaml/.yml under `root`, in name order.

    Hidden entries and the gate's own config file are skipped; directory symlinks are followed,
    and one that leads back to a directory already being searched is refused.
    """
    found: list[tuple[str, Path]] = []
    try:
        root_real = os.path.realpath(root)
    except OSError as exc:
        raise _oserror(shown_root, exc) from None
    pending: list[tuple[Path, tuple[str, ...], frozenset[str]]] = [(root, (), frozenset({root_real}))]
    while pending:
        directory, rel, ancestors = pending.pop()
        shown_dir = os.path.join(shown_root, *rel) if rel else shown_root
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            raise _oserror(shown_dir, exc) from None
        subdirs = []
        for entry in entries:
            if entry.name.startswith(".") or entry.name in CONFIG_NAMES:
                continue
            shown = os.path.join(shown_dir, entry.name)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = not is_dir and entry.is_file(follow_symlinks=True)
                if entry.is_symlink():
                    os.stat(entry.path)  # raises ELOOP for a symlink loop
            except OSError as exc:
                raise _oserror(shown, exc) from None
            if is_dir:
                real = os.path.realpath(entry.path)
                if real in ancestors:
                    raise LoadError(f"{shown}: symlink loop (leads back to {_shown(Path(real))})")
                subdirs.append((Path(entry.path), (*rel, entry.name), ancestors | {real}))
            elif is_file and entry.name.endswith(MANIFEST_SUFFIXES):
                found.append(("/".join((*rel, entry.name)), Path(entry.path)))
            elif entry.is_symlink() and not os.path.exists(entry.path) and entry.name.endswith(MANIFEST_SUFFIXES):
                raise LoadError(f"{shown}: dangling symlink")
        pending.extend(reversed(subdirs))
    return sorted(found, key=lambda f: f[0].split("/"))


def read_sources(
    paths: Sequence[str], stdin: BinaryIO | None, stdin_name: str = "<stdin>", limits: Limits = DEFAULT_LIMITS
) -> list[Source]:
    """The texts behind PATH arguments: a directory (searched recursively), a file, or `-` for `stdin`."""
    if not paths:
        raise LoadError("no input: name a directory, a file, or - for standard input")
    sources: list[Source] = []
    total = 0
    seen_stdin = False
    for raw in paths:
        if raw == "":
            raise LoadError('an input path is empty (""): name a directory, a file, or -')
        if raw == STDIN:
            if seen_stdin:
                raise LoadError("- (standard input) is named twice")
            seen_stdin = True
            if stdin is None or (hasattr(stdin, "isatty") and stdin.isatty()):
                raise LoadError("- reads manifests from standard input, but nothing is piped in")
            text = read_stream(stdin, stdin_name, limits)
            sources.append(Source(stdin_name, stdin_name, text))
            total += len(text)
            continue
        path = Path(raw).expanduser()
        shown = raw
        try:
            info = os.stat(path)
        except OSError as exc:
            raise _oserror(shown, exc) from None
        if stat.S_ISDIR(info.st_mode):
            files = manifest_files(path, shown)
            if not files:
                raise LoadError(f"{shown}: holds no .yaml/.yml file")
            for rel, file_path in files:
                file_shown = os.path.join(shown, *rel.split("/"))
                data = _read_file(file_path, file_shown, limits)
                total += len(data)
                if total > limits.total_bytes:
                    raise LoadError(f"{file_shown}: the inputs pass {limits.total_bytes} bytes in all")
                sources.append(Source(rel, file_shown, _decode(data, file_shown)))
        else:
            data = _read_file(path, shown, limits)
            total += len(data)
            if total > limits.total_bytes:
                raise LoadError(f"{shown}: the inputs pass {limits.total_bytes} bytes in all")
            sources.append(Source(path.name, shown, _decode(data, shown)))
    names = [s.file for s in sources]
    if len(set(names)) != len(names):  # two inputs with one name: keep them apart by what the user typed
        sources = [Source(s.shown, s.shown, s.text) for s in sources]
    return sources
