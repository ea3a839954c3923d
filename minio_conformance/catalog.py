"""The requirement catalog: every promise the documented deployment makes.

The IDs, tiers, severities, statements and sources are read from `requirements.md`,
shipped inside this package (a verbatim copy of the product owner's requirements
file), so the catalog works wherever the package is installed. That file digests the
design documents (000 is the step-by-step deployment; 001 StatefulSet semantics; 004
security practice).

Format: after the first `## ` heading, every bullet line is one requirement,
`- ID [tier(, advisory)] statement`; its source is the document reference in the
parenthesis that ends the enclosing heading (`## Step 5 - ... (000 §5)` -> `000 §5`;
`## Operations practice (001, advisory unless ...)` -> `001`). Other lines are prose.
A line that breaks the format fails the import with a message naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources


class Tier(StrEnum):
    STATIC = "static"
    LIVE = "live"
    DISRUPTIVE = "disruptive"


class Severity(StrEnum):
    REQUIRED = "required"
    ADVISORY = "advisory"


@dataclass(frozen=True)
class Requirement:
    id: str
    statement: str
    source: str
    tier: Tier
    severity: Severity = Severity.REQUIRED

    @property
    def family(self) -> str:
        return self.id.split("-", 1)[0]


REQUIREMENTS_FILE = "requirements.md"


class RequirementsFormatError(ValueError):
    """The requirements file breaks the format; the message names the file and line."""


_HEADING = re.compile(r"^## (?P<title>.*)$")
_HEADING_SOURCE = re.compile(r"\((?P<refs>[^()]*)\)\s*$")
_DOCUMENT_REF = re.compile(r"^(?P<ref>\d{3}(?:\s+§\S+)?)(?:\s|$)")
_SECTION_REF = re.compile(r"^§\S+$")
_REQUIREMENT = re.compile(r"^- (?P<id>[A-Z]+-\d+) \[(?P<tags>[^\]]*)\] (?P<statement>\S.*)$")
_ADVISORY = "advisory"


def heading_source(title: str) -> str | None:
    """The document references in the parenthesis that ends a heading, or None when it names none.

    `Step 8 - StatefulSet (000 §8, 001)` -> `000 §8, 001`; prose after a reference is dropped
    (`(001, advisory unless ...)` -> `001`, `(001 update strategy ...; 004 rolling update)` -> `001, 004`).
    """
    found = _HEADING_SOURCE.search(title)
    if found is None:
        return None
    refs: list[str] = []
    for part in re.split(r"[,;]", found["refs"]):
        part = part.strip()
        if doc := _DOCUMENT_REF.match(part):
            refs.append(doc["ref"])
        elif refs and _SECTION_REF.match(part):  # `000 §2, §8`: another section of the same document
            refs.append(part)
    return ", ".join(refs) or None


def _malformed(where: str, line: str, why: str) -> RequirementsFormatError:
    return RequirementsFormatError(f"{where}: {why}: {line!r}")


def parse_requirements(text: str, origin: str = REQUIREMENTS_FILE) -> tuple[Requirement, ...]:
    """Every requirement of a requirements file, in file order (see the module docstring for the format)."""
    found: dict[str, Requirement] = {}
    in_sections = False
    source: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        where = f"{origin} line {lineno}"
        if heading := _HEADING.match(line):
            in_sections = True
            source = heading_source(heading["title"])
            continue
        if not in_sections or not line.startswith("- "):
            continue
        entry = _REQUIREMENT.match(line)
        if entry is None:
            raise _malformed(where, line, "not a requirement line of the form '- ID [tier(, advisory)] statement'")
        tier_word, *extra = (t.strip() for t in entry["tags"].split(","))
        try:
            tier = Tier(tier_word)
        except ValueError:
            raise _malformed(where, line, f"unknown tier {tier_word!r} (expected one of {', '.join(Tier)})") from None
        if extra not in ([], [_ADVISORY]):
            raise _malformed(where, line, f"unknown tag {', '.join(extra)!r} (only {_ADVISORY!r} may follow the tier)")
        if source is None:
            raise _malformed(where, line, "its '## ...' heading names no source document in a closing parenthesis")
        req_id = entry["id"]
        if req_id in found:
            raise _malformed(where, line, f"{req_id} is listed twice")
        found[req_id] = Requirement(
            req_id,
            entry["statement"].strip(),
            source,
            tier,
            Severity.ADVISORY if extra else Severity.REQUIRED,
        )
    if not found:
        raise RequirementsFormatError(f"{origin}: no requirement lines found")
    return tuple(found.values())


def packaged_requirements_text() -> str:
    """The requirements file shipped in this package."""
    return resources.files("minio_conformance").joinpath(REQUIREMENTS_FILE).read_text(encoding="utf-8")


_REQUIREMENTS: tuple[Requirement, ...] = parse_requirements(packaged_requirements_text())

CATALOG: dict[str, Requirement] = {r.id: r for r in _REQUIREMENTS}


def requirement(req_id: str) -> Requirement:
    try:
        return CATALOG[req_id]
    except KeyError:
        raise KeyError(f"unknown requirement ID {req_id!r}") from None


def by_tier(tier: Tier) -> list[Requirement]:
    return [r for r in _REQUIREMENTS if r.tier is tier]


@dataclass(frozen=True)
class Decision:
    """A choice made where the documents disagree, leave a gap, or do not work as written."""

    topic: str
    requirements: tuple[str, ...]
    choice: str
    why: str


DECISIONS: tuple[Decision, ...] = (
    Decision(
        "Credential Secret naming",
        ("SEC-2",),
        "Secret minio-credentials with keys accesskey/secretkey (000 §3); 001's minio-secret with "
        "root-user/root-password fails SEC-2 with a message naming the variant.",
        "000 is the primary specification.",
    ),
    Decision(
        "Credentials are never stored in manifests",
        ("SEC-2", "SEC-5"),
        "01-credentials-secret.yaml is a template with ${MINIO_ACCESS_KEY}/${MINIO_SECRET_KEY}; the "
        "deployer fills it with credentials generated per run (or given by the user).",
        "000 §3 creates the Secret from shell variables with --from-literal; a committed value "
        "would be a literal credential in a manifest.",
    ),
    Decision(
        "Storage-prep DaemonSet shape",
        ("PREP-1", "PREP-3"),
        "Adds namespace, selector and its own pod label app=minio-storage-prep; the container "
        "sleeps after preparing the directory.",
        "The documented snippet has no selector (the API rejects it); a container that exits is "
        "restarted forever by the DaemonSet; label app=minio would put host-network prep pods "
        "behind the MinIO Services.",
    ),
    Decision(
        "PV class and reclaim policy",
        ("PV-1", "STO-1"),
        "PVs carry storageClassName minio-local-storage and persistentVolumeReclaimPolicy Retain.",
        "The documented PV has no class, so it would never bind to the claims of class "
        "minio-local-storage; Retain is the documented intent (000 §4).",
    ),
    Decision(
        "PVs pre-bound to their ordinal's claim",
        ("CLN-3", "PV-3", "PV-2"),
        "Each PV carries claimRef minio-system/data-minio-<i>, so minio-<i> always binds the PV (and the data) "
        "on the i-th schedulable node.",
        "Observed on a 4-node kind cluster: after 000 §1's clean slate (namespace and PVs deleted, data retained on "
        "the nodes) the new claims bound to other nodes' PVs (data-minio-0 -> minio-pv-1, data-minio-1 -> "
        "minio-pv-3, ...); every server then logged 'Unable to use the drive ...: drive not found' and write quorum "
        "never returned within 180 s, so CLN-3 failed with the documented PVs.",
    ),
    Decision(
        "NodePort Service names",
        ("SVC-2",),
        "minio-api (9000 -> 30900) and minio-console (9001 -> 30901).",
        "000 §7 shows only the specs, without names.",
    ),
    Decision(
        "Headless Service publishes not-ready pods",
        ("SVC-1", "SVC-4"),
        "minio-headless sets publishNotReadyAddresses: true.",
        "Distributed MinIO pods must resolve their peers before the set forms and any of them is "
        "Ready; SVC-5 (endpoints of ready pods) is unaffected.",
    ),
    Decision(
        "Console address form",
        ("STS-2",),
        "`--console-address :9001` (000 §8); the `--console-address=:9001` form of 001 is accepted by the check.",
        "Both are the same flag to MinIO.",
    ),
    Decision(
        "Distributed endpoint port",
        ("STS-2", "TOP-3"),
        "Pod URLs without a port, as in 000 §8 (MinIO applies its own --address port); the check "
        "also accepts an explicit :9000.",
        "Both forms address the same server port.",
    ),
    Decision(
        "Graceful shutdown",
        ("OPS-2",),
        "terminationGracePeriodSeconds: 60, no preStop hook.",
        "001's preStop runs `mc admin service stop local/`, which stops every server of the "
        "deployment, not just the terminating pod, and needs mc and an alias in the image.",
    ),
    Decision(
        "PodDisruptionBudget budget",
        ("OPS-1",),
        "A PDB minio whose maxUnavailable is derived from the topology (annotation "
        "minio-conformance.io/derive): drives minus MinIO's write quorum (4 -> 1; 2 and 1 -> 0).",
        "001 recommends a PDB that respects quorum; 001's minAvailable: 3 only fits 4 pods.",
    ),
    Decision(
        "MinIO image",
        ("SEC-4",),
        "minio/minio:RELEASE.2025-09-07T16-13-09Z, the last release published as an image; offline "
        "runs override it with an image built from the MinIO Go module.",
        "000 names no image; 001 shows RELEASE.2023-10-16T04-13-43Z. MinIO stopped publishing "
        "images after September 2025.",
    ),
    Decision(
        "No fsGroup",
        ("PREP-2", "STS-3"),
        "The pod securityContext sets runAsUser/runAsGroup 1000 and no fsGroup.",
        "With fsGroup, kubelet re-owns the local volume on every mount (group-writable, setgid), which "
        "undoes the 755 that 000 §5 prepares; the storage-prep DaemonSet already makes the directory 1000:1000.",
    ),
    Decision(
        "Resources",
        ("STS-6",),
        "requests 250m/512Mi, limits 1 CPU/2Gi.",
        "000 asks for limits without values; 001's requests (500m/1Gi) do not fit four pods and a "
        "control plane on a 2-core test machine.",
    ),
)
