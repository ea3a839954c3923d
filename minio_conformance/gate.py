"""`minio-conformance gate PATH...`: the static requirements as a CI gate for a team's manifests.

load (bounded, with positions) -> resolve (a template is rendered for its node counts; a
concrete set is judged as written, its topology its own) -> judge (the same pure checks as
the pytest static tier) -> report (text, JSON, JUnit, SARIF), with no pytest involved.

Exit codes: 0 every required requirement met (waived ones stated), 1 at least one violated
(the output names the IDs), 2 the input cannot be judged (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, NoReturn, TextIO

from minio_conformance import __version__
from minio_conformance.catalog import CATALOG, Requirement, Severity
from minio_conformance.checks import Snapshot, depends_on, is_not_evaluated, run_all
from minio_conformance.checks.common import Deviation
from minio_conformance.kindnodes import kind_nodes
from minio_conformance.load.config import GateConfig, find_config, load_config, parse_node_counts
from minio_conformance.load.documents import LoadError, Mark
from minio_conformance.manifests import ManifestSet, SourceDocument, load_inputs
from minio_conformance.objects import kind, ref, refers_to, resolve_path
from minio_conformance.redact import Redactor
from minio_conformance.render import Credentials, RenderedObject, is_topology_template, render
from minio_conformance.verdict import Finding, Status, Verdict

PROG = "minio-conformance"
FORMATS = ("text", "json", "junit", "sarif")
TEXT_LINES_PER_ID = 3
# What the Secret of a template holds while it is judged: the deployment generates the real values.
TEMPLATE_CREDENTIALS = Credentials("generated-at-deploy-time", "generated-at-deploy-time")


class Outcome(StrEnum):
    PASSED = "passed"
    VIOLATED = "violated"
    ADVISORY = "advisory not met"
    NOT_EVALUATED = "not evaluated"
    NOT_APPLICABLE = "not applicable"
    WAIVED = "waived"


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass
class Located:
    """One finding at the line and column of the field it is about (the same in every rendering)."""

    requirement: str
    message: str
    location: Location
    object_ref: str
    path: str
    expected: str = ""
    found: str = ""
    nodes: list[int] = field(default_factory=list)

    @property
    def detail(self) -> str:
        if self.expected or self.found:
            return f"{self.message} (expected {self.expected or '-'}, found {self.found or '-'})"
        return self.message


@dataclass
class RequirementResult:
    requirement: Requirement
    outcome: Outcome
    findings: list[Located] = field(default_factory=list)
    reason: str = ""
    depends_on: str | None = None
    waiver: str | None = None
    notes: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.requirement.id


@dataclass
class GateResult:
    results: dict[str, RequirementResult]
    inputs: list[str]
    files: list[str]
    objects: int
    basis: str
    notes: list[str]
    config: GateConfig
    strict: bool = False
    redactor: Redactor = field(default_factory=Redactor)

    def ids(self, *outcomes: Outcome) -> list[str]:
        return [rid for rid, r in self.results.items() if r.outcome in outcomes]

    @property
    def failing(self) -> list[str]:
        return self.ids(Outcome.VIOLATED, Outcome.ADVISORY) if self.strict else self.ids(Outcome.VIOLATED)

    @property
    def exit_code(self) -> int:
        return 1 if self.failing else 0

    def redact(self, text: str) -> str:
        return self.redactor.text(text)


# --- resolving a manifest set into the snapshots it is judged as -------------------------------------


@dataclass
class Target:
    """One snapshot to judge and, for each of its objects, the file it was written in."""

    nodes: int | None
    snapshot: Snapshot
    rendered: list[RenderedObject]

    def rendered_of(self, obj: Mapping[str, Any]) -> RenderedObject | None:
        return next((r for r in self.rendered if r.obj is obj), None)


def _path_text(path: Sequence[str | int]) -> str:
    out = ""
    for step in path:
        if isinstance(step, int) or "." in step or "[" in step:
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out


def load_findings(manifests: ManifestSet) -> list[tuple[str, Finding]]:
    found: list[tuple[str, Finding]] = []
    seen: set[tuple[str, int, tuple[str | int, ...]]] = set()
    for doc in manifests.documents:
        for dup in doc.duplicates:
            path = dup.path
            if doc.item is not None:
                if path[:2] != ("items", doc.item):
                    continue
                path = path[2:]
            key = (doc.file, doc.index, dup.path)
            if key in seen:
                continue
            seen.add(key)
            found.append(
                (
                    "SCH-1",
                    Deviation(
                        f"duplicate key (also at line {dup.first.line}): kubectl refuses the document",
                        ref(doc.obj),
                        _path_text(path),
                        expected="each key once",
                        found="the key twice",
                    ),
                )
            )
    return found


def targets(manifests: ManifestSet, config: GateConfig) -> tuple[list[Target], str]:
    """The snapshots the set is judged as, and a phrase saying how its topology was found."""
    names = config.names
    loaded = load_findings(manifests)
    if is_topology_template(manifests):
        out = []
        for count in config.nodes:
            nodes = kind_nodes(count)
            rendered = render(manifests, nodes, TEMPLATE_CREDENTIALS, names=names)
            snap = Snapshot(tuple(rendered.objects), tuple(nodes), names, False, tuple(loaded))
            out.append(Target(count, snap, list(rendered.rendered)))
        counts = ", ".join(map(str, config.nodes))
        return out, f"template rendered for {counts} node{'s' if config.nodes != (1,) else ''}"
    # Concrete: judged as written. Only a Secret's credential placeholders are filled (nothing else
    # of the set is derived at deploy time), for nodes that do not matter to anything else.
    rendered = render(manifests, kind_nodes(1), TEMPLATE_CREDENTIALS, names=names)
    snap = Snapshot.as_written(rendered.objects, names, loaded)
    count = len(snap.schedulable)
    basis = f"as written, {count} node(s) from its PersistentVolumes" if count else "as written"
    return [Target(None, snap, list(rendered.rendered))], basis


# --- placing findings in the files -------------------------------------------------------------------


def _first_location(manifests: ManifestSet) -> Location:
    doc = manifests.documents[0]
    mark = doc.mark(("kind",))
    return Location(doc.where, mark.line, mark.column)


def _doc_location(doc: SourceDocument, path: tuple[str | int, ...]) -> Location:
    mark: Mark = doc.mark(path)
    return Location(doc.where, mark.line, mark.column)


def locate(finding: Finding, target: Target, manifests: ManifestSet) -> Location:
    """The file, line and column of the field a finding is about (its nearest written ancestor)."""
    objects = target.snapshot.objects
    obj = next((o for o in objects if finding.object_ref and refers_to(o, finding.object_ref)), None)
    if obj is not None:
        rendered = target.rendered_of(obj)
        if rendered is not None and rendered.source is not None:
            field_path = resolve_path(obj, finding.path) if finding.path else ("metadata", "name")
            return _doc_location(rendered.source, rendered.source_path(field_path))
    # A missing object: point at an object of the same kind (the one misnamed, perhaps), else the set.
    wanted = finding.object_ref.split(" ", 1)[0]
    for rendered in target.rendered:
        if kind(rendered.obj) == wanted and rendered.source is not None:
            return _doc_location(rendered.source, ("metadata", "name"))
    return _first_location(manifests)


# --- judging -----------------------------------------------------------------------------------------


def _merge(
    req: Requirement, verdicts: list[tuple[Target, Verdict]], manifests: ManifestSet, all_counts: list[int]
) -> RequirementResult:
    failed = [(t, v) for t, v in verdicts if v.status is Status.FAILED]
    unevaluated = [v for _, v in verdicts if is_not_evaluated(v)]
    notes = list(dict.fromkeys(n for _, v in verdicts for n in v.notes if not is_not_evaluated(v)))
    evidence = dict(verdicts[0][1].evidence) if verdicts else {}
    if failed:
        located: dict[tuple[str, ...], Located] = {}
        for target, v in failed:
            for f in v.findings:
                loc = locate(f, target, manifests)
                expected = f.expected if isinstance(f, Deviation) else ""
                found = f.found if isinstance(f, Deviation) else ""
                key = (str(loc), f.message, expected, found)
                entry = located.setdefault(key, Located(req.id, f.message, loc, f.object_ref, f.path, expected, found))
                if target.nodes is not None and target.nodes not in entry.nodes:
                    entry.nodes.append(target.nodes)
        for entry in located.values():
            if sorted(entry.nodes) == sorted(all_counts):
                entry.nodes = []
        evidence = dict(failed[0][1].evidence)
        outcome = Outcome.ADVISORY if req.severity is Severity.ADVISORY else Outcome.VIOLATED
        findings = sorted(located.values(), key=lambda e: (e.location.file, e.location.line, e.location.column))
        return RequirementResult(req, outcome, findings, notes=notes, evidence=evidence)
    if unevaluated:
        v = unevaluated[0]
        reason = str(v.evidence.get("not evaluated", "; ".join(v.notes)))
        return RequirementResult(req, Outcome.NOT_EVALUATED, reason=reason, depends_on=depends_on(v), notes=notes)
    if verdicts and all(v.status is Status.NOT_APPLICABLE for _, v in verdicts):
        reason = "; ".join(dict.fromkeys(n for _, v in verdicts for n in v.notes))
        return RequirementResult(req, Outcome.NOT_APPLICABLE, reason=reason, notes=notes, evidence=evidence)
    return RequirementResult(req, Outcome.PASSED, notes=notes, evidence=evidence)


def secret_values(objects: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every Secret payload (as written and decoded) and credential-looking env literal of the set."""
    import base64
    import binascii
    import contextlib

    from minio_conformance.checks.credentials import CREDENTIAL_ENV
    from minio_conformance.objects import containers, iter_env, pod_template_spec

    values: list[str] = []
    for obj in objects:
        if kind(obj) == "Secret":
            for field_name in ("data", "stringData"):
                payload = obj.get(field_name)
                if not isinstance(payload, Mapping):
                    continue
                for value in payload.values():
                    if not isinstance(value, str):
                        continue
                    values.append(value)
                    if field_name == "data":
                        with contextlib.suppress(binascii.Error, ValueError):
                            values.append(base64.b64decode(value, validate=True).decode("utf-8", "replace"))
        for c in containers(pod_template_spec(obj)):
            for e in iter_env(c):
                if isinstance(e.get("value"), str) and CREDENTIAL_ENV.search(str(e.get("name", ""))):
                    values.append(e["value"])
    # Short values would mask ordinary words in the report and hide nothing worth hiding.
    return [v for v in values if len(v) >= 6 and v != TEMPLATE_CREDENTIALS.access_key]


def evaluate(
    manifests: ManifestSet, config: GateConfig, *, inputs: Sequence[str] = (), strict: bool = False
) -> GateResult:
    """Judge a manifest set: every static check, merged over the set's renderings, waivers applied."""
    plan, basis = targets(manifests, config)
    per_target = [(t, run_all(t.snapshot)) for t in plan]
    counts = [t.nodes for t in plan if t.nodes is not None]
    results: dict[str, RequirementResult] = {}
    for req_id in sorted(per_target[0][1], key=_catalog_order):
        req = CATALOG[req_id]
        result = _merge(req, [(t, vs[req_id]) for t, vs in per_target], manifests, counts)
        waiver = config.waiver(req_id)
        if waiver is not None:
            result.outcome, result.waiver = Outcome.WAIVED, waiver.reason
        results[req_id] = result
    for result in results.values():  # a requirement whose owner is waived is not evaluated "because waived"
        owner = results.get(result.depends_on or "")
        if result.outcome is Outcome.NOT_EVALUATED and owner is not None and owner.outcome is Outcome.WAIVED:
            result.reason += f" ({owner.id} is waived)"
    secrets = secret_values([o for t in plan for o in t.snapshot.objects])
    notes = list(manifests.notes)
    return GateResult(
        results,
        list(inputs),
        list(manifests.files),
        len(plan[0].snapshot.objects),
        basis,
        notes,
        config,
        strict,
        Redactor(secrets),
    )


def _catalog_order(req_id: str) -> int:
    order = list(CATALOG)
    return order.index(req_id) if req_id in order else len(order)


# --- the command line ------------------------------------------------------------------------------


class UsageError(Exception):
    """A bad command line; the message is one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Conformance of MinIO manifests to the documented deployment.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gate = sub.add_parser(
        "gate",
        help="check manifests (directories, files, - for stdin) against the static requirements",
        description="Check manifests against the static requirements. Exit 0: every required requirement met; "
        "1: at least one violated; 2: the input cannot be judged.",
    )
    gate.add_argument("paths", nargs="+", metavar="PATH", help="a directory (searched recursively), a file, or -")
    gate.add_argument(
        "--config", metavar="FILE", help="gate config (default: minio-conformance.yaml beside the manifests)"
    )
    gate.add_argument("--nodes", metavar="N[,N...]", help="node counts a template set is rendered for (default 1,2,4)")
    gate.add_argument(
        "--format",
        action="append",
        metavar="FMT[=FILE]",
        help="text, json, junit or sarif; repeat with =FILE targets for several (default: text on stdout)",
    )
    gate.add_argument("--strict", action="store_true", help="advisory requirements (OPS-*) fail the gate too")
    gate.add_argument(
        "--stdin-name", default="<stdin>", metavar="NAME", help="the file name findings in - are shown under"
    )
    gate.add_argument("-v", "--verbose", action="store_true", help="every finding, notes, and tracebacks of errors")
    return parser


def _formats(raw: Sequence[str] | None) -> list[tuple[str, str | None]]:
    chosen: list[tuple[str, str | None]] = []
    for item in raw or ["text"]:
        fmt, _, target = item.partition("=")
        if fmt not in FORMATS:
            raise UsageError(f"--format {item!r}: expected one of {', '.join(FORMATS)}, optionally =FILE")
        if _ and not target:
            raise UsageError(f"--format {item!r}: the file after = is empty")
        chosen.append((fmt, target or None))
    to_stdout = [f for f, t in chosen if t is None]
    if len(to_stdout) > 1:
        raise UsageError(f"--format: only one format can go to standard output ({', '.join(to_stdout)}); give =FILE")
    targets_ = [t for _, t in chosen if t]
    if len(set(targets_)) != len(targets_):
        raise UsageError("--format: two formats name the same file")
    return chosen


def _write(path: str, text: str) -> None:
    target = Path(path)
    if target.is_symlink():
        raise LoadError(f"{path}: a symlink; the gate does not write through symlinks")
    if target.is_dir():
        raise LoadError(f"{path}: is a directory")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise LoadError(f"{path}: the directory {directory} does not exist")
    tmp = directory / f".{target.name}.{os.getpid()}.tmp"
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LoadError(f"{path}: cannot be written ({exc.strerror or exc.__class__.__name__})") from None


def run_gate(args: argparse.Namespace, stdin: BinaryIO | None, stdout: TextIO) -> int:
    from minio_conformance import formats

    chosen = _formats(args.format)
    if args.stdin_name == "":
        raise UsageError("--stdin-name is empty")
    config_path = args.config if args.config is not None else find_config(args.paths)
    config = load_config(config_path) if config_path is not None else GateConfig()
    if args.nodes is not None:
        config = GateConfig(config.names, parse_node_counts(args.nodes), config.waivers, config.path)
    manifests = load_inputs(args.paths, stdin, args.stdin_name)
    result = evaluate(manifests, config, inputs=args.paths, strict=args.strict)
    for fmt, target in chosen:
        text = formats.render(fmt, result, verbose=args.verbose)
        if target is None:
            stdout.write(text)
        else:
            _write(target, text)
    if all(t is not None for _, t in chosen):  # every format went to a file: the text still goes to stdout
        stdout.write(formats.render("text", result, verbose=args.verbose))
    stdout.flush()
    return result.exit_code


def main(argv: Sequence[str] | None = None, stdin: BinaryIO | None = None, stdout: TextIO | None = None) -> int:
    """The console script. Never a traceback (unless -v asks for one on an internal error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    verbose = "-v" in argv or "--verbose" in argv
    try:
        args = _parser().parse_args(argv)
        if args.command is None:
            raise UsageError("name a command: gate PATH... (see --help)")
        stream = stdin if stdin is not None else (sys.stdin.buffer if sys.stdin is not None else None)
        return run_gate(args, stream, out)
    except (UsageError, LoadError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug: still one line, the traceback only on request
        if verbose:
            traceback.print_exc()
        return _fail(f"internal error: {exc.__class__.__name__}: {exc} (run with -v for the traceback)")


def _fail(message: str) -> int:
    line = " ".join(message.split())
    sys.stderr.write(f"{PROG}: {line}\n")
    return 2


if __name__ == "__main__":  # pragma: no cover
    # Through the package's module, so that the formats see the same classes as the gate.
    from minio_conformance.gate import main as _main

    sys.exit(_main())


__all__ = [
    "GateResult",
    "Located",
    "Location",
    "Outcome",
    "RequirementResult",
    "evaluate",
    "main",
    "targets",
]
