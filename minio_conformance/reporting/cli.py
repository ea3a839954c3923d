"""`python -m minio_conformance.reporting [--profile quick] [OUT_DIR [RESULTS_DIR ...]]`: the report.

It builds OUT_DIR/index.html and OUT_DIR/summary.json.

With OUT_DIR alone (default `reports`), the results files are read from OUT_DIR itself.
With RESULTS_DIRs (e.g. the artifacts of per-leg CI jobs), the results of every RESULTS_DIR
are merged into one report written to OUT_DIR (created if missing); OUT_DIR is read only if
it is listed among them. A leg, and each of its tiers, may come from one directory only.

Exit codes:

- 0 PASS: every leg has results for its tiers, every required requirement of the catalog
  passed in at least one leg or is waived by the team's gate config (the verdict line says
  "N waived (IDs)"; the page and summary.json say why), and none failed in any leg.
- 1 FAILED: a required requirement (with --strict, an advisory one too) failed in some leg,
  a failed or errored test carries no requirement ID (a deployment step, a fixture error;
  named in the line and listed on the page in a section of its own), or a proof head of the
  upgrade scenario (a broken head an UPG ID must catch) was not caught.
- 2 unusable input, one line on stderr and no report written: missing directory, an
  unknown leg, an empty, malformed, oversized or too deeply nested results file, a field
  of the wrong type (the UPG-4 test's `upgrade` record, a verdict's `not_evaluated` that is
  not a boolean and the deploy record's `failed_step` included), the same leg from two
  directories or a leg whose runs contradict each other, a symlink where index.html or
  summary.json would be written.
- 3 INCOMPLETE: nothing failed, but a leg has no results (or not for all its tiers), or a
  required requirement was proven in no leg (one that reads "not evaluated", its tests
  unable to observe it because the deployment did not come up, is not proven: the failed
  step's own requirement fails with evidence, so such a run is usually FAILED); the verdict
  line names them.

`--profile quick` (written by `nox -s quick`) judges a partial run by design: the static
column and the static and live tiers of the 4-node leg (`profiles.QUICK`). The page, the
verdict line and summary.json say "PARTIAL RUN (quick profile): ...; not run: ..." and list
the requirement IDs not evaluated. Its verdict is never PASS:

- 0 PASS-PARTIAL: nothing that ran failed.
- 1 FAILED: as above.
- 2 unusable input: as above, and also results of a leg or tier the profile leaves out
  (a 1- or 2-node leg, the disruptive tier), so a partial page never mixes with a full run.
- 3 INCOMPLETE: a leg or tier the profile does cover has no results (e.g. the 4-node live
  run never wrote its record).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import minio_conformance
from minio_conformance.redact import Redactor
from minio_conformance.reporting import matrix_timings, mutation, sources
from minio_conformance.reporting.model import EXIT_UNUSABLE, build_matrix, check_runs
from minio_conformance.reporting.page import build_report, summary
from minio_conformance.reporting.profiles import FULL, PROFILES, Profile
from minio_conformance.reporting.render import render_page

OUTPUTS = ("index.html", "summary.json")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m minio_conformance.reporting",
        description=(
            "Combine the runs' JSON records into OUT_DIR/index.html and OUT_DIR/summary.json. "
            "Exit 0 PASS (PASS-PARTIAL with a partial --profile), 1 FAILED, 2 unusable input, 3 INCOMPLETE."
        ),
    )
    p.add_argument(
        "out_dir",
        nargs="?",
        default=Path("reports"),
        type=Path,
        metavar="OUT_DIR",
        help="where the report is written; also the results directory when no RESULTS_DIR is given",
    )
    p.add_argument(
        "results_dirs",
        nargs="*",
        type=Path,
        metavar="RESULTS_DIR",
        help="directories of <name>.json runs to merge into one report (e.g. per-leg CI artifacts)",
    )
    p.add_argument("--strict", action="store_true", help="advisory requirements that failed fail the verdict too")
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=FULL.name,
        help=(
            "what the run set out to cover: 'full' (default; the 1/2/4-node matrix) or 'quick' (static tier and "
            "live tier on 4 nodes, as `nox -s quick` runs it): a partial run, reported as PASS-PARTIAL or FAILED, "
            "never PASS; results of legs or tiers outside the profile are refused (exit 2)"
        ),
    )
    p.add_argument(
        "--redact-file",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="file of values to mask (one per line), on top of the redaction already done by the runs",
    )
    p.add_argument("--project", type=Path, default=None, help="checkout for the git revision (default: this package's)")
    return p


def _distinct(dirs: Sequence[Path]) -> list[Path]:
    seen: dict[Path, Path] = {}
    for d in dirs:
        key = d.resolve()
        if key in seen:
            raise sources.UnusableInput(f"results directory {d} is given twice (also as {seen[key]})")
        seen[key] = d
    return list(dirs)


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.is_dir():
        return
    if out_dir.exists() or out_dir.is_symlink():
        raise sources.UnusableInput(f"{out_dir} is not a directory; the report cannot be written there")
    try:
        out_dir.mkdir(parents=True)
    except OSError as exc:
        raise sources.UnusableInput(f"cannot create {out_dir}: {exc.strerror or exc}") from None


def write_outputs(out_dir: Path, texts: Mapping[str, str]) -> None:
    """Write each file via a temp file in `out_dir` and os.replace; never through a symlink."""
    for name in texts:
        if (out_dir / name).is_symlink():
            raise sources.UnusableInput(f"{out_dir / name} is a symlink; refusing to write the report through it")
    temps: dict[str, str] = {}
    try:
        for name, text in texts.items():
            fd, temp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            temps[name] = temp
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temp, 0o644)
        for name, temp in temps.items():
            target = out_dir / name
            if target.is_symlink():
                raise sources.UnusableInput(f"{target} is a symlink; refusing to write the report through it")
            os.replace(temp, target)
    except OSError as exc:
        raise sources.UnusableInput(f"cannot write the report into {out_dir}: {exc.strerror or exc}") from None
    finally:
        for temp in temps.values():
            if os.path.lexists(temp):
                os.unlink(temp)


def build(
    reports_dir: Path,
    *,
    strict: bool,
    redact_files: Sequence[Path],
    project: Path | None,
    results_dirs: Sequence[Path] = (),
    profile: Profile = FULL,
) -> tuple[Path, str, int]:
    """Read, judge, write; returns (page path, verdict line, exit code). Raises UnusableInput."""
    out_dir = reports_dir
    dirs = _distinct(results_dirs) if results_dirs else [out_dir]
    redactor = Redactor()
    for path in redact_files:
        for value in sources.read_redact_file(path):
            redactor.add(value)
    loaded = sources.load_runs(dirs, redactor, out_dir=out_dir)
    conflict = check_runs(loaded.runs, profile)
    if conflict:
        raise sources.UnusableInput(conflict)
    try:
        mutation_runs = mutation.read_mutation_runs(dirs)
    except mutation.MutationError as exc:
        raise sources.UnusableInput(str(exc)) from None
    try:
        timings = matrix_timings.read(dirs)
    except matrix_timings.TimingsError as exc:
        raise sources.UnusableInput(str(exc)) from None
    matrix = build_matrix(loaded.runs, profile=profile)
    matrix = dataclasses.replace(matrix, ignored=tuple(sorted({*loaded.ignored, *matrix.ignored})))
    root = (project or sources.project_root()).resolve()
    env_path = sources.images_env_path()
    given = sorted({str(run.data.get("manifests") or "manifests") for run in loaded.runs})
    bases = (Path.cwd(), root)
    allowed = (root, *dirs)
    report = build_report(
        matrix,
        strict=strict,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        version=minio_conformance.__version__,
        revision=sources.git_revision(root),
        images_env=sources.read_images_env(env_path),
        images_env_path=str(env_path),
        manifests=[sources.manifests_digest(g, bases, allowed) for g in given],
        results_dirs=[str(d) for d in dirs],
        mutation_runs=mutation_runs,
        matrix_runs=timings,
    )
    page = render_page(report, redactor)
    text = json.dumps(redactor.obj(summary(report)), indent=1, default=str) + "\n"
    if results_dirs:
        _prepare_out_dir(out_dir)
    write_outputs(out_dir, {"index.html": page, "summary.json": text})
    return out_dir / "index.html", report.verdict.line, report.verdict.exit_code


def _fail(message: str) -> int:
    print(f"minio-conformance report: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_UNUSABLE


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        page, line, code = build(
            args.out_dir,
            strict=args.strict,
            redact_files=args.redact_file,
            project=args.project,
            results_dirs=args.results_dirs,
            profile=PROFILES[args.profile],
        )
    except sources.UnusableInput as exc:
        return _fail(str(exc))
    except RecursionError:
        return _fail("input nested too deeply to be judged")
    except MemoryError:
        return _fail("input too large to be judged")
    except Exception as exc:  # a gate answers in one line, never with a traceback
        return _fail(f"cannot build the report: {type(exc).__name__}: {exc}")
    print(f"report: {page}")
    print(line)
    return code
