"""The combined auditor report: every run's JSON record turned into one requirement matrix.

`python -m minio_conformance.reporting [REPORTS_DIR]` writes REPORTS_DIR/index.html (one
self-contained page) and REPORTS_DIR/summary.json. `model` and `charts` are pure,
`sources` does the reading, `render` the escaping, `cli` the writing.
"""
