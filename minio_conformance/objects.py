"""Small pure helpers over Kubernetes objects held as plain dicts."""

from __future__ import annotations

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
    if not pod_spec:
        return []
    found = list(dig(pod_spec, "containers", default=[]))
    if init:
        found += list(dig(pod_spec, "initContainers", default=[]))
    return found


def selector_matches(selector: Mapping[str, Any] | None, wanted: Mapping[str, str]) -> bool:
    """True when a LabelSelector selects (at least) objects carrying all `wanted` labels."""
    if not selector:
        return False
    match_labels = dig(selector, "matchLabels", default={})
    exprs = dig(selector, "matchExpressions", default=[])
    satisfied = {k for k, v in wanted.items() if match_labels.get(k) == v}
    for expr in exprs:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if key in wanted and op == "In" and values == [wanted[key]]:
            satisfied.add(key)
    # A selector that demands more than `wanted` would not select plain app=minio pods.
    extra = {k for k in match_labels if k not in wanted}
    return satisfied == set(wanted) and not extra


def iter_env(container: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from dig(container, "env", default=[])
