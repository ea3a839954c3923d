"""CLN: step 1 clean slate (000 §1), judged on what the deploy recorded of it.

CLN-1 (the namespace was gone before the apply), CLN-2 (no app=minio PV survived). CLN-3
(redeploy over the clean slate) is judged by its suite with these and VAL-1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.verdict import Finding, Verdict, verdict


def namespace_cleaned(clean: Mapping[str, Any]) -> Verdict:
    """CLN-1: minio-system was gone (deleted and waited for) before anything was applied."""
    findings = []
    if not clean:
        findings.append(Finding("no clean-slate step was recorded", "Namespace minio-system"))
    elif not clean.get("namespace_absent_before_apply"):
        findings.append(Finding("namespace still existed when the deployment was applied", "Namespace minio-system"))
    return verdict("CLN-1", findings, dict(clean))


def volumes_cleaned(clean: Mapping[str, Any]) -> Verdict:
    """CLN-2: no PV labelled app=minio survived the clean slate.

    On a user's cluster the clean slate may delete only the PVs this suite labelled; app=minio
    PVs of someone else's are kept, and named in a note (the documented step 1 would delete them).
    """
    findings = []
    notes = []
    if not clean:
        findings.append(Finding("no clean-slate step was recorded", "PersistentVolume"))
    elif clean.get("pvs_left"):
        findings.append(Finding(f"PVs left after clean-up: {clean['pvs_left']}", "PersistentVolume"))
    foreign = clean.get("foreign_pvs_kept") or []
    if foreign and clean.get("own_cluster"):
        findings.append(Finding(f"app=minio PVs not deleted: {foreign}", "PersistentVolume"))
    elif foreign:
        notes.append(
            f"kept app=minio PV(s) {foreign}: they lack this suite's owner label, so on a user's cluster they are "
            "not its to delete; the documented clean slate (000 step 1) would delete them"
        )
    return verdict("CLN-2", findings, dict(clean), notes=notes)
