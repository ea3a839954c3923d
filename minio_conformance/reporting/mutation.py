"""The live mutation score: what `python -m fixtures.mutants` recorded, on the page and in summary.json.

The runner writes `mutants-<N>nodes.json` beside the results (the good set, then per mutant its
requirement IDs, outcome, seconds and one evidence line, and the score caught/applicable). This module
checks those files (`parse_mutation_run` is pure and raises `MutationError` with one line), scores them
per node count, and turns a mutant that was not caught (missed, or not judged) into a FAILED report:
the live tier has then not shown that it can fail.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minio_conformance.live_mutants import OUTCOMES, Outcome
from minio_conformance.reporting.model import Result, Verdict
from minio_conformance.reporting.records import depth_of, is_number
from minio_conformance.reporting.sources import UnusableInput, parse_record, read_bounded

FILE_NAME = re.compile(r"^mutants-(?P<nodes>\d+)nodes\.json$")
NODE_COUNTS = (1, 2, 4)
MAX_BYTES = 2_000_000
MAX_MUTANTS = 500
MAX_TEXT = 4000  # characters of one evidence line kept
MAX_DEPTH = 16


class MutationError(ValueError):
    """A mutants file that cannot be judged; the message is one line."""


@dataclass(frozen=True)
class MutantOutcome:
    name: str
    requirements: tuple[str, ...]
    outcome: str
    seconds: float
    evidence: str

    @property
    def caught(self) -> bool:
        return self.outcome == Outcome.CAUGHT

    @property
    def applicable(self) -> bool:
        return self.outcome != Outcome.NOT_APPLICABLE

    @property
    def not_caught(self) -> bool:
        return self.applicable and not self.caught


@dataclass(frozen=True)
class MutationRun:
    """One node count's mutant run."""

    file: str
    nodes: int
    mutants: tuple[MutantOutcome, ...]
    ran: tuple[str, ...]
    subset: Mapping[str, int] | None
    good_seconds: float | None
    started: str
    finished: str

    @property
    def caught(self) -> int:
        return sum(m.caught for m in self.mutants)

    @property
    def applicable(self) -> int:
        return sum(m.applicable for m in self.mutants)

    @property
    def score(self) -> str:
        percent = f" ({100 * self.caught / self.applicable:.0f}%)" if self.applicable else ""
        return f"{self.caught}/{self.applicable}{percent}"

    @property
    def not_caught(self) -> tuple[MutantOutcome, ...]:
        return tuple(m for m in self.mutants if m.not_caught)

    @property
    def total_seconds(self) -> float:
        return round(sum(m.seconds for m in self.mutants) + (self.good_seconds or 0.0), 1)


def _want(where: str, what: str, value: Any) -> MutationError:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    found = "null" if value is None else names.get(type(value), type(value).__name__)
    return MutationError(f"{where} must be {what}, found {found}")


def _str(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _want(where, "a string", value)
    return value


def _int(where: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**9:
        raise _want(where, "a whole number from 0", value)
    return value


def _seconds(where: str, value: Any) -> float:
    if not is_number(value) or value < 0 or value > 1e7:
        raise _want(where, "a number of seconds", value)
    return float(value)


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_MUTANTS:
        raise _want(where, f"an array of at most {MAX_MUTANTS} strings", value)
    return tuple(_str(f"{where}[{i}]", v) for i, v in enumerate(value))


def _mutant(where: str, raw: Any) -> MutantOutcome:
    if not isinstance(raw, Mapping):
        raise _want(where, "an object", raw)
    outcome = _str(f"{where}.outcome", raw.get("outcome"))
    if outcome not in OUTCOMES:
        raise MutationError(f"{where}.outcome must be one of {', '.join(sorted(OUTCOMES))}, found {outcome[:40]!r}")
    return MutantOutcome(
        name=_str(f"{where}.name", raw.get("name")),
        requirements=_strings(f"{where}.requirements", raw.get("requirements")),
        outcome=outcome,
        seconds=_seconds(f"{where}.seconds", raw.get("seconds")),
        evidence=_str(f"{where}.evidence", raw.get("evidence"))[:MAX_TEXT],
    )


def parse_mutation_run(file: str, data: Any) -> MutationRun:
    """A mutants file's parsed JSON, checked field by field; its score must agree with its table."""
    match = FILE_NAME.match(file)
    if match is None:
        raise MutationError(f"{file}: not a mutants-<N>nodes.json file")
    if depth_of(data, MAX_DEPTH) > MAX_DEPTH:
        raise MutationError(f"{file}: nested deeper than {MAX_DEPTH}")
    if not isinstance(data, Mapping):
        raise _want(file, "an object", data)
    nodes = _int(f"{file}: nodes", data.get("nodes"))
    if nodes not in NODE_COUNTS or nodes != int(match["nodes"]):
        raise MutationError(f"{file}: nodes is {nodes}, expected {match['nodes']} (one of 1, 2, 4)")
    raw_mutants = data.get("mutants")
    if not isinstance(raw_mutants, list) or len(raw_mutants) > MAX_MUTANTS:
        raise _want(f"{file}: mutants", f"an array of at most {MAX_MUTANTS} objects", raw_mutants)
    mutants = tuple(_mutant(f"{file}: mutants[{i}]", m) for i, m in enumerate(raw_mutants))
    subset = data.get("subset")
    if subset is not None:
        if not isinstance(subset, Mapping):
            raise _want(f"{file}: subset", "an object or null", subset)
        subset = {"size": _int(f"{file}: subset.size", subset.get("size")),
                  "counter": _int(f"{file}: subset.counter", subset.get("counter"))}  # fmt: skip
    good = data.get("good")
    if good is not None and not isinstance(good, Mapping):
        raise _want(f"{file}: good", "an object or null", good)
    good_seconds = _seconds(f"{file}: good.seconds", good.get("seconds")) if good is not None else None
    score = data.get("score")
    if not isinstance(score, Mapping):
        raise _want(f"{file}: score", "an object", score)
    run = MutationRun(
        file=file,
        nodes=nodes,
        mutants=mutants,
        ran=_strings(f"{file}: ran", data.get("ran")),
        subset=subset,
        good_seconds=good_seconds,
        started=_str(f"{file}: started", data.get("started", "")),
        finished=_str(f"{file}: finished", data.get("finished", "")),
    )
    caught, applicable = _int(f"{file}: score.caught", score.get("caught")), _int(
        f"{file}: score.applicable", score.get("applicable")
    )
    if (caught, applicable) != (run.caught, run.applicable):
        raise MutationError(
            f"{file}: score {caught}/{applicable} disagrees with its table ({run.caught}/{run.applicable})"
        )
    return run


def read_mutation_runs(directories: Sequence[Path]) -> tuple[MutationRun, ...]:
    """Every `mutants-<N>nodes.json` in the results directories, by node count; one per node count."""
    runs: dict[int, MutationRun] = {}
    where: dict[int, Path] = {}
    for directory in directories:
        if not directory.is_dir():
            continue  # the results reader says so
        for path in sorted(directory.glob("mutants-*.json")):
            if path.is_symlink():
                raise MutationError(f"{path}: not a regular file; mutants files are read in place")
            try:
                data = parse_record(path, read_bounded(path, MAX_BYTES))
            except UnusableInput as exc:
                raise MutationError(str(exc)) from None
            except OSError as exc:
                raise MutationError(f"{path}: cannot be read: {exc.strerror or exc}") from None
            try:
                run = parse_mutation_run(path.name, data)
            except MutationError as exc:
                raise MutationError(f"{directory}/{exc}") from None
            if run.nodes in runs:
                raise MutationError(f"{path}: {run.nodes}-node mutants also in {where[run.nodes]}")
            runs[run.nodes], where[run.nodes] = run, path
    return tuple(runs[n] for n in sorted(runs))


def not_caught(runs: Sequence[MutationRun]) -> list[str]:
    """`name (N nodes, outcome)` for every applicable mutant that was not caught."""
    return [f"{m.name} ({r.nodes} node{'s' if r.nodes > 1 else ''}, {m.outcome})" for r in runs for m in r.not_caught]


def judged(verdict: Verdict, runs: Sequence[MutationRun]) -> Verdict:
    """The report's verdict with the mutant runs taken in: a mutant not caught makes it FAILED."""
    missed = tuple(not_caught(runs))
    if not missed:
        return verdict
    return dataclasses.replace(verdict, result=Result.FAILED, missed_mutants=missed)


def summary_json(runs: Sequence[MutationRun]) -> dict[str, Any]:
    return {
        "score": {str(r.nodes): {"caught": r.caught, "applicable": r.applicable} for r in runs},
        "runs": [
            {
                "file": r.file,
                "nodes": r.nodes,
                "caught": r.caught,
                "applicable": r.applicable,
                "score": r.score,
                "ran": list(r.ran),
                "subset": dict(r.subset) if r.subset is not None else None,
                "good set seconds": r.good_seconds,
                "total seconds": r.total_seconds,
                "mutants": [
                    {
                        "name": m.name,
                        "requirements": list(m.requirements),
                        "outcome": m.outcome,
                        "seconds": m.seconds,
                        "evidence": m.evidence,
                    }
                    for m in r.mutants
                ],
            }
            for r in runs
        ],
        "not caught": not_caught(runs),
    }
