"""PRB-1, PRB-2: the health probes (000 §9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import minio_container, minio_statefulset, missing_container, missing_statefulset
from minio_conformance.objects import ref
from minio_conformance.verdict import Finding, Verdict, verdict

PROBES = {
    "PRB-1": ("livenessProbe", "/minio/health/live", 30, 30),
    "PRB-2": ("readinessProbe", "/minio/health/ready", 10, 10),
}


def _resolve_port(port: Any, container: Mapping[str, Any]) -> Any:
    if isinstance(port, str):
        for p in container.get("ports") or []:
            if p.get("name") == port:
                return p.get("containerPort")
    return port


def _probe_check(req_id: str, snap: Snapshot) -> Verdict:
    field, path, delay, period = PROBES[req_id]
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict(req_id, [missing_statefulset()])
    container = minio_container(sts)
    if container is None:
        return verdict(req_id, [missing_container(ref(sts))])
    probe = container.get(field)
    where = f"spec.template.spec.containers[minio].{field}"
    if not probe:
        return verdict(req_id, [Finding(f"no {field}", ref(sts), where)])
    findings = []
    http = probe.get("httpGet")
    if not http:
        findings.append(Finding(f"{field} is not an httpGet probe", ref(sts), where))
    else:
        if http.get("path") != path:
            findings.append(
                Finding(f"path is {http.get('path')!r}, expected {path}", ref(sts), f"{where}.httpGet.path")
            )
        port = _resolve_port(http.get("port"), container)
        if port != 9000:
            findings.append(Finding(f"port is {http.get('port')!r}, expected 9000", ref(sts), f"{where}.httpGet.port"))
        if http.get("scheme", "HTTP") != "HTTP":
            findings.append(
                Finding(f"scheme is {http.get('scheme')}, expected HTTP", ref(sts), f"{where}.httpGet.scheme")
            )
    for key, want in (("initialDelaySeconds", delay), ("periodSeconds", period)):
        got = probe.get(key, 0 if key == "initialDelaySeconds" else 10)
        if got != want:
            findings.append(Finding(f"{key} is {got}, expected {want}", ref(sts), f"{where}.{key}"))
    return verdict(req_id, findings, {field: probe})


@check("PRB-1")
def liveness_probe(snap: Snapshot) -> Verdict:
    return _probe_check("PRB-1", snap)


@check("PRB-2")
def readiness_probe(snap: Snapshot) -> Verdict:
    return _probe_check("PRB-2", snap)
