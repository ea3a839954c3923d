"""The matrix run's own timings: lanes, each phase's start and length, the wall time, and the deploy
against the bare documented procedure, as `fixtures/matrix.py` wrote them (`matrix-timings.json`).

Checked field by field (`parse` is pure and raises `TimingsError` with one line); drawn as one
Gantt chart of the jobs side by side, so an auditor sees what ran at the same time and what the
critical path was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minio_conformance.reporting import charts
from minio_conformance.reporting.records import depth_of, is_number
from minio_conformance.reporting.sources import UnusableInput, parse_record, read_bounded

FILE = "matrix-timings.json"
MAX_BYTES = 200_000
MAX_ITEMS = 200
MAX_DEPTH = 8
PHASE_CSS = {
    "live": "c-live",
    "disruptive": "c-disruptive",
    "upgrade": "c-upgrade",
    "version change": "c-upgrade",
    "bare procedure": "c-deploy",
}


class TimingsError(ValueError):
    """A timings file that cannot be read as one; the message is one line."""


@dataclass(frozen=True)
class PhaseTiming:
    job: str
    phase: str
    start_s: float
    seconds: float
    exit_status: int | None


@dataclass(frozen=True)
class MatrixTimings:
    file: str
    started: str
    lanes: tuple[tuple[str, ...], ...]
    phases: tuple[PhaseTiming, ...]
    wall_s: float
    interrupted_by: str | None
    suite_deploy_s: float | None
    bare_procedure_s: float | None
    ratio: float | None

    @property
    def chart(self) -> charts.Chart | None:
        rows: list[charts.ChartRow] = []
        for lane_number, lane in enumerate(self.lanes, 1):
            for job in lane:
                spans = tuple(
                    charts.Span(
                        p.start_s,
                        p.start_s + p.seconds,
                        PHASE_CSS.get(p.phase, "c-static"),
                        f"{job} {p.phase}: {p.seconds:.0f} s (exit {p.exit_status})",
                    )
                    for p in self.phases
                    if p.job == job
                )
                if spans:
                    rows.append(charts.ChartRow(f"lane {lane_number}: {job}", spans))
        return charts.layout(f"matrix run: {self.wall_s:.0f} s wall", rows) if rows else None


def _want(where: str, what: str, value: Any) -> TimingsError:
    found = "null" if value is None else type(value).__name__
    return TimingsError(f"{where} must be {what}, found {found}")


def _seconds(where: str, value: Any, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if not is_number(value) or not 0 <= value <= 1e7:
        raise _want(where, "a number of seconds", value)
    return float(value)


def _text(where: str, value: Any, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > 200:
        raise _want(where, "a string of at most 200 characters", value)
    return value


def _list(where: str, value: Any) -> list[Any]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise _want(where, f"an array of at most {MAX_ITEMS} items", value)
    return value


def _phase(where: str, raw: Any) -> PhaseTiming:
    if not isinstance(raw, Mapping):
        raise _want(where, "an object", raw)
    status = raw.get("exit_status")
    if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
        raise _want(f"{where}.exit_status", "a whole number or null", status)
    return PhaseTiming(
        job=str(_text(f"{where}.job", raw.get("job"))),
        phase=str(_text(f"{where}.phase", raw.get("phase"))),
        start_s=float(_seconds(f"{where}.start_s", raw.get("start_s")) or 0.0),
        seconds=float(_seconds(f"{where}.seconds", raw.get("seconds")) or 0.0),
        exit_status=status,
    )


def parse(file: str, data: Any) -> MatrixTimings:
    """A timings file's JSON, checked; the jobs its phases name must be in its lanes."""
    if depth_of(data, MAX_DEPTH) > MAX_DEPTH:
        raise TimingsError(f"{file}: nested deeper than {MAX_DEPTH}")
    if not isinstance(data, Mapping):
        raise _want(file, "an object", data)
    lanes = tuple(
        tuple(str(_text(f"{file}: lanes[{i}][{j}]", job)) for j, job in enumerate(_list(f"{file}: lanes[{i}]", lane)))
        for i, lane in enumerate(_list(f"{file}: lanes", data.get("lanes")))
    )
    raw_phases = _list(f"{file}: phases", data.get("phases"))
    phases = tuple(_phase(f"{file}: phases[{i}]", p) for i, p in enumerate(raw_phases))
    jobs = {job for lane in lanes for job in lane}
    stray = sorted({p.job for p in phases} - jobs)
    if stray:
        raise TimingsError(f"{file}: phases name job(s) in no lane: {', '.join(stray)}")
    compared = data.get("deploy_vs_bare")
    if compared is not None and not isinstance(compared, Mapping):
        raise _want(f"{file}: deploy_vs_bare", "an object or null", compared)
    compared = compared or {}
    return MatrixTimings(
        file=file,
        started=str(_text(f"{file}: started", data.get("started"))),
        lanes=lanes,
        phases=phases,
        wall_s=float(_seconds(f"{file}: wall_s", data.get("wall_s")) or 0.0),
        interrupted_by=_text(f"{file}: interrupted_by", data.get("interrupted_by"), optional=True),
        suite_deploy_s=_seconds(
            f"{file}: deploy_vs_bare.suite_deploy_s", compared.get("suite_deploy_s"), optional=True
        ),
        bare_procedure_s=_seconds(
            f"{file}: deploy_vs_bare.bare_procedure_s", compared.get("bare_procedure_s"), optional=True
        ),
        ratio=_seconds(f"{file}: deploy_vs_bare.ratio", compared.get("ratio"), optional=True),
    )


def read(directories: Sequence[Path]) -> tuple[MatrixTimings, ...]:
    """The timings file of each results directory that has one (a shard has its own)."""
    found = []
    for directory in directories:
        path = directory / FILE
        if not path.exists() and not path.is_symlink():
            continue
        if path.is_symlink():
            raise TimingsError(f"{path}: not a regular file; timings are read in place")
        try:
            data = parse_record(path, read_bounded(path, MAX_BYTES))
        except UnusableInput as exc:
            raise TimingsError(str(exc)) from None
        except OSError as exc:
            raise TimingsError(f"{path}: cannot be read: {exc.strerror or exc}") from None
        found.append(parse(str(path), data))
    return tuple(found)


def summary_json(runs: Sequence[MatrixTimings]) -> list[dict[str, Any]]:
    return [
        {
            "file": r.file,
            "started": r.started,
            "wall s": r.wall_s,
            "lanes": [list(lane) for lane in r.lanes],
            "phases": [
                {"job": p.job, "phase": p.phase, "start s": p.start_s, "seconds": p.seconds, "exit": p.exit_status}
                for p in r.phases
            ],
            "interrupted by": r.interrupted_by,
            "deploy vs bare procedure": None
            if r.ratio is None
            else {"suite s": r.suite_deploy_s, "bare s": r.bare_procedure_s, "ratio": r.ratio},
        }
        for r in runs
    ]
