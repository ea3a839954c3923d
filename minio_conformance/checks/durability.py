"""EC, and PV-3 and STS-8 under loss: the judges of the durability scenarios (000 §2, §6; 001).

Each judges what one disruptive scenario recorded against what MinIO's erasure-coding rules
predict (`minio_conformance.durability.expect`): EC-1/EC-2 while pods are lost, EC-3 after
they return, EC-4 while a whole node is down. PV-3 (a recreated pod returns to its node, claim
and data) and STS-8 under node loss (the set stays ordered while minio-0's node is gone) sit
here rather than in `storage.py` and `statefulset.py` because they are judged in these
scenarios, on the same read passes and timelines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from minio_conformance.durability import Expectation, Observation, ReadPass
from minio_conformance.verdict import Finding, Verdict, verdict


def _nothing_read(reads: ReadPass | None, when: str) -> list[Finding]:
    """A verdict over an empty read pass proves nothing: say so instead of passing."""
    if reads is not None and not reads.results:
        return [Finding(f"nothing observed: no object was read {when}", "S3")]
    return []


def judge_degraded(req_id: str, exp: Expectation, obs: Observation, timeline: Mapping[str, float]) -> Verdict:
    """Reads, writes and MinIO's own quorum health must all match the expectation, refusals included."""
    findings = _nothing_read(obs.reads, "during the outage")
    if exp.reads:
        for key, outcome in obs.reads.failed.items():
            findings.append(Finding(f"read of {key} failed with {exp.lost} lost: {outcome}", "S3"))
    elif obs.reads.intact:
        findings.append(Finding(f"{len(obs.reads.intact)} object(s) were readable although read quorum is lost", "S3"))
    if exp.writes and obs.write != "ok":
        findings.append(Finding(f"write failed with {exp.lost} lost: {obs.write}", "S3"))
    if not exp.writes and obs.write == "ok":
        findings.append(Finding("write succeeded although write quorum is lost", "S3"))
    for kind_, wanted in (("write", exp.writes), ("read", exp.reads)):
        status = obs.health.get(kind_)
        if wanted and status != 200:
            findings.append(Finding(f"cluster {kind_}-quorum health answered {status!r}, expected 200", "MinIO health"))
        if not wanted and status == 200:
            findings.append(
                Finding(f"cluster {kind_}-quorum health answered 200 although {kind_} quorum is lost", "MinIO health")
            )
    return verdict(
        req_id,
        findings,
        {
            "expected": exp.statement(),
            "reads": obs.reads.summary(),
            "write": obs.write,
            "quorum health": dict(obs.health),
            "timeline s": dict(timeline),
        },
        notes=[exp.statement()],
    )


def judge_recovered(
    req_id: str,
    drives_online: int,
    drives: int,
    write: str,
    reads: ReadPass,
    timeline: Mapping[str, float],
    failed_writes: Sequence[str] = (),
) -> Verdict:
    """EC-3: all drives online again, writes succeed, every object intact.

    `write` is the last write attempt of a bounded recovery wait; `failed_writes` are the
    attempts before it, kept as evidence of how recovery went.
    """
    findings = _nothing_read(reads, "after recovery")
    if drives_online != drives:
        findings.append(Finding(f"{drives_online} of {drives} drive(s) online after recovery", "MinIO"))
    if write != "ok":
        findings.append(Finding(f"write after recovery failed: {write}", "S3"))
    for key, outcome in reads.failed.items():
        findings.append(Finding(f"{key} after recovery: {outcome}", "S3"))
    return verdict(
        req_id,
        findings,
        {
            "drives online": drives_online,
            "drives": drives,
            "write": write,
            "write attempts refused before recovery": list(failed_writes),
            "reads": reads.summary(),
            "timeline s": dict(timeline),
        },
    )


def and_recovered(during: Verdict, after: Verdict) -> Verdict:
    """One verdict for an outage and what followed it: fails when either part has findings.

    The recovery's findings are prefixed "after the outage" and its evidence is kept under
    that key, so an auditor sees which half of the scenario went wrong.
    """
    findings = list(during.findings) + [
        Finding(f"after the outage: {f.message}", f.object_ref, f.path) for f in after.findings
    ]
    return verdict(
        during.requirement,
        findings,
        {**during.evidence, "after the outage": dict(after.evidence)},
        notes=during.notes,
    )


def judge_same_place(
    req_id: str, before: Mapping[str, str], after: Mapping[str, str], reads: ReadPass, timeline: Mapping[str, float]
) -> Verdict:
    """PV-3: a recreated pod comes back on the same node, with the same claim and PV, data intact."""
    findings = _nothing_read(reads, "after the pod returned")
    findings += [
        Finding(f"{k} was {before.get(k)!r}, now {after.get(k)!r}", "Pod")
        for k in sorted(before)
        if before.get(k) != after.get(k)
    ]
    for key, outcome in reads.failed.items():
        findings.append(Finding(f"{key}: {outcome}", "S3"))
    return verdict(
        req_id,
        findings,
        {"before": dict(before), "after": dict(after), "reads": reads.summary(), "timeline s": dict(timeline)},
    )


def judge_pinned(
    req_id: str,
    node: str,
    placements: Sequence[str | None],
    reads: ReadPass | None,
    exp: Expectation,
    timeline: Mapping[str, float],
) -> Verdict:
    """EC-4: while its node is down the pod is never placed elsewhere; reads are served as predicted."""
    findings = [
        Finding(f"pod was placed on {p} while its node {node} was down", "Pod")
        for p in sorted({p for p in placements if p and p != node})
    ]
    if not placements:
        findings.append(Finding(f"nothing observed: the pod's placement was never read while {node} was down", "Pod"))
    findings += _nothing_read(reads, f"while {node} was down")
    if reads is not None and exp.reads:
        for key, outcome in reads.failed.items():
            findings.append(Finding(f"read of {key} failed while {node} was down: {outcome}", "S3"))
    if reads is not None and not exp.reads and reads.intact:
        findings.append(
            Finding(
                f"{len(reads.intact)} object(s) were readable while {node} was down although read quorum is lost", "S3"
            )
        )
    return verdict(
        req_id,
        findings,
        {
            "node down": node,
            "placements seen": sorted({str(p) for p in placements}),
            "reads": reads.summary() if reads else None,
            "expected": exp.statement(),
            "timeline s": dict(timeline),
        },
        notes=[exp.statement()],
    )


@dataclass(frozen=True)
class SetSample:
    """One look at the StatefulSet while the node of minio-0 is lost."""

    t: float  # seconds since the later pod was deleted
    first_node: str | None  # where minio-0 is placed (None: not scheduled)
    first_ready: bool
    peer_present: bool  # the deleted later pod exists again


def judge_ordered_outage(
    req_id: str, lost_node: str, peer: str, samples: Sequence[SetSample], timeline: Mapping[str, float]
) -> Verdict:
    """STS-8 under node loss: minio-0 stays pinned, and no later pod is created while minio-0 is not Ready.

    This is the known way an OrderedReady StatefulSet with node-pinned volumes gets stuck:
    the verdict says plainly how long the set stayed blocked.
    """
    findings = [
        Finding(f"minio-0 was placed on {n} while its node {lost_node} was down", "Pod")
        for n in sorted({s.first_node for s in samples if s.first_node and s.first_node != lost_node})
    ]
    early = sorted(s.t for s in samples if s.peer_present and not s.first_ready)
    if early:
        findings.append(
            Finding(
                f"{peer} was recreated {early[0]:.0f} s after its deletion while minio-0 was not Ready", "StatefulSet"
            )
        )
    if not samples:
        findings.append(Finding("nothing observed: the StatefulSet was never sampled during the outage", "StatefulSet"))
    watched = max((s.t for s in samples), default=0.0)
    back = sorted(s.t for s in samples if s.peer_present)
    blocked = bool(samples) and not findings and not back
    notes = []
    if blocked:
        notes.append(
            f"While {lost_node} was down, {peer} was not recreated for the {watched:.0f} s watched: with OrderedReady "
            "and volumes pinned to nodes, the StatefulSet restores no later pod until minio-0's node returns."
        )
    elif back and not findings:
        notes.append(f"{peer} came back {back[0]:.0f} s after its deletion, once minio-0 was Ready again.")
    return verdict(
        req_id,
        findings,
        {
            "lost node": lost_node,
            "deleted later pod": peer,
            "watched s": round(watched, 1),
            "minio-0 placements seen": sorted({str(s.first_node) for s in samples}),
            "minio-0 Ready seen": any(s.first_ready for s in samples),
            "later pod recreated during outage at s": early,
            "set blocked": blocked,
            "timeline s": dict(timeline),
        },
        notes=notes,
    )
