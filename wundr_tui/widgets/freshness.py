"""Freshness badges: live / n s old / stale / error, for the cluster bar and pane headers."""

from __future__ import annotations

import math
from collections.abc import Iterable

from rich.text import Text

from wundr_tui.format import format_age
from wundr_tui.model import SourceHealth
from wundr_tui.store import Store

_ORDER = {"error": 0, "stale": 1, "connecting": 2, "live": 3, "absent": 4}
_STYLE = {
    "error": "bold red",
    "stale": "yellow",
    "connecting": "cyan",
    "live": "green",
    "absent": "dim",
}


def worst(healths: Iterable[SourceHealth]) -> SourceHealth | None:
    """The least healthy of several sources (absent counts as fine)."""
    return min(healths, key=lambda h: _ORDER.get(h.state, 0), default=None)


def health_badge(store: Store, healths: Iterable[SourceHealth], *, short: bool = False) -> Text:
    """The badge of the least healthy of several sources, aged from what the store heard.

    A live source counts as "live" while it was heard from within half of ``stale_after``
    (polls and watch bookmarks come about once a minute); after that it shows its age, and
    past ``stale_after`` the store calls it stale. ``short``: an error without the word
    "error" (the cluster bar, where the glyph says it).
    """
    bad = worst(store.effective_health(h) for h in healths)
    heard = store.last_heard(bad) if bad else None
    live = "recorded" if store.recorded else "live"
    return badge(
        bad, store.clock.now(), heard, fresh_for=store.stale_after / 2, live=live, short=short
    )


def retry_countdown(health: SourceHealth, now: float) -> str:
    """``retrying in 31s`` counting down to the source's next attempt ("" when none is due)."""
    if not health.retry_at:
        return ""
    left = math.ceil(health.retry_at - now)
    return f"retrying in {left}s" if left >= 1 else "retrying"


def badge(
    health: SourceHealth | None,
    now: float,
    heard: float | None = None,
    fresh_for: float = 10.0,
    *,
    live: str = "live",
    short: bool = False,
) -> Text:
    """``● live``, ``● 12s old``, ``● stale 2m``, ``✖ error: reason; retrying in 31s``; a replay
    passes ``live="recorded"`` (it was live when recorded, and says nothing about now)."""
    if health is None:
        return Text("○ no data", style="dim")
    style = _STYLE.get(health.state, "")
    if health.state == "live":
        age = now - max(heard or health.since, health.since)
        # Whole tens of seconds: a quiet source's badge then repaints every 10 s, not every
        # second (two lines a second is most of an idle cockpit's bytes over SSH).
        label = live if age < fresh_for else f"{format_age(age // 10 * 10)} old"
        return Text(f"● {label}", style=style)
    if health.state == "stale":
        return Text(f"● stale {format_age(now - health.since)}", style=style)
    if health.state == "error":
        parts = [p for p in (health.reason, retry_countdown(health, now)) if p]
        if short:
            return Text(f"✖ {'; '.join(parts) or 'error'}", style=style)
        reason = f": {'; '.join(parts)}" if parts else ""
        return Text(f"✖ error{reason}", style=style)
    if health.state == "absent":
        return Text(f"○ {health.reason or 'absent'}", style=style)
    return Text(f"◌ {health.state}", style=style)
