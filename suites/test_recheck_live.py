"""Static requirements re-checked on the objects read back from the running cluster.

The same pure checks as the static tier, fed with what the API server stored
(defaults filled in, Secret data base64-encoded), so drift between the manifests
and the cluster is caught too.
"""

from __future__ import annotations

import pytest

from fixtures.evidence import assert_verdict
from fixtures.live import LiveCluster, LiveTarget
from minio_conformance.checks import CHECKS, run_check


@pytest.mark.live
@pytest.mark.parametrize("req_id", [pytest.param(r, marks=pytest.mark.requirement(r)) for r in sorted(CHECKS)])
def test_static_requirement_holds_on_live_objects(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, req_id: str
) -> None:
    """The static check of `req_id`, run on the cluster's own objects and nodes."""
    assert_verdict(request, run_check(req_id, live_cluster.snapshot()), live_target)
