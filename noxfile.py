"""Sessions: `tests` (own tests + static tier), `lint`, `images` (offline toolchain), `conformance`.

`conformance` is the main job: for each node count it proves the static tier and,
when a cluster can be had, the live and disruptive tiers on a kind cluster.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = False

PROJECT = Path(__file__).parent
REPORTS = PROJECT / "reports"
NODE_COUNTS = (1, 2, 4)
PYTHON = "3.11"


def _install(session: nox.Session, extras: str = "") -> None:
    session.install("-e", f".{extras}")


def _report_args(name: str) -> list[str]:
    REPORTS.mkdir(exist_ok=True)
    return [
        f"--junitxml={REPORTS / name}.xml",
        f"--html={REPORTS / name}.html",
        "--self-contained-html",
    ]


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
    session.run("ruff", "check", ".")
    session.run("mypy", "minio_conformance", "fixtures", "suites", "tests", "noxfile.py", "conftest.py")


@nox.session(python=False, default=False)
def images(session: nox.Session) -> None:
    """Build (or reload from cache) the kind node, MinIO and helper images with no registry."""
    session.run("bash", str(PROJECT / "toolchain" / "setup-docker.sh"), external=True)
    session.run("bash", str(PROJECT / "toolchain" / "build-images.sh"), *session.posargs, external=True)


@nox.session(python=PYTHON, default=False)
@nox.parametrize("nodes", [nox.param(n, id=f"{n}nodes") for n in NODE_COUNTS])
def conformance(session: nox.Session, nodes: int) -> None:
    """One leg of the matrix: static + live + disruptive tiers for `nodes` schedulable nodes."""
    _install(session)
    tiers = "static or live or disruptive"
    if os.environ.get("MINIO_CONFORMANCE_STATIC_ONLY"):
        session.warn(f"live tier NOT RUN for {nodes} node(s): {os.environ['MINIO_CONFORMANCE_STATIC_ONLY']}")
        tiers = "static"
    session.run(
        "pytest",
        "suites",
        "-m",
        tiers,
        f"--minio-nodes={nodes}",
        *_report_args(f"leg-{nodes}nodes"),
        *session.posargs,
    )
