"""The shared poll loop: no overlap, backoff (test_retry.py), health events, prompt stop."""

from __future__ import annotations

import random
import threading
import time

from wundr_tui.backends.polling import (
    HealthReporter,
    OwnedItems,
    poll_loop,
    retry_text,
)
from wundr_tui.backends.retry import backoff
from wundr_tui.events import Deleted, Event, Health, Upserted
from wundr_tui.model import Kind, ReplicaLink


def test_loop_survives_failures_and_never_overlaps() -> None:
    stop = threading.Event()
    calls: list[float] = []
    errors: list[tuple[str, float]] = []
    running = threading.Lock()

    def poll() -> None:
        assert running.acquire(blocking=False), "polls overlapped"
        try:
            calls.append(time.monotonic())
            if len(calls) in (2, 3):
                raise ConnectionError("boom")
            if len(calls) >= 6:
                stop.set()
            time.sleep(0.01)
        finally:
            running.release()

    thread = threading.Thread(
        target=poll_loop,
        args=(stop, 0.05, poll, lambda exc, delay: errors.append((str(exc), delay))),
        kwargs={"max_backoff": 0.2, "rng": random.Random(3)},
    )
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert len(calls) == 6
    assert [e for e, _ in errors] == ["boom", "boom"]
    # The shared policy (backends.retry), base = the interval: 0.05-0.1 s, then 0.05-0.2 s.
    rng = random.Random(3)
    expected = [backoff(n, base=0.05, cap=0.2, rng=rng) for n in (1, 2)]
    assert [d for _, d in errors] == expected


def test_stop_ends_a_long_wait_promptly() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=poll_loop, args=(stop, 3600, lambda: None, print))
    thread.start()
    time.sleep(0.05)
    started = time.monotonic()
    stop.set()
    thread.join(2)
    assert not thread.is_alive() and time.monotonic() - started < 0.5


def test_health_reporter_keeps_since_and_skips_repeats() -> None:
    events: list[Event] = []
    now = [100.0]
    health = HealthReporter(events.append, "c", "rds/orders", (Kind.REPLICA_LINK,), lambda: now[0])
    health.report("connecting")
    now[0] = 101
    health.report("live", "2 replicas")
    now[0] = 102
    health.report("live", "2 replicas")
    health.report("live", "3 replicas")
    now[0] = 103
    health.report("error", "throttled by AWS; retrying in 60s")
    states = [
        (e.health.state, e.health.since, e.health.reason) for e in events if isinstance(e, Health)
    ]
    assert states == [
        ("connecting", 100.0, ""),
        ("live", 101, "2 replicas"),
        ("live", 101, "3 replicas"),
        ("error", 103, "throttled by AWS; retrying in 60s"),
    ]
    assert retry_text(60) == "retrying in 60s" and retry_text(0.2) == "retrying"


def test_owned_items_deletes_only_its_own_vanished_keys() -> None:
    events: list[Event] = []
    owned = OwnedItems(events.append, "c", Kind.REPLICA_LINK)
    a = ReplicaLink("postgres", "p", "a", "", "", "streaming", 0.0)
    b = ReplicaLink("postgres", "p", "b", "", "", "streaming", 0.0)
    owned.publish([a, b])
    owned.publish([a])
    assert isinstance(events[0], Upserted) and len(events[0].items) == 2
    assert events[1] == Deleted("c", Kind.REPLICA_LINK, (b.key,))
    assert isinstance(events[2], Upserted) and events[2].items == (a,)
