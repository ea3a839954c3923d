"""Suites stay thin: no client library imported, no client object touched (ARCHITECTURE.md).

ruff's TID251 stops imports; this also stops attribute access to the API clients, which
an import ban cannot see (`live_cluster.kube.core.list_...` needs no import at all).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SUITES = Path(__file__).resolve().parents[1] / "suites"
BANNED_MODULES = frozenset(
    {"kubernetes", "boto3", "botocore", "minio", "testinfra", "subprocess", "urllib3", "requests"}
)
CLIENT_ATTRIBUTES = frozenset({"core", "apps", "policy", "storage", "custom", "api_client"})
CLIENT_CALLS = re.compile(r"^(read_namespaced_|list_|delete_|patch_|create_)")


def layer_violations(source: str, filename: str) -> list[str]:
    """Every banned import and client attribute in `source`, as `file:line: what`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and node.level:
                modules = []  # relative: the suites' own modules
            for module in modules:
                if module.split(".")[0] in BANNED_MODULES:
                    found.append(f"{filename}:{node.lineno}: imports {module}")
        if isinstance(node, ast.Attribute) and (node.attr in CLIENT_ATTRIBUTES or CLIENT_CALLS.match(node.attr)):
            found.append(f"{filename}:{node.lineno}: touches a client object (.{node.attr})")
    return found


@pytest.mark.parametrize("path", sorted(SUITES.glob("*.py")), ids=lambda p: p.name)
def test_suite_module_touches_no_client(path: Path) -> None:
    """A suite selects an observation from fixtures/, calls a judge and records the verdict: nothing else."""
    violations = layer_violations(path.read_text(encoding="utf-8"), f"suites/{path.name}")
    assert not violations, "I/O belongs in fixtures/:\n" + "\n".join(violations)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import boto3\n", "x.py:1: imports boto3"),
        ("from kubernetes.client import CoreV1Api\n", "x.py:1: imports kubernetes.client"),
        ("import subprocess as sp\n", "x.py:1: imports subprocess"),
        ("\nkube.core.read_namespaced_pod('a', 'b')\n", "x.py:2: touches a client object (.core)"),
        ("kube.apps\n", "x.py:1: touches a client object (.apps)"),
        ("c.list_namespaced_service('ns')\n", "x.py:1: touches a client object (.list_namespaced_service)"),
        (
            "c.patch_namespaced_stateful_set_scale()\n",
            "x.py:1: touches a client object (.patch_namespaced_stateful_set_scale)",
        ),
        ("k.api_client\n", "x.py:1: touches a client object (.api_client)"),
    ],
)
def test_the_layer_check_names_each_violation(source: str, expected: str) -> None:
    """The check itself can fail: each banned form is reported with its file and line."""
    assert expected in layer_violations(source, "x.py")


def test_the_layer_check_passes_typed_reads() -> None:
    """Reads through `Kube`'s typed methods and fixtures' observations are what suites are for."""
    assert layer_violations("live_cluster.kube.pods()\nkube.services(selector='app=minio')\n", "x.py") == []
