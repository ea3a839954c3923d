"""SEC-1, SEC-2, SEC-5: namespace isolation and credential handling (000 §3, 004)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import minio_container, minio_statefulset, missing_container, missing_statefulset
from minio_conformance.objects import (
    CLUSTER_SCOPED_KINDS,
    NAMESPACE,
    containers,
    dig,
    iter_env,
    kind,
    name,
    pod_template_spec,
    ref,
)
from minio_conformance.objects import namespace as ns_of
from minio_conformance.verdict import Finding, Verdict, verdict

SECRET_NAME = "minio-credentials"
SECRET_KEYS = {"MINIO_ROOT_USER": "accesskey", "MINIO_ROOT_PASSWORD": "secretkey"}
LEGACY_ENV = {"MINIO_ACCESS_KEY": "accesskey", "MINIO_SECRET_KEY": "secretkey"}
CREDENTIAL_ENV = re.compile(r"(ROOT_USER|ROOT_PASSWORD|ACCESS_KEY|SECRET_KEY|PASSWORD|SECRET|TOKEN)", re.I)


@check("SEC-1")
def objects_in_minio_namespace(snap: Snapshot) -> Verdict:
    findings = []
    namespaced = [o for o in snap.objects if kind(o) not in CLUSTER_SCOPED_KINDS]
    for obj in namespaced:
        if ns_of(obj) != NAMESPACE:
            where = ns_of(obj) or "no namespace (would land in the current context's namespace)"
            findings.append(
                Finding(f"namespaced object is in {where}, not {NAMESPACE}", ref(obj), "metadata.namespace")
            )
    if not any(kind(o) == "Namespace" and name(o) == NAMESPACE for o in snap.objects):
        findings.append(Finding(f"no Namespace {NAMESPACE} object among the manifests", "Namespace"))
    return verdict("SEC-1", findings, {"namespaced objects": [ref(o) for o in namespaced]})


def _secret_keys(secret: Mapping[str, object]) -> set[str]:
    keys: set[str] = set()
    for field in ("data", "stringData"):
        value = secret.get(field)
        if isinstance(value, Mapping):
            keys |= set(value)
    return keys


@check("SEC-2")
def credentials_only_through_secret(snap: Snapshot) -> Verdict:
    findings: list[Finding] = []
    secret = snap.get("Secret", SECRET_NAME)
    if secret is None:
        variant = snap.get("Secret", "minio-secret")
        hint = (
            " (found 001's variant minio-secret with root-user/root-password; 000 names minio-credentials)"
            if variant
            else ""
        )
        findings.append(Finding(f"no Secret {SECRET_NAME}{hint}", f"Secret {SECRET_NAME}"))
    else:
        missing = sorted(set(SECRET_KEYS.values()) - _secret_keys(secret))
        if missing:
            findings.append(Finding(f"Secret lacks key(s) {missing}", ref(secret), "data"))
    sts = minio_statefulset(snap.objects)
    if sts is None:
        findings.append(missing_statefulset())
    else:
        container = minio_container(sts)
        if container is None:
            findings.append(missing_container(ref(sts)))
        else:
            env = {e.get("name"): e for e in iter_env(container)}
            for var, key in SECRET_KEYS.items():
                entry = env.get(var) or env.get({v: k for k, v in LEGACY_ENV.items()}.get(key, ""))
                if entry is None:
                    findings.append(Finding(f"{var} is not set", ref(sts), "spec.template.spec.containers[minio].env"))
                    continue
                sref = dig(entry, "valueFrom", "secretKeyRef", default={})
                if "value" in entry:
                    findings.append(
                        Finding(
                            f"{entry['name']} is a literal value in the manifest",
                            ref(sts),
                            f"env[{entry['name']}].value",
                        )
                    )
                elif sref.get("name") != SECRET_NAME or sref.get("key") != key:
                    findings.append(
                        Finding(
                            f"{entry['name']} comes from secretKeyRef {sref.get('name')}/{sref.get('key')}, "
                            f"expected {SECRET_NAME}/{key}",
                            ref(sts),
                            f"env[{entry['name']}].valueFrom",
                        )
                    )
    # No workload may carry a credential-looking literal anywhere in its environment.
    for obj in snap.objects:
        for c in containers(pod_template_spec(obj)):
            for e in iter_env(c):
                if "value" in e and CREDENTIAL_ENV.search(str(e.get("name", ""))):
                    finding = Finding(
                        f"{e['name']} is a literal value in the manifest",
                        ref(obj),
                        f"containers[{c.get('name')}].env[{e['name']}].value",
                    )
                    if finding not in findings:
                        findings.append(finding)
    return verdict("SEC-2", findings, {"secret": SECRET_NAME, "keys": sorted(SECRET_KEYS.values())})


def credentials_absent(texts: Mapping[str, str], credentials: Iterable[str]) -> Verdict:
    """SEC-5 over captured text: no credential value appears in any of `texts`.

    `texts` maps a label (a report file, an evidence item) to its content.
    """
    values = [c for c in credentials if c]
    findings = [
        Finding("a credential value appears in it", label)
        for label, text in sorted(texts.items())
        if any(v in text for v in values)
    ]
    return verdict("SEC-5", findings, {"texts examined": sorted(texts), "credentials planted": len(values)})
