"""SCH-1: every object is valid for the targeted Kubernetes API (000 §3-§9, 004), offline."""

from collections.abc import Callable

import pytest


@pytest.mark.static
@pytest.mark.requirement("SCH-1")
def test_objects_valid_for_target_kubernetes(prove_static: Callable[[str], None]) -> None:
    """Built-in kinds validate against Kubernetes 1.34 (strict: no unknown fields, no removed
    API versions); custom resources are listed as not validated."""
    prove_static("SCH-1")
