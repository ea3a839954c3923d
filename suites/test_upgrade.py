"""UPG: a head manifest set applied onto the running base deployment keeps every byte and the availability
quorum predicts; and the scenario proves it can fail, with heads each UPG ID must catch."""

import json

import pytest

from fixtures.evidence import assert_verdict
from fixtures.live import LiveTarget
from fixtures.upgrade import UpgradeRun
from minio_conformance.checks.upgrade import HEAD_VARIANTS, UPGRADE_JUDGES, HeadVariant, judge_rollback
from minio_conformance.verdict import Status, Verdict, not_applicable

pytestmark = [pytest.mark.disruptive, pytest.mark.upgrade]


def _forward(run: UpgradeRun, req_id: str) -> Verdict:
    if run.not_run or run.forward is None:
        return not_applicable(req_id, run.not_run or "the upgrade scenario recorded nothing")
    found = UPGRADE_JUDGES[req_id](run.forward)
    return type(found)(
        found.requirement, found.status, found.findings, {**found.evidence, **run.summary()}, found.notes
    )


@pytest.mark.requirement("UPG-1")
def test_head_is_accepted_and_every_pod_rolls_to_it(
    request: pytest.FixtureRequest, upgrade_run: UpgradeRun, live_target: LiveTarget
) -> None:
    """The API accepts the head and every pod ends on the head template, Ready."""
    assert_verdict(request, _forward(upgrade_run, "UPG-1"), live_target)


@pytest.mark.requirement("UPG-2")
def test_rollout_goes_highest_ordinal_first_one_at_a_time(
    request: pytest.FixtureRequest, upgrade_run: UpgradeRun, live_target: LiveTarget
) -> None:
    """Highest ordinal first, each replaced pod Ready before the next goes."""
    assert_verdict(request, _forward(upgrade_run, "UPG-2"), live_target)


@pytest.mark.requirement("UPG-3")
def test_every_object_and_claim_survives_the_rollout(
    request: pytest.FixtureRequest, upgrade_run: UpgradeRun, live_target: LiveTarget
) -> None:
    """Every object reads back byte-identical; every claim keeps its PV and node."""
    assert_verdict(request, _forward(upgrade_run, "UPG-3"), live_target)


@pytest.mark.requirement("UPG-4")
def test_service_during_the_rollout_matches_quorum(
    request: pytest.FixtureRequest, upgrade_run: UpgradeRun, live_target: LiveTarget
) -> None:
    """Reads and writes through the NodePort during the rollout, as quorum predicts for one pod down at a time."""
    if not upgrade_run.not_run:
        data = live_target.redact(json.dumps(upgrade_run.report_data(), default=str))
        request.node.user_properties.append(("upgrade", data))
    assert_verdict(request, _forward(upgrade_run, "UPG-4"), live_target)


@pytest.mark.requirement("UPG-5")
def test_rolling_back_to_the_base_keeps_the_same_guarantees(
    request: pytest.FixtureRequest, upgrade_run: UpgradeRun, live_target: LiveTarget
) -> None:
    """Re-applying the base returns every pod to it with UPG-1..4's guarantees."""
    if upgrade_run.rollback is None:
        why = upgrade_run.not_run or "the head was refused, so there is nothing to roll back (UPG-1 says why)"
        assert_verdict(request, not_applicable("UPG-5", why), live_target)
        return
    assert_verdict(request, judge_rollback(upgrade_run.rollback), live_target)


@pytest.mark.parametrize(
    "variant",
    [pytest.param(v, marks=pytest.mark.requirement(v.catches), id=f"{v.id}-{v.catches}") for v in HEAD_VARIANTS],
)
def test_broken_head_is_caught_under_its_id(
    request: pytest.FixtureRequest, upgrade_run: UpgradeRun, variant: HeadVariant
) -> None:
    """A head that must be caught: the judge of the named ID fails on what its rollout recorded."""
    __tracebackhide__ = True
    why_not = upgrade_run.not_run or upgrade_run.heads_not_run
    if why_not:
        pytest.skip(why_not)
    record = upgrade_run.variants[variant.id]
    assert variant.catches is not None
    found = UPGRADE_JUDGES[variant.catches](record)
    request.node.user_properties.append(("catches", variant.catches))
    request.node.user_properties.append(("caught by", "; ".join(str(f) for f in found.findings)[:2000]))
    if found.status is not Status.FAILED:
        pytest.fail(f"{variant.id}: {variant.catches} did not catch it ({found.status.value})", pytrace=False)
