"""SVC: the headless and NodePort Services (000 §7).

Static checks SVC-1, SVC-2 over the manifests; live judges SVC-3 (node ports answer), SVC-4
(pod DNS names resolve) and SVC-5 (endpoints cover the ready pods).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import Deviation, Obj, ordinal, shown, slice_addresses
from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import APP_LABEL, dig, dig_map, is_ready, maps, name, of_kind, ref, selector_matches
from minio_conformance.topology import pod_host
from minio_conformance.verdict import Finding, Verdict, verdict

HEADLESS = "minio-headless"
NODE_PORTS = {9000: 30900, 9001: 30901}
PORT_NAMES = {9000: "api", 9001: "console"}


def _selects_minio(svc: Mapping[str, Any]) -> bool:
    return selector_matches({"matchLabels": dig_map(svc, "spec", "selector")}, APP_LABEL)


def _target(port: Mapping[str, Any]) -> Any:
    return port.get("targetPort", port.get("port"))


def _port_path(svc: Mapping[str, Any], port: Mapping[str, Any], field: str = "") -> str:
    index = next((i for i, p in enumerate(maps(dig(svc, "spec", "ports"))) if p is port), 0)
    return f"spec.ports[{index}]" + (f".{field}" if field else "")


def _selector(svc: Mapping[str, Any]) -> str:
    found = dig(svc, "spec", "selector")
    if isinstance(found, Mapping):
        return ", ".join(f"{k}={v}" for k, v in found.items()) or "an empty selector"
    return shown(found)


@check("SVC-1")
def headless_service(snap: Snapshot) -> Verdict:
    headless = snap.names.headless_service
    svc = snap.get("Service", headless)
    if svc is None:
        return verdict("SVC-1", [Finding(f"no Service {headless}", f"Service {headless}")])
    r = ref(svc)
    findings: list[Finding] = []
    if dig(svc, "spec", "clusterIP") != "None":
        findings.append(
            Deviation(
                "the Service is not headless",
                r,
                "spec.clusterIP",
                expected="None",
                found=shown(dig(svc, "spec", "clusterIP")),
            )
        )
    if not _selects_minio(svc):
        findings.append(
            Deviation(
                "the selector does not select the MinIO pods",
                r,
                "spec.selector",
                expected="app=minio",
                found=_selector(svc),
            )
        )
    ports = {p.get("port"): p for p in maps(dig(svc, "spec", "ports"))}
    for port, port_name in PORT_NAMES.items():
        p = ports.get(port)
        if p is None:
            findings.append(
                Deviation(
                    f"port {port} ({port_name}) is missing",
                    r,
                    "spec.ports",
                    expected=f"port {port}",
                    found=shown(sorted(str(k) for k in ports)),
                )
            )
        elif p.get("name") != port_name:
            findings.append(
                Deviation(
                    f"port {port} has another name",
                    r,
                    _port_path(svc, p, "name"),
                    expected=port_name,
                    found=shown(p.get("name")),
                )
            )
        elif _target(p) not in (port, port_name):
            findings.append(
                Deviation(
                    f"port {port} targets another port",
                    r,
                    _port_path(svc, p, "targetPort"),
                    expected=str(port),
                    found=shown(_target(p)),
                )
            )
    return verdict("SVC-1", findings, {"spec": dict(dig_map(svc, "spec"))})


@check("SVC-2")
def node_port_services(snap: Snapshot) -> Verdict:
    node_ports = snap.names.node_ports
    findings: list[Finding] = []
    exposed: dict[Any, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = {}
    node_port_services = [s for s in of_kind(snap.objects, "Service") if dig(s, "spec", "type") == "NodePort"]
    for svc in node_port_services:
        if not _selects_minio(svc):
            findings.append(
                Deviation(
                    "the NodePort Service does not select the MinIO pods",
                    ref(svc),
                    "spec.selector",
                    expected="app=minio",
                    found=_selector(svc),
                )
            )
        for p in maps(dig(svc, "spec", "ports")):
            exposed.setdefault(p.get("port"), []).append((svc, p))
    for port, node_port in node_ports.items():
        entries = exposed.get(port, [])
        if not entries:
            findings.append(
                Finding(
                    f"no NodePort Service exposes port {port} ({PORT_NAMES[port]}) on nodePort {node_port}", "Service"
                )
            )
            continue
        for svc, p in entries:
            if p.get("nodePort") != node_port:
                findings.append(
                    Deviation(
                        f"port {port} ({PORT_NAMES[port]}) is exposed on another nodePort",
                        ref(svc),
                        _port_path(svc, p, "nodePort"),
                        expected=str(node_port),
                        found=shown(p.get("nodePort")),
                    )
                )
            if _target(p) not in (port, PORT_NAMES[port]):
                findings.append(
                    Deviation(
                        f"port {port} targets another port",
                        ref(svc),
                        _port_path(svc, p, "targetPort"),
                        expected=str(port),
                        found=shown(_target(p)),
                    )
                )
    return verdict(
        "SVC-2", findings, {"NodePort Services": {ref(s): dig(s, "spec", "ports") for s in node_port_services}}
    )


def node_ports_answer(results: Mapping[str, Mapping[int, int | str]], names: Names = DOCUMENTED) -> Verdict:
    """SVC-3: every node answers on 30900 (S3 health: 200) and 30901 (console: 200), or the team's NodePorts."""
    findings = []
    for node, ports in sorted(results.items()):
        for port in (names.api_node_port, names.console_node_port):
            status = ports.get(port)
            if status != 200:
                findings.append(Finding(f"port {port} answered {status!r}, expected HTTP 200", f"Node {node}"))
    if not results:
        findings.append(Finding("nothing observed: no node was probed", "Node"))
    return verdict("SVC-3", findings, {"HTTP status per node and port": results})


def pod_dns_resolves(
    answers: Mapping[str, Sequence[str]], pods: Sequence[Obj], namespace: str, names: Names = DOCUMENTED
) -> Verdict:
    """SVC-4: minio-<i>.minio-headless.<ns>.svc.cluster.local (or the team's names) resolves to the pod's IP."""
    findings = []
    for pod in pods:
        host = pod_host(ordinal(name(pod)), namespace, names)
        got = list(answers.get(host, []))
        ip = dig(pod, "status", "podIP")
        if not got:
            findings.append(Finding(f"{host} did not resolve", f"Pod {name(pod)}"))
        elif ip not in got:
            findings.append(Finding(f"{host} resolved to {got}, not the pod's IP {ip}", f"Pod {name(pod)}"))
    if not pods:
        findings.append(Finding("nothing observed: no MinIO pod to resolve", "Pod"))
    return verdict("SVC-4", findings, {"answers": dict(answers)})


def endpoints_cover_ready_pods(services: Sequence[Obj], slices: Sequence[Obj], pods: Sequence[Obj]) -> Verdict:
    """SVC-5: each MinIO Service has a ready endpoint for every ready MinIO pod, and none for unready pods."""
    ready_ips = {dig(p, "status", "podIP") for p in pods if is_ready(p)}
    unready_ips = {dig(p, "status", "podIP") for p in pods if not is_ready(p)} - {None}
    findings = []
    seen = {}
    for svc in services:
        if dig(svc, "spec", "selector", "app") != "minio":
            continue
        addrs = slice_addresses(slices, name(svc))
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
