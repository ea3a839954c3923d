"""The upgrade scenario's section of the page (UPG-1..5), built from the UPG-4 test's `upgrade` record (pure).

The record (fixtures/upgrade.py `UpgradeRun.report_data`, checked by records.check_upgrade
before it gets here) carries the base origin, the MinIO image each side ran (a version change is
named when they differ), the digests of base and head, the diff of the
two rendered sets, and per direction (upgrade, then rollback) the pods' replacement times,
the failed probe attempts and the per-phase read/write statistics, plus the proof heads.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from minio_conformance.checks.upgrade import version_change
from minio_conformance.reporting import charts
from minio_conformance.reporting.model import (
    Cell,
    Matrix,
    ResultRecord,
    Status,
    combine,
    leg_title,
    upgrade_tests,
)
from minio_conformance.reporting.records import UPGRADE_PROPERTY
from minio_conformance.verdict import Status as VerdictStatus

UPG_PREFIX = "UPG-"
PHASES = ("before", "rollout", "after")
OPS = ("read", "write")
MAX_DIFF_SHOWN = 200_000  # characters of the diff put on the page; the rest is cut with a note
TOUCH_S = 0.01  # failed attempts closer than this (the record's resolution) touch


@dataclass(frozen=True)
class OpStats:
    attempts: int
    succeeded: int
    ratio: float | None
    longest_gap_s: float

    @property
    def percent(self) -> str:
        if self.ratio is None:
            return "-"
        return "100 %" if self.ratio >= 1 else f"{self.ratio * 100:.1f} %"


@dataclass(frozen=True)
class PhaseRow:
    label: str
    window: tuple[float, float] | None
    read: OpStats | None
    write: OpStats | None


@dataclass(frozen=True)
class Replacement:
    pod: str
    down_s: float | None
    up_s: float | None


@dataclass(frozen=True)
class Outage:
    """Failed attempts of one operation that touch, as one span."""

    op: str
    start: float
    end: float
    attempts: int
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class Direction:
    name: str
    accepted: bool
    from_revision: str
    to_revision: str
    rollout_end_s: float | None
    replacements: tuple[Replacement, ...]
    outages: tuple[Outage, ...]
    failures: tuple[tuple[str, str], ...]  # (op, "503 x12, ReadTimeoutError x1")
    phases: tuple[PhaseRow, ...]
    chart: charts.Chart | None

    @property
    def anchor_suffix(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.name.lower())


@dataclass(frozen=True)
class ProofHead:
    head: str
    description: str
    catches: str
    caught: bool
    first_finding: str
    seconds: float | None


@dataclass(frozen=True)
class VerdictRow:
    requirement: str
    statement: str
    cell: Cell
    finding: str
    test: ResultRecord | None


@dataclass(frozen=True)
class UpgradeSection:
    anchor: str
    leg: str
    test: ResultRecord
    base: str
    digests: tuple[tuple[str, str], ...]
    diff: str
    diff_lines: int
    diff_cut: int  # characters of the diff not shown
    objects_written: int | None
    largest_object: int | None
    timings: tuple[tuple[str, float], ...]
    directions: tuple[Direction, ...]
    proof_heads: tuple[ProofHead, ...]
    verdicts: tuple[VerdictRow, ...]
    images: tuple[tuple[str, str], ...] = ()  # ("base", image), ("head", image): the MinIO image each side ran
    version_change: str | None = None  # "MinIO version change: A -> B" when the two differ
    heads_not_run: str = ""  # why this run applied no proof head (another run proves them)

    @property
    def title(self) -> str:
        return leg_title(self.leg) + (f": {self.version_change}" if self.version_change else "")

    @property
    def missed(self) -> tuple[ProofHead, ...]:
        return tuple(p for p in self.proof_heads if not p.caught)


def _num(value: Any) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _ordinal(pod: str) -> int:
    tail = pod.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else -1


def op_stats(raw: Any) -> OpStats | None:
    if not isinstance(raw, Mapping):
        return None
    return OpStats(
        attempts=int(raw.get("attempts") or 0),
        succeeded=int(raw.get("succeeded") or 0),
        ratio=_num(raw.get("success ratio")),
        longest_gap_s=_num(raw.get("longest gap s")) or 0.0,
    )


def phase_rows(raw: Any) -> tuple[PhaseRow, ...]:
    phases = raw if isinstance(raw, Mapping) else {}
    order = [p for p in PHASES if p in phases] + [p for p in phases if p not in PHASES]
    rows = []
    for label in order:
        phase = phases[label] if isinstance(phases[label], Mapping) else {}
        window = phase.get("window s")
        span = None
        if isinstance(window, Mapping):
            lo, hi = _num(window.get("from")), _num(window.get("to"))
            span = (lo, hi) if lo is not None and hi is not None else None
        rows.append(PhaseRow(str(label), span, op_stats(phase.get("read")), op_stats(phase.get("write"))))
    return tuple(rows)


def outages(failed: Sequence[Sequence[Any]], op: str) -> tuple[Outage, ...]:
    """The failed attempts of `op`, as spans from their start for as long as they took, merged where they touch."""
    spans = sorted(
        (t, t + max(0.0, took), str(result))
        for t_raw, kind, result, took_raw in failed
        if kind == op and (t := _num(t_raw)) is not None and (took := _num(took_raw)) is not None
    )
    out: list[Outage] = []
    for start, end, result in spans:
        if out and start <= out[-1].end + TOUCH_S:
            last = out[-1]
            out[-1] = Outage(op, last.start, max(last.end, end), last.attempts + 1, (*last.outcomes, result))
        else:
            out.append(Outage(op, start, end, 1, (result,)))
    return tuple(out)


def _outcomes(items: Sequence[str]) -> str:
    return ", ".join(f"{k} x{n}" for k, n in Counter(items).most_common())


def direction_rows(d: Direction, events: Sequence[tuple[float, str]]) -> list[charts.ChartRow]:
    """One row per pod (highest ordinal first, the rollout's order), failed reads, failed writes, the events."""
    rows = []
    end_hint = max([0.0, *(at for at, _ in events), *(o.end for o in d.outages)])
    end_hint = max([end_hint, *(r.up_s or r.down_s or 0.0 for r in d.replacements)])
    for rep in d.replacements:
        if rep.down_s is None and rep.up_s is None:
            rows.append(charts.ChartRow(f"{rep.pod} (not replaced)"))
        elif rep.up_s is None:
            down = rep.down_s or 0.0
            title = f"{rep.pod}: down at {charts.seconds(down)} s, not Ready on {d.to_revision} when the record ends"
            rows.append(charts.ChartRow(f"{rep.pod} (never Ready)", (charts.Span(down, end_hint, "c-fail", title),)))
        else:
            down = rep.down_s if rep.down_s is not None else rep.up_s
            title = (
                f"{rep.pod}: down at {charts.seconds(down)} s, Ready on {d.to_revision} at {charts.seconds(rep.up_s)} s"
            )
            rows.append(charts.ChartRow(rep.pod, (charts.Span(down, rep.up_s, "c-pod", title),)))
    for op, css in (("read", "c-read-fail"), ("write", "c-write-fail")):
        spans = tuple(
            charts.Span(
                o.start,
                o.end,
                css,
                f"{o.attempts} failed {op}(s) from {charts.seconds(o.start)} s to {charts.seconds(o.end)} s: "
                + _outcomes(o.outcomes),
                quiet=True,
            )
            for o in d.outages
            if o.op == op
        )
        label = f"failed {op}s" if spans else f"failed {op}s: none"
        rows.append(charts.ChartRow(label, spans))
    points = tuple(charts.Point(at, i + 1, label) for i, (at, label) in enumerate(events))
    rows.append(charts.ChartRow("1 apply, 2 rollout end", points=points))
    return rows


def direction(raw: Mapping[str, Any], title: str) -> Direction:
    failed = [a for a in raw.get("failed attempts") or [] if isinstance(a, list) and len(a) == 4]
    reps_raw = _mapping(raw.get("replacements"))
    reps = tuple(
        Replacement(str(pod), _num(times.get("down s")), _num(times.get("up s")))
        for pod, times in sorted(reps_raw.items(), key=lambda kv: (-_ordinal(str(kv[0])), str(kv[0])))
        if isinstance(times, Mapping)
    )
    spans = outages(failed, "read") + outages(failed, "write")
    phases = phase_rows(raw.get("phases"))
    end = _num(raw.get("rollout end s"))
    d = Direction(
        name=str(raw.get("direction") or "?"),
        accepted=raw.get("accepted") is True,
        from_revision=str(raw.get("from revision") or "not recorded"),
        to_revision=str(raw.get("to revision") or "not recorded"),
        rollout_end_s=end,
        replacements=reps,
        outages=spans,
        failures=tuple((op, _outcomes([str(a[2]) for a in failed if a[1] == op])) for op in OPS),
        phases=phases,
        chart=None,
    )
    events = [(0.0, "apply")] + ([(end, "rollout end")] if end is not None else [])
    first = min([0.0, *(p.window[0] for p in phases if p.window), *(o.start for o in spans)])
    first = min([first, *(r.down_s for r in reps if r.down_s is not None)])
    rows = direction_rows(d, events)
    marks = [charts.Mark(0.0, "apply")] + ([charts.Mark(end, "rollout end")] if end is not None else [])
    chart = charts.layout(f"{title}: {d.name} timeline", rows, start=first, marks=marks)
    return dataclasses.replace(d, chart=chart)


def proof_heads(raw: Any) -> tuple[ProofHead, ...]:
    heads = [h for h in raw if isinstance(h, Mapping)] if isinstance(raw, list) else []
    return tuple(
        ProofHead(
            head=str(h.get("head", "?")),
            description=str(h.get("description") or ""),
            catches=str(h.get("must be caught by", "?")),
            caught=h.get("caught") is True,
            first_finding=str(h.get("first finding") or ""),
            seconds=_num(h.get("seconds")),
        )
        for h in heads
    )


def verdict_rows(matrix: Matrix, leg: str, run: str | None = None) -> tuple[VerdictRow, ...]:
    """UPG-1..5 in catalog order, this leg's cell, and the first finding of its verdicts (else the cell's reason).

    With `run`, the cell of that run's tests alone: a leg may run the scenario twice (the same MinIO
    image, then a version change), and each section shows its own verdicts.
    """
    out = []
    by_key = {leg_obj.key: leg_obj for leg_obj in matrix.legs}
    for row in matrix.rows:
        rid = row.requirement.id
        if not rid.startswith(UPG_PREFIX):
            continue
        cell = next(c for c in row.cells if c.leg == leg)
        if run is not None and leg in by_key:
            cell = combine(row.requirement, by_key[leg], [t for t in cell.tests if t.run == run])
        mine = [(t, v) for t in cell.tests for v in t.verdicts if v.requirement == rid]
        ranked = sorted(mine, key=lambda tv: (tv[1].status is not VerdictStatus.FAILED, not tv[1].findings))
        test, finding = (cell.tests[0] if cell.tests else None), cell.reason
        if ranked:
            test, best = ranked[0]
            if best.findings:
                finding = str(best.findings[0])
            elif best.status is VerdictStatus.NOT_APPLICABLE:
                finding = best.reason or cell.reason
            else:
                finding = cell.reason
        if cell.status is Status.FAILED and not finding and test is not None:
            finding = test.message.strip().splitlines()[0] if test.message.strip() else ""
        out.append(VerdictRow(rid, row.requirement.statement, cell, finding, test))
    return tuple(out)


def images(raw: Any) -> tuple[tuple[str, str], ...]:
    """The record's `images` ({"base": image, "head": image}), base first; what is not a named string is left out."""
    found = _mapping(raw)
    return tuple((side, found[side]) for side in ("base", "head") if isinstance(found.get(side), str) and found[side])


def section(matrix: Matrix, anchor: str, test: ResultRecord) -> UpgradeSection:
    data: Mapping[str, Any] = test.properties[UPGRADE_PROPERTY]
    title = leg_title(test.leg)
    digests = _mapping(data.get("digests"))
    diff = str(data.get("diff") or "")
    timings = _mapping(data.get("timings s"))
    written, largest = data.get("objects written under the base"), data.get("largest object bytes")
    sides = images(data.get("images"))
    both = dict(sides)
    return UpgradeSection(
        anchor=anchor,
        leg=test.leg,
        test=test,
        base=str(data.get("base") or "not recorded"),
        digests=tuple((str(k), str(v)) for k, v in digests.items()),
        diff=diff[:MAX_DIFF_SHOWN],
        diff_lines=diff.count("\n") + (1 if diff and not diff.endswith("\n") else 0),
        diff_cut=max(0, len(diff) - MAX_DIFF_SHOWN),
        objects_written=written if isinstance(written, int) else None,
        largest_object=largest if isinstance(largest, int) else None,
        timings=tuple((str(k), v) for k, raw in timings.items() if (v := _num(raw)) is not None),
        directions=tuple(direction(d, title) for d in data.get("directions") or [] if isinstance(d, Mapping)),
        proof_heads=proof_heads(data.get("proof heads")),
        verdicts=verdict_rows(matrix, test.leg, test.run),
        images=sides,
        version_change=version_change(both.get("base", ""), both.get("head", "")),
        heads_not_run=str(data.get("proof heads not run") or ""),
    )


def sections(matrix: Matrix) -> tuple[UpgradeSection, ...]:
    return tuple(section(matrix, anchor, test) for anchor, test in upgrade_tests(matrix.tests))


def legs_without_record(matrix: Matrix, recorded: Sequence[UpgradeSection]) -> tuple[str, ...]:
    """Legs whose UPG tests ran (passed or failed) but recorded no upgrade data (e.g. an older suite)."""
    have = {s.leg for s in recorded}
    ran = {
        cell.leg
        for row in matrix.rows
        if row.requirement.id.startswith(UPG_PREFIX)
        for cell in row.cells
        if cell.status in (Status.PASSED, Status.FAILED)
    }
    return tuple(k for k in (leg.key for leg in matrix.legs) if k in ran and k not in have)


def summary_json(s: UpgradeSection) -> dict[str, Any]:
    """The compact machine-readable twin of a section: digests, phase stats per direction, proof heads."""

    def stats(o: OpStats | None) -> dict[str, Any] | None:
        if o is None:
            return None
        return {
            "attempts": o.attempts,
            "succeeded": o.succeeded,
            "success ratio": o.ratio,
            "longest gap s": o.longest_gap_s,
        }

    return {
        "leg": s.leg,
        "title": s.title,
        "test": s.test.nodeid,
        "run": s.test.run,
        "anchor": s.anchor,
        "base": s.base,
        "digests": dict(s.digests),
        "images": dict(s.images),
        "version change": s.version_change,
        "proof heads not run": s.heads_not_run or None,
        "verdicts": {v.requirement: v.cell.status.value for v in s.verdicts},
        "directions": [
            {
                "direction": d.name,
                "accepted": d.accepted,
                "from revision": d.from_revision,
                "to revision": d.to_revision,
                "rollout end s": d.rollout_end_s,
                "phases": {
                    p.label: {
                        "window s": list(p.window) if p.window else None,
                        "read": stats(p.read),
                        "write": stats(p.write),
                    }
                    for p in d.phases
                },
            }
            for d in s.directions
        ],
        "proof heads": [
            {
                "head": p.head,
                "must be caught by": p.catches,
                "caught": p.caught,
                "first finding": p.first_finding,
                "seconds": p.seconds,
            }
            for p in s.proof_heads
        ],
    }
