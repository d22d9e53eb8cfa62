"""The Services pane (``:services``): each service once per cluster, its clusters next to each
other: image tag, ready/desired, HPA, live colour, firing alerts, and its golden signals
(request rate, 5xx share, p95 latency) as sparklines over the last 30 minutes with the alert
thresholds drawn. A cell where the clusters disagree carries ``≠`` (``!`` in ASCII)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from wundr_tui.format import format_seconds
from wundr_tui.model import Kind
from wundr_tui.safe_text import safe
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import BAD, GOOD, WARN, most_first
from wundr_tui.services import ServiceRow, service_rows
from wundr_tui.store import Changes
from wundr_tui.widgets.rows import Cell, Column, RowContext
from wundr_tui.widgets.sparkline import ASCII_BARS, BARS, HALF, sparkline

SPARK = 8
"""Cells of each sparkline: 30 minutes, 3¾ minutes a cell (the worst value in it)."""

DIFFERS = "≠"
DIFFERS_ASCII = "!"
MARK = "bold reverse yellow"
"""A cell where the clusters disagree: the glyph says it, the colour adds to it."""

_KINDS_READ = frozenset({Kind.DEPLOYMENT, Kind.SERVICE, Kind.HPA, Kind.ALERT, Kind.SIGNALS})
"""Kinds a service row is built from: a batch touching one of them rebuilds the rows."""


def _differs(ctx: RowContext) -> str:
    return DIFFERS_ASCII if ctx.ascii else DIFFERS


def _version(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    if not r.version:
        return "-"
    if r.version_differs:
        return Text(f"{_differs(ctx)}{r.version}", style=MARK)
    return r.version


def _ready(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    if r.ready is None or r.desired is None:
        return "-"
    style = GOOD if r.ready >= r.desired else BAD if r.ready * 2 < r.desired else WARN
    return Text(f"{r.ready}/{r.desired}", style=style)


def _hpa(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    h = r.hpa
    if h is None:
        return "-"
    if h.at_max:
        return Text(f"{h.current}/{h.max} MAX", style=BAD)
    style = "cyan" if h.desired != h.current else ""
    return Text(f"{h.current}/{h.max}", style=style)


def _live(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    if not r.live:
        return "-"
    style = "bold blue" if r.live == "blue" else "bold green" if r.live == "green" else WARN
    if r.live_differs:
        return Text(f"{_differs(ctx)}{r.live}", style=MARK)
    return Text(r.live, style=style)


def _alerts(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    """The worst firing alert by name, and how many more (the detail line names them all)."""
    if not r.alerts:
        return Text("-", style="dim")
    name, sev = r.alerts[0]
    text = Text(name, style=BAD if sev == "critical" else WARN, no_wrap=True)
    if len(r.alerts) > 1:
        text.append(f" +{len(r.alerts) - 1}")
    return text


def _spark(
    ctx: RowContext,
    values: tuple[float | None, ...],
    top: float,
    threshold: float | None,
) -> Text:
    """The buckets as bars on the pane's shared scale (0 to ``top``); with a threshold, bars
    over the middle of the cell are over it (drawn bad); a bucket with no point is blank."""
    got = [v for v in values if v is not None]
    text = Text(no_wrap=True)
    if not got:
        return text.append(" " * len(values))
    bars = sparkline(
        [v if v is not None else 0.0 for v in values],
        len(values),
        ascii_only=ctx.ascii,
        top=top or None,
        threshold=threshold,
    )
    for bar, v in zip(bars, values, strict=True):
        if v is None:
            text.append(" ")
        elif threshold is not None and v >= threshold:
            text.append(bar, style=BAD)
        else:
            text.append(bar, style="cyan")
    return text


def _value(r: ServiceRow, text: str, bad: bool) -> Text:
    """The newest value after the sparkline, or the badge that says it is not fresh."""
    if r.signals in ("stale", "error"):
        return Text(f" {r.signals}", style="bold " + (BAD if r.signals == "error" else WARN))
    return Text(f" {text}", style=BAD if bad else "")


def rate_text(v: float | None) -> str:
    """``1.7k`` / ``140`` / ``3.9`` requests per second."""
    if v is None:
        return "-"
    if v >= 10_000:
        return f"{v / 1000:.0f}k"
    if v >= 1000:
        return f"{v / 1000:.1f}k"
    return f"{v:.0f}" if v >= 10 else f"{v:.1f}"


def ratio_text(v: float | None) -> str:
    """``7.2%`` of requests."""
    if v is None:
        return "-"
    pct = v * 100
    return f"{pct:.0f}%" if pct >= 10 else f"{pct:.1f}%"


def latency_text(v: float | None) -> str:
    """``1.24s`` / ``181ms``."""
    if v is None:
        return "-"
    return f"{v:.2f}s" if v >= 1 else f"{v * 1000:.0f}ms"


def _requests(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    """No threshold here: the service's rate in every cluster on one scale."""
    text = _spark(ctx, r.requests, r.requests_top, None)
    return text.append_text(_value(r, rate_text(r.last[0]), False))


def _errors(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    limit = ctx.store.error_threshold
    text = _spark(ctx, r.errors, r.errors_top, limit)
    last = r.last[1]
    return text.append_text(_value(r, ratio_text(last), last is not None and last >= limit))


def _p95(ctx: RowContext, cluster: str, r: ServiceRow) -> Cell:
    limit = ctx.store.latency_threshold
    text = _spark(ctx, r.p95, r.p95_top, limit)
    last = r.last[2]
    return text.append_text(_value(r, latency_text(last), last is not None and last >= limit))


def _most(i: int, scale: float) -> Callable[[RowContext, str, ServiceRow], str]:
    """Largest newest value first (the requests, 5xx or p95 column), unknown last."""

    def sort(ctx: RowContext, cluster: str, r: ServiceRow) -> str:
        v = r.last[i]
        return "~" if v is None else most_first(int(v * scale))

    return sort


def _cluster_order(ctx: RowContext, cluster: str, r: ServiceRow) -> str:
    """Clusters in the order they were announced (EKS before GKE in the demo)."""
    names = list(ctx.store.clusters)
    return f"{names.index(cluster) if cluster in names else len(names):04d}{cluster}"


COLUMNS = [
    Column("service", "SERVICE", 15, lambda c, cl, r: r.service, min_width=12),
    Column("cluster", "CLU", 3, lambda c, cl, r: c.tag(cl), sort=_cluster_order),
    # The mark leads the cell, so a cut keeps it.
    Column("version", "VERSION", 8, _version, min_width=7),
    Column("ready", "READY", 5, _ready, priority=1),
    Column("hpa", "HPA", 9, _hpa, priority=4, sort_letter="H"),
    Column("live", "LIVE", 6, _live, priority=1, min_width=5),
    # The signals: the 5xx share and p95 stay at 80 columns, the request rate goes first.
    Column("errors", "5XX 30m", SPARK + 6, _errors, priority=1, sort=_most(1, 1e6)),
    Column("p95", "P95 30m", SPARK + 6, _p95, priority=1, sort=_most(2, 1e6)),
    Column("requests", "REQ/S 30m", SPARK + 5, _requests, priority=4, sort=_most(0, 1e3)),
    # Named in the detail line when the terminal is too narrow for it.
    Column("alerts", "FIRING", 16, _alerts, priority=3, min_width=6, grow=True),
]


class ServicesScreen(PaneScreen):
    """Every service of every cluster side by side, with its golden signals."""

    PANE = "services"
    TITLE_TEXT = "Services"
    KINDS = (Kind.SIGNALS,)
    """The health badge is the golden-signal sources'; the rows read more kinds."""
    COLUMNS = COLUMNS
    SORT = ("service", "cluster")
    SORT_WORDS = "by service"
    AGE_REFRESH = 15.0
    """Buckets move with time even when nothing new came: rebuilt this often."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[tuple[str, str], ServiceRow] = {}

    def rows(self) -> list[tuple[str, ServiceRow]]:
        """The rows now, reusing the objects of those unchanged (the table re-renders only
        the others)."""
        fresh = service_rows(self.store, self.store.clock.now(), SPARK)
        kept: dict[tuple[str, str], ServiceRow] = {}
        for row in fresh:
            k = (row.cluster, row.service)
            old = self._rows.get(k)
            kept[k] = old if old == row else row
        self._rows = kept
        return [(row.cluster, row) for row in kept.values()]

    def total_rows(self) -> int:
        """Rows before filtering."""
        return len(self._rows)

    def refresh_pane(self, changes: Changes | None, *, full: bool = False) -> None:
        """Rebuild the rows when a batch touched a kind they are built from, when a source's
        health changed, or every ``AGE_REFRESH`` seconds (the 30 minutes slide)."""
        if not self.is_mounted:
            return
        now = self.store.clock.now()
        relevant = changes is not None and (
            changes.health or changes.clusters or bool(changes.kinds() & _KINDS_READ)
        )
        due = now - self._last_full >= self.AGE_REFRESH
        if not (relevant or full or due or self.synced_generation < 0):
            self.refresh_chrome()
            return
        with self.app.batch_update():
            self.fit_cluster_column()
            if changes is not None and changes.clusters:
                self.table.reset_rows()
            self.table.sync_all(self.context(), self.rows())
            self._last_full = now
            self.synced_generation = self.store.generation
            self.refresh_chrome()

    def target(self) -> tuple[str, Kind, str] | None:
        """Enter: the deployment that serves the row's service (the live colour's)."""
        row = self.table.selected_object()
        if not isinstance(row, ServiceRow) or not row.deployment:
            return None
        if self.store.get(row.cluster, Kind.DEPLOYMENT, row.deployment) is None:
            return None
        return row.cluster, Kind.DEPLOYMENT, row.deployment

    def header_note(self) -> Text:
        """How to read the pictures: the thresholds and the disagreement mark."""
        ascii_only = self.wundr.low_bandwidth
        bars = ASCII_BARS if ascii_only else BARS
        store = self.store
        mark = DIFFERS_ASCII if ascii_only else DIFFERS
        return Text(
            f"{bars[HALF:]} ≥{store.error_threshold * 100:g}% / "
            f"{format_seconds(store.latency_threshold)} · {mark} differs",
            style="dim",
        )

    def detail_text(self) -> Text:
        """The cursor row in words: what the cells abbreviate, and the other clusters' tag
        and colour where they differ."""
        row = self.table.selected_object() if self.table.row_count else None
        if not isinstance(row, ServiceRow):
            return Text()
        tags = self.wundr.cluster_tags
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(safe(row.service), style="bold")
        text.append(f" on {tags.get(row.cluster, row.cluster)}")
        others = [r for (c, s), r in self._rows.items() if s == row.service and c != row.cluster]
        if row.version:
            text.append(f"  {row.version}")
            for o in others:
                if o.version and o.version != row.version:
                    text.append(f" ({tags.get(o.cluster, o.cluster)} {o.version})", style=WARN)
        if row.ready is not None:
            text.append(f"  {row.ready}/{row.desired} ready")
        if row.hpa is not None:
            h = row.hpa
            at = " at max" if h.at_max else ""
            text.append(f"  HPA {h.current}→{h.desired} of {h.max}{at}")
        if row.live:
            text.append(f"  live {row.live}")
            for o in others:
                if o.live and o.live != row.live:
                    text.append(f" ({tags.get(o.cluster, o.cluster)} {o.live})", style=WARN)
        req, err, p95 = row.last
        text.append(f"  {rate_text(req)} req/s, {ratio_text(err)} 5xx, p95 {latency_text(p95)}")
        if row.signals in ("stale", "error"):
            text.append(f" ({row.signals}: {safe(row.signals_reason)})", style=BAD)
        if row.alerts:
            text.append("  firing: " + ", ".join(name for name, _ in row.alerts), style=BAD)
        return text
