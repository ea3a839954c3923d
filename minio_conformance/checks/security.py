"""SEC-4, SEC-6: pinned images and no privilege for MinIO (004)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import Deviation, container_path, shown
from minio_conformance.objects import containers, dig_list, dig_map, kind, pod_template_spec, ref
from minio_conformance.verdict import Finding, Verdict, verdict


def image_tag(image: str) -> str | None:
    """The tag of an image reference, or None when it has none (a digest counts as pinned)."""
    if "@" in image:
        return "@" + image.split("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


def _image_path(obj: Mapping[str, Any], container: Mapping[str, Any]) -> str:
    k = kind(obj)
    prefix = "spec" if k == "Pod" else "spec.jobTemplate.spec.template.spec" if k == "CronJob" else "spec.template.spec"
    spec = pod_template_spec(obj) or {}
    for field in ("containers", "initContainers"):
        for i, c in enumerate(dig_list(spec, field)):
            if c is container:
                cname = c.get("name")
                return f"{prefix}.{field}[{cname if isinstance(cname, str) and cname else i}].image"
    return prefix


@check("SEC-4")
def images_pinned(snap: Snapshot) -> Verdict:
    findings: list[Finding] = []
    images = {}
    for obj in snap.objects:
        for c in containers(pod_template_spec(obj)):
            raw = c.get("image")
            image = raw if isinstance(raw, str) else ""
            images[f"{ref(obj)} {c.get('name')}"] = image
            tag = image_tag(image)
            at = _image_path(obj, c)
            if not image:
                findings.append(
                    Deviation("the container has no image", ref(obj), at, expected="a pinned image", found=shown(raw))
                )
            elif tag is None:
                findings.append(
                    Deviation(
                        "the image has no tag (it means latest)",
                        ref(obj),
                        at,
                        expected="a pinned tag or digest",
                        found=shown(image),
                    )
                )
            elif tag == "latest":
                findings.append(
                    Deviation(
                        "the image uses the latest tag",
                        ref(obj),
                        at,
                        expected="a pinned tag or digest",
                        found=shown(image),
                    )
                )
    return verdict("SEC-4", findings, {"images": images})


@check("SEC-6", needs=("statefulset", "container"))
def minio_unprivileged(snap: Snapshot) -> Verdict:
    sts, container = snap.minio()
    r, cpath = ref(sts), container_path(sts, container)
    findings: list[Finding] = []
    sc = dig_map(container, "securityContext")
    if sc.get("allowPrivilegeEscalation") is not False:
        findings.append(
            Deviation(
                "MinIO may escalate privileges",
                r,
                f"{cpath}.securityContext.allowPrivilegeEscalation",
                expected="false",
                found=shown(sc.get("allowPrivilegeEscalation")),
            )
        )
    if sc.get("privileged") is True:
        findings.append(
            Deviation(
                "the container is privileged", r, f"{cpath}.securityContext.privileged", expected="false", found="true"
            )
        )
    added = sc.get("capabilities", {}).get("add") if isinstance(sc.get("capabilities"), Mapping) else None
    if added:
        findings.append(
            Deviation(
                "the container adds capabilities",
                r,
                f"{cpath}.securityContext.capabilities.add",
                expected="none",
                found=shown(added),
            )
        )
    spec = dig_map(sts, "spec", "template", "spec")
    for flag in ("hostPID", "hostNetwork", "hostIPC"):
        if spec.get(flag) is True:
            findings.append(
                Deviation(f"{flag} is set", r, f"spec.template.spec.{flag}", expected="false", found="true")
            )
    return verdict("SEC-6", findings, {"securityContext": sc})
