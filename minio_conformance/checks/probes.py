"""PRB-1, PRB-2: the health probes (000 §9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import Deviation, container_path, shown
from minio_conformance.objects import dig_map, maps, ref
from minio_conformance.verdict import Finding, Verdict, verdict

PROBES = {
    "PRB-1": ("livenessProbe", "/minio/health/live", 30, 30),
    "PRB-2": ("readinessProbe", "/minio/health/ready", 10, 10),
}


def _resolve_port(port: Any, container: Mapping[str, Any]) -> Any:
    if isinstance(port, str):
        for p in maps(container.get("ports")):
            if p.get("name") == port:
                return p.get("containerPort")
    return port


def _probe_check(req_id: str, snap: Snapshot) -> Verdict:
    field, path, delay, period = PROBES[req_id]
    sts, container = snap.minio()
    r = ref(sts)
    where = f"{container_path(sts, container)}.{field}"
    probe = container.get(field)
    if not isinstance(probe, Mapping) or not probe:
        return verdict(
            req_id, [Deviation(f"no {field}", r, where, expected=f"httpGet {path} port 9000", found="nothing")]
        )
    findings: list[Finding] = []
    http = dig_map(probe, "httpGet")
    if not http:
        kinds = [k for k in ("exec", "tcpSocket", "grpc") if k in probe]
        findings.append(
            Deviation(
                f"{field} is not an httpGet probe",
                r,
                where,
                expected=f"httpGet {path}",
                found=", ".join(kinds) or "no handler",
            )
        )
    else:
        if http.get("path") != path:
            findings.append(
                Deviation(
                    "the probe checks another path",
                    r,
                    f"{where}.httpGet.path",
                    expected=path,
                    found=shown(http.get("path")),
                )
            )
        port = _resolve_port(http.get("port"), container)
        if port != 9000:
            findings.append(
                Deviation(
                    "the probe checks another port",
                    r,
                    f"{where}.httpGet.port",
                    expected="9000",
                    found=shown(http.get("port")),
                )
            )
        if http.get("scheme", "HTTP") != "HTTP":
            findings.append(
                Deviation(
                    "the probe uses another scheme",
                    r,
                    f"{where}.httpGet.scheme",
                    expected="HTTP",
                    found=shown(http.get("scheme")),
                )
            )
    for key, want in (("initialDelaySeconds", delay), ("periodSeconds", period)):
        got = probe.get(key, 0 if key == "initialDelaySeconds" else 10)
        if got != want:
            findings.append(Deviation(f"{key} differs", r, f"{where}.{key}", expected=str(want), found=shown(got)))
    return verdict(req_id, findings, {field: probe})


@check("PRB-1", needs=("statefulset", "container"))
def liveness_probe(snap: Snapshot) -> Verdict:
    return _probe_check("PRB-1", snap)


@check("PRB-2", needs=("statefulset", "container"))
def readiness_probe(snap: Snapshot) -> Verdict:
    return _probe_check("PRB-2", snap)
