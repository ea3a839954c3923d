"""A real MinIO version change in the upgrade scenario: the base (and the rollback) on another MinIO image.

`--minio-base-image` (env MINIO_CONFORMANCE_BASE_MINIO_IMAGE) gives the base's image; the head keeps
the run's. The record names both images and, when they differ, the version change; the auditor page
and summary.json show them.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fixtures.config import _read_run_config
from fixtures.upgrade import UpgradeRun, rendered_objects, statefulset_of
from minio_conformance.checks.upgrade import image_tag, minio_image, version_change
from minio_conformance.kindnodes import kind_nodes
from minio_conformance.manifests import load_manifests
from minio_conformance.render import Credentials, ImageOverrides
from minio_conformance.reporting.cli import main as report_main
from minio_conformance.reporting.records import RecordError, check_record
from tests.report_data import complete_records, upgrade_record, verdict, with_upgrade_run, write_records
from tests.test_report_upgrade import recorded_property, the_section, upg4_passing

SHIPPED = Path(__file__).resolve().parent.parent / "manifests"
OLD = "minio-conformance/minio:RELEASE.2025-09-07T16-13-09Z"
NEW = "minio-conformance/minio:RELEASE.2025-10-15T17-29-55Z"
CHANGE = "MinIO version change: RELEASE.2025-09-07T16-13-09Z -> RELEASE.2025-10-15T17-29-55Z"


# --- the pure parts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "tag"),
    [
        (OLD, "RELEASE.2025-09-07T16-13-09Z"),
        ("minio", "minio"),
        ("host:5000/minio", "host:5000/minio"),
        ("host:5000/minio:RELEASE.x", "RELEASE.x"),
        ("minio/minio:RELEASE.y@sha256:abc", "RELEASE.y"),
    ],
)
def test_image_tag(image: str, tag: str) -> None:
    assert image_tag(image) == tag


def test_version_change_names_the_releases() -> None:
    assert version_change(OLD, NEW) == CHANGE
    downgrade = "MinIO version change: RELEASE.2025-10-15T17-29-55Z -> RELEASE.2025-09-07T16-13-09Z"
    assert version_change(NEW, OLD) == downgrade


def test_version_change_is_none_for_the_same_image_or_an_unknown_side() -> None:
    assert version_change(NEW, NEW) is None
    assert version_change("", NEW) is None
    assert version_change(OLD, "") is None


def test_version_change_with_the_same_tag_names_the_whole_images() -> None:
    assert version_change("a/minio:R1", "b/minio:R1") == "MinIO version change: a/minio:R1 -> b/minio:R1"


def test_minio_image_of_a_statefulset() -> None:
    def sts(*containers: dict[str, Any]) -> dict[str, Any]:
        return {"spec": {"template": {"spec": {"containers": list(containers)}}}}

    assert minio_image(sts({"name": "sidecar", "image": "s:1"}, {"name": "minio", "image": OLD})) == OLD
    assert minio_image(sts({"name": "server", "image": NEW})) == NEW
    assert minio_image(sts()) == ""
    assert minio_image({}) == ""
    assert minio_image(sts({"name": "minio", "image": 3})) == ""


def test_base_and_head_render_with_their_own_images() -> None:
    """What fixtures/upgrade.py does: the base set rendered with the base image, the head with the run's."""
    manifests = load_manifests(SHIPPED)
    creds = Credentials("user-abc", "secret-xyz-123")
    nodes = kind_nodes(4)
    base = rendered_objects(manifests, nodes, creds, ImageOverrides(OLD, "h:1"))
    head = rendered_objects(manifests, nodes, creds, ImageOverrides(NEW, "h:1"))
    assert (minio_image(statefulset_of(base)), minio_image(statefulset_of(head))) == (OLD, NEW)
    changed = [o for o, n in zip(base, head, strict=True) if o != n]
    assert [o["kind"] for o in changed] == ["StatefulSet"], "only the MinIO image differs"


# --- the option ---------------------------------------------------------------------------------------


def _config(**options: Any) -> Any:
    values = {"manifests": str(SHIPPED), "minio_nodes": "4", **options}
    return SimpleNamespace(getoption=lambda name: values.get(name), invocation_params=SimpleNamespace(dir=Path.cwd()))


def test_base_image_from_the_option_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINIO_CONFORMANCE_BASE_MINIO_IMAGE", raising=False)
    monkeypatch.setenv("MINIO_CONFORMANCE_MINIO_IMAGE", NEW)
    assert _read_run_config(_config()).images.base_minio is None
    assert _read_run_config(_config(minio_base_image=OLD)).images.base_minio == OLD
    monkeypatch.setenv("MINIO_CONFORMANCE_BASE_MINIO_IMAGE", OLD)
    cfg = _read_run_config(_config())
    assert (cfg.images.base_minio, cfg.images.minio) == (OLD, NEW)
    assert _read_run_config(_config(minio_base_image="other:1")).images.base_minio == "other:1"


# --- the record ---------------------------------------------------------------------------------------


def test_the_record_names_both_images_and_the_change() -> None:
    run = UpgradeRun(base_from="the manifests under test", base_image=OLD, head_image=NEW)
    data = run.report_data()
    assert data["images"] == {"base": OLD, "head": NEW}
    assert data["version change"] == CHANGE
    assert run.summary()["version change"] == CHANGE, "the verdicts' evidence carries it too"


def test_the_record_without_a_version_change() -> None:
    data = UpgradeRun(base_image=NEW, head_image=NEW).report_data()
    assert data["images"] == {"base": NEW, "head": NEW}
    assert data["version change"] is None


def _with_images(images: Any, change: Any = None) -> dict[str, Any]:
    record = upg4_passing(upgrade_record())
    prop = recorded_property(record)
    prop["images"], prop["version change"] = images, change
    return record


def test_a_record_with_images_is_well_formed() -> None:
    check_record(_with_images({"base": OLD, "head": NEW}, CHANGE))
    check_record(_with_images({"base": NEW, "head": NEW}))


# --- the report ---------------------------------------------------------------------------------------


def test_section_names_the_images_and_the_change() -> None:
    s = the_section(_with_images({"base": OLD, "head": NEW}, "whatever the record says"))
    assert s.images == (("base", OLD), ("head", NEW))
    assert s.version_change == CHANGE, "recomputed from the images, not copied from the record"


def test_section_without_a_change_or_without_images() -> None:
    same = the_section(_with_images({"base": NEW, "head": NEW}))
    assert (same.images, same.version_change) == ((("base", NEW), ("head", NEW)), None)
    older = the_section(upgrade_record())  # a record from before the images were recorded
    assert (older.images, older.version_change) == ((), None)
    odd = the_section(_with_images({"base": 3, "head": NEW}))
    assert (odd.images, odd.version_change) == ((("head", NEW),), None)


def test_page_and_summary_show_the_version_change(tmp_path: Path) -> None:
    record = _with_images({"base": OLD, "head": NEW}, CHANGE)
    reports = write_records(tmp_path / "reports", with_upgrade_run(complete_records(), record))
    assert report_main([str(reports)]) == 0
    page = (reports / "index.html").read_text()
    assert f"<tr><th>base image</th><td><code>{OLD}</code></td></tr>" in page
    assert f"<tr><th>head image</th><td><code>{NEW}</code></td></tr>" in page
    assert f'<td class="version-change">{CHANGE.replace(">", "&gt;")}</td>' in page
    (up,) = json.loads((reports / "summary.json").read_text())["upgrade"]
    assert (up["images"], up["version change"]) == ({"base": OLD, "head": NEW}, CHANGE)


def test_page_without_a_change_says_none(tmp_path: Path) -> None:
    record = _with_images({"base": NEW, "head": NEW})
    reports = write_records(tmp_path / "reports", with_upgrade_run(complete_records(), record))
    assert report_main([str(reports)]) == 0
    page = (reports / "index.html").read_text()
    assert f"<tr><th>head image</th><td><code>{NEW}</code></td></tr>" in page
    assert "MinIO version change" not in page


# --- a leg that runs the scenario twice: the same image, then a version change ---------------------------

HEADS_NOT_RUN = "the proof heads are not applied in this run (--minio-upgrade-heads none)"


def _version_change_run(rollback_fails: bool) -> dict[str, Any]:
    """The recorded run as a version change without proof heads (`leg-4nodes-version-change`)."""
    record = _with_images({"base": OLD, "head": NEW}, CHANGE)
    prop = recorded_property(record)
    prop["proof heads"], prop["proof heads not run"] = [], HEADS_NOT_RUN
    for test in record["tests"]:
        if "test_broken_head_is_caught_under_its_id" in test["nodeid"]:
            test["outcome"], test["message"] = "skipped", HEADS_NOT_RUN
        if test["requirements"] == ["UPG-5"] and rollback_fails:
            finding = {"message": "rolling back (UPG-4): reads went 61.0 s without success", "object_ref": "S3"}
            test["outcome"], test["message"] = "failed", "UPG-5 violated"
            test["verdicts"] = [{**verdict("UPG-5", "failed"), "findings": [finding]}]
    return record


def _two_runs(tmp_path: Path, rollback_fails: bool) -> Path:
    runs = with_upgrade_run(complete_records(), upg4_passing(upgrade_record()))
    runs["leg-4nodes-version-change"] = _version_change_run(rollback_fails)
    return write_records(tmp_path / "reports", runs)


def test_each_run_of_a_leg_gets_its_own_section_and_verdicts(tmp_path: Path) -> None:
    reports = _two_runs(tmp_path, rollback_fails=True)
    assert report_main([str(reports)]) == 1, "a failed version change fails the leg's UPG-5 cell and the report"
    summary = json.loads((reports / "summary.json").read_text())
    same, change = summary["upgrade"]
    assert (same["run"], change["run"]) == ("leg-4nodes-disruptive", "leg-4nodes-version-change")
    assert same["verdicts"]["UPG-5"] == "passed"
    assert change["verdicts"]["UPG-5"] == "failed"
    assert change["title"] == f"4 nodes: {CHANGE}"
    assert change["proof heads not run"] == HEADS_NOT_RUN
    assert same["proof heads not run"] is None
    row = next(r for r in summary["matrix"] if r["id"] == "UPG-5")
    assert row["cells"]["4"]["status"] == "failed"
    page = (reports / "index.html").read_text()
    assert HEADS_NOT_RUN in page
    assert page.count('<section class="upgrade"') == 2


def test_a_passing_version_change_beside_the_same_image_run_passes(tmp_path: Path) -> None:
    reports = _two_runs(tmp_path, rollback_fails=False)
    assert report_main([str(reports)]) == 0
    summary = json.loads((reports / "summary.json").read_text())
    assert [u["verdicts"]["UPG-5"] for u in summary["upgrade"]] == ["passed", "passed"]


def test_a_reason_for_no_heads_that_is_not_text_is_refused(tmp_path: Path) -> None:
    record = _version_change_run(rollback_fails=False)
    recorded_property(record)["proof heads not run"] = ["no"]
    with pytest.raises(RecordError, match="proof heads not run"):
        check_record(record)


# --- when `nox -s conformance` runs the version change ---------------------------------------------------


class _Session:
    """What version_change_base asks of a nox session: log lines and commands, recorded."""

    def __init__(self) -> None:
        self.logs: list[str] = []
        self.commands: list[tuple[str, ...]] = []

    def log(self, text: str) -> None:
        self.logs.append(text)

    def run(self, *args: str, **_: Any) -> None:
        self.commands.append(args)


def _releases(cache: Path, head: str = NEW, archive: bool = True) -> None:
    tar = cache / "images" / "old.tar"
    tar.parent.mkdir(parents=True, exist_ok=True)
    if archive:
        tar.write_bytes(b"tar")
    (cache / "minio-releases.env").write_text(
        f"# written by toolchain/build-minio-release.sh\nMINIO_BASE_IMAGE={OLD}\n"
        f"MINIO_BASE_IMAGE_ARCHIVE={tar}\nMINIO_HEAD_IMAGE={head}\n"
    )


@pytest.fixture
def nox_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import subprocess

    import noxfile

    monkeypatch.setattr(noxfile, "CACHE", tmp_path)
    monkeypatch.delenv("MINIO_CONFORMANCE_VERSION_CHANGE", raising=False)
    monkeypatch.delenv("MINIO_CONFORMANCE_MINIO_IMAGE", raising=False)
    absent: subprocess.CompletedProcess[bytes] = subprocess.CompletedProcess(["docker"], 1)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: absent)  # the engine lacks the image
    return tmp_path


def test_the_version_change_runs_when_the_cache_holds_the_older_release(nox_cache: Path) -> None:
    import noxfile

    _releases(nox_cache)
    session = _Session()
    assert noxfile.version_change_base(session, {"MINIO_CONFORMANCE_MINIO_IMAGE": NEW}) == OLD  # type: ignore[arg-type]
    assert session.commands == [("docker", "load", "-q", "-i", str(nox_cache / "images" / "old.tar"))]
    assert session.logs == [f"version change: {OLD} -> {NEW}"]


@pytest.mark.parametrize(
    ("setup", "env", "why"),
    [
        ("none", {"MINIO_CONFORMANCE_MINIO_IMAGE": NEW}, "no older MinIO release in the cache"),
        ("no-archive", {"MINIO_CONFORMANCE_MINIO_IMAGE": NEW}, "no older MinIO release in the cache"),
        ("other-head", {"MINIO_CONFORMANCE_MINIO_IMAGE": NEW}, "was built beside minio/minio:other"),
        ("releases", {}, "this run's MinIO image is the public default"),
    ],
)
def test_the_version_change_is_left_out_with_the_reason(
    nox_cache: Path, setup: str, env: dict[str, str], why: str
) -> None:
    import noxfile

    if setup == "no-archive":
        _releases(nox_cache, archive=False)
    elif setup == "other-head":
        _releases(nox_cache, head="minio/minio:other")
    elif setup == "releases":
        _releases(nox_cache)
    session = _Session()
    assert noxfile.version_change_base(session, env) is None  # type: ignore[arg-type]
    assert session.commands == []
    [line] = session.logs
    assert line.startswith("version change: not run")
    assert why in line


def test_the_version_change_setting_turns_it_off_or_names_the_base(
    nox_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import noxfile

    _releases(nox_cache)
    monkeypatch.setenv("MINIO_CONFORMANCE_VERSION_CHANGE", "off")
    assert noxfile.version_change_base(_Session(), {"MINIO_CONFORMANCE_MINIO_IMAGE": NEW}) is None  # type: ignore[arg-type]
    monkeypatch.setenv("MINIO_CONFORMANCE_VERSION_CHANGE", "team/minio:older")
    assert noxfile.version_change_base(_Session(), {}) == "team/minio:older"  # type: ignore[arg-type]


@pytest.mark.parametrize("heads_not_run", [None, HEADS_NOT_RUN])
def test_what_the_fixture_records_is_what_the_report_accepts(heads_not_run: str | None) -> None:
    """The record as `UpgradeRun.report_data` writes it, with and without proof heads, passes the record check."""
    from minio_conformance.reporting.records import check_upgrade

    run = UpgradeRun(base_from="the manifests under test", base_image=OLD, head_image=NEW, heads_not_run=heads_not_run)
    run.digests = {"base": "a" * 64, "head": "b" * 64}
    data = json.loads(json.dumps(run.report_data()))
    assert data["proof heads not run"] == heads_not_run
    check_upgrade("test", data)
