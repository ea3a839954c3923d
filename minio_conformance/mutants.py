"""Broken variants of the manifests, each with the requirement(s) that must catch it.

A mutant either edits the manifest files themselves (`Stage.SOURCE`: it can be written
out as a broken copy of the directory and fed to `minio-conformance gate` or `pytest -m
static --manifests`), or edits the rendered objects (`Stage.RENDERED`: for breakage of a
value the template derives through a placeholder, such as a wrong replica count).

`catches` must all fail; `also` may fail as a consequence; nothing else may.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from minio_conformance.manifests import ManifestSet, SourceDocument
from minio_conformance.objects import kind, name
from minio_conformance.topology import is_schedulable, schedulable_nodes

Obj = dict[str, Any]


class Stage(StrEnum):
    SOURCE = "source"
    RENDERED = "rendered"


@dataclass(frozen=True)
class Mutant:
    id: str
    description: str
    catches: frozenset[str]
    mutate: Callable[[list[Obj], list[Obj]], None]
    stage: Stage = Stage.SOURCE
    also: frozenset[str] = frozenset()
    min_nodes: int = 1

    def applies_to(self, schedulable: int) -> bool:
        return schedulable >= self.min_nodes


def _find(objs: list[Obj], kind_: str, name_: str | None = None) -> Iterator[Obj]:
    found = False
    for obj in objs:
        if kind(obj) == kind_ and (name_ is None or name(obj) == name_):
            found = True
            yield obj
    if not found:
        raise LookupError(f"mutant target {kind_} {name_ or '*'} not found")


def _sts(objs: list[Obj]) -> Obj:
    return next(_find(objs, "StatefulSet", "minio"))


def _minio(objs: list[Obj]) -> Obj:
    containers: list[Obj] = _sts(objs)["spec"]["template"]["spec"]["containers"]
    return next(c for c in containers if c["name"] == "minio")


def _env(objs: list[Obj], var: str) -> Obj:
    return next(e for e in _minio(objs)["env"] if e["name"] == var)


def _service(objs: list[Obj], name_: str) -> Obj:
    return next(_find(objs, "Service", name_))


def _each_pv(objs: list[Obj]) -> Iterator[Obj]:
    return _find(objs, "PersistentVolume")


def _set(path: str, value: Any) -> Callable[[Obj], None]:
    keys = path.split(".")

    def apply(obj: Obj) -> None:
        cur = obj
        for k in keys[:-1]:
            cur = cur.setdefault(k, {})
        cur[keys[-1]] = value

    return apply


def _drop(path: str) -> Callable[[Obj], None]:
    keys = path.split(".")

    def apply(obj: Obj) -> None:
        cur = obj
        for k in keys[:-1]:
            cur = cur[k]
        del cur[keys[-1]]

    return apply


def _on_sts(fn: Callable[[Obj], None]) -> Callable[[list[Obj], list[Obj]], None]:
    return lambda objs, _nodes: fn(_sts(objs))


def _on_minio(fn: Callable[[Obj], None]) -> Callable[[list[Obj], list[Obj]], None]:
    return lambda objs, _nodes: fn(_minio(objs))


def _on(kind_: str, name_: str, fn: Callable[[Obj], None]) -> Callable[[list[Obj], list[Obj]], None]:
    return lambda objs, _nodes: fn(next(_find(objs, kind_, name_)))


def _on_pvs(fn: Callable[[Obj], None]) -> Callable[[list[Obj], list[Obj]], None]:
    def apply(objs: list[Obj], _nodes: list[Obj]) -> None:
        for pv in _each_pv(objs):
            fn(pv)

    return apply


# --- mutations needing more than one edit -------------------------------------------------


def _literal_credentials(objs: list[Obj], _nodes: list[Obj]) -> None:
    for var, value in (("MINIO_ROOT_USER", "admin"), ("MINIO_ROOT_PASSWORD", "changeme123")):
        entry = _env(objs, var)
        entry.pop("valueFrom", None)
        entry["value"] = value


def _secret_variant_001(objs: list[Obj], _nodes: list[Obj]) -> None:
    secret = next(_find(objs, "Secret", "minio-credentials"))
    secret["metadata"]["name"] = "minio-secret"
    payload = secret.get("stringData") or secret.get("data") or {}
    renamed = {"root-user": payload.get("accesskey", ""), "root-password": payload.get("secretkey", "")}
    secret["stringData" if "stringData" in secret else "data"] = renamed
    for var, key in (("MINIO_ROOT_USER", "root-user"), ("MINIO_ROOT_PASSWORD", "root-password")):
        _env(objs, var)["valueFrom"]["secretKeyRef"] = {"name": "minio-secret", "key": key}


def _pv_on_control_plane(objs: list[Obj], nodes: list[Obj]) -> None:
    pv = copy.deepcopy(next(_each_pv(objs)))
    pv["metadata"]["name"] = "minio-pv-control-plane"
    cp = next(name(n) for n in nodes if not is_schedulable(n))
    pv["metadata"]["labels"]["node"] = cp
    pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"] = [cp]
    objs.append(pv)


def _two_pvs_one_node(objs: list[Obj], nodes: list[Obj]) -> None:
    first = schedulable_nodes(nodes)[0]
    for pv in _each_pv(objs):
        pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"] = [first]


def _standalone_args(objs: list[Obj], _nodes: list[Obj]) -> None:
    _minio(objs)["args"] = ["server", "/data", "--console-address", ":9001"]


def _replicas_off_by_one(objs: list[Obj], nodes: list[Obj]) -> None:
    _sts(objs)["spec"]["replicas"] = len(schedulable_nodes(nodes)) + 1


def _preferred_anti_affinity(sts: Obj) -> None:
    anti = sts["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]
    term = anti.pop("requiredDuringSchedulingIgnoredDuringExecution")[0]
    anti["preferredDuringSchedulingIgnoredDuringExecution"] = [{"weight": 100, "podAffinityTerm": term}]


def _pdb_too_loose(objs: list[Obj], nodes: list[Obj]) -> None:
    next(_find(objs, "PodDisruptionBudget", "minio"))["spec"]["maxUnavailable"] = len(schedulable_nodes(nodes))


def _ellipsis_wrong_range(objs: list[Obj], nodes: list[Obj]) -> None:
    _minio(objs)["args"] = [
        "server",
        "--console-address",
        ":9001",
        f"http://minio-{{0...{len(schedulable_nodes(nodes))}}}.minio-headless.minio-system.svc.cluster.local/data",
    ]


def _remove_limits(container: Obj) -> None:
    container["resources"].pop("limits")


def _tolerate_control_plane(sts: Obj) -> None:
    sts["spec"]["template"]["spec"]["tolerations"] = [
        {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}
    ]


def _prep_label_app_minio(ds: Obj) -> None:
    ds["spec"]["selector"]["matchLabels"] = {"app": "minio"}
    ds["spec"]["template"]["metadata"]["labels"] = {"app": "minio"}


def _no_namespace(obj: Obj) -> None:
    obj["metadata"].pop("namespace")


def _services_without_namespace(objs: list[Obj], _nodes: list[Obj]) -> None:
    for svc in _find(objs, "Service"):
        _no_namespace(svc)


def _privileged_minio(container: Obj) -> None:
    container["securityContext"]["privileged"] = True


def _liveness_port(container: Obj) -> None:
    container["livenessProbe"]["httpGet"]["port"] = 9001


def _readiness_delays(container: Obj) -> None:
    container["readinessProbe"]["initialDelaySeconds"] = 0
    container["readinessProbe"]["periodSeconds"] = 60


def _drop_console_address(container: Obj) -> None:
    args = container["args"]
    i = args.index("--console-address")
    del args[i : i + 2]


def _data_mounted_elsewhere(container: Obj) -> None:
    for m in container["volumeMounts"]:
        if m["name"] == "data":
            m["mountPath"] = "/export"


def _claim(fn: Callable[[Obj], None]) -> Callable[[Obj], None]:
    return lambda sts: fn(sts["spec"]["volumeClaimTemplates"][0]["spec"])


def _no_pdb(objs: list[Obj], _nodes: list[Obj]) -> None:
    objs.remove(next(_find(objs, "PodDisruptionBudget", "minio")))


def _untagged_helper(ds: Obj) -> None:
    for c in ds["spec"]["template"]["spec"]["containers"]:
        c["image"] = c["image"].split(":")[0]


def _misspelt_pod_management_policy(sts: Obj) -> None:
    # Absent, the policy defaults to OrderedReady, so only the schema notices the typo.
    sts["spec"]["podManagmentPolicy"] = sts["spec"].pop("podManagementPolicy")


SD = Stage.SOURCE
RD = Stage.RENDERED
F = frozenset

MUTANTS: tuple[Mutant, ...] = (
    # TOP
    Mutant(
        "pv-on-control-plane",
        "an extra PV pinned to the tainted control-plane node",
        F({"TOP-1"}),
        _pv_on_control_plane,
        RD,
        also=F({"PV-1"}),
        min_nodes=2,
    ),
    Mutant(
        "tolerates-control-plane",
        "MinIO pods tolerate the control-plane NoSchedule taint",
        F({"TOP-1"}),
        _on_sts(_tolerate_control_plane),
    ),
    Mutant(
        "replicas-off-by-one",
        "one replica more than schedulable nodes",
        F({"TOP-2"}),
        _replicas_off_by_one,
        RD,
        also=F({"TOP-3", "STS-2"}),
    ),
    Mutant(
        "standalone-args-distributed",
        "standalone `server /data` with several replicas",
        F({"TOP-3"}),
        _standalone_args,
        RD,
        also=F({"STS-2"}),
        min_nodes=2,
    ),
    # SEC
    Mutant(
        "services-without-namespace",
        "the Services carry no namespace",
        F({"SEC-1"}),
        _services_without_namespace,
    ),
    Mutant("literal-credentials", "root user and password as literal env values", F({"SEC-2"}), _literal_credentials),
    Mutant(
        "secret-variant-001",
        "001's Secret minio-secret with root-user/root-password",
        F({"SEC-2"}),
        _secret_variant_001,
    ),
    Mutant(
        "latest-tag", "MinIO image minio/minio:latest", F({"SEC-4"}), _on_minio(_set("image", "minio/minio:latest"))
    ),
    Mutant(
        "untagged-helper",
        "storage-prep image without a tag",
        F({"SEC-4"}),
        _on("DaemonSet", "minio-storage-prep", _untagged_helper),
    ),
    Mutant(
        "privilege-escalation",
        "MinIO container allows privilege escalation",
        F({"SEC-6"}),
        _on_minio(_set("securityContext.allowPrivilegeEscalation", True)),
        also=F({"PREP-3"}),
    ),
    # STO
    Mutant(
        "immediate-binding",
        "StorageClass binds Immediately",
        F({"STO-1"}),
        _on("StorageClass", "minio-local-storage", _set("volumeBindingMode", "Immediate")),
    ),
    Mutant(
        "delete-reclaim",
        "StorageClass reclaimPolicy Delete",
        F({"STO-1"}),
        _on("StorageClass", "minio-local-storage", _set("reclaimPolicy", "Delete")),
    ),
    Mutant(
        "no-expansion",
        "StorageClass without allowVolumeExpansion",
        F({"STO-1"}),
        _on("StorageClass", "minio-local-storage", _drop("allowVolumeExpansion")),
    ),
    # PREP
    Mutant("privileged-minio", "MinIO container privileged", F({"PREP-3", "SEC-6"}), _on_minio(_privileged_minio)),
    Mutant(
        "prep-pods-labelled-app-minio",
        "storage-prep pods labelled app=minio",
        F({"PREP-3"}),
        _on("DaemonSet", "minio-storage-prep", _prep_label_app_minio),
    ),
    # PV
    Mutant("pv-wrong-path", "PV local.path /mnt/data", F({"PV-1"}), _on_pvs(_set("spec.local.path", "/mnt/data"))),
    Mutant(
        "pv-without-class",
        "PV without storageClassName (the documented PV)",
        F({"PV-1"}),
        _on_pvs(_drop("spec.storageClassName")),
    ),
    Mutant(
        "pv-delete-reclaim",
        "PV reclaim policy Delete",
        F({"PV-1"}),
        _on_pvs(_set("spec.persistentVolumeReclaimPolicy", "Delete")),
    ),
    Mutant("pv-5gi", "PV capacity 5Gi", F({"PV-1"}), _on_pvs(_set("spec.capacity.storage", "5Gi"))),
    Mutant(
        "pv-without-node-affinity", "PV with no nodeAffinity", F({"PV-2", "TOP-1"}), _on_pvs(_drop("spec.nodeAffinity"))
    ),
    Mutant(
        "two-pvs-one-node",
        "every PV pinned to the same node",
        F({"PV-2", "TOP-1"}),
        _two_pvs_one_node,
        RD,
        also=F({"PV-1"}),
        min_nodes=2,
    ),
    # SVC
    Mutant(
        "headless-with-cluster-ip",
        "minio-headless gets a cluster IP",
        F({"SVC-1"}),
        _on("Service", "minio-headless", _drop("spec.clusterIP")),
    ),
    Mutant(
        "headless-wrong-port-name",
        "headless port 9000 named s3",
        F({"SVC-1"}),
        lambda objs, _n: _service(objs, "minio-headless")["spec"]["ports"][0].update(name="s3"),
    ),
    Mutant(
        "nodeport-30090",
        "S3 API nodePort 30090",
        F({"SVC-2"}),
        lambda objs, _n: _service(objs, "minio-api")["spec"]["ports"][0].update(nodePort=30090),
    ),
    Mutant(
        "console-not-exposed",
        "no NodePort for the console",
        F({"SVC-2"}),
        lambda objs, _n: objs.remove(_service(objs, "minio-console")),
    ),
    # STS
    Mutant(
        "wrong-service-name",
        "serviceName minio (the pod URLs then name a Service the pods are not under)",
        F({"STS-1"}),
        _on_sts(_set("spec.serviceName", "minio")),
        also=F({"STS-2"}),
    ),
    Mutant(
        "no-console-address",
        "no --console-address (the template derives the args, so the rendered ones are broken)",
        F({"STS-2"}),
        _on_minio(_drop_console_address),
        RD,
    ),
    Mutant(
        "wrong-command",
        "command /usr/bin/docker-entrypoint.sh",
        F({"STS-2"}),
        _on_minio(_set("command", ["/usr/bin/docker-entrypoint.sh"])),
    ),
    Mutant(
        "ellipsis-wrong-range",
        "{0...N} names one pod too many",
        F({"STS-2", "TOP-3"}),
        _ellipsis_wrong_range,
        RD,
        min_nodes=2,
    ),
    Mutant(
        "runs-as-root",
        "runAsUser 0",
        F({"STS-3"}),
        _on_sts(lambda s: s["spec"]["template"]["spec"].update(securityContext={"runAsUser": 0})),
    ),
    Mutant(
        "no-run-as-user",
        "no securityContext at all",
        F({"STS-3"}),
        _on_sts(_drop("spec.template.spec.securityContext")),
    ),
    Mutant("no-anti-affinity", "no podAntiAffinity", F({"STS-4"}), _on_sts(_drop("spec.template.spec.affinity"))),
    Mutant("preferred-anti-affinity", "anti-affinity only preferred", F({"STS-4"}), _on_sts(_preferred_anti_affinity)),
    Mutant(
        "claim-wrong-class",
        "claims of class standard",
        F({"STS-5"}),
        _on_sts(_claim(_set("storageClassName", "standard"))),
    ),
    Mutant(
        "claim-too-large",
        "claims request 20Gi from 10Gi PVs",
        F({"STS-5"}),
        _on_sts(_claim(_set("resources.requests.storage", "20Gi"))),
    ),
    Mutant("data-mounted-elsewhere", "data mounted at /export", F({"STS-5"}), _on_minio(_data_mounted_elsewhere)),
    Mutant("missing-limits", "no resource limits", F({"STS-6"}), _on_minio(_remove_limits)),
    Mutant(
        "parallel-pod-management",
        "podManagementPolicy Parallel",
        F({"STS-7"}),
        _on_sts(_set("spec.podManagementPolicy", "Parallel")),
    ),
    # PRB
    Mutant(
        "liveness-wrong-path",
        "liveness on /minio/health/ready",
        F({"PRB-1"}),
        _on_minio(_set("livenessProbe.httpGet.path", "/minio/health/ready")),
    ),
    Mutant("liveness-wrong-port", "liveness on port 9001", F({"PRB-1"}), _on_minio(_liveness_port)),
    Mutant("readiness-wrong-delays", "readiness delays 0/60", F({"PRB-2"}), _on_minio(_readiness_delays)),
    Mutant("no-readiness", "no readiness probe", F({"PRB-2"}), _on_minio(_drop("readinessProbe"))),
    # SCH
    Mutant(
        "removed-api-version",
        "StatefulSet as apps/v1beta1, removed in Kubernetes 1.16",
        F({"SCH-1"}),
        _on_sts(_set("apiVersion", "apps/v1beta1")),
    ),
    Mutant(
        "removed-pdb-api-version",
        "PodDisruptionBudget as policy/v1beta1, removed in Kubernetes 1.25",
        F({"SCH-1"}),
        _on("PodDisruptionBudget", "minio", _set("apiVersion", "policy/v1beta1")),
    ),
    Mutant(
        "misspelt-field",
        "podManagmentPolicy: a field the API does not know (strict validation rejects it)",
        F({"SCH-1"}),
        _on_sts(_misspelt_pod_management_policy),
    ),
    Mutant(
        "wrong-field-types",
        "containerPort given as a string",
        F({"SCH-1"}),
        _on_minio(lambda c: c["ports"][0].update(containerPort="9000")),
    ),
    # OPS
    Mutant("no-pdb", "no PodDisruptionBudget", F({"OPS-1"}), _no_pdb),
    Mutant("pdb-too-loose", "PDB lets every pod go at once", F({"OPS-1"}), _pdb_too_loose, RD),
    Mutant(
        "no-graceful-shutdown",
        "no terminationGracePeriodSeconds nor preStop",
        F({"OPS-2"}),
        _on_sts(_drop("spec.template.spec.terminationGracePeriodSeconds")),
    ),
)

MUTANTS_BY_ID: dict[str, Mutant] = {m.id: m for m in MUTANTS}


def mutate_objects(
    mutant: Mutant, objects: Sequence[Mapping[str, Any]], nodes: Sequence[Mapping[str, Any]]
) -> list[Obj]:
    objs = [copy.deepcopy(dict(o)) for o in objects]
    mutant.mutate(objs, [dict(n) for n in nodes])
    return objs


def mutate_source(mutant: Mutant, manifests: ManifestSet) -> ManifestSet:
    """Apply a SOURCE mutant to the manifest files (kept file by file)."""
    if mutant.stage is not Stage.SOURCE:
        raise ValueError(f"{mutant.id} is a {mutant.stage} mutant")
    objs = [copy.deepcopy(dict(d.obj)) for d in manifests.documents]
    files = {id(o): (d.file, d.index) for o, d in zip(objs, manifests.documents, strict=True)}
    mutant.mutate(objs, [])
    docs = []
    for obj in objs:
        file, index = files.get(id(obj), ("99-added.yaml", 0))
        docs.append(SourceDocument(file, index, obj))
    return ManifestSet(manifests.directory, tuple(docs))


def static_requirements_caught() -> set[str]:
    return {rid for m in MUTANTS for rid in m.catches}


__all__ = ["MUTANTS", "MUTANTS_BY_ID", "Mutant", "Stage", "mutate_objects", "mutate_source"]
