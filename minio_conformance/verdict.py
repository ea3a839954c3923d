"""Verdicts returned by requirement checks: a status plus the evidence behind it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Finding:
    """One concrete violation, pointing at the object and field that cause it."""

    message: str
    object_ref: str = ""
    path: str = ""

    def __str__(self) -> str:
        where = " ".join(p for p in (self.object_ref, self.path) if p)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Verdict:
    """The outcome of one requirement check.

    `evidence` holds what an auditor needs to follow the decision (the objects or
    observations examined, already free of credentials); `notes` carry statements
    that are true whether the check passed or not (e.g. a reported risk).
    """

    requirement: str
    status: Status
    findings: tuple[Finding, ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status is not Status.FAILED

    def summary(self) -> str:
        if self.status is Status.PASSED:
            return f"{self.requirement}: passed"
        if self.status is Status.NOT_APPLICABLE:
            return f"{self.requirement}: not applicable ({'; '.join(self.notes)})"
        lines = [f"{self.requirement}: {len(self.findings)} finding(s)"]
        lines += [f"  - {f}" for f in self.findings]
        return "\n".join(lines)


def verdict(
    requirement: str,
    findings: Iterable[Finding],
    evidence: Mapping[str, Any] | None = None,
    notes: Iterable[str] = (),
) -> Verdict:
    """Build a verdict that fails exactly when there are findings."""
    found = tuple(findings)
    return Verdict(
        requirement=requirement,
        status=Status.FAILED if found else Status.PASSED,
        findings=found,
        evidence=dict(evidence or {}),
        notes=tuple(notes),
    )


def not_applicable(requirement: str, why: str, evidence: Mapping[str, Any] | None = None) -> Verdict:
    return Verdict(requirement, Status.NOT_APPLICABLE, evidence=dict(evidence or {}), notes=(why,))
