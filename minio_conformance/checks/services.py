"""SVC-1, SVC-2: the headless and NodePort Services (000 §7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import Deviation, shown
from minio_conformance.objects import APP_LABEL, dig, dig_map, maps, of_kind, ref, selector_matches
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
