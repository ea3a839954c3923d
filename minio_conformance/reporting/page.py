"""What the page and summary.json show, assembled from the matrix and the run metadata (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from minio_conformance.catalog import DECISIONS, Decision
from minio_conformance.reporting import charts, matrix_timings, mutation, upgrade
from minio_conformance.reporting.model import STATIC_LEG, Leg, Matrix, ResultRecord, Status, Verdict, leg_title
from minio_conformance.reporting.sources import ManifestsDigest

IMAGE_ROLES = (("node", "NODE_IMAGE"), ("minio", "MINIO_IMAGE"), ("helper", "HELPER_IMAGE"))


@dataclass(frozen=True)
class ImageRow:
    role: str
    name: str
    image_id: str
    source: str


@dataclass(frozen=True)
class RunRow:
    name: str
    phase: str
    started: str
    finished: str
    exit_status: str
    tests: int
    html: str | None
    junit: str | None
    markers: str


@dataclass(frozen=True)
class FailedStep:
    """The deploy step that failed in a leg (its deploy record's `failed_step`), as the leg's header shows it."""

    step: str
    requirements: tuple[str, ...]
    message: str
    evidence: tuple[tuple[str, str], ...]


def node_mapping(deploy: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """A concrete set's nodes mapped onto the cluster's at deploy time (the deploy record's `node_mapping`)."""
    raw = deploy.get("node_mapping")
    if not isinstance(raw, Mapping):
        return ()
    return tuple((str(k), str(v)) for k, v in sorted(raw.items(), key=lambda kv: str(kv[0])))


def deployed_names(deploy: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """The team's names that differ from 000's (the deploy record's `names`): (field, documented, deployed)."""
    raw = deploy.get("names")
    if not isinstance(raw, Mapping):
        return ()
    out = []
    for key, pair in sorted(raw.items(), key=lambda kv: str(kv[0])):
        if isinstance(pair, list) and len(pair) == 2:
            out.append((str(key), str(pair[0]), str(pair[1])))
    return tuple(out)


def failed_step(deploy: Mapping[str, Any]) -> FailedStep | None:
    raw = deploy.get("failed_step")
    if not isinstance(raw, Mapping):
        return None
    evidence = raw.get("evidence")
    return FailedStep(
        step=_str(raw.get("step"), "unnamed step"),
        requirements=tuple(str(r) for r in raw.get("requirements") or []),
        message=_str(raw.get("message")),
        evidence=tuple((str(k), str(v)) for k, v in evidence.items()) if isinstance(evidence, Mapping) else (),
    )


@dataclass(frozen=True)
class LegMeta:
    key: str
    title: str
    runs: tuple[RunRow, ...]
    kubernetes: str
    nodes: tuple[str, ...]
    schedulable: tuple[str, ...]
    replicas: str
    node_counts: str
    deploy_error: str
    cluster: str
    left_out: str = ""  # why a partial profile has no results for this leg by design
    failed_step: FailedStep | None = None  # the deploy step that failed: the live tier could not observe the rest
    node_mapping: tuple[tuple[str, str], ...] = ()  # a concrete set's nodes -> this cluster's nodes (deploy time)
    names: tuple[tuple[str, str, str], ...] = ()  # the team's names that differ from 000's: field, 000's, deployed


@dataclass(frozen=True)
class Metadata:
    generated: str
    version: str
    revision: str
    kubernetes: str
    kind_version: str
    images: tuple[ImageRow, ...]
    legs: tuple[LegMeta, ...]
    manifests: tuple[ManifestsDigest, ...]
    images_env: str
    results_dirs: tuple[str, ...] = ()


@dataclass(frozen=True)
class LegTimings:
    leg: Leg
    durations: charts.Chart | None
    duration_rows: tuple[charts.ChartRow, ...]
    steps: tuple[tuple[str, float], ...]
    pods: tuple[charts.PodTiming, ...]
    pod_chart: charts.Chart | None
    all_ready_after_s: str


@dataclass(frozen=True)
class Report:
    matrix: Matrix
    verdict: Verdict
    meta: Metadata
    timings: tuple[LegTimings, ...]
    recoveries: tuple[charts.Recovery, ...]
    recovery_chart: charts.Chart | None
    decisions: tuple[Decision, ...]
    details: tuple[tuple[str, tuple[Any, ...]], ...]
    upgrades: tuple[upgrade.UpgradeSection, ...] = ()
    upgrade_unrecorded: tuple[str, ...] = ()  # legs whose UPG tests ran without an upgrade record
    mutation_runs: tuple[mutation.MutationRun, ...] = ()  # the live mutant runs (fixtures/mutants.py), per node count
    matrix_runs: tuple[matrix_timings.MatrixTimings, ...] = ()  # lanes and phase timings (fixtures/matrix.py)

    @property
    def upgrade_links(self) -> dict[str, str]:
        """Test anchor -> its upgrade section, for the test blocks; leg key -> its first section, for the legs."""
        links = {s.test.anchor: s.anchor for s in self.upgrades}
        for s in reversed(self.upgrades):
            links[f"leg-{s.leg}"] = s.anchor
        return links


def _str(value: Any, default: str = "") -> str:
    return default if value is None or value == "" else str(value)


def leg_meta(leg: Leg) -> LegMeta:
    deploy = leg.deploy or {}
    preflight = deploy.get("preflight") if isinstance(deploy.get("preflight"), Mapping) else {}
    counts = sorted({str(c) for run in leg.runs for c in run.data.get("node counts") or []}, key=_int)
    runs = tuple(
        RunRow(
            name=run.name,
            phase=run.phase,
            started=_str(run.data.get("started"), "?"),
            finished=_str(run.data.get("finished"), "?"),
            exit_status=_str(run.data.get("exit status"), "?"),
            tests=len(run.data.get("tests") or []),
            html=run.html,
            junit=run.junit,
            markers=_str(run.data.get("markers")),
        )
        for run in leg.runs
    )
    return LegMeta(
        key=leg.key,
        title=leg.title,
        runs=runs,
        kubernetes=_str((preflight or {}).get("server_version"), "not recorded" if leg.key != STATIC_LEG else "n/a"),
        nodes=tuple(str(n) for n in deploy.get("nodes") or []),
        schedulable=tuple(str(n) for n in deploy.get("schedulable") or []),
        replicas=_str(deploy.get("replicas")),
        node_counts=", ".join(counts),
        deploy_error=_str(deploy.get("error")),
        cluster=_str(deploy.get("cluster")),
        left_out="" if leg.planned else f"not part of the {leg.profile.name} profile",
        failed_step=failed_step(deploy),
        node_mapping=node_mapping(deploy),
        names=deployed_names(deploy),
    )


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 1 << 30


def image_rows(legs: Sequence[Leg], env: Mapping[str, str]) -> tuple[ImageRow, ...]:
    """Images the runs used (deploy records), with IDs from images.env when it describes the same image."""
    rows: list[ImageRow] = []
    for role, key in IMAGE_ROLES:
        used = []
        for leg in legs:
            images = (leg.deploy or {}).get("images")
            if isinstance(images, Mapping) and images.get(role) and str(images[role]) not in used:
                used.append(str(images[role]))
        built = env.get(key, "")
        built_id = env.get(f"{key}_ID", "")
        if not used and built:
            rows.append(ImageRow(role, built, built_id or "not recorded", "images.env (offline build)"))
        for name in used:
            same = name == built
            rows.append(
                ImageRow(
                    role,
                    name,
                    built_id if same and built_id else "not recorded",
                    "deploy record" + (" + images.env" if same and built_id else ""),
                )
            )
        if not used and not built:
            rows.append(ImageRow(role, "default of the manifests (no override recorded)", "not recorded", "-"))
    return tuple(rows)


def build_timings(legs: Sequence[Leg]) -> tuple[LegTimings, ...]:
    out = []
    for leg in legs:
        if not leg.ran:
            continue
        rows = charts.leg_durations(leg)
        deploy = leg.deploy
        pods = tuple(charts.pod_timings(deploy)) if deploy else ()
        pod_rows = charts.pod_rows(pods)
        out.append(
            LegTimings(
                leg=leg,
                durations=charts.layout(f"{leg.title}: durations", rows) if rows else None,
                duration_rows=tuple(rows),
                steps=tuple(charts.deploy_steps(deploy).items()) if deploy else (),
                pods=pods,
                pod_chart=charts.layout(f"{leg.title}: pods to Ready", pod_rows) if pod_rows else None,
                all_ready_after_s=_str((deploy or {}).get("all_ready_after_s"), "not recorded"),
            )
        )
    return tuple(out)


def build_report(
    matrix: Matrix,
    *,
    strict: bool,
    generated: str,
    version: str,
    revision: str,
    images_env: Mapping[str, str],
    images_env_path: str,
    manifests: Sequence[ManifestsDigest],
    results_dirs: Sequence[str] = (),
    mutation_runs: Sequence[mutation.MutationRun] = (),
    matrix_runs: Sequence[matrix_timings.MatrixTimings] = (),
) -> Report:
    legs = [leg_meta(leg) for leg in matrix.legs]
    versions = sorted({m.kubernetes for m in legs if m.key != STATIC_LEG and m.runs and m.kubernetes != "not recorded"})
    meta = Metadata(
        generated=generated,
        version=version,
        revision=revision,
        kubernetes=", ".join(versions) or "not recorded (no live leg recorded a deployment)",
        kind_version=images_env.get("KIND_VERSION") or "not recorded (no images.env)",
        images=image_rows(matrix.legs, images_env),
        legs=tuple(legs),
        manifests=tuple(manifests),
        images_env=images_env_path,
        results_dirs=tuple(results_dirs),
    )
    recoveries = tuple(charts.recoveries(matrix))
    titles = {leg.key: leg.title for leg in matrix.legs}
    rec_rows = charts.recovery_rows(recoveries, titles)
    details = tuple((row.requirement.id, row.cells) for row in matrix.rows)
    upgrades = upgrade.sections(matrix)
    return Report(
        matrix=matrix,
        verdict=mutation.judged(matrix.verdict(strict=strict), mutation_runs),
        meta=meta,
        timings=build_timings(matrix.legs),
        recoveries=recoveries,
        recovery_chart=charts.layout("Recovery after the fault", rec_rows) if rec_rows else None,
        decisions=DECISIONS,
        details=details,
        upgrades=upgrades,
        upgrade_unrecorded=upgrade.legs_without_record(matrix, upgrades),
        mutation_runs=tuple(mutation_runs),
        matrix_runs=tuple(matrix_runs),
    )


def _test_json(test: ResultRecord) -> dict[str, Any]:
    return {
        "nodeid": test.nodeid,
        "run": test.run,
        "outcome": test.outcome,
        "status": test.status.value,
        "message": test.message,
        "verdicts": [
            {
                "requirement": v.requirement,
                "status": v.status.value,
                "findings": [{"object_ref": f.object_ref, "path": f.path, "message": f.message} for f in v.findings],
                "notes": list(v.notes),
                "not_applicable_reason": v.not_applicable_reason,
                "waived_reason": v.waived_reason,
                "not_evaluated": v.not_evaluated,
            }
            for v in test.verdicts
        ],
        "anchor": test.anchor,
    }


def profile_json(verdict: Verdict) -> dict[str, Any]:
    """What the run set out to cover; for a partial run, its label and the requirements it did not evaluate."""
    profile = verdict.profile
    return {
        "name": profile.name,
        "partial": profile.partial,
        "label": profile.label or None,
        "ran": profile.ran or None,
        "not run": profile.not_run or None,
        "covers": None if profile.scope is None else {k: [t.value for t in v] for k, v in profile.scope.items()},
        "not evaluated": [
            {"id": n.id, "tier": n.tier.value, "severity": n.severity.value, "reason": n.reason}
            for n in verdict.not_evaluated
        ],
    }


def summary(report: Report) -> dict[str, Any]:
    """The machine-readable twin of the page: the same matrix, the verdict and the metadata."""
    verdict = report.verdict
    meta = report.meta
    return {
        "generated": meta.generated,
        "suite version": meta.version,
        "git revision": meta.revision,
        "profile": profile_json(verdict),
        "verdict": {
            "result": verdict.result.value,
            "exit code": verdict.exit_code,
            "strict": verdict.strict,
            "required failed": list(verdict.required_failed),
            "advisory failed": list(verdict.advisory_failed),
            "legs without results": list(verdict.legs_not_run),
            "legs missing tiers": [
                {"leg": m.leg, "title": m.title, "tiers": [t.value for t in m.tiers], "reason": m.reason}
                for m in verdict.legs_missing_tiers
            ],
            "required not proven": list(verdict.unproven),
            "required not evaluated": list(verdict.unobserved),
            "waived count": len(verdict.waived),
            "waived": [
                {"id": w.id, "severity": w.severity.value, "reason": w.reason, "legs": list(w.legs)}
                for w in verdict.waived
            ],
            "failed without requirement": [
                {"nodeid": u.nodeid, "leg": u.leg, "run": u.run, "outcome": u.outcome, "why": u.why}
                for u in verdict.unattributed_failed
            ],
            "partial run": verdict.profile.label or None,
            "not evaluated": [n.id for n in verdict.not_evaluated],
            "proof heads not caught": [
                {"leg": m.leg, "head": m.head, "must be caught by": m.catches, "why": m.why}
                for m in verdict.missed_proof_heads
            ],
            "live mutants not caught": list(verdict.missed_mutants),
            "cells": dict(verdict.counts),
            "line": verdict.line,
        },
        "results directories": list(meta.results_dirs),
        "kubernetes version": meta.kubernetes,
        "kind version": meta.kind_version,
        "images": [{"role": i.role, "image": i.name, "id": i.image_id, "source": i.source} for i in meta.images],
        "manifests": [
            {"path": m.path, "given": m.given, "sha256": m.sha256, "files": m.files, "note": m.note or None}
            for m in meta.manifests
        ],
        "legs": [
            {
                "key": m.key,
                "title": m.title,
                "runs": [
                    {"name": r.name, "phase": r.phase, "exit status": r.exit_status, "html": r.html, "junit": r.junit}
                    for r in m.runs
                ],
                "kubernetes": m.kubernetes,
                "nodes": list(m.nodes),
                "schedulable": list(m.schedulable),
                "deploy error": m.deploy_error or None,
                "failed deploy step": None
                if m.failed_step is None
                else {
                    "step": m.failed_step.step,
                    "requirements": list(m.failed_step.requirements),
                    "message": m.failed_step.message,
                    "evidence": dict(m.failed_step.evidence),
                },
                "node mapping": dict(m.node_mapping) or None,
                "names differing from 000": {f: {"documented": a, "deployed": b} for f, a, b in m.names} or None,
                "left out by the profile": m.left_out or None,
            }
            for m in meta.legs
        ],
        "matrix": [
            {
                "id": row.requirement.id,
                "statement": row.requirement.statement,
                "source": row.requirement.source,
                "tier": row.requirement.tier.value,
                "severity": row.requirement.severity.value,
                "cells": {
                    cell.leg: {
                        "leg": leg_title(cell.leg),
                        "status": cell.status.value,
                        "reason": cell.reason,
                        "tests": [_test_json(t) for t in cell.tests],
                    }
                    for cell in row.cells
                },
            }
            for row in report.matrix.rows
        ],
        "upgrade": [upgrade.summary_json(u) for u in report.upgrades],
        "legs without an upgrade record": list(report.upgrade_unrecorded),
        "live mutation": mutation.summary_json(report.mutation_runs),
        "matrix timings": matrix_timings.summary_json(report.matrix_runs),
        "tests without requirement": [_test_json(t) for t in report.matrix.unattributed],
        "unknown requirement ids": {k: [_test_json(t) for t in v] for k, v in report.matrix.unknown.items()},
        "ignored files": list(report.matrix.ignored),
        "status values": [s.value for s in Status],
    }
