"""PRB: health probes (000 §9)."""

from collections.abc import Callable

import pytest


@pytest.mark.static
@pytest.mark.requirement("PRB-1")
def test_liveness_probe(prove_static: Callable[[str], None]) -> None:
    """httpGet /minio/health/live :9000, delay 30 s, period 30 s."""
    prove_static("PRB-1")


@pytest.mark.static
@pytest.mark.requirement("PRB-2")
def test_readiness_probe(prove_static: Callable[[str], None]) -> None:
    """httpGet /minio/health/ready :9000, delay 10 s, period 10 s."""
    prove_static("PRB-2")
