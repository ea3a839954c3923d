"""The live mutant catalog (minio_conformance/live_mutants.py), its runner's pure parts and the selection plugin.

No cluster: the catalog's edits are made on the shipped manifests and fed to the static gate, the
run judge is fed recorded results sidecars, and the requirement selection is run with --collect-only.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fixtures import mutants as runner
from fixtures.requirement_select import wanted_ids
from minio_conformance.catalog import CATALOG, Tier
from minio_conformance.gate import main as gate_main
from minio_conformance.live_mutants import (
    MUTANTS,
    NO_DEPLOYABLE_BREAK,
    LiveMutant,
    MutantError,
    Outcome,
    TextEdit,
    good_run_problems,
    judge_run,
    live_requirement_ids,
    mutant_files,
    rotating_subset,
    select,
    uncovered_requirements,
)

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = {p.name: p.read_text() for p in sorted((PROJECT / "manifests").glob("*.yaml"))}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_at_least_fifteen_mutants_with_unique_kebab_case_names() -> None:
    assert len(MUTANTS) >= 15
    names = [m.name for m in MUTANTS]
    assert len(set(names)) == len(names)
    assert all(KEBAB.match(n) for n in names), names


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_each_mutant_names_live_ids_node_counts_and_one_line(mutant: LiveMutant) -> None:
    assert mutant.catches
    assert mutant.catches <= live_requirement_ids(), mutant.catches - live_requirement_ids()
    assert mutant.node_counts
    assert mutant.node_counts <= {1, 2, 4}
    assert mutant.description
    assert "\n" not in mutant.description
    assert mutant.edits or mutant.action, "a mutant must break something"
    assert mutant.static_gate_passes or mutant.static_note, "say why a mutant the gate sees is kept"


def test_every_live_and_disruptive_id_has_a_mutant_or_a_stated_reason() -> None:
    assert uncovered_requirements() == []
    caught = {rid for m in MUTANTS for rid in m.catches}
    assert set(NO_DEPLOYABLE_BREAK) <= live_requirement_ids()
    assert not caught & set(NO_DEPLOYABLE_BREAK), "a reason for an ID that has a mutant is stale"
    assert all(reason.strip() for reason in NO_DEPLOYABLE_BREAK.values())
    assert {r for r, q in CATALOG.items() if q.tier is Tier.DISRUPTIVE} <= live_requirement_ids()


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_the_static_gate_passes_the_mutant_exactly_where_the_catalog_says(
    mutant: LiveMutant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = mutant_files(mutant, SHIPPED)
    assert (files == SHIPPED) == (not mutant.edits)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    code = gate_main(["gate", str(tmp_path)], stdout=io.StringIO())
    assert code == (0 if mutant.static_gate_passes else 1)


def test_a_stale_edit_is_refused_in_one_line() -> None:
    stale = LiveMutant(
        "stale", frozenset({"PREP-2"}), frozenset({2}), "x", (TextEdit("06-statefulset.yaml", "nope", "x"),)
    )
    with pytest.raises(MutantError, match="holds the text to replace 0 times"):
        mutant_files(stale, SHIPPED)
    missing = LiveMutant("gone", frozenset({"PREP-2"}), frozenset({2}), "x", (TextEdit("99.yaml", "a", "b"),))
    with pytest.raises(MutantError, match=r"no manifest file 99\.yaml"):
        mutant_files(missing, SHIPPED)


def test_selection_by_name_keeps_catalog_order_and_refuses_unknown_names() -> None:
    picked = select("root-access-off,prep-dir-mode-775", 2)
    assert [m.name for m in picked] == ["prep-dir-mode-775", "root-access-off"]
    with pytest.raises(MutantError, match="unknown live mutant"):
        select("no-such-mutant", 2)


def test_the_rotating_subset_covers_the_catalog_over_successive_runs() -> None:
    ran: set[str] = set()
    for counter in range(len(MUTANTS)):
        picked = rotating_subset(list(MUTANTS), 4, counter)
        assert len(picked) == 4
        ran |= {m.name for m in picked}
    assert ran == {m.name for m in MUTANTS}
    assert rotating_subset(list(MUTANTS), 100, 3) == list(MUTANTS)


# --- judging a run from its results sidecar ---------------------------------------------------------------


def verdict(rid: str, status: str = "failed", message: str = "mode is 0o775", **extra: Any) -> dict[str, Any]:
    findings = [{"object_ref": "Node x", "path": "", "message": message}] if status == "failed" else []
    return {"requirement": rid, "status": status, "findings": findings, "notes": [], **extra}


def entry(
    nodeid: str, outcome: str, rids: list[str], verdicts: list[dict[str, Any]], message: str = ""
) -> dict[str, Any]:
    return {"nodeid": nodeid, "outcome": outcome, "requirements": rids, "verdicts": verdicts, "message": message}


def test_caught_only_when_a_failed_verdict_names_the_id() -> None:
    record = {"tests": [entry("suites/test_storage.py::test_dir", "failed", ["PREP-2"], [verdict("PREP-2")])]}
    outcome, evidence = judge_run(record, frozenset({"PREP-2"}))
    assert outcome is Outcome.CAUGHT
    assert evidence == "suites/test_storage.py::test_dir: PREP-2 mode is 0o775"


def test_a_failed_deployment_step_counts_under_its_own_id() -> None:
    step = entry(
        "deployment::5 storage preparation", "failed", ["PREP-1"], [verdict("PREP-1", message="step 5 failed")]
    )
    assert judge_run({"tests": [step]}, frozenset({"PREP-1"}))[0] is Outcome.CAUGHT


def test_a_cascade_of_not_evaluated_or_another_ids_failure_is_not_caught() -> None:
    cascade = entry(
        "suites/test_storage.py::test_dir",
        "skipped",
        ["PREP-2"],
        [verdict("PREP-2", "not_applicable", not_evaluated=True)],
    )
    other = entry("suites/test_x.py::test_y", "failed", ["PREP-2", "VAL-1"], [verdict("VAL-1")])
    outcome, _ = judge_run({"tests": [cascade, other]}, frozenset({"PREP-2"}))
    assert outcome is Outcome.ERROR
    assert judge_run({"tests": [cascade]}, frozenset({"PREP-2"}))[0] is Outcome.MISSED


def test_passing_tests_are_missed_and_no_test_is_an_error() -> None:
    passed = entry("suites/test_services.py::test_ports", "passed", ["SVC-3"], [verdict("SVC-3", "passed")])
    outcome, evidence = judge_run({"tests": [passed]}, frozenset({"SVC-3"}))
    assert outcome is Outcome.MISSED
    assert "passed: suites/test_services.py::test_ports" in evidence
    assert judge_run({"tests": []}, frozenset({"SVC-3"}))[0] is Outcome.ERROR
    assert judge_run({"tests": "garbage"}, frozenset({"SVC-3"}))[0] is Outcome.ERROR


def test_the_good_set_must_pass_every_selected_test() -> None:
    passed = entry("a", "passed", ["SVC-3"], [])
    assert good_run_problems({"tests": [passed, entry("b", "skipped", ["EC-1"], [])]}) == []
    assert good_run_problems({"tests": [passed, entry("c", "error", ["SVC-5"], [], "boom")]}) == ["c error: boom"]
    assert good_run_problems({}) == ["no test ran"]


# --- the runner's pure parts and the selection plugin --------------------------------------------------------


def test_the_pytest_command_line_selects_by_requirement_and_keeps_the_cluster(tmp_path: Path) -> None:
    argv = runner.pytest_argv(2, tmp_path / "m", ["SVC-3", "PREP-2"], tmp_path / "r.json")
    assert argv[1:4] == ["-m", "pytest", "suites"]
    for part in (
        "--minio-live",
        "--minio-nodes=2",
        "--minio-keep-cluster",
        "--minio-strict",
        "--minio-requirements=PREP-2,SVC-3",
    ):
        assert part in argv
    assert argv[argv.index("--minio-lane") + 1] == "mutants"
    assert argv[argv.index("-m", 3) + 1] == "live or disruptive"
    assert f"--manifests={tmp_path / 'm'}" in argv


def test_the_subset_counter_rotates_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(runner.CACHE_ENV, str(tmp_path))
    assert [runner.next_counter(2) for _ in range(3)] == [0, 1, 2]
    assert (tmp_path / "state" / "mutants-2nodes.counter").read_text() == "2\n"
    (tmp_path / "state" / "mutants-2nodes.counter").write_text("garbage")
    assert runner.next_counter(2) == 0


def test_bad_arguments_are_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main(["--nodes", "two"]) == 2
    assert runner.main([]) == 2


def test_requirement_selection_keeps_only_tests_of_the_named_ids() -> None:
    assert wanted_ids(" PREP-2, SEC-3 ,") == {"PREP-2", "SEC-3"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "suites", "--co", "-q", "-p", "no:cacheprovider",
         "--minio-requirements=PREP-2,SEC-3", "-m", "live or disruptive"],
        cwd=PROJECT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    listed = [line for line in result.stdout.splitlines() if "::" in line]
    assert sorted(listed) == [
        "suites/test_credentials.py::test_s3_accepts_secret_credentials_and_refuses_others",
        "suites/test_storage.py::test_storage_directory_on_every_node",
    ], result.stdout + result.stderr


def test_an_advisory_id_failing_as_xfail_outside_strict_mode_is_caught_too() -> None:
    xfailed = entry("suites/test_operations.py::test_cluster_metrics_answer", "xfailed", ["OPS-3"], [verdict("OPS-3")])
    assert judge_run({"tests": [xfailed]}, frozenset({"OPS-3"}))[0] is Outcome.CAUGHT
    assert good_run_problems({"tests": [xfailed]}) == [
        "suites/test_operations.py::test_cluster_metrics_answer xfailed:"
    ]


QUALIFIED_NAME = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")


def _node_selector_keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        keys = list(value.get("nodeSelector") or {}) if isinstance(value.get("nodeSelector"), dict) else []
        return keys + [k for v in value.values() for k in _node_selector_keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _node_selector_keys(v)]
    return []


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_labels_and_taints_a_mutant_adds_are_names_the_api_accepts(mutant: LiveMutant) -> None:
    """A mutant must be refused by the live check, not by the API server (the gate's schema leaves map keys alone)."""
    import yaml

    keys = [
        k
        for text in mutant_files(mutant, SHIPPED).values()
        for doc in yaml.safe_load_all(text)
        for k in _node_selector_keys(doc)
    ]
    if mutant.action is not None and mutant.action.argument:
        keys.append(mutant.action.argument.split("=", 1)[0])
    assert all(QUALIFIED_NAME.match(k) for k in keys), keys


def test_claims_deleted_on_scale_in_is_judged_from_the_observation_not_lost_in_a_timeout() -> None:
    """claims-deleted-on-scale-in, live on 2 nodes: the scaled-in claim was gone and scaling back never came
    (its PV Released); the scenario now judges that record instead of timing out waiting for the pod."""
    from minio_conformance.checks.operations import claims_retained

    claims = {"data-minio-0": "uid-0", "data-minio-1": "uid-1"}
    v = claims_retained("OPS-4", claims, claims, claims, scaled_in_kept=False, intact=True)
    assert [f.message for f in v.findings] == ["the claim of a scaled-in pod was deleted"]


def test_released_volumes_of_deleted_claims_are_handed_to_the_new_claims() -> None:
    """After a claim was deleted its pinned PV is Released with the old claim's UID; dropping that UID lets the PV
    bind the new claim of the same name. Only Released PVs of the named claims in the namespace are touched."""
    from types import SimpleNamespace

    from fixtures.faults import rebind_released_volumes

    def pv(name: str, claim: str, phase: str, namespace: str = "minio-system") -> dict[str, Any]:
        ref = {"namespace": namespace, "name": claim, "uid": f"uid-{claim}", "resourceVersion": "7"}
        return {"metadata": {"name": name}, "spec": {"claimRef": ref}, "status": {"phase": phase}}

    patched: list[tuple[str, dict[str, Any]]] = []
    volumes = [
        pv("minio-pv-0", "data-minio-0", "Bound"),
        pv("minio-pv-1", "data-minio-1", "Released"),
        pv("other-pv", "data-minio-1", "Released", namespace="team"),
        pv("minio-pv-2", "data-minio-2", "Released"),
    ]
    kube = SimpleNamespace(
        namespace="minio-system",
        persistent_volumes=lambda selector: volumes,
        core=SimpleNamespace(patch_persistent_volume=lambda name, body: patched.append((name, body))),
    )
    assert rebind_released_volumes(kube, ["data-minio-0", "data-minio-1"]) == ["minio-pv-1"]  # type: ignore[arg-type]
    assert patched == [("minio-pv-1", {"spec": {"claimRef": {"uid": None, "resourceVersion": None}}})]


def test_an_interrupt_stops_the_pytest_run_before_the_cluster_goes(tmp_path: Path) -> None:
    """An interrupt while a mutant's pytest runs stops that run (SIGTERM, which a run that inherited an ignored
    SIGINT still gets) before the runner deletes the cluster, instead of leaving it running against nothing."""
    import signal
    import sys

    from fixtures.mutants import Child, run_pytest

    marker = tmp_path / "terminated"
    script = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        f"signal.signal(signal.SIGTERM, lambda *_: (open({str(marker)!r}, 'w').write('yes'), sys.exit(3)))\n"
        "time.sleep(60)\n"
    )
    child = Child()

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    argv = [sys.executable, "-c", script, f"--minio-results={tmp_path / 'r.json'}"]
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(2)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_pytest(child, argv, tmp_path / "log")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert marker.read_text() == "yes"
    assert child.process is None
