"""SEC-1, SEC-2, SEC-3, SEC-5: namespace isolation and credential handling (000 §3, 004).

Static checks SEC-1, SEC-2, SEC-5 over the manifests; the live judge SEC-3 (S3 access with the
Secret's credentials and refusal of wrong ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check, not_evaluated
from minio_conformance.checks.common import Deviation, container_path, missing_container, shown
from minio_conformance.objects import (
    CLUSTER_SCOPED_KINDS,
    containers,
    dig,
    dig_list,
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
LEGACY_ENV = {"MINIO_ROOT_USER": "MINIO_ACCESS_KEY", "MINIO_ROOT_PASSWORD": "MINIO_SECRET_KEY"}
CREDENTIAL_ENV = re.compile(r"(ROOT_USER|ROOT_PASSWORD|ACCESS_KEY|SECRET_KEY|PASSWORD|SECRET|TOKEN)", re.I)
LITERAL = "a literal value"


@check("SEC-1")
def objects_in_minio_namespace(snap: Snapshot) -> Verdict:
    want = snap.names.namespace
    findings: list[Finding] = []
    namespaced = [o for o in snap.objects if kind(o) not in CLUSTER_SCOPED_KINDS]
    for obj in namespaced:
        if ns_of(obj) != want:
            where = ns_of(obj) or "no namespace (it would land in the current context's namespace)"
            findings.append(
                Deviation(
                    "namespaced object outside the MinIO namespace",
                    ref(obj),
                    "metadata.namespace",
                    expected=want,
                    found=where,
                )
            )
    if not any(kind(o) == "Namespace" and name(o) == want for o in snap.objects):
        findings.append(Finding(f"no Namespace {want} object among the manifests", f"Namespace {want}"))
    return verdict("SEC-1", findings, {"namespace": want, "namespaced objects": [ref(o) for o in namespaced]})


def _secret_keys(secret: Mapping[str, object]) -> set[str]:
    keys: set[str] = set()
    for field in ("data", "stringData"):
        value = secret.get(field)
        if isinstance(value, Mapping):
            keys |= {str(k) for k in value}
    return keys


def _env_findings(snap: Snapshot) -> list[Finding]:
    """The MinIO container's root credentials come from secretKeyRef to the Secret."""
    sts, container = snap.minio()
    names = snap.names
    findings: list[Finding] = []
    env = {e.get("name"): e for e in iter_env(container)}
    base = f"{container_path(sts, container)}.env"
    for var, key in names.secret_keys.items():
        entry = env.get(var) or env.get(LEGACY_ENV[var])
        if entry is None:
            findings.append(
                Deviation(
                    f"{var} is not set", ref(sts), base, expected=f"secretKeyRef {names.secret}/{key}", found="nothing"
                )
            )
            continue
        sref = dig(entry, "valueFrom", "secretKeyRef", default={})
        sref = sref if isinstance(sref, Mapping) else {}
        if "value" in entry:
            findings.append(
                Deviation(
                    f"{entry['name']} is a literal in the manifest",
                    ref(sts),
                    f"{base}[{entry['name']}].value",
                    expected=f"secretKeyRef {names.secret}/{key}",
                    found=LITERAL,
                )
            )
        elif sref.get("name") != names.secret or sref.get("key") != key:
            findings.append(
                Deviation(
                    f"{entry['name']} comes from another Secret or key",
                    ref(sts),
                    f"{base}[{entry['name']}].valueFrom.secretKeyRef",
                    expected=f"{names.secret}/{key}",
                    found=f"{shown(sref.get('name'))}/{shown(sref.get('key'))}",
                )
            )
    return findings


@check("SEC-2")
def credentials_only_through_secret(snap: Snapshot) -> Verdict:
    names = snap.names
    findings: list[Finding] = []
    secret = snap.get("Secret", names.secret)
    if secret is None:
        variant = snap.get("Secret", "minio-secret") if names.secret == SECRET_NAME else None
        hint = (
            " (found 001's variant minio-secret with root-user/root-password; 000 names minio-credentials)"
            if variant
            else ""
        )
        findings.append(Finding(f"no Secret {names.secret}{hint}", f"Secret {names.secret}"))
    else:
        wanted = sorted(names.secret_keys.values())
        missing = sorted(set(wanted) - _secret_keys(secret))
        if missing:
            present = sorted(_secret_keys(secret))
            field = "stringData" if "stringData" in secret and "data" not in secret else "data"
            findings.append(
                Deviation(
                    f"Secret lacks key(s) {', '.join(missing)}",
                    ref(secret),
                    field,
                    expected=", ".join(wanted),
                    found=", ".join(present) or "no key",
                )
            )
    # No workload may carry a credential-looking literal anywhere in its environment.
    for obj in snap.objects:
        spec = pod_template_spec(obj)
        for c in containers(spec):
            path = _container_field(obj, c)
            for e in iter_env(c):
                if "value" in e and CREDENTIAL_ENV.search(str(e.get("name", ""))):
                    findings.append(
                        Deviation(
                            f"{e.get('name')} is a literal in the manifest",
                            ref(obj),
                            f"{path}.env[{e.get('name')}].value",
                            expected="valueFrom.secretKeyRef",
                            found=LITERAL,
                        )
                    )
    evidence: dict[str, Any] = {"secret": names.secret, "keys": sorted(names.secret_keys.values())}
    if snap.statefulset is None or snap.container is None:
        if findings:
            return verdict("SEC-2", findings, evidence)
        owner, why = (
            ("STS-1", f"no StatefulSet {names.statefulset}")
            if snap.statefulset is None
            else ("STS-2", f"no container {names.container} in StatefulSet {names.statefulset}")
        )
        return not_evaluated("SEC-2", why, owner)
    for f in _env_findings(snap):
        if f not in findings and not any(f.path == g.path and f.object_ref == g.object_ref for g in findings):
            findings.append(f)
    return verdict("SEC-2", findings, evidence)


def _container_field(obj: Mapping[str, Any], container: Mapping[str, Any]) -> str:
    k = kind(obj)
    prefix = "spec" if k == "Pod" else "spec.jobTemplate.spec.template.spec" if k == "CronJob" else "spec.template.spec"
    spec = pod_template_spec(obj) or {}
    for field in ("containers", "initContainers"):
        items = dig_list(spec, field)
        for i, c in enumerate(items):
            if c is container:
                cname = c.get("name")
                return f"{prefix}.{field}[{cname if isinstance(cname, str) and cname else i}]"
    return prefix


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


__all__ = ["SECRET_KEYS", "SECRET_NAME", "credentials_absent", "missing_container"]


def s3_access(accepted: Mapping[str, str], refused: Mapping[str, str]) -> Verdict:
    """SEC-3: each client succeeds with the Secret's credentials and is refused with wrong ones.

    `accepted` maps client -> "ok" or an error; `refused` maps client -> the S3 error code seen.
    """
    findings = []
    for client_name, outcome in sorted(accepted.items()):
        if outcome != "ok":
            findings.append(Finding(f"request with the Secret's credentials failed: {outcome}", client_name))
    denial = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}
    for client_name, code in sorted(refused.items()):
        if code not in denial:
            findings.append(Finding(f"request with wrong credentials was not refused (got {code!r})", client_name))
    if not accepted:
        findings.append(Finding("nothing observed: no request with the Secret's credentials", "S3"))
    if not refused:
        findings.append(Finding("nothing observed: no request with wrong credentials", "S3"))
    return verdict(
        "SEC-3", findings, {"with Secret credentials": dict(accepted), "with wrong credentials": dict(refused)}
    )
