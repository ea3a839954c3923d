"""The requirement catalog: every promise the documented deployment makes.

IDs, statements and sources follow `spec/requirements.md`, which digests the design
documents (000 is the step-by-step deployment; 001 StatefulSet semantics; 004
security practice). A unit test fails when that file names an ID missing here, or
an ID here has no test that references it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


S, L, D = Tier.STATIC, Tier.LIVE, Tier.DISRUPTIVE
ADV = Severity.ADVISORY

_REQUIREMENTS: tuple[Requirement, ...] = (
    # Step 0 - preflight
    Requirement(
        "PRE-1",
        "kubectl (and, for kind clusters, docker and kind) is available; otherwise "
        "one clear message and a non-zero exit, never a traceback.",
        "000 §0",
        L,
    ),
    Requirement(
        "PRE-2", "The cluster answers; otherwise a clear message naming the kubeconfig/context tried.", "000 §0", L
    ),
    Requirement(
        "PRE-3",
        "The identity may create namespaces, StorageClasses, PVs and privileged "
        "DaemonSets; otherwise say which permission is missing.",
        "000 §0",
        L,
    ),
    # Step 1 - clean slate
    Requirement("CLN-1", "Namespace minio-system is deleted and waited for before a deploy.", "000 §1", L),
    Requirement("CLN-2", "PersistentVolumes labelled app=minio are deleted; none are left orphaned.", "000 §1", L),
    Requirement("CLN-3", "Deploy -> clean -> deploy again succeeds (idempotent).", "000 §1", L),
    # Step 2 - topology
    Requirement(
        "TOP-1",
        "Schedulable nodes are the nodes without the node-role.kubernetes.io/control-plane NoSchedule taint.",
        "000 §2",
        S,
    ),
    Requirement(
        "TOP-2",
        "Replicas: 1 schedulable node -> 1 (standalone); 2 -> 2 (basic "
        "distributed); 3 or more -> one per node (erasure coded).",
        "000 §2",
        S,
    ),
    Requirement(
        "TOP-3",
        "The server arguments match the mode: standalone serves /data; distributed lists every pod's URL.",
        "000 §2, §8",
        S,
    ),
    # Step 3 - namespace and credentials
    Requirement("SEC-1", "Every MinIO object lives in minio-system.", "000 §3", S),
    Requirement(
        "SEC-2",
        "Secret minio-credentials holds keys accesskey and secretkey; the root "
        "user/password reach the container only through secretKeyRef to it, never as "
        "literals in a manifest.",
        "000 §3 (001 variant: minio-secret)",
        S,
    ),
    Requirement(
        "SEC-3", "S3 requests signed with the Secret's credentials succeed; wrong credentials are refused.", "000 §3", L
    ),
    # Step 4 - StorageClass
    Requirement(
        "STO-1",
        "StorageClass minio-local-storage: provisioner kubernetes.io/no-provisioner, "
        "WaitForFirstConsumer, allowVolumeExpansion true, reclaimPolicy Retain.",
        "000 §4",
        S,
    ),
    Requirement(
        "STO-2", "A claim stays Pending until its pod is scheduled; a released PV keeps its data (Retain).", "000 §4", L
    ),
    # Step 5 - storage preparation
    Requirement("PREP-1", "DaemonSet minio-storage-prep runs exactly one pod on every schedulable node.", "000 §5", L),
    Requirement("PREP-2", "On every node /mnt/minio-data exists, mode 755, owner 1000:1000.", "000 §5", L),
    Requirement(
        "PREP-3",
        "The storage-prep DaemonSet is the only privileged workload (hostPID, "
        "hostNetwork, host root at /host); the risk is reported.",
        "000 §5, 004",
        S,
    ),
    # Step 6 - local PVs
    Requirement(
        "PV-1",
        "One PV per schedulable node: labels app=minio and the node name, 10Gi, "
        "ReadWriteOnce, local.path /mnt/minio-data, class minio-local-storage.",
        "000 §6",
        S,
    ),
    Requirement(
        "PV-2",
        "Each PV is pinned by required nodeAffinity kubernetes.io/hostname In "
        "[<its node>]; no two PVs pin the same node.",
        "000 §6",
        S,
    ),
    Requirement(
        "PV-3",
        "The PV bound to data-minio-<i> is pinned to the node where minio-<i> runs; "
        "a deleted pod returns on the same node with the same claim and data.",
        "000 §6, 001",
        D,
    ),
    # Step 7 - Services
    Requirement(
        "SVC-1",
        "Headless minio-headless: clusterIP None, selector app=minio, ports 9000 api and 9001 console.",
        "000 §7",
        S,
    ),
    Requirement("SVC-2", "NodePort Services: S3 API 9000 -> 30900; console 9001 -> 30901.", "000 §7", S),
    Requirement(
        "SVC-3",
        "From outside the cluster the S3 API answers on <node>:30900 and the console on <node>:30901, for every node.",
        "000 §7",
        L,
    ),
    Requirement(
        "SVC-4",
        "minio-<i>.minio-headless.minio-system.svc.cluster.local resolves inside the cluster for every pod.",
        "000 §7, 001",
        L,
    ),
    Requirement("SVC-5", "Every Service has an endpoint for every ready pod.", "000 §7", L),
    # Step 8 - StatefulSet
    Requirement(
        "STS-1", "StatefulSet minio, serviceName minio-headless, selector app=minio, replicas per TOP-2.", "000 §8", S
    ),
    Requirement(
        "STS-2",
        "Command minio, args server ... --console-address :9001; distributed mode "
        "lists http://minio-<i>.minio-headless.minio-system.svc.cluster.local/data for "
        "every replica (or the {0...N-1} form).",
        "000 §8, 001",
        S,
    ),
    Requirement("STS-3", "Runs as user 1000 (securityContext), not root.", "000 §8", S),
    Requirement("STS-4", "Required podAntiAffinity on kubernetes.io/hostname against app=minio.", "000 §8", S),
    Requirement(
        "STS-5",
        "VolumeClaimTemplate data: one claim per pod (data-minio-<i>), "
        "ReadWriteOnce, class minio-local-storage, mounted at /data.",
        "000 §8, 001",
        S,
    ),
    Requirement("STS-6", "Resource requests and limits are set.", "000 §8, 001", S),
    Requirement("STS-7", "podManagementPolicy is OrderedReady (the default).", "001", S),
    Requirement(
        "STS-8",
        "Pods are minio-0..N-1, created in ascending order, each only after the "
        "previous is Ready; scale-down removes the highest ordinal first.",
        "001",
        L,
    ),
    Requirement("STS-9", "No two MinIO pods share a node.", "000 §8", L),
    # Step 9 - probes
    Requirement(
        "PRB-1",
        "Liveness: httpGet /minio/health/live port 9000, initialDelaySeconds 30, periodSeconds 30.",
        "000 §9",
        S,
    ),
    Requirement(
        "PRB-2",
        "Readiness: httpGet /minio/health/ready port 9000, initialDelaySeconds 10, periodSeconds 10.",
        "000 §9",
        S,
    ),
    Requirement("PRB-3", "Both health endpoints answer 200 on every pod.", "000 §9", L),
    Requirement(
        "PRB-4",
        "A MinIO process that dies or hangs is restarted by the liveness probe; a "
        "pod that is not ready is removed from the Services' endpoints.",
        "000 §9",
        D,
    ),
    # Step 10 - validation
    Requirement("VAL-1", "Every MinIO pod is Ready within 300 s of the apply.", "000 §10", L),
    Requirement("VAL-2", "Pods are spread over different nodes.", "000 §10", L),
    Requirement("VAL-3", "Services have endpoints.", "000 §10", L),
    Requirement("VAL-4", "Every claim is Bound.", "000 §10", L),
    # Erasure coding and durability
    Requirement(
        "EC-1",
        "4 nodes: objects written before losing one pod read back byte-identical "
        "while it is gone; reads survive two lost pods; writes survive one.",
        "000 §2, 001",
        D,
    ),
    Requirement(
        "EC-2",
        "2 nodes and 1 node: behaviour matches MinIO's quorum rules for that drive "
        "count; 1 node: unavailable during the outage, intact after.",
        "000 §2, 001",
        D,
    ),
    Requirement("EC-3", "After the lost pod returns, all drives are online and writes succeed.", "000 §2, 001", D),
    Requirement(
        "EC-4",
        "4 nodes: with a whole node stopped the pod cannot move (pinned volume) and reads are still served.",
        "000 §6, 001",
        D,
    ),
    # Operations practice
    Requirement("OPS-1", "A PodDisruptionBudget for app=minio that keeps quorum.", "001", S, ADV),
    Requirement("OPS-2", "Graceful shutdown (preStop hook and/or terminationGracePeriodSeconds).", "001", S, ADV),
    Requirement("OPS-3", "The metrics endpoint /minio/v2/metrics/cluster answers.", "001", L, ADV),
    Requirement(
        "OPS-4", "Claims survive deletion of the StatefulSet and scale-in (retention policy Retain).", "001", D, ADV
    ),
    Requirement(
        "OPS-5", "Rolling updates go highest ordinal first; a partition holds lower ordinals back.", "001", L, ADV
    ),
    # Security practice
    Requirement("SEC-4", "Images are pinned (no latest, no missing tag).", "004", S),
    Requirement("SEC-5", "Credentials never appear in reports, logs or captured evidence.", "004", S),
    Requirement(
        "SEC-6", "MinIO runs without privilege escalation; only the storage-prep DaemonSet is privileged.", "004", S
    ),
)

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
