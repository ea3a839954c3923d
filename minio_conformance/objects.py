"""Small pure helpers over Kubernetes objects held as plain dicts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

KubeObject = Mapping[str, Any]

NAMESPACE = "minio-system"
APP_LABEL = {"app": "minio"}

CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace",
        "StorageClass",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "PriorityClass",
        "Node",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "CSIDriver",
        "VolumeSnapshotClass",
    }
)
WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"})


def dig(obj: Any, *path: str | int, default: Any = None) -> Any:
    """Follow keys/indices into nested dicts and lists; `default` when any step is missing."""
    cur = obj
    for step in path:
        if isinstance(step, int):
            if not isinstance(cur, Sequence) or isinstance(cur, str) or step >= len(cur):
                return default
            cur = cur[step]
        else:
            if not isinstance(cur, Mapping) or step not in cur:
                return default
            cur = cur[step]
    return default if cur is None else cur


def dig_map(obj: Any, *path: str | int) -> Mapping[str, Any]:
    """The mapping at `path`, or {} when it is missing or not a mapping."""
    found = dig(obj, *path)
    return found if isinstance(found, Mapping) else {}


def dig_list(obj: Any, *path: str | int) -> list[Any]:
    """The list at `path`, or [] when it is missing or not a list."""
    found = dig(obj, *path)
    return found if isinstance(found, list) else []


def maps(value: Any) -> list[Mapping[str, Any]]:
    """The mappings among the items of a list (nothing when `value` is not a list)."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def kind(obj: KubeObject) -> str:
    return str(obj.get("kind", ""))


def name(obj: KubeObject) -> str:
    return str(dig(obj, "metadata", "name", default=""))


def namespace(obj: KubeObject) -> str:
    return str(dig(obj, "metadata", "namespace", default=""))


def labels(obj: KubeObject) -> Mapping[str, str]:
    found = dig(obj, "metadata", "labels", default={})
    return found if isinstance(found, Mapping) else {}


def ref(obj: KubeObject) -> str:
    """A short human reference such as `StatefulSet minio-system/minio`."""
    ns = namespace(obj)
    return f"{kind(obj)} {ns + '/' if ns else ''}{name(obj)}"


def ready_condition(obj: KubeObject) -> KubeObject | None:
    """The object's Ready condition (a pod's or a node's), None while it reports none."""
    return next(
        (c for c in dig(obj, "status", "conditions", default=[]) if isinstance(c, dict) and c.get("type") == "Ready"),
        None,
    )


def is_ready(pod: KubeObject) -> bool:
    """True when the pod (or node) carries the condition Ready=True (what the judges and the waits both mean)."""
    return any(
        c.get("type") == "Ready" and c.get("status") == "True" for c in dig(pod, "status", "conditions", default=[])
    )


def refers_to(obj: KubeObject, reference: str) -> bool:
    """True when a finding's reference (`Kind`, `Kind name` or `Kind ns/name`) names `obj`."""
    parts = reference.split(" ", 1)
    if parts[0] != kind(obj):
        return False
    return len(parts) == 1 or parts[1] in (name(obj), f"{namespace(obj)}/{name(obj)}")


def of_kind(objects: Iterable[KubeObject], *kinds: str) -> list[KubeObject]:
    return [o for o in objects if kind(o) in kinds]


def named(objects: Iterable[KubeObject], kind_: str, name_: str) -> KubeObject | None:
    for obj in objects:
        if kind(obj) == kind_ and name(obj) == name_:
            return obj
    return None


def pod_template_spec(obj: KubeObject) -> Mapping[str, Any] | None:
    """The pod spec a workload object runs (None for non-workloads)."""
    k = kind(obj)
    if k == "Pod":
        spec = dig(obj, "spec")
    elif k == "CronJob":
        spec = dig(obj, "spec", "jobTemplate", "spec", "template", "spec")
    elif k in WORKLOAD_KINDS:
        spec = dig(obj, "spec", "template", "spec")
    else:
        spec = None
    return spec if isinstance(spec, Mapping) else None


def containers(pod_spec: Mapping[str, Any] | None, *, init: bool = True) -> list[Mapping[str, Any]]:
    if not isinstance(pod_spec, Mapping):
        return []
    found = maps(pod_spec.get("containers"))
    if init:
        found += maps(pod_spec.get("initContainers"))
    return found


def selector_matches(selector: Mapping[str, Any] | None, wanted: Mapping[str, str]) -> bool:
    """True when a LabelSelector selects (at least) objects carrying all `wanted` labels."""
    if not isinstance(selector, Mapping) or not selector:
        return False
    match_labels = dig_map(selector, "matchLabels")
    exprs = maps(selector.get("matchExpressions"))
    satisfied = {k for k, v in wanted.items() if match_labels.get(k) == v}
    for expr in exprs:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if isinstance(key, str) and key in wanted and op == "In" and values == [wanted[key]]:
            satisfied.add(key)
    # A selector that demands more than `wanted` would not select plain app=minio pods.
    extra = {k for k in match_labels if k not in wanted}
    return satisfied == set(wanted) and not extra


def iter_env(container: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from maps(dig(container, "env"))


FieldPath = tuple[str | int, ...]


def parse_path(path: str) -> list[tuple[str, bool]]:
    """`spec.ports[api].nodePort` -> [(spec, False), (ports, False), (api, True), (nodePort, False)].

    A bracketed step selects a list item by index or by its `name` (or `metadata.name`), or a
    mapping key that itself contains dots (`metadata.labels[app.kubernetes.io/name]`).
    """
    steps: list[tuple[str, bool]] = []
    for part in re.findall(r"\[([^\]]*)\]|([^.\[\]]+)", path):
        bracket, plain = part
        steps.append((bracket, True) if plain == "" else (plain, False))
    return steps


def item_named(items: list[Any], wanted: str) -> int | None:
    for i, item in enumerate(items):
        if isinstance(item, Mapping) and (item.get("name") == wanted or dig(item, "metadata", "name") == wanted):
            return i
    return None


def resolve_path(obj: Any, path: str) -> FieldPath:
    """The field path of `path` in `obj`, as far as `obj` has it (named list items become indices)."""
    out: list[str | int] = []
    cur = obj
    for step, bracket in parse_path(path):
        if isinstance(cur, list):
            index = int(step) if bracket and step.isdigit() else item_named(cur, step)
            if index is None or index >= len(cur):
                break
            out.append(index)
            cur = cur[index]
        elif isinstance(cur, Mapping):
            out.append(step)
            cur = cur.get(step)
        else:
            out.append(step)
            cur = None
    return tuple(out)
