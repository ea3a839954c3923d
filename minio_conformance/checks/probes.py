"""PRB: the health probes (000 §9).

Static checks PRB-1, PRB-2 over the manifests; the live judge PRB-3 (health endpoints answer)
and the disruptive judge PRB-4 (a hung MinIO is restarted and leaves the endpoints meanwhile).
"""

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
