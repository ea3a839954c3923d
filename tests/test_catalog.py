"""The catalog matches the requirements document, and every ID has a test that names it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from minio_conformance.catalog import CATALOG, DECISIONS, Severity, Tier
from minio_conformance.checks import CHECKS
from minio_conformance.mutants import MUTANTS

PROJECT = Path(__file__).resolve().parent.parent
REQUIREMENTS_FILES = [PROJECT / "spec" / "requirements.md", PROJECT.parent / "shared" / "spec" / "requirements.md"]
LINE = re.compile(r"^- ([A-Z]+-\d+) \[([a-z, ]+)\]", re.M)


def parse_requirements(text: str) -> dict[str, tuple[Tier, Severity]]:
    found = {}
    for req_id, tags in LINE.findall(text):
        words = [t.strip() for t in tags.split(",")]
        found[req_id] = (Tier(words[0]), Severity.ADVISORY if "advisory" in words else Severity.REQUIRED)
    return found


def referenced_ids() -> dict[str, list[str]]:
    """Requirement IDs named by @pytest.mark.requirement(...) in suites/, with the tests naming them."""
    refs: dict[str, list[str]] = {}
    for path in sorted((PROJECT / "suites").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.ClassDef):
                continue
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr == "requirement"
                ):
                    for arg in deco.args:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            refs.setdefault(arg.value, []).append(f"{path.name}::{node.name}")
    return refs


@pytest.mark.parametrize("path", [p for p in REQUIREMENTS_FILES if p.exists()], ids=lambda p: str(p.parent.parent.name))
def test_every_documented_requirement_is_catalogued(path: Path) -> None:
    documented = parse_requirements(path.read_text(encoding="utf-8"))
    assert len(documented) >= 50, "the requirements file parsed to too few IDs; has its format changed?"
    missing = sorted(set(documented) - set(CATALOG))
    assert not missing, f"IDs in {path} missing from the catalog: {missing}"
    extra = sorted(set(CATALOG) - set(documented))
    assert not extra, f"catalog IDs not in {path}: {extra}"
    wrong = {
        rid: (documented[rid], (CATALOG[rid].tier, CATALOG[rid].severity))
        for rid in documented
        if documented[rid] != (CATALOG[rid].tier, CATALOG[rid].severity)
    }
    assert not wrong, f"tier/severity differ from {path}: {wrong}"


def test_every_requirement_has_a_test() -> None:
    refs = referenced_ids()
    untested = sorted(set(CATALOG) - set(refs))
    assert not untested, f"requirements with no test naming them: {untested}"
    unknown = sorted(set(refs) - set(CATALOG))
    assert not unknown, f"tests name unknown requirement IDs: {unknown}"


def test_every_static_requirement_has_a_check_and_a_mutant() -> None:
    static = {r.id for r in CATALOG.values() if r.tier is Tier.STATIC}
    pure_checks = set(CHECKS) | {"SEC-5"}  # SEC-5 is checked over evidence text, not a snapshot
    assert static - pure_checks == set(), f"static requirements without a pure check: {sorted(static - pure_checks)}"
    caught = {rid for m in MUTANTS for rid in m.catches} | {"SEC-5"}  # SEC-5: see test_redaction.py
    assert static - caught == set(), f"static requirements no mutant proves: {sorted(static - caught)}"


def test_catalog_entries_are_complete() -> None:
    for req in CATALOG.values():
        assert req.statement, req
        assert req.source.startswith("00"), req
    for decision in DECISIONS:
        assert set(decision.requirements) <= set(CATALOG), decision
