"""Broken deployments the live tier must catch, each under the requirement ID(s) it names.

The static mutants (`minio_conformance/mutants.py`) prove the static tier can fail; these prove
the live and disruptive tiers can. Each one is deployable: a pure edit of the manifest files'
text (the `${...}` placeholders survive, the set is rendered at deploy time as usual) and,
optionally, one cluster-side action named declaratively (`ClusterAction`) that
`fixtures/mutants.py` performs on the kind cluster before the deployment and undoes after.

Most pass the static gate (`static_gate_passes`): only a live check can catch them. Those the
gate also sees say why they are kept (`static_note`): the live check must still fail on its own.
`verified_live` records the live runs that caught the mutant, with the time measured.

A live or disruptive requirement with no deployable break is named in `NO_DEPLOYABLE_BREAK`
with the reason; `tests/test_live_mutants.py` holds every such ID to one or the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from minio_conformance.catalog import CATALOG, Tier
from minio_conformance.durability import FROZEN_PROCESS_NODES

ALL_NODE_COUNTS = frozenset({1, 2, 4})
MULTI_NODE = frozenset({2, 4})
DATA_PATH = "/mnt/minio-data"
# The hung (SIGSTOPped) process of PRB-4 is judged on this leg only (its test is not applicable elsewhere).
HUNG_PROCESS_LEG = frozenset({FROZEN_PROCESS_NODES})
MUTANT_LABEL = "minio-conformance.io/mutant"  # the key of every label or taint a cluster action adds


class MutantError(ValueError):
    """A mutant that cannot be made from the given files (its edit no longer matches); one line."""


class ActionKind(StrEnum):
    TAINT_NODE = "taint-node"  # `kubectl taint` a node with `argument` (key=value:effect)
    LABEL_NODE = "label-node"  # `kubectl label` a node with `argument` (key=value)
    FILE_AT_DATA_PATH = "file-at-data-path"  # a regular file where the storage directory belongs


@dataclass(frozen=True)
class ClusterAction:
    """Something done to the cluster before the deployment, and undone after.

    `node` indexes the schedulable nodes in name order (kind: the workers; 1 node: the control plane).
    """

    kind: ActionKind
    node: int = 0
    argument: str = ""

    def describe(self) -> str:
        target = f"schedulable node #{self.node}"
        if self.kind is ActionKind.FILE_AT_DATA_PATH:
            return f"a regular file at {DATA_PATH} on {target}"
        return f"{self.kind.value.replace('-', ' ')} {target} with {self.argument}"


@dataclass(frozen=True)
class TextEdit:
    """Replace `old` (which must occur exactly once) with `new` in manifest file `file`."""

    file: str
    old: str
    new: str


@dataclass(frozen=True)
class LiveMutant:
    name: str
    catches: frozenset[str]
    node_counts: frozenset[int]
    description: str
    edits: tuple[TextEdit, ...] = ()
    action: ClusterAction | None = None
    static_gate_passes: bool = True
    static_note: str = ""  # why a mutant the static gate also sees is kept
    verified_live: str = ""  # e.g. "2 nodes: caught in 95 s (2026-11-29)"; empty: not yet run live

    def applies_to(self, nodes: int) -> bool:
        return nodes in self.node_counts


def mutant_files(mutant: LiveMutant, files: Mapping[str, str]) -> dict[str, str]:
    """The manifest files (name -> text) with the mutant's edits made; raises MutantError on a stale edit."""
    out = dict(files)
    for edit in mutant.edits:
        if edit.file not in out:
            raise MutantError(f"live mutant {mutant.name}: no manifest file {edit.file}")
        count = out[edit.file].count(edit.old)
        if count != 1:
            raise MutantError(
                f"live mutant {mutant.name}: {edit.file} holds the text to replace {count} times, expected once"
            )
        out[edit.file] = out[edit.file].replace(edit.old, edit.new)
    return out


PREP = "03-storage-prep-daemonset.yaml"
PV = "04-persistentvolume-template.yaml"
SVC = "05-services.yaml"
STS = "06-statefulset.yaml"
SC = "02-storageclass.yaml"
F = frozenset

_PREP_POD_SPEC = "    spec:\n      hostNetwork: true\n"
_MINIO_ENV = "          env:\n"
_READINESS = (
    "          readinessProbe:\n"
    "            httpGet:\n"
    "              path: /minio/health/ready\n"
    "              port: 9000\n"
)
_LIVENESS = (
    "          livenessProbe:\n            httpGet:\n              path: /minio/health/live\n              port: 9000\n"
)
_API_SERVICE = "  name: minio-api\n  namespace: minio-system\n  labels:\n    app: minio\nspec:\n  type: NodePort\n"
_CONSOLE_SELECTOR = (
    "spec:\n  type: NodePort\n  selector:\n    app: minio\n  ports:\n    - name: console\n"
    "      port: 9001\n      targetPort: 9001\n"
)
_STATIC_PROBE = "the static PRB checks see the probe's type; the hung process must still be caught live (PRB-4)"

MUTANTS: tuple[LiveMutant, ...] = (
    LiveMutant(
        "prep-dir-mode-775",
        F({"PREP-2"}),
        ALL_NODE_COUNTS,
        "the storage-prep script makes /mnt/minio-data group-writable (775), MinIO still runs",
        (TextEdit(PREP, "chmod 755 /host/mnt/minio-data", "chmod 775 /host/mnt/minio-data"),),
        verified_live="2 nodes: caught in 107 s (2026-11-29)",
    ),
    LiveMutant(
        "prep-dir-group-root",
        F({"PREP-2"}),
        ALL_NODE_COUNTS,
        "the storage-prep script gives /mnt/minio-data group root (1000:0), MinIO still runs",
        (TextEdit(PREP, "chown 1000:1000 /host/mnt/minio-data", "chown 1000:0 /host/mnt/minio-data"),),
        verified_live="2 nodes: caught in 89 s (2026-11-29)",
    ),
    LiveMutant(
        "prep-on-no-node",
        F({"PREP-1"}),
        ALL_NODE_COUNTS,
        "the storage-prep DaemonSet selects a node label no node carries: it runs nowhere",
        (
            TextEdit(
                PREP,
                _PREP_POD_SPEC,
                f'    spec:\n      nodeSelector:\n        {MUTANT_LABEL}-none: "true"\n      hostNetwork: true\n',
            ),
        ),
        verified_live="2 nodes: caught in 203 s (2026-11-29)",
    ),
    LiveMutant(
        "prep-on-one-node",
        F({"PREP-1"}),
        MULTI_NODE,
        "the storage-prep DaemonSet selects a label only the first schedulable node carries",
        (
            TextEdit(
                PREP,
                _PREP_POD_SPEC,
                f"    spec:\n      nodeSelector:\n        {MUTANT_LABEL}: prep\n      hostNetwork: true\n",
            ),
        ),
        ClusterAction(ActionKind.LABEL_NODE, 0, f"{MUTANT_LABEL}=prep"),
        verified_live="2 nodes: caught in 191 s (2026-11-29)",
    ),
    LiveMutant(
        "taint-one-node",
        F({"PREP-1"}),
        MULTI_NODE,
        "a worker carries a NoSchedule taint nothing tolerates: counted schedulable, it gets no storage prep",
        (),
        ClusterAction(ActionKind.TAINT_NODE, -1, f"{MUTANT_LABEL}=unschedulable:NoSchedule"),
        verified_live="2 nodes: caught in 191 s (2026-11-29)",
    ),
    LiveMutant(
        "data-path-is-a-file",
        F({"PREP-1"}),
        ALL_NODE_COUNTS,
        "a node holds a regular file at /mnt/minio-data: storage prep fails there and never becomes Ready",
        (),
        ClusterAction(ActionKind.FILE_AT_DATA_PATH, 0),
        verified_live="2 nodes: caught in 202 s (2026-11-29)",
    ),
    LiveMutant(
        "api-traffic-policy-local",
        F({"SVC-3"}),
        MULTI_NODE,
        "the S3 NodePort Service keeps traffic node-local: a node without a MinIO pod (control plane) never answers",
        (TextEdit(SVC, _API_SERVICE, _API_SERVICE + "  externalTrafficPolicy: Local\n"),),
        verified_live="2 nodes: caught in 67 s (2026-11-29)",
    ),
    LiveMutant(
        "console-target-port-wrong",
        F({"SVC-3"}),
        ALL_NODE_COUNTS,
        "the console Service forwards to a port MinIO does not listen on (9091)",
        (TextEdit(SVC, _CONSOLE_SELECTOR, _CONSOLE_SELECTOR.replace("targetPort: 9001", "targetPort: 9091")),),
        static_gate_passes=False,
        static_note="SVC-2 sees the targetPort; kept so SVC-3 is proven to fail on a console that does not answer",
        verified_live="2 nodes: caught in 62 s (2026-11-29)",
    ),
    LiveMutant(
        "api-selects-one-pod",
        F({"SVC-5"}),
        MULTI_NODE,
        "the S3 Service's selector also names minio-0's pod: the other Ready pods get no endpoint",
        (
            TextEdit(
                SVC,
                "  type: NodePort\n  selector:\n    app: minio\n  ports:\n    - name: api\n",
                "  type: NodePort\n  selector:\n    app: minio\n    statefulset.kubernetes.io/pod-name: minio-0\n"
                "  ports:\n    - name: api\n",
            ),
        ),
        static_gate_passes=False,
        static_note="SVC-2 sees a selector narrower than the pods; kept so SVC-5 is proven to fail on the endpoints",
        verified_live="2 nodes: caught in 63 s (2026-11-29)",
    ),
    LiveMutant(
        "credentials-keys-swapped",
        F({"SEC-3"}),
        ALL_NODE_COUNTS,
        "the container takes its root user from the Secret's secret key and its password from the access key",
        (
            TextEdit(STS, "                  key: accesskey\n", "                  key: SWAP\n"),
            TextEdit(STS, "                  key: secretkey\n", "                  key: accesskey\n"),
            TextEdit(STS, "                  key: SWAP\n", "                  key: secretkey\n"),
        ),
        static_gate_passes=False,
        static_note="SEC-2 sees the keys swapped; kept so SEC-3 is proven to refuse the Secret's credentials",
        verified_live="2 nodes: caught in 66 s (2026-11-29)",
    ),
    LiveMutant(
        "root-access-off",
        F({"SEC-3", "OPS-3"}),
        ALL_NODE_COUNTS,
        "MINIO_API_ROOT_ACCESS=off: the Secret's root credentials are refused by the S3 API and the metrics",
        (
            TextEdit(
                STS, _MINIO_ENV, _MINIO_ENV + '            - name: MINIO_API_ROOT_ACCESS\n              value: "off"\n'
            ),
        ),
        verified_live="2 nodes: caught in 77 s (2026-11-29)",
    ),
    LiveMutant(
        "readiness-tcp-only",
        F({"PRB-4"}),
        HUNG_PROCESS_LEG,
        "the readiness probe only opens a TCP connection, which a hung (SIGSTOPped) MinIO still accepts",
        (TextEdit(STS, _READINESS, "          readinessProbe:\n            tcpSocket:\n              port: 9000\n"),),
        static_gate_passes=False,
        static_note=_STATIC_PROBE,
    ),
    LiveMutant(
        "liveness-tcp-only",
        F({"PRB-4"}),
        HUNG_PROCESS_LEG,
        "the liveness probe only opens a TCP connection: a hung MinIO is never restarted",
        (TextEdit(STS, _LIVENESS, "          livenessProbe:\n            tcpSocket:\n              port: 9000\n"),),
        static_gate_passes=False,
        static_note=_STATIC_PROBE,
    ),
    LiveMutant(
        "claims-deleted-on-scale-in",
        F({"OPS-4"}),
        MULTI_NODE,
        "the StatefulSet's claim retention policy deletes a scaled-in pod's claim (whenScaled: Delete)",
        (TextEdit(STS, "    whenScaled: Retain\n", "    whenScaled: Delete\n"),),
        verified_live="2 nodes: caught in 370 s (2026-11-29), once the scenario judged instead of timing out",
    ),
    LiveMutant(
        "claims-deleted-with-statefulset",
        F({"OPS-4"}),
        ALL_NODE_COUNTS,
        "the StatefulSet's claim retention policy deletes the claims with the set (whenDeleted: Delete)",
        (TextEdit(STS, "    whenDeleted: Retain\n", "    whenDeleted: Delete\n"),),
    ),
    LiveMutant(
        "pv-path-missing",
        F({"VAL-1"}),
        ALL_NODE_COUNTS,
        "every PV points at a directory no node has (/mnt/minio-data/missing): the pods never start",
        (TextEdit(PV, "  local:\n    path: /mnt/minio-data\n", "  local:\n    path: /mnt/minio-data/missing\n"),),
        static_gate_passes=False,
        static_note="PV-1 sees the path; kept so a deployment that never comes up is proven to fail VAL-1 (step 9-10)",
    ),
    LiveMutant(
        "parallel-pod-management",
        F({"STS-8"}),
        MULTI_NODE,  # one pod has no order to break
        "pods are created in parallel, not each after the previous one is Ready",
        (TextEdit(STS, "  podManagementPolicy: OrderedReady\n", "  podManagementPolicy: Parallel\n"),),
        static_gate_passes=False,
        static_note="STS-7 sees the policy; kept so the live order check (STS-8) is proven to fail",
        verified_live="2 nodes: caught in 215 s (2026-11-29)",
    ),
    LiveMutant(
        "updates-on-delete-only",
        F({"OPS-5"}),
        MULTI_NODE,
        "updateStrategy OnDelete: a changed template never rolls out, partition or not",
        (TextEdit(STS, "  updateStrategy:\n    type: RollingUpdate\n", "  updateStrategy:\n    type: OnDelete\n"),),
        verified_live=(
            "2 nodes: caught in 48 s (2026-11-29), after the fix: first MISSED (87 s) because the OPS-5 "
            "scenario patched type RollingUpdate itself; it now reads the deployed strategy and patches only "
            "the partition"
        ),
    ),
    LiveMutant(
        "claims-bind-immediately",
        F({"STO-2"}),
        ALL_NODE_COUNTS,
        "the StorageClass binds claims at once (Immediate), not when their pod is scheduled",
        (TextEdit(SC, "volumeBindingMode: WaitForFirstConsumer\n", "volumeBindingMode: Immediate\n"),),
        static_gate_passes=False,
        static_note="STO-1 sees the binding mode; kept so the live claim check (STO-2) is proven to fail",
        verified_live="2 nodes: caught in 72 s (2026-11-29)",
    ),
    LiveMutant(
        "no-parity-4",
        F({"EC-1"}),
        F({4}),
        "MINIO_STORAGE_CLASS_STANDARD=EC:0: objects have no parity, one lost pod loses reads",
        (
            TextEdit(
                STS,
                _MINIO_ENV,
                _MINIO_ENV + '            - name: MINIO_STORAGE_CLASS_STANDARD\n              value: "EC:0"\n',
            ),
        ),
    ),
    LiveMutant(
        "no-parity-2",
        F({"EC-2"}),
        F({2}),
        "MINIO_STORAGE_CLASS_STANDARD=EC:0 on 2 drives: one lost pod loses the reads quorum promises",
        (
            TextEdit(
                STS,
                _MINIO_ENV,
                _MINIO_ENV + '            - name: MINIO_STORAGE_CLASS_STANDARD\n              value: "EC:0"\n',
            ),
        ),
    ),
)

MUTANTS_BY_NAME: dict[str, LiveMutant] = {m.name: m for m in MUTANTS}

_SUITE_ITSELF = "judges the suite's own tooling and steps, not the deployment: no manifest or cluster change breaks it"
_UPGRADE = (
    "judged on a head set applied over the running deployment: the upgrade scenario applies its own proof heads "
    "(fixtures/upgrade.py, checks/upgrade.py) and fails the report when one is not caught"
)
NO_DEPLOYABLE_BREAK: dict[str, str] = {
    "PRE-1": _SUITE_ITSELF + " (missing tools: tests/test_deploy_cascade.py)",
    "PRE-2": _SUITE_ITSELF + " (a cluster that does not answer: tests/test_deploy_cascade.py)",
    "PRE-3": _SUITE_ITSELF + " (a missing permission is the identity's, not the manifests')",
    "CLN-1": _SUITE_ITSELF + " (step 1 deletes the namespace whatever the manifests say)",
    "CLN-2": _SUITE_ITSELF + " (step 1 deletes the app=minio PVs whatever the manifests say)",
    "CLN-3": "every mutant already runs deploy -> clean -> deploy on one cluster; a set that cannot be redeployed "
    "fails VAL-1 at its second deployment first",
    "PV-3": "the PVs pin each claim to one node (PV-2, static): a pod that comes back elsewhere needs a PV the gate "
    "already refuses; unpinned, the pod is never created on another node's volume and VAL-1 fails first",
    "SVC-4": "MinIO's distributed mode dials its peers by these same names: a set where they do not resolve never "
    "forms and fails VAL-1 at step 10; with 1 node no name is needed and the headless Service is fixed by SVC-1",
    "STS-9": "each pod's claim binds to a PV pinned to its own node: two pods on one node would need two PVs on it, "
    "which PV-2 (static) refuses and the scheduler cannot produce",
    "VAL-2": "the same as STS-9 (one judge): volumes pinned one per node keep pods apart",
    "VAL-3": "a Service without endpoints is a selector the static SVC-1 refuses, or no Ready pod, which fails VAL-1",
    "VAL-4": "an unbound claim leaves its pod unscheduled, so the deployment fails VAL-1 at step 9-10 first",
    "PRB-3": "MinIO serves the health endpoints itself: a pod where they fail is not Ready and the deployment fails "
    "VAL-1 (step 10 asks the same cluster health) before PRB-3 runs",
    "EC-3": "recovery after the lost pod returns is MinIO's healing; no manifest makes drives stay offline once the "
    "pod is back without also failing VAL-1",
    "EC-4": "needs a pod that moves to another node when its node stops: the PVs pinned one per node (PV-2, static) "
    "make that impossible to deploy",
    "UPG-1": _UPGRADE,
    "UPG-2": _UPGRADE,
    "UPG-3": _UPGRADE,
    "UPG-4": _UPGRADE,
    "UPG-5": _UPGRADE,
}


def live_requirement_ids() -> set[str]:
    """Every live and disruptive requirement of the catalog."""
    return {rid for rid, req in CATALOG.items() if req.tier in (Tier.LIVE, Tier.DISRUPTIVE)}


def uncovered_requirements() -> list[str]:
    """Live and disruptive IDs with neither a mutant nor a stated reason (must be empty)."""
    caught = {rid for m in MUTANTS for rid in m.catches}
    return sorted(live_requirement_ids() - caught - set(NO_DEPLOYABLE_BREAK))


def select(names: str | None, nodes: int) -> list[LiveMutant]:
    """The mutants named (comma-separated; all when None), in catalog order; raises MutantError on an unknown name."""
    if not names:
        return list(MUTANTS)
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in MUTANTS_BY_NAME]
    if unknown:
        raise MutantError(f"unknown live mutant(s): {', '.join(unknown)}")
    return [m for m in MUTANTS if m.name in wanted]


def rotating_subset(mutants: list[LiveMutant], size: int, counter: int) -> list[LiveMutant]:
    """`size` mutants starting at `counter * size` (wrapping), so successive runs cover the catalog in turn."""
    if size <= 0 or not mutants:
        return []
    if size >= len(mutants):
        return list(mutants)
    start = (counter * size) % len(mutants)
    picked = [mutants[(start + i) % len(mutants)] for i in range(size)]
    return [m for m in mutants if m in picked]


# --- judging a run: the results sidecar (fixtures/results.py) of one pytest run, as parsed JSON ----------


class Outcome(StrEnum):
    CAUGHT = "caught"
    MISSED = "missed"
    NOT_APPLICABLE = "not applicable"
    ERROR = "error"  # the run could not judge the mutant (no results, a test errored without a verdict)


OUTCOMES = frozenset(o.value for o in Outcome)


def _entries(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    tests = record.get("tests")
    return [t for t in tests if isinstance(t, Mapping)] if isinstance(tests, list) else []


def _ids(entry: Mapping[str, Any]) -> set[str]:
    reqs = entry.get("requirements")
    return {str(r) for r in reqs} if isinstance(reqs, list) else set()


def _verdicts(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    verdicts = entry.get("verdicts")
    return [v for v in verdicts if isinstance(v, Mapping)] if isinstance(verdicts, list) else []


def _first_finding(verdict: Mapping[str, Any]) -> str:
    findings = verdict.get("findings")
    if isinstance(findings, list):
        for finding in findings:
            if isinstance(finding, Mapping) and finding.get("message"):
                return str(finding["message"])
    return "(no finding recorded)"


def one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def judge_run(record: Mapping[str, Any], catches: frozenset[str]) -> tuple[Outcome, str]:
    """CAUGHT only when a test of one of `catches` failed with a failed verdict naming that ID.

    A failed deployment step counts when its verdict names the ID (a `deployment::<step>` report, or
    the step's ID on a test that stands in for it); "not evaluated" verdicts never do. Returns the
    outcome and one evidence line.
    """
    relevant = [t for t in _entries(record) if _ids(t) & catches]
    for entry in relevant:
        if entry.get("outcome") not in ("failed", "xfailed"):  # xfailed: an advisory ID outside --minio-strict
            continue
        for v in _verdicts(entry):
            if v.get("requirement") in catches and v.get("status") == "failed" and v.get("not_evaluated") is not True:
                return Outcome.CAUGHT, one_line(f"{entry.get('nodeid')}: {v['requirement']} {_first_finding(v)}")
    if not relevant:
        return Outcome.ERROR, f"no test of {', '.join(sorted(catches))} ran"
    broken = [t for t in relevant if t.get("outcome") in ("failed", "error")]
    if broken:
        first = broken[0]
        what = "failed without a verdict naming" if first.get("outcome") == "failed" else "errored instead of judging"
        return Outcome.ERROR, one_line(
            f"{first.get('nodeid')} {what} {', '.join(sorted(catches))}: {first.get('message') or ''}"
        )
    passed = [str(t.get("nodeid")) for t in relevant if t.get("outcome") == "passed"]
    skipped = [str(t.get("nodeid")) for t in relevant if t.get("outcome") != "passed"]
    parts = [f"passed: {', '.join(passed)}"] if passed else []
    parts += [f"skipped: {', '.join(skipped)}"] if skipped else []
    return Outcome.MISSED, one_line("; ".join(parts))


def good_run_problems(record: Mapping[str, Any]) -> list[str]:
    """Why the good set's run cannot stand as the baseline (empty: every selected test passed or was skipped)."""
    entries = _entries(record)
    if not entries:
        return ["no test ran"]
    return [
        one_line(f"{t.get('nodeid')} {t.get('outcome')}: {t.get('message') or ''}", 200)
        for t in entries
        if t.get("outcome") not in ("passed", "skipped")
    ]


__all__ = [
    "MUTANTS",
    "MUTANTS_BY_NAME",
    "NO_DEPLOYABLE_BREAK",
    "ActionKind",
    "ClusterAction",
    "LiveMutant",
    "MutantError",
    "Outcome",
    "TextEdit",
    "good_run_problems",
    "judge_run",
    "mutant_files",
    "rotating_subset",
    "select",
    "uncovered_requirements",
]
