"""The combined report as a person sees it: headless Chromium opens index.html offline.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`), so
no driver or Python package beyond the standard library is needed and nothing is
downloaded. Needs the Debian package `chromium`; skipped with that name when it is
missing, except on CI (CI=true), where a missing browser is an error.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.catalog import CATALOG
from minio_conformance.reporting.cli import main as report_main
from tests.report_data import complete_records, upgrade_record, with_upgrade_run, write_records

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "tests" / "data" / "reporting" / "sample"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


class Browser:
    """A minimal DevTools-protocol client over the pipe Chromium reads on fd 3 and writes on fd 4."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:  # runs in the child, before exec
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire_fds,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 30) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_event(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, width: int = 1400, height: int = 1000) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def click(self, x: float, y: float) -> None:
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    binary = chromium_path()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing on CI: install the Debian package `chromium`")
        pytest.skip("needs the Debian package `chromium` (apt-get install chromium)")
    b = Browser(binary, tmp_path / "chromium-profile")
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def report_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reports"
    shutil.copytree(SAMPLE, target)
    assert report_main([str(target)]) == 1  # the sample has one required failure (SVC-3, 4 nodes)
    return target


def test_matrix_lists_every_requirement_and_cells_open_their_details(browser: Browser, report_dir: Path) -> None:
    browser.open((report_dir / "index.html").as_uri())

    ids = browser.evaluate("[...document.querySelectorAll('#matrix tbody tr td.id')].map(td => td.textContent)")
    assert ids == list(CATALOG), "the matrix must show every catalog requirement, in catalog order"
    legs = browser.evaluate("[...document.querySelectorAll('#matrix thead th')].slice(5).map(th => th.textContent)")
    assert legs == ["static", "1 node", "2 nodes", "4 nodes"]
    banner = browser.evaluate(
        "(() => { const v = document.getElementById('verdict'); const i = document.getElementById('incomplete');"
        " return {result: v.dataset.result, text: v.innerText,"
        " missing: i ? [...i.querySelectorAll('a')].map(a => a.hash) : null}; })()"
    )
    assert banner["result"] == "failed"
    assert banner["text"].startswith("FAILED: required requirement(s) failed: SVC-3")
    assert banner["missing"] is not None, "what is not proven yet is shown beside the verdict"
    assert "#leg-2" in banner["missing"], "the 2-node leg ran its static tier only"

    dangling = browser.evaluate(
        "[...document.querySelectorAll('a[href^=\"#\"]')]"
        ".filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map(a => a.hash)"
    )
    assert dangling == [], f"links without a target on the page: {dangling[:5]}"
    cells = browser.evaluate("document.querySelectorAll('#matrix td.cell a').length")
    assert cells == len(CATALOG) * 4

    shot = report_dir / "index.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
    if os.environ.get("MINIO_CONFORMANCE_KEEP_SCREENSHOT"):
        (PROJECT / "reports").mkdir(exist_ok=True)
        shutil.copy(shot, PROJECT / "reports" / "index.png")

    target = "c-SVC-3-4"
    box = browser.evaluate(
        f"(() => {{ const a = document.querySelector('#matrix a[href=\"#{target}\"]');"
        " a.scrollIntoView({block: 'center'}); const r = a.getBoundingClientRect();"
        " return {x: r.left + r.width / 2, y: r.top + r.height / 2, status: a.dataset.status}; })()"
    )
    assert box["status"] == "failed"
    assert browser.evaluate(f"document.getElementById('{target}').open") is False, "details start collapsed"
    browser.click(box["x"], box["y"])

    state: dict[str, Any] = {}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = browser.evaluate(
            f"(() => {{ const d = document.getElementById('{target}'); const r = d.getBoundingClientRect();"
            " const msg = d.querySelector('pre.message'); const v = d.querySelector('.verdict-data');"
            " return {hash: location.hash, open: d.open, top: r.top, height: innerHeight,"
            " verdict: v ? v.dataset.verdict : null, finding: v ? v.querySelector('li').innerText : null,"
            " message: msg ? msg.innerText : null, msgVisible: msg ? msg.checkVisibility() : false,"
            " evidenceOpen: [...d.querySelectorAll('details.evidence')].map(e => e.open)}; })()"
        )
        if state["open"] and state["hash"] == f"#{target}":
            break
        time.sleep(0.1)
    assert state["hash"] == f"#{target}", state
    assert state["open"], "clicking a cell opens its details"
    assert -4 <= state["top"] < state["height"], "the opened details are scrolled into view"
    assert state["msgVisible"]
    assert "console answered nothing" in state["message"]
    assert state["verdict"] == "failed", "the recorded verdict is shown as data"
    assert state["finding"].startswith("minio-conformance-4n-worker3:30901 console answered nothing")
    assert state["evidenceOpen"], "the failed test carries evidence"
    assert not any(state["evidenceOpen"]), "evidence stays collapsed until asked for"
    browser.screenshot(report_dir / "index-detail.png")


@pytest.fixture
def upgrade_report_dir(tmp_path: Path) -> Path:
    """The generated complete run with the recorded live upgrade run in its 4-node leg, one proof head missed."""
    record = upgrade_record()
    upg4 = next(t for t in record["tests"] if "upgrade" in t["properties"])
    upg4["properties"]["upgrade"]["proof heads"][3]["caught"] = False
    target = write_records(tmp_path / "reports", with_upgrade_run(complete_records(), record))
    assert report_main([str(target)]) == 1  # UPG-4 failed in the recorded run, and a proof head was missed
    return target


def test_upgrade_section_renders_without_overflow(browser: Browser, upgrade_report_dir: Path) -> None:
    browser.open((upgrade_report_dir / "index.html").as_uri())
    state = browser.evaluate(
        "(() => { const s = document.getElementById('upgrade-4'); const r = s.getBoundingClientRect();"
        " const over = [...s.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        "   .map(e => e.tagName + '.' + e.className);"
        " return {width: innerWidth, docWidth: document.documentElement.scrollWidth, right: r.right, over: over,"
        "  charts: s.querySelectorAll('svg.chart').length, rects: s.querySelectorAll('svg.chart rect').length,"
        "  marks: s.querySelectorAll('svg.chart line.mark').length,"
        "  heads: [...s.querySelectorAll('table.proofs tr[data-head]')]"
        "   .map(tr => [tr.dataset.head, tr.dataset.caught]),"
        "  verdicts: [...s.querySelectorAll('table.verdicts tr[data-requirement]')]"
        "   .map(tr => [tr.dataset.requirement, tr.querySelector('[data-status]').dataset.status]),"
        "  phases: [...s.querySelectorAll('table.phases tr[data-phase]')].map(tr => tr.dataset.phase),"
        "  diffOpen: s.querySelector('details.diff').open,"
        "  banner: document.getElementById('missed-proof-heads').innerText,"
        "  legLink: document.querySelector('#leg-4 a[href=\"#upgrade-4\"]') !== null}; })()"
    )
    assert state["over"] == [], f"elements of the upgrade section overflow the page: {state['over'][:5]}"
    assert state["docWidth"] <= state["width"], "the page scrolls sideways"
    assert state["charts"] == 2, "one timeline per direction (upgrade, rollback)"
    assert state["rects"] >= 10, "pod replacements and failed attempts are drawn"
    assert state["marks"] == 4, "the apply and the rollout end, per direction"
    assert state["verdicts"] == [["UPG-1", "passed"], ["UPG-2", "passed"], ["UPG-3", "passed"],
                                 ["UPG-4", "failed"], ["UPG-5", "passed"]]  # fmt: skip
    assert state["phases"] == ["before", "rollout", "after"] * 2
    assert state["heads"][-1] == ["mount-path-moved", "no"]
    assert [c for _, c in state["heads"][:-1]] == ["yes"] * 3
    assert "mount-path-moved" in state["banner"]
    assert "NOT caught" in state["banner"]
    assert state["legLink"], "the legs row links the section"
    assert state["diffOpen"] is False, "the diff starts collapsed"
    dangling = browser.evaluate(
        "[...document.querySelectorAll('a[href^=\"#\"]')]"
        ".filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map(a => a.hash)"
    )
    assert dangling == [], f"links without a target on the page: {dangling[:5]}"

    browser.evaluate("document.querySelector('#upgrade-4 details.diff').open = true")
    diff = browser.evaluate("document.querySelector('#upgrade-4 details.diff pre').innerText")
    assert "+        minio-conformance.io/upgrade-head:" in diff
    assert browser.evaluate("document.documentElement.scrollWidth") <= state["width"], "the open diff wraps"

    box = browser.evaluate(
        "(() => { const r = document.getElementById('upgrade-4').getBoundingClientRect();"
        " return {y: r.top + scrollY, height: r.height}; })()"
    )
    shot = upgrade_report_dir / "upgrade.png"
    clip = {"x": 0, "y": box["y"], "width": state["width"], "height": min(box["height"], 4000), "scale": 1}
    data = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
    shot.write_bytes(base64.b64decode(data["data"]))
    assert shot.stat().st_size > 10_000
    if os.environ.get("MINIO_CONFORMANCE_KEEP_SCREENSHOT"):
        (PROJECT / "reports").mkdir(exist_ok=True)
        shutil.copy(shot, PROJECT / "reports" / "upgrade.png")
