"""The combined auditor report: every run's JSON record turned into one requirement matrix.

`python -m minio_conformance.reporting [OUT_DIR [RESULTS_DIR ...]]` writes OUT_DIR/index.html
(one self-contained page) and OUT_DIR/summary.json, from the results in OUT_DIR or, given
RESULTS_DIRs, merged from those. Exit codes: 0 PASS, 1 FAILED, 2 input that cannot be
judged (one line on stderr), 3 INCOMPLETE (see `cli`). With `--profile quick` (a partial
run by design, `profiles`) the verdict is PASS-PARTIAL (exit 0) or FAILED, never PASS.

`records` checks the shape of a results record, `profiles` (what a run covers), `model`,
`charts` and `upgrade` (the upgrade scenario's section) are pure, `sources` does the (bounded)
reading, `render` the escaping, `cli` the writing.
"""
