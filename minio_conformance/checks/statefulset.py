"""STS-1..STS-7: the MinIO StatefulSet (000 §8, 001)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import (
    minio_container,
    minio_statefulset,
    missing_container,
    missing_statefulset,
)
from minio_conformance.checks.topology import endpoint_args
from minio_conformance.objects import APP_LABEL, containers, dig, labels, ref, selector_matches
from minio_conformance.topology import CONSOLE_ADDRESS, HEADLESS_SERVICE, STATEFULSET, Mode, mode_for, pod_host
from minio_conformance.verdict import Finding, Verdict, verdict

C = "spec.template.spec.containers[minio]"
QUANTITY = re.compile(r"^(\d+(\.\d+)?)([KMGTPE]i?|[mkMGTPE]|e\d+)?$")


def _with_sts(req_id: str, snap: Snapshot) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None, list[Finding]]:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return None, None, [missing_statefulset()]
    container = minio_container(sts)
    if container is None:
        return sts, None, [missing_container(ref(sts))]
    return sts, container, []


@check("STS-1")
def statefulset_identity(snap: Snapshot) -> Verdict:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("STS-1", [missing_statefulset()])
    r, spec = ref(sts), sts.get("spec") or {}
    findings = []
    if spec.get("serviceName") != HEADLESS_SERVICE:
        findings.append(
            Finding(f"serviceName is {spec.get('serviceName')!r}, expected {HEADLESS_SERVICE}", r, "spec.serviceName")
        )
    if not selector_matches(spec.get("selector"), APP_LABEL):
        findings.append(Finding(f"selector {spec.get('selector')} is not app=minio", r, "spec.selector"))
    if labels(dig(sts, "spec", "template", default={})).get("app") != "minio":
        findings.append(Finding("pod template lacks label app=minio", r, "spec.template.metadata.labels"))
    if spec.get("replicas", 1) != snap.expected_replicas:
        findings.append(
            Finding(
                f"replicas is {spec.get('replicas', 1)}, expected {snap.expected_replicas} (TOP-2)", r, "spec.replicas"
            )
        )
    return verdict(
        "STS-1",
        findings,
        {"serviceName": spec.get("serviceName"), "selector": spec.get("selector"), "replicas": spec.get("replicas")},
    )


def _console_address(args: list[str]) -> str | None:
    for i, a in enumerate(args):
        if a == "--console-address" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--console-address="):
            return a.split("=", 1)[1]
    return None


def _url_pattern(ns: str) -> re.Pattern[str]:
    host = re.escape(pod_host(0, ns)).replace(
        re.escape(f"{STATEFULSET}-0."), rf"{STATEFULSET}-(\d+|\{{0\.\.\.(\d+)\}})\.", 1
    )
    return re.compile(rf"^http://{host}(:9000)?/data$")


@check("STS-2")
def server_command_and_args(snap: Snapshot) -> Verdict:
    sts, container, findings = _with_sts("STS-2", snap)
    if container is None or sts is None:
        return verdict("STS-2", findings)
    r = ref(sts)
    command, args = container.get("command") or [], [str(a) for a in container.get("args") or []]
    if command != ["minio"]:
        findings.append(Finding(f"command is {command}, expected [minio]", r, f"{C}.command"))
    if not args or args[0] != "server":
        findings.append(Finding(f"args must start with 'server'; they are {args}", r, f"{C}.args"))
    console = _console_address(args)
    if console != CONSOLE_ADDRESS:
        findings.append(Finding(f"--console-address is {console!r}, expected {CONSOLE_ADDRESS}", r, f"{C}.args"))
    replicas = dig(sts, "spec", "replicas", default=1)
    if mode_for(replicas) is not Mode.STANDALONE:
        pattern = _url_pattern(dig(sts, "metadata", "namespace", default="minio-system"))
        ordinals: list[int] = []
        for ep in endpoint_args(args):
            m = pattern.match(ep)
            if not m:
                findings.append(
                    Finding(
                        f"endpoint {ep!r} is not http://minio-<i>.{HEADLESS_SERVICE}.<ns>.svc.cluster.local/data",
                        r,
                        f"{C}.args",
                    )
                )
            elif m.group(2) is not None:
                ordinals.extend(range(int(m.group(2)) + 1))
            else:
                ordinals.append(int(m.group(1)))
        if sorted(ordinals) != list(range(replicas)):
            findings.append(
                Finding(
                    f"endpoints name pods {sorted(ordinals)}; {replicas} replicas need 0..{replicas - 1}",
                    r,
                    f"{C}.args",
                )
            )
    return verdict("STS-2", findings, {"command": command, "args": args})


def _effective(sts: Mapping[str, Any], container: Mapping[str, Any], field: str) -> Any:
    value = dig(container, "securityContext", field)
    return value if value is not None else dig(sts, "spec", "template", "spec", "securityContext", field)


@check("STS-3")
def runs_as_user_1000(snap: Snapshot) -> Verdict:
    sts, container, findings = _with_sts("STS-3", snap)
    if container is None or sts is None:
        return verdict("STS-3", findings)
    r = ref(sts)
    user = _effective(sts, container, "runAsUser")
    if user != 1000:
        findings.append(
            Finding(
                f"effective runAsUser is {user!r}, expected 1000"
                + (" (unset: the image's user applies, root for many images)" if user is None else ""),
                r,
                "securityContext.runAsUser",
            )
        )
    if _effective(sts, container, "runAsNonRoot") is False:
        findings.append(Finding("runAsNonRoot is false", r, "securityContext.runAsNonRoot"))
    group = _effective(sts, container, "runAsGroup")
    if group == 0:
        findings.append(Finding("runAsGroup is 0 (root group)", r, "securityContext.runAsGroup"))
    return verdict(
        "STS-3",
        findings,
        {"runAsUser": user, "runAsGroup": group, "runAsNonRoot": _effective(sts, container, "runAsNonRoot")},
    )


@check("STS-4")
def required_anti_affinity(snap: Snapshot) -> Verdict:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("STS-4", [missing_statefulset()])
    anti = dig(sts, "spec", "template", "spec", "affinity", "podAntiAffinity", default={})
    required = anti.get("requiredDuringSchedulingIgnoredDuringExecution") or []
    ok = any(
        t.get("topologyKey") == "kubernetes.io/hostname" and selector_matches(t.get("labelSelector"), APP_LABEL)
        for t in required
    )
    findings = []
    if not ok:
        preferred = anti.get("preferredDuringSchedulingIgnoredDuringExecution")
        extra = " (only preferred anti-affinity: the scheduler may still co-locate pods)" if preferred else ""
        findings.append(
            Finding(
                "no required podAntiAffinity on kubernetes.io/hostname against app=minio" + extra,
                ref(sts),
                "spec.template.spec.affinity.podAntiAffinity",
            )
        )
    return verdict("STS-4", findings, {"podAntiAffinity": anti})


@check("STS-5")
def data_claim_template(snap: Snapshot) -> Verdict:
    sts, container, findings = _with_sts("STS-5", snap)
    if container is None or sts is None:
        return verdict("STS-5", findings)
    r = ref(sts)
    templates = {dig(t, "metadata", "name"): t for t in dig(sts, "spec", "volumeClaimTemplates", default=[])}
    data = templates.get("data")
    if data is None:
        findings.append(
            Finding(
                f"no volumeClaimTemplate named data (templates: {sorted(templates)})", r, "spec.volumeClaimTemplates"
            )
        )
    else:
        spec = data.get("spec") or {}
        if spec.get("accessModes") != ["ReadWriteOnce"]:
            findings.append(
                Finding(
                    f"accessModes {spec.get('accessModes')}, expected [ReadWriteOnce]",
                    r,
                    "spec.volumeClaimTemplates[data].spec.accessModes",
                )
            )
        if spec.get("storageClassName") != "minio-local-storage":
            findings.append(
                Finding(
                    f"storageClassName {spec.get('storageClassName')!r}, expected minio-local-storage",
                    r,
                    "spec.volumeClaimTemplates[data].spec.storageClassName",
                )
            )
        request = dig(spec, "resources", "requests", "storage")
        if request is None:
            findings.append(Finding("no storage request", r, "spec.volumeClaimTemplates[data].spec.resources"))
        elif _bytes(str(request)) > _bytes("10Gi"):
            findings.append(
                Finding(
                    f"requests {request}, more than the 10Gi local PVs offer: claims never bind",
                    r,
                    "spec.volumeClaimTemplates[data].spec.resources.requests.storage",
                )
            )
    mounts = {m.get("name"): m.get("mountPath") for m in container.get("volumeMounts") or []}
    if mounts.get("data") != "/data":
        findings.append(
            Finding(f"volume data is mounted at {mounts.get('data')!r}, expected /data", r, f"{C}.volumeMounts")
        )
    shadow = [
        v.get("name") for v in dig(sts, "spec", "template", "spec", "volumes", default=[]) if v.get("name") == "data"
    ]
    if shadow:
        findings.append(Finding("a pod volume named data shadows the claim template", r, "spec.template.spec.volumes"))
    return verdict("STS-5", findings, {"volumeClaimTemplates": list(templates.values()), "volumeMounts": mounts})


def _bytes(q: str) -> float:
    m = QUANTITY.match(q)
    if not m:
        return float("inf")
    units = {
        "Ki": 2**10,
        "Mi": 2**20,
        "Gi": 2**30,
        "Ti": 2**40,
        "Pi": 2**50,
        "Ei": 2**60,
        "k": 1e3,
        "K": 1e3,
        "M": 1e6,
        "G": 1e9,
        "T": 1e12,
        "P": 1e15,
        "E": 1e18,
        "m": 1e-3,
    }
    return float(m.group(1)) * units.get(m.group(3) or "", 1)


@check("STS-6")
def resources_set(snap: Snapshot) -> Verdict:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("STS-6", [missing_statefulset()])
    findings = []
    seen = {}
    for c in containers(dig(sts, "spec", "template", "spec")):
        res = c.get("resources") or {}
        seen[c.get("name")] = res
        for kind_ in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if dig(res, kind_, resource) is None:
                    findings.append(
                        Finding(
                            f"no {resource} {kind_[:-1]}",
                            ref(sts),
                            f"containers[{c.get('name')}].resources.{kind_}.{resource}",
                        )
                    )
    return verdict("STS-6", findings, {"resources": seen})


@check("STS-7")
def ordered_ready(snap: Snapshot) -> Verdict:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("STS-7", [missing_statefulset()])
    policy = dig(sts, "spec", "podManagementPolicy", default="OrderedReady")
    findings = []
    if policy != "OrderedReady":
        findings.append(
            Finding(
                f"podManagementPolicy is {policy}; pods would start and stop in parallel",
                ref(sts),
                "spec.podManagementPolicy",
            )
        )
    return verdict("STS-7", findings, {"podManagementPolicy": policy})
