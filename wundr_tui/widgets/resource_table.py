"""A virtual table of store objects: rows diffed by stable key, only the visible window drawn.

Textual's DataTable keeps a Row, a RowKey, a row-map entry and a dict of cells for every row,
re-lays them out on every change and renders cells through Rich's console: at 50,000 pods a
filter key or a pane switch took a second. This table keeps one list of keys in screen order
and, per row, the object, its sort key and its lowercased text for the ``/`` filter. Cells are
rendered from the object only when a row is on screen; a filter is one pass over cached
strings; a changed cell on screen repaints that cell only.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from wundr_tui.model import Kind
from wundr_tui.widgets.rows import (
    PADDING,
    Cell,
    Column,
    RowContext,
    RowFilter,
    RowKey,
    changed_span,
    cluster_of,
    fit,
    layout,
    merge_rows,
    plain,
    sort_text,
)


def style_base(base: Style, own: Style | None) -> Style:
    """A cell's base style: the row's, then the cell's own."""
    return base + own if own is not None else base


class ResourceTable(ScrollView, can_focus=True):
    """Rows keyed (cluster, kind, key), kept in ``sort_columns`` order (or insertion order).

    The header stays put; the body scrolls. ``cursor_row`` is the highlighted row's position
    among the rows shown; it follows its row when rows are added or removed above it.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"resource-table--header", "resource-table--cursor"}

    DEFAULT_CSS = """
    ResourceTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .resource-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .resource-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .resource-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .resource-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False, id="table.up"),
        Binding("down", "cursor_down", "Cursor down", show=False, id="table.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.pageup"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.pagedown"),
        Binding("home,ctrl+home", "first", "First row", show=False, id="table.first"),
        Binding("end,ctrl+end", "last", "Last row", show=False, id="table.last"),
        Binding("left", "scroll_left", "Scroll left", show=False, id="table.left"),
        Binding("right", "scroll_right", "Scroll right", show=False, id="table.right"),
    ]

    class CursorMoved(Message):
        """The cursor is on another row, or the columns shown changed (the screen's detail
        line, which shows what the table hides of the cursor row, follows)."""

    CELL_CACHE_ROWS: ClassVar[int] = 1024
    """Rendered cells kept (the rows on screen and recently on screen)."""

    def __init__(
        self,
        columns: list[Column],
        *,
        sort_columns: tuple[str, ...] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns_spec = columns
        """The columns, in order."""
        self.sort_columns = sort_columns
        """Plain-text columns rows are kept sorted by (empty: insertion order)."""
        self._widths = [max(c.width or len(c.label), 1) for c in columns]
        """Each column's natural width."""
        self._drawn = list(self._widths)
        """Each column's width as drawn at the widget's width (0: dropped; see ``layout``)."""
        self._laid_out_at = -1
        self.sort_reversed = False
        """Whether the first sort column orders the other way round."""
        self._sort_at = self._sort_positions(sort_columns, reverse=False)
        self._filter = RowFilter()
        # Every row, shown or not: its object, sort key and filter text.
        self._objs: dict[RowKey, Any] = {}
        self._sort: dict[RowKey, tuple[str, ...]] = {}
        self._hay: dict[RowKey, str] = {}
        self._all: list[RowKey] = []
        """Every row key in order."""
        self._view: list[RowKey] | None = None
        """The keys the filter keeps, in order (None: every row)."""
        self._cells: dict[RowKey, tuple[Cell, ...]] = {}
        """Cells rendered for display (rows on screen or recently on screen)."""
        self._strips: dict[tuple[RowKey, bool], Strip] = {}
        self._header: Strip | None = None
        self._styles: tuple[Style, Style, Style] | None = None
        self._cursor = 0
        self._cursor_key: RowKey | None = None
        self._window: tuple[int, int, int, dict[RowKey, int]] = (-1, -1, -1, {})
        self._shown: tuple[int, Size, tuple[RowKey, ...]] | None = None
        """What the table showed at its last repaint for an order change."""
        self._order_version = 0
        self._ctx: RowContext | None = None

    def _sort_positions(self, keys: tuple[str, ...], *, reverse: bool) -> list[tuple[int, bool]]:
        """(column index, reversed) of each sort column, in sort order."""
        index = {c.key: i for i, c in enumerate(self.columns_spec)}
        return [(index[k], reverse and n == 0) for n, k in enumerate(keys) if k in index]

    def set_sort(self, keys: tuple[str, ...], *, reverse: bool = False) -> None:
        """Order the rows by other columns (the first one reversed when asked): every row's
        sort text again, from its object (only the sort columns are rendered), then one sort.
        The cursor stays on its row."""
        if keys == self.sort_columns and reverse == self.sort_reversed:
            return
        self.sort_columns = keys
        self.sort_reversed = reverse
        self._sort_at = at = self._sort_positions(keys, reverse=reverse)
        ctx = self._ctx
        if ctx is not None and at:
            cols = self.columns_spec
            for rk, obj in self._objs.items():
                self._sort[rk] = sort_text(cols, at, ctx, rk[0], obj, None)
        if at:
            key = self._sort.__getitem__
            self._all.sort(key=key)
            if self._view is not None:
                self._view.sort(key=key)
        self._order_changed()
        self.move_cursor(row=self._cursor)

    # -- shape ----------------------------------------------------------------------------

    @staticmethod
    def row_key(cluster: str, kind: str, key: str) -> RowKey:
        """The key of one object's row."""
        return (cluster, kind, key)

    @property
    def rows_in_view(self) -> list[RowKey]:
        """Row keys shown, in order (do not modify)."""
        return self._all if self._view is None else self._view

    @property
    def row_count(self) -> int:
        """Rows shown after filtering."""
        return len(self.rows_in_view)

    def keys_in_order(self) -> list[RowKey]:
        """Row keys shown, in order (a copy)."""
        return list(self.rows_in_view)

    def get_row_at(self, index: int) -> tuple[Cell, ...]:
        """The cells of the row at a position among the rows shown."""
        return self._cells_of(self.rows_in_view[index])

    @property
    def table_width(self) -> int:
        """Columns shown and their padding, in cells."""
        return sum(w + 2 * PADDING for w in self._drawn if w)

    @property
    def shown_columns(self) -> list[str]:
        """Keys of the columns drawn at the current width, in order."""
        return [c.key for c, w in zip(self.columns_spec, self._drawn, strict=True) if w]

    def column_width(self, key: str) -> int:
        """A column's drawn width (0: dropped at this width)."""
        return self._drawn[[c.key for c in self.columns_spec].index(key)]

    def set_column_width(self, key: str, width: int) -> None:
        """Change one column's natural width (redraws the table when that changes what is
        drawn; no such column or the same width: nothing)."""
        width = max(width, 1)
        for i, col in enumerate(self.columns_spec):
            if col.key == key and self._widths[i] != width:
                self._widths[i] = width
                self._relayout(force=True)
                self._resize_virtual()

    def _relayout(self, *, force: bool = False) -> None:
        """Fit the columns to the widget's width (less the vertical scrollbar's, when the
        rows will need one): drop low-priority ones, share the rest."""
        width, height = self.size
        if self.row_count + 1 > height:
            width -= self.styles.scrollbar_size_vertical
        if width <= 0 or (width == self._laid_out_at and not force):
            return
        self._laid_out_at = width
        drawn = layout(self.columns_spec, self._widths, width)
        if drawn != self._drawn:
            self._drawn = drawn
            self._restyle()
            self.refresh()
            self.post_message(self.CursorMoved())

    def _column_x(self, index: int) -> int:
        return sum(w + 2 * PADDING for w in self._drawn[:index] if w)

    def _fixed_width(self) -> int:
        """Cells of the first shown column and its padding: they stay put when the table
        scrolls sideways."""
        return next((w + 2 * PADDING for w in self._drawn if w), 0)

    # -- data -----------------------------------------------------------------------------

    def render_row(self, ctx: RowContext, cluster: str, obj: Any) -> tuple[Cell, ...]:
        """All cells of one row."""
        return tuple(col.render(ctx, cluster, obj) for col in self.columns_spec)

    @property
    def row_filter(self) -> RowFilter:
        """The active filters."""
        return self._filter

    @row_filter.setter
    def row_filter(self, flt: RowFilter) -> None:
        """Apply new filters to every row: one pass over cached strings (over the rows shown
        already when the new filter only narrows the old one, as when typing on)."""
        old, self._filter = self._filter, flt
        if flt.everything:
            view = None
        elif self._view is not None and flt.narrows(old):
            view = flt.select(self._view, self._hay, self._objs)
        else:
            view = flt.select(self._all, self._hay, self._objs)
        self._set_view(view)

    def reset_rows(self) -> None:
        """Remove every row (keeps columns and filters)."""
        for d in (self._objs, self._sort, self._hay, self._cells):
            d.clear()
        self._strips.clear()
        self._all = []
        self._set_view(None if self._filter.everything else [])

    def put_row(self, rk: RowKey, cluster: str, obj: Any, ctx: RowContext) -> bool:
        """Show or refresh one row under an explicit key; True when a row was added."""
        self._ctx = ctx
        added: list[RowKey] = []
        self._put(rk, cluster, obj, ctx, added)
        self._insert(added)
        return bool(added)

    def sync_all(self, ctx: RowContext, rows: Iterable[tuple[str, Any]]) -> None:
        """Make the table hold exactly ``rows`` ((cluster, object) pairs), diffing by key:
        only rows whose object changed are rendered; then the rows on screen, so ticking
        columns (age) are current where they are seen."""
        self._ctx = ctx
        objs = self._objs
        wanted: set[RowKey] = set()
        added: list[RowKey] = []
        put = self._put
        for cluster, obj in rows:
            rk = (cluster, obj.KIND.value, obj.key)
            wanted.add(rk)
            if objs.get(rk) is not obj:
                put(rk, cluster, obj, ctx, added)
        if len(wanted) != len(objs):
            self._remove([rk for rk in objs if rk not in wanted])
        self._insert(added)
        self.refresh_window(ctx)

    def sync_keys(
        self,
        ctx: RowContext,
        kind: Kind,
        touched: Iterable[tuple[str, str]],
        lookup: Callable[[str, Kind, str], Any],
    ) -> None:
        """Apply only the keys a batch touched: lookup(cluster, kind, key) is the object or None."""
        self._ctx = ctx
        added: list[RowKey] = []
        gone: list[RowKey] = []
        objs = self._objs
        for cluster, key in touched:
            rk = (cluster, kind.value, key)
            obj = lookup(cluster, kind, key)
            if obj is None:
                if rk in objs:
                    gone.append(rk)
            elif objs.get(rk) is not obj:
                self._put(rk, cluster, obj, ctx, added)
        self._remove(gone)
        self._insert(added)

    def _put(
        self, rk: RowKey, cluster: str, obj: Any, ctx: RowContext, added: list[RowKey]
    ) -> None:
        """Record a new or changed object; new rows go to ``added`` (inserted by the caller)."""
        cells = self.render_row(ctx, cluster, obj)
        hay = RowFilter.hay(cells)
        also = getattr(obj, "also_matches", "")
        if also:  # a row that stands for others (a closed story) is found by their text too
            hay = f"{hay} {also}"
        sort = sort_text(self.columns_spec, self._sort_at, ctx, cluster, obj, cells)
        old_hay = self._hay.get(rk)
        old_obj = self._objs.get(rk)
        self._objs[rk] = obj
        self._hay[rk] = hay
        if old_hay is None:
            self._sort[rk] = sort
            added.append(rk)
            return
        flt = self._filter
        was = flt.keeps_hay(cluster, old_hay, old_obj)
        keep = flt.keeps_hay(cluster, hay, obj)
        if sort != self._sort[rk] or was != keep:
            # It moves (or appears, or goes): out of the lists, then back in where it belongs
            # (the caller's _insert), as one change: the row count, the virtual size and the
            # screen never see it gone in between.
            self._remove([rk], forget=False, settle=False)
            self._sort[rk] = sort
            added.append(rk)
            return
        self._show_cells(rk, cells)

    def _insert(self, added: list[RowKey]) -> None:
        """Put new rows into the order (and into the view when the filter keeps them)."""
        if not added:
            return
        self._all = self._merge(self._all, added)
        if self._view is not None:
            kept = self._filter.select(added, self._hay, self._objs)
            if kept:
                self._view = self._merge(self._view, kept)
        self._order_changed(added)

    def _merge(self, order: list[RowKey], added: list[RowKey]) -> list[RowKey]:
        return merge_rows(order, added, self._sort if self._sort_at else None)

    def _remove(self, keys: list[RowKey], *, forget: bool = True, settle: bool = True) -> None:
        """Take rows out of the order (and forget them unless they are coming back); with
        ``settle`` False the caller puts them back and settles the order itself."""
        if not keys:
            return
        if len(keys) <= 16:
            for rk in keys:
                self._all.remove(rk)
                if self._view is not None:
                    self._drop_from_view(rk)
        else:
            gone = set(keys)
            self._all = [rk for rk in self._all if rk not in gone]
            if self._view is not None:
                self._view = [rk for rk in self._view if rk not in gone]
        for rk in keys:
            self._forget_render(rk)
            if forget:
                for d in (self._objs, self._sort, self._hay):
                    d.pop(rk, None)
        if settle:
            self._order_changed(keys)

    def _drop_from_view(self, rk: RowKey) -> None:
        view = self._view
        assert view is not None
        if self._sort_at:
            i = bisect_left(view, self._sort[rk], key=self._sort.__getitem__)
            while i < len(view) and view[i] != rk and self._sort[view[i]] == self._sort[rk]:
                i += 1
            if i < len(view) and view[i] == rk:
                del view[i]
        elif rk in view:
            view.remove(rk)

    def _set_view(self, view: list[RowKey] | None) -> None:
        self._view = view
        self._order_changed()

    # -- screen ---------------------------------------------------------------------------

    def _order_changed(self, touched: Iterable[RowKey] | None = None) -> None:
        """Rows moved: keep the cursor on its row, resize, repaint — the whole table only
        when the screen shows something else: the rows in view (their keys and order), where
        the view starts, its size, or one of the ``touched`` rows (re-rendered) among them
        (the cursor's row is drawn by ``move_cursor``; it stays on its row). Under churn a
        row whose sort key changed (a restart count breaking a tie) moves off screen at no
        cost, where it used to repaint the table."""
        self._order_version += 1
        rows = self.rows_in_view
        key = self._cursor_key
        if key is not None and (self._cursor >= len(rows) or rows[self._cursor] != key):
            if key in self._objs and self._passes(key):
                try:
                    self._cursor = rows.index(key)
                except ValueError:  # moving (new sort key) until _insert: the cursor stays
                    return self._resize_virtual()
            else:
                self._cursor = min(self._cursor, max(len(rows) - 1, 0))
        self._cursor_key = rows[self._cursor] if rows else None
        self._resize_virtual()
        window = self._visible()
        shown = (int(self.scroll_y), self.size, tuple(window))
        if touched is None or shown != self._shown or any(rk in window for rk in touched):
            self._shown = shown
            self.refresh()

    def _passes(self, rk: RowKey) -> bool:
        return self._filter.keeps_hay(cluster_of(rk), self._hay[rk], self._objs.get(rk))

    def _resize_virtual(self) -> None:
        self._relayout()  # rows coming or going may bring or take away the vertical scrollbar
        # Not laid out yet: no width (the natural widths would bring a horizontal scrollbar
        # that Textual does not take away again when the fitted width arrives).
        width = self.table_width if self._laid_out_at >= 0 else 0
        size = Size(width, self.row_count + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def _visible(self) -> dict[RowKey, int]:
        """Row key → position, for the rows on screen."""
        top, height = int(self.scroll_y), max(self.size.height - 1, 0)
        version, t, h, window = self._window
        if (version, t, h) != (self._order_version, top, height):
            rows = self.rows_in_view
            window = {rows[i]: i for i in range(top, min(top + height, len(rows)))}
            self._window = (self._order_version, top, height, window)
        return window

    def _cells_of(self, rk: RowKey) -> tuple[Cell, ...]:
        cells = self._cells.get(rk)
        if cells is None:
            ctx = self._ctx
            obj = self._objs[rk]
            if ctx is None:
                return tuple("" for _ in self.columns_spec)
            cells = self.render_row(ctx, cluster_of(rk), obj)
            if len(self._cells) >= self.CELL_CACHE_ROWS:
                self._trim_cells()
            self._cells[rk] = cells
        return cells

    def _trim_cells(self) -> None:
        visible = self._visible()
        self._cells = {rk: c for rk, c in self._cells.items() if rk in visible}
        self._strips.clear()

    def _forget_render(self, rk: RowKey) -> None:
        """Drop a row's rendered cells and lines (it changed, moved or went)."""
        self._cells.pop(rk, None)
        self._strips.pop((rk, False), None)
        self._strips.pop((rk, True), None)

    def _show_cells(self, rk: RowKey, cells: tuple[Cell, ...]) -> None:
        """A shown row's cells changed: on screen, repaint the cells that differ."""
        old = self._cells.get(rk)
        if old is None:
            self._forget_render(rk)
            return  # not rendered lately: it is rendered when it is next on screen
        if old == cells:
            return
        self._cells[rk] = cells
        self._strips.pop((rk, False), None)
        self._strips.pop((rk, True), None)
        position = self._visible().get(rk)
        if position is None:
            return
        y = position - int(self.scroll_y) + 1
        sx = int(self.scroll_x)
        fixed = self._fixed_width()
        for i, (before, after) in enumerate(zip(old, cells, strict=True)):
            if before is after:
                continue
            width = self._drawn[i]
            if not width:
                continue
            plain_before, plain_after = plain(before), plain(after)
            if plain_before == plain_after and before == after:
                continue
            x = self._column_x(i)
            if x >= fixed:
                x -= sx
            span = (
                None
                if self.columns_spec[i].cut is not None
                else changed_span(before, after, plain_before, plain_after, width)
            )
            if span is None:
                self.refresh(Region(x, y, width + 2 * PADDING, 1))
            else:
                # Only the characters that differ: over SSH a restart count going from
                # 6345351 to 6346511 costs four digits, not the column.
                start, end = span
                self.refresh(Region(x + PADDING + start, y, end - start, 1))

    def refresh_window(self, ctx: RowContext) -> None:
        """Re-render the rows on screen, so ticking cells (age) are current where they are
        seen; rows off screen are rendered when they scroll into view."""
        self._ctx = ctx
        for rk in self._visible():
            if rk in self._cells:
                self._show_cells(rk, self.render_row(ctx, cluster_of(rk), self._objs[rk]))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Rows scrolled into view are rendered afresh (current ages)."""
        if int(old_value) != int(new_value):
            self._cells = {rk: c for rk, c in self._cells.items() if rk in self._visible()}
            self._strips.clear()
        super().watch_scroll_y(old_value, new_value)

    def _restyle(self) -> None:
        self._styles = None
        self._header = None
        self._strips.clear()

    def on_focus(self) -> None:
        """The cursor's colour depends on focus."""
        self._restyle()
        self.refresh()

    def on_blur(self) -> None:
        """The cursor's colour depends on focus."""
        self._restyle()
        self.refresh()

    def notify_style_update(self) -> None:
        """A theme or CSS change restyles every line."""
        super().notify_style_update()
        self._restyle()

    def on_resize(self, event: events.Resize) -> None:
        """Lines are as wide as the widget: fit the columns again and draw them again."""
        self._restyle()
        self._resize_virtual()

    def _get_styles(self) -> tuple[Style, Style, Style]:
        if self._styles is None:
            self._styles = (
                self.rich_style,
                self.get_component_rich_style("resource-table--header"),
                self.get_component_rich_style("resource-table--cursor"),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        """The header, or the row at ``y`` below it, cropped to the horizontal scroll."""
        width = self.size.width
        base, header, cursor = self._get_styles()
        full = max(self.table_width, width + int(self.scroll_x))
        if y == 0:
            if self._header is None or self._header.cell_length != full:
                labels: tuple[Cell, ...] = tuple(c.label for c in self.columns_spec)
                self._header = self._line(labels, base + header, None, full)
            strip = self._header
        else:
            index = int(self.scroll_y) + y - 1
            rows = self.rows_in_view
            if index >= len(rows):
                return Strip.blank(width, base)
            rk = rows[index]
            is_cursor = index == self._cursor
            strip_key = (rk, is_cursor)
            strip_or_none = self._strips.get(strip_key)
            if strip_or_none is None or strip_or_none.cell_length != full:
                post = cursor if is_cursor else None
                strip_or_none = self._line(self._cells_of(rk), base, post, full)
                self._strips[strip_key] = strip_or_none
            strip = strip_or_none
        sx = int(self.scroll_x)
        fixed = self._fixed_width()
        if sx and 0 < fixed < width:
            # Scrolled sideways: the first column stays put, the others slide under it.
            return Strip.join([strip.crop(0, fixed), strip.crop(fixed + sx, sx + width)])
        return strip.crop(sx, sx + width)

    def _line(self, cells: tuple[Cell, ...], base: Style, post: Style | None, full: int) -> Strip:
        """One line of cells, padded, each cropped to its column (``…`` when cut)."""
        console = self.app.console
        segments: list[Segment] = []
        add = segments.append
        style = base + post if post is not None else base
        pad = " " * PADDING
        for cell, width, col in zip(cells, self._drawn, self.columns_spec, strict=True):
            if not width:
                continue
            if isinstance(cell, str):
                if col.cut is not None and cell_len(cell) > width:
                    cell = col.cut(cell, width)
                add(Segment(pad + fit(cell, width) + pad, style))
                continue
            if cell.cell_len > width:
                if col.cut is not None and not cell.spans:
                    cell = Text(col.cut(cell.plain, width), style=cell.style)
                else:
                    cell = cell.copy()
                    cell.truncate(width, overflow="ellipsis")
            # Text.render leaves the Text's own style out when it has no spans.
            own = console.get_style(cell.style, default=Style.null()) if cell.style else None
            over = None if col.badge else post
            parts = list(Segment.apply_style(cell.render(console), style_base(base, own), over))
            add(Segment(pad, style))
            segments.extend(parts)
            add(Segment(" " * (width - cell.cell_len) + pad, style))
        used = self.table_width
        if full > used:
            add(Segment(" " * (full - used), style))
        return Strip(segments, full).simplify()

    # -- cursor ---------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        """The highlighted row's position among the rows shown."""
        return self._cursor

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Highlight the row at ``row`` (clamped) and scroll it into view."""
        rows = self.rows_in_view
        new = min(max(row, 0), max(len(rows) - 1, 0))
        old = self._cursor
        self._cursor = new
        old_key, self._cursor_key = self._cursor_key, rows[new] if rows else None
        if self._cursor_key != old_key:
            self.post_message(self.CursorMoved())
        top = int(self.scroll_y)
        body = max(self.size.height - 1, 1)
        for index in (old, new):
            if top <= index < top + body:
                self.refresh(Region(0, index - top + 1, self.size.width, 1))
        if scroll:
            if new < top:
                self.scroll_to(y=new, animate=False, immediate=True)
            elif new >= top + body:
                self.scroll_to(y=new - body + 1, animate=False, immediate=True)

    def selected_key(self) -> tuple[str, str, str] | None:
        """(cluster, kind, key) of the row under the cursor, or None."""
        rows = self.rows_in_view
        if not rows:
            return None
        rk = rows[min(self._cursor, len(rows) - 1)]
        return rk

    def selected_object(self) -> Any:
        """The object behind the row under the cursor (what the pane put there), or None."""
        rk = self.selected_key()
        return None if rk is None else self._objs.get(rk)

    def action_cursor_up(self) -> None:
        """One row up."""
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        """One row down."""
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        """One screen up."""
        self.move_cursor(row=self._cursor - max(self.size.height - 2, 1))

    def action_page_down(self) -> None:
        """One screen down."""
        self.move_cursor(row=self._cursor + max(self.size.height - 2, 1))

    def action_first(self) -> None:
        """The first row."""
        self.move_cursor(row=0)

    def action_last(self) -> None:
        """The last row."""
        self.move_cursor(row=self.row_count - 1)

    def action_scroll_left(self) -> None:
        """Wide tables: show the columns to the left."""
        self.scroll_to(x=max(self.scroll_x - 8, 0), animate=False)

    def action_scroll_right(self) -> None:
        """Wide tables: show the columns to the right."""
        self.scroll_to(x=self.scroll_x + 8, animate=False)

    def on_click(self, event: events.Click) -> None:
        """A click highlights the row under the pointer."""
        if event.y >= 1:
            self.move_cursor(row=int(self.scroll_y) + event.y - 1, scroll=False)
