"""The auditor page's upgrade section (UPG-1..5), on the record of a live 4-node run of the upgrade tests.

tests/data/reporting/upgrade/leg-4nodes-disruptive.json is that run's results sidecar as written
(UPG-4 failed in it: reads went 26.6 s without success during the rollout). It is merged into the
generated complete run (tests/report_data.py) in place of the generated UPG tests. Malformed
`upgrade` properties are refused like every other malformed field: exit 2, one line.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from minio_conformance.reporting import charts, upgrade
from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.model import (
    EXIT_FAILED,
    EXIT_PASS,
    EXIT_UNUSABLE,
    Matrix,
    Result,
    RunFile,
    Status,
    build_matrix,
    missed_proof_heads,
)
from minio_conformance.reporting.records import MAX_FAILED_ATTEMPTS, RecordError, check_record
from tests.report_data import UPGRADE_RUN, complete_records, upgrade_record, verdict, with_upgrade_run, write_records

UPG4 = "suites/test_upgrade.py::test_service_during_the_rollout_matches_quorum"
MOUNT_PATH_TEST = "suites/test_upgrade.py::test_broken_head_is_caught_under_its_id[mount-path-moved-UPG-3]"


def recorded_property(record: dict[str, Any]) -> dict[str, Any]:
    test = next(t for t in record["tests"] if t["nodeid"] == UPG4)
    value: dict[str, Any] = test["properties"]["upgrade"]
    return value


def upg4_passing(record: dict[str, Any]) -> dict[str, Any]:
    """The recorded run as if UPG-4 had passed (the record itself holds a real UPG-4 failure)."""
    test = next(t for t in record["tests"] if t["nodeid"] == UPG4)
    test["outcome"], test["message"], test["verdicts"] = "passed", "", [verdict("UPG-4")]
    return record


def matrix_of(record: dict[str, Any] | None = None) -> Matrix:
    runs = with_upgrade_run(complete_records(), record)
    return build_matrix([RunFile(name, data) for name, data in runs.items()])


def the_section(record: dict[str, Any] | None = None) -> upgrade.UpgradeSection:
    sections = upgrade.sections(matrix_of(record))
    assert len(sections) == 1
    return sections[0]


# --- the record ------------------------------------------------------------------------------------


def test_the_recorded_run_is_a_well_formed_record() -> None:
    record = upgrade_record()
    check_record(record)
    assert record["node counts"] == ["4"]
    prop = recorded_property(record)
    assert {"digests", "diff", "directions", "proof heads"} <= set(prop)
    assert [d["direction"] for d in prop["directions"]] == ["upgrade", "rollback"]


def test_section_of_the_recorded_run() -> None:
    s = the_section()
    assert (s.anchor, s.leg, s.test.nodeid) == ("upgrade-4", "4", UPG4)
    digests = dict(s.digests)
    assert digests["base"] == "b34858c5c3fe585eb05a04b9aa899aee5c7256cc3d990c02ba8fbb8655503bf7"
    assert digests["head"].startswith(digests["base"] + " + pod-template annotation")
    assert s.base.startswith("the manifests under test")
    assert (s.objects_written, s.largest_object) == (201, 12582912)
    assert "minio-conformance.io/upgrade-head" in s.diff
    assert (s.diff_lines, s.diff_cut) == (11, 0)
    assert [v.requirement for v in s.verdicts] == ["UPG-1", "UPG-2", "UPG-3", "UPG-4", "UPG-5"]
    statuses = {v.requirement: v.cell.status for v in s.verdicts}
    assert statuses == {"UPG-1": Status.PASSED, "UPG-2": Status.PASSED, "UPG-3": Status.PASSED,
                        "UPG-4": Status.FAILED, "UPG-5": Status.PASSED}  # fmt: skip
    upg4 = next(v for v in s.verdicts if v.requirement == "UPG-4")
    assert upg4.finding.startswith("S3: reads went 26.6 s without success during the rollout")
    assert upg4.test is not None
    assert upg4.test.nodeid == UPG4
    assert all(v.finding == "" for v in s.verdicts if v.cell.status is Status.PASSED), "a note is not a finding"
    assert [(p.head, p.catches, p.caught) for p in s.proof_heads] == [
        ("renamed-claim-template", "UPG-1", True),
        ("pod-management-parallel", "UPG-1", True),
        ("partition-left-in-place", "UPG-1", True),
        ("mount-path-moved", "UPG-3", True),
    ]
    assert s.missed == ()


def test_phase_stats_per_direction_are_the_recorded_ones() -> None:
    s = the_section()
    forward, rollback = s.directions
    assert forward.name == "upgrade"
    assert (forward.from_revision, forward.to_revision) == ("minio-5c749df887", "minio-57577cc45c")
    assert (rollback.from_revision, rollback.to_revision) == (forward.to_revision, forward.from_revision)
    assert [p.label for p in forward.phases] == ["before", "rollout", "after"]
    rollout = forward.phases[1]
    assert rollout.window == (1.01, 53.12)
    assert rollout.read == upgrade.OpStats(54, 51, 0.9444, 26.59)
    assert rollout.write == upgrade.OpStats(50, 50, 1.0, 3.11)
    assert (rollout.read.percent, rollout.write.percent) == ("94.4 %", "100 %")
    assert rollback.phases[1].write == upgrade.OpStats(52, 51, 0.9808, 4.47)
    assert forward.rollout_end_s == 53.12
    assert [r.pod for r in forward.replacements] == ["minio-3", "minio-2", "minio-1", "minio-0"]
    assert forward.replacements[0] == upgrade.Replacement("minio-3", 1.01, 14.05)
    assert dict(forward.failures) == {"read": "ReadTimeoutError x3", "write": ""}


def test_failed_attempts_merge_where_they_touch() -> None:
    forward, rollback = the_section().directions
    # three 10 s read timeouts back to back: one outage from the first start to the last end
    (outage,) = forward.outages
    assert (outage.op, outage.start, outage.attempts) == ("read", 27.02, 3)
    assert outage.end == pytest.approx(47.08 + 10.03)
    assert outage.outcomes == ("ReadTimeoutError",) * 3
    reads = [o for o in rollback.outages if o.op == "read"]
    writes = [o for o in rollback.outages if o.op == "write"]
    assert [(o.start, o.attempts) for o in reads] == [(13.99, 2)]  # 13.99 + 10.035 reaches 24.02
    assert [(o.start, round(o.end, 3), o.attempts) for o in writes] == [(41.65, 41.678, 1)]
    apart = upgrade.outages([[1.0, "read", "503", 0.2], [1.5, "read", "503", 0.1], [1.6, "read", "503", 0.1]], "read")
    assert [(o.start, round(o.end, 3), o.attempts) for o in apart] == [(1.0, 1.2, 1), (1.5, 1.7, 2)]


def test_timeline_chart_of_the_recorded_upgrade() -> None:
    forward = the_section().directions[0]
    chart = forward.chart
    assert chart is not None
    assert [label for _, label in chart.labels] == [
        "minio-3", "minio-2", "minio-1", "minio-0", "failed reads", "failed writes: none", "1 apply, 2 rollout end",
    ]  # fmt: skip
    label_w = charts.label_width(chart.rows)
    assert chart.axis_x0 == label_w, "the axis starts at the first probe attempt (-3.01 s)"
    zero = next(t for t in chart.ticks if t.label == "0")
    scale = charts.PLOT_W / (60 + 3.01)
    assert zero.x == pytest.approx(label_w + 3.01 * scale, abs=0.2)
    assert chart.ticks[-1].label == "60 s"
    assert chart.ticks[0].label == "0", "no tick left of 0: the axis is cut at the first attempt"
    pods = [r for r in chart.rects if r.css == "c-pod"]
    assert [r.x for r in pods] == sorted(r.x for r in pods), "highest ordinal first, one after another"
    assert pods[0].x == pytest.approx(zero.x + 1.01 * scale, abs=0.2)
    assert pods[0].width == pytest.approx((14.05 - 1.01) * scale, abs=0.2)
    assert pods[0].text == "13 s"
    (outage,) = [r for r in chart.rects if r.css == "c-read-fail"]
    assert outage.text == "", "many short spans: no duration text beside each"
    assert outage.x == pytest.approx(zero.x + 27.02 * scale, abs=0.2)
    assert [round(x, 1) for x, _ in chart.marks] == [zero.x, pytest.approx(zero.x + 53.12 * scale, abs=0.2)]
    assert [p.number for p in chart.points] == [1, 2]
    assert all(r.x >= label_w and r.x + r.width <= chart.width for r in chart.rects), "nothing drawn off the plot"


def test_layout_from_a_negative_start() -> None:
    rows = [charts.ChartRow("a", (charts.Span(-12, 30, "c", "a"),))]
    chart = charts.layout("x", rows, start=-12)
    assert [t.label for t in chart.ticks] == ["-10", "0", "10", "20", "30 s"]
    assert chart.rects[0].x == chart.axis_x0 == charts.label_width(rows)
    assert chart.ticks[-1].x == pytest.approx(chart.axis_x0 + charts.PLOT_W)
    plain = charts.layout("x", [charts.ChartRow("a", (charts.Span(-5, 30, "c", "a"),))])
    assert plain.rects[0].x == plain.ticks[0].x == plain.axis_x0, "without start the axis begins at 0, as before"


# --- verdict: a proof head not caught fails the report ------------------------------------------------


def test_the_recorded_run_with_upg4_passing_is_a_pass() -> None:
    v = matrix_of(upg4_passing(upgrade_record())).verdict()
    assert (v.result, v.missed_proof_heads) == (Result.PASS, ()), v.line


def test_a_proof_head_not_caught_fails_the_report() -> None:
    record = upg4_passing(upgrade_record())
    head = recorded_property(record)["proof heads"][3]
    head["caught"], head["first finding"] = False, ""
    matrix = matrix_of(record)
    v = matrix.verdict()
    assert (v.result, v.exit_code) == (Result.FAILED, EXIT_FAILED)
    assert v.required_failed == (), "no requirement failed: the missed head alone fails the report"
    assert v.line.startswith("FAILED: proof head(s) not caught: mount-path-moved not caught by UPG-3 (4 nodes)")
    (missed,) = v.missed_proof_heads
    assert (missed.leg, missed.head, missed.catches) == ("4", "mount-path-moved", "UPG-3")
    assert missed.anchor == "upgrade-4-proofs"
    assert missed.why == "UPG-3 found nothing wrong"
    assert [p.head for p in upgrade.sections(matrix)[0].missed] == ["mount-path-moved"]


def test_a_failed_proof_head_test_fails_the_report_without_an_upgrade_record() -> None:
    record = upg4_passing(upgrade_record())
    for test in record["tests"]:
        test["properties"].pop("upgrade", None)
        if test["nodeid"] == MOUNT_PATH_TEST:
            test["outcome"], test["message"] = "failed", "Failed: mount-path-moved: UPG-3 did not catch it (passed)"
    matrix = matrix_of(record)
    (missed,) = missed_proof_heads(matrix.tests)
    assert (missed.head, missed.catches) == ("mount-path-moved", "UPG-3")
    assert missed.why == "Failed: mount-path-moved: UPG-3 did not catch it (passed)"
    assert missed.anchor == next(t.anchor for t in matrix.tests if t.nodeid == MOUNT_PATH_TEST)
    assert matrix.verdict().result is Result.FAILED
    assert upgrade.sections(matrix) == ()
    assert upgrade.legs_without_record(matrix, ()) == ("4",), "the page says the leg recorded no upgrade data"


def test_page_and_summary_show_the_missed_head(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = upg4_passing(upgrade_record())
    recorded_property(record)["proof heads"][3]["caught"] = False
    reports = write_records(tmp_path / "reports", with_upgrade_run(complete_records(), record))
    assert report_main([str(reports)]) == EXIT_FAILED
    assert "proof head(s) not caught: mount-path-moved" in capsys.readouterr().out
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["verdict"]["proof heads not caught"] == [
        {"leg": "4", "head": "mount-path-moved", "must be caught by": "UPG-3", "why": record_finding(record)}
    ]
    assert [p["caught"] for p in summary["upgrade"][0]["proof heads"]] == [True, True, True, False]
    page = (reports / "index.html").read_text()
    assert 'id="missed-proof-heads"' in page
    assert 'href="#upgrade-4-proofs"' in page
    assert 'id="upgrade-4-proofs"' in page
    assert 'data-head="mount-path-moved"\n data-caught="no"' in page


def record_finding(record: dict[str, Any]) -> str:
    return str(recorded_property(record)["proof heads"][3]["first finding"])


# --- summary.json and the page -----------------------------------------------------------------------


def test_summary_carries_the_compact_upgrade_data(tmp_path: Path) -> None:
    reports = write_records(tmp_path / "reports", with_upgrade_run(complete_records(), upg4_passing(upgrade_record())))
    assert report_main([str(reports)]) == EXIT_PASS
    summary = json.loads((reports / "summary.json").read_text())
    (up,) = summary["upgrade"]
    assert (up["leg"], up["anchor"], up["test"]) == ("4", "upgrade-4", UPG4)
    assert set(up["digests"]) == {"base", "head"}
    assert "diff" not in up, "compact: no diff"
    assert "failed attempts" not in json.dumps(up), "compact: no attempt list"
    assert up["verdicts"] == dict.fromkeys(("UPG-1", "UPG-2", "UPG-3", "UPG-4", "UPG-5"), "passed")
    assert [d["direction"] for d in up["directions"]] == ["upgrade", "rollback"]
    assert up["directions"][0]["phases"]["rollout"]["read"] == {
        "attempts": 54, "succeeded": 51, "success ratio": 0.9444, "longest gap s": 26.59,
    }  # fmt: skip
    assert up["directions"][1]["phases"]["before"]["window s"] == [-3.0, 0.0]
    assert len(up["proof heads"]) == 4
    assert summary["verdict"]["proof heads not caught"] == []
    assert summary["legs without an upgrade record"] == []


def test_page_section_escapes_the_record(tmp_path: Path) -> None:
    record = upg4_passing(upgrade_record())
    hostile = "<script>alert('diff')</script>"
    prop = recorded_property(record)
    prop["diff"] += f"+  image: {hostile}\n"
    prop["proof heads"][0]["description"] = hostile
    reports = write_records(tmp_path / "reports", with_upgrade_run(complete_records(), record))
    assert report_main([str(reports)]) == EXIT_PASS
    page = (reports / "index.html").read_text()
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(&#39;diff&#39;)&lt;/script&gt;") == 2
    assert page.count("<script>") == 1
    assert '<section class="upgrade" id="upgrade-4" data-leg="4">' in page
    assert '<details class="diff">' in page, "the diff starts collapsed"
    assert 'href="#upgrade-4">upgrade\nscenario</a>' in page, "the legs row links the section"
    assert '<a href="#upgrade-4">upgrade section</a>' in page, "the UPG-4 test shows a link, not the raw record"


def test_a_long_diff_is_cut_on_the_page() -> None:
    record = upgrade_record()
    lines = upgrade.MAX_DIFF_SHOWN // 3 + 100
    recorded_property(record)["diff"] = "+x\n" * lines
    s = the_section(record)
    assert len(s.diff) == upgrade.MAX_DIFF_SHOWN
    assert (s.diff_cut, s.diff_lines) == (3 * lines - upgrade.MAX_DIFF_SHOWN, lines)


# --- malformed upgrade properties: exit 2, one line ----------------------------------------------------

Edit = Callable[[dict[str, Any]], Any]


def _set(path: str, value: Any) -> Edit:
    def edit(prop: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = prop
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DROP:
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


_DROP = object()

MALFORMED: dict[str, tuple[Edit, str]] = {
    "a list": (lambda p: [p], "property 'upgrade': 'upgrade' must be an object, not array"),
    "no digests": (_set("digests", _DROP), "'digests' is missing (must be an object)"),
    "digest a number": (_set("digests/head", 7), "digests: 'head' must be a non-empty string, not number"),
    "directions an object": (_set("directions", {}), "'directions' must be an array, not object"),
    "no proof heads": (_set("proof heads", _DROP), "'proof heads' is missing (must be an array)"),
    "accepted a string": (_set("directions/0/accepted", "yes"), "directions[0]: 'accepted' must be a boolean"),
    "no phases": (_set("directions/1/phases", _DROP), "directions[1]: 'phases' is missing"),
    "attempts negative": (_set("directions/0/phases/after/write/attempts", -1), "'attempts' must be a count"),
    "attempts a bool": (_set("directions/0/phases/after/write/attempts", True), "'attempts' must be a count"),
    "more successes than attempts": (
        _set("directions/0/phases/rollout/read/succeeded", 99),
        "'succeeded' (99) is more than 'attempts' (54)",
    ),
    "ratio above 1": (_set("directions/0/phases/rollout/read/success ratio", 2), "'success ratio' must be a number"),
    "gap missing": (_set("directions/0/phases/rollout/write/longest gap s", _DROP), "'longest gap s' is missing"),
    "gap huge": (_set("directions/0/phases/rollout/write/longest gap s", 1e300), "'longest gap s' must be a number"),
    "window a list": (_set("directions/0/phases/before/window s", [0, 1]), "'window s' must be an object"),
    "replacement a number": (_set("directions/0/replacements/minio-0", 5), "'replacement' must be an object"),
    "up a string": (_set("directions/0/replacements/minio-0/up s", "52"), "'up s' must be a number of seconds"),
    "attempt too short": (_set("directions/0/failed attempts/0", [1.0, "read"]), "attempts[0]: must be an array"),
    "attempt op a number": (_set("directions/0/failed attempts/1/1", 3), "failed attempts[1]: 'op' must be"),
    "attempt seconds negative": (_set("directions/0/failed attempts/2/3", -1), "failed attempts[2]: 'seconds' must"),
    "too many attempts": (
        _set("directions/1/failed attempts", [[1.0, "read", "503", 0.01]] * (MAX_FAILED_ATTEMPTS + 1)),
        f"'failed attempts' holds {MAX_FAILED_ATTEMPTS + 1} entries, more than the {MAX_FAILED_ATTEMPTS} read at most",
    ),
    "too many proof heads": (_set("proof heads", [{}] * 1000), "'proof heads' holds 1000 entries"),
    "too many pods": (
        _set("directions/0/replacements", {f"minio-{i}": {} for i in range(300)}),
        "'replacements' names 300 pods",
    ),
    "caught a string": (_set("proof heads/3/caught", "no"), "proof heads[3]: 'caught' must be a boolean, not string"),
    "head empty": (_set("proof heads/0/head", ""), "proof heads[0]: 'head' must be a non-empty string, not string"),
    "diff a list": (_set("diff", ["a"]), "'diff' must be a string, not array"),
    "timing a string": (_set("timings s/upgrade", "62"), "timings s: 'upgrade' must be a number"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_upgrade_property_is_refused_naming_the_field(case: str) -> None:
    edit, expected = MALFORMED[case]
    record = upgrade_record()
    test = next(t for t in record["tests"] if t["nodeid"] == UPG4)
    replaced = edit(test["properties"]["upgrade"])
    if replaced is not None:
        test["properties"]["upgrade"] = replaced
    with pytest.raises(RecordError) as caught:
        check_record(record)
    message = str(caught.value)
    assert message.startswith("test #3 property 'upgrade'"), message
    assert expected in message, message
    assert "\n" not in message


def test_a_malformed_upgrade_property_stops_the_builder_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = upgrade_record()
    _set("directions/0/phases/rollout", "lots")(recorded_property(record))
    reports = write_records(tmp_path / "reports", with_upgrade_run(complete_records(), record))
    assert report_main([str(reports)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert f"{UPGRADE_RUN}.json: test #" in err[0]
    assert "directions[0] phases['rollout']: 'phase' must be an object, not string" in err[0]
    assert not (reports / "index.html").exists()


def test_unknown_keys_in_the_upgrade_property_are_allowed() -> None:
    record = copy.deepcopy(upgrade_record())
    prop = recorded_property(record)
    prop["new field"] = {"anything": [1, 2]}
    prop["directions"][0]["phases"]["rollout"]["read"]["p99 s"] = 3.2
    check_record(record)
    assert the_section(record).directions[0].phases[1].read == upgrade.OpStats(54, 51, 0.9444, 26.59)
