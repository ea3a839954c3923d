"""A concrete set deployed on kind under a node mapping: the leg's header and summary.json state it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minio_conformance.reporting.cli import main as report_main
from tests.report_data import complete_records, write_records

pytestmark = pytest.mark.unit

MAPPING = {"rack1-b": "minio-conformance-2n-worker2", "rack1-a": "minio-conformance-2n-worker"}
NODES = ["minio-conformance-2n-control-plane", "minio-conformance-2n-worker", "minio-conformance-2n-worker2"]


def runs_with_deploy(deploy: dict[str, object]) -> dict[str, dict[str, object]]:
    runs = complete_records()
    runs["leg-2nodes-live"]["deploy"] = {
        "cluster": "minio-conformance-2n",
        "nodes": NODES,
        "schedulable": NODES[1:],
        "replicas": 2,
        **deploy,
    }
    return runs


def test_the_mapping_is_stated_in_the_legs_header_and_in_summary_json(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "reports", runs_with_deploy({"node_mapping": MAPPING}))
    assert report_main([str(reports)]) == 0
    summary = json.loads((reports / "summary.json").read_text())
    legs = {leg["key"]: leg for leg in summary["legs"]}
    assert legs["2"]["node mapping"] == dict(sorted(MAPPING.items()))
    assert legs["4"]["node mapping"] is None
    page = (reports / "index.html").read_text()
    header = page[page.index('class="node-mapping"') :]
    header = header[: header.index("</div>")]
    assert "<code>rack1-a</code> &rarr; <code>minio-conformance-2n-worker</code>" in header
    assert header.index("rack1-a") < header.index("rack1-b")


def test_no_mapping_no_line(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "reports", runs_with_deploy({"node_mapping": {}}))
    assert report_main([str(reports)]) == 0
    assert 'class="node-mapping"' not in (reports / "index.html").read_text()


@pytest.mark.parametrize("field", ["node_mapping", "names"])
def test_a_deploy_field_that_is_not_an_object_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    reports = write_records(tmp_path / "reports", runs_with_deploy({field: ["rack1-a"]}))
    assert report_main([str(reports)]) == 2
    err = capsys.readouterr().err.strip()
    assert field in err
    assert len(err.splitlines()) == 1


NAMES = {"namespace": ["minio-system", "objstore"], "statefulset": ["minio", "s3"], "api_node_port": ["30900", "31900"]}


def test_the_teams_names_are_stated_in_the_legs_header_and_in_summary_json(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "reports", runs_with_deploy({"names": NAMES}))
    assert report_main([str(reports)]) == 0
    summary = json.loads((reports / "summary.json").read_text())
    legs = {leg["key"]: leg for leg in summary["legs"]}
    assert legs["2"]["names differing from 000"] == {
        "api_node_port": {"documented": "30900", "deployed": "31900"},
        "namespace": {"documented": "minio-system", "deployed": "objstore"},
        "statefulset": {"documented": "minio", "deployed": "s3"},
    }
    assert legs["4"]["names differing from 000"] is None
    page = (reports / "index.html").read_text()
    header = page[page.index('class="team-names"') :]
    header = header[: header.index("</div>")]
    assert "statefulset <code>minio</code> &rarr;\n<code>s3</code>" in header
    assert page.count('class="team-names"') == 1
