"""Conformance suites: one module per requirement family, static and live tests side by side."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict
from fixtures.manifests import StaticTarget
from minio_conformance.checks import run_check


@pytest.fixture
def prove_static(request: pytest.FixtureRequest, static_target: StaticTarget) -> Callable[[str], None]:
    """Run a requirement's check on the rendered manifests and turn the verdict into the outcome."""

    def prove(req_id: str) -> None:
        __tracebackhide__ = True
        assert_verdict(request, run_check(req_id, static_target.snapshot), static_target)

    return prove
