"""STS: the MinIO StatefulSet (000 §8, 001), and VAL-2, the placement step 10 checks.

Static checks STS-1..STS-7 over the manifests; live judges over what the cluster showed:
STS-8 (ordered start, scale-in order), STS-9 and VAL-2 (one pod per node). STS-8 under node
loss is judged in the durability scenarios (`checks/durability.py`).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import (
    Deviation,
    Obj,
    container_path,
    missing_container,
    missing_statefulset,
    ordinal,
    server_invocation,
    shown,
)
from minio_conformance.checks.topology import endpoint_args, replicas_of
from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import APP_LABEL, containers, dig, dig_map, labels, maps, name, ref, selector_matches
from minio_conformance.objects import namespace as ns_of
from minio_conformance.topology import CONSOLE_ADDRESS, Mode, mode_for
from minio_conformance.verdict import Finding, Verdict, verdict

QUANTITY = re.compile(r"^(\d+(\.\d+)?)([KMGTPE]i?|[mkMGTPE]|e\d+)?$")
CLAIM = "data"
DATA_PATH = "/data"
STORAGE_LIMIT = "10Gi"


def _selector_text(selector: Any) -> str:
    labels_ = dig_map(selector, "matchLabels")
    return ", ".join(f"{k}={v}" for k, v in labels_.items()) or shown(selector)


@check("STS-1")
def statefulset_identity(snap: Snapshot) -> Verdict:
    sts = snap.statefulset
    if sts is None:
        return verdict("STS-1", [missing_statefulset(snap.objects, snap.names)])
    r, spec = ref(sts), dig_map(sts, "spec")
    headless = snap.names.headless_service
    findings = []
    if spec.get("serviceName") != headless:
        findings.append(
            Deviation(
                "serviceName is not the headless Service",
                r,
                "spec.serviceName",
                expected=headless,
                found=shown(spec.get("serviceName")),
            )
        )
    if not selector_matches(spec.get("selector"), APP_LABEL):
        findings.append(
            Deviation(
                "the selector does not select app=minio",
                r,
                "spec.selector",
                expected="matchLabels app=minio",
                found=_selector_text(spec.get("selector")),
            )
        )
    if labels(dig_map(sts, "spec", "template")).get("app") != "minio":
        findings.append(
            Deviation(
                "the pod template lacks label app=minio",
                r,
                "spec.template.metadata.labels",
                expected="app=minio",
                found=shown(labels(dig_map(sts, "spec", "template")).get("app")),
            )
        )
    return verdict(
        "STS-1",
        findings,
        {
            "serviceName": spec.get("serviceName"),
            "selector": spec.get("selector"),
            "replicas": spec.get("replicas"),
            "replicas judged by": "TOP-2",
        },
    )


def _console_address(args: list[str]) -> str | None:
    for i, a in enumerate(args):
        if a == "--console-address" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--console-address="):
            return a.split("=", 1)[1]
    return None


def url_pattern(statefulset: str, service: str, namespace: str) -> re.Pattern[str]:
    host = rf"{re.escape(statefulset)}-(\d+|\{{0\.\.\.(\d+)\}})\.{re.escape(service)}\.{re.escape(namespace)}"
    return re.compile(rf"^http://{host}\.svc\.cluster\.local(:9000)?{re.escape(DATA_PATH)}$")


@check("STS-2", needs=("statefulset",))
def server_command_and_args(snap: Snapshot) -> Verdict:
    sts, container = snap.minio_statefulset(), snap.container
    if container is None:
        return verdict("STS-2", [missing_container(sts, snap.names)])
    r, cpath = ref(sts), container_path(sts, container)
    written = [str(c) for c in container.get("command") or []] if isinstance(container.get("command"), list) else []
    command, args, from_script = server_invocation(container)
    findings: list[Finding] = []
    if from_script:
        findings.append(
            Deviation(
                "MinIO is started from a shell script",
                r,
                f"{cpath}.command",
                expected="command [minio] with args server ...",
                found=shown(" ".join(written[:2]) + " '...'"),
            )
        )
    elif command != ["minio"]:
        findings.append(
            Deviation(
                "the command is not minio", r, f"{cpath}.command", expected="[minio]", found=shown(command or None)
            )
        )
    where = f"{cpath}.command" if from_script else f"{cpath}.args"
    if not args or args[0] != "server":
        findings.append(
            Deviation(
                "the arguments do not start with server",
                r,
                where,
                expected="server ...",
                found=shown(" ".join(args) or None),
            )
        )
    console = _console_address(args)
    if console != CONSOLE_ADDRESS:
        findings.append(
            Deviation("--console-address differs", r, where, expected=CONSOLE_ADDRESS, found=shown(console))
        )
    replicas = replicas_of(sts)
    if (
        isinstance(replicas, int)
        and not isinstance(replicas, bool)
        and replicas > 1
        and mode_for(replicas) is not Mode.STANDALONE
    ):
        service = dig(sts, "spec", "serviceName")
        service = service if isinstance(service, str) and service else snap.names.headless_service
        namespace = ns_of(sts) or snap.names.namespace
        statefulset = str(dig(sts, "metadata", "name"))
        pattern = url_pattern(statefulset, service, namespace)
        expected = f"http://{statefulset}-<i>.{service}.{namespace}.svc.cluster.local{DATA_PATH}"
        spans: list[tuple[int, int]] = []  # (first, last) ordinal each endpoint names
        for ep in endpoint_args(args):
            at = where if from_script else f"{cpath}.args[{args.index(ep)}]"
            m = pattern.match(ep)
            if not m:
                findings.append(
                    Deviation(
                        "the endpoint does not name a pod of this StatefulSet through its Service and namespace",
                        r,
                        at,
                        expected=expected,
                        found=shown(ep, 90),
                    )
                )
            elif m.group(2) is not None:
                spans.append((0, int(m.group(2))))
            else:
                spans.append((int(m.group(1)), int(m.group(1))))
        beyond = sorted({last for _, last in spans if last >= replicas})
        ordered = sorted(spans)
        doubled = sorted({b[0] for a, b in itertools.pairwise(ordered) if b[0] <= a[1]})
        if beyond or doubled:
            findings.append(
                Deviation(
                    "the endpoints name pods the StatefulSet does not have, or one pod twice",
                    r,
                    where,
                    expected=f"{statefulset}-0..{replicas - 1}, once each",
                    found=", ".join(
                        [f"{statefulset}-{shown(o)}" for o in beyond] + [f"{statefulset}-{o} twice" for o in doubled]
                    ),
                )
            )
    return verdict("STS-2", findings, {"command": written, "args": args, "read from a shell script": from_script})


def _effective(sts: Mapping[str, Any], container: Mapping[str, Any], cpath: str, field: str) -> tuple[Any, str]:
    value = dig(container, "securityContext", field)
    if value is not None:
        return value, f"{cpath}.securityContext.{field}"
    return dig(sts, "spec", "template", "spec", "securityContext", field), f"spec.template.spec.securityContext.{field}"


@check("STS-3", needs=("statefulset", "container"))
def runs_as_user_1000(snap: Snapshot) -> Verdict:
    sts, container = snap.minio()
    r, cpath = ref(sts), container_path(sts, container)
    findings: list[Finding] = []
    user, user_at = _effective(sts, container, cpath, "runAsUser")
    if user != 1000:
        findings.append(
            Deviation(
                "MinIO does not run as user 1000"
                + (" (unset: the image's user applies, root for many images)" if user is None else ""),
                r,
                user_at,
                expected="1000",
                found=shown(user),
            )
        )
    non_root, non_root_at = _effective(sts, container, cpath, "runAsNonRoot")
    if non_root is False:
        findings.append(Deviation("runAsNonRoot is false", r, non_root_at, expected="true or unset", found="false"))
    group, group_at = _effective(sts, container, cpath, "runAsGroup")
    if group == 0:
        findings.append(Deviation("runAsGroup is the root group", r, group_at, expected="a non-root group", found="0"))
    return verdict("STS-3", findings, {"runAsUser": user, "runAsGroup": group, "runAsNonRoot": non_root})


@check("STS-4", needs=("statefulset",))
def required_anti_affinity(snap: Snapshot) -> Verdict:
    sts = snap.minio_statefulset()
    anti = dig_map(sts, "spec", "template", "spec", "affinity", "podAntiAffinity")
    required = maps(anti.get("requiredDuringSchedulingIgnoredDuringExecution"))
    ok = any(
        t.get("topologyKey") == "kubernetes.io/hostname" and selector_matches(t.get("labelSelector"), APP_LABEL)
        for t in required
    )
    findings = []
    if not ok:
        preferred = anti.get("preferredDuringSchedulingIgnoredDuringExecution")
        findings.append(
            Deviation(
                "MinIO pods may share a node: no required anti-affinity"
                + (" (only preferred: the scheduler may still co-locate pods)" if preferred else ""),
                ref(sts),
                "spec.template.spec.affinity.podAntiAffinity",
                expected="required podAntiAffinity on kubernetes.io/hostname against app=minio",
                found="preferred only" if preferred else "none",
            )
        )
    return verdict("STS-4", findings, {"podAntiAffinity": anti})


@check("STS-5", needs=("statefulset", "container"))
def data_claim_template(snap: Snapshot) -> Verdict:
    sts, container = snap.minio()
    r, cpath = ref(sts), container_path(sts, container)
    storage_class = snap.names.storage_class
    findings: list[Finding] = []
    templates = {dig(t, "metadata", "name"): t for t in maps(dig(sts, "spec", "volumeClaimTemplates"))}
    data = templates.get(CLAIM)
    tpath = f"spec.volumeClaimTemplates[{CLAIM}].spec"
    if data is None:
        findings.append(
            Deviation(
                f"no volumeClaimTemplate named {CLAIM}",
                r,
                "spec.volumeClaimTemplates",
                expected=CLAIM,
                found=", ".join(sorted(str(t) for t in templates)) or "no claim template",
            )
        )
    else:
        spec = dig_map(data, "spec")
        if spec.get("accessModes") != ["ReadWriteOnce"]:
            findings.append(
                Deviation(
                    "the claims are not ReadWriteOnce",
                    r,
                    f"{tpath}.accessModes",
                    expected="[ReadWriteOnce]",
                    found=shown(spec.get("accessModes")),
                )
            )
        if spec.get("storageClassName") != storage_class:
            findings.append(
                Deviation(
                    "the claims use another StorageClass",
                    r,
                    f"{tpath}.storageClassName",
                    expected=storage_class,
                    found=shown(spec.get("storageClassName")),
                )
            )
        request = dig(spec, "resources", "requests", "storage")
        if request is None:
            findings.append(
                Deviation(
                    "the claims request no storage",
                    r,
                    f"{tpath}.resources",
                    expected=f"at most {STORAGE_LIMIT}",
                    found="nothing",
                )
            )
        elif _bytes(str(request)) > _bytes(STORAGE_LIMIT):
            findings.append(
                Deviation(
                    "the claims request more than the local PVs offer: they never bind",
                    r,
                    f"{tpath}.resources.requests.storage",
                    expected=f"at most {STORAGE_LIMIT}",
                    found=shown(request),
                )
            )
    mounts = {m.get("name"): m.get("mountPath") for m in maps(container.get("volumeMounts"))}
    if mounts.get(CLAIM) != DATA_PATH:
        at = f"{cpath}.volumeMounts[{CLAIM}].mountPath" if CLAIM in mounts else f"{cpath}.volumeMounts"
        findings.append(
            Deviation(
                f"the {CLAIM} volume is not mounted at {DATA_PATH}",
                r,
                at,
                expected=DATA_PATH,
                found=shown(mounts.get(CLAIM)),
            )
        )
    shadow = [v for v in maps(dig(sts, "spec", "template", "spec", "volumes")) if v.get("name") == CLAIM]
    if shadow:
        findings.append(
            Finding(f"a pod volume named {CLAIM} shadows the claim template", r, f"spec.template.spec.volumes[{CLAIM}]")
        )
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


@check("STS-6", needs=("statefulset",))
def resources_set(snap: Snapshot) -> Verdict:
    sts = snap.minio_statefulset()
    findings = []
    seen = {}
    for c in containers(dig_map(sts, "spec", "template", "spec")):
        res = dig_map(c, "resources")
        seen[str(c.get("name"))] = res
        cpath = container_path(sts, c)
        for kind_ in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if dig(res, kind_, resource) is None:
                    findings.append(
                        Deviation(
                            f"container {c.get('name')} sets no {resource} {kind_[:-1]}",
                            ref(sts),
                            f"{cpath}.resources.{kind_}.{resource}",
                            expected=f"a {resource} {kind_[:-1]}",
                            found="nothing",
                        )
                    )
    return verdict("STS-6", findings, {"resources": seen})


@check("STS-7", needs=("statefulset",))
def ordered_ready(snap: Snapshot) -> Verdict:
    sts = snap.minio_statefulset()
    policy = dig(sts, "spec", "podManagementPolicy", default="OrderedReady")
    findings = []
    if policy != "OrderedReady":
        findings.append(
            Deviation(
                "pods would start and stop in parallel",
                ref(sts),
                "spec.podManagementPolicy",
                expected="OrderedReady",
                found=shown(policy),
            )
        )
    return verdict("STS-7", findings, {"podManagementPolicy": policy})


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


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


def ordered_start(timeline: Sequence[Mapping[str, Any]], replicas: int, names: Names = DOCUMENTED) -> Verdict:
    """STS-8: pods minio-0..N-1 (`<statefulset>-<i>`), each created no earlier than its predecessor became Ready.

    `timeline` is taken once the deploy waited for all pods to be Ready (see
    `fixtures.deploy.pod_timeline`), so every pod, the last one included, must carry a Ready time.
    """
    findings = []
    pods = sorted((t["name"] for t in timeline), key=ordinal)
    sts = names.statefulset
    if pods != [f"{sts}-{i}" for i in range(replicas)]:
        findings.append(Finding(f"pods are {pods}, expected {sts}-0..{sts}-{replicas - 1}", "Pod"))
    by_ordinal = sorted(timeline, key=lambda t: ordinal(t["name"]))
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
    expected = sorted((p for p in before if ordinal(p) >= replicas_after), key=ordinal, reverse=True)
    findings = []
    if not expected:
        findings.append(Finding(f"nothing observed: no pod above ordinal {replicas_after - 1} to remove", "Pod"))
    if list(removal_order) != expected:
        findings.append(Finding(f"pods were removed in the order {list(removal_order)}, expected {expected}", "Pod"))
    return verdict(
        "STS-8", findings, {"before": list(before), "removed": list(removal_order), "replicas after": replicas_after}
    )
