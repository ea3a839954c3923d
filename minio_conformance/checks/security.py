"""SEC-4, SEC-6: pinned images and no privilege for MinIO (004)."""

from __future__ import annotations

from minio_conformance.checks import Snapshot, check
from minio_conformance.checks.common import minio_container, minio_statefulset, missing_container, missing_statefulset
from minio_conformance.objects import containers, dig, pod_template_spec, ref
from minio_conformance.verdict import Finding, Verdict, verdict


def image_tag(image: str) -> str | None:
    """The tag of an image reference, or None when it has none (a digest counts as pinned)."""
    if "@" in image:
        return "@" + image.split("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


@check("SEC-4")
def images_pinned(snap: Snapshot) -> Verdict:
    findings = []
    images = {}
    for obj in snap.objects:
        for c in containers(pod_template_spec(obj)):
            image = str(c.get("image") or "")
            images[f"{ref(obj)} {c.get('name')}"] = image
            tag = image_tag(image)
            if not image:
                findings.append(Finding("container has no image", ref(obj), f"containers[{c.get('name')}].image"))
            elif tag is None:
                findings.append(
                    Finding(f"image {image} has no tag (means latest)", ref(obj), f"containers[{c.get('name')}].image")
                )
            elif tag == "latest":
                findings.append(
                    Finding(f"image {image} uses the latest tag", ref(obj), f"containers[{c.get('name')}].image")
                )
    return verdict("SEC-4", findings, {"images": images})


@check("SEC-6")
def minio_unprivileged(snap: Snapshot) -> Verdict:
    sts = minio_statefulset(snap.objects)
    if sts is None:
        return verdict("SEC-6", [missing_statefulset()])
    container = minio_container(sts)
    if container is None:
        return verdict("SEC-6", [missing_container(ref(sts))])
    r = ref(sts)
    findings = []
    sc = container.get("securityContext") or {}
    if sc.get("allowPrivilegeEscalation") is not False:
        findings.append(
            Finding(
                f"allowPrivilegeEscalation is {sc.get('allowPrivilegeEscalation')!r}; it must be false",
                r,
                "containers[minio].securityContext.allowPrivilegeEscalation",
            )
        )
    if sc.get("privileged"):
        findings.append(Finding("container is privileged", r, "containers[minio].securityContext.privileged"))
    added = dig(sc, "capabilities", "add", default=[])
    if added:
        findings.append(Finding(f"adds capabilities {added}", r, "containers[minio].securityContext.capabilities.add"))
    spec = dig(sts, "spec", "template", "spec", default={})
    for flag in ("hostPID", "hostNetwork", "hostIPC"):
        if spec.get(flag):
            findings.append(Finding(f"{flag} is true", r, f"spec.template.spec.{flag}"))
    return verdict("SEC-6", findings, {"securityContext": sc})
