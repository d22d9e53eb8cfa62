"""A DataTable that diffs its rows by stable key against the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter
from sys import intern
from typing import Any, overload

from rich.text import Text
from textual import events
from textual._two_way_dict import TwoWayDict
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, Row, RowKey

from wundr_tui.model import Kind
from wundr_tui.store import Store

Cell = str | Text


@dataclass(frozen=True, slots=True)
class RowContext:
    """What a cell renderer may look at besides its object."""

    store: Store
    now: float
    tags: dict[str, str]
    """Cluster name → the short tag shown in the CLUSTER column."""

    def tag(self, cluster: str) -> str:
        """The short tag of a cluster."""
        return self.tags.get(cluster, cluster)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its key, header, width and how to render a cell."""

    key: str
    label: str
    width: int | None
    render: Callable[[RowContext, str, Any], Cell]
    """(context, cluster, object) → cell."""


class RowFilter:
    """``/`` filter: substring match on a row's text, ``!`` negates; plus a cluster filter."""

    def __init__(self, text: str = "", cluster: str | None = None) -> None:
        self.text = text
        """What the user typed, as typed."""
        self.cluster = cluster
        """Only this cluster, or None for all."""
        self._negate = text.startswith("!")
        self._needle = (text[1:] if self._negate else text).lower()

    @property
    def active(self) -> bool:
        """Whether the text filter does anything."""
        return bool(self._needle)

    def keeps(self, cluster: str, cells: tuple[Cell, ...]) -> bool:
        """Whether a row passes both filters."""
        if self.cluster is not None and cluster != self.cluster:
            return False
        if not self._needle:
            return True
        return (self._needle in self.hay(cells)) != self._negate

    @staticmethod
    def hay(cells: tuple[Cell, ...]) -> str:
        """The lowercased text a row is matched against."""
        return " ".join(c.plain if isinstance(c, Text) else c for c in cells).lower()

    def keeps_hay(self, cluster: str, hay: str) -> bool:
        """``keeps`` with the row's text already made by ``hay``."""
        if self.cluster is not None and cluster != self.cluster:
            return False
        return not self._needle or (self._needle in hay) != self._negate


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


class _Cells(MutableMapping[Any, Cell]):
    """One row's cells for DataTable's ``_data``: a list and the table's shared column index.

    DataTable keeps a dict per row; at 50,000 rows that dict was the largest thing in memory
    (about 650 bytes a row for nine cells). DataTable reads it by column key, iterates its
    values and (through update_cell, which we bypass) assigns one cell; all of that works.
    """

    __slots__ = ("_index", "cells")

    def __init__(self, index: dict[Any, int], cells: tuple[Cell, ...]) -> None:
        self._index = index
        self.cells = cells
        """The row's cells in column order."""

    def __getitem__(self, key: Any) -> Cell:
        return self.cells[self._index[key]]

    def __setitem__(self, key: Any, value: Cell) -> None:
        i = self._index[key]
        self.cells = (*self.cells[:i], value, *self.cells[i + 1 :])

    def __delitem__(self, key: Any) -> None:
        raise TypeError("a ResourceTable row always has every column")

    def __iter__(self) -> Iterator[Any]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class _RowsInOrder(Sequence[Row]):
    """DataTable's rows in screen order, looked up on demand instead of copied.

    Textual 8.2 rebuilds this list (and a list of every row's lines) after any change, even one
    update_cell; with 50,000 pods and events every frame that is an O(rows) copy per frame.
    Every ResourceTable row is one line high, so position i is row i and no list is needed.
    """

    def __init__(self, table: ResourceTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table.rows)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        table = self._table
        key = table._row_locations.get_key(index)
        assert key is not None, "row positions are 0..n-1"
        return table.rows[key]


class _RowLines(Sequence[tuple[RowKey, int]]):
    """(row key, line within the row) for each line of the table body: one line per row."""

    def __init__(self, rows: _RowsInOrder) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> tuple[RowKey, int]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[RowKey, int]]: ...
    def __getitem__(self, index: int | slice) -> tuple[RowKey, int] | list[tuple[RowKey, int]]:
        if isinstance(index, slice):
            return [(row.key, 0) for row in self._rows[index]]
        return self._rows[index].key, 0

    def clear(self) -> None:
        """DataTable.clear() empties its cached list; there is nothing to empty here."""


class ResourceTable(DataTable[Cell]):
    """Rows keyed ``cluster\\x1fkey``; updated with add_row / update_cell / remove_row."""

    DEFAULT_CSS = """
    ResourceTable { height: 1fr; }
    """

    def __init__(
        self,
        columns: list[Column],
        *,
        sort_columns: tuple[str, ...] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.columns_spec = columns
        """The columns, in order."""
        self.sort_columns = sort_columns
        """Plain-text columns rows are kept sorted by (empty: insertion order)."""
        self.row_filter = RowFilter()
        """The active filters."""
        self._column_index: dict[Any, int] = {}
        self._offscreen_changed = False
        # Row key → the object its row was last rendered from, shown or filtered out: an
        # unchanged object is not rendered again (ages tick through refresh_window instead).
        self._seen: dict[str, object] = {}
        self._seen_filter: RowFilter | None = None
        # Cells of rows the filter hides, and each row's filter text while a text filter is on:
        # a new filter is then a pass over cached strings, not 50,000 renders.
        self._hidden: dict[str, tuple[Cell, ...]] = {}
        self._hay: dict[str, str] = {}
        self._ctx: RowContext | None = None

    @property
    def ordered_rows(self) -> list[Row]:
        """Rows in screen order (a view, not a copy: see _RowsInOrder)."""
        return _RowsInOrder(self)  # type: ignore[return-value]

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:
        return _RowLines(_RowsInOrder(self))  # type: ignore[return-value]

    def on_mount(self) -> None:
        """Create the columns."""
        for col in self.columns_spec:
            self.add_column(col.label, width=col.width, key=col.key)

    @staticmethod
    def row_key(cluster: str, kind: str, key: str) -> str:
        """The DataTable row key of one object: unique across clusters and kinds."""
        return f"{cluster}\x1f{kind}\x1f{key}"

    def render_row(self, ctx: RowContext, cluster: str, obj: Any) -> tuple[Cell, ...]:
        """All cells of one row."""
        return tuple(col.render(ctx, cluster, obj) for col in self.columns_spec)

    @property
    def shown(self) -> int:
        """Rows on display after filtering."""
        return len(self.rows)

    def refresh_columns(self) -> None:
        """Re-measure after column widths were changed in place."""
        self._require_update_dimensions = True
        self.refresh()

    def reset_rows(self) -> None:
        """Remove every row (keeps columns)."""
        self.clear()
        self._seen.clear()
        self._hidden.clear()
        self._hay.clear()

    def _on_resize(self, event: events.Resize) -> None:
        # A taller table shows rows whose cached renders may predate a change.
        if self._offscreen_changed:
            self._offscreen_changed = False
            self._update_count += 1
        super()._on_resize(event)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Textual measures every cell of every new row to size auto-width columns. Ours have
        # fixed widths and one-line rows, so that work is wasted: with 50,000 pods streaming
        # in it was most of the main thread's time.
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
        else:
            super()._update_dimensions(())

    def refresh_window(self, ctx: RowContext) -> None:
        """Re-render the rows on screen, so ticking cells (age) are current where they are seen.

        Rows off screen keep their cells until they scroll into view or their object changes:
        re-rendering 50,000 rows every few seconds to tick ages nobody sees cost more than
        everything else the pane does.
        """
        self._ctx = ctx
        top = int(self.scroll_y)
        locations = self._row_locations
        for index in range(top, min(top + self.size.height, self.row_count)):
            row_key = locations.get_key(index)
            rk = row_key.value if row_key is not None else None
            obj = self._seen.get(rk) if rk is not None else None
            old = self._shown(rk) if rk is not None else None
            if rk is None or obj is None or old is None:
                continue
            cells = self.render_row(ctx, rk.split("\x1f", 1)[0], obj)
            if cells != old:
                self._update_cells(rk, old, cells)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Rows scrolled into view get current cells and ages."""
        if self._offscreen_changed:
            self._offscreen_changed = False
            self._update_count += 1
        super().watch_scroll_y(old_value, new_value)
        ctx = self._ctx
        if ctx is not None and int(old_value) != int(new_value):
            self.refresh_window(RowContext(ctx.store, ctx.store.clock.now(), ctx.tags))

    def put_row(self, rk: str, cluster: str, obj: Any, ctx: RowContext) -> bool:
        """Show or refresh one row under an explicit key; True when a row was added."""
        adds: list[tuple[str, tuple[Cell, ...]]] = []
        self._put(rk, cluster, obj, ctx, adds)
        self._add_rows(adds)
        return bool(adds)

    def _put(
        self,
        rk: str,
        cluster: str,
        obj: Any,
        ctx: RowContext,
        adds: list[tuple[str, tuple[Cell, ...]]],
        drops: list[str] | None = None,
    ) -> None:
        """Show or refresh one row: new rows go to ``adds`` (added in one go by the caller),
        rows the filter now hides are dropped at once or, given ``drops``, listed there."""
        if self._seen.get(rk) is obj:
            return
        cells = self.render_row(ctx, cluster, obj)
        self._seen[rk] = obj
        self._hay.pop(rk, None)
        if not self.row_filter.keeps(cluster, cells):
            self._hidden[rk] = cells
            if rk in self._data:
                if drops is None:
                    self._drop(rk)
                    self._seen[rk] = obj
                else:
                    drops.append(rk)
            return
        self._hidden.pop(rk, None)
        old = self._shown(rk)
        if old is None:
            adds.append((rk, cells))
        elif old != cells:
            self._update_cells(rk, old, cells)

    def _refilter(
        self,
        rk: str,
        cluster: str,
        adds: list[tuple[str, tuple[Cell, ...]]],
        drops: list[str],
    ) -> None:
        """Apply a new filter to a row whose object did not change, from its cached cells."""
        shown = self._shown(rk)
        cells = shown if shown is not None else self._hidden.get(rk)
        if cells is None:
            return
        flt = self.row_filter
        if flt.active:
            hay = self._hay.get(rk)
            if hay is None:
                hay = self._hay[rk] = flt.hay(cells)
            keep = flt.keeps_hay(cluster, hay)
        else:
            keep = flt.keeps_hay(cluster, "")
        if keep and shown is None:
            del self._hidden[rk]
            adds.append((rk, cells))
        elif not keep and shown is not None:
            self._hidden[rk] = cells
            drops.append(rk)

    def _add_rows(self, items: list[tuple[str, tuple[Cell, ...]]]) -> None:
        """DataTable.add_row for many rows, with its bookkeeping done once per batch.

        add_row re-validates the cursor and schedules an idle pass for every row: a third of
        the main thread's time while 50,000 pods stream in. Same fields, same order as
        Textual 8.2's add_row (pinned); rows are one line high with no label.
        """
        if not items:
            return
        index = self._column_index
        if len(index) != len(self.columns):
            index.clear()
            index.update({column.key: i for i, column in enumerate(self.ordered_columns)})
        first = len(self.rows)
        locations, data, rows = self._row_locations, self._data, self.rows
        for offset, (rk, cells) in enumerate(items):
            row_key = RowKey(rk)
            locations[row_key] = first + offset
            # Short texts ("1/1", "Running", "30d") repeat across thousands of rows: one copy.
            cells = tuple(intern(c) if type(c) is str and len(c) < 24 else c for c in cells)
            data[row_key] = _Cells(index, cells)  # type: ignore[assignment]
            rows[row_key] = Row(row_key, 1, None, False)
        if any(column.auto_width for column in self.columns.values()):
            self._new_rows.update(RowKey(rk) for rk, _ in items)
        self._require_update_dimensions = True
        # No _update_count += 1 (add_row's): rows are appended below the others, so every
        # cached render stays right, and a page of pods arriving does not make the next frame
        # render every visible cell again. A re-sort (_resort) invalidates them itself.
        self.cursor_coordinate = self.cursor_coordinate
        if first == 0 and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()

    def _remove_rows(self, keys: list[str]) -> None:
        """Remove rows: one by one when few, else by rebuilding the table without them
        (remove_row rebuilds the row map on every call)."""
        if not keys:
            return
        if len(keys) <= 50:
            for rk in keys:
                if rk in self._data:
                    self.remove_row(rk)
            return
        gone = set(keys)
        kept = []
        for rk in self._rows_in_order():
            cells = self._shown(rk)
            if cells is not None and rk not in gone:
                kept.append((rk, cells))
        self.clear()  # DataTable's rows only: what was seen and hidden stays known
        self._add_rows(kept)

    def _rows_in_order_at(self, index: int) -> str:
        """The key of the row at a screen position ("" when there is none)."""
        key = self._row_locations.get_key(index)
        return key.value if key is not None and key.value is not None else ""

    def _rows_in_order(self) -> list[str]:
        """Row keys in screen order."""
        get_key = self._row_locations.get_key
        out = []
        for i in range(len(self.rows)):
            key = get_key(i)
            if key is not None and key.value is not None:
                out.append(key.value)
        return out

    def _shown(self, rk: str) -> tuple[Cell, ...] | None:
        """The cells of a row on display (None: not shown)."""
        row = self._data.get(rk)  # type: ignore[call-overload]
        return row.cells if isinstance(row, _Cells) else None

    def _update_cells(self, rk: str, old: tuple[Cell, ...], cells: tuple[Cell, ...]) -> None:
        """Replace the cells that changed (only those are redrawn)."""
        for col, before, after in zip(self.columns_spec, old, cells, strict=True):
            if _plain(before) != _plain(after) or before != after:
                self._set_cell(rk, col.key, after)

    def _set_cell(self, rk: str, column: str, value: Cell) -> None:
        """DataTable.update_cell without its repaint of the whole table: only this cell is
        redrawn, and only when it is on screen.

        update_cell refreshes every visible line, so one changed pod rewrote the whole screen
        each frame (about 10 KB at 120x40); its region helper also walks every row above.
        """
        row_key, column_key = RowKey(rk), ColumnKey(column)
        self._data[row_key][column_key] = value
        row_index = self._row_locations.get(row_key)
        col_index = self._column_locations.get(column_key)
        if row_index is None or col_index is None:
            self._update_count += 1
            return
        # Not _update_count += 1: that key is in every cached render, so one changed cell
        # made the next repaint (a pane switch, the prompt) render every cell on screen again.
        # A row on screen forgets its own renders; rows off screen are re-rendered when they
        # scroll into view (see watch_scroll_y).
        top = int(self.scroll_y)
        if top <= row_index < top + self.size.height:
            self._forget_renders(row_key, row_index, column_key)
        else:
            self._offscreen_changed = True
        columns = self.ordered_columns
        x = self._row_label_column_width + sum(
            c.get_render_width(self) for c in columns[:col_index]
        )
        y = row_index + (self.header_height if self.show_header else 0)
        self._refresh_region(Region(x, y, columns[col_index].get_render_width(self), 1))

    def _forget_renders(self, row_key: RowKey, row_index: int, column_key: ColumnKey) -> None:
        """Drop the cached renders that show one cell (the caches are a few thousand entries
        of the rows on screen)."""
        self._row_renderable_cache.discard((self._update_count, row_index))
        y = row_index + (self.header_height if self.show_header else 0)
        caches: list[tuple[Any, Callable[[Any], bool]]] = [
            (self._cell_render_cache, lambda k: k[0] == row_key and k[1] == column_key),
            (self._row_render_cache, lambda k: k[0] == row_key),
            (self._line_cache, lambda k: k[0] == y),
        ]
        for cache, stale in caches:
            keys = cache.keys()
            for key in [k for k in keys if stale(k)]:
                cache.discard(key)

    def _drop(self, rk: str) -> None:
        self._seen.pop(rk, None)
        self._hidden.pop(rk, None)
        self._hay.pop(rk, None)
        if rk in self._data:
            self.remove_row(rk)

    def sync_all(self, ctx: RowContext, rows: Iterable[tuple[str, Any]]) -> None:
        """Make the table show exactly ``rows`` ((cluster, object) pairs), diffing by key.

        Renders only rows whose object changed, and every row when the filter changed;
        then the rows on screen, so ticking columns (age) are current where seen.
        """
        refilter = self._seen_filter is not self.row_filter
        self._seen_filter = self.row_filter
        if not self.row_filter.active:
            self._hay.clear()
        wanted: set[str] = set()
        adds: list[tuple[str, tuple[Cell, ...]]] = []
        drops: list[str] = []
        seen = self._seen
        for cluster, obj in rows:
            rk = self.row_key(cluster, obj.KIND.value, obj.key)
            wanted.add(rk)
            if seen.get(rk) is obj:
                if refilter:
                    self._refilter(rk, cluster, adds, drops)
            else:
                self._put(rk, cluster, obj, ctx, adds, drops)
        drops.extend(
            key.value for key in self._data if key.value is not None and key.value not in wanted
        )
        for rk in self._seen.keys() - wanted:
            del self._seen[rk]
            self._hidden.pop(rk, None)
            self._hay.pop(rk, None)
        self._remove_rows(drops)
        self._add_rows(adds)
        if adds:
            self._resort(adds)
        self.refresh_window(ctx)

    def sync_keys(
        self,
        ctx: RowContext,
        kind: Kind,
        touched: Iterable[tuple[str, str]],
        lookup: Callable[[str, Kind, str], Any],
    ) -> None:
        """Apply only the keys a batch touched: lookup(cluster, kind, key) is the object or None."""
        adds: list[tuple[str, tuple[Cell, ...]]] = []
        drops: list[str] = []
        for cluster, key in touched:
            rk = self.row_key(cluster, kind.value, key)
            obj = lookup(cluster, kind, key)
            if obj is None:
                self._seen.pop(rk, None)
                self._hidden.pop(rk, None)
                self._hay.pop(rk, None)
                if rk in self._data:
                    drops.append(rk)
            else:
                self._put(rk, cluster, obj, ctx, adds, drops)
        self._remove_rows(drops)
        self._add_rows(adds)
        if adds:
            self._resort(adds)

    def _resort(self, adds: list[tuple[str, tuple[Cell, ...]]]) -> None:
        """Keep rows in ``sort_columns`` order after ``adds`` were appended: DataTable.sort's
        result, with the key read straight from each row's cell tuple (its itemgetter over a
        mapping per row cost 50 ms a sort at 50,000 rows, once per frame while pages stream
        in). Pages arrive in key order, so often the new rows already belong at the end."""
        if not self.sort_columns:
            return
        positions = [self._column_index[ColumnKey(c)] for c in self.sort_columns]
        first = len(self.rows) - len(adds)
        new_keys = [[cells[p] for p in positions] for _, cells in adds]
        if first > 0:
            last = self._shown(self._rows_in_order_at(first - 1))
            if last is not None:
                new_keys.insert(0, [last[p] for p in positions])
        if all(a <= b for a, b in pairwise(new_keys)):
            return
        if len(positions) == 1:
            (p0,) = positions

            def key(item: tuple[RowKey, Any]) -> Any:
                return item[1].cells[p0]
        else:
            take = itemgetter(*positions)

            def key(item: tuple[RowKey, Any]) -> Any:
                return take(item[1].cells)

        ordered = sorted(self._data.items(), key=key)
        self._row_locations = TwoWayDict({row_key: i for i, (row_key, _) in enumerate(ordered)})
        self._update_count += 1
        self.refresh()

    def selected_key(self) -> tuple[str, str, str] | None:
        """(cluster, kind, key) of the row under the cursor, or None."""
        if not self.row_count:
            return None
        try:
            rk = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # an empty or just-cleared table has no cell there
            return None
        if rk is None:
            return None
        cluster, kind, key = rk.split("\x1f", 2)
        return cluster, kind, key
