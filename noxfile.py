"""Sessions: `tests` (own tests + static tier), `lint`, `images` (offline toolchain), `conformance`, `quick`, `upgrade`.

`conformance` is the main job: for each node count it proves the static tier, then
brings up a kind cluster and proves the live tier (read-only checks in parallel),
then the disruptive tier (one scenario at a time), and deletes the cluster. `quick` is the
pull-request profile: the static tier and the 4-node live tier only, in `reports/quick/`,
reported as a partial run.
"""

from __future__ import annotations

import os
import shlex
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


def built_images() -> dict[str, str]:
    """MINIO_CONFORMANCE_* settings from the offline build (images.env), unless set already."""
    env_file = CACHE / "images.env"
    found: dict[str, str] = {}
    if env_file.is_file():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key in IMAGE_KEYS and value:
                found[f"MINIO_CONFORMANCE_{IMAGE_KEYS[key]}"] = shlex.split(value)[0] if value.strip() else value
    return {k: v for k, v in found.items() if not os.environ.get(k)}


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


@nox.session(python=PYTHON, default=False)
@nox.parametrize("nodes", [nox.param(n, id=f"{n}nodes") for n in NODE_COUNTS])
def conformance(session: nox.Session, nodes: int) -> None:
    """One leg: static, then live (parallel, read-only), then disruptive (serial) on a kind cluster of `nodes`."""
    _install(session)
    env = built_images()
    for key, value in sorted(env.items()):
        session.log(f"offline build: {key}={value}")
    leg = f"leg-{nodes}nodes"
    # The static column of the combined report (2 s); every leg refreshes it.
    session.run("pytest", "suites", "-m", "static", "--minio-nodes=1,2,4", *_report_args("static"), env=env)
    static_only = os.environ.get("MINIO_CONFORMANCE_STATIC_ONLY")
    if static_only:
        session.warn(f"LIVE TIER NOT RUN for {nodes} node(s): {static_only}")
        session.run(
            "pytest",
            "suites",
            "-m",
            "static",
            f"--minio-nodes={nodes}",
            *_report_args(f"{leg}-static"),
            *session.posargs,
            env=env,
        )
        return
    common = ["--minio-live", f"--minio-nodes={nodes}", *session.posargs]
    failed = []
    phases = [
        ("live", ["-m", "static or live", "-n", "2", "--dist", "loadgroup", "--minio-keep-cluster"]),
        ("disruptive", ["-m", "disruptive", "--minio-keep-cluster"]),
    ]
    try:
        for label, args in phases:
            try:
                session.run(
                    "pytest",
                    "suites",
                    *args,
                    *common,
                    *_report_args(f"{leg}-{label}"),
                    env=env,
                    interrupt_timeout=INTERRUPT_TIMEOUT_S,
                    terminate_timeout=TERMINATE_TIMEOUT_S,
                )
            except CommandFailed:
                failed.append(label)
    finally:
        session.run("python", "-m", "fixtures.teardown", str(nodes), env=env, success_codes=[0, 1])
        # The combined auditor page over every leg that has results so far.
        session.run("python", "-m", "minio_conformance.reporting", str(REPORTS), success_codes=[0, 1, 2, 3])
    if failed:
        session.error(f"{nodes}-node leg: failures in {', '.join(failed)}")


@nox.session(python=PYTHON, default=False)
def quick(session: nox.Session) -> None:
    """Pull-request profile: the static tier, then the live tier on a 4-node kind cluster; no disruptive scenarios.

    Results go to `reports/quick/` (its previous results are removed first), the cluster is deleted
    whatever the outcome, and the page is built with `--profile quick`: PASS-PARTIAL or FAILED,
    never PASS. posargs go to both pytest runs.
    """
    _install(session)
    env = built_images()
    for key, value in sorted(env.items()):
        session.log(f"offline build: {key}={value}")
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
def upgrade(session: nox.Session) -> None:
    """The upgrade scenario alone: deploy the base, write data, apply the head, roll back, then the proof heads.

    `nox -s upgrade -- --minio-base origin/main` compares the working tree's manifests with main's;
    4 nodes unless `--minio-nodes=N` is passed.
    """
    _install(session)
    env = built_images()
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
