"""The Backups pane: Velero schedules, backups and restores with their phases."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from wundr_tui.format import format_age
from wundr_tui.model import Backup, BackupSchedule, Kind, Restore
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import age_since, bar_cell, cluster_cell, keep_end, phase
from wundr_tui.widgets.bars import percent, progress
from wundr_tui.widgets.rows import Cell, Column, RowContext

BAR_WIDTH = 6
"""Cells of the progress bar; with its percent the column is as wide as "412/412" was."""


def _type(ctx: RowContext, cluster: str, obj: Any) -> Cell:
    return {Kind.SCHEDULE: "schedule", Kind.BACKUP: "backup", Kind.RESTORE: "restore"}[obj.KIND]


def _age(ctx: RowContext, cluster: str, obj: Any) -> Cell:
    if isinstance(obj, BackupSchedule):
        return age_since(ctx, obj.last_backup)
    return age_since(ctx, obj.started)


def _progress(ctx: RowContext, cluster: str, obj: Any) -> Cell:
    if isinstance(obj, BackupSchedule):
        return "paused" if obj.paused else obj.schedule
    if obj.items_total:
        picture = progress(obj.items_done, obj.items_total, BAR_WIDTH, ascii_only=ctx.ascii)
        return bar_cell(picture, ascii_only=ctx.ascii)
    return "-"


def _progress_sort(ctx: RowContext, cluster: str, obj: Any) -> str:
    """Least done first; schedules (no progress) by their cron text, after every item count."""
    if isinstance(obj, BackupSchedule):
        return f"~{obj.schedule}"
    return f"{percent(obj.items_done, obj.items_total):03d}" if obj.items_total else "-"


def _problems(ctx: RowContext, cluster: str, obj: Any) -> Cell:
    if isinstance(obj, BackupSchedule):
        return ""
    text = Text()
    if obj.errors:
        text.append(f"{obj.errors} err ", style="bold red")
    if obj.warnings:
        text.append(f"{obj.warnings} warn", style="yellow")
    return text


def _detail(ctx: RowContext, cluster: str, obj: Any) -> Cell:
    if isinstance(obj, BackupSchedule):
        return f"ttl {obj.ttl} · {','.join(obj.included_namespaces) or 'all namespaces'}"
    if isinstance(obj, Backup):
        expires = f"expires in {format_age(obj.expires - ctx.now)}" if obj.expires else ""
        return " · ".join(x for x in (obj.schedule and f"from {obj.schedule}", expires) if x)
    assert isinstance(obj, Restore)
    mapping = ", ".join(f"{a}→{b}" for a, b in obj.namespace_mapping)
    return f"from {obj.backup}" + (f" · {mapping}" if mapping else "")


NAME_WIDTH = 30
"""Cells of the NAME column; longer names are cut in the middle (``keep_end``)."""

COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("type", "TYPE", 8, _type, priority=1),
    Column("name", "NAME", NAME_WIDTH, lambda c, cl, o: keep_end(o.name, NAME_WIDTH), min_width=20),
    Column("phase", "PHASE", 16, lambda c, cl, o: phase(o.phase), min_width=15),
    Column("age", "AGE", 5, _age, priority=1),
    # Items done as a bar and a percent (the counts are in the detail view).
    Column("progress", "PROGRESS", BAR_WIDTH + 5, _progress, sort=_progress_sort, priority=3),
    # With PHASE, the why of a PartiallyFailed backup (2 err 1 warn).
    Column("problems", "ISSUES", 14, _problems, priority=1, min_width=8),
    Column("detail", "DETAIL", 50, _detail, priority=4, min_width=16, grow=True),
]


class BackupsScreen(PaneScreen):
    """Velero objects of every cluster (absent CRDs show as "Velero not installed")."""

    PANE = "backups"
    TITLE_TEXT = "Backups"
    KINDS = (Kind.SCHEDULE, Kind.RESTORE, Kind.BACKUP)
    COLUMNS = COLUMNS
    SORT = ("cluster", "type", "name")
    ACTIONS = ("act_restore",)
