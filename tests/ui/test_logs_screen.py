"""Pilot tests of the Logs screen on the seeded demo fleet (frozen clock): ``l`` on a Pods,
an Incident and an HPA row, and every key of the screen."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from textual.pilot import Pilot

from wundr_tui.app import WundrApp
from wundr_tui.backends.base import LogQuery
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.backends.demo.logs import DemoLogs
from wundr_tui.clock import FrozenClock
from wundr_tui.model import Kind, Pod
from wundr_tui.screens.logs import LogsScreen
from wundr_tui.store import Store
from wundr_tui.widgets.container_picker import ContainerPicker

SIZE = (120, 40)
NS = "wundr-platform"


def demo_app(seconds: int = 120) -> tuple[WundrApp, DemoFleet]:
    """The demo fleet ``seconds`` in, on a frozen clock, with its logs."""
    clock = FrozenClock(1_764_115_200.0)
    fleet = DemoFleet(seed=7, clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    for _ in range(seconds):
        clock.advance(1.0)
        store.apply(fleet.tick())
    return WundrApp(store, logs=DemoLogs(fleet)), fleet


def logs_screen(app: WundrApp) -> LogsScreen:
    screen = app.screen
    assert isinstance(screen, LogsScreen), type(screen)
    return screen


async def settle(pilot: Pilot[int], screen: LogsScreen, lines: int = 1) -> None:
    """Until at least ``lines`` are shown and nothing more arrives for a few frames."""
    quiet, total = 0, -1
    for _ in range(200):
        await pilot.pause(0.05)
        quiet = quiet + 1 if screen.ring.total == total else 0
        total = screen.ring.total
        if len(screen.ring) >= lines and not screen.session.pending() and quiet >= 4:
            return
    raise AssertionError(f"no lines: {screen.session.notes()}")


def _crash_pod(app: WundrApp, fleet: DemoFleet) -> tuple[str, Pod]:
    for cluster, obj in app.store.all(Kind.POD):
        assert isinstance(obj, Pod)
        story = fleet.pod_story(cluster, obj.namespace, obj.name)
        if story is not None and story.crashing and obj.owner == "setup-toolkit":
            return cluster, obj
    raise AssertionError("no crashing pod")


async def pick_container(pilot: Pilot[int], screen: LogsScreen, name: str) -> None:
    """``c``, the highlight moved to ``name`` with the arrow keys, Enter."""
    await pilot.press("c")
    picker = screen.query_one(ContainerPicker)
    assert picker.display and picker.has_focus
    for _ in range(len(picker.values)):
        if picker.values[picker.highlighted or 0] == name:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


def screen_text(app: WundrApp) -> str:
    return "\n".join(
        "".join(seg.text for seg in strip)
        for strip in app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    )


async def test_l_on_a_pod_row_then_p_shows_the_stack_trace() -> None:
    """Pods → the crashing setup-toolkit pod → l: its log; p: the previous run, ending in the
    stack trace; p again: the current log; Esc: back to Pods."""
    app, fleet = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        cluster, pod = _crash_pod(app, fleet)
        pane = app.screen
        rows = pane.table.keys_in_order()  # type: ignore[attr-defined]
        index = next(i for i, rk in enumerate(rows) if rk[0] == cluster and rk[2] == pod.key)
        pane.table.move_cursor(row=index)  # type: ignore[attr-defined]
        await pilot.press("l")
        screen = logs_screen(app)
        assert screen.logs_query.pod == pod.name and screen.logs_query.cluster == cluster
        await settle(pilot, screen)
        await pilot.press("p")
        await settle(pilot, screen, 5)
        assert screen.logs_query.previous
        texts = [line.text for line in screen.ring]
        assert texts[-2].startswith("psycopg.errors.UndefinedTable")
        assert "Traceback (most recent call last):" in screen_text(app)
        assert "previous" in str(screen.header_text())
        await pilot.press("p")
        await settle(pilot, screen)
        assert not screen.logs_query.previous
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LogsScreen)


async def test_l_on_the_high_error_rate_incident_streams_every_gateway_pod() -> None:
    """Incident → (o) HighErrorRate → l: the group app=api-gateway on both clusters, 5xx lines
    from both clouds' pods."""
    app, _ = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen
        await pilot.press("o")  # the alert is in the api-gateway story: open the stories
        await pilot.pause()
        rows = pane.table.keys_in_order()  # type: ignore[attr-defined]
        index = next(i for i, rk in enumerate(rows) if "|ALERT|↳ HighErrorRate|" in rk[2])
        pane.table.move_cursor(row=index)  # type: ignore[attr-defined]
        await pilot.press("l")
        screen = logs_screen(app)
        assert (
            screen.logs_query.selector == (("app", "api-gateway"),)
            and not screen.logs_query.cluster
        )
        await settle(pilot, screen, 50)
        errors = [line for line in screen.ring if " 503 " in line.text or " 502 " in line.text]
        assert {line.cluster for line in errors} == set(app.store.clusters)
        assert len({line.pod for line in screen.ring}) >= 6
        # Interleaved by time: each stream's lines in order, streams mixed. (Not one sorted
        # list: a stream whose history arrives after 10,000 newer lines, as 17,000 lines of
        # history do on a loaded machine, shows where it arrived, by design - logbuf's
        # REORDER_WINDOW.)
        by_stream: dict[object, list[float]] = {}
        for line in screen.ring:
            by_stream.setdefault(line.source, []).append(line.ts)
        assert all(ts == sorted(ts) for ts in by_stream.values())
        sources = [line.source for line in screen.ring]
        assert sum(a != b for a, b in pairwise(sources)) > len(by_stream)


async def test_l_on_an_hpa_row_streams_its_deployments_pods() -> None:
    app, _ = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("l")
        screen = logs_screen(app)
        assert screen.logs_query.owner == "api-gateway-blue" and screen.logs_query.cluster
        await settle(pilot, screen)
        assert {line.pod.startswith("api-gateway-blue-") for line in screen.ring} == {True}


async def test_keys_pause_search_since_tail_container_toggles(tmp_path: Path) -> None:
    """space pauses and counts, f follows; / searches with n/N; s and T change the query;
    c picks one container; t and W toggle; w writes plain text where it is told."""
    app, fleet = demo_app()
    cluster = next(iter(app.store.clusters))
    pod = next(
        p
        for c, p in app.store.all(Kind.POD)
        if c == cluster and isinstance(p, Pod) and p.owner == "api-gateway-blue" and p.node
    )
    async with app.run_test(size=SIZE) as pilot:
        app.open_logs(LogQuery(NS, pod=pod.name, cluster=cluster))  # type: ignore[union-attr]
        await pilot.pause()
        screen = logs_screen(app)
        await settle(pilot, screen, 100)
        await pilot.press("space")
        assert "PAUSED" in str(screen.header_text())
        fleet.clock.advance(5.0)  # type: ignore[attr-defined]
        for _ in range(40):
            await pilot.pause(0.05)
            if screen.ring.total > screen.paused_at:
                break
        assert f"+{screen.ring.total - screen.paused_at} new" in str(screen.header_text())
        await pilot.press("f")
        assert "following" in str(screen.header_text())
        await pilot.press("slash", *"HTTP/1.1", "enter")
        assert screen.matches and screen.view.current == screen.matches[-1]
        await pilot.press("N")
        assert screen.view.current == screen.matches[-2]
        await pilot.press("n")
        assert screen.view.current == screen.matches[-1]
        await pilot.press("escape")  # clears the search
        assert not screen.view.needle
        await pilot.press("t")
        assert screen.view.timestamps
        await pilot.press("W")
        assert screen.view.wrap
        await pilot.press("s")
        assert screen.logs_query.since_seconds == 300
        await pilot.press("T")
        assert screen.logs_query.tail_lines == 2000
        await settle(pilot, screen)
        await pick_container(pilot, screen, "api-gateway")
        assert screen.logs_query.container == "api-gateway"
        await settle(pilot, screen)
        assert {line.container for line in screen.ring} == {"api-gateway"}
        target = tmp_path / "out" / "gateway.log"
        await pilot.press("w")
        prompt = screen.query_one("#log-prompt")
        prompt.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        written = target.read_text().splitlines()
        assert len(written) == len(screen.ring)
        assert written[0].endswith(screen.ring[screen.ring.first].text)
        assert "\x1b" not in target.read_text()


async def test_write_offers_a_path_under_the_state_dir() -> None:
    app, _ = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("l")
        screen = logs_screen(app)
        await pilot.press("w")
        value = screen.query_one("#log-prompt").value  # type: ignore[attr-defined]
        assert "/state/wundr-tui/logs/" in value and value.endswith(".log")
        await pilot.press("escape")
        assert not screen.query_one("#log-prompt").display


async def test_c_opens_a_container_picker_enter_picks_esc_keeps() -> None:
    """c lists "all containers" and each container streamed, the current one highlighted;
    Enter on a name streams only it; c again highlights it; Esc closes without a change;
    Enter on "all" streams every container again."""
    app, _ = demo_app()
    cluster = next(iter(app.store.clusters))
    pod = next(
        p
        for c, p in app.store.all(Kind.POD)
        if c == cluster and isinstance(p, Pod) and p.owner == "api-gateway-blue" and p.node
    )
    async with app.run_test(size=SIZE) as pilot:
        app.open_logs(LogQuery(NS, pod=pod.name, cluster=cluster))  # type: ignore[union-attr]
        await pilot.pause()
        screen = logs_screen(app)
        await settle(pilot, screen, 20)
        streamed = {line.container for line in screen.ring}
        assert len(streamed) >= 2, streamed  # the gateway and its sidecar
        await pilot.press("c")
        picker = screen.query_one(ContainerPicker)
        assert picker.display and picker.has_focus
        assert picker.values == ["", *sorted(streamed)]
        shown = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert shown == ["all containers", *sorted(streamed)]
        assert picker.highlighted == 0
        assert "all containers" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        chosen = sorted(streamed)[0]
        assert not picker.display and screen.view.has_focus
        assert screen.logs_query.container == chosen
        await settle(pilot, screen)
        assert {line.container for line in screen.ring} == {chosen}
        await pilot.press("c")
        assert picker.values == ["", *sorted(streamed)]  # the others are still offered
        assert picker.highlighted == 1
        await pilot.press("up", "escape")
        await pilot.pause()
        assert not picker.display and screen.logs_query.container == chosen
        assert isinstance(app.screen, LogsScreen)  # Esc closed the picker, not the screen
        await pick_container(pilot, screen, "")
        assert screen.logs_query.container == ""
        await settle(pilot, screen, 20)
        assert {line.container for line in screen.ring} == streamed
