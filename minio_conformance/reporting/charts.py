"""Timing charts as geometry: rows of spans and point events laid out on a seconds axis.

Only numbers and labels come out of here; the template turns them into inline SVG
(escaped by Jinja2), so the page needs no chart library and no script.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from minio_conformance.reporting.model import Leg, Matrix, ResultRecord, RunFile, parse_time

PLOT_W = 520.0
ROW_H = 24.0
TOP = 8.0
AXIS_H = 28.0

DEPLOY_STEP_PREFIXES = tuple(str(i) for i in range(10))


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    css: str
    title: str
    quiet: bool = False  # no duration text beside it (rows of many short spans)


@dataclass(frozen=True)
class Point:
    at: float
    number: int
    label: str


@dataclass(frozen=True)
class Mark:
    """A vertical line across every row at one value (e.g. the end of a rollout)."""

    at: float
    label: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    spans: tuple[Span, ...] = ()
    points: tuple[Point, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class PlacedRect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str
    text: str
    text_x: float


@dataclass(frozen=True)
class PlacedPoint:
    cx: float
    cy: float
    number: int
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    """A laid-out chart: everything the template needs, in SVG user units."""

    title: str
    width: float
    height: float
    labels: tuple[tuple[float, str], ...]
    rects: tuple[PlacedRect, ...]
    points: tuple[PlacedPoint, ...]
    ticks: tuple[Tick, ...]
    axis_y: float
    baselines: tuple[tuple[float, float, float], ...]
    rows: tuple[ChartRow, ...]
    marks: tuple[tuple[float, str], ...] = ()  # (x, title) of vertical lines across the rows
    axis_x0: float = 0.0  # where the axis starts (left of the first tick when it starts between ticks)


def nice_step(maximum: float, target_ticks: int = 6) -> float:
    """A 1/2/5 x 10^k tick step giving at most about `target_ticks` ticks up to `maximum`."""
    if maximum <= 0:
        return 1.0
    raw = maximum / target_ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _fmt(seconds: float) -> str:
    return f"{seconds:.0f}" if seconds >= 10 or seconds == int(seconds) else f"{seconds:.1f}"


def seconds(value: float | None) -> str:
    """Seconds for tables: at most two decimals, no float noise (20.700000000000003 -> 20.7)."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def label_width(rows: Sequence[ChartRow]) -> float:
    """Room for the longest row label (about 6.3 px per character at the page's 11 px font)."""
    longest = max((len(r.label) for r in rows), default=0)
    return float(min(460, max(120, round(6.3 * longest + 14))))


def layout(
    title: str, rows: Sequence[ChartRow], *, unit: str = "s", start: float = 0.0, marks: Sequence[Mark] = ()
) -> Chart:
    """Place rows on a common axis from 0 (or from `start` when it is negative) to the largest value
    (rounded up to a tick); ticks at multiples of the step; values below the axis start are drawn at it."""
    label_w = label_width(rows)
    values = [0.0] + [m.at for m in marks]
    for row in rows:
        values += [max(s.start, s.end) for s in row.spans] + [p.at for p in row.points]
    low = min(0.0, start)
    step = nice_step(max(values) - low)
    bottom = low
    top = step * max(1, math.ceil(max(values) / step))
    scale = PLOT_W / (top - bottom)

    def x(v: float) -> float:
        return round(label_w + (max(bottom, v) - bottom) * scale, 1)

    rects, points, labels, baselines = [], [], [], []
    for i, row in enumerate(rows):
        y = TOP + i * ROW_H
        labels.append((round(y + ROW_H * 0.65, 1), row.label))
        for span in row.spans:
            x0, x1 = x(min(span.start, span.end)), x(max(span.start, span.end))
            width = max(1.0, x1 - x0)
            text = "" if span.quiet else f"{_fmt(span.end - span.start)} {unit}"
            rects.append(PlacedRect(x0, y + 4, round(width, 1), ROW_H - 8, span.css, span.title, text, x0 + width + 4))
        if row.points:
            first = min(0.0, *(p.at for p in row.points))
            baselines.append((x(first), x(max(p.at for p in row.points)), round(y + ROW_H / 2, 1)))
        for point in row.points:
            points.append(
                PlacedPoint(x(point.at), round(y + ROW_H / 2, 1), point.number, f"{point.label}: {point.at} s")
            )
    axis_y = TOP + len(rows) * ROW_H + 4
    ticks = []
    first = math.ceil(bottom / step - 1e-9)
    count = round(top / step)
    for i in range(first, count + 1):
        value = 0.0 if i == 0 else i * step
        ticks.append(Tick(x(value), f"{_fmt(value)} {unit}" if i == count else _fmt(value)))
    return Chart(
        title=title,
        width=label_w + PLOT_W + 70,
        height=axis_y + AXIS_H,
        labels=tuple(labels),
        rects=tuple(rects),
        points=tuple(points),
        ticks=tuple(ticks),
        axis_y=axis_y,
        baselines=tuple(baselines),
        rows=tuple(rows),
        marks=tuple((x(m.at), f"{m.label}: {seconds(m.at)} {unit}") for m in marks),
        axis_x0=x(bottom),
    )


# --- the three charts of the report -------------------------------------------------------------


def _number(value: Any) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def deploy_steps(deploy: Mapping[str, Any]) -> dict[str, float]:
    steps = deploy.get("steps")
    if not isinstance(steps, Mapping):
        return {}
    out = {}
    for key, raw in steps.items():
        value = _number(raw)
        if value is not None:
            out[str(key)] = value
    return out


def deploy_to_ready(deploy: Mapping[str, Any]) -> float | None:
    """Sum of the documented steps 0-10 (preflight to all pods Ready); cluster bring-up excluded."""
    steps = [v for k, v in deploy_steps(deploy).items() if k.startswith(DEPLOY_STEP_PREFIXES)]
    return round(sum(steps), 2) if steps else None


def suite_duration(run: RunFile) -> float | None:
    """Wall time of a run minus the bring-up it did itself (cluster, images, and a deploy made in this run).

    A later phase reuses the deployment of the first one; its record then carries the
    earlier deploy steps, recognised by a StatefulSet apply time outside this run.
    """
    wall = run.wall_s
    if wall is None:
        return None
    deploy = run.deploy
    if deploy is None:
        return round(wall, 2)
    steps = deploy_steps(deploy)
    spent = steps.get("cluster up", 0.0) + steps.get("load images", 0.0)
    applied = _number(deploy.get("statefulset_applied_at"))
    start, end = parse_time(run.data.get("started")), parse_time(run.data.get("finished"))
    if (
        applied is not None
        and start is not None
        and end is not None
        and start.timestamp() <= applied <= end.timestamp()
    ):
        spent += deploy_to_ready(deploy) or 0.0
    return round(max(0.0, wall - spent), 2)


def leg_durations(leg: Leg) -> list[ChartRow]:
    """cluster up / load images / deploy to Ready / each phase's suites, for one leg."""
    rows = []
    deploy = leg.deploy
    if deploy is not None:
        steps = deploy_steps(deploy)
        for key, css in (("cluster up", "c-cluster"), ("load images", "c-images")):
            if key in steps:
                rows.append(ChartRow(key, (Span(0, steps[key], css, f"{key}: {steps[key]} s"),)))
        ready = deploy_to_ready(deploy)
        if ready is not None:
            rows.append(ChartRow("deploy to Ready (steps 0-10)", (Span(0, ready, "c-deploy", f"deploy: {ready} s"),)))
    for run in leg.runs:
        duration = suite_duration(run)
        if duration is not None:
            label = f"{run.phase} suites ({run.name})"
            rows.append(ChartRow(label, (Span(0, duration, f"c-{run.phase}", f"{label}: {duration} s"),)))
    return rows


@dataclass(frozen=True)
class PodTiming:
    name: str
    node: str
    created_offset: float
    ready_offset: float | None
    to_ready: float | None
    restarts: int


def _ordinal(name: str) -> tuple[int, str]:
    tail = name.rsplit("-", 1)[-1]
    return (int(tail), name) if tail.isdigit() else (1 << 30, name)


def pod_timings(deploy: Mapping[str, Any]) -> list[PodTiming]:
    """Per pod in ordinal order: creation offset from the first pod's creation, and time to Ready."""
    pods = [p for p in deploy.get("pods") or [] if isinstance(p, Mapping)]
    pods.sort(key=lambda p: _ordinal(str(p.get("name", ""))))
    created = [parse_time(p.get("created")) for p in pods]
    known = [c for c in created if c is not None]
    if not known:
        return []
    first = min(known)
    out = []
    for pod, made in zip(pods, created, strict=True):
        ready = parse_time(pod.get("ready"))
        c_off = (made - first).total_seconds() if made else 0.0
        r_off = (ready - first).total_seconds() if ready else None
        restarts = pod.get("restarts")
        out.append(
            PodTiming(
                name=str(pod.get("name", "?")),
                node=str(pod.get("node") or "?"),
                created_offset=round(c_off, 1),
                ready_offset=None if r_off is None else round(r_off, 1),
                to_ready=None if ready is None or made is None else round((ready - made).total_seconds(), 1),
                restarts=int(restarts) if isinstance(restarts, int) else 0,
            )
        )
    return out


def pod_rows(timings: Sequence[PodTiming]) -> list[ChartRow]:
    rows = []
    for t in timings:
        if t.ready_offset is None:
            rows.append(ChartRow(f"{t.name} (never Ready)"))
            continue
        title = f"{t.name} on {t.node}: created +{t.created_offset} s, Ready after {t.to_ready} s"
        rows.append(ChartRow(t.name, (Span(t.created_offset, t.ready_offset, "c-pod", title),)))
    return rows


@dataclass(frozen=True)
class Recovery:
    """One durability scenario in one leg: its events in seconds since the fault."""

    scenario: str
    leg: str
    test: ResultRecord
    events: tuple[tuple[str, float], ...]


def recoveries(matrix: Matrix) -> list[Recovery]:
    out = []
    for test in matrix.tests:
        timeline = test.properties.get("timeline")
        if not isinstance(timeline, Mapping):
            continue
        events = sorted(
            ((str(k), v) for k, raw in timeline.items() if (v := _number(raw)) is not None), key=lambda e: e[1]
        )
        if events:
            out.append(Recovery(test.name, test.leg, test, tuple(events)))
    return out


def recovery_rows(items: Sequence[Recovery], titles: Mapping[str, str]) -> list[ChartRow]:
    rows = []
    for item in items:
        points = tuple(Point(at, i + 1, label) for i, (label, at) in enumerate(item.events))
        rows.append(ChartRow(f"{_short(item.scenario)} ({titles.get(item.leg, item.leg)})", points=points))
    return rows


def _short(name: str, limit: int = 44) -> str:
    """A test name cut to `limit` characters, keeping its parameter id (`[two-pods-down]`) whole."""
    name = name.removeprefix("test_")
    if len(name) <= limit:
        return name
    base, bracket, param = name.partition("[")
    param = bracket + param
    room = max(8, limit - len(param) - 1)
    return base[:room] + "\u2026" + param
