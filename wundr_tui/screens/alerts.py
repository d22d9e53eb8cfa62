"""The Alerts pane: firing and pending alerts, severity, age, silences."""

from __future__ import annotations

from rich.text import Text

from wundr_tui.format import ack_words
from wundr_tui.model import Alert, Kind
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import BAD, WARN, age_column, cluster_cell, severity
from wundr_tui.widgets.rows import Cell, Column, RowContext, cut_path


def _state(ctx: RowContext, cluster: str, a: Alert) -> Cell:
    if a.acked_by:
        return Text("acked", style=WARN)
    if a.silenced_by:
        return Text("silenced", style="dim")
    if a.inhibited:
        return Text("inhibited", style="dim")
    return Text(a.state, style=BAD if a.state == "firing" else WARN)


def _summary(ctx: RowContext, a: Alert) -> str:
    said = a.description or a.summary
    if not a.acked_by:
        return said
    return f"{ack_words(a.acked_by, a.acked_at, a.ack_until, ctx.now)} · {said}"


COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("severity", "SEV", 4, lambda c, cl, a: severity(a.severity), badge=True),
    Column("state", "STATE", 9, _state, priority=1),
    Column("name", "ALERT", 16, lambda c, cl, a: a.name, min_width=13),
    Column("subject", "SUBJECT", 28, lambda c, cl, a: a.subject or "-", min_width=14, cut=cut_path),
    age_column(lambda a: a.starts_at),
    # The why: what the alert says; it takes what is left.
    Column(
        "summary",
        "SUMMARY",
        48,
        lambda c, cl, a: _summary(c, a),
        min_width=18,
        grow=True,
    ),
    Column("group", "GROUP", 40, lambda c, cl, a: a.group or "-", priority=5),
]


class AlertsScreen(PaneScreen):
    """Alerts from every Prometheus / Alertmanager."""

    PANE = "alerts"
    TITLE_TEXT = "Alerts"
    KINDS = (Kind.ALERT,)
    COLUMNS = COLUMNS
    SORT = ("cluster", "name", "subject")
    ACTIONS = ("act_silence", "act_expire", "act_ack")
