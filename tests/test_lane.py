"""A lane gives a second kind cluster of the same size its own name, so runs can share the machine."""

from __future__ import annotations

import pytest

from fixtures.config import parse_lane
from minio_conformance.kindnodes import cluster_name


def test_lane_names_its_own_cluster() -> None:
    assert cluster_name(4) == "minio-conformance-4n"
    assert cluster_name(4, "upgrade") == "minio-conformance-4n-upgrade"


@pytest.mark.parametrize("raw", ["Upgrade", "-x", "x-", "a" * 21, "a b", "a/b", "a_b", "ä"])
def test_lane_outside_label_text_is_a_usage_error(raw: str) -> None:
    with pytest.raises(pytest.UsageError, match="--minio-lane"):
        parse_lane(raw)


@pytest.mark.parametrize("raw", ["", "upgrade", "m2", "a" * 20, "mut-1"])
def test_lane_label_text_is_kept(raw: str) -> None:
    assert parse_lane(raw) == raw
