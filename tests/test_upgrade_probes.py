"""The upgrade probes keep their rate while an attempt hangs, and gaps are measured between completions."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fixtures.s3 import S3Endpoint
from fixtures.upgrade import READ_PROBE_KEY, Probes, UpgradeData, read_back
from minio_conformance.checks.upgrade import Attempt, phase_stats


def test_a_hung_attempt_does_not_hold_back_the_next_one() -> None:
    probes = Probes(S3Endpoint("127.0.0.1", 9), "user-1", "pass-1", UpgradeData("b", {READ_PROBE_KEY: (1, "x")}))
    release, second_done = threading.Event(), threading.Event()

    def hung() -> str:
        release.wait(30)
        return "ok"

    def answered() -> str:
        second_done.set()
        return "ok"

    probes._launch("write", hung)
    probes._launch("write", answered)
    try:
        assert second_done.wait(10), "the second attempt waited for the hung one"
    finally:
        release.set()
        probes.stop()
    assert sorted(op for _, op, _, _ in probes.attempts) == ["write", "write"]
    assert [outcome for _, _, outcome, _ in probes.attempts] == ["ok", "ok"]


def test_the_longest_gap_is_between_completions_when_attempts_overlap() -> None:
    slow = Attempt(0.0, "write", "ok", 50.0)  # started first, answered after 50 s
    quick = Attempt(1.0, "write", "ok", 1.0)  # started next, answered at 2 s
    later = Attempt(10.0, "write", "ok", 0.5)
    stats = phase_stats([slow, quick, later], 0.0, 60.0)
    assert stats.succeeded == 3
    assert stats.longest_gap_s == 39.5  # 10.5 -> 50, not 0 -> 50


def test_a_hung_write_among_successes_is_no_gap_but_a_lone_one_is() -> None:
    hung = Attempt(5.0, "write", "ReadTimeoutError", 60.0)
    around = [Attempt(float(t), "write", "ok", 0.2) for t in range(0, 40)]
    assert phase_stats([hung, *around], 0.0, 40.0).longest_gap_s < 2
    assert phase_stats([Attempt(0.0, "write", "ok", 0.2), hung], 0.0, 70.0).longest_gap_s > 60


# --- each attempt on its own connection; answers not from MinIO named -------------------------------


PROBE_BODY = b"probe body"


class _S3Stand(BaseHTTPRequestHandler):
    """Keeps connections alive unless asked to close; answers like MinIO, or like the foreign server
    that answered connections to a vanished pod's address (`404`, no body, no request id)."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1  # type: ignore[attr-defined]

    def _answer(self) -> None:
        self.server.seen.append(self.headers.get("Connection", ""))  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.server.foreign:  # type: ignore[attr-defined]
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = PROBE_BODY if self.command == "GET" else b""
        self.send_response(200)
        self.send_header("X-Amz-Request-Id", "18EC66A40D16288D")
        self.send_header("ETag", '"0"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_HEAD = _answer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, *_: object) -> None:
        pass


@contextmanager
def _stand(server_name: str = "MinIO", foreign: bool = False) -> Iterator[tuple[Probes, ThreadingHTTPServer]]:
    handler = type("Stand", (_S3Stand,), {"server_version": server_name})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.connections, server.seen, server.foreign = 0, [], foreign  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = UpgradeData("b", {READ_PROBE_KEY: (len(PROBE_BODY), hashlib.sha256(PROBE_BODY).hexdigest())})
    probes = Probes(S3Endpoint("127.0.0.1", server.server_address[1]), "user-1", "pass-1", data)
    try:
        yield probes, server
    finally:
        probes.stop()
        server.shutdown()
        server.server_close()


def test_each_probe_attempt_opens_its_own_connection() -> None:
    """A kept-alive connection stays with what answered it; a fresh one is routed by the Service anew."""
    with _stand() as (probes, server):
        for op in ("read", "read", "write", "read", "write"):
            probes._attempt(op, probes.calls[op])
        assert [outcome for _, _, outcome, _ in probes.attempts] == ["ok"] * 5
        assert server.seen == ["close"] * 5  # type: ignore[attr-defined]
        assert server.connections == 5  # type: ignore[attr-defined]


def test_an_answer_not_from_minio_is_named_in_the_outcome() -> None:
    with _stand("keryx", foreign=True) as (probes, server):
        probes._attempt("read", probes.calls["read"])
        probes._attempt("read", probes.calls["read"])
        assert [outcome for _, _, outcome, _ in probes.attempts] == ["404 not from MinIO (server: keryx)"] * 2
        assert server.connections == 2  # type: ignore[attr-defined]


def test_read_back_names_an_answer_not_from_minio() -> None:
    with _stand("keryx", foreign=True) as (_, server):
        endpoint = S3Endpoint("127.0.0.1", server.server_address[1])
        data = UpgradeData("b", {"k": (1, "x")})
        assert read_back(endpoint, "user-1", "pass-1", data, pause_s=0) == {"k": "404 not from MinIO (server: keryx)"}
