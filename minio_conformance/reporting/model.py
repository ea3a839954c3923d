"""The requirement matrix, built from the runs' JSON records by pure functions.

No file is read here: the loader hands in `RunFile`s, so the whole verdict logic can be
tested on recorded or hand-written inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from minio_conformance.catalog import CATALOG, Requirement, Severity, Tier

STATIC_LEG = "static"
LEG_KEYS: tuple[str, ...] = (STATIC_LEG, "1", "2", "4")
_RUN_NAME = re.compile(r"^leg-(?P<nodes>\d+)nodes?-(?P<phase>live|disruptive|static)$")
_NODE_PARAM = re.compile(r"\[(?:[^\]]*-)?(?P<nodes>\d+)nodes?(?:-[^\]]*)?\]$")
IGNORED_RUNS = frozenset({"unit", "summary"})


class Status(StrEnum):
    """What a matrix cell (or one test) says about a requirement in one leg."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not applicable"
    SKIPPED = "skipped"
    NOT_RUN = "not run"


def leg_title(key: str) -> str:
    if key == STATIC_LEG:
        return "static"
    return f"{key} node" if key == "1" else f"{key} nodes"


def classify_run(name: str) -> tuple[str, str] | None:
    """(leg key, phase) of a results file stem; None for files that are not conformance runs."""
    if name == STATIC_LEG:
        return STATIC_LEG, "static"
    match = _RUN_NAME.match(name)
    if match is None:
        return None
    return match["nodes"], match["phase"]


def node_variant(nodeid: str) -> str | None:
    """The node count a static test was rendered for, from its parameter id (`[2nodes]` -> "2")."""
    match = _NODE_PARAM.search(nodeid)
    return match["nodes"] if match else None


@dataclass(frozen=True)
class RunFile:
    """One `<name>.json` as read from the reports directory (already redacted)."""

    name: str
    data: Mapping[str, Any]
    html: str | None = None
    junit: str | None = None

    @property
    def leg(self) -> str:
        kind = classify_run(self.name)
        return kind[0] if kind else ""

    @property
    def phase(self) -> str:
        kind = classify_run(self.name)
        return kind[1] if kind else ""

    @property
    def deploy(self) -> Mapping[str, Any] | None:
        value = self.data.get("deploy")
        return value if isinstance(value, Mapping) else None

    @property
    def wall_s(self) -> float | None:
        start, end = parse_time(self.data.get("started")), parse_time(self.data.get("finished"))
        if start is None or end is None:
            return None
        return max(0.0, (end - start).total_seconds())


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO timestamp (the API's `Z` form included) as an aware datetime, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class ResultRecord:
    """One test of one run, with the status it contributes to its requirements' cells."""

    anchor: str
    run: str
    leg: str
    phase: str
    nodeid: str
    outcome: str
    status: Status
    duration: float
    requirements: tuple[str, ...]
    message: str
    evidence: tuple[tuple[str, str], ...]
    properties: Mapping[str, Any]
    html: str | None
    variant: str | None

    @property
    def name(self) -> str:
        return self.nodeid.rsplit("::", 1)[-1]


def outcome_status(outcome: str, message: str) -> Status:
    """Map a pytest outcome to a matrix status.

    xfailed counts as failed: the suite xfails only advisory requirements that are not met
    outside strict mode, so the requirement was violated; the severity decides the exit code.
    """
    if outcome in ("passed", "xpassed"):
        return Status.PASSED
    if outcome in ("failed", "error", "xfailed"):
        return Status.FAILED
    if outcome == "skipped":
        return Status.NOT_APPLICABLE if "not applicable" in message.lower() else Status.SKIPPED
    return Status.FAILED  # an outcome we do not know is not evidence of conformance


def _anchor(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\0".join(parts).encode()).hexdigest()[:10]
    return f"{prefix}-{digest}"


def cell_anchor(req_id: str, leg: str) -> str:
    return f"c-{req_id}-{leg}"


def results_of(run: RunFile) -> list[ResultRecord]:
    out = []
    for raw in run.data.get("tests") or []:
        if not isinstance(raw, Mapping):
            continue
        nodeid = str(raw.get("nodeid", ""))
        outcome = str(raw.get("outcome", ""))
        message = str(raw.get("message") or "")
        evidence = raw.get("evidence")
        evidence = evidence if isinstance(evidence, Mapping) else {}
        props = raw.get("properties")
        props = props if isinstance(props, Mapping) else {}
        reqs = raw.get("requirements")
        reqs = reqs if isinstance(reqs, list) else []
        try:
            duration = float(raw.get("duration") or 0.0)
        except (TypeError, ValueError):
            duration = 0.0
        out.append(
            ResultRecord(
                anchor=_anchor("t", run.name, nodeid),
                run=run.name,
                leg=run.leg,
                phase=run.phase,
                nodeid=nodeid,
                outcome=outcome,
                status=outcome_status(outcome, message),
                duration=duration,
                requirements=tuple(str(r) for r in reqs),
                message=message,
                evidence=tuple((str(k), str(v)) for k, v in evidence.items()),
                properties=dict(props),
                html=run.html,
                variant=node_variant(nodeid),
            )
        )
    return out


@dataclass(frozen=True)
class Cell:
    requirement: str
    leg: str
    status: Status
    reason: str
    tests: tuple[ResultRecord, ...]

    @property
    def anchor(self) -> str:
        return cell_anchor(self.requirement, self.leg)


@dataclass(frozen=True)
class Row:
    requirement: Requirement
    cells: tuple[Cell, ...]

    @property
    def failed_legs(self) -> tuple[str, ...]:
        return tuple(c.leg for c in self.cells if c.status is Status.FAILED)


@dataclass(frozen=True)
class Leg:
    """One column: the runs that make it up and what they recorded about the cluster."""

    key: str
    runs: tuple[RunFile, ...]

    @property
    def title(self) -> str:
        return leg_title(self.key)

    @property
    def phases(self) -> tuple[str, ...]:
        return tuple(r.phase for r in self.runs)

    @property
    def ran(self) -> bool:
        return bool(self.runs)

    @property
    def deploy(self) -> Mapping[str, Any] | None:
        """The live run's deployment record (the disruptive run reuses that deployment)."""
        for phase in ("live", "disruptive"):
            for run in self.runs:
                if run.phase == phase and run.deploy is not None:
                    return run.deploy
        return None

    def covers(self, tier: Tier) -> bool:
        if tier is Tier.STATIC:
            return any(p in ("static", "live") for p in self.phases)
        if tier is Tier.LIVE:
            return "live" in self.phases
        return "disruptive" in self.phases

    def not_run_reason(self, tier: Tier) -> str:
        if not self.runs:
            return f"no results for the {self.title} leg"
        if "static" in self.phases and tier is not Tier.STATIC and self.key != STATIC_LEG:
            return "the live tier could not run on this leg (static only)"
        wanted = "live" if tier is Tier.LIVE else tier.value
        return f"no {wanted} run for this leg"


def combine(req: Requirement, leg: Leg, tests: Sequence[ResultRecord]) -> Cell:
    """Failed if any test failed; passed if every test that ran passed; otherwise say why not."""
    if not tests:
        if leg.key == STATIC_LEG and req.tier is not Tier.STATIC and leg.ran:
            return Cell(req.id, leg.key, Status.NOT_APPLICABLE, f"{req.tier.value} requirement: needs a cluster", ())
        if leg.covers(req.tier):
            return Cell(req.id, leg.key, Status.NOT_RUN, "no test of this requirement in the leg's results", ())
        return Cell(req.id, leg.key, Status.NOT_RUN, leg.not_run_reason(req.tier), ())
    statuses = [t.status for t in tests]
    if Status.FAILED in statuses:
        failed = [t for t in tests if t.status is Status.FAILED]
        return Cell(req.id, leg.key, Status.FAILED, _describe(failed), tuple(tests))
    if Status.PASSED in statuses:
        return Cell(req.id, leg.key, Status.PASSED, "", tuple(tests))
    if Status.SKIPPED in statuses:
        skipped = [t for t in tests if t.status is Status.SKIPPED]
        return Cell(req.id, leg.key, Status.SKIPPED, _reasons(skipped), tuple(tests))
    return Cell(req.id, leg.key, Status.NOT_APPLICABLE, _reasons(tests), tuple(tests))


def _reasons(tests: Iterable[ResultRecord]) -> str:
    seen: list[str] = []
    for test in tests:
        reason = test.message.removeprefix("Skipped: ").strip() or test.outcome
        if reason not in seen:
            seen.append(reason)
    return "; ".join(seen)


def _describe(failed: Sequence[ResultRecord]) -> str:
    variants = sorted({t.variant for t in failed if t.variant}, key=int)
    where = f" ({', '.join(leg_title(v) for v in variants)})" if variants else ""
    return f"{len(failed)} test(s) failed{where}"


@dataclass(frozen=True)
class Verdict:
    passed: bool
    strict: bool
    required_failed: tuple[str, ...]
    advisory_failed: tuple[str, ...]
    counts: Mapping[str, int]
    legs_not_run: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    @property
    def line(self) -> str:
        parts = []
        if self.required_failed:
            parts.append(f"required requirement(s) failed: {' '.join(self.required_failed)}")
        if self.advisory_failed:
            enforced = "enforced (--strict)" if self.strict else "not enforced without --strict"
            parts.append(f"advisory not met ({enforced}): {' '.join(self.advisory_failed)}")
        if self.legs_not_run:
            parts.append(f"legs without results: {', '.join(self.legs_not_run)}")
        counts = ", ".join(f"{n} {s}" for s, n in self.counts.items() if n)
        head = "PASS" if self.passed else "FAIL"
        return f"{head}: " + ("; ".join(parts) if parts else "no requirement failed") + f" [cells: {counts}]"


@dataclass(frozen=True)
class Matrix:
    legs: tuple[Leg, ...]
    rows: tuple[Row, ...]
    unattributed: tuple[ResultRecord, ...]
    unknown: Mapping[str, tuple[ResultRecord, ...]]
    ignored: tuple[str, ...] = ()
    tests: tuple[ResultRecord, ...] = field(default=())

    def verdict(self, *, strict: bool = False) -> Verdict:
        required = tuple(
            r.requirement.id for r in self.rows if r.failed_legs and r.requirement.severity is Severity.REQUIRED
        )
        advisory = tuple(
            r.requirement.id for r in self.rows if r.failed_legs and r.requirement.severity is Severity.ADVISORY
        )
        # Failing tests whose ID is not in the catalog cannot be waived: they count as required.
        unknown_failed = tuple(
            sorted(rid for rid, tests in self.unknown.items() if any(t.status is Status.FAILED for t in tests))
        )
        counts = {s.value: 0 for s in Status}
        for row in self.rows:
            for cell in row.cells:
                counts[cell.status.value] += 1
        failed = required + unknown_failed
        passed = not failed and not (strict and advisory)
        legs_not_run = tuple(leg.title for leg in self.legs if not leg.ran)
        return Verdict(passed, strict, failed, advisory, counts, legs_not_run)


def build_matrix(runs: Iterable[RunFile], catalog: Mapping[str, Requirement] = CATALOG) -> Matrix:
    """One row per catalog requirement (catalog order), one cell per leg."""
    by_leg: dict[str, list[RunFile]] = {k: [] for k in LEG_KEYS}
    ignored = []
    for run in runs:
        if run.leg in by_leg:
            by_leg[run.leg].append(run)
        else:
            ignored.append(run.name)
    legs = tuple(Leg(k, tuple(sorted(by_leg[k], key=_phase_order))) for k in LEG_KEYS)
    tests = [t for leg in legs for run in leg.runs for t in results_of(run)]
    index: dict[tuple[str, str], list[ResultRecord]] = {}
    unknown: dict[str, list[ResultRecord]] = {}
    for test in tests:
        for rid in test.requirements:
            if rid in catalog:
                index.setdefault((rid, test.leg), []).append(test)
            else:
                unknown.setdefault(rid, []).append(test)
    rows = tuple(
        Row(req, tuple(combine(req, leg, index.get((req.id, leg.key), [])) for leg in legs)) for req in catalog.values()
    )
    return Matrix(
        legs=legs,
        rows=rows,
        unattributed=tuple(t for t in tests if not t.requirements),
        unknown={k: tuple(v) for k, v in sorted(unknown.items())},
        ignored=tuple(sorted(ignored)),
        tests=tuple(tests),
    )


def _phase_order(run: RunFile) -> int:
    return {"static": 0, "live": 1, "disruptive": 2}.get(run.phase, 3)
