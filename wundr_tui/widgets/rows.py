"""The Textual-free model of a table's rows: keys, columns, the ``/`` filter and cell text.

The virtual table (``resource_table``) draws rows; what a row is, how it is matched by a filter
and how a cell's text is fitted to its column is decided here, so it can be tested without a
terminal.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from wundr_tui.matching import Labels
from wundr_tui.matching import parse as parse_filter
from wundr_tui.store import Store

Cell = str | Text
RowKey = tuple[str, str, str]
"""(cluster, kind, key): unique across clusters and kinds."""

PADDING = 1
"""Blank cells on each side of every column (as DataTable draws them)."""


@dataclass(frozen=True, slots=True)
class RowContext:
    """What a cell renderer may look at besides its object."""

    store: Store
    now: float
    tags: dict[str, str]
    """Cluster name → the short tag shown in the CLUSTER column."""
    ascii: bool = False
    """Pictures in plain ASCII (low-bandwidth mode)."""
    scale: float = 0.0
    """A scale shared by every row of the pane (the Database pane's largest lag), 0: none."""

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
    sort: Callable[[RowContext, str, Any], str] | None = None
    """(context, cluster, object) → the text rows sort by, when not the cell's own (an age
    column sorts newest first by a time, not by "5m" < "9s")."""
    badge: bool = False
    """The cell keeps its own style on the cursor row (a severity badge stays readable on the
    selected row; the cursor colours only the padding around it)."""
    priority: int = 0
    """0: always shown; when the terminal is too narrow, columns with higher numbers are
    dropped first (what is dropped still shows in the detail line and the ``/`` filter)."""
    min_width: int | None = None
    """The narrowest the column is cut to before a lower-priority column is dropped for it
    (None: ``width``)."""
    grow: bool = False
    """The column takes the width left over (the text that explains a row)."""
    cut: Callable[[str, int], str] | None = None
    """(text, width) → the text as drawn when it is too wide (default: cut at the end with
    ``…``); ``cut_path`` drops ``namespace/`` before the name."""
    sort_letter: str | None = None
    """The Shift+letter that sorts the pane by this column (None: chosen from the label;
    "": the column does not sort)."""


class RowFilter:
    """The ``/`` filter (see ``matching``: substring, ``!`` negates, ``~regex``, ``-l``
    label selector, ``-f`` fuzzy), plus the cluster and namespace filters (``:ctx`` / ``c``,
    ``:ns``). Raises ``FilterError`` for a filter that cannot be applied."""

    def __init__(self, text: str = "", cluster: str | None = None, namespace: str | None = None):
        self.text = text
        """What the user typed, as typed."""
        self.cluster = cluster
        """Only this cluster, or None for all."""
        self.namespace = namespace
        """Only objects of this namespace (objects without one, such as nodes, pass), or None."""
        self.parsed = parse_filter(text)
        """What ``text`` means."""

    @property
    def active(self) -> bool:
        """Whether the text filter does anything."""
        return self.parsed.active

    @property
    def everything(self) -> bool:
        """Whether every row passes."""
        return not self.parsed.active and self.cluster is None and self.namespace is None

    def keeps(self, cluster: str, cells: tuple[Cell, ...], obj: Any = None) -> bool:
        """Whether a row passes every filter."""
        return self.keeps_hay(cluster, self.hay(cells), obj)

    @staticmethod
    def hay(cells: tuple[Cell, ...]) -> str:
        """The lowercased text a row is matched against."""
        return " ".join(c.plain if isinstance(c, Text) else c for c in cells).lower()

    def narrows(self, old: RowFilter) -> bool:
        """Whether every row this filter keeps is kept by ``old`` too (typing on)."""
        return (
            old.cluster in (None, self.cluster)
            and old.namespace in (None, self.namespace)
            and self.parsed.narrows(old.parsed)
        )

    def select(
        self, keys: list[RowKey], hay: dict[RowKey, str], objs: dict[RowKey, Any] | None = None
    ) -> list[RowKey]:
        """The keys (cluster first in each) whose rows pass, in order: one pass, no calls
        per row for a substring (50,000 rows in a few milliseconds)."""
        if self.cluster is not None:
            cluster = self.cluster
            keys = [rk for rk in keys if rk[0] == cluster]
        if self.namespace is not None:
            ns = self.namespace
            get = (objs or {}).get
            keys = [rk for rk in keys if getattr(get(rk), "namespace", ns) in (ns, "")]
        flt = self.parsed
        if not flt.active:
            return keys
        if flt.uses_labels:
            # Pods of one workload share one labels tuple (interned): one answer per tuple.
            get = (objs or {}).get
            seen: dict[Labels, bool] = {}
            out = []
            for rk in keys:
                labels = labels_of_row(get(rk))
                ok = seen.get(labels)
                if ok is None:
                    ok = seen[labels] = flt.matches("", labels)
                if ok:
                    out.append(rk)
            return out
        if flt.mode == "substring":
            needle = flt.needle
            texts = map(hay.__getitem__, keys)
            if flt.negate:
                return [rk for rk, text in zip(keys, texts, strict=True) if needle not in text]
            return [rk for rk, text in zip(keys, texts, strict=True) if needle in text]
        test = flt.text_test()
        return [rk for rk in keys if test(hay[rk])]

    def keeps_hay(self, cluster: str, hay: str, obj: Any = None) -> bool:
        """``keeps`` with the row's text already made by ``hay``."""
        if self.cluster is not None and cluster != self.cluster:
            return False
        if self.namespace is not None and getattr(obj, "namespace", "") not in (
            self.namespace,
            "",
        ):
            return False
        flt = self.parsed
        if not flt.active:
            return True
        return flt.matches(hay, labels_of_row(obj) if flt.uses_labels else ())


def labels_of_row(obj: Any) -> Labels:
    """The labels a ``-l`` selector looks at: the object's own (a pod's, an alert's), else
    the pods' a workload makes (a deployment's template); none for other rows."""
    labels = getattr(obj, "labels", None)
    if labels is None:
        labels = getattr(obj, "pod_labels", ())
    return labels if isinstance(labels, tuple) else ()


def cluster_of(rk: RowKey) -> str:
    """The cluster of a row key (its first part)."""
    return rk[0]


def fit(text: str, width: int) -> str:
    """A cell's text as drawn: padded to ``width``, or cut with ``…``."""
    n = cell_len(text)
    if n > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - n)


def cut_path(text: str, width: int) -> str:
    """``namespace/name`` too wide for its column: the name alone (the namespace is in the
    detail line), cut at the end if still too wide."""
    while cell_len(text) > width and "/" in text:
        text = text.split("/", 1)[1]
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def layout(columns: Sequence[Column], widths: Sequence[int], available: int) -> list[int]:
    """Each column's drawn width at ``available`` cells; 0 for a column dropped.

    Columns are dropped, highest ``priority`` first (the rightmost of equals), until the
    shown ones fit at their ``min_width``; then each widens towards its natural width (most
    important first), and what is left goes to the ``grow`` columns. Priority-0 columns are
    never dropped: when they do not fit, the table scrolls sideways (its first column stays).
    """
    mins = [max(min(c.min_width or w, w), 1) for c, w in zip(columns, widths, strict=True)]
    shown = list(range(len(columns)))

    def cost(at: list[int]) -> int:
        return sum(mins[i] for i in at) + 2 * PADDING * len(at)

    while cost(shown) > available:
        droppable = [i for i in shown if columns[i].priority > 0]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    out = [0] * len(columns)
    for i in shown:
        out[i] = mins[i]
    spare = available - cost(shown)
    for i in sorted(shown, key=lambda i: (columns[i].priority, i)):
        if spare <= 0:
            break
        add = min(widths[i] - out[i], spare)
        out[i] += add
        spare -= add
    growing = [i for i in shown if columns[i].grow]
    if spare > 0 and growing:
        share, extra = divmod(spare, len(growing))
        for n, i in enumerate(growing):
            out[i] += share + (1 if n < extra else 0)
    return out


def changed_span(
    before: Cell, after: Cell, plain_before: str, plain_after: str, width: int
) -> tuple[int, int] | None:
    """[start, end) of the characters that differ between two cells drawn in the same style,
    or None when the whole cell must be drawn again (styles differ, wide characters)."""
    if isinstance(before, Text) or isinstance(after, Text):
        same_look = (
            isinstance(before, Text)
            and isinstance(after, Text)
            and before.style == after.style
            and not before.spans
            and not after.spans
        )
        if not same_look:
            return None
    a, b = fit(plain_before, width), fit(plain_after, width)
    if not (a.isascii() and b.isascii()):
        return None
    start = 0
    while start < width and a[start] == b[start]:
        start += 1
    if start == width:
        return None
    end = width
    while a[end - 1] == b[end - 1]:
        end -= 1
    return start, end


def plain(cell: Cell) -> str:
    """A cell's text without its style."""
    return cell.plain if isinstance(cell, Text) else cell


_DIGITS = re.compile(r"\d+")


def natural(text: str) -> str:
    """A cell's text as it sorts: runs of digits zero-padded, so ``9`` sorts before ``12``
    and ``cpu 80%`` before ``cpu 125%`` (plain text order put ``12`` first)."""
    return _DIGITS.sub(_pad, text)


def _pad(m: re.Match[str]) -> str:
    return m.group().zfill(12)


_TOP = 0x10FFFF


def reverse_text(text: str) -> str:
    """A sort text that orders the other way round: each character mirrored, then a last one
    above every mirrored character (so ``abc`` comes before ``ab``, as reversed order wants).
    Sort keys stay strings: the table's bisect and merge work unchanged."""
    return "".join([chr(_TOP - ord(c)) for c in text]) + chr(_TOP)


def sort_text(
    columns: list[Column],
    at: Sequence[tuple[int, bool]],
    ctx: RowContext,
    cluster: str,
    obj: Any,
    cells: tuple[Cell, ...] | None,
) -> tuple[str, ...]:
    """The sort key of one row: for each (column, reversed) of ``at``, the column's ``sort``
    text, else its cell's text (``cells``: the row's cells, None to render only the sort
    columns). The first column's text sorts in natural order (``9`` before ``12``); the
    columns that break ties sort as plain text (cheaper, for 50,000 rows)."""
    out = []
    for n, (i, backwards) in enumerate(at):
        col = columns[i]
        if col.sort is not None:
            text = col.sort(ctx, cluster, obj)
        else:
            text = plain(cells[i] if cells is not None else col.render(ctx, cluster, obj))
            if not n:
                text = natural(text)
        out.append(reverse_text(text) if backwards else text)
    return tuple(out)


def merge_rows(
    order: list[RowKey], added: list[RowKey], sort: dict[RowKey, tuple[str, ...]] | None
) -> list[RowKey]:
    """``order`` with ``added`` in place (both may be changed): appended when unsorted or when
    they sort after the last row (pages arrive in key order), bisected in when few, else
    appended and sorted."""
    if sort is None:
        order.extend(added)
        return order
    key = sort.__getitem__
    added.sort(key=key)
    if not order or sort[order[-1]] <= sort[added[0]]:
        order.extend(added)
        return order
    # A page of one cluster's pods usually falls in one gap between the rows held (the
    # other cluster's are all before or after it): splice it in, no re-sort.
    at = bisect_right(order, sort[added[0]], key=key)
    if sort[added[-1]] <= sort[order[at]]:
        order[at:at] = added
    elif len(added) <= 64:
        for rk in added:
            insort(order, rk, key=key)
    elif len(added) < len(order):
        # A page spread over the order (the Pods pane sorts worst first, so a page of one
        # namespace lands all over it): one pass, a bisect per added row and slices copied
        # between them, instead of sorting every row again (a key lookup per row held).
        merged: list[RowKey] = []
        lo = 0
        for rk in added:
            i = bisect_right(order, sort[rk], lo=lo, key=key)
            merged.extend(order[lo:i])
            merged.append(rk)
            lo = i
        merged.extend(order[lo:])
        order[:] = merged
    else:
        order.extend(added)
        order.sort(key=key)
    return order
