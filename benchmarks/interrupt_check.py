"""Interrupt check: signal a 1-node live run at several points and prove it leaves nothing behind.

    python benchmarks/interrupt_check.py [--points create,storage-prep,...] [--images-env PATH]

Each point starts `python -m pytest suites -m live --minio-live --minio-nodes=1` (the offline
images from images.env) as a process group of its own, waits until the run's progress output
shows it has reached the point (`[minio-conformance] ...`, `[deploy] ...`, kind's steps, test
results), then signals the whole group as a terminal or a CI runner would. Once the run has
exited it looks for what the run may have left: the kind cluster `minio-conformance-1n`, its
node containers and their volumes, processes of the run, kind's scratch files. Every run must
also start clean (create its cluster, not reuse one a previous point left).

The `matrix-*` points run `python -m fixtures.matrix --nodes 1 --no-bare` (the driver of
`nox -s conformance`) instead: it forwards the signal to the leg's pytest and then deletes the
job's cluster itself.

One line per point, then `interrupt check: N points tried, M leftovers`; exit 0 only when
nothing was left and every point was reached and ended in a non-zero exit. Every wait has a
deadline; a run that hangs is killed, and whatever the check's runs created is removed. The
check refuses to start while a cluster of that name exists (it is not the check's to delete).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fixtures.cluster import KIND_CLUSTER_LABEL, state_dir
from fixtures.commands import Command, CommandError, GroupProcess
from fixtures.config import PROJECT_ROOT
from minio_conformance.kindnodes import cluster_name

CLUSTER = cluster_name(1)
CACHE = Path(os.environ.get("MINIO_CONFORMANCE_CACHE", "/var/cache/minio-conformance"))
MATRIX_REPORTS = PROJECT_ROOT / "reports" / "interrupt-check"  # the matrix points' results, apart from a real run
IMAGE_SETTINGS = {  # images.env key -> the suite's environment variable
    "NODE_IMAGE": "MINIO_CONFORMANCE_NODE_IMAGE",
    "MINIO_IMAGE": "MINIO_CONFORMANCE_MINIO_IMAGE",
    "HELPER_IMAGE": "MINIO_CONFORMANCE_HELPER_IMAGE",
}
PROGRESS = r"^\[minio-conformance\] "
TEARDOWN_START = PROGRESS + r"interrupted by SIG\w+ during .*: tearing down kind cluster "
TEARDOWN_DONE = (
    PROGRESS
    + r"(interrupted by SIG\w+ during .*: )?(deleted kind cluster|keeping|kept|nothing to tear down|TEARDOWN FAILED).*"
)
DEFERRED = PROGRESS + r"SIG\w+ received while tearing down .*: deferred"
FRESH_START = PROGRESS + r"creating kind cluster " + re.escape(CLUSTER)
REUSED_START = PROGRESS + r"reusing kind cluster " + re.escape(CLUSTER)
TEST_RESULT = r"^suites/\S+::\S+ (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)"
MATRIX_LINE = r"^\[matrix \+ *\d+s\] "
MATRIX_TEARDOWN = MATRIX_LINE + r"1n: teardown: (deleted kind cluster|no kind cluster)"
TEST_PROGRESS = r"^suites/test_\w+\.py [.sFE]+"  # a disruptive test file done (pytest ends its line then)
JOB_PREFIX = re.compile(r"^\[1n\] ")  # the matrix prefixes each line of the leg's output with its job


@dataclass(frozen=True)
class Point:
    """Where to interrupt a run: the signal goes once `after` has matched output lines, in order."""

    key: str
    label: str
    sig: signal.Signals
    after: tuple[str, ...]
    second: signal.Signals | None = None  # sent again once the run's teardown has started
    matrix: bool = False  # signal `nox -s conformance`'s driver (fixtures/matrix.py) instead of pytest


POINTS = (
    Point(
        "create",
        "cluster creation (nodes started)",
        signal.SIGINT,
        (FRESH_START, r"Preparing nodes", r"Starting control-plane"),  # node container up, kubeadm init running
    ),
    Point("load", "image loading", signal.SIGTERM, (FRESH_START, PROGRESS + r"loading image ")),
    Point(
        "storage-prep",
        "deploy: storage preparation",
        signal.SIGINT,
        (FRESH_START, PROGRESS + r"\[deploy\] 5 storage preparation \.\.\.$"),
    ),
    Point(
        "ready",
        "deploy: wait for Ready",
        signal.SIGTERM,
        (FRESH_START, PROGRESS + r"\[deploy\] 9-10 wait for Ready \.\.\.$"),
    ),
    Point("live", "live tier", signal.SIGINT, (FRESH_START, PROGRESS + r"MinIO Ready ", TEST_RESULT, TEST_RESULT)),
    Point(
        "teardown",
        "teardown (second signal)",
        signal.SIGTERM,
        (FRESH_START, PROGRESS + r"MinIO Ready ", TEST_RESULT),
        second=signal.SIGINT,
    ),
    Point("create-early", "cluster creation (just started)", signal.SIGTERM, (FRESH_START,)),
    Point(
        "matrix-deploy",
        "matrix: deploy (storage preparation)",
        signal.SIGTERM,
        (FRESH_START, PROGRESS + r"\[deploy\] 5 storage preparation \.\.\.$"),
        matrix=True,
    ),
    Point(
        "matrix-disruptive",
        "matrix: disruptive scenario",
        signal.SIGINT,
        (FRESH_START, MATRIX_LINE + r"1n: disruptive starts", TEST_PROGRESS),
        matrix=True,
    ),
)


class Trigger:
    """Matches output lines against a point's patterns, in order; `feed` is True once the last one matched."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = [re.compile(p) for p in patterns]
        self.matched = 0

    @property
    def fired(self) -> bool:
        return self.matched == len(self.patterns)

    def feed(self, line: str) -> bool:
        if not self.fired and self.patterns[self.matched].search(line):
            self.matched += 1
        return self.fired

    def waiting_for(self) -> str:
        return self.patterns[self.matched].pattern if not self.fired else "(fired)"


@dataclass
class Observation:
    """What is left once a run has exited."""

    clusters: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    scratch: list[str] = field(default_factory=list)


def leftovers(seen: Observation, cluster: str = CLUSTER) -> list[str]:
    """One entry per thing left behind."""
    out = [f"kind cluster {cluster}"] if cluster in seen.clusters else []
    out += [f"container {c}" for c in seen.containers]
    out += [f"volume {v}" for v in seen.volumes]
    out += [f"process {p}" for p in seen.processes]
    out += [f"scratch file {s}" for s in seen.scratch]
    return out


def group_members(ps_output: str, pgid: int) -> list[str]:
    """`pid command` of every process in group `pgid`, from `ps -e -o pid=,pgid=,comm=` output."""
    found = []
    for row in ps_output.splitlines():
        parts = row.split(None, 2)
        if len(parts) >= 2 and parts[1] == str(pgid):
            found.append(f"{parts[0]} {parts[2] if len(parts) > 2 else '?'}")
    return found


def parse_images_env(text: str) -> dict[str, str]:
    """KEY=VALUE lines of images.env (shell-quoted values, # comments), as `nox -s conformance` reads them."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition("=")
        words = shlex.split(value)
        if key.strip() and words:
            found[key.strip()] = words[0]
    return found


@dataclass
class Result:
    point: Point
    reached_after: float | None = None  # seconds from start to the signal
    exit_code: int | None = None  # None: did not exit by the deadline (killed)
    exit_after: float | None = None  # seconds from the (first) signal to exit
    fresh: bool | None = None  # the run created its cluster (nothing reused from before)
    teardown: str = ""  # the run's own teardown line
    deferred: bool = False  # the run said it deferred the second signal
    left: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def judge(result: Result) -> list[str]:
    """Problems other than leftovers: point not reached, exit 0, hang, no teardown line, reused cluster."""
    out = []
    if result.reached_after is None:
        out.append("point not reached")
    if result.exit_code is None:
        out.append("did not exit by the deadline (killed)")
    elif result.exit_code == 0:
        out.append("exited 0 after an interrupt")
    if result.fresh is False:
        out.append("reused a cluster left from before")
    if result.reached_after is not None and not result.teardown:
        out.append("no teardown line")
    if result.point.second is not None and result.reached_after is not None and not result.deferred:
        out.append("second signal not reported as deferred")
    return out


def point_line(result: Result) -> str:
    p = result.point
    sig = p.sig.name + (f"+{p.second.name}" if p.second else "")
    reached = f"{result.reached_after:.1f} s" if result.reached_after is not None else "not reached"
    exited = f"{result.exit_after:.1f} s" if result.exit_after is not None else "-"
    code = str(result.exit_code) if result.exit_code is not None else "none (killed)"
    left = ", ".join(result.left) if result.left else "none"
    line = f"{sig:<15} {p.label:<34} signalled at {reached}, exit {code} after {exited}, leftovers: {left}" + (
        f"; teardown: {result.teardown}" if result.teardown else ""
    )
    if result.problems:
        line += f"; PROBLEMS: {'; '.join(result.problems)}"
    return line


def summary_line(results: Iterable[Result]) -> str:
    done = list(results)
    return f"interrupt check: {len(done)} points tried, {sum(len(r.left) for r in done)} leftovers"


def exit_code(results: Iterable[Result]) -> int:
    done = list(results)
    return 0 if done and not any(r.left or r.problems for r in done) else 1


# --- I/O -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    reach: float = 900.0  # start -> the point (a fresh cluster, images, deployment Ready)
    exit: float = 420.0  # signal -> exit (teardown: kind delete is bounded at 300 s)
    linger: float = 10.0  # exit -> every process of the run gone


class Host:
    """The docker, kind and ps look-ups of the check."""

    def __init__(self, kind: str) -> None:
        self.kind = Command(kind)
        self.docker = Command("docker")
        self.ps = Command("ps")

    def clusters(self) -> list[str]:
        return self.kind.run("get", "clusters", timeout=60).stdout.split()

    def containers(self) -> list[str]:
        by_label = self.docker.run(
            "ps", "-a", "--filter", f"label={KIND_CLUSTER_LABEL}={CLUSTER}", "--format", "{{.Names}}", timeout=60
        ).stdout.split()
        by_name = self.docker.run("ps", "-a", "--format", "{{.Names}}", timeout=60).stdout.split()
        return sorted(set(by_label) | {n for n in by_name if n.startswith(CLUSTER + "-")})

    def volumes_of(self, containers: Sequence[str]) -> set[str]:
        if not containers:
            return set()
        out = self.docker.run(
            "inspect",
            "--format",
            '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}',
            *containers,
            timeout=60,
            check=False,
        ).stdout
        return set(out.split())

    def existing_volumes(self, names: set[str]) -> list[str]:
        present = set(self.docker.run("volume", "ls", "-q", timeout=60).stdout.split())
        return sorted(names & present)

    def group(self, pgid: int) -> list[str]:
        return group_members(self.ps.run("-e", "-o", "pid=,pgid=,comm=", timeout=30).stdout, pgid)

    def remove_cluster(self) -> None:
        """Remove what the check's runs created: the cluster and any container or volume of it."""
        self.kind.run("delete", "cluster", "--name", CLUSTER, timeout=300, check=False)
        left = self.containers()
        if left:
            self.docker.run("rm", "-f", "-v", *left, timeout=120, check=False)


def scratch_files() -> list[str]:
    """What kind left in the run's scratch dir (`kind load` writes image tars there)."""
    scratch = state_dir(CLUSTER) / "tmp"
    return sorted(str(p) for p in scratch.rglob("*")) if scratch.is_dir() else []


def run_command(tools: dict[str, str], point: Point | None = None) -> list[str]:
    if point is not None and point.matrix:
        return [sys.executable, "-m", "fixtures.matrix", "--nodes", "1", "--no-bare", "--reports", str(MATRIX_REPORTS)]
    return [
        sys.executable, "-m", "pytest", "suites", "-m", "live", "--minio-live", "--minio-nodes=1",
        "-v", "-p", "no:cacheprovider", "--minio-kind", tools["KIND"], "--minio-kubectl", tools["KUBECTL"],
    ]  # fmt: skip


def run_env(tools: dict[str, str]) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("MINIO_CONFORMANCE_KUBECONFIG", "MINIO_CONFORMANCE_CONTEXT")
    }
    env.update({var: tools[key] for key, var in IMAGE_SETTINGS.items() if key in tools})
    env.update({f"MINIO_CONFORMANCE_{key}": tools[key] for key in ("KIND", "KUBECTL") if key in tools})
    env["PYTHONUNBUFFERED"] = "1"  # progress lines arrive as they are written
    return env


def try_point(
    point: Point, tools: dict[str, str], host: Host, limits: Deadlines, log: Path, project: Path = PROJECT_ROOT
) -> Result:
    result = Result(point)
    trigger = Trigger(point.after)
    volumes: set[str] = set()
    run = GroupProcess(run_command(tools, point), env=run_env(tools), cwd=project)
    signalled_at: float | None = None
    second_sent = False
    with log.open("a") as out:
        out.write(f"\n===== {point.key}: {' '.join(run.argv)}\n")

        def lines_until(deadline: float) -> Iterable[str]:
            while time.monotonic() < deadline:
                try:
                    line = run.next_line(min(1.0, deadline - time.monotonic()))
                except EOFError:
                    return
                if line is not None:
                    out.write(line + "\n")
                    out.flush()
                    if point.matrix and re.search(MATRIX_TEARDOWN, line):
                        result.teardown = line
                    yield JOB_PREFIX.sub("", line)

        try:
            for line in lines_until(run.started + limits.reach):
                if re.search(FRESH_START, line) and result.fresh is None:
                    result.fresh = True
                elif re.search(REUSED_START, line) and result.fresh is None:
                    result.fresh = False
                if trigger.feed(line):
                    run.signal(point.sig)
                    signalled_at = time.monotonic()
                    result.reached_after = signalled_at - run.started
                    break
            if signalled_at is None:
                result.problems.append(f"waiting for /{trigger.waiting_for()}/")
                signalled_at = time.monotonic()
                run.signal(point.sig)  # end it the same way, so the leftovers are still judged
            probed = 0.0
            for line in lines_until(signalled_at + limits.exit):
                if time.monotonic() - probed > 1.0:  # containers still being created or deleted: note their volumes
                    volumes |= host.volumes_of(host.containers())
                    probed = time.monotonic()
                if point.second is not None and not second_sent and re.search(TEARDOWN_START, line):
                    run.signal(point.second)
                    second_sent = True
                if re.search(DEFERRED, line):
                    result.deferred = True
                if re.search(TEARDOWN_DONE, line) and not point.matrix:
                    result.teardown = line.removeprefix("[minio-conformance] ")
            result.exit_code = run.wait(max(signalled_at + limits.exit - time.monotonic(), 1.0))
            if result.exit_code is not None:
                result.exit_after = time.monotonic() - signalled_at
            linger_until = time.monotonic() + limits.linger
            while run.group_alive() and time.monotonic() < linger_until:
                time.sleep(0.5)
            stragglers = host.group(run.pgid) if run.group_alive() else []
        finally:
            run.kill()  # no-op when everything exited
        time.sleep(3)  # a container whose creation was in flight when the run died lands within this
        seen = Observation(
            clusters=host.clusters(),
            containers=host.containers(),
            volumes=host.existing_volumes(volumes),
            processes=stragglers,
            scratch=scratch_files(),
        )
        result.left = leftovers(seen)
        result.problems += judge(result)
        if point.second is not None and not second_sent and result.reached_after is not None:
            result.problems.append("no teardown-start line to send the second signal on")
        out.write(f"===== {point.key}: {point_line(result)}\n")
    if result.left:
        host.remove_cluster()  # the next point must start clean; the leftover is already counted
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--points", default=",".join(p.key for p in POINTS), help="comma-separated point keys")
    parser.add_argument("--images-env", type=Path, default=CACHE / "images.env")
    parser.add_argument("--log", type=Path, default=PROJECT_ROOT / "reports" / "interrupt-check.log")
    parser.add_argument("--reach-deadline", type=float, default=Deadlines.reach)
    parser.add_argument("--exit-deadline", type=float, default=Deadlines.exit)
    parser.add_argument(
        "--project", type=Path, default=PROJECT_ROOT, help="run the leg from this checkout (e.g. an older commit)"
    )
    args = parser.parse_args(argv)
    by_key = {p.key: p for p in POINTS}
    unknown = [k for k in args.points.split(",") if k not in by_key]
    if unknown:
        print(f"interrupt check: unknown point(s) {', '.join(unknown)}; known: {', '.join(by_key)}")
        return 2
    if not args.images_env.is_file():
        print(f"interrupt check: {args.images_env} not found: build the offline images first (nox -s images)")
        return 2
    tools = parse_images_env(args.images_env.read_text())
    missing = [k for k in ("KIND", "KUBECTL", *IMAGE_SETTINGS) if k not in tools]
    if missing:
        print(f"interrupt check: {args.images_env} lacks {', '.join(missing)}")
        return 2
    host = Host(tools["KIND"])
    try:
        if CLUSTER in host.clusters() or host.containers():
            print(f"interrupt check: kind cluster {CLUSTER} (or a container of it) exists already; it is not this "
                  "check's to delete, refusing to start")  # fmt: skip
            return 2
    except CommandError as exc:
        print(f"interrupt check: cannot ask kind or docker: {exc}")
        return 2
    args.log.parent.mkdir(parents=True, exist_ok=True)
    args.log.write_text("")
    limits = Deadlines(reach=args.reach_deadline, exit=args.exit_deadline)
    results: list[Result] = []
    try:
        for key in args.points.split(","):
            result = try_point(by_key[key], tools, host, limits, args.log, args.project.resolve())
            results.append(result)
            print(point_line(result), flush=True)
    finally:
        if CLUSTER in host.clusters() or host.containers():  # the check's own interrupt, or a hang
            host.remove_cluster()
    problems = [f"{r.point.key}: {p}" for r in results for p in r.problems]
    if problems:
        print(f"interrupt check: {len(problems)} problem(s): {'; '.join(problems)}")
    print(summary_line(results))
    return exit_code(results)


if __name__ == "__main__":
    raise SystemExit(main())
