"""A stand-in Kubernetes API server over plain HTTP, for whole live runs without a cluster.

It answers just what bring-up on a user's cluster asks (version, access reviews, the namespace,
the Secret, PVs, nodes, StorageClasses) from a few settings, and keeps every request it got so a
test can check that nothing was deleted or created.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

VERSION = {
    "major": "1",
    "minor": "34",
    "gitVersion": "v1.34.0-fake",
    "gitCommit": "0",
    "gitTreeState": "clean",
    "buildDate": "2026-01-01T00:00:00Z",
    "goVersion": "go1.24",
    "compiler": "gc",
    "platform": "linux/amd64",
}
NODE = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": {"name": "fake-node", "labels": {"kubernetes.io/hostname": "fake-node"}},
    "spec": {},
}


@dataclass
class FakeCluster:
    """What the stand-in holds: a foreign namespace or StorageClass, or nothing of MinIO's."""

    namespace_labels: dict[str, str] | None = None  # None: no minio-system namespace
    foreign_storage_class: bool = False
    requests: list[tuple[str, str]] = field(default_factory=list)

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        self.requests.append((method, path))
        if method == "DELETE":
            return 200, {"kind": "Status", "apiVersion": "v1", "status": "Success"}
        if path == "/version":
            return 200, VERSION
        if path.endswith("/selfsubjectaccessreviews") and method == "POST":
            return 201, {**body, "status": {"allowed": True}}
        if path == "/api/v1/namespaces/minio-system":
            if self.namespace_labels is None:
                return _not_found("namespaces", "minio-system")
            meta = {"name": "minio-system", "labels": self.namespace_labels}
            return 200, {"apiVersion": "v1", "kind": "Namespace", "metadata": meta}
        if path == "/api/v1/nodes":
            return 200, _list("NodeList", [NODE])
        if path == "/api/v1/persistentvolumes":
            return 200, _list("PersistentVolumeList", [])
        if path == "/apis/storage.k8s.io/v1/storageclasses":
            return 200, _list("StorageClassList", [])
        if path.startswith("/apis/storage.k8s.io/v1/storageclasses/") and self.foreign_storage_class:
            sc = {"metadata": {"name": path.rsplit("/", 1)[1]}, "provisioner": "example.com/theirs"}
            return 200, {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", **sc}
        return _not_found("things", path.rsplit("/", 1)[-1])

    def deletes(self) -> list[str]:
        return [path for method, path in self.requests if method == "DELETE"]


def _list(kind: str, items: list[Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": kind, "metadata": {}, "items": items}


def _not_found(resource: str, name: str) -> tuple[int, Any]:
    return 404, {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "reason": "NotFound",
        "code": 404,
        "message": f'{resource} "{name}" not found',
    }


@contextmanager
def serving(cluster: FakeCluster, kubeconfig: Path) -> Iterator[FakeCluster]:
    """Serve `cluster` on a free local port and write a kubeconfig (context `fake`) that points at it."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            status, payload = cluster.answer(self.command, urlparse(self.path).path.rstrip("/"), body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _reply

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\n"
        f'clusters: [{{name: fake, cluster: {{server: "http://127.0.0.1:{server.server_port}"}}}}]\n'
        "users: [{name: nobody, user: {token: fake}}]\n"
        "contexts: [{name: fake, context: {cluster: fake, user: nobody}}]\n"
        "current-context: fake\n"
    )
    try:
        yield cluster
    finally:
        server.shutdown()
        server.server_close()
