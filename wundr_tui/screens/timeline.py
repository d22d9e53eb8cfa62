"""The Timeline (``:timeline``): what changed across every cluster, newest first, each entry
with its age and its time (UTC), cluster, kind, subject and what changed; Enter opens the
object it is about where the store has it."""

from __future__ import annotations

import time as _time
from typing import ClassVar

from rich.text import Text

from wundr_tui.model import Kind, KubeEvent
from wundr_tui.related import regarding_target
from wundr_tui.screens.base import PaneScreen, filter_words
from wundr_tui.screens.cells import BAD, GOOD, age_since
from wundr_tui.store import Changes
from wundr_tui.timeline import TimelineEntry
from wundr_tui.widgets.freshness import health_badge
from wundr_tui.widgets.rows import Cell, Column, RowContext


class _RowKind:
    """What the table asks of a row's ``KIND``: its name in the row key."""

    value = "timeline"


class EntryRow:
    """Adapts a timeline entry to the table's keyed rows (one object per entry version, so
    the table re-renders only entries that changed)."""

    __slots__ = ("entry", "key")
    KIND: ClassVar[_RowKind] = _RowKind()

    def __init__(self, entry: TimelineEntry) -> None:
        self.entry = entry
        self.key = str(entry.seq)


_TONE = {"bad": BAD, "good": GOOD, "info": ""}
_WHAT_STYLE = {"ROLLOUT": "bold cyan", "ACTION": "bold magenta", "BLUE/GREEN": "bold cyan"}


def _at(ctx: RowContext, cluster: str, row: EntryRow) -> Cell:
    return _time.strftime("%H:%M:%S", _time.gmtime(row.entry.time))


def _what(ctx: RowContext, cluster: str, row: EntryRow) -> Cell:
    e = row.entry
    return Text(e.what.replace("BLUE/GREEN", "BLUE/GRN"), style=_WHAT_STYLE.get(e.what, ""))


def _change(ctx: RowContext, cluster: str, row: EntryRow) -> Cell:
    e = row.entry
    return Text(e.change, style=_TONE.get(e.tone, ""))


def _newest_first(ctx: RowContext, cluster: str, row: EntryRow) -> str:
    # Rows sort ascending by text: a fixed-width count down from far in the future, the
    # later entry first among those of the same second.
    e = row.entry
    return f"{max(1e11 - e.time, 0.0):016.3f}{max(10**12 - e.seq, 0):013d}"


COLUMNS = [
    Column("age", "AGE", 4, lambda c, cl, r: age_since(c, r.entry.time), sort=_newest_first),
    Column("at", "UTC", 8, _at),
    Column("cluster", "CLU", 3, lambda c, cl, r: c.tag(r.entry.cluster)),
    Column("what", "WHAT", 8, _what),
    Column("subject", "SUBJECT", 26, lambda c, cl, r: r.entry.subject or "-"),
    Column("change", "CHANGE", 40, _change),
]


class TimelineScreen(PaneScreen):
    """Rollouts, scaling, pods, alerts, lag, backups, blue/green, warnings and actions, in
    time order across every cluster (the last 24 hours)."""

    PANE = "timeline"
    TITLE_TEXT = "Timeline"
    KINDS = ()
    COLUMNS = COLUMNS
    SORT = ("age",)
    SORT_WORDS = "newest first"
    AGE_REFRESH = 5.0

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[int, EntryRow] = {}
        self._revision = -1

    def fit_columns(self) -> None:
        """The change column takes what the terminal has left (subject narrower at 80)."""
        fixed = sum(c.width or 0 for c in self.COLUMNS if c.key not in ("change", "subject"))
        room = self.size.width - fixed - 2 * len(self.COLUMNS) - 1
        subject = 20 if room < 70 else 30
        self.table.set_column_width("subject", subject)
        self.table.set_column_width("change", max(room - subject, 20))

    def _row(self, entry: TimelineEntry) -> EntryRow:
        row = self._rows.get(entry.seq)
        if row is None or row.entry is not entry:
            row = self._rows[entry.seq] = EntryRow(entry)
        return row

    def refresh_pane(self, changes: Changes | None, *, full: bool = False) -> None:
        """Entries change only when the timeline's revision does: then the table is synced
        (by key and identity: only new or changed entries are rendered); else only the ages
        tick on the rows on screen."""
        if not self.is_mounted:
            return
        timeline = self.store.timeline
        now = self.store.clock.now()
        changed = timeline.revision != self._revision
        if not changed and not full and now - self._last_full < self.AGE_REFRESH:
            self.refresh_chrome()
            return
        ctx = self.context()
        table = self.table
        with self.app.batch_update():
            self.fit_columns()
            self.fit_cluster_column()
            if changed or self.synced_generation < 0:
                entries = timeline.entries()
                live = {e.seq for e in entries}
                for seq in [s for s in self._rows if s not in live]:
                    del self._rows[seq]
                table.sync_all(ctx, ((e.cluster, self._row(e)) for e in entries))
                self._revision = timeline.revision
            else:
                table.refresh_window(ctx)
            self._last_full = now
            self.synced_generation = self.store.generation
            self.refresh_chrome()

    def target(self) -> tuple[str, Kind, str] | None:
        """The object the entry under the cursor is about, while the store still has it."""
        row = self.table.selected_object()
        if not isinstance(row, EntryRow) or row.entry.kind is None:
            return None
        e = row.entry
        kind = e.kind
        assert kind is not None
        found = self.store.get(e.cluster, kind, e.key)
        if found is None:
            return None
        if isinstance(found, KubeEvent):
            return regarding_target(e.cluster, found)
        return e.cluster, kind, e.key

    def header_text(self) -> Text:
        """``Timeline  42/42 · last 24 h · eks · /api  ● live``."""
        store = self.store
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.TITLE_TEXT, style="bold")
        text.append(f"  {self.table.row_count}/{len(store.timeline)}")
        hours = store.timeline.max_age / 3600
        text.append(f" · last {hours:g} h · newest first")
        flt = self.table.row_filter
        if flt.cluster is not None:
            text.append(f" · {self.wundr.cluster_tags.get(flt.cluster, flt.cluster)}", "cyan")
        text.append_text(filter_words(flt, self.filter_error))
        text.append("  ")
        text.append_text(health_badge(store, store.health.values()))
        return text
