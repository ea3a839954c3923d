"""SCH-1: every object is valid for the targeted Kubernetes API (000 §3-§9, 004)."""

from __future__ import annotations

from minio_conformance.checks import Snapshot, check
from minio_conformance.schema import TARGET_KUBERNETES, Coverage, validate_objects
from minio_conformance.verdict import Finding, Verdict, verdict


@check("SCH-1")
def objects_valid_for_target_kubernetes(snap: Snapshot) -> Verdict:
    """Every object of a built-in API group validates against the Kubernetes 1.34 schema (strict).

    One finding per problem, at the field that causes it; objects of other API groups
    (custom resources) are listed as not validated, never a finding.
    """
    results = validate_objects(snap.objects, TARGET_KUBERNETES)
    findings = [Finding(p.message, p.object_ref, p.path) for r in results for p in r.problems]
    not_validated = [f"{r.object_ref} ({r.api_version})" for r in results if r.coverage is Coverage.NOT_VALIDATED]
    notes = [
        f"not validated (custom resource, no Kubernetes {TARGET_KUBERNETES} schema): {ref}" for ref in not_validated
    ]
    return verdict(
        "SCH-1",
        findings,
        {
            "Kubernetes version": TARGET_KUBERNETES,
            "validated": [r.object_ref for r in results if r.coverage is Coverage.VALIDATED],
            "not served by this version": [
                f"{r.object_ref} ({r.api_version})" for r in results if r.coverage is Coverage.NOT_SERVED
            ],
            "not validated": not_validated,
        },
        notes,
    )
