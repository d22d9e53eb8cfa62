"""SVG snapshots of the detail and YAML views on the demo fleet (frozen clock, 115 s into
the story: the setup-toolkit pod on EKS crash-loops). Review a changed SVG against the
docstring of its test before accepting it (``--snapshot-update``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.test_detail import demo_app, select, until_read

SnapCompare = Any


async def _open_crashing_pod(pilot: Any, then: tuple[str, ...] = ()) -> None:
    app = pilot.app
    await select(
        pilot,
        app,
        lambda rk, row: row.incident.what == "POD" and "setup-toolkit" in row.incident.subject,
    )
    await pilot.press("enter")
    await until_read(pilot, app)
    for key in then:
        await pilot.press(key)
        await until_read(pilot, app)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_detail_of_the_crashing_pod(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Incident → Enter on the crash-looping setup-toolkit pod: the breadcrumb "Incident >
    pod eks/setup-toolkit-…"; Pod facts (CrashLoopBackOff in red, 1/2 ready, restarts, node,
    IPs); Conditions (Ready False); Containers with "last termination Error, exit code 1"
    and the toolkit_templates message; the events box with the pod's BackOff event (one
    line, newest first, count and last seen); the related list (node, owner deployment) above a
    footer with esc Back, y YAML, l Logs."""
    assert snap_compare(demo_app(), terminal_size=size, run_before=_open_crashing_pod)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_yaml_of_the_crashing_pod(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """y from that detail view: the breadcrumb ends "> yaml pod eks/setup-toolkit-…"; the first
    line says managedFields are hidden (m shows them); then apiVersion: v1, kind: Pod and the
    metadata, keys in bold; the footer shows esc Back, m managedFields and n Next match."""

    async def run_before(pilot: Any) -> None:
        await _open_crashing_pod(pilot, ("y",))

    assert snap_compare(demo_app(), terminal_size=size, run_before=run_before)
