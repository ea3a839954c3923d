"""An interrupted live run tears down what it created, once, and a second signal cannot cut that short.

The signal policy is tested on its own; then whole runs (`pytest suites -m live --minio-live`) are
signalled as a process group during bring-up, against stand-in `kind`, `docker` and `kubectl`
scripts that keep their "clusters" and "containers" as files, with the run's state in a temporary
directory. No docker, no cluster. The leg is `--minio-nodes=3` (`minio-conformance-3n`).
"""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures.cluster import STATE_ROOT_ENV
from fixtures.commands import Command, CommandError, GroupProcess
from fixtures.config import PROJECT_ROOT
from fixtures.live import bring_up_phase
from fixtures.teardown import SignalPolicy

LEG = "minio-conformance-3n"

# --- the policy alone -----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_first_signal_interrupts_and_further_ones_are_deferred_with_one_line() -> None:
    lines: list[str] = []
    clock = Clock()
    policy = SignalPolicy(write=lines.append, clock=clock, grace=60, where=lambda: "deploy step 5 storage preparation")
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"):
        policy.handle(signal.SIGTERM)
    assert policy.interrupted_by == "SIGTERM"
    assert policy.first_during == "deploy step 5 storage preparation"
    policy.handle(signal.SIGINT)  # while pytest unwinds towards the teardown: no second KeyboardInterrupt
    with policy.teardown(LEG):
        policy.handle(signal.SIGINT)
        policy.handle(signal.SIGTERM)
    assert policy.received == ["SIGTERM", "SIGINT", "SIGINT", "SIGTERM"]
    assert len(lines) == 1
    assert lines[0].startswith("[minio-conformance] SIGINT received while tearing down")
    assert "deferred" in lines[0]


def test_signals_during_a_teardown_are_deferred_even_without_a_first_interrupt() -> None:
    lines: list[str] = []
    policy = SignalPolicy(write=lines.append, where=lambda: "teardown")
    with policy.teardown(LEG):
        policy.handle(signal.SIGTERM)
    assert policy.interrupted_by == "SIGTERM"  # the run still exits as interrupted
    assert policy.first_during == "teardown"
    assert lines == [
        f"[minio-conformance] SIGTERM received while tearing down {LEG}: deferred until the teardown is done "
        "(further signals are ignored meanwhile)"
    ]


def test_a_swallowed_interrupt_does_not_make_the_run_unstoppable() -> None:
    clock = Clock()
    policy = SignalPolicy(write=lambda _line: None, clock=clock, grace=60)
    with pytest.raises(KeyboardInterrupt):
        policy.handle(signal.SIGINT)
    clock.now += 61  # no teardown started within the grace period
    with pytest.raises(KeyboardInterrupt):
        policy.handle(signal.SIGINT)


def test_install_and_uninstall_restore_the_previous_handlers() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    policy = SignalPolicy()
    policy.install()
    try:
        assert signal.getsignal(signal.SIGINT) == policy.handle
        assert signal.getsignal(signal.SIGTERM) == policy.handle
    finally:
        policy.uninstall()
    assert {s: signal.getsignal(s) for s in before} == before


@pytest.mark.parametrize(
    ("line", "phase"),
    [
        (f"creating kind cluster {LEG}: 1 control plane + 3 worker(s), image kind default", "cluster creation"),
        (f"reusing kind cluster {LEG}", "cluster creation"),
        (f"loading image minio:x into {LEG}", "image loading"),
        ("[deploy] 5 storage preparation ...", "deploy step 5 storage preparation"),
        ("[deploy] 5 storage preparation: 3.0 s", "before"),
        ("[deploy]   storage prep not ready yet (10 s)", "before"),
    ],
)
def test_progress_lines_name_the_bring_up_phase(line: str, phase: str) -> None:
    assert bring_up_phase(line, "before") == phase


# --- whole runs against stand-in tools ------------------------------------------------------------------

FAKE_KIND = """\
#!/bin/sh
# kind stand-in: clusters and node containers are files under $FAKE_STATE.
S="$FAKE_STATE"; echo "kind $*" >> "$S/calls"
case "$1 $2" in
  "get clusters") ls "$S/clusters" 2>/dev/null ;;
  "create cluster")
    name=$(echo "$*" | sed -n 's/.*--name=\\([^ ]*\\).*/\\1/p')
    mkdir -p "$S/clusters/$name" "$S/containers"; touch "$S/containers/$name-control-plane"
    echo " • Preparing nodes 📦   ..."; echo " • Starting control-plane 🕹️  ..."; sleep 60 ;;
  "export kubeconfig") sleep 60 ;;
  "delete cluster")
    sleep "${FAKE_DELETE_SECONDS:-0}"; rm -rf "$S/clusters/$4"; rm -f "$S/containers/$4"-*
    echo "kind deleted $4" >> "$S/calls" ;;
esac
"""

FAKE_DOCKER = """\
#!/bin/sh
# docker stand-in: `ps -a --filter label=io.x-k8s.kind.cluster=NAME` and `rm -f -v NAMES` over $FAKE_STATE.
S="$FAKE_STATE"; echo "docker $*" >> "$S/calls"
case "$1" in
  ps) name=${4#label=io.x-k8s.kind.cluster=}; ls "$S/containers" 2>/dev/null | grep "^$name-" || true ;;
  rm) shift 3; for c in "$@"; do rm -f "$S/containers/$c"; done ;;
esac
"""


@dataclass
class Stand:
    bin: Path
    state: Path

    def calls(self) -> list[str]:
        path = self.state / "calls"
        return path.read_text().splitlines() if path.exists() else []

    def clusters(self) -> list[str]:
        return sorted(p.name for p in (self.state / "clusters").glob("*"))

    def containers(self) -> list[str]:
        return sorted(p.name for p in (self.state / "containers").glob("*"))


@pytest.fixture
def stand(tmp_path: Path) -> Stand:
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    (state / "clusters").mkdir(parents=True)
    (state / "containers").mkdir()
    for name, text in (("kind", FAKE_KIND), ("docker", FAKE_DOCKER), ("kubectl", "#!/bin/sh\nexit 0\n")):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return Stand(bin_dir, state)


@dataclass
class Outcome:
    code: int | None
    lines: list[str]
    signalled_after: float

    def said(self, text: str) -> list[str]:
        return [line for line in self.lines if text in line]


def interrupt(stand: Stand, *extra: str, at: str, first: int, then: int | None = None, when: str = "") -> Outcome:
    """Run a live leg; send `first` to its group once an output line or a stand-in call contains `at`,
    then `then` once one contains `when`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINIO_CONFORMANCE_")}
    env.update(PATH=f"{stand.bin}:{env.get('PATH', '')}", FAKE_STATE=str(stand.state), PYTHONUNBUFFERED="1")
    env[STATE_ROOT_ENV] = str(stand.state / "runs")  # not the project's .pytest-kind/: other runs may use it
    env["FAKE_DELETE_SECONDS"] = "2" if then is not None else "0"
    argv = [sys.executable, "-m", "pytest", "suites", "-m", "live", "--minio-live", "--minio-nodes=3",
            "--minio-kind", str(stand.bin / "kind"), "--minio-kubectl", str(stand.bin / "kubectl"),
            "-p", "no:cacheprovider", *extra]  # fmt: skip
    run = GroupProcess(argv, env=env, cwd=PROJECT_ROOT)
    lines: list[str] = []
    deadline = time.monotonic() + 90
    pending = [(at, first), *([(when, then)] if then is not None else [])]
    signalled = 0.0
    try:
        while time.monotonic() < deadline:
            try:
                line = run.next_line(0.2)
            except EOFError:
                break
            if line is not None:
                lines.append(line)
                print(f"{time.monotonic():.1f} {line}", flush=True)
            if pending and any(pending[0][0] in seen for seen in ([line] if line else []) + stand.calls()):
                run.signal(pending.pop(0)[1])
                signalled = signalled or time.monotonic()
        code = run.wait(max(deadline - time.monotonic(), 1.0))
    finally:
        run.kill()
    assert not pending, "never saw: " + ", ".join(text for text, _ in pending) + "\n" + "\n".join(lines)
    return Outcome(code, lines, time.monotonic() - signalled)


def test_interrupt_during_cluster_creation_deletes_the_cluster(stand: Stand) -> None:
    out = interrupt(stand, at="Starting control-plane", first=signal.SIGINT)
    assert out.code == 2
    assert f"kind deleted {LEG}" in stand.calls()
    assert stand.clusters() == []
    assert stand.containers() == []
    [line] = out.said("deleted kind cluster")
    assert line == (
        f"[minio-conformance] interrupted by SIGINT during cluster creation: deleted kind cluster {LEG} and its "
        f"1 node container(s) ({line.rsplit('(', 1)[1]}"
    )


def test_a_second_signal_during_teardown_is_deferred_and_the_teardown_completes(stand: Stand) -> None:
    out = interrupt(stand, at="Starting control-plane", first=signal.SIGTERM, then=signal.SIGINT, when="tearing down")
    assert out.code == 2
    assert out.said("SIGINT received while tearing down")
    assert f"kind deleted {LEG}" in stand.calls()  # the delete ran to its end
    assert stand.clusters() == []
    assert out.said("interrupted by SIGTERM during cluster creation: deleted kind cluster")


def test_keep_cluster_keeps_it_and_says_so(stand: Stand) -> None:
    out = interrupt(stand, "--minio-keep-cluster", at="Starting control-plane", first=signal.SIGTERM)
    assert out.code == 2
    assert not [c for c in stand.calls() if c.startswith("kind delete")]
    assert stand.clusters() == [LEG]
    assert out.said(f"interrupted by SIGTERM during cluster creation: keeping {LEG} (--minio-keep-cluster)")


def test_a_cluster_the_run_did_not_create_is_never_deleted(stand: Stand) -> None:
    (stand.state / "clusters" / LEG).mkdir()
    (stand.state / "containers" / f"{LEG}-control-plane").touch()
    out = interrupt(stand, at="kind export kubeconfig", first=signal.SIGINT)
    assert out.code == 2
    assert not [c for c in stand.calls() if c.startswith("kind delete") or c.startswith("docker rm")]
    assert stand.clusters() == [LEG]
    assert out.said(f"interrupted by SIGINT during cluster creation: kept kind cluster {LEG}: this run did not create")


def test_interrupt_before_anything_was_created_says_so(stand: Stand) -> None:
    (stand.bin / "kind").write_text(textwrap.dedent("""\
        #!/bin/sh
        echo "kind $*" >> "$FAKE_STATE/calls"
        [ "$1 $2" = "get clusters" ] && sleep 60
        exit 0
    """))  # fmt: skip
    out = interrupt(stand, at="kind get clusters", first=signal.SIGTERM)
    assert out.code == 2
    assert not [c for c in stand.calls() if "delete" in c]
    assert out.said("interrupted by SIGTERM during bring-up: nothing to tear down")


# --- commands: a process group of their own, killed as a whole ------------------------------------------


def test_a_command_that_times_out_goes_with_its_descendants(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = f"sleep 30 & echo $! > {pid_file}; wait"
    with pytest.raises(CommandError, match="timed out"):
        Command("/bin/sh").run("-c", script, timeout=1)
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child), "the command's background child outlived it"


def test_a_command_runs_outside_our_process_group() -> None:
    out = Command("/bin/sh").run("-c", "ps -o pgid= -p $$").stdout
    assert int(out) != os.getpgid(0)


def test_run_to_end_repeats_a_command_a_signal_caught_as_it_started(tmp_path: Path) -> None:
    marker = tmp_path / "tried"
    # SIGTERM: a shell started with SIGINT ignored (a background job of a non-interactive shell, as
    # some CI runners start jobs) cannot un-ignore it, and would sleep on instead of dying.
    script = f"[ -e {marker} ] && echo done && exit 0; touch {marker}; kill -TERM $$; sleep 5"
    assert Command("/bin/sh").run_to_end("-c", script).stdout == "done\n"


def test_run_to_end_still_reports_a_failure(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="exited 3"):
        Command("/bin/sh").run_to_end("-c", "exit 3")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{pid}").exists() else "Z"
    return state != "Z"
