"""The bare documented procedure, timed: what a person does by hand, to compare the suite's deploy against.

    python benchmarks/bare_procedure.py [--nodes 4] [--lane bare] [--out reports/bare-procedure-4nodes.json]

Steps, each timed: `kind create cluster` (the suite's kind config and node image), `kind load
docker-image` of the MinIO and helper images when they are overridden (offline builds), `kubectl
apply` of the rendered manifests file by file in the documented order, then the documented
`kubectl wait --for=condition=ready pod -l app=minio --timeout=300s`. Under OrderedReady that wait
can return while later pods do not exist yet, so `kubectl rollout status statefulset/minio` follows
it: "all Ready" is the fair comparison with the suite's deploy, which waits for every pod (and
then for write quorum). The cluster is deleted at the end, also on Ctrl-C or SIGTERM.

Images and tools come from the same settings as the suite (MINIO_CONFORMANCE_KIND, _KUBECTL,
_NODE_IMAGE, _MINIO_IMAGE, _HELPER_IMAGE). Writes the timings as JSON; exit 0 measured, 1 the
procedure failed (the step is named), 2 a prerequisite is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from fixtures.cluster import Tools, delete_kind, kind_clusters, kind_config  # noqa: E402
from fixtures.commands import Command, CommandError, resolve  # noqa: E402
from minio_conformance.kindnodes import cluster_name  # noqa: E402
from minio_conformance.manifests import dump_documents, load_manifests  # noqa: E402
from minio_conformance.objects import NAMESPACE  # noqa: E402
from minio_conformance.render import Credentials, ImageOverrides, render  # noqa: E402

WAIT_TIMEOUT = "300s"


def _env(name: str) -> str | None:
    return os.environ.get(f"MINIO_CONFORMANCE_{name}") or None


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def timed(steps: dict[str, float], label: str, action: Callable[[], object]) -> None:
    start = time.monotonic()
    try:
        action()
    finally:
        steps[label] = round(time.monotonic() - start, 2)
    print(f"bare procedure: {label}: {steps[label]:.1f} s", flush=True)


def measure(nodes: int, lane: str, manifests: Path) -> dict[str, object]:
    kind_path, kubectl_path = resolve(_env("KIND"), "kind"), resolve(_env("KUBECTL"), "kubectl")
    if kind_path is None or kubectl_path is None:
        raise FileNotFoundError("kind and kubectl are needed (MINIO_CONFORMANCE_KIND / _KUBECTL or PATH)")
    kind, kubectl = Command(kind_path), Command(kubectl_path)
    tools = Tools(kubectl, kind, None)
    name = cluster_name(nodes, lane)
    if name in kind_clusters(tools):
        raise FileExistsError(f"kind cluster {name} already exists: delete it first (it is not this run's)")
    node_image, minio_image, helper_image = _env("NODE_IMAGE"), _env("MINIO_IMAGE"), _env("HELPER_IMAGE")
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="minio-bare-") as scratch:
        config = Path(scratch) / "kind.yaml"
        config.write_text(kind_config(nodes))
        kubeconfig = str(Path(scratch) / "kubeconfig")
        k = ("--kubeconfig", kubeconfig)
        try:
            image = [f"--image={node_image}"] if node_image else []
            timed(steps, "kind create cluster", lambda: kind.run(
                "create", "cluster", f"--name={name}", f"--kubeconfig={kubeconfig}", *image,
                "--config", str(config), timeout=600,
            ))  # fmt: skip
            extra = [i for i in (minio_image, helper_image) if i]
            if extra:
                env_kind = Command(kind.path, (("TMPDIR", scratch),))
                timed(steps, "kind load docker-image", lambda: [
                    env_kind.run("load", "docker-image", "--name", name, i, timeout=600) for i in extra
                ])  # fmt: skip
            node_list = json.loads(kubectl.run(*k, "get", "nodes", "-o", "json", timeout=60).stdout)["items"]
            rendered = render(
                load_manifests(manifests), node_list, Credentials.generate(), ImageOverrides(minio_image, helper_image)
            )
            by_file: dict[str, list[object]] = {}
            for r in rendered.rendered:
                by_file.setdefault(r.origin.split("#", 1)[0], []).append(r.obj)

            def apply_in_order() -> None:
                for objs in by_file.values():
                    kubectl.run(*k, "apply", "-f", "-", input_text=dump_documents(objs), timeout=120)  # type: ignore[arg-type]

            timed(steps, "kubectl apply (files in order)", apply_in_order)
            def wait_ready() -> None:
                """The documented wait. `kubectl wait -l` exits 1 at once ("no matching resources found")
                while the controller has not created minio-0 yet, as a person typing it right after the
                apply may see; like that person, it is typed again once a pod exists (within the step)."""
                listing = (*k, "get", "pods", "-l", "app=minio", "-n", NAMESPACE, "-o", "name")
                deadline = time.monotonic() + float(WAIT_TIMEOUT.rstrip("s"))
                while not kubectl.run(*listing, timeout=60).stdout.strip():
                    if time.monotonic() > deadline:
                        raise CommandError(list(listing), 1, f"no app=minio pod was created within {WAIT_TIMEOUT}")
                    time.sleep(0.5)
                kubectl.run(
                    *k, "wait", "--for=condition=ready", "pod", "-l", "app=minio", "-n", NAMESPACE,
                    f"--timeout={WAIT_TIMEOUT}", timeout=330,
                )  # fmt: skip

            timed(steps, "kubectl wait --for=condition=ready pod -l app=minio", wait_ready)
            timed(steps, "kubectl rollout status statefulset/minio", lambda: kubectl.run(
                *k, "rollout", "status", "statefulset/minio", "-n", NAMESPACE, f"--timeout={WAIT_TIMEOUT}", timeout=330,
            ))  # fmt: skip
        finally:
            delete_kind(tools, name)
    cluster = steps.get("kind create cluster", 0.0) + steps.get("kind load docker-image", 0.0)
    deploy = sum(v for key, v in steps.items() if key.startswith("kubectl"))
    return {
        "nodes": nodes,
        "replicas": rendered.replicas,
        "steps": steps,
        "cluster_s": round(cluster, 2),
        "deploy_to_all_ready_s": round(deploy, 2),
        "total_s": round(cluster + deploy, 2),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bare_procedure.py", description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=4)
    parser.add_argument("--lane", default="bare")
    parser.add_argument("--manifests", type=Path, default=PROJECT / "manifests")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        result = measure(args.nodes, args.lane, args.manifests)
    except (FileNotFoundError, FileExistsError) as exc:
        print(f"bare procedure: cannot run: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        said = (exc.output.strip().splitlines() or [""])[-1]  # what the command answered, on the same line
        print(f"bare procedure: FAILED: {str(exc).splitlines()[0]} {said}".rstrip(), file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        print(f"bare procedure: interrupted by {exc}; the cluster was deleted", file=sys.stderr)
        return 130
    print(
        f"bare procedure, {args.nodes} node(s): cluster {result['cluster_s']} s, "
        f"apply to all Ready {result['deploy_to_all_ready_s']} s, total {result['total_s']} s"
    )
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.unlink(missing_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
