"""Suite-wide fixtures: hide the developer's own config and state; a seeded demo store;
the Hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from wundr_tui.clock import FrozenClock
from wundr_tui.store import Store

if TYPE_CHECKING:
    from wundr_tui.backends.demo import DemoFleet

# Property tests: "suite" (the default) is bounded and the same every run; "fuzz" is
# `make fuzz`, once, random. Generating 100 KB strings is slow by Hypothesis' standards, and
# the autouse environment fixture below is the same for every example.
_RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "suite", max_examples=200, deadline=None, derandomize=True, suppress_health_check=_RELAXED
)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, database=None, suppress_health_check=_RELAXED
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

DEMO_START = 1_764_115_200.0
"""2025-11-26 00:00 UTC: the frozen clock every recorded screen starts at."""


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the developer's config, kubeconfig or state, nor inherits NO_COLOR or the
    terminal's colours."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("WUNDR_TUI_CONFIG", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # A truecolor terminal unless a test says otherwise: the cockpit draws in 16 colours when
    # the terminal has only those (TERM=xterm), and CI may have no TERM at all.
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "no-kubeconfig"))
    yield


RECORDINGS = Path(__file__).parent / "recordings"


def recorded_store(name: str = "demo-120s.jsonl") -> Store:
    """A store holding everything a committed recording emitted, each event applied at its
    recorded moment on a frozen clock (so ages, the timeline and histories are the ones a replay
    shows), the clock ending at the last event."""
    from itertools import groupby

    from wundr_tui.recording import load_recording

    header, events = load_recording(RECORDINGS / name)
    started = float(header["started"])
    clock = FrozenClock(started)
    store = Store(clock)
    for at, batch in groupby(events, key=lambda e: e[0]):
        clock.advance(started + at - clock.now())
        store.apply([event for _, event in batch])
    return store


def demo_world(seconds: int = 0, seed: int = 7) -> tuple[Store, DemoFleet]:
    """A store fed by the seeded demo fleet on a frozen clock, ``seconds`` ticks in, and the
    fleet (the inspector and logs of a demo app)."""
    from wundr_tui.backends.demo import DemoFleet

    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(seed=seed, clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    for _ in range(seconds):
        clock.advance(1.0)
        store.apply(fleet.tick())
    return store, fleet


def demo_store(seconds: int = 0, seed: int = 7) -> Store:
    """A store fed by the seeded demo fleet on a frozen clock, ``seconds`` ticks in."""
    return demo_world(seconds, seed)[0]


def demo_worst_moment(seed: int = 7) -> int:
    """The second of the demo's story with the most Incident rows (before stories)."""
    from wundr_tui.backends.demo import CYCLE, DemoFleet

    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(seed=seed, clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    best, most = 0, -1
    for t in range(1, CYCLE):
        clock.advance(1.0)
        store.apply(fleet.tick())
        rows = len(store.incidents())
        if rows > most:
            best, most = t, rows
    return best
