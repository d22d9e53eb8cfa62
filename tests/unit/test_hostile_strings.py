"""Hostile strings in every text field of every model type, through the one boundary (the
pump), checked in every renderer: the bytes the cockpit writes to its terminal, its SVG
screenshot, ``snapshot`` text / json / svg, ``wundr-tui audit`` and the log file.

Examples per test come from the Hypothesis profile (tests/conftest.py): ``suite`` (200,
derandomized) by default, ``fuzz`` (10,000) with ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import json
import logging
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes.hostile import hostile_text, instances, text_of, variants
from wundr_tui import cli
from wundr_tui.audit import AuditLog
from wundr_tui.clock import FrozenClock
from wundr_tui.config import Config
from wundr_tui.events import ClusterSeen, Event, Health, Replaced
from wundr_tui.model import KIND_TYPES, Cluster, Kind, SourceHealth
from wundr_tui.pump import EventPump
from wundr_tui.safe_text import CONTINUATION, is_safe, safe
from wundr_tui.snapshot import Collected, render_text, to_json
from wundr_tui.store import Store

NOW = 1_764_115_200.0
T = TypeVar("T")

RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
"""Characters that must never leave the cockpit raw (ESC included)."""


def events_for(cluster: Cluster, kind: Kind, obj: Any, health: SourceHealth) -> list[Event]:
    """A fleet of one: the cluster, one object of ``kind`` and a source's health for it."""
    health = dataclasses.replace(health, cluster=cluster.name, kinds=(kind,))
    return [ClusterSeen(cluster), Replaced(cluster.name, kind, (obj,)), Health(health)]


def through_pump(events: list[Event], *, exact: bool = False) -> Store:
    """A store filled the way the cockpit and snapshot fill theirs: through the pump."""
    pump = EventPump(exact=True) if exact else EventPump()
    for event in events:
        pump.emit(event)
    store = Store(FrozenClock(NOW))
    store.apply(pump.drain())
    return store


# -- the boundary, snapshot text and json ------------------------------------------------


@pytest.mark.parametrize("cls", list(KIND_TYPES.values()), ids=lambda c: c.__name__)
@given(data=st.data())
def test_the_pump_makes_every_string_safe_and_snapshot_text_and_json_show_it_safely(
    cls: type, data: Any
) -> None:
    """Every model type, 200 examples each, on a hostile cluster with a hostile source."""
    cluster = data.draw(instances(Cluster), label="cluster")
    obj = data.draw(instances(cls), label="object")
    health = data.draw(instances(SourceHealth), label="health")
    events = events_for(cluster, cls.KIND, obj, health)  # type: ignore[attr-defined]

    pump = EventPump()
    for event in events:
        pump.emit(event)
    drained = pump.drain()
    shown = text_of(drained)
    assert all(is_safe(s) for s in shown), [s for s in shown if not is_safe(s)]
    assert shown == [safe(s) for s in text_of(events)]

    store = Store(FrozenClock(NOW))
    store.apply(drained)
    text = render_text(Collected(store, 1.0, True))
    assert not RAW.search(text.replace("\n", "")), text
    assert all(is_safe(line) for line in text.splitlines())

    from wundr_tui.snapshot import dumps  # what snapshot --format json prints

    doc = to_json(Collected(through_pump(events, exact=True), 1.0, True))
    out = dumps(doc)
    assert re.fullmatch(r"[ -~\n]*", out)  # printable ASCII, DEL escaped too
    back = json.loads(out)
    assert back == as_json_reads(doc)
    assert [c["name"] for c in back["clusters"]] == [as_json_reads(cluster.name)]
    assert [s["reason"] for s in back["sources"]] == [as_json_reads(health.reason)]


def as_json_reads(value: T) -> T:
    """``value`` as any JSON reader gets it back: exact, except that JSON escapes are UTF-16,
    so a high and a low surrogate side by side come back as the one character they encode
    (which is also how our own JSON readers would have read them from a server)."""
    return json.loads(json.dumps(value))  # type: ignore[no-any-return]


# -- the terminal and the svg screenshot -------------------------------------------------

SEQUENCE = re.compile(r"\x1b\[(?:\d+;\d+H|[\d;:]*m|\?(?:2026|25)[hl]|\d*[ABCDG])")
"""What Textual itself writes: cursor moves, colours, synchronized output, cursor on/off."""


def foreign_bytes(written: str) -> list[str]:
    """What in ``written`` is neither Textual's own sequences nor printable text."""
    rest = SEQUENCE.sub("", written)
    return sorted({m.group() for m in re.finditer(r"\x1b.{0,6}|[^\n\r]", rest) if not _ok(m)})


def _ok(match: re.Match[str]) -> bool:
    return not match.group().startswith("\x1b") and match.group().isprintable()


class LiveCockpit:
    """One headless cockpit for a whole test, in its own thread's event loop, so that each
    example costs a frame and a look at each pane rather than an app start. What it would
    write to its terminal is captured (the driver is headless: ``_display`` is where the
    compositor's output is turned into bytes)."""

    def __init__(self, size: tuple[int, int]) -> None:
        from wundr_tui.app import WundrApp

        self.app = WundrApp(Store(FrozenClock(NOW)), config=Config())
        self.size = size
        self.written: list[str] = []
        self.pilot: Any = None
        self.loop = asyncio.new_event_loop()
        self._work: asyncio.Queue[Any] | None = None
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.loop.run_until_complete(self._session())

    async def _session(self) -> None:
        # run_test's context must be entered and left by one task: this one, which then
        # runs the work it is sent until it is sent None.
        self._work = asyncio.Queue()
        async with self.app.run_test(size=self.size, notifications=True) as pilot:
            self.pilot = pilot
            self.app._display = self._capture  # type: ignore[method-assign]
            self._ready.set()
            while (item := await self._work.get()) is not None:
                make, done = item
                try:
                    done.set_result(await make())
                except BaseException as exc:
                    done.set_exception(exc)

    def call(self, make: Callable[[], Awaitable[T]], timeout: float = 120) -> T:
        """Run a coroutine in the cockpit's session and wait for its result."""
        import concurrent.futures

        done: concurrent.futures.Future[T] = concurrent.futures.Future()
        assert self._work is not None
        self.loop.call_soon_threadsafe(self._work.put_nowait, (make, done))
        return done.result(timeout)

    def __enter__(self) -> LiveCockpit:
        self.thread.start()
        assert self._ready.wait(60), "the cockpit did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._work is not None
        self.loop.call_soon_threadsafe(self._work.put_nowait, None)
        self.thread.join(30)

    def _capture(self, screen: object, renderable: object) -> None:
        from textual._compositor import CompositorUpdate

        console = self.app.console
        if isinstance(renderable, CompositorUpdate):
            self.written.append(renderable.render_segments(console))
        elif renderable is not None:
            self.written.append(console._render_buffer(console.render(renderable)))  # type: ignore[arg-type]

    def show(self, events: list[Event], toast: str) -> tuple[str, list[str]]:
        """Replace the fleet with ``events``, toast ``toast``, look at every pane: the bytes
        written and an SVG screenshot of each pane."""
        from wundr_tui.app import PANES

        async def look() -> tuple[str, list[str]]:
            app = self.app
            fresh = Store(FrozenClock(NOW))
            # A new generation far ahead: every pane re-syncs in full from the new fleet.
            fresh.generation = app.store.generation + 10
            app.store = fresh
            for event in events:
                app.pump.emit(event)
            self.written.clear()
            app.frame()
            app.notify(toast, timeout=30)
            await self.pilot.pause()
            shots = []
            for pane in PANES:
                await app.switch_mode(pane)
                await self.pilot.pause()
                if pane == "incident":  # what snapshot --format svg shows (an export is slow)
                    shots.append(app.export_screenshot(title="wundr-tui snapshot"))
            app.clear_notifications()
            await self.pilot.pause()  # toasts gone before the next example draws
            return "".join(self.written), shots

        return self.call(look)


@pytest.fixture(scope="module")
def cockpit() -> Iterator[LiveCockpit]:
    with LiveCockpit(size=(160, 40)) as live:
        yield live


PER_EXAMPLE = 10
"""Objects of each type one example shows (the drawn one and nine copies)."""

fleets = st.fixed_dictionaries(
    {
        "cluster": instances(Cluster),
        "health": instances(SourceHealth),
        "objects": st.tuples(*(instances(cls) for cls in KIND_TYPES.values())),
        "pool": st.lists(hostile_text, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE),
        "toast": hostile_text,
    }
)
"""A hostile object of every kind, a pool of hostile strings that ``variants`` rotates
through its copies' text fields, one hostile cluster, and a toast."""

COCKPIT_EXAMPLES = max(settings().max_examples // PER_EXAMPLE, 10)
"""20 in the suite, 1,000 in fuzz: each shows ten hostile objects of every type on every pane
(about 200 per type in the suite), which costs about two seconds."""


@settings(max_examples=COCKPIT_EXAMPLES)
@given(fleet=fleets)
def test_terminal_bytes_and_screenshots_hold_no_hostile_control(
    cockpit: LiveCockpit, fleet: dict[str, Any]
) -> None:
    cluster, health = fleet["cluster"], fleet["health"]
    events: list[Event] = [ClusterSeen(cluster)]
    for obj in fleet["objects"]:
        objs = tuple(variants(obj, fleet["pool"], PER_EXAMPLE))
        events.append(Replaced(cluster.name, obj.KIND, objs))
    events.append(
        Health(dataclasses.replace(health, cluster=cluster.name, kinds=tuple(KIND_TYPES)))
    )
    written, shots = cockpit.show(events, fleet["toast"])
    assert written, "the cockpit drew nothing"
    for raw in ("\x07", "\x1b]", "\x1b[2J", "\x9b", "\x9d"):
        assert raw not in written
    assert foreign_bytes(written) == []
    for svg in shots:
        ET.fromstring(svg)  # well-formed XML
        assert not RAW.search(svg.replace("\n", ""))


# -- wundr-tui audit ---------------------------------------------------------------------


def run_audit(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["audit", *args])
    return code, out.getvalue()


audit_text = hostile_text.map(lambda s: re.sub("[\ud800-\udfff]", "\ufffd", s))
"""Hostile text as it can reach the audit log: what the actions record comes from the store
(made safe) and from errors. Unpaired surrogates are left out here only because two of them
side by side read back from JSON as the one character they spell; a lone one is recorded
exactly (test_audit_file.py::test_an_error_holding_undecodable_bytes_is_recorded_exactly)."""


@given(
    cluster=audit_text,
    action=audit_text,
    key=audit_text,
    before=audit_text,
    after=audit_text,
    error=audit_text,
)
def test_audit_lists_hostile_entries_safely_and_json_keeps_them_exact(
    cluster: str, action: str, key: str, before: str, after: str, error: str
) -> None:
    AuditLog().record(cluster, action, {key: before}, {key: after}, "failed", error)
    code, text = run_audit("-n", "1")
    assert code == 0
    assert all(is_safe(line) for line in text.splitlines()), text
    code, out = run_audit("-n", "1", "--json")
    assert code == 0
    assert not RAW.search(out.replace("\n", ""))
    item = json.loads(out)
    assert (item["cluster"], item["action"], item["error"]) == (cluster, action, error)
    assert (item["before"], item["after"]) == ({key: before}, {key: after})


# -- the log file ------------------------------------------------------------------------


@pytest.fixture
def root_logger() -> Iterator[None]:
    """log_to_file reconfigures the root logger: give the next tests theirs back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        handler.close()
    root.handlers[:], root.level = handlers, level
    logging.captureWarnings(False)


@given(message=hostile_text)
def test_the_log_file_holds_one_line_per_record_and_no_raw_control(
    root_logger: None, message: str
) -> None:
    path = Path(cli.log_to_file())
    start = path.stat().st_size if path.exists() else 0
    logging.getLogger("kubernetes.client.rest").warning("server said: %s", message)
    try:
        raise ValueError(message)
    except ValueError:
        logging.getLogger("wundr_tui").exception("failed on %s", message)
    for handler in logging.getLogger().handlers:
        handler.flush()
    with path.open("rb") as f:
        f.seek(start)
        written = f.read().decode("utf-8")
    lines = written.splitlines()
    assert lines[0].endswith("server said: " + safe(message))
    assert lines[1].endswith("failed on " + safe(message))
    assert lines[2] == CONTINUATION + "Traceback (most recent call last):"
    # Only the two records start a line; the traceback (whose last line holds the message,
    # newlines and all) is marked as continuation lines, so it cannot forge a record.
    assert all(line.startswith(CONTINUATION) for line in lines[2:])
    assert all(is_safe(line) for line in lines)
    assert not RAW.search(written.replace("\n", ""))
