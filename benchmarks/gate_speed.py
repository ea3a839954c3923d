"""Wall time of `minio-conformance gate` beside kube-score on the same files (a benchmark, not a test).

    python benchmarks/gate_speed.py [--runs 15]

Measures, as separate processes (what a CI step or pre-commit hook pays):
- the shipped manifests (a template: rendered for 1, 2 and 4 nodes, 25 requirements each);
- the same set rendered concrete for 4 nodes (13 objects, one file);
- a 200-object set: that rendering plus 187 ordinary objects (Deployments, Services, ConfigMaps).
kube-score (`kube-score score`) runs on the concrete files when it is on PATH or in ~/go/bin
(build it with `GOFLAGS=-mod=mod go install github.com/zegl/kube-score/cmd/kube-score@latest`);
it cannot read the template (its placeholders are not valid field values). Prints a table of
median and minimum wall seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess  # noqa: TID251 - a benchmark runs the commands it measures
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from minio_conformance.kindnodes import kind_nodes  # noqa: E402
from minio_conformance.manifests import dump_documents, load_manifests  # noqa: E402
from minio_conformance.render import Credentials, render  # noqa: E402


def filler(count: int) -> list[dict[str, object]]:
    objs: list[dict[str, object]] = []
    for i in range(count):
        meta = {"name": f"app-{i}", "namespace": "minio-system", "labels": {"app": f"app-{i}"}}
        if i % 3 == 0:
            objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"key": f"value {i}"}})
        elif i % 3 == 1:
            objs.append(
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": meta,
                    "spec": {
                        "selector": {"app": f"app-{i}"},
                        "ports": [{"name": "http", "port": 80, "targetPort": 8080}],
                    },
                }
            )
        else:
            container = {
                "name": "app",
                "image": "registry.example/app:1.2.3",
                "ports": [{"containerPort": 8080}],
                "resources": {
                    "requests": {"cpu": "10m", "memory": "16Mi"},
                    "limits": {"cpu": "100m", "memory": "64Mi"},
                },
            }
            objs.append(
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "metadata": meta,
                    "spec": {
                        "replicas": 2,
                        "selector": {"matchLabels": {"app": f"app-{i}"}},
                        "template": {"metadata": {"labels": {"app": f"app-{i}"}}, "spec": {"containers": [container]}},
                    },
                }
            )
    return objs


def wall(cmd: list[str], runs: int) -> tuple[float, float, int]:
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    gate = shutil.which("minio-conformance") or str(Path(sys.executable).parent / "minio-conformance")
    kube_score = shutil.which("kube-score") or str(Path.home() / "go" / "bin" / "kube-score")
    have_kube_score = os.access(kube_score, os.X_OK)
    documented = load_manifests(PROJECT / "manifests")
    concrete = render(documented, kind_nodes(4, "bench"), Credentials("bench-user", "bench-secret-key")).objects
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "concrete-13.yaml"
        small.write_text(dump_documents(concrete))
        large = Path(tmp) / "set-200.yaml"
        large.write_text(dump_documents([*concrete, *filler(200 - len(concrete))]))
        rows = [
            ("shipped manifests/ (template, 1/2/4 nodes)", [gate, "gate", str(PROJECT / "manifests")], None),
            ("concrete 4-node set (13 objects)", [gate, "gate", str(small)], [kube_score, "score", str(small)]),
            ("200-object set", [gate, "gate", str(large)], [kube_score, "score", str(large)]),
        ]
        print(f"cores: {os.cpu_count()}, runs per cell: {args.runs}, python {sys.version.split()[0]}")
        print(f"{'input':45} {'gate median':>12} {'gate min':>9} {'kube-score median':>18} {'kube-score min':>15}")
        for label, ours, theirs in rows:
            med, low, _ = wall(ours, args.runs)
            if theirs is not None and have_kube_score:
                kmed, klow, _ = wall(theirs, args.runs)
                other = f"{kmed:>18.3f} {klow:>15.3f}"
            else:
                other = f"{'n/a':>18} {'n/a':>15}"
            print(f"{label:45} {med:>12.3f} {low:>9.3f} {other}")
        if not have_kube_score:
            print("kube-score not found (PATH or ~/go/bin): its columns are n/a")
    return 0


if __name__ == "__main__":
    sys.exit(main())
