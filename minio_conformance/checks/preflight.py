"""PRE: step 0 preflight (000 §0), judged on what the run found before deploying.

PRE-1 (tools found, or one clear message), PRE-2 (the cluster answers, or the message names the
kubeconfig tried), PRE-3 (the permissions the deployment needs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from minio_conformance.verdict import Finding, Verdict, verdict


def preflight_tools(found: Mapping[str, str | None], needed: Sequence[str], error: str | None) -> Verdict:
    """PRE-1: the tools the run needs were found; otherwise one clear message."""
    findings = [Finding(f"{tool} not found", tool) for tool in needed if not found.get(tool)]
    if error and "\n" in error.strip():
        findings.append(Finding("the prerequisite message is not one line", "preflight"))
    return verdict("PRE-1", findings, {"found": dict(found), "message": error})


def cluster_answers(
    server_version: str | None,
    error: str | None,
    unreachable_message: str | None = None,
    kubeconfig_tried: str | None = None,
) -> Verdict:
    """PRE-2: the API server answered with a version; a cluster that does not answer is reported
    with a message naming the kubeconfig tried (judged when the caller shows one such message)."""
    findings = []
    if not server_version:
        findings.append(Finding(f"the cluster did not answer: {error}", "cluster"))
    if kubeconfig_tried is not None and kubeconfig_tried not in (unreachable_message or ""):
        findings.append(
            Finding(f"the unreachable-cluster message does not name the kubeconfig {kubeconfig_tried}", "preflight")
        )
    return verdict(
        "PRE-2",
        findings,
        {
            "server version": server_version,
            "unreachable-cluster message": unreachable_message,
            "kubeconfig tried": kubeconfig_tried,
        },
    )


def permissions_granted(permissions: Mapping[str, bool]) -> Verdict:
    """PRE-3: every permission the deployment needs is granted."""
    findings = [Finding(f"permission missing: {p}", "identity") for p, ok in sorted(permissions.items()) if not ok]
    if not permissions:
        findings.append(Finding("no permission was checked", "identity"))
    return verdict("PRE-3", findings, {"permissions": dict(permissions)})
