"""The audit log file and ``wundr-tui audit``; the restore and silence flows on the demo fleet
end to end through the forms and dialogs; blue-green on every cluster, one dialog each."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_START
from wundr_tui.app import WundrApp
from wundr_tui.audit import AuditLog, default_path, read_entries
from wundr_tui.backends.demo import EKS_CONTEXT, GKE_CONTEXT, DemoFleet
from wundr_tui.cli import main
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.model import Alert, Kind, Restore, Service, label
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store

SIZE = (100, 30)


def test_audit_file_is_private_and_appended(tmp_path: Path) -> None:
    """Directories are created; the file is 0600; each record is one JSON line."""
    log = AuditLog(tmp_path / "a" / "b" / "audit.jsonl", user="ana")
    log.record("ctx", "scale", {"replicas": "3"}, {"replicas": "5"}, "done")
    log.record("ctx", "scale", {"replicas": "5"}, {"replicas": "9"}, "failed", error="409")
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600
    lines = log.path.read_text().splitlines()
    assert [json.loads(x)["result"] for x in lines] == ["done", "failed"]
    assert json.loads(lines[1])["error"] == "409"


def test_default_path_follows_xdg_state_home(tmp_path: Path) -> None:
    """The autouse fixture points XDG_STATE_HOME into tmp_path."""
    assert default_path() == tmp_path / "state" / "wundr-tui" / "audit.jsonl"


def test_audit_subcommand_lists_recent_entries(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``wundr-tui audit``: readable lines, newest last; ``-n``; ``--json``; empty log."""
    assert main(["audit"]) == 0
    assert "no actions recorded yet" in capsys.readouterr().out
    log = AuditLog(user="ana")
    log.record(
        "eks-ctx",
        "blue-green",
        {"selector environment": "production-blue"},
        {"selector environment": "production-green"},
        "done",
    )
    log.record(
        "eks-ctx",
        "scale",
        {"replicas": "3"},
        {"replicas": "9"},
        "refused",
        error="an HPA manages this deployment",
    )
    assert main(["audit"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert "ana@" in out[0] and "blue-green: selector environment production-blue → " in out[0]
    assert out[0].endswith("production-green  DONE")
    assert out[1].endswith("REFUSED (an HPA manages this deployment)")
    assert main(["audit", "-n", "1", "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["action"] == "scale"
    assert main(["audit", "-n", "0"]) == 2


def demo() -> tuple[WundrApp, DemoFleet, FrozenClock]:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    return WundrApp(store, operator=fleet), fleet, clock


async def wait_for(pilot: object, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition never held")


async def test_restore_from_backups_pane_then_progress_shows_live() -> None:
    """r on Backups → form (newest backup preselected) → mapping typed → dialog → typed name:
    the Restore is created and the Backups pane shows its progress until Completed."""
    app, fleet, clock = demo()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await pilot.pause()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("tab", "tab", "tab", *"wundr-platform=wundr-platform-restore", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        outcome = app.actions.outcomes[-1]
        assert outcome.result == "done", outcome.message
        assert isinstance(app.screen, PaneScreen) and app.screen.PANE == "backups"
        cluster = outcome.plan.cluster.name

        def restores() -> list[Restore]:
            return [
                r
                for r in app.store.items(cluster, Kind.RESTORE).values()
                if isinstance(r, Restore)
                and r.namespace_mapping
                and r.namespace_mapping[0][1] == "wundr-platform-restore"
            ]

        phases = []
        for _ in range(40):
            clock.advance(1.0)
            for event in fleet.tick():
                app.pump.emit(event)
            app.frame()
            if restores():
                phases.append(restores()[0].phase)
            if phases and phases[-1] == "Completed":
                break
        assert phases and phases[-1] == "Completed", phases
        assert "InProgress" in phases
        done = restores()[0]
        assert done.items_done == done.items_total > 0
        table = app.screen.table  # type: ignore[attr-defined]
        assert any(done.name in str(rk) for rk in table.keys_in_order()), "the pane shows it"


async def test_silence_then_expire_on_the_alerts_pane() -> None:
    """S on an alert: form (duration, comment, author) → dialog → the alert shows silenced;
    x then expires it."""
    app, fleet, clock = demo()
    while True:  # run the story until an alert fires
        clock.advance(5.0)
        app.store.apply(fleet.tick())
        firing = [a for _, a in app.store.all(Kind.ALERT) if isinstance(a, Alert)]
        if firing:
            break
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.pause()
        selected = app.screen.table.selected_key()  # type: ignore[attr-defined]
        assert selected is not None
        cluster, _, key = selected
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("tab", *"deploying the fix", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        assert app.actions.outcomes[-1].result == "done", app.actions.outcomes[-1].message
        clock.advance(1.0)
        app.store.apply(fleet.tick())
        alert = app.store.get(cluster, Kind.ALERT, key)
        assert isinstance(alert, Alert) and alert.silenced_by
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: len(app.actions.outcomes) == 2)
        assert app.actions.outcomes[-1].result == "done", app.actions.outcomes[-1].message
    assert [e["action"] for e in read_entries()] == ["silence", "expire-silence"]


async def test_blue_green_on_every_cluster_confirms_each() -> None:
    """The palette's "every cluster": one dialog per cluster; cancelling the second leaves
    that cluster on blue."""
    app, fleet, _ = demo()

    def live(cluster: str) -> str:
        (svc,) = [s for s in fleet.read(cluster, Kind.SERVICE) if isinstance(s, Service)]
        return label(svc.selector, "environment")

    async with app.run_test(size=SIZE) as pilot:
        app.actions.blue_green_all()
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.plan.cluster.name == EKS_CONTEXT  # type: ignore[attr-defined]
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: len(app.actions.outcomes) == 1)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.plan.cluster.name == GKE_CONTEXT  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.actions.outcomes) == 2)
    assert (live(EKS_CONTEXT), live(GKE_CONTEXT)) == ("production-green", "production-blue")
    assert [e["result"] for e in read_entries()] == ["done", "cancelled"]


async def test_colon_audit_shows_recent_entries() -> None:
    """``:audit`` opens the viewer with the log's lines; Escape closes it."""
    from wundr_tui.dialogs.audit import AuditScreen

    app, _, _ = demo()
    app.actions.audit.record(
        EKS_CONTEXT, "scale", {"replicas": "3"}, {"replicas": "5"}, "failed", error="409 conflict"
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"audit", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        text = str(app.screen.query_one("#entries").render())
        assert "scale: replicas 3 → 5  FAILED (409 conflict)" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PaneScreen))


async def test_restore_unavailable_without_velero() -> None:
    """The cluster's Velero source says ``absent``: r shows why, sends nothing, audits it."""
    from wundr_tui.events import Health
    from wundr_tui.model import SourceHealth

    app, _, _ = demo()
    app.store.apply(
        [
            Health(
                SourceHealth(
                    GKE_CONTEXT,
                    "velero",
                    "absent",
                    DEMO_START,
                    "Velero not installed",
                    (Kind.SCHEDULE, Kind.BACKUP, Kind.RESTORE),
                )
            )
        ]
    )
    async with app.run_test(size=SIZE) as pilot:
        app.actions.restore(GKE_CONTEXT, None)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        plan = app.screen.plan  # type: ignore[attr-defined]
        assert plan.blocked == "restores are unavailable: Velero is not installed on this cluster"
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
    assert read_entries()[-1]["result"] == "refused"
