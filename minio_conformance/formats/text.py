"""One line per finding (`file:line:col: ID message (expected X, found Y)`), then one summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minio_conformance.gate import GateResult, Located, RequirementResult

LIMIT = 3


def finding_line(f: Located, advisory: bool = False) -> str:
    where = f" (for {', '.join(map(str, sorted(f.nodes)))} node{'s' if f.nodes != [1] else ''})" if f.nodes else ""
    mark = "advisory: " if advisory else ""
    return f"{f.location}: {f.requirement} {mark}{f.detail}{where}"


def _lines(r: RequirementResult, verbose: bool) -> list[str]:
    from minio_conformance.gate import Outcome

    advisory = r.outcome is Outcome.ADVISORY
    shown = r.findings if verbose else r.findings[:LIMIT]
    lines = [finding_line(f, advisory) for f in shown]
    hidden = len(r.findings) - len(shown)
    if hidden:
        lines.append(
            f"{r.findings[LIMIT].location}: {r.id} and {hidden} more finding(s) (-v or --format json lists them)"
        )
    return lines


def summary(result: GateResult) -> str:
    from minio_conformance.gate import Outcome

    def ids(*outcomes: Outcome) -> list[str]:
        return result.ids(*outcomes)

    violated, advisory = ids(Outcome.VIOLATED), ids(Outcome.ADVISORY)
    parts = []
    if result.exit_code:
        parts.append(f"FAILED: {len(result.failing)} violated ({' '.join(result.failing)})")
    else:
        parts.append(f"passed: {len(ids(Outcome.PASSED))} requirement(s) met")
    if result.exit_code:
        parts.append(f"{len(ids(Outcome.PASSED))} met")
    if advisory and not result.strict:
        parts.append(f"{len(advisory)} advisory not met ({' '.join(advisory)})")
    waived = ids(Outcome.WAIVED)
    if waived:
        parts.append(f"{len(waived)} waived ({' '.join(waived)})")
    unevaluated = ids(Outcome.NOT_EVALUATED)
    if unevaluated:
        owners = sorted({result.results[r].depends_on or "?" for r in unevaluated})
        parts.append(f"{len(unevaluated)} not evaluated (they need what {', '.join(owners)} reports)")
    deviations = result.config.deviations
    if deviations:
        parts.append(f"{len(deviations)} name(s) differ from the documented ones ({result.config.path})")
    skipped = len(result.notes)
    files = len(result.files)
    parts.append(
        f"{result.objects} object(s) in {files} file{'s' if files != 1 else ''}, {result.basis}"
        + (f", {skipped} document(s) skipped (-v)" if skipped else "")
    )
    del violated
    return "minio-conformance gate: " + "; ".join(parts)


def render(result: GateResult, *, verbose: bool = False) -> str:
    from minio_conformance.gate import Outcome

    lines: list[str] = []
    for r in result.results.values():
        if r.outcome in (Outcome.VIOLATED, Outcome.ADVISORY) or (verbose and r.outcome is Outcome.WAIVED):
            prefix = []
            if r.outcome is Outcome.WAIVED:
                prefix = [f"{f.location}: {r.id} waived: {f.detail}" for f in r.findings]
            lines += prefix or _lines(r, verbose)
    if verbose:
        for note in result.notes:
            lines.append(f"note: {note}")
        for field, (documented, configured) in result.config.deviations.items():
            lines.append(f"note: {field} is {configured}, not the documented {documented} ({result.config.path})")
        for r in result.results.values():
            if r.outcome is Outcome.WAIVED:
                lines.append(f"note: {r.id} waived: {r.waiver}")
            elif r.outcome is Outcome.NOT_EVALUATED:
                lines.append(f"note: {r.id} not evaluated: {r.reason}" + (f" ({r.depends_on})" if r.depends_on else ""))
            elif r.outcome is Outcome.NOT_APPLICABLE:
                lines.append(f"note: {r.id} not applicable: {r.reason}")
            for n in r.notes:
                lines.append(f"note: {r.id}: {n}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
