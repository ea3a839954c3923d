"""Every mutant is caught by exactly the requirements it names; the documented manifests pass."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.checks import Snapshot, run_all
from minio_conformance.kindnodes import kind_nodes
from minio_conformance.manifests import ManifestSet, load_manifests, write_manifest_set
from minio_conformance.mutants import MUTANTS, Stage, mutate_objects, mutate_source
from minio_conformance.render import Credentials, render
from minio_conformance.schema import validate_object
from minio_conformance.verdict import Status

NODE_COUNTS = (1, 2, 3, 4)


def failing(objects: list, nodes: list) -> set[str]:  # type: ignore[type-arg]
    return {rid for rid, v in run_all(Snapshot.of(objects, nodes)).items() if not v.passed}


@pytest.mark.parametrize("count", NODE_COUNTS)
def test_documented_manifests_pass_every_check(documented: ManifestSet, count: int) -> None:
    nodes = kind_nodes(count)
    rendered = render(documented, nodes, Credentials.generate())
    assert failing(rendered.objects, nodes) == set()
    verdicts = run_all(Snapshot.of(rendered.objects, nodes))
    assert verdicts["SCH-1"].status is Status.PASSED
    assert verdicts["SCH-1"].notes == ()  # every documented object is a built-in kind, so every one is validated


CASES = [(m, n) for m in MUTANTS for n in NODE_COUNTS if m.applies_to(n)]


@pytest.mark.parametrize(("mutant", "count"), CASES, ids=[f"{m.id}-{n}n" for m, n in CASES])
def test_mutant_is_caught_by_its_requirements(documented: ManifestSet, mutant, count: int) -> None:  # type: ignore[no-untyped-def]
    nodes = kind_nodes(count)
    objects: Sequence[Mapping[str, Any]]
    if mutant.stage is Stage.SOURCE:
        objects = render(mutate_source(mutant, documented), nodes, Credentials.generate()).objects
    else:
        rendered = render(documented, nodes, Credentials.generate())
        objects = mutate_objects(mutant, rendered.objects, nodes)
    found = failing(objects, nodes)
    assert mutant.catches <= found, f"{mutant.id} not caught by {sorted(mutant.catches - found)}"
    assert found <= mutant.catches | mutant.also, (
        f"{mutant.id} also trips {sorted(found - mutant.catches - mutant.also)}"
    )


@pytest.mark.parametrize("mutant", [m for m in MUTANTS if m.stage is Stage.SOURCE], ids=lambda m: m.id)
def test_source_mutants_round_trip_through_files(documented: ManifestSet, mutant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A broken copy written to disk loads back to the same objects (what the CLI gate reads)."""
    mutated = mutate_source(mutant, documented)
    reloaded = load_manifests(write_manifest_set(mutated.documents, tmp_path))
    assert reloaded.objects == mutated.objects


def test_documented_storage_prep_snippet_is_rejected_by_the_api_schema() -> None:
    """000 §5's DaemonSet has no selector: the reason manifests/ adds one (see the catalog's decisions)."""
    snippet = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "minio-storage-prep"},
        "spec": {
            "template": {
                "spec": {
                    "hostNetwork": True,
                    "hostPID": True,
                    "containers": [
                        {"name": "storage-prep", "image": "busybox:1.35", "securityContext": {"privileged": True}}
                    ],
                }
            }
        },
    }
    problems = [(p.path, p.message) for p in validate_object(snippet).problems]
    assert problems == [("spec.selector", "required field is missing")]
