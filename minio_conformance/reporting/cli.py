"""`python -m minio_conformance.reporting [REPORTS_DIR]`: build index.html and summary.json.

Exit 0 when no required requirement failed in any leg, 1 when one did (advisory ones
too with --strict), 2 with one line on stderr when the input is unusable.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import minio_conformance
from minio_conformance.redact import Redactor
from minio_conformance.reporting import sources
from minio_conformance.reporting.model import build_matrix
from minio_conformance.reporting.page import build_report, summary
from minio_conformance.reporting.render import render_page

EXIT_UNUSABLE = 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m minio_conformance.reporting",
        description="Combine the runs' JSON records in REPORTS_DIR into index.html and summary.json.",
    )
    p.add_argument("reports_dir", nargs="?", default="reports", type=Path, help="directory of <name>.json runs")
    p.add_argument("--strict", action="store_true", help="advisory requirements that failed fail the verdict too")
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


def build(
    reports_dir: Path, *, strict: bool, redact_files: Sequence[Path], project: Path | None
) -> tuple[Path, str, int]:
    """Read, judge, write; returns (page path, verdict line, exit code). Raises UnusableInput."""
    redactor = Redactor()
    for path in redact_files:
        for value in sources.read_redact_file(path):
            redactor.add(value)
    loaded = sources.load_runs(reports_dir, redactor)
    matrix = build_matrix(loaded.runs)
    matrix = dataclasses.replace(matrix, ignored=tuple(sorted({*loaded.ignored, *matrix.ignored})))
    root = project or sources.project_root()
    env_path = sources.images_env_path()
    given = sorted({str(run.data.get("manifests") or "manifests") for run in loaded.runs})
    bases = (Path.cwd(), root)
    report = build_report(
        matrix,
        strict=strict,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        version=minio_conformance.__version__,
        revision=sources.git_revision(root),
        images_env=sources.read_images_env(env_path),
        images_env_path=str(env_path),
        manifests=[sources.manifests_digest(g, bases) for g in given],
    )
    page = reports_dir / "index.html"
    try:
        page.write_text(render_page(report, redactor), encoding="utf-8")
        text = json.dumps(redactor.obj(summary(report)), indent=1, default=str)
        (reports_dir / "summary.json").write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise sources.UnusableInput(f"cannot write the report into {reports_dir}: {exc.strerror or exc}") from None
    return page, report.verdict.line, report.verdict.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        page, line, code = build(
            args.reports_dir, strict=args.strict, redact_files=args.redact_file, project=args.project
        )
    except sources.UnusableInput as exc:
        print(f"minio-conformance report: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"report: {page}")
    print(line)
    return code
