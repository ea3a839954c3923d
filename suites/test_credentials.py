"""SEC-1, SEC-2, SEC-5: namespace isolation and credential handling (000 §3, 004)."""

from collections.abc import Callable

import pytest

from fixtures.evidence import assert_verdict, verdict_text
from fixtures.live import LiveCluster, LiveTarget
from fixtures.manifests import StaticTarget
from fixtures.s3 import S3Endpoint, sdk_access
from minio_conformance.checks import run_all
from minio_conformance.checks.credentials import credentials_absent, s3_access


@pytest.mark.static
@pytest.mark.requirement("SEC-1")
def test_objects_in_minio_system(prove_static: Callable[[str], None]) -> None:
    """Every namespaced MinIO object lives in minio-system."""
    prove_static("SEC-1")


@pytest.mark.static
@pytest.mark.requirement("SEC-2")
def test_credentials_only_through_secret(prove_static: Callable[[str], None]) -> None:
    """Root user and password reach MinIO only through secretKeyRef to minio-credentials."""
    prove_static("SEC-2")


@pytest.mark.static
@pytest.mark.requirement("SEC-5")
def test_evidence_never_carries_credentials(request: pytest.FixtureRequest, static_target: StaticTarget) -> None:
    """Everything a report could show of these manifests (object YAML, verdict texts) is free of credentials."""
    texts = dict(static_target.evidence_all())
    for req_id, v in run_all(static_target.snapshot).items():
        texts[f"verdict {req_id}"] = verdict_text(v, static_target)
    verdict = credentials_absent(texts, static_target.credentials.values())
    assert_verdict(request, verdict, static_target)


@pytest.mark.live
@pytest.mark.requirement("SEC-3")
def test_s3_accepts_secret_credentials_and_refuses_others(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, s3_endpoint: S3Endpoint
) -> None:
    """Both SDKs: signed with the Secret's credentials, requests succeed; with wrong ones, refused."""
    access, secret = live_cluster.credentials()
    seen = sdk_access(s3_endpoint, access, secret)
    assert_verdict(request, s3_access(seen.accepted, seen.refused), live_target)
