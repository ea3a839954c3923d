"""Results records for the report's tests, generated from the catalog at run time.

The recorded samples (tests/data/reporting/sample) predate requirements added later, so
a report that must PASS is generated here: every catalog requirement gets a passing
test with a passing verdict in every leg that proves its tier.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from minio_conformance.catalog import CATALOG, Requirement, Severity, Tier

NODE_LEGS = ("1", "2", "4")
STARTED = "2026-11-21T18:00:00+00:00"
FINISHED = "2026-11-21T18:01:00+00:00"


def node_id(count: str) -> str:
    return f"{count}node" if count == "1" else f"{count}nodes"


def verdict(req_id: str, status: str = "passed", reason: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "requirement": req_id,
        "status": status,
        "findings": extra.get("findings", []),
        "notes": [reason] if reason else [],
        "not_applicable_reason": reason if status == "not_applicable" else None,
    }


WAIVER_FILE = "team/minio-conformance.yaml"


def waived_verdict(req_id: str, reason: str, config: str = WAIVER_FILE) -> dict[str, Any]:
    """A verdict of a requirement the gate config waives, as fixtures/results.py records it."""
    data = verdict(req_id, "not_applicable", f"waived: {reason} ({config})")
    data["waived_reason"] = f"{reason} ({config})"
    return data


def waive(req_id: str, reason: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Edit a record: every test of `req_id` skipped with a waived verdict, as the static tier records a waiver."""

    def edit_record(data: dict[str, Any]) -> dict[str, Any]:
        for test in data["tests"]:
            if test["requirements"] == [req_id]:
                test["outcome"] = "skipped"
                test["message"] = f"Skipped: {req_id} not applicable: waived: {reason} ({WAIVER_FILE})"
                test["verdicts"] = [waived_verdict(req_id, reason)]
        return data

    return edit_record


NOT_UP = "the deployment did not come up (step 5 storage preparation failed)"


def not_evaluated_verdict(req_id: str, why: str = NOT_UP) -> dict[str, Any]:
    """A verdict of a requirement the live tier could not observe, as fixtures/evidence.py records it."""
    data = verdict(req_id, "not_applicable", f"not evaluated: {why}")
    data["not_evaluated"] = True
    return data


def failed_step(
    step: str = "storage-preparation",
    requirements: Iterable[str] = ("PREP-1",),
    message: str = "DaemonSet minio-storage-prep not ready after 120 s",
    evidence: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A deploy record's `failed_step`, shaped like fixtures/deploy.py step_failure()."""
    return {
        "step": step,
        "requirements": list(requirements),
        "message": message,
        "evidence": dict(evidence or {"events": "Warning FailedMount pod/minio-storage-prep-x"}),
    }


def not_up(step: Mapping[str, Any], why: str = NOT_UP) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Edit a live or disruptive record as a run whose deployment did not come up writes it: the failed
    step in `deploy`, its requirements' tests failed with it, every other non-static test skipped as
    not evaluated (the static tests in the live run are unaffected)."""
    failed_ids = set(step.get("requirements") or ())

    def edit_record(data: dict[str, Any]) -> dict[str, Any]:
        data["deploy"] = {"cluster": "minio-conformance-4n", "error": str(step.get("message")), "failed_step": step}
        for test in data["tests"]:
            rid = test["requirements"][0]
            if CATALOG[rid].tier is Tier.STATIC:
                continue
            if rid in failed_ids:
                test["outcome"] = "failed"
                test["message"] = f"{rid} violated: step failed"
                test["verdicts"] = [verdict(rid, "failed", findings=[{"message": str(step.get("message"))}])]
            else:
                test["outcome"] = "skipped"
                test["message"] = f"Skipped: not evaluated: {why}"
                test["verdicts"] = [not_evaluated_verdict(rid, why)]
        return data

    return edit_record


def entry(
    nodeid: str, req_id: str, outcome: str = "passed", verdicts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "nodeid": nodeid,
        "outcome": outcome,
        "duration": 0.1,
        "requirements": [req_id],
        "properties": {},
        "evidence": {},
        "message": "",
        "verdicts": [verdict(req_id)] if verdicts is None else verdicts,
    }


def record(tests: list[dict[str, Any]], counts: Iterable[str], **extra: Any) -> dict[str, Any]:
    return {
        "started": STARTED,
        "finished": FINISHED,
        "exit status": 0,
        "node counts": list(counts),
        "markers": "",
        "manifests": "manifests",
        **extra,
        "tests": tests,
    }


def _tests(reqs: Iterable[Requirement], suffix: str) -> list[dict[str, Any]]:
    return [entry(f"suites/test_generated.py::test_{r.id.lower().replace('-', '_')}{suffix}", r.id) for r in reqs]


def complete_records(catalog: Mapping[str, Requirement] = CATALOG) -> dict[str, dict[str, Any]]:
    """{run name: record} for a complete run in which every requirement passed in every leg it applies to."""
    reqs = list(catalog.values())
    static = [r for r in reqs if r.tier is Tier.STATIC]
    live = [r for r in reqs if r.tier is Tier.LIVE]
    disruptive = [r for r in reqs if r.tier is Tier.DISRUPTIVE]
    runs = {"static": record([t for n in NODE_LEGS for t in _tests(static, f"[{node_id(n)}]")], NODE_LEGS)}
    for n in NODE_LEGS:
        runs[f"leg-{n}nodes-live"] = record(_tests(static, f"[{node_id(n)}]") + _tests(live, ""), [n])
        runs[f"leg-{n}nodes-disruptive"] = record(_tests(disruptive, ""), [n])
    return runs


QUICK_RUNS = ("static", "leg-4nodes-live")  # what `nox -s quick` writes into reports/quick


def quick_records(catalog: Mapping[str, Requirement] = CATALOG) -> dict[str, dict[str, Any]]:
    """{run name: record} of a quick-profile run (static column, 4-node live tier) in which everything passed."""
    return {name: data for name, data in complete_records(catalog).items() if name in QUICK_RUNS}


def write_records(directory: Path, runs: Mapping[str, Mapping[str, Any]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in runs.items():
        (directory / f"{name}.json").write_text(json.dumps(data, indent=1))
    return directory


def required_ids(catalog: Mapping[str, Requirement] = CATALOG) -> list[str]:
    return [r.id for r in catalog.values() if r.severity is Severity.REQUIRED]


UPGRADE_DATA = Path(__file__).resolve().parent / "data" / "reporting" / "upgrade"
UPGRADE_RUN = "leg-4nodes-disruptive"


def upgrade_record() -> dict[str, Any]:
    """The recorded live 4-node run of only the upgrade tests (tests/data/reporting/upgrade)."""
    data: dict[str, Any] = json.loads((UPGRADE_DATA / f"{UPGRADE_RUN}.json").read_text())
    return data


def with_upgrade_run(
    runs: Mapping[str, Mapping[str, Any]], recorded: Mapping[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """`runs` with the 4-node disruptive run's generated UPG tests replaced by the recorded upgrade run's tests,
    and the other legs' UPG tests not applicable, as the scenario runs on the 4-node leg only by default."""
    recorded = upgrade_record() if recorded is None else recorded
    out = {name: json.loads(json.dumps(data)) for name, data in runs.items()}
    for name, run in out.items():
        for test in run["tests"]:
            rid = test["requirements"][0] if test["requirements"] else ""
            if rid.startswith("UPG-") and name != UPGRADE_RUN:
                test["outcome"] = "skipped"
                test["verdicts"] = [verdict(rid, "not_applicable", "the upgrade scenario runs on the 4-node leg")]
    run = out[UPGRADE_RUN]
    kept = [t for t in run["tests"] if not any(r.startswith("UPG-") for r in t["requirements"])]
    run["tests"] = kept + json.loads(json.dumps(recorded["tests"]))
    return out
