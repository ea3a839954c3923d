"""CLN: step 1 clean slate (000 §1), and redeploying over it."""

from __future__ import annotations

import pytest

# The redeploy and the first S3 write after it are fixtures' I/O; this module only judges them.
from fixtures.deploy import DeployRecord
from fixtures.durability import first_write
from fixtures.evidence import assert_verdict
from fixtures.faults import redeploy
from fixtures.live import LiveCluster, LiveTarget
from fixtures.s3 import S3Endpoint
from minio_conformance.checks.clean_slate import namespace_cleaned, volumes_cleaned
from minio_conformance.checks.validation import ready_within
from minio_conformance.verdict import Finding, verdict


@pytest.mark.live
@pytest.mark.requirement("CLN-1")
def test_namespace_deleted_and_waited_for(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """minio-system was gone before the first object was applied."""
    assert_verdict(request, namespace_cleaned(live_cluster.record.clean), live_target)


@pytest.mark.live
@pytest.mark.requirement("CLN-2")
def test_no_orphaned_minio_volumes(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """Every PV labelled app=minio was deleted by the clean slate."""
    assert_verdict(request, volumes_cleaned(live_cluster.record.clean), live_target)


@pytest.mark.disruptive
@pytest.mark.redeploys
@pytest.mark.requirement("CLN-3")
def test_deploy_clean_deploy_again(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, s3_endpoint: S3Endpoint
) -> None:
    """Running the documented steps again over a running deployment ends Ready again and serving S3 writes.

    Ready pods and write quorum are not a working service: right after a redeploy over the
    node directories the first one left, MinIO can refuse writes for a while (SlowDownWrite),
    so the write is retried for up to 180 s and every refusal is kept as evidence.
    """
    record = DeployRecord(cluster=live_cluster.handle.name)
    findings = []
    try:
        failure = redeploy(live_cluster, request.config, record)
        if failure is not None:
            findings.append(Finding(f"redeploy failed: {failure}", "StatefulSet minio"))
    finally:
        request.node.user_properties.append(("timing", {"redeploy steps": record.steps}))
    for v in (namespace_cleaned(record.clean), volumes_cleaned(record.clean), ready_within(record.all_ready_after_s)):
        findings += [Finding(f"{v.requirement}: {f.message}", f.object_ref) for f in v.findings]
    refused: list[str] = []
    timeline: dict[str, float] = {}
    if not findings:
        write = first_write(live_cluster, s3_endpoint)
        refused, timeline = write.refused, write.timeline
        if not write.accepted:
            findings.append(Finding(f"no S3 write accepted within 180 s of the redeploy: {refused[-3:]}", "S3"))
    evidence = {"steps": record.steps, "pods": record.pods, "write attempts refused": refused, "timeline s": timeline}
    assert_verdict(request, verdict("CLN-3", findings, evidence), live_target)
