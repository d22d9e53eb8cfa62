"""Cell renderers shared by the panes: status colours, ages, cluster tags."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import groupby
from typing import Any

from rich.text import Text

from wundr_tui.format import format_age
from wundr_tui.widgets.bars import ASCII_GLYPHS, GLYPHS
from wundr_tui.widgets.rows import Cell, Column, RowContext

BAD = "bold red"
WARN = "yellow"
GOOD = "green"

_POD_STYLE = {
    "Running": GOOD,
    "Succeeded": "dim",
    "Completed": "dim",
    "Pending": WARN,
    "ContainerCreating": WARN,
    "Terminating": "dim",
}


def cluster_cell(ctx: RowContext, cluster: str, obj: Any) -> Cell:
    """The cluster's short tag."""
    return ctx.tag(cluster)


def age_since(ctx: RowContext, t: float | None) -> str:
    """kubectl-style age of a timestamp, blank when unknown."""
    return format_age(ctx.now - t) if t else "-"


def newest_first(t: float | None) -> str:
    """The sort text of a time, newest first (rows sort ascending by text: a fixed-width
    count down from far in the future); unknown times last."""
    return f"{max(100_000_000_000_000 - int(t * 1000), 0):015d}" if t else "~"


def age_column(
    when: Callable[[Any], float | None],
    *,
    key: str = "age",
    label: str = "AGE",
    width: int = 5,
    priority: int = 1,
) -> Column:
    """A column of kubectl-style ages of ``when(object)`` (``-`` when unknown) that sorts
    newest first, unknown times last."""
    return Column(
        key,
        label,
        width,
        lambda c, cl, obj: age_since(c, when(obj)),
        priority=priority,
        sort=lambda c, cl, obj: newest_first(when(obj)),
    )


def most_first(n: int) -> str:
    """The sort text of a count, largest first."""
    return f"{max(10**12 - n, 0):013d}"


_POD_RANK = {"Pending": "2", "ContainerCreating": "2", "Terminating": "4", "Succeeded": "5"}


def pod_rank(status: str, ready: int, containers: int) -> str:
    """Worst first: failing (CrashLoopBackOff, Error, ImagePullBackOff…), then running but
    not ready, then pending, then running, terminating and done."""
    if status == "Running":
        return "1" if ready < containers else "3"
    if status == "Completed":
        return "5"
    return _POD_RANK.get(status, "0")


@lru_cache(maxsize=4096)
def pod_status(status: str, ready: int, containers: int) -> Cell:
    """Status word in its colour; Running but not ready is a warning.

    Cached: 50,000 pods share a few dozen of these, and a Text per row was a quarter of the
    Pods pane's load time and ~200 bytes a pod. Tables never modify their cells.
    """
    style = _POD_STYLE.get(status, BAD)
    if status == "Running" and ready < containers:
        style = WARN
    return Text(status, style=style)


def phase(text: str) -> Cell:
    """A Velero / cloud phase word in its colour."""
    low = text.lower()
    if low in ("completed", "active", "enabled", "running", "runnable", "available"):
        return Text(text, style=GOOD)
    if "fail" in low or "error" in low or low in ("degraded", "stopped"):
        return Text(text, style=BAD)
    if low in ("inprogress", "new", "updating", "creating", "provisioning", "reconciling"):
        return Text(text, style="cyan")
    return Text(text, style=WARN) if low.startswith("partially") else text


def severity(sev: str) -> Cell:
    """CRIT / WARN / info."""
    if sev == "critical":
        return Text("CRIT", style="bold reverse red")
    if sev == "warning":
        return Text("WARN", style="bold yellow")
    return Text(sev[:4] or "-", style="dim")


def keep_end(name: str, width: int) -> str:
    """``name`` in ``width`` cells, cut in the middle, not at the end, when it is longer:
    Velero names a restore ``<backup>-<timestamp>`` and a backup ``<schedule>-<timestamp>``,
    so two of them differ only in the last part, which a cut at the end hid."""
    if len(name) <= width:
        return name
    head, _, tail = name.rpartition("-")
    if head and len(tail) + 3 <= width:
        return name[: width - len(tail) - 2] + "…-" + tail
    return "…" + name[-(width - 1) :]


_BAR_STYLE = {"pending": "cyan", "surplus": "cyan", "empty": "dim"}


def bar_cell(picture: str, *, ascii_only: bool, filled: str = "") -> Text:
    """A ``widgets.bars`` picture as a cell: the glyphs say what each cell is, colour only
    adds to it (``filled``: the style of the filled cells, BAD when at the maximum; pending
    and surplus cells cyan, like "scaling"; room dim). Other text (a percent) stays plain."""
    glyphs = ASCII_GLYPHS if ascii_only else GLYPHS
    text = Text(no_wrap=True)
    for ch, run in groupby(picture):
        role = glyphs.role(ch)
        style = filled if role == "filled" else _BAR_STYLE.get(role, "")
        text.append(ch * len(list(run)), style=style)
    return text
