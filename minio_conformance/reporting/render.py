"""Rendering the page with Jinja2: autoescape for every value, the redactor on every value as well."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

from minio_conformance.redact import Redactor
from minio_conformance.reporting import charts
from minio_conformance.reporting.model import Status, leg_title
from minio_conformance.reporting.page import Report
from minio_conformance.reporting.template import PAGE

_CSS = {
    Status.PASSED: "s-passed",
    Status.FAILED: "s-failed",
    Status.NOT_APPLICABLE: "s-na",
    Status.WAIVED: "s-waived",
    Status.NOT_EVALUATED: "s-noteval",
    Status.SKIPPED: "s-skipped",
    Status.NOT_RUN: "s-notrun",
}
_SHORT = {Status.NOT_APPLICABLE: "n/a"}


def environment(redactor: Redactor) -> Environment:
    """Autoescaping environment whose `finalize` redacts every printed value (defence in depth)."""

    def finalize(value: Any) -> Any:
        if isinstance(value, Markup):  # macro output: its values were finalized when it was rendered
            return value
        if isinstance(value, str):
            return redactor.text(value)
        return value

    env = Environment(
        loader=DictLoader({"index.html": PAGE}),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=False,
    )
    env.filters["css"] = lambda s: _CSS[Status(s)]
    env.filters["short"] = lambda s: _SHORT.get(Status(s), Status(s).value)
    env.filters["legtitle"] = leg_title
    env.filters["secs"] = lambda v: charts.seconds(float(v)) if isinstance(v, int | float) else v
    env.filters["tojson_text"] = lambda v: json.dumps(v, sort_keys=True, default=str)
    return env


def render_page(report: Report, redactor: Redactor) -> str:
    template = environment(redactor).get_template("index.html")
    return template.render(report=report, meta=report.meta, upgrade_links=report.upgrade_links)
