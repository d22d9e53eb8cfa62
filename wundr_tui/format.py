"""People-facing numbers: ages, durations and byte counts as an on-call engineer reads them.

Pure string formatting, no Textual: panes, the incident rules, actions and the ``snapshot``
command all share these so a lag or an age reads the same everywhere.
"""

from __future__ import annotations


def format_seconds(seconds: float) -> str:
    """Compact duration: 42s, 3m10s, 2h05m, 3d4h."""
    s = int(max(seconds, 0))
    if s < 60:
        return f"{seconds:.0f}s" if seconds >= 1 or seconds == 0 else f"{seconds:.1f}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h{(s % 3600) // 60:02d}m"
    return f"{s // 86400}d{(s % 86400) // 3600}h"


def format_age(seconds: float) -> str:
    """kubectl-style age: 45s, 12m, 5h, 3d."""
    s = int(max(seconds, 0))
    if s < 120:
        return f"{s}s"
    if s < 7200:
        return f"{s // 60}m"
    if s < 172800:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


def format_bytes(n: int) -> str:
    """Human bytes: 512B, 3.2KiB, 18MiB."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f}{unit}" if unit == "B" or size >= 100 else f"{size:.1f}{unit}"
        size /= 1024
    return f"{n}B"


def plural(count: int, word: str, many: str = "") -> str:
    """A count and its noun in agreement: ``1 restart``, ``2 restarts``, ``0 restarts``
    (``many`` for nouns that do not take an ``s``: ``plural(n, "replica", "replicas")``)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def ack_words(acked_by: str, acked_at: float, ack_until: float, now: float) -> str:
    """``acked by alice 12m ago, 48m left`` (blank when nobody acknowledged)."""
    if not acked_by:
        return ""
    ago = format_age(max(0.0, now - acked_at)) if acked_at else "?"
    left = max(0.0, ack_until - now)
    return f"acked by {acked_by} {ago} ago, {format_age(left) if left else 'ending'} left"
