"""SEC-4, SEC-6: pinned images and unprivileged MinIO (004)."""

from collections.abc import Callable

import pytest


@pytest.mark.static
@pytest.mark.requirement("SEC-4")
def test_images_pinned(prove_static: Callable[[str], None]) -> None:
    """No latest tag and no untagged image."""
    prove_static("SEC-4")


@pytest.mark.static
@pytest.mark.requirement("SEC-6")
def test_minio_unprivileged(prove_static: Callable[[str], None]) -> None:
    """No privilege escalation, no privilege, no host namespaces for MinIO."""
    prove_static("SEC-6")
