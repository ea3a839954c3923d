"""Everything the report reads from disk: results files, git revision, images.env, manifests.

No subprocess (the project bans it outside fixtures/): the git revision is read from
`.git` itself and the image IDs from the offline build's images.env.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from minio_conformance.redact import Redactor
from minio_conformance.reporting.model import IGNORED_RUNS, RunFile, classify_run

DEFAULT_CACHE = "/var/cache/minio-conformance"


class UnusableInput(Exception):
    """The reports directory cannot be turned into a report; the message is one line for the user."""


@dataclass(frozen=True)
class Loaded:
    runs: tuple[RunFile, ...]
    ignored: tuple[str, ...]


def load_runs(directory: Path, redactor: Redactor) -> Loaded:
    """Every conformance `<name>.json` in `directory`, each text passed through the redactor again."""
    if not directory.exists():
        raise UnusableInput(f"reports directory {directory} does not exist")
    if not directory.is_dir():
        raise UnusableInput(f"{directory} is not a directory")
    runs, ignored = [], []
    for path in sorted(directory.glob("*.json")):
        name = path.stem
        if name in IGNORED_RUNS or classify_run(name) is None:
            ignored.append(path.name)
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UnusableInput(f"{path}: cannot be read: {exc}") from None
        except json.JSONDecodeError as exc:
            raise UnusableInput(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
            raise UnusableInput(f"{path}: not a results record (no 'tests' list); was it written by --minio-results?")
        html = f"{name}.html" if (directory / f"{name}.html").is_file() else None
        junit = f"{name}.xml" if (directory / f"{name}.xml").is_file() else None
        runs.append(RunFile(name, redactor.obj(data), html, junit))
    if not runs:
        found = ", ".join(ignored) if ignored else "no JSON files"
        raise UnusableInput(
            f"no conformance results (static.json, leg-<N>nodes-<phase>.json) in {directory} (found: {found})"
        )
    return Loaded(tuple(runs), tuple(ignored))


def read_redact_file(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UnusableInput(f"--redact-file {path}: cannot be read: {exc.strerror or exc}") from None
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
        return parse_env_file(path.read_text(encoding="utf-8"))
    except OSError:
        return {}


# --- manifests hash ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestsDigest:
    given: str
    path: str
    sha256: str | None
    files: int
    note: str = ""


def manifests_digest(given: str, bases: tuple[Path, ...]) -> ManifestsDigest:
    """SHA-256 of `sha256sum` over every file, reproducible with the shell command shown on the page.

    `(cd DIR && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum`
    """
    candidates = [Path(given)] if Path(given).is_absolute() else [base / given for base in bases]
    for candidate in candidates:
        if candidate.is_dir():
            files = sorted(
                (p for p in candidate.rglob("*") if p.is_file()),
                key=lambda p: ("./" + p.relative_to(candidate).as_posix()).encode(),
            )
            listing = "".join(
                f"{hashlib.sha256(p.read_bytes()).hexdigest()}  ./{p.relative_to(candidate).as_posix()}\n"
                for p in files
            )
            digest = hashlib.sha256(listing.encode()).hexdigest()
            return ManifestsDigest(given, str(candidate.resolve()), digest, len(files))
    return ManifestsDigest(given, given, None, 0, "directory not found when the report was built")


def project_root() -> Path:
    """The checkout this package runs from (for the git revision and relative manifests paths)."""
    return Path(__file__).resolve().parents[2]
