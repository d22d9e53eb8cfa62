"""Hand-off notes: the stories, the last hour of the timeline and the recent audit lines as
Markdown, ready to paste into a chat or an incident ticket (``wundr-tui snapshot --format
markdown``, and ``ctrl+s`` / ``:handoff`` in the cockpit, which writes the same to a file). No
Textual here.

Untrusted text (pod names, alert annotations, audit lines anyone who could write the file
wrote) never becomes Markdown: every outsider string goes inside a fenced code block, whose
fence is longer than any run of backticks in it, after ``safe_text.safe`` (controls shown as
escapes). Headings, counts and the clusters' tags are ours. Each section is bounded.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wundr_tui.audit import format_entry
from wundr_tui.model import Incident
from wundr_tui.safe_text import safe
from wundr_tui.store import Store
from wundr_tui.stories import Story, store_stories

TIMELINE_SECONDS = 3600.0
"""How far back the timeline section goes."""
MAX_TIMELINE = 200
"""Timeline entries at most (the newest)."""
MAX_AUDIT = 20
"""Audit lines at most (the newest)."""
MAX_LINE = 400
"""Characters per line at most (a longer one is cut, marked …)."""

SEVERITY_TAG = {"critical": "CRIT", "warning": "WARN", "info": "info"}
_TICKS = re.compile(r"`+")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clock(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%H:%M:%S")


def _ago(now: float, then: float) -> str:
    s = max(int(now - then), 0)
    if s < 120:
        return f"{s}s"
    if s < 7200:
        return f"{s // 60}m"
    return f"{s // 3600}h"


def _line(text: str) -> str:
    line = safe(text)
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def fenced(lines: Sequence[str]) -> list[str]:
    """``lines`` as a fenced code block nothing in them can close: the fence is one backtick
    longer than the longest run of backticks inside (at least three)."""
    body = [_line(x) for x in lines]
    longest = max((len(m) for x in body for m in _TICKS.findall(x)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *body, fence]


def _row(i: Incident, tags: Mapping[str, str], now: float, indent: str = "") -> str:
    sev = SEVERITY_TAG.get(i.severity, i.severity)
    tag = tags.get(i.cluster, i.cluster) or "all"
    age = _ago(now, i.since) if i.since else "-"
    return f"{indent}{sev:<4} {tag:<5} {i.what:<10} {age:>4}  {i.subject}  {i.detail}"


def story_lines(store: Store, tags: Mapping[str, str]) -> list[str]:
    """Each story (its line, then its rows cause first, each with why it belongs), then the
    rows of no story, worst first."""
    now = store.clock.now()
    out: list[str] = []
    for item in store_stories(store, store.incidents(), tags):
        if isinstance(item, Incident):
            out.append(_row(item, tags, now))
            continue
        assert isinstance(item, Story)
        head = item.row(dict(tags))
        spans = "+".join(tags.get(c, c) for c in item.clusters)
        sev = SEVERITY_TAG.get(item.severity, item.severity)
        age = _ago(now, item.since) if item.since else "-"
        out.append(f"{sev:<4} {spans:<5} STORY      {age:>4}  {item.subject}  {head.detail}")
        for link in item.links:
            out.append(_row(link.incident, tags, now, indent="  ↳ ") + f" · {link.why}")
    return out


def timeline_lines(store: Store, tags: Mapping[str, str]) -> list[str]:
    """The last hour's changes, newest first, at most MAX_TIMELINE."""
    now = store.clock.now()
    entries = store.timeline.window(now - TIMELINE_SECONDS, now)[:MAX_TIMELINE]
    return [
        f"{_clock(e.time)} {tags.get(e.cluster, e.cluster) or '-':<5} {e.what:<10} "
        f"{e.subject}  {e.change}"
        for e in entries
    ]


def render(
    store: Store,
    audit: Sequence[Mapping[str, Any]],
    tags: Mapping[str, str],
    *,
    status: str = "",
    note: str = "",
) -> str:
    """The hand-off notes as Markdown."""
    now = store.clock.now()
    incidents = store.incidents()
    counts = {s: sum(1 for i in incidents if i.severity == s) for s in SEVERITY_TAG}
    clusters = ", ".join(
        f"{safe(tags.get(c.name, c.name))} ({safe(c.cloud)} {safe(c.region)})".replace("`", "'")
        for c in store.clusters.values()
    )
    head = f"# wundr-tui hand-off {_iso(now)}" + (f" — {status.upper()}" if status else "")
    out = [
        head,
        "",
        f"{counts['critical']} critical · {counts['warning']} warning · {counts['info']} info"
        + (f" · clusters: `{clusters}`" if clusters else ""),
    ]
    if note:
        out += ["", f"_{note}_"]
    stories = story_lines(store, tags)
    out += ["", "## Stories (worst first)", ""]
    out += fenced(stories) if stories else ["Nothing wrong."]
    changes = timeline_lines(store, tags)
    out += ["", "## Timeline (last hour, newest first)", ""]
    out += fenced(changes) if changes else ["No changes seen in the last hour."]
    lines = [format_entry(item) for item in list(audit)[-MAX_AUDIT:]]
    out += ["", "## Recent actions (audit log)", ""]
    out += fenced(lines) if lines else ["No actions."]
    return "\n".join(out) + "\n"


def write_file(text: str, directory: Path, now: float | None = None) -> Path:
    """Write ``text`` to a new file ``handoff-YYYYMMDD-HHMMSS.md`` in ``directory`` (made
    0700 if missing), readable by its owner only; never follows or replaces a file."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now if now is not None else time.time()))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for n in range(100):
        path = directory / (f"handoff-{stamp}.md" if n == 0 else f"handoff-{stamp}-{n}.md")
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return path
    raise FileExistsError(f"{directory}: too many hand-off files named handoff-{stamp}*")
