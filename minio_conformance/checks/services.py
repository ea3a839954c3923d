"""SVC-1, SVC-2: the headless and NodePort Services (000 §7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.objects import APP_LABEL, dig, of_kind, ref, selector_matches
from minio_conformance.verdict import Finding, Verdict, verdict

HEADLESS = "minio-headless"
NODE_PORTS = {9000: 30900, 9001: 30901}
PORT_NAMES = {9000: "api", 9001: "console"}


def _selects_minio(svc: Mapping[str, Any]) -> bool:
    return selector_matches({"matchLabels": dig(svc, "spec", "selector", default={})}, APP_LABEL)


def _target(port: Mapping[str, Any]) -> Any:
    return port.get("targetPort", port.get("port"))


@check("SVC-1")
def headless_service(snap: Snapshot) -> Verdict:
    svc = snap.get("Service", HEADLESS)
    if svc is None:
        return verdict("SVC-1", [Finding(f"no Service {HEADLESS}", f"Service {HEADLESS}")])
    r = ref(svc)
    findings: list[Finding] = []
    if dig(svc, "spec", "clusterIP") != "None":
        findings.append(Finding(f"clusterIP is {dig(svc, 'spec', 'clusterIP')!r}, expected None", r, "spec.clusterIP"))
    if not _selects_minio(svc):
        findings.append(Finding(f"selector {dig(svc, 'spec', 'selector')} is not app=minio", r, "spec.selector"))
    ports = {p.get("port"): p for p in dig(svc, "spec", "ports", default=[])}
    for port, port_name in PORT_NAMES.items():
        p = ports.get(port)
        if p is None:
            findings.append(Finding(f"port {port} ({port_name}) is missing", r, "spec.ports"))
        elif p.get("name") != port_name:
            findings.append(Finding(f"port {port} is named {p.get('name')!r}, expected {port_name!r}", r, "spec.ports"))
        elif _target(p) not in (port, port_name):
            findings.append(Finding(f"port {port} targets {_target(p)!r}", r, "spec.ports"))
    return verdict("SVC-1", findings, {"spec": dict(svc.get("spec") or {})})


@check("SVC-2")
def node_port_services(snap: Snapshot) -> Verdict:
    findings: list[Finding] = []
    exposed: dict[int, list[tuple[str, Any]]] = {}
    node_port_services = [s for s in of_kind(snap.objects, "Service") if dig(s, "spec", "type") == "NodePort"]
    for svc in node_port_services:
        if not _selects_minio(svc):
            findings.append(
                Finding(
                    f"NodePort Service selector {dig(svc, 'spec', 'selector')} is not app=minio",
                    ref(svc),
                    "spec.selector",
                )
            )
        for p in dig(svc, "spec", "ports", default=[]):
            exposed.setdefault(p.get("port"), []).append((ref(svc), p))
    for port, node_port in NODE_PORTS.items():
        entries = exposed.get(port, [])
        if not entries:
            findings.append(Finding(f"no NodePort Service exposes port {port} ({PORT_NAMES[port]})", "Service"))
            continue
        for svc_ref, p in entries:
            if p.get("nodePort") != node_port:
                findings.append(
                    Finding(
                        f"port {port} has nodePort {p.get('nodePort')!r}, expected {node_port}", svc_ref, "spec.ports"
                    )
                )
            if _target(p) not in (port, PORT_NAMES[port]):
                findings.append(Finding(f"port {port} targets {_target(p)!r}, expected {port}", svc_ref, "spec.ports"))
    return verdict(
        "SVC-2", findings, {"NodePort Services": {ref(s): dig(s, "spec", "ports") for s in node_port_services}}
    )
