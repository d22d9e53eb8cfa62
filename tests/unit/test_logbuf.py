"""The log view's pure parts: the ring, the time-ordered merge, search, colours, hostile
lines (SGR kept as colour, every other control shown), and the demo's deterministic logs."""

from __future__ import annotations

import gc
import time
from typing import cast
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wundr_tui import logbuf
from wundr_tui.backends.base import LogQuery, LogStreamer, LogTarget, OperationError
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.backends.demo.logs import DemoLogs
from wundr_tui.backends.demo.objects import TERMINATION_MESSAGES
from wundr_tui.clock import FrozenClock
from wundr_tui.logbuf import LogLine, LogRing, LogSource, find_all, merge, source_style
from wundr_tui.logsession import LogSession
from wundr_tui.safe_text import LOG_CUT_MARK, LOG_LINE_LIMIT, is_safe, safe_log_line

SRC = LogSource("eks", "ns", "pod-a", "app")
SRC_B = LogSource("gke", "ns", "pod-b", "app")


def lines(n: int, start: int = 0) -> list[LogLine]:
    return [LogLine(start + i + 1, float(start + i), SRC, f"line {start + i}") for i in range(n)]


def test_ring_keeps_the_newest_and_counts_what_it_dropped() -> None:
    ring = LogRing(5)
    ring.extend(lines(3))
    assert [line.text for line in ring] == ["line 0", "line 1", "line 2"]
    ring.extend(lines(4, start=3))
    assert len(ring) == 5 and ring.total == 7 and ring.first == 2 and ring.dropped == 2
    assert [line.text for line in ring] == [f"line {i}" for i in range(2, 7)]
    assert ring[6].text == "line 6" and ring[2].text == "line 2"
    with pytest.raises(IndexError):
        ring[1]
    assert [line.text for line in ring.window(0, 2)] == ["line 2", "line 3"]
    assert [line.text for line in ring.window(5, 10)] == ["line 5", "line 6"]


def test_a_full_ring_gives_the_collector_nothing_to_walk_per_line() -> None:
    """The ring keeps its lines in columns, not one object each: a full collection walks a
    handful of objects whatever the ring holds (100,000 line objects made every full
    collection walk them all, 80-150 ms on a loaded machine, while 10,000 lines/s made one
    every three seconds). Lines still read back whole, colours included."""
    gc.collect()
    before = len(gc.get_objects())
    ring = LogRing(10_000)
    ring.extend(
        LogLine(i + 1, float(i), SRC if i % 2 else SRC_B, f"line {i}", ((0, i % 4, "red"),))
        for i in range(15_000)
    )
    gc.collect()  # tuples of numbers and strings (the spans) stop being tracked, the inner
    gc.collect()  # ones first, then those holding them
    assert len(gc.get_objects()) - before < 1_000
    assert ring[14_999] == LogLine(15_000, 14_999.0, SRC, "line 14999", ((0, 3, "red"),))
    assert [line.text for line in ring.window(5_000, 2)] == ["line 5000", "line 5001"]
    assert ring.sources() == {SRC, SRC_B}


def test_lines_waiting_for_a_frame_are_bounded_oldest_first_across_streams() -> None:
    """Each stream's batches wait as handed over; past the bound the oldest lines go (a
    batch cut where the bound falls), counted, and a drain gives the rest in arrival order."""
    session = LogSession(cast(LogStreamer, None), LogQuery("ns", pod="p"), pending_limit=5)
    session._push(SRC, [(1.0, "a1", ()), (2.0, "a2", ()), (3.0, "a3", ())])
    session._push(SRC_B, [(1.5, "b1", ()), (2.5, "b2", ()), (3.5, "b3", ())])
    assert session.pending() == 5 and session.dropped == 1
    session._push(SRC, [(4.0, "a4", ()), (5.0, "a5", ())])
    assert session.pending() == 5 and session.dropped == 3
    drained = session.drain()
    assert [(text, src) for _, src, text, _ in drained] == [
        ("b1", SRC_B),
        ("b2", SRC_B),
        ("b3", SRC_B),
        ("a4", SRC),
        ("a5", SRC),
    ]
    assert session.pending() == 0 and session.drain() == []


def test_merge_orders_one_frame_by_time_and_numbers_by_arrival() -> None:
    batch = [
        (3.0, SRC, "a3", ()),
        (5.0, SRC, "a5", ()),
        (1.0, SRC_B, "b1", ()),
        (4.0, SRC_B, "b4", ()),
    ]
    merged = merge(batch, 10)
    assert [line.text for line in merged] == ["b1", "a3", "b4", "a5"]
    assert [line.seq for line in merged] == [10, 11, 12, 13]


def test_a_late_line_still_shows_after_what_is_shown() -> None:
    ring = LogRing(10)
    ring.extend(merge([(5.0, SRC, "new", ())], 1))
    ring.extend(merge([(1.0, SRC_B, "late", ())], 2))
    assert [line.text for line in ring] == ["new", "late"]


def test_search_substring_smart_case_and_indices_after_wrap() -> None:
    ring = LogRing(4)
    texts = ["GET /a 200", "GET /b 503", "error: boom", "ERROR: Boom", "get /c 503"]
    ring.extend(LogLine(i, float(i), SRC, t) for i, t in enumerate(texts))
    assert ring.search("503") == [1, 4]
    assert ring.search("error") == [2, 3]  # no capital: any case
    assert ring.search("ERROR") == [3]  # a capital: exact case
    assert ring.search("get", ignore_case=False) == [4]
    assert ring.search("") == []
    assert find_all("Boom boom BOOM", "boom", True) == [(0, 4), (5, 9), (10, 14)]


def test_search_of_a_full_buffer_is_one_cheap_pass() -> None:
    """100,000 lines: the same answer as a naive scan (the bench times it; no timing here)."""
    ring = LogRing(100_000)
    ring.extend(
        LogLine(
            i, float(i), SRC, f"GET /api/v1/x {'status=503' if i % 97 == 0 else 'status=200'} 12ms"
        )
        for i in range(120_000)
    )
    found = ring.search("status=503")
    assert found == [i for i in range(20_000, 120_000) if i % 97 == 0]


def naive(ring: LogRing, needle: str, ignore_case: bool) -> list[int]:
    """What search means, one line at a time."""
    if ignore_case:
        return [i for i in range(ring.first, ring.total) if needle.lower() in ring[i].text.lower()]
    return [i for i in range(ring.first, ring.total) if needle in ring[i].text]


def test_search_both_paths_through_the_index_agree_with_a_line_by_line_scan() -> None:
    """Folded blocks (old lines) and the newest lines line by line; sparse, dense and absent
    needles; exact and any case; digits take the exact path."""
    ring = LogRing(60_000)
    words = [
        "GET /a 200",
        "get /B 503",
        "Error: boom",
        "ERROR: x",
        "status=200 ok",
        "\u039f\u0394\u039f\u03a3",
    ]

    def text(i: int) -> str:
        if i % 50 == 0:
            return f"Rare 503 HIT #{i}"
        if 30_000 <= i < 30_100 and i % 7 == 0:
            return f"\u0130stanbul #{i}"  # folds longer: this block goes line by line
        return f"{words[i % len(words)]} #{i}"

    ring.extend(LogLine(i, float(i), SRC, text(i)) for i in range(80_000))
    assert ring.first == 20_000
    indexed = ring._folded.values()
    assert None in indexed and len([b for b in indexed if b is not None]) > 10
    for needle in (
        "503",
        "rare",
        "RARE",
        "Rare",
        "get",
        "GET",
        "error",
        "Error",
        "zzz",
        "i\u0307s",
        "\u03a3",  # final sigma: folds to another letter at the end of a word
        "#7",
    ):
        for ignore_case in (True, False):
            assert ring.search(needle, ignore_case=ignore_case) == naive(ring, needle, ignore_case)
        smart = needle == needle.lower()
        assert ring.search(needle) == naive(ring, needle, smart)


ALPHABET = "aAbB\u03a3\u03c3\u03c2\u0130 5-"
"""Letters whose case folding is awkward (sigma's final form, dotted capital I) among plain ones."""


@settings(deadline=None)
@given(
    st.integers(1, 60),
    st.lists(
        st.lists(st.tuples(st.integers(0, 40), st.text(ALPHABET, max_size=12)), max_size=30),
        max_size=12,
    ),
    st.lists(st.text(ALPHABET, min_size=1, max_size=3), min_size=1, max_size=4),
)
def test_search_index_matches_a_scan_after_wraps_and_late_lines(
    capacity: int, frames: list[list[tuple[int, str]]], needles: list[str]
) -> None:
    """Small blocks and window, so late lines rewrite indexed blocks and the ring wraps."""
    with (
        mock.patch.object(logbuf, "SEARCH_BLOCK", 4),
        mock.patch.object(logbuf, "REORDER_WINDOW", 2),
    ):
        ring = LogRing(capacity)
        seq = 1
        for frame in frames:
            batch = [(float(ts), SRC, text, ()) for ts, text in frame]
            ring.extend_in_order(merge(batch, seq), window=8)
            seq += len(frame)
        for needle in needles:
            for ignore_case in (True, False):
                assert ring.search(needle, ignore_case=ignore_case) == naive(
                    ring, needle, ignore_case
                )


def test_colours_are_stable_and_fall_back_without_colour() -> None:
    assert source_style(SRC) == source_style(LogSource("eks", "ns", "pod-a", "app"))
    styles = {source_style(LogSource("eks", "ns", f"pod-{i}", "app")) for i in range(40)}
    assert len(styles) > 6
    assert source_style(SRC) == "bright_magenta"  # crc32-based: the same on every run and machine
    assert {source_style(LogSource("c", "n", f"p{i}", "x"), no_color=True) for i in range(20)} == {
        "bold",
        "",
    }


def test_sgr_is_kept_as_colour_every_other_control_is_shown() -> None:
    text, spans = safe_log_line("\x1b[1;31mERROR\x1b[0m db \x1b[2J\x1b]0;pwned\x07 \u202eevil\r")
    assert text == "ERROR db \\x1b[2J\\x1b]0;pwned\\x07 \\u202eevil"
    assert spans == ((0, 5, "bold red"),)
    text, spans = safe_log_line("\x1b[38;5;208mamber\x1b[39m \x1b[48;2;1;2;3mbg\x1b[0m\tx")
    assert text == "amber bg    x"
    assert spans == ((0, 5, "color(208)"), (6, 8, "on #010203"))
    assert safe_log_line("plain line") == ("plain line", ())
    text, _ = safe_log_line("\x1b[" + "1;" * 100 + "m x")  # too long to be colour: shown
    assert text.startswith("\\x1b[")


def test_a_long_line_is_cut_and_marked() -> None:
    text, _ = safe_log_line("y" * (LOG_LINE_LIMIT + 500))
    assert text == "y" * LOG_LINE_LIMIT + LOG_CUT_MARK


@given(st.text(max_size=300))
def test_any_line_comes_out_safe_with_spans_inside_it(raw: str) -> None:
    text, spans = safe_log_line(raw)
    assert is_safe(text)
    for start, end, style in spans:
        assert 0 <= start < end <= len(text) and style


# -- the demo's logs -----------------------------------------------------------------------


class Sink:
    def __init__(self) -> None:
        self.got: list[tuple[float, str, tuple[tuple[int, int, str], ...]]] = []
        self.statuses: list[tuple[str, bool]] = []

    def lines(self, batch: list[tuple[float, str, tuple[tuple[int, int, str], ...]]]) -> None:
        self.got.extend(batch)

    def status(self, message: str, *, error: bool = False) -> None:
        self.statuses.append((message, error))

    def cancel_with(self, close: object) -> None:
        pass


def demo(seconds: int) -> tuple[DemoFleet, DemoLogs]:
    clock = FrozenClock(1_764_115_200.0)
    fleet = DemoFleet(seed=7, clock=clock)
    fleet.initial_events()
    for _ in range(seconds):
        clock.advance(1.0)
        fleet.tick()
    return fleet, DemoLogs(fleet)


def _pods(fleet: DemoFleet, cluster: str, owner: str) -> list[str]:
    events = fleet.initial_events()
    names = []
    for e in events:
        for item in getattr(e, "items", ()):
            if getattr(item, "owner", None) == owner and e.cluster == cluster:  # type: ignore[attr-defined]
                names.append(item.name)
    return names


def _read(logs: DemoLogs, target: LogTarget, container: str, query: LogQuery) -> Sink:
    import threading

    sink = Sink()
    logs.stream(target, container, query, sink, threading.Event())
    return sink


def test_demo_gateway_shows_5xx_while_high_error_rate_fires() -> None:
    fleet, logs = demo(120)
    cluster = fleet.clusters()[0].name
    pod = _pods(fleet, cluster, "api-gateway-blue")[0]
    target = LogTarget(cluster, "wundr-platform", pod)
    assert logs.containers(target)[0] == "api-gateway"
    q = LogQuery("wundr-platform", pod=pod, follow=False, tail_lines=200)
    sink = _read(logs, target, "api-gateway", q)
    assert len(sink.got) == 200
    assert any(" 503 " in t or " 502 " in t or " 504 " in t for _, t, _ in sink.got)
    again = _read(logs, target, "api-gateway", q)
    assert again.got == sink.got  # deterministic
    calm = _read(
        logs,
        target,
        "api-gateway",
        LogQuery("wundr-platform", pod=pod, follow=False, since_seconds=10, tail_lines=None),
    )
    assert all(ts >= fleet.clock.now() - 10 for ts, _, _ in calm.got)


def test_demo_crashing_pod_has_a_stack_trace_and_previous_logs() -> None:
    fleet, logs = demo(120)
    cluster = fleet.clusters()[0].name
    story = None
    for pod in _pods(fleet, cluster, "setup-toolkit"):
        s = fleet.pod_story(cluster, "wundr-platform", pod)
        if s is not None and s.crashing:
            story = s
    assert story is not None and story.pod.restarts > 0
    target = LogTarget(cluster, "wundr-platform", story.pod.name)
    q = LogQuery("wundr-platform", pod=story.pod.name, previous=True, follow=False)
    prev = _read(logs, target, "setup-toolkit", q)
    texts = [t for _, t, _ in prev.got]
    assert texts[-2].startswith("psycopg.errors.UndefinedTable")
    assert "Traceback (most recent call last):" in texts
    # The crash's last words are the termination message the detail view shows.
    assert texts[-1] == "FATAL " + TERMINATION_MESSAGES["setup-toolkit"]
    assert any(spans for _, _, spans in prev.got)  # coloured level kept as a span
    healthy = next(p for p in _pods(fleet, cluster, "web-client"))
    sink = _read(
        logs,
        LogTarget(cluster, "wundr-platform", healthy),
        "web-client",
        LogQuery("wundr-platform", pod=healthy, previous=True, follow=False),
    )
    assert sink.statuses[-1] == (
        "no previous terminated container 'web-client' (it has not restarted)",
        True,
    )
    with pytest.raises(OperationError):
        logs.containers(LogTarget(cluster, "wundr-platform", "gone"))


def test_demo_follow_adds_lines_as_the_clock_moves() -> None:
    import threading

    fleet, logs = demo(30)
    logs.interval = 0.01
    cluster = fleet.clusters()[0].name
    pod = _pods(fleet, cluster, "api-gateway-blue")[0]
    sink = Sink()
    stop = threading.Event()
    thread = threading.Thread(
        target=logs.stream,
        args=(
            LogTarget(cluster, "wundr-platform", pod),
            "api-gateway",
            LogQuery("wundr-platform", pod=pod, tail_lines=5),
            sink,
            stop,
        ),
    )
    thread.start()
    deadline = time.monotonic() + 5
    while len(sink.got) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fleet.clock.now() - 1 <= sink.got[-1][0] + 1  # the tail is up to now
    fleet.clock.advance(3.0)  # type: ignore[attr-defined]
    while len(sink.got) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    thread.join(2)
    assert len(sink.got) >= 8
    assert [ts for ts, _, _ in sink.got] == sorted(ts for ts, _, _ in sink.got)


def test_late_lines_are_put_back_in_time_order_within_the_window() -> None:
    ring = LogRing(100)
    ring.extend(merge([(1.0, SRC, "a1", ()), (3.0, SRC, "a3", ()), (5.0, SRC, "a5", ())], 1))
    ring.extend_in_order(merge([(2.0, SRC_B, "b2", ()), (4.0, SRC_B, "b4", ())], 4))
    assert [line.text for line in ring] == ["a1", "b2", "a3", "b4", "a5"]
    ring.extend_in_order(merge([(0.5, SRC_B, "older than all", ())], 6), window=3)
    assert [line.text for line in ring][-1] == "older than all"  # past the window: as arrived
    full = LogRing(4)
    full.extend(merge([(float(t), SRC, f"a{t}", ()) for t in (1, 3, 5, 7, 9)], 1))
    full.extend_in_order(merge([(6.0, SRC_B, "b6", ())], 6))
    assert [line.text for line in full] == ["a5", "b6", "a7", "a9"] and full.total == 6


def test_a_hundred_pods_joining_start_through_a_few_threads() -> None:
    """A group of 100 pods opens: their containers are looked up by at most JOINERS threads
    at once, and set_targets returns without waiting for any of them (100 threads each asking
    the apiserver had the UI thread wait 0.5 s for the interpreter before its first frame)."""
    from threading import Event, Lock

    from wundr_tui.logsession import JOINERS

    release, lock = Event(), Lock()
    busy = peak = done = 0
    streamed: list[str] = []

    class Streamer:
        def containers(self, target: LogTarget) -> tuple[str, ...]:
            nonlocal busy, peak, done
            with lock:
                busy += 1
                peak = max(peak, busy)
            release.wait(5)
            with lock:
                busy -= 1
                done += 1
            return ("app",)

        def stream(self, target, container, query, sink, stop) -> None:  # type: ignore[no-untyped-def]
            with lock:
                streamed.append(target.pod)

    session = LogSession(cast(LogStreamer, Streamer()), LogQuery("ns", owner="web"))
    targets = [LogTarget("eks", "ns", f"web-{i:03}") for i in range(100)]
    started = time.perf_counter()
    session.set_targets(targets)
    assert time.perf_counter() - started < 1.0
    deadline = time.monotonic() + 5
    while peak < JOINERS and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    assert peak == JOINERS <= 8
    release.set()
    while len(streamed) < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(streamed) == [t.pod for t in targets]
    assert done == 100
    session.close()
