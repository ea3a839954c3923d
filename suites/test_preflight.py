"""PRE: step 0 preflight (000 §0): tools, a cluster that answers, and the needed permissions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fixtures.cluster import PrerequisiteError, find_tools
from fixtures.deploy import DeployError, preflight
from fixtures.evidence import assert_verdict
from fixtures.kube import Kube
from fixtures.live import LiveCluster, LiveTarget
from minio_conformance.checks.preflight import cluster_answers, permissions_granted, preflight_tools

DEAD_KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: nobody, user: {token: none}}]
contexts: [{name: dead, context: {cluster: dead, user: nobody}}]
current-context: dead
"""


@pytest.mark.live
@pytest.mark.requirement("PRE-1")
def test_tools_available_or_one_clear_message(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """The run found kubectl (and kind and docker for kind clusters); a missing one yields one clear line."""
    needed = ["kubectl"] + (["kind", "docker"] if live_cluster.handle.kind else [])
    broken = dataclasses.replace(live_cluster.cfg, kubectl_path="/nonexistent/kubectl")
    with pytest.raises(PrerequisiteError) as missing:
        find_tools(broken, need_kind=False)
    assert "kubectl" in str(missing.value)
    verdict = preflight_tools(live_cluster.record.preflight["tools"], needed, str(missing.value))
    assert_verdict(request, verdict, live_target)


@pytest.mark.live
@pytest.mark.requirement("PRE-2")
def test_cluster_answers_or_names_the_kubeconfig(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget, tmp_path: Path
) -> None:
    """The API server answered; an unreachable one is reported naming the kubeconfig tried."""
    dead = tmp_path / "dead-kubeconfig"
    dead.write_text(DEAD_KUBECONFIG)
    with pytest.raises(DeployError) as unreachable:
        preflight(Kube.connect(str(dead)))
    verdict = cluster_answers(
        live_cluster.record.preflight.get("server_version"), None, str(unreachable.value), str(dead)
    )
    assert_verdict(request, verdict, live_target)


@pytest.mark.live
@pytest.mark.requirement("PRE-3")
def test_identity_may_create_what_the_steps_need(
    request: pytest.FixtureRequest, live_cluster: LiveCluster, live_target: LiveTarget
) -> None:
    """Namespaces, StorageClasses, PVs, DaemonSets, StatefulSets and Secrets may be created."""
    assert_verdict(request, permissions_granted(live_cluster.record.preflight.get("permissions", {})), live_target)
