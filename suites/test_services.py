"""SVC: the headless and NodePort Services (000 §7)."""

from collections.abc import Callable

import pytest


@pytest.mark.static
@pytest.mark.requirement("SVC-1")
def test_headless_service(prove_static: Callable[[str], None]) -> None:
    """clusterIP None, app=minio, ports api 9000 and console 9001."""
    prove_static("SVC-1")


@pytest.mark.static
@pytest.mark.requirement("SVC-2")
def test_node_ports(prove_static: Callable[[str], None]) -> None:
    """S3 API on 30900, console on 30901."""
    prove_static("SVC-2")
