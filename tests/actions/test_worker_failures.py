"""Every worker's end reaches the app's one handler: a worker that raises is shown as plain
text (never parsed as markup), logged with its traceback, and does not leave the action flow
stuck "in progress"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import DEMO_START
from wundr_tui.app import WundrApp
from wundr_tui.backends.base import Permission
from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.store import Store

BOOM = "access review [bold]exploded[/] [/on x]"


class BrokenReviews(DemoFleet):
    """A fleet whose access reviews raise (a bug in a backend, not a refusal)."""

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        raise RuntimeError(BOOM)


class Toasts:
    """Keeps every toast an app shows (wrapping its ``notify``)."""

    def __init__(self, app: WundrApp) -> None:
        self.seen: list[tuple[str, str, bool]] = []
        self._notify = app.notify
        app.notify = self  # type: ignore[method-assign]

    def __call__(self, message: str, **kwargs: Any) -> None:
        self.seen.append(
            (message, kwargs.get("severity", "information"), kwargs.get("markup", True))
        )
        self._notify(message, **kwargs)


def cockpit() -> tuple[WundrApp, Toasts]:
    clock = FrozenClock(DEMO_START)
    fleet = BrokenReviews(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    app = WundrApp(store, operator=fleet)
    return app, Toasts(app)


async def wait_for(pilot: object, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition never held")


async def test_a_failing_worker_is_shown_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    """The permission worker raises: an error toast names it and the exception, its text
    shown as typed (markup off), and the log has the traceback; the app keeps running."""
    app, toasts = cockpit()
    with caplog.at_level(logging.ERROR, logger="wundr_tui.app"):
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: any(s == "error" for _, s, _ in toasts.seen))
            (message, _, markup) = next(t for t in toasts.seen if t[1] == "error")
            assert message.startswith("access reviews for the pane's actions failed: ")
            assert f"RuntimeError: {BOOM}" in message
            assert markup is False
            await pilot.press("2")
            await pilot.pause()
            assert app.screen.name == "pods", "the app goes on"
    records = [r for r in caplog.records if "failed" in r.getMessage()]
    assert records, "logged"
    for record in records:  # one per pane shown: each asks again
        assert record.exc_info is not None and record.exc_info[0] is RuntimeError


async def test_a_failing_plan_worker_frees_the_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan worker that dies before it can post its plan: the failure is shown and the next
    action may start (no "another action is in progress" forever)."""
    app, toasts = cockpit()

    def broken(*args: Any) -> None:
        raise RuntimeError("plan worker bug")

    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setattr(app.actions, "_plan_worker", broken)
        assert app.actions.blue_green(EKS_CONTEXT) is True
        await wait_for(pilot, lambda: any("plan worker bug" in m for m, _, _ in toasts.seen))
        assert app.actions.busy is False
