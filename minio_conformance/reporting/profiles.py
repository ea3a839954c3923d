"""Run profiles: which legs and tiers a run set out to prove (`--profile`).

`full` (the default) is the conformance matrix: the static column and the 1-, 2- and
4-node legs with their static, live and disruptive tiers. A leg or tier without results
makes that report INCOMPLETE.

`quick` is the pull-request profile (`nox -s quick`): the static column and the static
and live tiers of the 4-node leg; the disruptive scenarios and the 1- and 2-node legs are
left out by design. Its report is a partial run: it says so on the page, in summary.json
and in the verdict line, lists the requirement IDs it therefore did not evaluate, and
never reads PASS (PASS-PARTIAL at best). Results of a leg or tier outside the profile
are refused, so a partial page cannot quietly mix with a full run's results.

Pure: a profile is data; the model reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from minio_conformance.catalog import Tier


@dataclass(frozen=True)
class Profile:
    """What a run covers: leg key -> the tiers it runs there (`scope`); None covers every leg and tier."""

    name: str
    scope: Mapping[str, tuple[Tier, ...]] | None = field(default=None)
    ran: str = ""  # what it runs, in words
    not_run: str = ""  # what it leaves out by design, in words

    @property
    def partial(self) -> bool:
        return self.scope is not None

    @property
    def label(self) -> str:
        """`PARTIAL RUN (quick profile): <ran>; not run: <not_run>`, or "" for the full profile."""
        if not self.partial:
            return ""
        return f"PARTIAL RUN ({self.name} profile): {self.ran}; not run: {self.not_run}"

    def covers_leg(self, leg: str) -> bool:
        return self.scope is None or bool(self.scope.get(leg))

    def covers(self, leg: str, tier: Tier) -> bool:
        return self.scope is None or tier in self.scope.get(leg, ())

    def planned(self, leg: str, tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
        """`tiers`, less those this profile leaves out on `leg`."""
        return tuple(t for t in tiers if self.covers(leg, t))

    def left_out(self, leg: str, tier: Tier) -> str:
        """Why `tier` of `leg` has no results by design ("" when the profile covers it)."""
        if self.covers(leg, tier):
            return ""
        if not self.covers_leg(leg):
            return f"the leg is not part of the {self.name} profile"
        what = "disruptive scenarios are" if tier is Tier.DISRUPTIVE else f"the {tier.value} tier is"
        return f"{what} not part of the {self.name} profile"


FULL = Profile("full")
QUICK = Profile(
    "quick",
    scope={"static": (Tier.STATIC,), "4": (Tier.STATIC, Tier.LIVE)},
    ran="static tier and live tier on 4 nodes",
    not_run="disruptive scenarios, the 1- and 2-node legs",
)
PROFILES: dict[str, Profile] = {p.name: p for p in (FULL, QUICK)}
