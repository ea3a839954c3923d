"""Schema validation of the rendered manifests against the targeted Kubernetes version, offline."""

import pytest

from fixtures.manifests import StaticTarget
from minio_conformance.schema import TARGET_KUBERNETES, validate_object


@pytest.mark.static
def test_objects_valid_for_target_kubernetes(static_target: StaticTarget) -> None:
    """Every rendered object is accepted by the Kubernetes API schema (strict: no unknown fields)."""
    __tracebackhide__ = True
    problems = [str(p) for o in static_target.rendered.objects if (p := validate_object(o)) is not None]
    if problems:
        pytest.fail(f"schema (Kubernetes {TARGET_KUBERNETES}):\n" + "\n".join(problems), pytrace=False)
