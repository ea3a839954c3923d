"""Everything the report reads from disk: results files, git revision, images.env, manifests.

No subprocess (the project bans it outside fixtures/): the git revision is read from
`.git` itself and the image IDs from the offline build's images.env.

Every read is bounded: a results file is read only if it is a regular file inside its
results directory and at most MAX_RESULTS_BYTES long, nested at most records.MAX_DEPTH
deep; a manifests directory named by a results file is hashed only if it lies inside the
project root or a results directory, and only up to MAX_MANIFEST_FILES files and
MAX_MANIFEST_BYTES bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minio_conformance.redact import Redactor
from minio_conformance.reporting.model import COMPANION_FILES, IGNORED_RUNS, LEG_KEYS, RunFile, classify_run, leg_title
from minio_conformance.reporting.records import MAX_DEPTH, RecordError, check_record

DEFAULT_CACHE = "/var/cache/minio-conformance"
MAX_RESULTS_BYTES = 64 << 20  # one results file; real ones are a few MB
MAX_TOTAL_BYTES = 256 << 20  # every results file of one report together
MAX_JSON_FILES = 200  # per results directory
MAX_SMALL_FILE_BYTES = 1 << 20  # images.env, --redact-file
MAX_MANIFEST_FILES = 2000
MAX_MANIFEST_BYTES = 64 << 20
MAX_MANIFEST_ENTRIES = 20000  # directory entries looked at while hashing


class UnusableInput(Exception):
    """The reports directory cannot be turned into a report; the message is one line for the user."""


@dataclass(frozen=True)
class Loaded:
    runs: tuple[RunFile, ...]
    ignored: tuple[str, ...]


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; OSError or UnusableInput otherwise.

    Opened without blocking (a FIFO named like a results file must not hang the build) and
    checked on the open descriptor, so what is checked is what is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnusableInput(f"{path}: not a regular file")
        if info.st_size > limit:
            raise UnusableInput(f"{path}: {info.st_size} bytes, more than the {limit} read at most")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnusableInput(f"{path}: more than the {limit} bytes read at most")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_record(path: Path, raw: bytes) -> Any:
    """JSON of a results file, refused in one line when malformed, non-standard or nested too deep."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnusableInput(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise UnusableInput(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise UnusableInput(f"{path}: JSON nested deeper than {MAX_DEPTH} levels; not a results record") from None
    except ValueError as exc:  # NaN/Infinity, integers too long to convert
        raise UnusableInput(f"{path}: not valid JSON ({_one_line(str(exc))})") from None


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _link(directory: Path, name: str, out_dir: Path) -> str | None:
    """A link from the page in `out_dir` to a file beside the results, if it is there."""
    target = directory / name
    if not target.is_file():
        return None
    if directory.resolve() == out_dir.resolve():
        return name
    return Path(os.path.relpath(target.resolve(), out_dir.resolve())).as_posix()


def load_runs(
    directories: Path | Sequence[Path], redactor: Redactor, *, out_dir: Path | None = None
) -> Loaded:
    """Every conformance `<name>.json` in the results directories, each text passed through the redactor again."""
    dirs = [directories] if isinstance(directories, Path) else list(directories)
    out = out_dir if out_dir is not None else dirs[0]
    merged = len(dirs) > 1 or out.resolve() != dirs[0].resolve()
    runs: list[RunFile] = []
    ignored: list[str] = []
    total = 0
    for directory in dirs:
        if not directory.exists():
            raise UnusableInput(f"reports directory {directory} does not exist")
        if not directory.is_dir():
            raise UnusableInput(f"{directory} is not a directory")
        root = directory.resolve()
        found = sorted(directory.glob("*.json"))
        if len(found) > MAX_JSON_FILES:
            raise UnusableInput(f"{directory}: {len(found)} JSON files, more than the {MAX_JSON_FILES} read at most")
        origin = str(directory)
        for path in found:
            name = path.stem
            kind = classify_run(name)
            if COMPANION_FILES.match(name):
                continue
            if name in IGNORED_RUNS or (kind is None and not name.startswith("leg-")):
                ignored.append(str(directory / path.name) if merged else path.name)
                continue
            if kind is None or kind[0] not in LEG_KEYS:
                known = ", ".join(leg_title(k) for k in LEG_KEYS)
                raise UnusableInput(
                    f"{path}: unknown leg (expected static.json or leg-<N>nodes-<static|live|disruptive|upgrade>.json "
                    f"for the {known} legs)"
                )
            try:
                resolved = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                raise UnusableInput(f"{path}: cannot be read: {_one_line(str(exc))}") from None
            if not _inside(resolved, (root,)):
                raise UnusableInput(f"{path}: a link to a file outside {directory}; results files are read in place")
            try:
                raw = read_bounded(resolved, MAX_RESULTS_BYTES)
            except OSError as exc:
                raise UnusableInput(f"{path}: cannot be read: {exc.strerror or exc}") from None
            total += len(raw)
            if total > MAX_TOTAL_BYTES:
                raise UnusableInput(
                    f"{path}: the results files together exceed the {MAX_TOTAL_BYTES} bytes read at most"
                )
            data = parse_record(path, raw)
            try:
                check_record(data)
            except RecordError as exc:
                raise UnusableInput(f"{path}: {exc}") from None
            runs.append(
                RunFile(
                    name,
                    redactor.obj(data),
                    _link(directory, f"{name}.html", out),
                    _link(directory, f"{name}.xml", out),
                    origin,
                )
            )
    if not runs:
        found_names = ", ".join(ignored) if ignored else "no JSON files"
        where = ", ".join(str(d) for d in dirs)
        raise UnusableInput(
            f"no conformance results (static.json, leg-<N>nodes-<phase>.json) in {where} (found: {found_names})"
        )
    return Loaded(tuple(runs), tuple(ignored))


def read_redact_file(path: Path) -> list[str]:
    try:
        lines = read_bounded(path, MAX_SMALL_FILE_BYTES).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnusableInput(f"--redact-file {path}: cannot be read: {_one_line(str(exc))}") from None
    except UnusableInput as exc:
        raise UnusableInput(f"--redact-file {exc}") from None
    return [line.strip() for line in lines if line.strip()]


# --- git revision without git --------------------------------------------------------------------


def _git_dir(project: Path) -> Path | None:
    dot_git = project / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():  # worktree or submodule: "gitdir: <path>"
        text = dot_git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            target = Path(text.removeprefix("gitdir:").strip())
            return target if target.is_absolute() else (project / target).resolve()
    return None


def _resolve_ref(git_dir: Path, ref: str) -> str | None:
    for base in (git_dir, _common_dir(git_dir)):
        loose = base / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip() or None
        packed = base / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref and not line.startswith(("#", "^")):
                    return parts[0]
    return None


def _common_dir(git_dir: Path) -> Path:
    common = git_dir / "commondir"
    if common.is_file():
        target = Path(common.read_text(encoding="utf-8").strip())
        return target if target.is_absolute() else (git_dir / target).resolve()
    return git_dir


def git_revision(project: Path) -> str:
    """`git rev-parse HEAD`, read from the repository files; "unknown" when there is none."""
    try:
        git_dir = _git_dir(project)
        if git_dir is None:
            return "unknown"
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if head.startswith("ref:"):
            return _resolve_ref(git_dir, head.removeprefix("ref:").strip()) or "unknown"
        return head or "unknown"
    except OSError:
        return "unknown"


# --- images.env --------------------------------------------------------------------------------


def images_env_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("MINIO_CONFORMANCE_CACHE") or DEFAULT_CACHE) / "images.env"


def parse_env_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines as written by toolchain/build-images.sh (shell quoting allowed, comments skipped)."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        try:
            words = shlex.split(value)
        except ValueError:
            words = [value]
        out[key.strip()] = words[0] if words else ""
    return out


def read_images_env(path: Path) -> dict[str, str]:
    try:
        return parse_env_file(read_bounded(path, MAX_SMALL_FILE_BYTES).decode("utf-8", errors="replace"))
    except (OSError, UnusableInput):
        return {}


# --- manifests hash ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestsDigest:
    given: str
    path: str
    sha256: str | None
    files: int
    note: str = ""


def _regular_files(top: Path) -> list[Path] | str:
    """Regular files under `top` (no symlinks followed, as `find -type f`), or why they are not hashed."""
    files: list[Path] = []
    entries = 0
    size = 0
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        entries += len(dirnames) + len(filenames)
        if entries > MAX_MANIFEST_ENTRIES:
            return f"not hashed: more than {MAX_MANIFEST_ENTRIES} directory entries"
        for name in filenames:
            path = Path(dirpath, name)
            try:
                info = path.lstat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            files.append(path)
            size += info.st_size
            if len(files) > MAX_MANIFEST_FILES:
                return f"not hashed: more than {MAX_MANIFEST_FILES} files"
            if size > MAX_MANIFEST_BYTES:
                return f"not hashed: more than {MAX_MANIFEST_BYTES} bytes"
    return files


def manifests_digest(given: str, bases: tuple[Path, ...], allowed: Sequence[Path] | None = None) -> ManifestsDigest:
    """SHA-256 of `sha256sum` over every file, reproducible with the shell command shown on the page.

    `(cd DIR && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum`

    `given` comes from a results file: with `allowed`, a directory that resolves outside every
    allowed root is not read (the page says so), and hashing is bounded in files and bytes.
    """
    roots = None if allowed is None else [r.resolve() for r in allowed]
    try:
        candidates = [Path(given)] if Path(given).is_absolute() else [base / given for base in bases]
    except ValueError:
        return ManifestsDigest(given, given, None, 0, "not a usable path")
    refused = False
    for candidate in candidates:
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            continue
        if not resolved.is_dir():
            continue
        if roots is not None and not _inside(resolved, roots):
            refused = True
            continue
        found = _regular_files(resolved)
        if isinstance(found, str):
            return ManifestsDigest(given, str(resolved), None, 0, found)
        found.sort(key=lambda p: ("./" + p.relative_to(resolved).as_posix()).encode())
        lines = []
        for path in found:
            try:
                digest = hashlib.sha256(read_bounded(path, MAX_MANIFEST_BYTES)).hexdigest()
            except (OSError, UnusableInput):
                return ManifestsDigest(given, str(resolved), None, 0, f"not hashed: {path.name} cannot be read")
            lines.append(f"{digest}  ./{path.relative_to(resolved).as_posix()}\n")
        total = hashlib.sha256("".join(lines).encode()).hexdigest()
        return ManifestsDigest(given, str(resolved), total, len(found))
    if refused:
        return ManifestsDigest(
            given, given, None, 0, "not read: it lies outside the project root and the results directories"
        )
    return ManifestsDigest(given, given, None, 0, "directory not found when the report was built")


def project_root() -> Path:
    """The checkout this package runs from (for the git revision and relative manifests paths)."""
    return Path(__file__).resolve().parents[2]
