"""Headless snapshot: connect, wait until every source is live (or the timeout), print the
incident view once and exit — for a chat paste, a cron job or a CI step.

Exit status: 0 nothing critical; 1 something critical (an incident, or a source in error);
2 nothing could be reached (no source ever went live). The JSON schema is documented in
``docs/snapshot.md``; its ``schema`` field changes only when a field's meaning does.
Textual is imported only for ``--format svg`` (the same screen the TUI shows).

Untrusted text: text and svg are drawn from a store filled through the pump's boundary
(``safe_text``), and every text line is made safe once more as it is printed (exception
messages, anything a caller's own store holds). JSON keeps the exact strings the sources
sent: its encoder escapes every control and non-ASCII character (``\\u001b``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wundr_tui.audit import AuditMode
from wundr_tui.backends.base import Source
from wundr_tui.clock import Clock
from wundr_tui.config import Config
from wundr_tui.events import Event, Health
from wundr_tui.model import Incident, SourceHealth
from wundr_tui.pump import EventPump, SourceRunner
from wundr_tui.safe_text import safe
from wundr_tui.store import Store

SCHEMA = "wundr-tui/snapshot/v1"
"""The JSON document's ``schema`` value."""

EXIT_OK = 0
EXIT_CRITICAL = 1
EXIT_UNREACHABLE = 2

SEVERITY_TAG = {"critical": "CRIT", "warning": "WARN", "info": "info"}


@dataclass
class Collected:
    """What waiting for the sources produced."""

    store: Store
    waited: float
    """Seconds spent connecting."""
    complete: bool
    """Every source reported and none was still connecting before the timeout."""
    crashed: list[str] = field(default_factory=list)
    """Sources whose loop raised (``name: error``)."""


def collect(
    sources: Sequence[Source],
    store: Store,
    timeout: float,
    *,
    poll: float = 0.05,
    monotonic: Callable[[], float] = time.monotonic,
    exact: bool = False,
) -> Collected:
    """Run the sources until each has said something and none is still connecting, or until
    ``timeout``; apply everything they sent to ``store``; stop them. ``exact`` keeps their
    strings as sent (for JSON only: see ``EventPump``)."""
    pump = EventPump(exact=exact)
    crashed: list[str] = []
    reported: set[str] = set()
    lock = threading.Lock()

    def on_crash(name: str, exc: BaseException) -> None:
        with lock:
            crashed.append(f"{name}: {type(exc).__name__}: {exc}")
            reported.add(name)

    runner = SourceRunner(pump, on_crash)
    for source in sources:
        # Each source gets its own emit so "has it reported yet?" can be answered per source.
        runner.start(_Reporting(source, reported, lock))
    start = monotonic()
    settled = 0
    complete = False
    try:
        while True:
            batch = pump.drain()
            if batch:
                store.apply(batch)
            with lock:
                everyone = len(reported) >= len(sources)
            connecting = any(h.state == "connecting" for h in store.health.values())
            # Twice in a row: a source that just went live may still be starting its
            # other watches (one per kind), which say "connecting" a moment later.
            settled = settled + 1 if everyone and not connecting else 0
            if settled >= 2:
                complete = True
                break
            if monotonic() - start >= timeout:
                break
            time.sleep(poll)
    finally:
        runner.stop(timeout=1.0)
        store.apply(pump.drain())
    return Collected(store, monotonic() - start, complete, crashed)


class _Reporting:
    """A source whose Health events mark it as having reported."""

    def __init__(self, inner: Source, reported: set[str], lock: threading.Lock) -> None:
        self.inner = inner
        self.name = inner.name
        self._reported = reported
        self._lock = lock

    def run(self, emit: Callable[[Event], None], stop: threading.Event) -> None:
        """Run the source, noting its first Health event."""

        def tee(event: Event) -> None:
            if isinstance(event, Health):
                with self._lock:
                    self._reported.add(self.name)
            emit(event)

        self.inner.run(tee, stop)


# -- verdict ------------------------------------------------------------------------------


def exit_code(store: Store) -> int:
    """2 when no source is live, 1 when anything is critical, else 0."""
    states = [store.effective_health(h).state for h in store.health.values()]
    if "live" not in states:
        return EXIT_UNREACHABLE
    if any(i.severity == "critical" for i in store.incidents()):
        return EXIT_CRITICAL
    return EXIT_OK


def status_word(code: int) -> str:
    """``ok``, ``critical`` or ``unreachable``."""
    return {EXIT_OK: "ok", EXIT_CRITICAL: "critical"}.get(code, "unreachable")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ago(now: float, then: float) -> str:
    s = max(int(now - then), 0)
    if s < 120:
        return f"{s}s"
    if s < 7200:
        return f"{s // 60}m"
    if s < 172800:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


def _tags(store: Store) -> dict[str, str]:
    """Cluster → the short tag the TUI's CLUSTER column shows (no Textual needed)."""
    prefixes = [c.short.split("/")[0] for c in store.clusters.values()]
    return {
        c.name: (p if prefixes.count(p) == 1 else c.short)[:20]
        for c, p in zip(store.clusters.values(), prefixes, strict=True)
    }


def _sources(store: Store) -> list[SourceHealth]:
    return sorted(
        (store.effective_health(h) for h in store.health.values()),
        key=lambda h: (h.cluster, h.source),
    )


def _incidents(store: Store) -> list[Incident]:
    return store.incidents()


# -- text ---------------------------------------------------------------------------------


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def render_text(collected: Collected, *, width: int = 80) -> str:
    """The incident view as plain text no wider than ``width``: pasteable into a chat."""
    store = collected.store
    now = store.clock.now()
    code = exit_code(store)
    tags = _tags(store)
    incidents = _incidents(store)
    counts = {s: sum(1 for i in incidents if i.severity == s) for s in SEVERITY_TAG}
    lines = [
        f"wundr-tui snapshot {_iso(now)}  {status_word(code).upper()}",
        f"{counts['critical']} critical · {counts['warning']} warning · {counts['info']} info"
        + (
            ""
            if collected.complete
            else f"  (sources still connecting after {collected.waited:.0f}s)"
        ),
        "",
        "SOURCES",
    ]
    for h in _sources(store):
        reason = f"  {h.reason}" if h.reason and h.state != "live" else ""
        lines.append(f"  {tags.get(h.cluster, h.cluster):<10} {h.source:<22} {h.state}{reason}")
    for crash in collected.crashed:
        lines.append(f"  crashed: {crash}")
    lines += ["", "INCIDENTS (worst first)"]
    if not incidents:
        lines.append("  nothing wrong")
    for i in incidents:
        head = (
            f"  {SEVERITY_TAG.get(i.severity, i.severity):<4} {tags.get(i.cluster, i.cluster):<6}"
            f" {i.what:<10} {_ago(now, i.since):>4}  {i.subject}"
        )
        lines.append(head)
        if i.detail:
            lines.append(f"{'':8}{i.detail}")
    return "\n".join(_fit(safe(line), width) for line in lines) + "\n"


# -- json ---------------------------------------------------------------------------------


def to_json(collected: Collected) -> dict[str, Any]:
    """The snapshot as a JSON-ready dict (schema ``wundr-tui/snapshot/v1``, docs/snapshot.md)."""
    store = collected.store
    now = store.clock.now()
    code = exit_code(store)
    tags = _tags(store)
    incidents = _incidents(store)
    return {
        "schema": SCHEMA,
        "taken_at": _iso(now),
        "status": status_word(code),
        "exit_code": code,
        "complete": collected.complete,
        "waited_seconds": round(collected.waited, 3),
        "counts": {s: sum(1 for i in incidents if i.severity == s) for s in SEVERITY_TAG},
        "clusters": [
            {
                "name": c.name,
                "tag": tags.get(c.name, c.name),
                "cloud": c.cloud,
                "region": c.region,
                "cluster": c.cluster_name,
                "production": c.production,
            }
            for c in store.clusters.values()
        ],
        "sources": [
            {
                "cluster": h.cluster,
                "source": h.source,
                "state": h.state,
                "reason": h.reason,
                "since": _iso(h.since),
            }
            for h in _sources(store)
        ],
        "crashed": list(collected.crashed),
        "incidents": [
            {
                "severity": i.severity,
                "cluster": i.cluster,
                "what": i.what,
                "subject": i.subject,
                "detail": i.detail,
                "since": _iso(i.since),
            }
            for i in incidents
        ],
    }


def dumps(document: dict[str, Any]) -> str:
    """The document as printed: indented JSON in printable ASCII (``ensure_ascii``, the
    default, escapes every control and non-ASCII character as ``\\uXXXX``, DEL included)."""
    import json

    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


# -- markdown -----------------------------------------------------------------------------


def render_markdown(collected: Collected, *, audit_mode: AuditMode = "live") -> str:
    """The hand-off notes (``handoff.render``): stories, the last hour of the timeline, the
    recent lines of this mode's audit log (a log that is not safe to read is said, not read)."""
    from wundr_tui.audit import default_path, read_entries
    from wundr_tui.handoff import MAX_AUDIT, render

    store = collected.store
    notes = []
    if not collected.complete:
        notes.append(f"sources still connecting after {collected.waited:.0f}s")
    notes += [safe(f"crashed: {c}") for c in collected.crashed]
    try:
        audit = read_entries(default_path(audit_mode), MAX_AUDIT)
    except OSError as exc:
        audit = []
        notes.append(safe(f"audit log not read: {exc}"))
    note = "; ".join(notes).replace("_", "\\_").replace("`", "'")
    return render(store, audit, _tags(store), status=status_word(exit_code(store)), note=note)


# -- svg ----------------------------------------------------------------------------------


def render_svg(
    collected: Collected,
    config: Config,
    *,
    size: tuple[int, int] = (120, 40),
    demo: bool = False,
) -> str:
    """The TUI's incident pane, rendered headless to SVG (imports Textual); ``demo`` draws
    the DEMO badge."""
    import asyncio

    from wundr_tui.app import WundrApp

    app = WundrApp(collected.store, config=config, read_only=True, demo=demo)

    async def shoot() -> str:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return app.export_screenshot(title="wundr-tui snapshot")

    return asyncio.run(shoot())


def run(
    sources: Sequence[Source],
    config: Config,
    *,
    fmt: str = "text",
    timeout: float = 20.0,
    store: Store | None = None,
    clock: Clock | None = None,
    write: Callable[[str], Any] | None = None,
    demo: bool = False,
) -> int:
    """Connect, wait, print the snapshot in ``fmt``; return the exit status. ``clock`` is the
    store's (the demo's moment with ``--at``; None: the system's); ``demo`` badges the SVG."""
    import sys

    store = store or Store(
        clock,
        lag_threshold=config.lag_threshold,
        stale_after=config.stale_after,
        blue_green=config.blue_green,
        max_events=config.kubernetes.max_events,
    )
    collected = collect(sources, store, timeout, exact=fmt == "json")
    out = write or sys.stdout.write
    if fmt == "json":
        out(dumps(to_json(collected)))
    elif fmt == "markdown":
        out(render_markdown(collected, audit_mode="demo" if demo else "live"))
    elif fmt == "svg":
        out(render_svg(collected, config, demo=demo))
    else:
        out(render_text(collected))
    return exit_code(store)
