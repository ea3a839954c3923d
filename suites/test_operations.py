"""OPS: operations practice from 001 (advisory unless --minio-strict)."""

from collections.abc import Callable

import pytest


@pytest.mark.static
@pytest.mark.requirement("OPS-1")
def test_disruption_budget_keeps_write_quorum(prove_static: Callable[[str], None]) -> None:
    """A PDB for app=minio that never lets write quorum go."""
    prove_static("OPS-1")


@pytest.mark.static
@pytest.mark.requirement("OPS-2")
def test_graceful_shutdown(prove_static: Callable[[str], None]) -> None:
    """A grace period or preStop hook lets MinIO finish in-flight requests."""
    prove_static("OPS-2")
