"""Sessions: `tests` (own tests + static tier), `lint`, `images` (offline toolchain), `conformance`, `quick`, `upgrade`.

`conformance` is the main job: for each node count it proves the static tier, then
brings up a kind cluster and proves the live tier (read-only checks in parallel),
then the disruptive tier (one scenario at a time), and deletes the cluster. `quick` is the
pull-request profile: the static tier and the 4-node live tier only, in `reports/quick/`,
reported as a partial run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import nox
from nox.command import CommandFailed

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_venv = "yes"
# A session whose interpreter is missing fails: a run must never pass without running its tests.
nox.options.error_on_missing_interpreters = True

PROJECT = Path(__file__).parent
REPORTS = PROJECT / "reports"
QUICK_REPORTS = REPORTS / "quick"  # the quick profile's own results: never mixed with a full run's
QUICK_NODES = 4
NODE_COUNTS = (1, 2, 4)
PYTHON = "3.11"
# What lint covers: the project's own files, never a virtualenv or build output that sits in the checkout.
LINT_PATHS = ("minio_conformance", "fixtures", "suites", "tests", "benchmarks", "noxfile.py", "conftest.py")
CACHE = Path(os.environ.get("MINIO_CONFORMANCE_CACHE", "/var/cache/minio-conformance"))
IMAGE_KEYS = {
    "NODE_IMAGE": "NODE_IMAGE",
    "MINIO_IMAGE": "MINIO_IMAGE",
    "HELPER_IMAGE": "HELPER_IMAGE",
    "KIND": "KIND",
    "KUBECTL": "KUBECTL",
}


# On Ctrl-C nox would SIGTERM pytest after 0.3 s and SIGKILL it 0.2 s later, cutting its teardown short:
# give a live run the time its teardown needs (deleting a kind cluster takes seconds).
INTERRUPT_TIMEOUT_S, TERMINATE_TIMEOUT_S = 360.0, 60.0
# The matrix forwards the signal to every leg and waits for their teardowns (fixtures/matrix.py).
MATRIX_INTERRUPT_TIMEOUT_S = 420.0


def _install(session: nox.Session, extras: str = "") -> None:
    session.install("-e", f".{extras}")


def _report_args(name: str, directory: Path = REPORTS) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    return [
        f"--junitxml={directory / name}.xml",
        f"--html={directory / name}.html",
        "--self-contained-html",
        f"--minio-results={directory / name}.json",
    ]


def _env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a file the toolchain wrote (images.env, minio-releases.env); {} when absent."""
    found: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("=")
            if key and not key.startswith("#") and value.strip():
                found[key] = shlex.split(value)[0]
    return found


def built_images() -> dict[str, str]:
    """MINIO_CONFORMANCE_* settings from the offline build (images.env), unless set already."""
    built = _env_file(CACHE / "images.env")
    found = {f"MINIO_CONFORMANCE_{IMAGE_KEYS[k]}": v for k, v in built.items() if k in IMAGE_KEYS}
    return {k: v for k, v in found.items() if not os.environ.get(k)}


def version_change_base(session: nox.Session, env: Mapping[str, str]) -> str | None:
    """The older MinIO release the matrix's version change starts from, when the cache holds it beside this
    run's MinIO image (`toolchain/build-minio-release.sh` builds it once); None leaves the version change out.

    `MINIO_CONFORMANCE_VERSION_CHANGE=off` leaves it out; an image reference there names the base itself
    (it must be in the local Docker engine, to be loaded into kind).
    """
    wanted = os.environ.get("MINIO_CONFORMANCE_VERSION_CHANGE", "")
    if wanted == "off":
        session.log("version change: left out (MINIO_CONFORMANCE_VERSION_CHANGE=off)")
        return None
    if wanted:
        session.log(f"version change: base {wanted} (MINIO_CONFORMANCE_VERSION_CHANGE)")
        return wanted
    releases = _env_file(CACHE / "minio-releases.env")
    base, archive = releases.get("MINIO_BASE_IMAGE"), releases.get("MINIO_BASE_IMAGE_ARCHIVE")
    head = env.get("MINIO_CONFORMANCE_MINIO_IMAGE") or os.environ.get("MINIO_CONFORMANCE_MINIO_IMAGE")
    if not base or not archive or not Path(archive).is_file():
        session.log("version change: not run (no older MinIO release in the cache; toolchain/build-minio-release.sh)")
        return None
    if releases.get("MINIO_HEAD_IMAGE") != head:
        session.log(
            f"version change: not run (the cached {base} was built beside {releases.get('MINIO_HEAD_IMAGE')}; "
            f"this run's MinIO image is {head or 'the public default'})"
        )
        return None
    try:
        present = subprocess.run(["docker", "image", "inspect", base], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError) as exc:
        session.log(f"version change: not run (docker cannot be asked for {base}: {exc})")
        return None
    if not present:
        session.run("docker", "load", "-q", "-i", archive, external=True, silent=True)
    session.log(f"version change: {base} -> {head}")
    return base


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The suite's own tests, then the static tier for 1, 2 and 4 nodes (no cluster)."""
    _install(session)
    session.run("pytest", "tests", *_report_args("unit"), *session.posargs)
    session.run("pytest", "suites", "-m", "static", "--minio-nodes=1,2,4", *_report_args("static"), *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff and mypy over the whole project."""
    _install(session, "[lint]")
    paths = [p for p in LINT_PATHS if (PROJECT / p).exists()]
    session.run("ruff", "check", *paths)
    session.run("mypy", *paths)


@nox.session(python=False, default=False)
def images(session: nox.Session) -> None:
    """Build (or reload from cache) kind, the kind node, MinIO and helper images with no registry."""
    session.run("bash", str(PROJECT / "toolchain" / "setup-docker.sh"), external=True)
    session.run("bash", str(PROJECT / "toolchain" / "build-images.sh"), *session.posargs, external=True)


def _public_minio_image() -> str | None:
    """The MinIO image the shipped StatefulSet names (the public default)."""
    found = re.search(r"^\s*image:\s*(\S+)", (PROJECT / "manifests" / "06-statefulset.yaml").read_text(), re.M)
    return found.group(1).strip("\"'") if found else None


def _public_images_usable(session: nox.Session) -> str | None:
    """None when kind, kubectl and a pull of the public MinIO image work here; otherwise why not."""
    missing = [tool for tool in ("kind", "kubectl") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not on PATH"
    image = _public_minio_image()
    if image is None:
        return "no image named in manifests/06-statefulset.yaml"
    try:
        session.run("docker", "pull", "-q", image, external=True, silent=True, env={"DOCKER_CLI_HINTS": "false"})
    except CommandFailed:
        return f"the public image {image} cannot be pulled"
    return None


def ensure_images(session: nox.Session) -> dict[str, str]:
    """Images and tools for the live tier: the user's settings, else the offline build, else the public images.

    Settings given in MINIO_CONFORMANCE_* are used as they are. An offline build in the cache is
    reloaded (seconds when nothing changed). With neither, the public images are used when they can
    be pulled here; when they cannot (no registry access), the offline images are built from Go
    modules and Debian packages, with progress per step (about 20 minutes the first time, cached after).
    `MINIO_CONFORMANCE_IMAGES=offline|public` forces the choice.
    """
    wanted = os.environ.get("MINIO_CONFORMANCE_IMAGES", "")
    if wanted not in ("", "offline", "public"):
        session.error(f"MINIO_CONFORMANCE_IMAGES={wanted!r}: use offline or public")
    user_set = all(os.environ.get(f"MINIO_CONFORMANCE_{key}") for key in ("NODE_IMAGE", "MINIO_IMAGE", "HELPER_IMAGE"))
    if user_set and wanted != "offline":
        session.log("images: the MINIO_CONFORMANCE_*_IMAGE settings as given")
        return {}
    session.run("bash", str(PROJECT / "toolchain" / "setup-docker.sh"), external=True)
    offline_built = (CACHE / "images.env").is_file()
    if wanted == "public" or (not offline_built and wanted != "offline"):
        why_not = _public_images_usable(session)
        if why_not is None:
            session.log("images: public (pulled by kind and the kubelet as needed)")
            return {}
        if wanted == "public":
            session.error(f"images: public images requested, but {why_not}")
        session.log(f"images: {why_not}; building the offline images (cached for later runs)")
    session.run("bash", str(PROJECT / "toolchain" / "build-images.sh"), external=True)
    env = built_images()
    for key, value in sorted(env.items()):
        session.log(f"offline build: {key}={value}")
    return env


def _node_counts(posargs: Sequence[str], default: str) -> tuple[str, list[str]]:
    """`--minio-nodes=N[,N]` from posargs (a CI shard runs one leg), and the rest for pytest."""
    nodes = next((a.split("=", 1)[1] for a in posargs if a.startswith("--minio-nodes=")), default)
    return nodes, [a for a in posargs if not a.startswith("--minio-nodes=")]


@nox.session(python=PYTHON, default=False)
def conformance(session: nox.Session) -> None:
    """The main job: the static column, then the 1/2/4-node legs side by side, then the auditor page.

    Each leg proves the live tier (read-only checks in parallel), then the disruptive tier (one
    scenario at a time) on its own kind cluster; the upgrade scenario runs on a 4-node cluster of
    its own and the bare documented procedure is timed beside them (`fixtures/matrix.py`).
    `nox -s conformance -- --minio-nodes=4` runs one leg (a CI shard); other posargs go to pytest.
    """
    _install(session)
    nodes, rest = _node_counts(session.posargs, ",".join(map(str, NODE_COUNTS)))
    static_only = os.environ.get("MINIO_CONFORMANCE_STATIC_ONLY")
    env = {} if static_only else ensure_images(session)
    # The static column of the combined report (2 s).
    session.run("pytest", "suites", "-m", "static", "--minio-nodes=1,2,4", *_report_args("static"), env=env)
    if static_only:
        for count in nodes.split(","):
            session.warn(f"LIVE TIER NOT RUN for {count} node(s): {static_only}")
            session.run(
                "pytest", "suites", "-m", "static", f"--minio-nodes={count}",
                *_report_args(f"leg-{count}nodes-static"), *rest, env=env,
            )  # fmt: skip
        return
    # MINIO_CONFORMANCE_MUTANTS=N[:K]: the live mutants on N nodes beside the legs (K rotating per run).
    mutants = os.environ.get("MINIO_CONFORMANCE_MUTANTS", "")
    # A real MinIO version change after the upgrade scenario, when the cache holds an older release.
    base = version_change_base(session, env) if "4" in nodes.split(",") else None
    try:
        session.run(
            "python", "-m", "fixtures.matrix", "--nodes", nodes, "--reports", str(REPORTS),
            *(["--mutants", mutants] if mutants else []), *(["--version-change", base] if base else []),
            "--", *rest,
            env=env, interrupt_timeout=MATRIX_INTERRUPT_TIMEOUT_S, terminate_timeout=TERMINATE_TIMEOUT_S,
        )  # fmt: skip
    finally:
        # The combined auditor page over every leg that has results so far.
        session.run("python", "-m", "minio_conformance.reporting", str(REPORTS), success_codes=[0, 1, 2, 3])


@nox.session(python=PYTHON, default=False)
def quick(session: nox.Session) -> None:
    """Pull-request profile: the static tier, then the live tier on a 4-node kind cluster; no disruptive scenarios.

    Results go to `reports/quick/` (its previous results are removed first), the cluster is deleted
    whatever the outcome, and the page is built with `--profile quick`: PASS-PARTIAL or FAILED,
    never PASS. posargs go to both pytest runs.
    """
    _install(session)
    env = ensure_images(session)
    leg = f"leg-{QUICK_NODES}nodes-live"
    QUICK_REPORTS.mkdir(parents=True, exist_ok=True)
    for stem in ("static", leg):
        for suffix in (".json", ".xml", ".html"):
            (QUICK_REPORTS / f"{stem}{suffix}").unlink(missing_ok=True)
    failed = []
    try:
        try:
            session.run(
                "pytest",
                "suites",
                "-m",
                "static",
                "--minio-nodes=1,2,4",
                *_report_args("static", QUICK_REPORTS),
                *session.posargs,
                env=env,
            )
        except CommandFailed:
            failed.append("static")
        try:
            session.run(
                "pytest",
                "suites",
                "-m",
                "static or live",
                "-n",
                "2",
                "--dist",
                "loadgroup",
                "--minio-keep-cluster",
                "--minio-live",
                f"--minio-nodes={QUICK_NODES}",
                *session.posargs,
                *_report_args(leg, QUICK_REPORTS),
                env=env,
                interrupt_timeout=INTERRUPT_TIMEOUT_S,
                terminate_timeout=TERMINATE_TIMEOUT_S,
            )
        except CommandFailed:
            failed.append("live")
    finally:
        session.run("python", "-m", "fixtures.teardown", str(QUICK_NODES), env=env, success_codes=[0, 1])
        try:
            # Exit 0 PASS-PARTIAL, 1 FAILED (the failing run already failed the session); 2 or 3 fail it here.
            session.run(
                "python",
                "-m",
                "minio_conformance.reporting",
                str(QUICK_REPORTS),
                "--profile",
                "quick",
                success_codes=[0, 1],
            )
        except CommandFailed:
            failed.append("report")
    if failed:
        session.error(f"quick profile: failures in {', '.join(failed)}")


@nox.session(python=PYTHON, default=False)
def mutants(session: nox.Session) -> None:
    """Every live mutant on 1, 2 and 4 nodes (nightly): a broken deployment each, caught under its ID or the run fails.

    `nox -s mutants -- --minio-nodes=2` runs one node count; `--only NAME,...` or `--subset K` go to
    the runner (`fixtures/mutants.py`). The table and score land in `reports/mutants-<N>nodes.json`
    and on the next auditor page.
    """
    _install(session)
    env = ensure_images(session)
    nodes, rest = _node_counts(session.posargs, ",".join(map(str, NODE_COUNTS)))
    failed = []
    for count in nodes.split(","):
        try:
            session.run(
                "python", "-m", "fixtures.mutants", "--nodes", count, "--reports", str(REPORTS), *rest,
                env=env, interrupt_timeout=INTERRUPT_TIMEOUT_S, terminate_timeout=TERMINATE_TIMEOUT_S,
            )  # fmt: skip
        except CommandFailed:
            failed.append(count)
    if failed:
        session.error(f"live mutants: not all caught (or not run) on {', '.join(failed)} node(s)")


@nox.session(python=PYTHON, default=False)
def upgrade(session: nox.Session) -> None:
    """The upgrade scenario alone: deploy the base, write data, apply the head, roll back, then the proof heads.

    `nox -s upgrade -- --minio-base origin/main` compares the working tree's manifests with main's;
    4 nodes unless `--minio-nodes=N` is passed.
    """
    _install(session)
    env = ensure_images(session)
    nodes = next((a.split("=", 1)[1] for a in session.posargs if a.startswith("--minio-nodes=")), "4")
    rest = [a for a in session.posargs if not a.startswith("--minio-nodes=")]
    session.run(
        "pytest",
        "suites",
        "-m",
        "upgrade",
        "--minio-live",
        f"--minio-nodes={nodes}",
        "--minio-upgrade-nodes=all",
        *_report_args(f"upgrade-{nodes}nodes"),
        *rest,
        env=env,
        interrupt_timeout=INTERRUPT_TIMEOUT_S,
        terminate_timeout=TERMINATE_TIMEOUT_S,
    )
