"""Checks over what a running cluster shows: pods, endpoints, claims and probe results.

Still pure: the live fixtures gather the observations (API objects, HTTP status
codes, `stat` output, DNS answers) and these functions judge them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from minio_conformance.checks.common import pv_pinned_nodes
from minio_conformance.objects import dig, labels, name, of_kind
from minio_conformance.topology import STATEFULSET, pod_host, schedulable_nodes
from minio_conformance.verdict import Finding, Verdict, verdict

Obj = Mapping[str, Any]


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _ready(pod: Obj) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True" for c in dig(pod, "status", "conditions", default=[])
    )


def _ordinal(pod_name: str) -> int:
    return int(pod_name.rsplit("-", 1)[1])


def pods_on_distinct_nodes(req_id: str, pods: Sequence[Obj], expected: int) -> Verdict:
    """STS-9 / VAL-2: `expected` MinIO pods, each on a node of its own."""
    placement = {name(p): dig(p, "spec", "nodeName") for p in pods}
    findings = []
    if len(pods) != expected:
        findings.append(Finding(f"{len(pods)} MinIO pod(s), expected {expected}", "Pod"))
    unscheduled = sorted(p for p, n in placement.items() if not n)
    if unscheduled:
        findings.append(Finding(f"pods not scheduled: {unscheduled}", "Pod"))
    for node, count in Counter(n for n in placement.values() if n).items():
        if count > 1:
            findings.append(
                Finding(
                    f"{count} pods share node {node}: {sorted(p for p, n in placement.items() if n == node)}", "Pod"
                )
            )
    return verdict(req_id, findings, {"placement": placement})


def ordered_start(timeline: Sequence[Mapping[str, Any]], replicas: int) -> Verdict:
    """STS-8: pods minio-0..N-1, each created no earlier than its predecessor became Ready.

    `timeline` is taken once the deploy waited for all pods to be Ready (see
    `fixtures.deploy.pod_timeline`), so every pod, the last one included, must carry a Ready time.
    """
    findings = []
    names = sorted((t["name"] for t in timeline), key=_ordinal)
    if names != [f"{STATEFULSET}-{i}" for i in range(replicas)]:
        findings.append(Finding(f"pods are {names}, expected minio-0..minio-{replicas - 1}", "Pod"))
    by_ordinal = sorted(timeline, key=lambda t: _ordinal(t["name"]))
    for t in by_ordinal:
        if _ts(t.get("ready")) is None:
            findings.append(Finding(f"{t['name']} never became Ready", f"Pod {t['name']}"))
    for prev, cur in pairwise(by_ordinal):
        prev_ready, cur_created = _ts(prev.get("ready")), _ts(cur.get("created"))
        if prev_ready is not None and cur_created is not None and cur_created < prev_ready:
            findings.append(
                Finding(
                    f"{cur['name']} was created at {cur['created']}, before {prev['name']} was Ready ({prev['ready']})",
                    f"Pod {cur['name']}",
                )
            )
    return verdict("STS-8", findings, {"timeline": list(by_ordinal)})


def scale_down_order(before: Sequence[str], removal_order: Sequence[str], replicas_after: int) -> Verdict:
    """STS-8 (scale-in): pods go highest ordinal first, and only those above the new count."""
    expected = sorted((p for p in before if _ordinal(p) >= replicas_after), key=_ordinal, reverse=True)
    findings = []
    if not expected:
        findings.append(Finding(f"nothing observed: no pod above ordinal {replicas_after - 1} to remove", "Pod"))
    if list(removal_order) != expected:
        findings.append(Finding(f"pods were removed in the order {list(removal_order)}, expected {expected}", "Pod"))
    return verdict(
        "STS-8", findings, {"before": list(before), "removed": list(removal_order), "replicas after": replicas_after}
    )


def storage_prep_per_node(pods: Sequence[Obj], nodes: Sequence[Obj]) -> Verdict:
    """PREP-1: exactly one Ready storage-prep pod on each schedulable node, none elsewhere.

    A pod not yet scheduled to any node is reported as such (and not again as not Ready).
    """
    wanted = set(schedulable_nodes(nodes))
    scheduled = [p for p in pods if dig(p, "spec", "nodeName")]
    unscheduled = sorted(name(p) for p in pods if not dig(p, "spec", "nodeName"))
    per_node: Counter[str] = Counter(dig(p, "spec", "nodeName") for p in scheduled)
    findings = []
    for node in sorted(wanted):
        if per_node.get(node, 0) != 1:
            findings.append(Finding(f"{per_node.get(node, 0)} storage-prep pod(s) on schedulable node {node}", "Pod"))
    for node in sorted(set(per_node) - wanted):
        findings.append(Finding(f"storage-prep pod on non-schedulable node {node}", "Pod"))
    for pod_name in unscheduled:
        findings.append(Finding("storage-prep pod is not scheduled to any node", f"Pod {pod_name}"))
    for p in scheduled:
        if not _ready(p):
            restarts = sum(c.get("restartCount", 0) for c in dig(p, "status", "containerStatuses", default=[]))
            findings.append(Finding(f"storage-prep pod is not Ready ({restarts} restarts)", f"Pod {name(p)}"))
    return verdict(
        "PREP-1",
        findings,
        {"pods per node": dict(per_node), "unscheduled pods": unscheduled, "schedulable nodes": sorted(wanted)},
    )


def storage_directories(stats: Mapping[str, Mapping[str, Any]]) -> Verdict:
    """PREP-2: `/mnt/minio-data` on every node: a directory, mode 755, owner 1000:1000.

    `stats` maps node -> {"exists": bool, "is_directory": bool, "mode": int, "uid": int, "gid": int}.
    """
    findings = []
    for node, st in sorted(stats.items()):
        if not st.get("exists"):
            findings.append(Finding("/mnt/minio-data does not exist", f"Node {node}"))
            continue
        if not st.get("is_directory"):
            findings.append(Finding("/mnt/minio-data is not a directory", f"Node {node}"))
        if st.get("mode") != 0o755:
            findings.append(Finding(f"mode is {oct(st.get('mode', 0))}, expected 0o755", f"Node {node}"))
        if (st.get("uid"), st.get("gid")) != (1000, 1000):
            findings.append(Finding(f"owner is {st.get('uid')}:{st.get('gid')}, expected 1000:1000", f"Node {node}"))
    if not stats:
        findings.append(Finding("no node was inspected", "Node"))
    return verdict("PREP-2", findings, {"stat": {n: {**s, "mode": oct(s.get("mode", 0))} for n, s in stats.items()}})


def node_ports_answer(results: Mapping[str, Mapping[int, int | str]]) -> Verdict:
    """SVC-3: every node answers on 30900 (S3 health: 200) and 30901 (console: 200)."""
    findings = []
    for node, ports in sorted(results.items()):
        for port in (30900, 30901):
            status = ports.get(port)
            if status != 200:
                findings.append(Finding(f"port {port} answered {status!r}, expected HTTP 200", f"Node {node}"))
    if not results:
        findings.append(Finding("nothing observed: no node was probed", "Node"))
    return verdict("SVC-3", findings, {"HTTP status per node and port": results})


def pod_dns_resolves(answers: Mapping[str, Sequence[str]], pods: Sequence[Obj], namespace: str) -> Verdict:
    """SVC-4: minio-<i>.minio-headless.<ns>.svc.cluster.local resolves to minio-<i>'s IP."""
    findings = []
    for pod in pods:
        host = pod_host(_ordinal(name(pod)), namespace)
        got = list(answers.get(host, []))
        ip = dig(pod, "status", "podIP")
        if not got:
            findings.append(Finding(f"{host} did not resolve", f"Pod {name(pod)}"))
        elif ip not in got:
            findings.append(Finding(f"{host} resolved to {got}, not the pod's IP {ip}", f"Pod {name(pod)}"))
    if not pods:
        findings.append(Finding("nothing observed: no MinIO pod to resolve", "Pod"))
    return verdict("SVC-4", findings, {"answers": dict(answers)})


def _slice_addresses(slices: Sequence[Obj], service: str, ready_only: bool = True) -> set[str]:
    out: set[str] = set()
    for s in slices:
        if labels(s).get("kubernetes.io/service-name") != service:
            continue
        for ep in s.get("endpoints") or []:
            if ready_only and dig(ep, "conditions", "ready") is False:
                continue
            out.update(ep.get("addresses") or [])
    return out


def endpoints_cover_ready_pods(services: Sequence[Obj], slices: Sequence[Obj], pods: Sequence[Obj]) -> Verdict:
    """SVC-5: each MinIO Service has a ready endpoint for every ready MinIO pod, and none for unready pods."""
    ready_ips = {dig(p, "status", "podIP") for p in pods if _ready(p)}
    unready_ips = {dig(p, "status", "podIP") for p in pods if not _ready(p)} - {None}
    findings = []
    seen = {}
    for svc in services:
        if dig(svc, "spec", "selector", "app") != "minio":
            continue
        addrs = _slice_addresses(slices, name(svc))
        seen[name(svc)] = sorted(addrs)
        missing = ready_ips - addrs
        if missing:
            findings.append(Finding(f"no endpoint for ready pod IP(s) {sorted(missing)}", f"Service {name(svc)}"))
        stale = (addrs & unready_ips) if not dig(svc, "spec", "publishNotReadyAddresses") else set()
        if stale:
            findings.append(Finding(f"ready endpoint for unready pod IP(s) {sorted(stale)}", f"Service {name(svc)}"))
    if not seen:
        findings.append(Finding("nothing observed: no Service selects app=minio", "Service"))
    if not pods:
        findings.append(Finding("nothing observed: no MinIO pod", "Pod"))
    return verdict("SVC-5", findings, {"ready endpoints": seen, "ready pod IPs": sorted(ready_ips)})


def services_have_endpoints(services: Sequence[Obj], slices: Sequence[Obj]) -> Verdict:
    """VAL-3: every MinIO Service has at least one ready endpoint."""
    findings = []
    seen = {}
    for svc in services:
        addrs = _slice_addresses(slices, name(svc))
        seen[name(svc)] = sorted(addrs)
        if not addrs:
            findings.append(Finding("no ready endpoint", f"Service {name(svc)}"))
    if not services:
        findings.append(Finding("nothing observed: no MinIO Service", "Service"))
    return verdict("VAL-3", findings, {"ready endpoints": seen})


def claims_bound(claims: Sequence[Obj], replicas: int) -> Verdict:
    """VAL-4: data-minio-0..N-1 exist and are Bound."""
    phases = {name(c): dig(c, "status", "phase") for c in claims}
    findings = [
        Finding(f"claim is {phase}", f"PersistentVolumeClaim {c}") for c, phase in phases.items() if phase != "Bound"
    ]
    for i in range(replicas):
        if f"data-{STATEFULSET}-{i}" not in phases:
            findings.append(Finding(f"claim data-{STATEFULSET}-{i} does not exist", "PersistentVolumeClaim"))
    return verdict("VAL-4", findings, {"claims": phases})


def claims_pinned_to_pod_nodes(req_id: str, pods: Sequence[Obj], claims: Sequence[Obj], pvs: Sequence[Obj]) -> Verdict:
    """PV-2/PV-3 on a live cluster: the PV bound to data-minio-<i> pins the node minio-<i> runs on."""
    by_claim = {name(c): dig(c, "spec", "volumeName") for c in claims}
    pv_by_name = {name(pv): pv for pv in pvs}
    findings = [] if pods else [Finding("nothing observed: no MinIO pod to check", "Pod")]
    evidence = {}
    for pod in pods:
        claim = f"data-{name(pod)}"
        node = dig(pod, "spec", "nodeName")
        pv = pv_by_name.get(by_claim.get(claim) or "")
        if pv is None:
            findings.append(Finding(f"claim {claim} is not bound to a MinIO PV", f"Pod {name(pod)}"))
            continue
        pinned = pv_pinned_nodes(pv) or []
        evidence[name(pod)] = {"node": node, "claim": claim, "pv": name(pv), "pv pinned to": pinned}
        if pinned != [node]:
            findings.append(Finding(f"runs on {node} but its PV {name(pv)} is pinned to {pinned}", f"Pod {name(pod)}"))
    return verdict(req_id, findings, evidence)


def health_endpoints_answer(results: Mapping[str, Mapping[str, int | str]]) -> Verdict:
    """PRB-3: /minio/health/live and /minio/health/ready answer 200 on every pod."""
    findings = []
    for pod, by_path in sorted(results.items()):
        for path in ("/minio/health/live", "/minio/health/ready"):
            if by_path.get(path) != 200:
                findings.append(Finding(f"{path} answered {by_path.get(path)!r}", f"Pod {pod}"))
    if not results:
        findings.append(Finding("no pod was probed", "Pod"))
    return verdict("PRB-3", findings, {"HTTP status": results})


def ready_within(seconds: float | None, limit: float = 300.0) -> Verdict:
    """VAL-1: all pods Ready within `limit` seconds of applying the StatefulSet."""
    findings = []
    if seconds is None:
        findings.append(Finding(f"pods were not all Ready within {limit:.0f} s", "StatefulSet minio"))
    elif seconds > limit:
        findings.append(Finding(f"all pods Ready after {seconds:.0f} s, more than {limit:.0f} s", "StatefulSet minio"))
    return verdict("VAL-1", findings, {"seconds from apply to all Ready": seconds, "limit": limit})


def s3_access(accepted: Mapping[str, str], refused: Mapping[str, str]) -> Verdict:
    """SEC-3: each client succeeds with the Secret's credentials and is refused with wrong ones.

    `accepted` maps client -> "ok" or an error; `refused` maps client -> the S3 error code seen.
    """
    findings = []
    for client_name, outcome in sorted(accepted.items()):
        if outcome != "ok":
            findings.append(Finding(f"request with the Secret's credentials failed: {outcome}", client_name))
    denial = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}
    for client_name, code in sorted(refused.items()):
        if code not in denial:
            findings.append(Finding(f"request with wrong credentials was not refused (got {code!r})", client_name))
    if not accepted:
        findings.append(Finding("nothing observed: no request with the Secret's credentials", "S3"))
    if not refused:
        findings.append(Finding("nothing observed: no request with wrong credentials", "S3"))
    return verdict(
        "SEC-3", findings, {"with Secret credentials": dict(accepted), "with wrong credentials": dict(refused)}
    )


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


def claim_waits_for_consumer(phases: Sequence[str], reasons: Sequence[str]) -> Verdict:
    """STO-2 (binding): a claim without a consumer stays Pending, waiting for its first consumer."""
    findings = []
    if not phases or any(p != "Pending" for p in phases):
        findings.append(
            Finding(f"claim phases over time were {list(phases)}, expected Pending throughout", "PersistentVolumeClaim")
        )
    if "WaitForFirstConsumer" not in reasons:
        findings.append(
            Finding(f"no WaitForFirstConsumer event (events: {sorted(set(reasons))})", "PersistentVolumeClaim")
        )
    return verdict("STO-2", findings, {"phases": list(phases), "event reasons": sorted(set(reasons))})


def released_volume_kept(pv_phase: str | None, file_survived: bool) -> Verdict:
    """STO-2 (retention): after its claim is deleted the PV is Released, not deleted, and the data stays."""
    findings = []
    if pv_phase != "Released":
        findings.append(
            Finding(f"PV phase after claim deletion is {pv_phase!r}, expected Released", "PersistentVolume")
        )
    if not file_survived:
        findings.append(Finding("the file written through the claim is gone from the node", "PersistentVolume"))
    return verdict("STO-2", findings, {"pv phase": pv_phase, "data kept": file_survived})


def pvcs(objects: Sequence[Obj]) -> list[Obj]:
    return of_kind(objects, "PersistentVolumeClaim")


def metrics_answer(with_token: int | str, without_token: int | str) -> Verdict:
    """OPS-3: /minio/v2/metrics/cluster answers 200 to an authorised scrape.

    `without_token` (the status of an unauthenticated scrape) is kept as evidence only and not
    judged: OPS-3 asks only that the endpoint answers, and says nothing about whether an
    unauthenticated scrape must be refused or allowed (that depends on MINIO_PROMETHEUS_AUTH_TYPE).
    """
    findings = []
    if with_token != 200:
        findings.append(Finding(f"metrics answered {with_token!r} with a bearer token", "Service minio-api"))
    return verdict("OPS-3", findings, {"with bearer token": with_token, "without token": without_token})


def rolling_update_order(replicas: int, partition_phase: Mapping[str, bool], roll_order: Sequence[str]) -> Verdict:
    """OPS-5: with partition N-1 only the highest ordinal updates; then the rest go highest first.

    `partition_phase` maps pod -> updated? while the partition held; `roll_order` lists pods in
    the order they were updated after the partition was lifted.
    """
    findings = []
    top = f"{STATEFULSET}-{replicas - 1}"
    for pod, updated in sorted(partition_phase.items()):
        if pod == top and not updated:
            findings.append(Finding("the highest ordinal was not updated while the partition held", f"Pod {pod}"))
        if pod != top and updated:
            findings.append(Finding("updated although the partition holds it back", f"Pod {pod}"))
    expected = [f"{STATEFULSET}-{i}" for i in range(replicas - 2, -1, -1)]
    if list(roll_order) != expected:
        findings.append(
            Finding(
                f"after lifting the partition pods updated in the order {list(roll_order)}, expected {expected}",
                "StatefulSet minio",
            )
        )
    return verdict(
        "OPS-5", findings, {"updated while partitioned": dict(partition_phase), "roll order": list(roll_order)}
    )


def liveness_recovery(
    pod: str,
    restarts_before: int,
    restarts_after: int,
    left_endpoints: bool,
    back_in_endpoints: bool,
    timeline: Mapping[str, float],
) -> Verdict:
    """PRB-4: a hung MinIO is restarted by the liveness probe; while not ready it leaves the endpoints."""
    findings = []
    if restarts_after <= restarts_before:
        findings.append(
            Finding(f"restart count stayed {restarts_before}: the liveness probe did not restart it", f"Pod {pod}")
        )
    if not left_endpoints:
        findings.append(Finding("stayed a ready endpoint while hung", f"Pod {pod}"))
    if not back_in_endpoints:
        findings.append(Finding("did not return Ready to the endpoints after the restart", f"Pod {pod}"))
    return verdict(
        "PRB-4",
        findings,
        {
            "restarts before": restarts_before,
            "restarts after": restarts_after,
            "left endpoints": left_endpoints,
            "back in endpoints": back_in_endpoints,
            "timeline s": dict(timeline),
        },
    )


def claims_retained(
    req_id: str,
    before: Mapping[str, str],
    after_delete: Mapping[str, str],
    after_recreate: Mapping[str, str],
    scaled_in_kept: bool | None,
    intact: bool,
) -> Verdict:
    """OPS-4: claims (by UID) survive StatefulSet deletion and scale-in; the recreated set reuses them."""
    findings = (
        [] if before else [Finding("nothing observed: no claim existed before the deletion", "PersistentVolumeClaim")]
    )
    if after_delete != before:
        findings.append(
            Finding(
                f"claims after deleting the StatefulSet: {sorted(after_delete)}; before: {sorted(before)}",
                "PersistentVolumeClaim",
            )
        )
    if after_recreate != before:
        findings.append(Finding("the recreated StatefulSet does not use the same claims", "PersistentVolumeClaim"))
    if scaled_in_kept is False:
        findings.append(Finding("the claim of a scaled-in pod was deleted", "PersistentVolumeClaim"))
    if not intact:
        findings.append(Finding("data did not survive the StatefulSet's deletion", "S3"))
    return verdict(
        req_id,
        findings,
        {
            "claims before": dict(before),
            "after delete": dict(after_delete),
            "after recreate": dict(after_recreate),
            "scale-in kept claim": scaled_in_kept,
            "data intact": intact,
        },
    )
