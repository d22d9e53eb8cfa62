"""The Incident pane (home): everything wrong right now, across all clusters, worst first."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from wundr_tui.backends.base import LogQuery
from wundr_tui.format import ack_words
from wundr_tui.logsession import incident_query
from wundr_tui.model import Alert, Incident, Kind
from wundr_tui.related import incident_target
from wundr_tui.screens.base import PaneScreen, filter_words
from wundr_tui.screens.cells import age_since, severity
from wundr_tui.store import Changes
from wundr_tui.stories import STORY, Story, store_stories
from wundr_tui.widgets.freshness import health_badge
from wundr_tui.widgets.resource_table import ResourceTable
from wundr_tui.widgets.rows import Cell, Column, RowContext, RowFilter, cut_path

_WHAT_STYLE = {
    "ALERT": "magenta",
    "POD": "",
    "DB": "cyan",
    "SOURCE": "red",
    "CLUSTER": "red",
    "STORY": "bold",
}


def _what(ctx: RowContext, cluster: str, i: Incident) -> Cell:
    return Text(i.what.replace("BLUE/GREEN", "BLUE/GRN"), style=_WHAT_STYLE.get(i.what, ""))


def _clusters(ctx: RowContext, i: Incident) -> str:
    """The row's cluster tag; a story on several clusters: ``all`` (every cluster), else
    their tags (``eks+gke``)."""
    if i.cluster or i.what != STORY:
        return ctx.tag(i.cluster)
    tags = i.key.split("+") if i.key else []
    return "all" if len(tags) >= len(ctx.tags) else "+".join(tags)


COLUMNS = [
    Column("severity", "SEV", 4, lambda c, cl, i: severity(i.severity), badge=True),
    Column("cluster", "CLU", 3, lambda c, cl, i: _clusters(c, i)),
    Column("what", "WHAT", 8, _what),
    Column("age", "AGE", 4, lambda c, cl, i: age_since(c, i.since)),
    # The why of each row: SUBJECT gives up its namespace first, DETAIL takes what is left
    # (28 cells at 80 columns: "CrashLoopBackOff, 3 restarts", "at max 20/20 (cpu 125%/70%").
    Column(
        "subject",
        "SUBJECT",
        34,
        lambda c, cl, i: Text(i.subject, style="bold"),
        min_width=16,
        cut=cut_path,
    ),
    Column("detail", "DETAIL", 28, lambda c, cl, i: i.detail, grow=True),
]


_NAMESPACED = frozenset({"POD", "HPA", "DEPLOYMENT", "ROLLOUT"})
"""Incident kinds whose subject is ``namespace/name``."""


class IncidentRow:
    """Adapts an Incident to the table's keyed rows."""

    __slots__ = ("also_matches", "incident", "key")

    def __init__(self, incident: Incident, also_matches: str = "") -> None:
        self.incident = incident
        self.also_matches = also_matches
        """Lowercased text the ``/`` filter finds this row by besides its own cells: a
        story's, its rows' text."""
        self.key = f"{incident.cluster}|{incident.what}|{incident.subject}|{incident.detail[:12]}"

    @property
    def namespace(self) -> str:
        """The namespace of what the row is about (``:ns`` narrows by it): a pod's or an
        HPA's; "" for the rest (alerts, pools, databases, stories), which ``:ns`` keeps."""
        i = self.incident
        if i.what in _NAMESPACED and "/" in i.subject:
            return i.subject.partition("/")[0]
        return ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IncidentRow) and other.incident == self.incident

    def __hash__(self) -> int:
        return hash(self.incident)


def _cell(render: Any) -> Any:
    return lambda ctx, cluster, row: render(ctx, cluster, row.incident)


class IncidentScreen(PaneScreen):
    """Home: firing alerts, bad pods, HPAs and pools at max, lag, blue/green, broken sources."""

    PANE = "incident"
    TITLE_TEXT = "Incident"
    KINDS = ()
    COLUMNS = [replace(c, render=_cell(c.render)) for c in COLUMNS]
    AGE_REFRESH = 1.0
    ACTIONS = ("act_blue_green", "act_ack")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_stories", "Open or close every story", show=False, id="stories.all"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._incidents: list[Incident] = []
        self._expanded: set[str] = set()
        """Keys of the stories Enter opened (their rows listed under them)."""
        self._shown: dict[str, Incident | Story] = {}
        """Row key → what the row shows (an incident, or a story)."""
        self._filtered_by = ""
        """The ``/`` filter the rows were last made for."""

    def _rows(
        self, incidents: list[Incident], every_story: bool = False
    ) -> list[tuple[IncidentRow, str]]:
        """The rows to show: incidents of the chosen cluster told as stories, each open
        story (every story with ``every_story``) followed by its rows, each saying why it
        belongs. Each row comes with its story's key (blank: a row of no story)."""
        chosen = self.table.row_filter.cluster
        told = store_stories(
            self.store,
            [i for i in incidents if chosen is None or i.cluster == chosen],
            self.wundr.cluster_tags,
        )
        rows: list[tuple[IncidentRow, str]] = []
        shown: dict[str, Incident | Story] = {}
        for item in told:
            if isinstance(item, Incident):
                rows.append((IncidentRow(item), ""))
                shown[rows[-1][0].key] = item
                continue
            members: list[IncidentRow] = []
            for link in item.links:
                i = link.incident
                # The story's subject names the namespace; "↳" marks its rows.
                name = i.subject.rpartition("/")[2]
                # Its own reason first (what the row says alone), then why it is linked.
                member = replace(i, subject=f"↳ {name}", detail=f"{i.detail} · {link.why}")
                members.append(IncidentRow(member))
                shown[members[-1].key] = i
            also = ""
            if every_story:
                ctx, table = self.context(), self.table
                also = " ".join(RowFilter.hay(table.render_row(ctx, "", m)) for m in members)
            story_row = item.row(self.wundr.cluster_tags, chosen or "")
            acked = self._story_ack(item)
            if acked:
                story_row = replace(story_row, detail=f"{acked} · {story_row.detail}")
            head = IncidentRow(story_row, also)
            rows.append((head, item.key))
            shown[head.key] = item
            if item.key in self._expanded or every_story:
                rows.extend((m, item.key) for m in members)
        self._shown = shown
        return rows

    def compose_body(self) -> ComposeResult:
        """The incident table."""
        yield ResourceTable(self.COLUMNS, id="table")

    def refresh_pane(self, changes: Changes | None, *, full: bool = False) -> None:
        """Incidents are derived: recompute the (short) list and rebuild when order changes."""
        if not self.is_mounted:
            return
        now = self.store.clock.now()
        typed = self.table.row_filter.text
        if typed != self._filtered_by:  # the rows a story stands for come and go with it
            self._filtered_by, full = typed, True
        if changes is None and not full and now - self._last_full < self.AGE_REFRESH:
            self.refresh_chrome()  # nothing new, no age to tick: only the (deduped) chrome
            return
        self._last_full = now
        incidents = self.store.incidents()
        flt = self.table.row_filter
        # A text filter looks inside closed stories too: a story shows when it or one of
        # its rows matches, with the rows that match under it (/setup-toolkit finds the pod
        # that a node's story holds, instead of an empty pane).
        # (A negated filter hides rows by their own text only.)
        rows = self._rows(incidents, every_story=flt.active and not flt.text.startswith("!"))
        ctx = self.context()
        table = self.table
        with self.app.batch_update():
            self.fit_cluster_column()
            wanted = [
                r
                for r, _ in rows
                if flt.keeps_hay(
                    r.incident.cluster,
                    f"{RowFilter.hay(table.render_row(ctx, '', r))} {r.also_matches}",
                    r,
                )
            ]
            order = [table.row_key(r.incident.cluster, "incident", r.key) for r in wanted]
            current = table.keys_in_order()
            if order != current:
                # Order is meaning here (worst first): rebuild; the list is short.
                cursor = table.cursor_row
                table.reset_rows()
            for rk, r in zip(order, wanted, strict=True):
                table.put_row(rk, r.incident.cluster, r, ctx)
            if order != current and wanted:
                table.move_cursor(row=min(cursor, len(wanted) - 1))
            self.synced_generation = self.store.generation
            self._incidents = incidents
            self.refresh_chrome()

    def detail_text(self) -> Text:
        """The cursor row's subject and its whole detail (the table cuts both at 80 columns)."""
        text = Text(no_wrap=True, overflow="ellipsis")
        row = self.table.selected_object()
        if isinstance(row, IncidentRow):
            text.append(row.incident.subject, style="bold")
            text.append(f"  {row.incident.detail}")
        return text

    def target(self) -> tuple[str, Kind, str] | None:
        """The object the incident row under the cursor is about (none for a source row or a
        story)."""
        row = self.table.selected_object()
        if not isinstance(row, IncidentRow):
            return None
        shown = self._shown.get(row.key, row.incident)
        return incident_target(shown) if isinstance(shown, Incident) else None

    def told(self) -> list[Incident]:
        """Every incident on the pane, the rows of closed stories too."""
        out: list[Incident] = []
        for shown in dict.fromkeys(self._shown.values()):
            if isinstance(shown, Story):
                out.extend(link.incident for link in shown.links)
            else:
                out.append(shown)
        return list(dict.fromkeys(out))

    def _story_alerts(self, story: Story) -> list[tuple[str, Alert]]:
        out = []
        for link in story.links:
            i = link.incident
            obj = self.store.get(i.cluster, i.kind, i.key) if i.kind is Kind.ALERT else None
            if isinstance(obj, Alert):
                out.append((i.cluster, obj))
        return out

    def _story_ack(self, story: Story) -> str:
        """``acked by alice 12m ago, 48m left`` when every alert of the story is acknowledged
        (``1/2 acked by alice ...`` when some are); blank when none is."""
        alerts = self._story_alerts(story)
        acked = [a for _, a in alerts if a.acked_by]
        if not acked:
            return ""
        first = min(acked, key=lambda a: a.acked_at)
        words = ack_words(first.acked_by, first.acked_at, first.ack_until, self.store.clock.now())
        return words if len(acked) == len(alerts) else f"{len(acked)}/{len(alerts)} {words}"

    def action_act_ack(self) -> None:
        """``a`` on an alert row acknowledges it; on a STORY row, every alert of the story
        (each in its own cluster's Alertmanager)."""
        row = self.table.selected_object()
        if not isinstance(row, IncidentRow):
            self.notify("no row selected", severity="warning")
            return
        shown = self._shown.get(row.key, row.incident)
        if isinstance(shown, Story):
            alerts = self._story_alerts(shown)
            if not alerts:
                self.notify("this story has no alert to acknowledge", severity="warning")
                return
            self.wundr.actions.ack([(c, a.key) for c, a in alerts], what=shown.subject)
            return
        if shown.kind is not Kind.ALERT:
            self.notify("a acknowledges an alert or a story", severity="warning")
            return
        self.wundr.actions.ack([(shown.cluster, shown.key)])

    def action_act_blue_green(self) -> None:
        """``b`` on a STORY row switches the blue-green Service the story names, on each cluster
        it names it on (one dialog each, the story's order); on another row, as every pane."""
        row = self.table.selected_object()
        shown = self._shown.get(row.key) if isinstance(row, IncidentRow) else None
        if not isinstance(shown, Story):
            super().action_act_blue_green()
            return
        targets = list(
            dict.fromkeys(
                (link.incident.cluster, link.incident.key)
                for link in shown.links
                if link.incident.what == "BLUE/GREEN"
            )
        )
        if not targets:
            self.notify(
                f"the story of {shown.subject} has no blue-green Service", severity="warning"
            )
            return
        self.wundr.actions.blue_green_on(targets)

    def action_open_stories(self) -> None:
        """o: open every story (all rows listed, each under its story), or, when all are
        open, close them."""
        keys = {v.key for v in self._shown.values() if isinstance(v, Story)}
        self._expanded = set() if keys <= self._expanded else keys
        self.refresh_pane(None, full=True)

    def action_open_detail(self) -> None:
        """Enter on a story opens it (its rows, each saying why, listed under it) or closes
        it; on any other row, the detail view of what the row is about."""
        row = self.table.selected_object()
        if isinstance(row, IncidentRow) and row.incident.what == STORY:
            key = row.incident.cause
            self._expanded.symmetric_difference_update({key})
            self.refresh_pane(None, full=True)
            return
        super().action_open_detail()

    def header_text(self) -> Text:
        """``Incident  2 critical · 5 warning  ● live``: the counts and the badge of the
        clusters the cluster filter shows (all, or the one chosen with ``c``)."""
        store = self.store
        chosen = self.table.row_filter.cluster
        counts = Counter(
            i.severity for i in self._incidents if chosen is None or i.cluster == chosen
        )
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Incident", style="bold")
        if chosen is not None:
            text.append(f" · {self.wundr.cluster_tags.get(chosen, chosen)}", style="cyan")
        text.append("  ")
        crit = counts["critical"]
        text.append(f"{crit} critical", style="bold red" if crit else "")
        text.append(f" · {counts['warning']} warning", style="yellow" if counts["warning"] else "")
        text.append_text(filter_words(self.table.row_filter, self.filter_error))
        text.append("  ")
        healths = store.health_for(chosen) if chosen is not None else store.health.values()
        text.append_text(health_badge(store, healths))
        return text

    def log_query(self, cluster: str, key: str) -> LogQuery | None:
        """The logs the selected incident names (a pod, a workload, an alert's service)."""
        shown = self._shown.get(key)
        if isinstance(shown, Story):  # the logs of its first row that has any
            queries = (incident_query(self.store, link.incident) for link in shown.links)
            return next((q for q in queries if q is not None), None)
        return incident_query(self.store, shown) if shown is not None else None
