"""UPG: applying a head manifest set onto a running base deployment that holds data.

Pure judges over what a rollout recorded (`RolloutRecord`): the apply's answer, every
change of every MinIO pod's state, each S3 probe attempt, the claims before and after,
and a SHA-256 read-back of the data set. The same judges run on recorded rollouts in
the unit tests. Quorum predictions come from the erasure-coding table
(`minio_conformance.durability.expect`), never written per case.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from minio_conformance.checks.common import minio_container, minio_statefulset, ordinal
from minio_conformance.durability import INTACT, Expectation, expect
from minio_conformance.names import DOCUMENTED, Names
from minio_conformance.objects import dig, maps
from minio_conformance.verdict import Finding, Status, Verdict, not_applicable, verdict

# Fields of a StatefulSet's spec the API lets an update change; any other difference is refused.
MUTABLE_STATEFULSET_FIELDS = frozenset(
    {"replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}
)
# How long a service predicted to stay up may go without one successful request: the S3 SDKs'
# default read timeout (boto3: 60 s). While a pod is replaced, reads were seen to stall for up to
# 27 s on 4 drives with quorum intact (the peers logging i/o timeouts dialling the replaced pod);
# a client with default settings still gets its answer. Longer than this, such a client sees an
# outage that quorum does not explain. The probes start attempts at a fixed rate whatever earlier
# ones are doing (fixtures/upgrade.py), so one request stuck on a connection to a replaced pod is
# one failed attempt, not a stretch without attempts.
SERVICE_GAP_TOLERANCE_S = 60.0


@dataclass(frozen=True)
class PodState:
    """One MinIO pod as seen at `t` seconds after the apply (recorded only when it changed)."""

    t: float
    pod: str
    uid: str
    revision: str
    ready: bool
    deleting: bool = False
    node: str | None = None


@dataclass(frozen=True)
class Attempt:
    """One S3 probe request through the NodePort: when it started (s after the apply), what it got."""

    t: float
    op: str  # "read" or "write"
    outcome: str  # "ok", or the S3 error code / transport error
    seconds: float


@dataclass(frozen=True)
class Placement:
    """Where a claim's data lives: its PV and the node that PV is pinned to."""

    claim: str
    volume: str | None
    node: str | None


@dataclass
class RolloutRecord:
    """Everything one direction of an upgrade (base -> head, or back) recorded, as plain data."""

    direction: str  # "upgrade" or "rollback"
    replicas: int
    base_statefulset: Mapping[str, Any]
    head_statefulset: Mapping[str, Any]
    accepted: bool
    apply_output: str  # kubectl's answer (redacted), kept whole for the refusal's wording
    from_revision: str
    to_revision: str
    wait_s: float  # the bounded wait given to the rollout
    timed_out: bool
    states: list[PodState] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    placements_before: list[Placement] = field(default_factory=list)
    placements_after: list[Placement] = field(default_factory=list)
    readback: dict[str, str] = field(default_factory=dict)  # object key -> INTACT, "corrupt" or the error
    rollout_end_s: float | None = None
    statefulset: str = DOCUMENTED.statefulset  # its name: the team's (gate config) or the documented one
    container: str = DOCUMENTED.container  # MinIO's container in it, named the same way

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> RolloutRecord:
        data = dict(raw)
        data["states"] = [PodState(**s) for s in data.get("states", [])]
        data["attempts"] = [Attempt(**a) for a in data.get("attempts", [])]
        data["placements_before"] = [Placement(**p) for p in data.get("placements_before", [])]
        data["placements_after"] = [Placement(**p) for p in data.get("placements_after", [])]
        return cls(**data)

    @property
    def drives(self) -> int:
        return self.replicas

    @property
    def partition(self) -> int:
        return int(dig(self.head_statefulset, "spec", "updateStrategy", "rollingUpdate", "partition", default=0) or 0)

    @property
    def template_changed(self) -> bool:
        return bool(self.from_revision and self.to_revision and self.from_revision != self.to_revision)

    @property
    def sts_ref(self) -> str:
        return f"StatefulSet {self.statefulset}"

    def pods(self) -> list[str]:
        return [f"{self.statefulset}-{i}" for i in range(self.replicas)]

    def final(self) -> dict[str, PodState]:
        """The last state seen of each pod."""
        last: dict[str, PodState] = {}
        for s in self.states:
            last[s.pod] = s
        return last


def _prefixed(prefix: str, findings: Iterable[Finding]) -> list[Finding]:
    return [Finding(f"{prefix}{f.message}", f.object_ref, f.path) for f in findings]


# --- UPG-1: accepted, and the rollout completes ---------------------------------------------------


def refused_fields(base_sts: Mapping[str, Any], head_sts: Mapping[str, Any]) -> list[str]:
    """The StatefulSet spec fields head changes that the API refuses to update."""
    base_spec, head_spec = dig(base_sts, "spec", default={}), dig(head_sts, "spec", default={})
    return [
        f"spec.{key}"
        for key in sorted(set(base_spec) | set(head_spec))
        if key not in MUTABLE_STATEFULSET_FIELDS and base_spec.get(key) != head_spec.get(key)
    ]


def judge_applied(rec: RolloutRecord) -> Verdict:
    """UPG-1: the API accepted the apply and every pod ends on the new template, Ready."""
    findings: list[Finding] = []
    evidence: dict[str, Any] = {
        "direction": rec.direction,
        "accepted": rec.accepted,
        "from revision": rec.from_revision,
        "to revision": rec.to_revision,
        "rollout wait s": rec.wait_s,
    }
    if not rec.accepted:
        fields = refused_fields(rec.base_statefulset, rec.head_statefulset)
        what = ", ".join(fields) if fields else "a field the API refused (see its answer)"
        findings.append(
            Finding(f"the API refused the apply: {rec.sts_ref} changes immutable {what}", rec.sts_ref, ",".join(fields))
        )
        evidence["refused fields"] = fields
        evidence["API answer"] = rec.apply_output[-2000:]
        return verdict("UPG-1", findings, evidence)
    final = rec.final()
    evidence["final pods"] = {p: asdict(s) for p, s in sorted(final.items())}
    if not rec.states:
        findings.append(Finding("nothing observed: no pod state was recorded after the apply", "Pod"))
    for pod in rec.pods():
        state = final.get(pod)
        if state is None or state.deleting:
            findings.append(Finding("does not exist at the end of the rollout", f"Pod {pod}"))
            continue
        if rec.to_revision and state.revision != rec.to_revision:
            held = f" (partition {rec.partition} holds it back)" if ordinal(pod) < rec.partition else ""
            findings.append(
                Finding(f"still on revision {state.revision}, not the head's {rec.to_revision}{held}", f"Pod {pod}")
            )
        if not state.ready:
            findings.append(Finding("not Ready at the end of the rollout", f"Pod {pod}"))
    if rec.timed_out:
        findings.append(Finding(f"the rollout did not finish within {rec.wait_s:.0f} s", rec.sts_ref))
    if rec.partition > 0:
        findings.append(
            Finding(
                f"updateStrategy.rollingUpdate.partition is {rec.partition}: ordinals below it never get the head "
                "template, so the rollout cannot complete",
                rec.sts_ref,
                "spec.updateStrategy.rollingUpdate.partition",
            )
        )
    return verdict("UPG-1", findings, evidence)


# --- UPG-2: replacement order -----------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    pod: str
    down_s: float | None  # first seen gone, terminating or not Ready on the old revision
    up_s: float | None  # first seen Ready on the new revision


def replacements(rec: RolloutRecord) -> dict[str, Replacement]:
    """Per pod, when its old incarnation went and its new one was Ready (None: not seen)."""
    out: dict[str, Replacement] = {}
    for pod in rec.pods():
        seen = [s for s in rec.states if s.pod == pod]
        down = next(
            (s.t for s in seen if s.revision != rec.to_revision and (s.deleting or not s.ready)),
            None,
        )
        if down is None:  # deleted between two samples: the first sample of the new incarnation
            down = next((s.t for s in seen if s.revision == rec.to_revision and s.t > 0), None)
        up = next((s.t for s in seen if s.revision == rec.to_revision and s.ready and not s.deleting), None)
        out[pod] = Replacement(pod, down, up)
    return out


def judge_order(rec: RolloutRecord) -> Verdict:
    """UPG-2: highest ordinal first, one at a time, each Ready before the next goes; a partition holds the rest."""
    if not rec.accepted:
        return not_applicable("UPG-2", "the apply was refused: nothing rolled out (UPG-1 says why)")
    if not rec.template_changed:
        return not_applicable("UPG-2", "the head does not change the pod template: no pod is replaced")
    reps = replacements(rec)
    findings: list[Finding] = []
    due = sorted((p for p in rec.pods() if ordinal(p) >= rec.partition), key=ordinal, reverse=True)
    held = [p for p in rec.pods() if ordinal(p) < rec.partition]
    for pod in held:
        if reps[pod].up_s is not None or any(s.pod == pod and s.revision == rec.to_revision for s in rec.states):
            findings.append(Finding(f"got the head template although partition {rec.partition} holds it", f"Pod {pod}"))
    gone = [p for p in due if reps[p].down_s is not None]
    observed = sorted(gone, key=lambda p: (reps[p].down_s, -ordinal(p)))
    if observed != gone:
        findings.append(
            Finding(f"pods were replaced in the order {observed}, expected highest ordinal first {due}", rec.sts_ref)
        )
    for earlier, later in itertools.pairwise(due):
        up, down = reps[earlier].up_s, reps[later].down_s
        if down is not None and (up is None or down < up):
            when = f"{up:.1f} s" if up is not None else "never"
            findings.append(
                Finding(
                    f"{later} was taken down at {down:.1f} s, before {earlier} was Ready on the head ({when})",
                    f"Pod {later}",
                )
            )
    if not gone:
        findings.append(Finding("nothing observed: no pod was seen being replaced", "Pod"))
    return verdict(
        "UPG-2",
        findings,
        {
            "direction": rec.direction,
            "partition": rec.partition,
            "expected order": due,
            "replacements s": {p: asdict(r) for p, r in reps.items()},
        },
    )


# --- UPG-3: data and claims -----------------------------------------------------------------------


def served_paths(sts: Mapping[str, Any]) -> list[str]:
    """The drive paths the MinIO server arguments name (`/data`, or the path of each URL)."""
    containers = dig(sts, "spec", "template", "spec", "containers", default=[])
    paths: list[str] = []
    for container in containers:
        for arg in list(container.get("command") or []) + list(container.get("args") or []):
            if not isinstance(arg, str):
                continue
            if arg.startswith("/"):
                paths.append(arg)
            elif "://" in arg:
                rest = arg.split("://", 1)[1]
                if "/" in rest:
                    paths.append("/" + rest.split("/", 1)[1])
    return sorted(set(paths))


def claim_mounts(sts: Mapping[str, Any]) -> list[str]:
    """Where the containers mount a volume backed by one of the StatefulSet's claim templates."""
    claims = {dig(t, "metadata", "name") for t in dig(sts, "spec", "volumeClaimTemplates", default=[])}
    mounts: list[str] = []
    for container in dig(sts, "spec", "template", "spec", "containers", default=[]):
        for mount in container.get("volumeMounts") or []:
            if mount.get("name") in claims and isinstance(mount.get("mountPath"), str):
                mounts.append(mount["mountPath"].rstrip("/") or "/")
    return sorted(set(mounts))


def _under(path: str, mount: str) -> bool:
    return path == mount or path.startswith(mount.rstrip("/") + "/")


def judge_data(rec: RolloutRecord) -> Verdict:
    """UPG-3: every object reads back byte-identical; claims keep their PV and node; the drives stay on them."""
    findings: list[Finding] = []
    if not rec.readback:
        findings.append(Finding("nothing observed: no object was read back after the rollout", "S3"))
    failed: dict[str, list[str]] = {}
    for key, outcome in sorted(rec.readback.items()):
        if outcome != INTACT:
            failed.setdefault(outcome, []).append(key)
    for outcome, keys in sorted(failed.items()):  # one line per way of failing, not one per object
        shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        findings.append(
            Finding(
                f"{len(keys)} of {len(rec.readback)} object(s) read back {outcome} after the rollout: {shown}", "S3"
            )
        )
    before = {p.claim: p for p in rec.placements_before}
    after = {p.claim: p for p in rec.placements_after}
    if not before:
        findings.append(Finding("nothing observed: no claim was recorded before the apply", "PersistentVolumeClaim"))
    for claim, was in sorted(before.items()):
        now = after.get(claim)
        if now is None:
            findings.append(Finding("is gone after the rollout", f"PersistentVolumeClaim {claim}"))
        elif (now.volume, now.node) != (was.volume, was.node):
            findings.append(
                Finding(
                    f"was bound to {was.volume} on {was.node}, now {now.volume} on {now.node}",
                    f"PersistentVolumeClaim {claim}",
                )
            )
    for claim in sorted(set(after) - set(before)):
        findings.append(
            Finding("is new after the rollout: the pods now write to another volume", f"PersistentVolumeClaim {claim}")
        )
    served, mounts = served_paths(rec.head_statefulset), claim_mounts(rec.head_statefulset)
    if rec.accepted:
        for path in served:
            if not any(_under(path, m) for m in mounts):
                findings.append(
                    Finding(
                        f"MinIO serves {path}, which no claim is mounted at (claim mounts: {mounts or 'none'}): "
                        "its data lands on the container's filesystem, not on the PersistentVolume",
                        rec.sts_ref,
                        f"spec.template.spec.containers[{rec.container}].volumeMounts",
                    )
                )
    intact = sum(1 for v in rec.readback.values() if v == INTACT)
    return verdict(
        "UPG-3",
        findings,
        {
            "direction": rec.direction,
            "objects read back": len(rec.readback),
            "intact": intact,
            "claims before": {c: asdict(p) for c, p in sorted(before.items())},
            "claims after": {c: asdict(p) for c, p in sorted(after.items())},
            "served paths": served,
            "claim mounts": mounts,
        },
    )


# --- UPG-4: availability as quorum predicts --------------------------------------------------------


@dataclass(frozen=True)
class PhaseStats:
    attempts: int
    succeeded: int
    longest_gap_s: float  # the longest stretch without a success, edges of the phase included

    @property
    def ratio(self) -> float | None:
        return round(self.succeeded / self.attempts, 4) if self.attempts else None


def phase_stats(attempts: Sequence[Attempt], start: float, end: float) -> PhaseStats:
    """Successes and the longest interval without one, for attempts started in [start, end)."""
    inside = sorted((a for a in attempts if start <= a.t < end), key=lambda a: a.t)
    ok = sorted(a.t + a.seconds for a in inside if a.outcome == "ok")  # attempts overlap: by completion
    marks = [start, *ok, max(end, ok[-1] if ok else end)]
    gap = max((b - a for a, b in itertools.pairwise(marks)), default=0.0)
    return PhaseStats(len(inside), len(ok), round(gap, 2))


def phases(rec: RolloutRecord) -> dict[str, tuple[float, float]]:
    """before the apply, the rollout (the apply to the last pod Ready on the new revision), after it.

    The phases tile the record: every attempt falls into exactly one of them.
    """
    first = min((a.t for a in rec.attempts), default=0.0)
    last = max((a.t + a.seconds for a in rec.attempts), default=0.0)
    ups = [r.up_s for r in replacements(rec).values() if r.up_s is not None]
    end = max([rec.rollout_end_s or 0.0, *ups])
    return {"before": (min(first, 0.0), 0.0), "rollout": (0.0, end), "after": (end, max(last, end) + 1e-6)}


def availability(rec: RolloutRecord) -> dict[str, dict[str, dict[str, Any]]]:
    """Per phase and operation: attempts, successes, success ratio and longest gap (for the report)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for label, (start, end) in phases(rec).items():
        out[label] = {"window s": {"from": round(start, 2), "to": round(end, 2)}}
        for op in ("read", "write"):
            stats = phase_stats([a for a in rec.attempts if a.op == op], start, end)
            out[label][op] = {
                "attempts": stats.attempts,
                "succeeded": stats.succeeded,
                "success ratio": stats.ratio,
                "longest gap s": stats.longest_gap_s,
            }
    return out


def judge_availability(rec: RolloutRecord, tolerance_s: float = SERVICE_GAP_TOLERANCE_S) -> Verdict:
    """UPG-4: reads and writes during the rollout as quorum predicts for one pod down at a time."""
    if not rec.accepted:
        return not_applicable("UPG-4", "the apply was refused: nothing rolled out (UPG-1 says why)")
    exp: Expectation = expect(rec.drives, 1 if rec.template_changed else 0)
    stats = availability(rec)
    findings: list[Finding] = []
    for op in ("read", "write"):
        if not any(a.op == op for a in rec.attempts):
            findings.append(Finding(f"nothing observed: no {op} was attempted during the rollout", "S3"))
    predicted = {"read": exp.reads, "write": exp.writes}
    for label in ("rollout", "after"):
        for op, served in predicted.items():
            if label == "after":
                served = True  # once every pod is back, everything must be served again
            if not served:
                continue
            gap = stats[label][op]["longest gap s"]
            if stats[label][op]["attempts"] and gap > tolerance_s:
                findings.append(
                    Finding(
                        f"{op}s went {gap:.1f} s without success {label if label == 'after' else 'during'} the "
                        f"rollout{' ended' if label == 'after' else ''}; quorum predicts them served "
                        f"({exp.statement()}; tolerance {tolerance_s:.0f} s)",
                        "S3",
                    )
                )
    tail = sorted((a for a in rec.attempts if a.op == "read"), key=lambda a: a.t)[-3:]
    if tail and all(a.outcome != "ok" for a in tail):
        findings.append(Finding(f"the last reads still failed: {[a.outcome for a in tail]}", "S3"))
    notes = [f"one pod down at a time: {exp.statement()}"]
    if not exp.writes:
        notes.append("writes may be refused while a pod is replaced; their gap is reported, not judged")
    if not exp.reads:
        notes.append("no redundancy: an outage while the only pod is replaced is expected; reads must resume after")
    return verdict(
        "UPG-4",
        findings,
        {
            "direction": rec.direction,
            "prediction": exp.statement(),
            "tolerance s": tolerance_s,
            "phases": stats,
            "failed attempts": [asdict(a) for a in rec.attempts if a.outcome != "ok"][:200],
        },
        notes=notes,
    )


# --- UPG-5: the way back --------------------------------------------------------------------------


def judge_rollback(rollback: RolloutRecord) -> Verdict:
    """UPG-5: re-applying base returns every pod to the base template with UPG-1..4's guarantees.

    "The base template" is what applying the base set makes the controller's update revision
    (UPG-1 on this record). It is not compared with the revision the pods ran before the upgrade:
    a change made to the live object outside the files (a patch) is rightly undone by the rollback.
    """
    parts = [judge_applied(rollback), judge_order(rollback), judge_data(rollback), judge_availability(rollback)]
    findings: list[Finding] = []
    for part in parts:
        if part.status is Status.FAILED:
            findings += _prefixed(f"rolling back ({part.requirement}): ", part.findings)
    return verdict(
        "UPG-5",
        findings,
        {p.requirement: {"status": p.status.value, **dict(p.evidence)} for p in parts},
        notes=[f"{p.requirement}: {'; '.join(p.notes)}" for p in parts if p.notes],
    )


UPGRADE_JUDGES = {"UPG-1": judge_applied, "UPG-2": judge_order, "UPG-3": judge_data, "UPG-4": judge_availability}


# --- the MinIO version each side runs ---------------------------------------------------------------


def minio_image(sts: Mapping[str, Any], names: Names = DOCUMENTED) -> str:
    """The image of a StatefulSet's MinIO container (named as `names` says, else the first); '' when none."""
    containers = maps(dig(sts, "spec", "template", "spec", "containers"))
    chosen = minio_container(sts, names) or (containers[0] if containers else {})
    image = chosen.get("image")
    return image if isinstance(image, str) else ""


def image_tag(image: str) -> str:
    """`prefix/minio:TAG` -> TAG (the MinIO release); the whole reference when it has no tag."""
    ref = image.split("@", 1)[0]
    _, sep, tag = ref.rpartition(":")
    return tag if sep and tag and "/" not in tag else image


def version_change(base_image: str, head_image: str) -> str | None:
    """`MinIO version change: A -> B` when base and head run different MinIO images, else None.

    A and B are the images' tags (MinIO's release names), or the whole references when the tags
    alone do not tell the two apart.
    """
    if not base_image or not head_image or base_image == head_image:
        return None
    a, b = image_tag(base_image), image_tag(head_image)
    if a == b:
        a, b = base_image, head_image
    return f"MinIO version change: {a} -> {b}"


# --- heads the scenario proves itself with --------------------------------------------------------

Obj = dict[str, Any]
ROLLED_ANNOTATION = "minio-conformance.io/upgrade-head"


def _statefulset(objects: list[Obj], names: Names) -> Obj:
    """The set's MinIO StatefulSet (the object itself, to be changed in place)."""
    found = minio_statefulset(objects, names)
    if found is None:
        raise LookupError(f"no StatefulSet {names.statefulset} in the head set")
    return next(o for o in objects if o is found)


def _minio_container(sts: Obj, names: Names) -> Obj:
    containers: list[Obj] = sts["spec"]["template"]["spec"]["containers"]
    return next((c for c in containers if c.get("name") == names.container), containers[0])


def force_rollout(objects: list[Obj], stamp: str, names: Names = DOCUMENTED) -> None:
    """A pod-template annotation: changes nothing MinIO sees, but every pod must be replaced."""
    meta = _statefulset(objects, names)["spec"]["template"].setdefault("metadata", {})
    meta["annotations"] = {**(meta.get("annotations") or {}), ROLLED_ANNOTATION: stamp}


def _rename_claim_template(objects: list[Obj], names: Names) -> None:
    sts = _statefulset(objects, names)
    template = sts["spec"]["volumeClaimTemplates"][0]
    old = template["metadata"]["name"]
    template["metadata"]["name"] = f"{old}-v2"
    for mount in _minio_container(sts, names).get("volumeMounts") or []:
        if mount.get("name") == old:
            mount["name"] = f"{old}-v2"


def _parallel_pods(objects: list[Obj], names: Names) -> None:
    _statefulset(objects, names)["spec"]["podManagementPolicy"] = "Parallel"


def _move_mount(objects: list[Obj], names: Names) -> None:
    """Every mount of a claim template moved to a path MinIO does not serve (`/export`, or `/export-moved`)."""
    sts = _statefulset(objects, names)
    served = served_paths(sts)
    moved = next(p for p in ("/export", "/export-moved") if not any(_under(s, p) for s in served))
    claims = {dig(t, "metadata", "name") for t in dig(sts, "spec", "volumeClaimTemplates", default=[])}
    for mount in _minio_container(sts, names).get("volumeMounts") or []:
        if mount.get("name") in claims:
            mount["mountPath"] = moved


def _leave_partition(objects: list[Obj], names: Names) -> None:
    sts = _statefulset(objects, names)
    replicas = int(sts["spec"].get("replicas") or 1)
    sts["spec"]["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": max(replicas - 1, 1)}}


@dataclass(frozen=True)
class HeadVariant:
    """A head derived from the head set: one that must pass, or a break that one UPG ID must catch."""

    id: str
    description: str
    catches: str | None
    change: Any  # Callable[[list[Obj], Names], None]; Any keeps the dataclass hashable and simple
    forces_rollout: bool = True


HEAD_VARIANTS: tuple[HeadVariant, ...] = (
    HeadVariant(
        "renamed-claim-template",
        "volumeClaimTemplates[0] renamed (e.g. data -> data-v2): the pods would get new, empty claims",
        "UPG-1",
        _rename_claim_template,
    ),
    HeadVariant(
        "pod-management-parallel",
        "podManagementPolicy OrderedReady -> Parallel (immutable)",
        "UPG-1",
        _parallel_pods,
    ),
    HeadVariant(
        "partition-left-in-place",
        "updateStrategy.rollingUpdate.partition = replicas-1 left in the head: lower ordinals never update",
        "UPG-1",
        _leave_partition,
    ),
    HeadVariant(
        "mount-path-moved",
        "the data volume mounted at /export while MinIO still serves its drive path (e.g. /data): writes land on "
        "the container filesystem",
        "UPG-3",
        _move_mount,
    ),
)


def head_variant(
    variant: HeadVariant, head: Sequence[Mapping[str, Any]], stamp: str, names: Names = DOCUMENTED
) -> list[Obj]:
    """The head set with `variant` applied (and a forced rollout, so the break is exercised)."""
    import copy

    objects: list[Obj] = [copy.deepcopy(dict(o)) for o in head]
    if variant.forces_rollout:
        force_rollout(objects, stamp, names)
    variant.change(objects, names)
    return objects
