"""Conformance suites: one module per requirement family, static and live tests side by side."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict
from fixtures.manifests import StaticTarget

# The durability scenarios' fixtures, offered to the suites here (their I/O lives in fixtures/).
from fixtures.scenarios import first_node_lost as first_node_lost
from fixtures.scenarios import node_paused as node_paused
from fixtures.scenarios import pod_return as pod_return
from fixtures.scenarios import scenario as scenario
from fixtures.scenarios import stage as stage


@pytest.fixture
def prove_static(request: pytest.FixtureRequest, static_target: StaticTarget) -> Callable[[str], None]:
    """Judge a requirement on the manifests (as the gate does) and turn the verdict into the outcome.

    A requirement that cannot be evaluated (what it needs is missing and reported once, by its
    owner) or that the config waives is skipped with the reason, never passed.
    """

    def prove(req_id: str) -> None:
        __tracebackhide__ = True
        assert_verdict(request, static_target.verdicts[req_id], static_target)

    return prove
