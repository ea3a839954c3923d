"""TOP: the topology decides the mode (000 §2)."""

from collections.abc import Callable

import pytest


@pytest.mark.static
@pytest.mark.requirement("TOP-1")
def test_volumes_only_on_schedulable_nodes(prove_static: Callable[[str], None]) -> None:
    """PVs go to exactly the untainted nodes; MinIO pods do not tolerate the control-plane taint."""
    prove_static("TOP-1")


@pytest.mark.static
@pytest.mark.requirement("TOP-2")
def test_replicas_follow_schedulable_nodes(prove_static: Callable[[str], None]) -> None:
    """1 node -> 1 replica, 2 -> 2, 3+ -> one per node."""
    prove_static("TOP-2")


@pytest.mark.static
@pytest.mark.requirement("TOP-3")
def test_server_args_match_mode(prove_static: Callable[[str], None]) -> None:
    """Standalone serves /data; distributed names every pod's URL."""
    prove_static("TOP-3")
