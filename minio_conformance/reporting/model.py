"""The requirement matrix, built from the runs' JSON records by pure functions.

No file is read here: the loader hands in `RunFile`s, so the whole verdict logic can be
tested on recorded or hand-written inputs. A `Profile` (`profiles`) says which legs and
tiers the run set out to cover: the full matrix by default, or a partial run such as the
quick profile, whose verdict is PASS-PARTIAL at best and lists what it did not evaluate.

A requirement the team's gate config waives is recorded as not applicable with a `waived_reason`
(fixtures/results.py): its cells read "waived", never passed, and for the verdict it is neither
proven nor missing (the line says how many and which). A failed or errored test that carries no
requirement ID (a deployment step, a fixture error) fails the report, named.

A requirement that could not be observed because the deployment did not come up is recorded as
not applicable with `not_evaluated: true` (fixtures/evidence.py): its test and cells read "not
evaluated", never not applicable and never passed, and for the verdict it counts like a missing
proof (a required ID only "not evaluated" makes the report INCOMPLETE unless something failed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from minio_conformance.catalog import CATALOG, Requirement, Severity, Tier
from minio_conformance.reporting.profiles import FULL, Profile
from minio_conformance.reporting.records import UPGRADE_PROPERTY  # the upgrade scenario's record, on the UPG-4 test
from minio_conformance.verdict import Finding
from minio_conformance.verdict import Status as VerdictStatus

STATIC_LEG = "static"
LEG_KEYS: tuple[str, ...] = (STATIC_LEG, "1", "2", "4")
_RUN_NAME = re.compile(r"^leg-(?P<nodes>\d+)nodes?-(?P<phase>live|disruptive|static|upgrade|version-change)$")
_NODE_PARAM = re.compile(r"\[(?:[^\]]*-)?(?P<nodes>\d+)nodes?(?:-[^\]]*)?\]$")
IGNORED_RUNS = frozenset({"unit", "summary"})
# Files beside the results that the page reads on its own (timings, bare procedure, live mutants) or
# writes itself (summary): not results of a leg, and not "files not part of the matrix" either.
COMPANION_FILES = re.compile(r"^(summary|matrix-timings|(bare-procedure|mutants)-\d+nodes)$")
# upgrade: its own cluster (lane); version-change: the upgrade scenario again on it, the base on an older MinIO
NODE_PHASES: tuple[str, ...] = ("live", "disruptive", "upgrade", "version-change")

EXIT_PASS = 0
EXIT_FAILED = 1
EXIT_UNUSABLE = 2
EXIT_INCOMPLETE = 3


class Status(StrEnum):
    """What a matrix cell (or one test) says about a requirement in one leg."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not applicable"
    WAIVED = "waived"  # not applicable because the team's gate config waives the requirement
    NOT_EVALUATED = "not evaluated"  # could not be observed (the deployment did not come up): a missing proof
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
    origin: str = ""  # the results directory it was read from, as given

    @property
    def file(self) -> str:
        return str(PurePath(self.origin, f"{self.name}.json"))

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


# A recorded verdict's finding is the judges' own Finding (message, object and field), read back from data.
FindingRecord = Finding


@dataclass(frozen=True)
class VerdictRecord:
    """A requirement check's verdict as the results record carries it (data, not text)."""

    requirement: str
    status: VerdictStatus
    findings: tuple[FindingRecord, ...] = ()
    notes: tuple[str, ...] = ()
    not_applicable_reason: str | None = None
    waived_reason: str | None = None  # set when the gate config waives the requirement (the verdict is n/a)
    not_evaluated: bool = False  # recorded `not_evaluated: true`: the requirement could not be observed

    @property
    def waived(self) -> bool:
        return self.status is VerdictStatus.NOT_APPLICABLE and self.waived_reason is not None

    @property
    def unobserved(self) -> bool:
        """Not applicable only because it could not be observed (the deployment did not come up)."""
        return self.status is VerdictStatus.NOT_APPLICABLE and self.not_evaluated and not self.waived

    @property
    def unobserved_reason(self) -> str:
        """Why it could not be observed, without the "not evaluated: " its note starts with."""
        return self.reason.removeprefix(NOT_EVALUATED_NOTE)

    @property
    def reason(self) -> str:
        """Why it is not applicable (its own field, else its notes)."""
        return self.not_applicable_reason or "; ".join(self.notes)


def verdict_records(raw: Any) -> tuple[VerdictRecord, ...]:
    """The `verdicts` of a test entry (already checked by records.check_record)."""
    out = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        try:
            status = VerdictStatus(str(item.get("status")))
        except ValueError:
            continue
        findings = tuple(
            FindingRecord(str(f.get("message", "")), str(f.get("object_ref", "")), str(f.get("path", "")))
            for f in item.get("findings") or []
            if isinstance(f, Mapping)
        )
        reason = item.get("not_applicable_reason")
        waived = item.get("waived_reason")
        out.append(
            VerdictRecord(
                requirement=str(item.get("requirement", "")),
                status=status,
                findings=findings,
                notes=tuple(str(n) for n in item.get("notes") or []),
                not_applicable_reason=str(reason) if reason else None,
                waived_reason=str(waived) if isinstance(waived, str) else None,
                not_evaluated=item.get("not_evaluated") is True,
            )
        )
    return tuple(out)


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
    verdicts: tuple[VerdictRecord, ...] = ()

    @property
    def name(self) -> str:
        return self.nodeid.rsplit("::", 1)[-1]

    @property
    def reason(self) -> str:
        """Why the test did not prove anything: the verdicts' not-applicable reasons, else pytest's skip message."""
        if self.status in _NOT_APPLICABLE_KINDS:
            reasons = [v.reason for v in self.verdicts if v.status is VerdictStatus.NOT_APPLICABLE and v.reason]
            if reasons:
                return "; ".join(dict.fromkeys(reasons))
        return self.message.removeprefix("Skipped: ").strip() or self.outcome

    def status_for(self, req_id: str) -> Status:
        """The status this test gives `req_id`'s cell: its own, except that a not-applicable test is
        waived for the requirements whose verdicts (all of them) the config waived, and not evaluated
        for those whose verdicts all say they could not be observed; only those."""
        if self.status not in _NOT_APPLICABLE_KINDS:
            return self.status
        own = [v for v in self.verdicts if v.requirement == req_id] or list(self.verdicts)
        return _not_applicable_kind(own)

    def waivers_for(self, req_id: str) -> tuple[str, ...]:
        """The waiver reasons this test recorded for `req_id`."""
        own = [v for v in self.verdicts if v.requirement == req_id] or list(self.verdicts)
        return tuple(v.waived_reason for v in own if v.waived and v.waived_reason)

    @property
    def failed_unattributed(self) -> bool:
        """Failed or errored without a requirement ID (a deployment step, a fixture error), and not a
        proof head of the upgrade scenario (those fail the report as missed proof heads)."""
        return (
            not self.requirements
            and self.outcome in UNATTRIBUTED_FAILED_OUTCOMES
            and not isinstance(self.properties.get(CATCHES_PROPERTY), str)
        )


NOT_EVALUATED_NOTE = "not evaluated: "  # how fixtures/evidence.py not_evaluated() starts the verdict's note
_NOT_APPLICABLE_KINDS = frozenset({Status.NOT_APPLICABLE, Status.WAIVED, Status.NOT_EVALUATED})


def _not_applicable_kind(verdicts: Sequence[VerdictRecord]) -> Status:
    """Not-applicable verdicts, all waived: waived; all not evaluated: not evaluated; else not applicable."""
    if verdicts and all(v.waived for v in verdicts):
        return Status.WAIVED
    if verdicts and all(v.unobserved for v in verdicts):
        return Status.NOT_EVALUATED
    return Status.NOT_APPLICABLE


FAILED_OUTCOMES = frozenset({"failed", "error", "xfailed"})
UNATTRIBUTED_FAILED_OUTCOMES = frozenset({"failed", "error"})  # xfailed is expected; it marks advisory IDs only


def status_of(outcome: str, verdicts: Sequence[VerdictRecord] = ()) -> Status:
    """Map a pytest outcome and the test's recorded verdicts to a matrix status.

    xfailed counts as failed: the suite xfails only advisory requirements that are not met
    outside strict mode, so the requirement was violated; the severity decides the exit code.
    "Not applicable" is read from the verdicts only: a skip without a not-applicable verdict
    is a plain skip, whatever its message says. A skip whose verdicts the config all waived is
    waived; one whose verdicts all say `not_evaluated` (the deployment did not come up) is not evaluated.
    """
    if outcome in FAILED_OUTCOMES or any(v.status is VerdictStatus.FAILED for v in verdicts):
        return Status.FAILED
    if outcome in ("passed", "xpassed"):
        return Status.PASSED
    if outcome == "skipped":
        if verdicts and all(v.status is VerdictStatus.NOT_APPLICABLE for v in verdicts):
            return _not_applicable_kind(verdicts)
        return Status.SKIPPED
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
        verdicts = verdict_records(raw.get("verdicts"))
        duration = raw.get("duration")
        out.append(
            ResultRecord(
                anchor=_anchor("t", run.name, nodeid),
                run=run.name,
                leg=run.leg,
                phase=run.phase,
                nodeid=nodeid,
                outcome=outcome,
                status=status_of(outcome, verdicts),
                duration=float(duration) if isinstance(duration, int | float) else 0.0,
                requirements=tuple(str(r) for r in reqs),
                message=message,
                evidence=tuple((str(k), str(v)) for k, v in evidence.items()),
                properties=dict(props),
                html=run.html,
                variant=node_variant(nodeid),
                verdicts=verdicts,
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

    @property
    def proven(self) -> bool:
        """Passed in at least one leg."""
        return any(c.status is Status.PASSED for c in self.cells)

    @property
    def waived_legs(self) -> tuple[str, ...]:
        return tuple(c.leg for c in self.cells if c.status is Status.WAIVED)

    @property
    def not_evaluated_legs(self) -> tuple[str, ...]:
        return tuple(c.leg for c in self.cells if c.status is Status.NOT_EVALUATED)


@dataclass(frozen=True)
class Leg:
    """One column: the runs that make it up and what they recorded about the cluster."""

    key: str
    runs: tuple[RunFile, ...]
    profile: Profile = FULL

    @property
    def title(self) -> str:
        return leg_title(self.key)

    @property
    def planned(self) -> bool:
        """The run's profile covers this leg (the full profile covers every leg)."""
        return self.profile.covers_leg(self.key)

    @property
    def phases(self) -> tuple[str, ...]:
        return tuple(r.phase for r in self.runs)

    @property
    def ran(self) -> bool:
        return bool(self.runs)

    @property
    def static_only(self) -> bool:
        """A node leg whose live tier could not run (only its static tests were recorded)."""
        return self.key != STATIC_LEG and "static" in self.phases

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

    def expected_tiers(self, tiers: Iterable[Tier]) -> tuple[Tier, ...]:
        """The tiers this leg must have results for: the static column proves the static tier only,
        and a partial profile leaves some tiers out by design."""
        wanted = set(tiers) & {Tier.STATIC} if self.key == STATIC_LEG else set(tiers)
        return tuple(t for t in Tier if t in wanted and self.profile.covers(self.key, t))

    def missing_tiers(self, tiers: Iterable[Tier]) -> tuple[Tier, ...]:
        return tuple(t for t in self.expected_tiers(tiers) if not self.covers(t))

    def missing_reason(self, tiers: Sequence[Tier]) -> str:
        if self.static_only:
            return "the live tier could not run: static tests only"
        runs = dict.fromkeys(
            "static" if self.key == STATIC_LEG else "disruptive" if t is Tier.DISRUPTIVE else "live" for t in tiers
        )
        return "no " + " or ".join(runs) + " run recorded"

    def not_run_reason(self, tier: Tier) -> str:
        left_out = self.profile.left_out(self.key, tier)
        if left_out:
            return left_out
        if not self.runs:
            return f"no results for the {self.title} leg"
        if self.static_only and tier is not Tier.STATIC:
            return "the live tier could not run on this leg (static only)"
        wanted = "live" if tier is Tier.LIVE else tier.value
        return f"no {wanted} run for this leg"


def combine(req: Requirement, leg: Leg, tests: Sequence[ResultRecord]) -> Cell:
    """Failed if any test failed; waived if a test was waived (a waived requirement never reads
    passed); passed if every test that ran passed; not evaluated if a test could not observe it (the
    deployment did not come up) and none ran; otherwise say why not."""
    if not tests:
        if leg.key == STATIC_LEG and req.tier is not Tier.STATIC and leg.ran:
            return Cell(req.id, leg.key, Status.NOT_APPLICABLE, f"{req.tier.value} requirement: needs a cluster", ())
        if leg.covers(req.tier):
            return Cell(req.id, leg.key, Status.NOT_RUN, "no test of this requirement in the leg's results", ())
        return Cell(req.id, leg.key, Status.NOT_RUN, leg.not_run_reason(req.tier), ())
    statuses = [t.status_for(req.id) for t in tests]
    if Status.FAILED in statuses:
        failed = [t for t in tests if t.status is Status.FAILED]
        return Cell(req.id, leg.key, Status.FAILED, _describe(failed), tuple(tests))
    if Status.WAIVED in statuses:
        reasons = dict.fromkeys(r for t in tests for r in t.waivers_for(req.id))
        return Cell(req.id, leg.key, Status.WAIVED, "waived: " + "; ".join(reasons), tuple(tests))
    if Status.PASSED in statuses:
        return Cell(req.id, leg.key, Status.PASSED, "", tuple(tests))
    if Status.NOT_EVALUATED in statuses:
        unobserved = [t for t, s in zip(tests, statuses, strict=True) if s is Status.NOT_EVALUATED]
        reasons = dict.fromkeys(t.reason.removeprefix(NOT_EVALUATED_NOTE) for t in unobserved)
        return Cell(req.id, leg.key, Status.NOT_EVALUATED, "; ".join(reasons), tuple(tests))
    if Status.SKIPPED in statuses:
        skipped = [t for t in tests if t.status is Status.SKIPPED]
        return Cell(req.id, leg.key, Status.SKIPPED, _reasons(skipped), tuple(tests))
    return Cell(req.id, leg.key, Status.NOT_APPLICABLE, _reasons(tests), tuple(tests))


def _waiver(cells: Iterable[Cell]) -> str:
    """The waiver reasons of a row's waived cells (each "<reason> (<config file>)"), once each."""
    return "; ".join(dict.fromkeys(c.reason.removeprefix("waived: ") for c in cells if c.status is Status.WAIVED))


def _reasons(tests: Iterable[ResultRecord]) -> str:
    return "; ".join(dict.fromkeys(test.reason for test in tests))


def _describe(failed: Sequence[ResultRecord]) -> str:
    variants = sorted({t.variant for t in failed if t.variant}, key=int)
    where = f" ({', '.join(leg_title(v) for v in variants)})" if variants else ""
    return f"{len(failed)} test(s) failed{where}"


CATCHES_PROPERTY = "catches"  # on each proof-head test: the UPG ID that must catch its broken head


def upgrade_tests(tests: Iterable[ResultRecord]) -> list[tuple[str, ResultRecord]]:
    """(section anchor, test) for every test carrying an upgrade record: `upgrade-<leg>`, numbered after the first."""
    out: list[tuple[str, ResultRecord]] = []
    per_leg: dict[str, int] = {}
    for test in tests:
        if not isinstance(test.properties.get(UPGRADE_PROPERTY), Mapping):
            continue
        n = per_leg[test.leg] = per_leg.get(test.leg, 0) + 1
        out.append((f"upgrade-{test.leg}" + (f"-{n}" if n > 1 else ""), test))
    return out


@dataclass(frozen=True)
class MissedProofHead:
    """A broken head the upgrade scenario applied that the UPG ID named for it did not catch."""

    leg: str
    head: str
    catches: str
    why: str
    anchor: str  # where the page shows it

    def __str__(self) -> str:
        return f"{self.head} not caught by {self.catches} ({leg_title(self.leg)})"


def missed_proof_heads(tests: Sequence[ResultRecord]) -> tuple[MissedProofHead, ...]:
    """Proof heads not caught: marked so in an upgrade record, or whose own test failed.

    A suite that cannot fail proves nothing: each missed head fails the report like a failed
    required requirement. Both sources are read, so a missing or partial upgrade record
    cannot hide a failed proof-head test.
    """
    out: dict[tuple[str, str], MissedProofHead] = {}
    for anchor, test in upgrade_tests(tests):
        for head in test.properties[UPGRADE_PROPERTY].get("proof heads") or []:
            if isinstance(head, Mapping) and head.get("caught") is False:
                name, catches = str(head.get("head", "?")), str(head.get("must be caught by", "?"))
                why = str(head.get("first finding") or "") or f"{catches} found nothing wrong"
                out.setdefault((test.leg, name), MissedProofHead(test.leg, name, catches, why, f"{anchor}-proofs"))
    for test in tests:
        by = test.properties.get(CATCHES_PROPERTY)
        if not isinstance(by, str) or test.status is not Status.FAILED:
            continue
        param = test.name.partition("[")[2].removesuffix("]")
        name = param.removesuffix(f"-{by}") or test.name
        why = test.message.strip().splitlines()[0] if test.message.strip() else f"the test {test.outcome}"
        out.setdefault((test.leg, name), MissedProofHead(test.leg, name, by, why, test.anchor))
    return tuple(out.values())


class Result(StrEnum):
    """The report's overall verdict."""

    PASS = "pass"
    PASS_PARTIAL = "pass-partial"  # a partial profile in which nothing that ran failed: never a plain PASS
    FAILED = "failed"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class NotEvaluated:
    """A requirement a partial run neither proved nor saw fail, and why (its profile left it out, or its cells)."""

    id: str
    tier: Tier
    severity: Severity
    reason: str


@dataclass(frozen=True)
class Waived:
    """A requirement the team's gate config waives: neither proven nor missing, stated with why and where."""

    id: str
    severity: Severity
    reason: str  # "<reason> (<config file>)", as the waiver was recorded
    legs: tuple[str, ...]  # the legs whose cells read waived

    def __str__(self) -> str:
        return f"{self.id}: {self.reason}"


@dataclass(frozen=True)
class UnattributedFailure:
    """A failed or errored test with no requirement ID (a deployment step, a fixture error)."""

    nodeid: str
    leg: str
    run: str
    outcome: str
    why: str  # the first line of its message
    anchor: str  # its test block on the page

    def __str__(self) -> str:
        return f"{self.nodeid} ({leg_title(self.leg) if self.leg else self.run})"


def unattributed_failures(tests: Iterable[ResultRecord]) -> tuple[UnattributedFailure, ...]:
    out = []
    for t in tests:
        if t.failed_unattributed:
            lines = t.message.strip().splitlines()
            why = lines[0] if lines else f"the test {t.outcome}"
            out.append(UnattributedFailure(t.nodeid, t.leg, t.run, t.outcome, why, t.anchor))
    return tuple(out)


@dataclass(frozen=True)
class MissingTiers:
    """A leg that ran without results for some of its tiers, and why."""

    leg: str
    title: str
    tiers: tuple[Tier, ...]
    reason: str

    def __str__(self) -> str:
        return f"{self.title} without {', '.join(t.value for t in self.tiers)} results ({self.reason})"


@dataclass(frozen=True)
class Verdict:
    result: Result
    strict: bool
    required_failed: tuple[str, ...]
    advisory_failed: tuple[str, ...]
    counts: Mapping[str, int]
    legs_not_run: tuple[str, ...]
    legs_missing_tiers: tuple[MissingTiers, ...] = ()
    unproven: tuple[str, ...] = ()
    missed_proof_heads: tuple[MissedProofHead, ...] = ()
    profile: Profile = FULL
    not_evaluated: tuple[NotEvaluated, ...] = ()  # a partial profile's requirements neither proven nor failed
    waived: tuple[Waived, ...] = ()  # requirements the gate config waives, with why (catalog order)
    unattributed_failed: tuple[UnattributedFailure, ...] = ()  # failed tests without a requirement ID
    unobserved: tuple[str, ...] = ()  # of `unproven`: those "not evaluated" in some leg (could not be observed)
    missed_mutants: tuple[str, ...] = ()  # live mutants not caught (reporting/mutation.py): FAILED

    @property
    def passed(self) -> bool:
        return self.result is Result.PASS

    @property
    def exit_code(self) -> int:
        return {
            Result.PASS: EXIT_PASS,
            Result.PASS_PARTIAL: EXIT_PASS,
            Result.FAILED: EXIT_FAILED,
            Result.INCOMPLETE: EXIT_INCOMPLETE,
        }[self.result]

    @property
    def head(self) -> str:
        return self.result.value.upper()

    @property
    def missing(self) -> str:
        """What keeps the report from being complete, in one clause ("" when nothing does)."""
        parts = []
        if self.legs_not_run:
            parts.append(f"legs without results: {', '.join(self.legs_not_run)}")
        parts += [str(m) for m in self.legs_missing_tiers]
        other = [rid for rid in self.unproven if rid not in self.unobserved]
        if other:
            parts.append(f"required requirement(s) not proven in any leg: {' '.join(other)}")
        if self.unobserved:
            parts.append(
                f"required requirement(s) not evaluated (could not be observed), proven in no leg: "
                f"{' '.join(self.unobserved)}"
            )
        return "; ".join(parts)

    @property
    def line(self) -> str:
        parts = [self.profile.label] if self.profile.partial else []
        if self.required_failed:
            parts.append(f"required requirement(s) failed: {' '.join(self.required_failed)}")
        if self.advisory_failed:
            enforced = "enforced (--strict)" if self.strict else "not enforced without --strict"
            parts.append(f"advisory not met ({enforced}): {' '.join(self.advisory_failed)}")
        if self.missed_proof_heads:
            parts.append(f"proof head(s) not caught: {', '.join(str(m) for m in self.missed_proof_heads)}")
        if self.missed_mutants:
            parts.append(f"live mutant(s) not caught: {', '.join(self.missed_mutants)}")
        if self.unattributed_failed:
            failed = ", ".join(str(u) for u in self.unattributed_failed)
            parts.append(f"test(s) failed without a requirement ID: {failed}")
        if self.missing:
            parts.append(("incomplete: " if self.result is Result.FAILED else "") + self.missing)
        if self.result is Result.PASS_PARTIAL:
            parts.append("nothing that ran failed")
        if self.not_evaluated:
            parts.append(f"not evaluated ({len(self.not_evaluated)}): {' '.join(n.id for n in self.not_evaluated)}")
        if self.result is Result.PASS and self.waived:
            parts.insert(0, "every required requirement proven or waived, none failed")
        if self.waived:
            parts.append(f"{len(self.waived)} waived ({' '.join(w.id for w in self.waived)})")
        counts = ", ".join(f"{n} {s}" for s, n in self.counts.items() if n)
        body = "; ".join(parts) if parts else "every required requirement proven, none failed"
        return f"{self.head}: {body} [cells: {counts}]"


@dataclass(frozen=True)
class Matrix:
    legs: tuple[Leg, ...]
    rows: tuple[Row, ...]
    unattributed: tuple[ResultRecord, ...]
    unknown: Mapping[str, tuple[ResultRecord, ...]]
    ignored: tuple[str, ...] = ()
    tests: tuple[ResultRecord, ...] = field(default=())
    profile: Profile = FULL

    def verdict(self, *, strict: bool = False) -> Verdict:
        """FAILED when a required requirement (or, with strict, an advisory one) failed in any leg,
        a test without a requirement ID failed or errored, or a proof head of the upgrade scenario
        was not caught; otherwise INCOMPLETE unless every leg has results for its tiers and every
        required requirement passed in at least one leg or is waived (one only "not evaluated", the
        deployment having not come up, is not proven); otherwise PASS (the waived ones stated).

        Under a partial profile only the legs and tiers it covers must have results, and the
        best verdict is PASS-PARTIAL: every requirement neither proven nor failed is listed as
        not evaluated (with why) instead of making the report INCOMPLETE."""
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
        tiers = {r.requirement.tier for r in self.rows}
        legs_not_run = tuple(leg.title for leg in self.legs if not leg.ran and leg.planned)
        missing = tuple(
            MissingTiers(leg.key, leg.title, gaps, leg.missing_reason(gaps))
            for leg in self.legs
            if leg.ran and (gaps := leg.missing_tiers(tiers))
        )
        partial = self.profile.partial
        unproven = tuple(
            r.requirement.id
            for r in self.rows
            if r.requirement.severity is Severity.REQUIRED
            and not r.proven
            and not r.failed_legs
            and not r.waived_legs
            and not partial
        )
        waived = tuple(
            Waived(r.requirement.id, r.requirement.severity, _waiver(r.cells), r.waived_legs)
            for r in self.rows
            if r.waived_legs
        )
        not_evaluated = tuple(self._not_evaluated()) if partial else ()
        by_id = {r.requirement.id: r for r in self.rows}
        unobserved = tuple(rid for rid in unproven if by_id[rid].not_evaluated_legs)
        missed = missed_proof_heads(self.tests)
        unattributed = unattributed_failures(self.tests)
        if failed or missed or unattributed or (strict and advisory):
            result = Result.FAILED
        elif legs_not_run or missing or unproven:
            result = Result.INCOMPLETE
        else:
            result = Result.PASS_PARTIAL if partial else Result.PASS
        return Verdict(
            result,
            strict,
            failed,
            advisory,
            counts,
            legs_not_run,
            missing,
            unproven,
            missed,
            profile=self.profile,
            not_evaluated=not_evaluated,
            waived=waived,
            unattributed_failed=unattributed,
            unobserved=unobserved,
        )

    def _not_evaluated(self) -> Iterable[NotEvaluated]:
        """Every requirement (catalog order) with no passed and no failed cell, and why: the profile left
        its tier out everywhere, or what its cells in the covered legs say."""
        by_key = {leg.key: leg for leg in self.legs}
        for row in self.rows:
            req = row.requirement
            if row.proven or row.failed_legs or row.waived_legs:  # waived ones are listed as waived
                continue
            covered = [
                c
                for c in row.cells
                if self.profile.covers(c.leg, req.tier) and (c.leg != STATIC_LEG or req.tier is Tier.STATIC)
            ]
            if not covered:
                what = "disruptive scenarios" if req.tier is Tier.DISRUPTIVE else f"{req.tier.value} tier"
                reason = f"{what} not run (not part of the {self.profile.name} profile)"
            elif all(c.status is Status.NOT_RUN and not c.tests for c in covered):
                where = " or ".join(by_key[c.leg].title for c in covered)
                reason = (
                    f"no test of it ran on {where}; its tests may be among what the {self.profile.name} profile "
                    f"does not run ({self.profile.not_run})"
                )
            else:
                reason = "; ".join(
                    dict.fromkeys(
                        f"{by_key[c.leg].title}: {c.status.value}" + (f" ({c.reason})" if c.reason else "")
                        for c in covered
                    )
                )
            yield NotEvaluated(req.id, req.tier, req.severity, reason)


_PHASE_TIER = {
    "static": Tier.STATIC,
    "live": Tier.LIVE,
    "disruptive": Tier.DISRUPTIVE,
    "upgrade": Tier.DISRUPTIVE,
    "version-change": Tier.DISRUPTIVE,
}


def check_runs(runs: Sequence[RunFile], profile: Profile = FULL) -> str | None:
    """The first reason these runs cannot make one report (one line), or None.

    Refused: a leg the report does not know, the same run (leg and tier) twice, one leg's
    runs spread over several results directories, a leg that both could and could not run
    its live tier, a record whose node counts contradict its file name, and under a partial
    profile, a run of a leg or tier the profile leaves out.
    """
    seen: dict[str, RunFile] = {}
    origin_of_leg: dict[str, RunFile] = {}
    for run in runs:
        if run.leg not in LEG_KEYS:
            known = ", ".join(leg_title(k) for k in LEG_KEYS)
            return f"{run.file}: unknown leg {run.name!r} (known legs: {known})"
        if not profile.covers(run.leg, _PHASE_TIER[run.phase]):
            return (
                f"{run.file}: {run.phase} results of the {leg_title(run.leg)} leg are not part of the "
                f"{profile.name} profile ({profile.ran}); keep the {profile.name} run's results in a directory "
                f"of their own, or build this report without --profile {profile.name}"
            )
        if run.name in seen:
            return (
                f"{run.name}.json is in both {seen[run.name].origin} and {run.origin}: "
                "a leg's tier may come from one results directory only"
            )
        seen[run.name] = run
        first = origin_of_leg.setdefault(run.leg, run)
        if first.origin != run.origin:
            return (
                f"conflicting {leg_title(run.leg)} leg: {first.file} and {run.file} come from different results "
                "directories; a leg's runs must come from one directory"
            )
        counts = run.data.get("node counts") or []
        if run.leg != STATIC_LEG and counts and [str(c) for c in counts] != [run.leg]:
            return f"{run.file}: records node counts {', '.join(str(c) for c in counts)} but its name says {run.name}"
    for key in LEG_KEYS:
        leg_runs = [r for r in runs if r.leg == key]
        static_only = [r for r in leg_runs if r.phase == "static" and key != STATIC_LEG]
        live = [r for r in leg_runs if r.phase in NODE_PHASES]
        if static_only and live:
            return (
                f"conflicting {leg_title(key)} leg: {static_only[0].file} says its live tier could not run, "
                f"but {live[0].file} holds {live[0].phase} results (results of different runs mixed)"
            )
    return None


def build_matrix(
    runs: Iterable[RunFile], catalog: Mapping[str, Requirement] = CATALOG, profile: Profile = FULL
) -> Matrix:
    """One row per catalog requirement (catalog order), one cell per leg; `profile` says what the run covers."""
    by_leg: dict[str, list[RunFile]] = {k: [] for k in LEG_KEYS}
    ignored = []
    for run in runs:
        if run.leg in by_leg:
            by_leg[run.leg].append(run)
        else:
            ignored.append(run.name)
    legs = tuple(Leg(k, tuple(sorted(by_leg[k], key=_phase_order)), profile) for k in LEG_KEYS)
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
        profile=profile,
    )


def _phase_order(run: RunFile) -> int:
    return {"static": 0, "live": 1, "disruptive": 2, "upgrade": 3, "version-change": 4}.get(run.phase, 5)
