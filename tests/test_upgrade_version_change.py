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
from minio_conformance.reporting.records import check_record
from tests.report_data import complete_records, upgrade_record, with_upgrade_run, write_records
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
