"""STO, PREP, PV: local storage (000 §4-§6)."""

from collections.abc import Callable

import pytest


@pytest.mark.static
@pytest.mark.requirement("STO-1")
def test_storage_class_is_local_retained_and_delayed(prove_static: Callable[[str], None]) -> None:
    """no-provisioner, WaitForFirstConsumer, expandable, Retain."""
    prove_static("STO-1")


@pytest.mark.static
@pytest.mark.requirement("PREP-3")
def test_storage_prep_is_the_only_privileged_workload(prove_static: Callable[[str], None]) -> None:
    """The host-root DaemonSet is the single privileged workload; its risk is reported."""
    prove_static("PREP-3")


@pytest.mark.static
@pytest.mark.requirement("PV-1")
def test_one_local_pv_per_schedulable_node(prove_static: Callable[[str], None]) -> None:
    """One 10Gi RWO local PV per schedulable node, labelled and classed."""
    prove_static("PV-1")


@pytest.mark.static
@pytest.mark.requirement("PV-2")
def test_each_pv_pinned_to_its_own_node(prove_static: Callable[[str], None]) -> None:
    """Required hostname nodeAffinity; never two PVs on one node."""
    prove_static("PV-2")
