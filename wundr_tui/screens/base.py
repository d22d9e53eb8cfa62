"""What every pane screen shares: cluster bar, header with freshness, a keyed table, prompt."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

from wundr_tui import kubectl
from wundr_tui.backends.base import LogQuery
from wundr_tui.bandwidth import LOW_BANDWIDTH_AGE_REFRESH
from wundr_tui.matching import FilterError
from wundr_tui.model import Kind, KubeEvent
from wundr_tui.related import regarding_target
from wundr_tui.safe_text import safe
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.host import PaneHost
from wundr_tui.screens.yaml import YamlScreen
from wundr_tui.store import Changes, Store
from wundr_tui.widgets.clipboard import copy_kubectl_binding, copy_name_binding, copy_out
from wundr_tui.widgets.cluster_bar import ClusterBar
from wundr_tui.widgets.footer import LeanFooter
from wundr_tui.widgets.freshness import health_badge
from wundr_tui.widgets.mode_badge import mode_badge
from wundr_tui.widgets.resource_table import ResourceTable
from wundr_tui.widgets.rows import Column, RowContext, RowFilter


def filter_words(flt: RowFilter, error: str = "") -> Text:
    """The filters in use, for a pane's header: `` · ns team-a · /api`` (typed or pasted:
    made safe, never markup), or the reason the typed filter is not applied."""
    text = Text()
    if flt.namespace is not None:
        text.append(f" · ns {safe(flt.namespace)}", style="cyan")
    if error:
        text.append(" · ")
        text.append(f"✖ {safe(error)}", style="bold red")
    elif flt.active:
        text.append(f" · {safe(flt.parsed.describe())}", style="cyan")
    return text


class PaneHeader(Static):
    """One line: pane title, counts, filters and the pane's freshness."""

    _shown: Text | None = None

    def show(self, text: Text) -> None:
        """Repaint only when the text changed (idle frames write nothing)."""
        if text != self._shown:
            self._shown = text
            # One line, fixed size: no layout pass (that repaints the whole screen, ~5 KB).
            self.update(text, layout=False)

    DEFAULT_CSS = """
    PaneHeader { height: 1; padding: 0 1; background: $boost; }
    """


class DetailLine(Static):
    """One line above the footer: the cursor row's whole text, nothing cut or dropped (built
    as Text from text made safe at the boundary: never markup)."""

    _shown: Text | None = None

    def show(self, text: Text) -> None:
        """Repaint only when the text changed."""
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)

    DEFAULT_CSS = """
    DetailLine { height: 1; padding: 0 1; background: $boost; }
    """


class Prompt(Input):
    """The ``:`` command line and the ``/`` filter, at the bottom of a pane."""

    DEFAULT_CSS = """
    Prompt, Prompt:focus { dock: bottom; height: 1; border: none; padding: 0 1; display: none; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", show=False, id="prompt.close"),
        # Tab would move focus to the table and leave the prompt open on the footer's line,
        # with nothing to close it: in the prompt it completes a command instead.
        Binding(
            "tab,shift+tab", "complete", "Complete the command", show=False, id="prompt.complete"
        ),
    ]

    mode: str = "filter"
    """``filter`` or ``command``."""

    def action_close(self) -> None:
        """Hide the prompt without acting; Escape on a filter clears it."""
        screen = self.screen
        if isinstance(screen, PaneScreen):
            screen.close_prompt(cancel=True)

    def action_complete(self) -> None:
        """Tab after ``:po`` gives ``:pods`` (the one command the word starts); a filter is
        left as it is."""
        screen = self.screen
        if self.mode != "command" or not isinstance(screen, PaneScreen):
            return
        found = screen.wundr.complete_command(self.value.strip().lstrip(":"))
        if found is not None:
            self.value = found
            self.cursor_position = len(found)

    def on_blur(self) -> None:
        """Focus left the prompt another way (a click on the table): close it as Enter would
        for a filter (kept) and run no command, so the footer comes back."""
        screen = self.screen
        if self.display and isinstance(screen, PaneScreen) and screen.is_current:
            screen.close_prompt()


def sort_letter(col: Column, taken: set[str]) -> str:
    """The Shift+letter that sorts by a column: its own, else k9s's for its kind of column,
    else the first free letter of its label ("" when none is free)."""
    if col.sort_letter is not None:
        return col.sort_letter if col.sort_letter not in taken else ""
    candidates: list[str] = [_K9S_LETTERS.get(col.key, ""), *col.label.upper()]
    for letter in candidates:
        if letter.isalpha() and letter.isascii() and letter not in taken:
            return letter
    return ""


_K9S_LETTERS = {
    "name": "N",
    "namespace": "P",
    "age": "A",
    "status": "S",
    "ready": "R",
    "restarts": "T",
    "node": "O",
    "cluster": "C",
    "severity": "V",
}
"""k9s's sort keys (Shift+N name, Shift+A age, Shift+T restarts…) where a column matches."""


RESERVED_LETTERS = frozenset({"K"})
"""Capitals the panes' own keys use on every pane (``K`` copies the kubectl command): never a
sort letter. ``S`` (silence) is kept only on panes that silence."""


def _sort_action(key: str) -> Any:
    def action(self: PaneScreen) -> None:
        self.sort_by(key)

    action.__doc__ = f"Sort by the {key} column (again: reversed)."
    return action


class PaneScreen(Screen[None]):
    """A pane: a table of one kind of object across every cluster, live from the store."""

    PANE: ClassVar[str] = ""
    """The pane's name (``:pods``)."""
    TITLE_TEXT: ClassVar[str] = ""
    KINDS: ClassVar[tuple[Kind, ...]] = ()
    """Store kinds this pane shows; a batch touching one of them updates it."""
    COLUMNS: ClassVar[list[Column]] = []
    SORT: ClassVar[tuple[str, ...]] = ()
    AGE_REFRESH: ClassVar[float] = 5.0
    """Seconds between full re-renders (ticking age columns)."""
    ACTIONS: ClassVar[tuple[str, ...]] = ()
    """The action keys this pane offers (``act_scale``...); the others stay hidden."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so the footer shows it even at 80 columns while the window is open.
        Binding("u", "act_revert", "Revert switch", id="act.revert"),
        Binding("b", "act_blue_green", "Blue/green", id="act.blue_green"),
        Binding("s", "act_scale", "Scale", id="act.scale"),
        Binding("r", "act_restore", "Restore", id="act.restore"),
        Binding("S", "act_silence", "Silence", key_display="S", id="act.silence"),
        Binding("x", "act_expire", "Expire silence", id="act.expire"),
        Binding("a", "act_ack", "Ack", id="act.ack"),
        # Read-only mode: the action keys above are neither shown nor run; these answer the
        # same keys instead (never in the footer) and say that nothing was sent. No action
        # parameters: help checks the action strings as they are written.
        *(
            Binding(
                key,
                f"read_only_{action.removeprefix('act_')}",
                "",  # no description: help lists the action keys themselves (read-only noted)
                key_display=key,
                show=False,
                id=f"read_only.{action.removeprefix('act_')}",
            )
            for key, action in (
                ("b", "act_blue_green"),
                ("s", "act_scale"),
                ("r", "act_restore"),
                ("S", "act_silence"),
                ("x", "act_expire"),
                ("a", "act_ack"),
            )
        ),
        # Investigation: shown in help, not in the footer (the action keys need its room).
        Binding("enter,d", "open_detail", "Detail (events, related)", show=False, id="detail"),
        Binding("y", "open_yaml", "YAML", show=False, id="yaml"),
        Binding("l", "logs", "Logs", show=False, id="logs"),
        # Copy: OSC 52, so it reaches the laptop's clipboard over SSH and tmux. Free on every
        # pane (n is only the YAML and Logs views' next match; K is kept from the sort keys).
        copy_name_binding(),
        copy_kubectl_binding("Copy the kubectl command that shows the row (describe)"),
        # The README's promise: Esc clears a kept filter (the prompt's own Esc clears it too).
        Binding("escape", "clear_filter", "Clear the filter", show=False, id="filter.clear"),
    ]

    SORT_LETTERS: ClassVar[dict[str, str]] = {}
    """Shift+letter → the column key it sorts by (built per pane from its columns)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each pane that sorts gets a Shift+letter per column (k9s's keys: N name, A age…),
        listed in help; pressing it again reverses the order."""
        if cls.SORT and "SORT_LETTERS" not in cls.__dict__:
            cls._add_sort_keys()
        # After: Textual merges the class's bindings here.
        super().__init_subclass__(**kwargs)

    @classmethod
    def _add_sort_keys(cls) -> None:
        taken = set(RESERVED_LETTERS) | ({"S"} if "act_silence" in cls.ACTIONS else set())
        letters: dict[str, str] = {}
        for col in cls.COLUMNS:
            letter = sort_letter(col, taken)
            if letter:
                taken.add(letter)
                letters[letter] = col.key
        cls.SORT_LETTERS = letters
        cls.BINDINGS = [
            *cls.__dict__.get("BINDINGS", []),
            *(
                Binding(
                    letter,
                    f"sort_{key}",
                    f"Sort by {next(c.label for c in cls.COLUMNS if c.key == key)}",
                    key_display=letter,
                    show=False,
                    id=f"sort.{key}",
                )
                for letter, key in letters.items()
            ),
        ]
        for key in letters.values():
            setattr(cls, f"action_sort_{key}", _sort_action(key))

    def sort_by(self, key: str) -> None:
        """Sort by one column (the pane's own order breaks ties); the same column again
        reverses it; the header says which."""
        table = self.table
        reverse = table.sort_columns[:1] == (key,) and not table.sort_reversed
        rest = tuple(k for k in self.SORT if k != key)
        table.set_sort((key, *rest), reverse=reverse)
        self.refresh_chrome()

    SORT_WORDS: ClassVar[str] = ""
    """The pane's own order in words (``worst first``; default: ``by`` its first column)."""

    def sort_words(self) -> str:
        """``worst first`` / ``by NAME`` / ``by AGE, reversed``: the order rows are in."""
        table = self.table
        if not table.sort_columns:
            return ""
        if table.sort_columns == self.SORT and not table.sort_reversed and self.SORT_WORDS:
            return self.SORT_WORDS
        label = next(
            (c.label for c in self.COLUMNS if c.key == table.sort_columns[0]),
            table.sort_columns[0],
        )
        return f"by {label}" + (", reversed" if table.sort_reversed else "")

    def __init__(self) -> None:
        super().__init__(name=self.PANE)
        self.synced_generation = -1
        """Store generation the table reflects (-1: never synced)."""
        self._last_full = 0.0
        # Keys the store's batches touched while another pane was on screen, up to
        # _noted_generation: coming back applies those instead of diffing every row.
        self._pending: dict[Kind, set[tuple[str, str]]] = {}
        self._noted_generation = -1

    PENDING_LIMIT: ClassVar[int] = 20_000
    """Touched keys remembered while hidden; past this, coming back diffs every row."""

    def on_mount(self) -> None:
        """Register with the app, which tells hidden panes what changed."""
        self.wundr.pane_screens.add(self)

    def note_changes(self, changes: Changes, generation: int) -> None:
        """While hidden: remember the keys a batch touched (cheap; no rendering). A gap in
        the generations, or too many keys, and the next show diffs every row instead."""
        if self.synced_generation < 0:
            return  # never shown: the first show syncs everything anyway
        last = self._noted_generation if self._noted_generation >= 0 else self.synced_generation
        if generation != last + 1:
            self._pending = {}
            self._noted_generation = -1
            return
        for kind in self.KINDS:
            touched = changes.touched.get(kind)
            if touched:
                self._pending.setdefault(kind, set()).update(touched)
        if sum(len(s) for s in self._pending.values()) > self.PENDING_LIMIT:
            self._pending = {}
            self._noted_generation = -1
            return
        self._noted_generation = generation

    @property
    def wundr(self) -> PaneHost:
        """The cockpit this pane is mounted in (``WundrApp``, seen through ``PaneHost``)."""
        # A cast, not an isinstance on the protocol: this runs several times per frame.
        return cast(PaneHost, self.app)

    @property
    def store(self) -> Store:
        """The app's store."""
        return self.wundr.store

    def compose(self) -> ComposeResult:
        """Cluster bar, header, table, prompt, footer."""
        yield ClusterBar(id="clusters")
        yield PaneHeader(id="header")
        yield from self.compose_body()
        yield DetailLine(id="detail-line")
        yield Prompt(id="prompt")
        yield LeanFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        """The pane's body: by default one table."""
        yield ResourceTable(self.COLUMNS, sort_columns=self.SORT, id="table")

    @property
    def table(self) -> ResourceTable:
        """The pane's main table."""
        return self.query_one("#table", ResourceTable)

    def on_screen_resume(self) -> None:
        """Catch up with everything that changed while another pane was shown."""
        flt = self.table.row_filter
        if (flt.cluster, flt.namespace) != (self.wundr.cluster_filter, self.wundr.namespace_filter):
            self.table.row_filter = RowFilter(
                flt.text, self.wundr.cluster_filter, self.wundr.namespace_filter
            )
        self.refresh_pane(None, full=True)
        self.table.focus()
        self.wundr.actions.refresh_permissions(self.ACTIONS)

    def context(self) -> RowContext:
        """Rendering context for cells."""
        return RowContext(
            self.store, self.store.clock.now(), self.wundr.cluster_tags, self.wundr.low_bandwidth
        )

    # -- data -----------------------------------------------------------------------------

    def rows(self) -> Iterable[tuple[str, Any]]:
        """Every (cluster, object) this pane shows before filtering."""
        for kind in self.KINDS:
            yield from self.store.all(kind)

    def lookup(self, cluster: str, kind: Kind, key: str) -> Any:
        """The object behind a touched key (None when deleted)."""
        return self.store.get(cluster, kind, key)

    def refresh_pane(self, changes: Changes | None, *, full: bool = False) -> None:
        """Bring the pane up to date: the touched keys only, when every batch since the last
        sync is known (this frame's ``changes`` and what was noted while hidden); else diff
        every row. ``full`` asks for the rows on screen to be rendered afresh too."""
        if not self.is_mounted:
            return
        store = self.store
        now = store.clock.now()
        age_every = LOW_BANDWIDTH_AGE_REFRESH if self.wundr.low_bandwidth else self.AGE_REFRESH
        pending, self._pending = self._pending, {}
        noted, self._noted_generation = self._noted_generation, -1
        known = noted if noted >= 0 else self.synced_generation
        caught_up = self.synced_generation >= 0 and known == store.generation - (
            1 if changes else 0
        )
        if changes is not None and changes.clusters:
            caught_up = False  # cluster tags (the CLU column, the order) may have changed
        table = self.table
        ctx = self.context()
        with self.app.batch_update():
            self.fit_cluster_column()
            if not caught_up:
                if changes is not None and changes.clusters:
                    table.reset_rows()
                table.sync_all(ctx, self.rows())
                self._last_full = now
            else:
                for batch in (pending, changes.touched if changes is not None else {}):
                    for kind in self.KINDS:
                        touched = batch.get(kind)
                        if touched:
                            table.sync_keys(ctx, kind, touched, self.lookup)
                if full or now - self._last_full >= age_every:
                    # Ages tick on the rows on screen only: a pass over 50,000 rows every
                    # few seconds was most of an idle cockpit's CPU.
                    table.refresh_window(ctx)
                    self._last_full = now
            self.synced_generation = store.generation
            self.refresh_chrome()

    def fit_cluster_column(self) -> None:
        """The CLUSTER column is as wide as the longest cluster tag (3 for eks / gke)."""
        tags = self.wundr.cluster_tags
        width = max((len(t) for t in tags.values()), default=3)
        self.table.set_column_width("cluster", max(width, 3))  # a no-op when unchanged

    def refresh_chrome(self) -> None:
        """Cluster bar and header (cheap: two lines)."""
        badge = mode_badge(self.wundr.run_mode)
        self.query_one(ClusterBar).show(self.store, self.wundr.cluster_filter, badge)
        self.query_one(PaneHeader).show(self.header_text())
        self.refresh_detail_line()

    def refresh_detail_line(self) -> None:
        """The detail line follows the cursor row (and the row's changes, each frame)."""
        self.query_one(DetailLine).show(self.detail_text())

    def detail_text(self) -> Text:
        """What the table does not show of the cursor row: its dropped and cut cells, each
        after its column's name; the whole row when nothing is hidden."""
        text = Text(no_wrap=True, overflow="ellipsis")
        table = self.table
        if not table.row_count:
            return text
        cells = table.get_row_at(min(table.cursor_row, table.row_count - 1))
        hidden = [
            (col.label, cell)
            for col, cell in zip(table.columns_spec, cells, strict=True)
            if cell_len(cell.plain if isinstance(cell, Text) else cell)
            > table.column_width(col.key)
        ]
        for label, cell in hidden or [("", cell) for cell in cells]:
            words = cell.plain if isinstance(cell, Text) else cell
            if words in ("", "-"):
                continue
            if text:
                text.append("  ")
            if label:
                text.append(f"{label} ", style="dim")
            text.append_text(cell if isinstance(cell, Text) else Text(cell))
        return text

    def on_resource_table_cursor_moved(self, event: ResourceTable.CursorMoved) -> None:
        """A new cursor row: its text in the detail line at once (not at the next frame)."""
        self.refresh_detail_line()

    def total_rows(self) -> int:
        """How many rows the pane has before filtering (the header's ``shown/total``)."""
        return sum(self.store.count(k) for k in self.KINDS)

    def header_text(self) -> Text:
        """``Pods  96 shown of 96 · cluster: all · filter: api  ● live``."""
        store = self.store
        total = self.total_rows()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.TITLE_TEXT, style="bold")
        text.append(f"  {self.table.row_count}/{total}")
        flt = self.table.row_filter
        if flt.cluster is not None:
            text.append(f" · {self.wundr.cluster_tags.get(flt.cluster, flt.cluster)}", "cyan")
        text.append_text(filter_words(flt, self.filter_error))
        order = self.sort_words()
        if order:
            text.append(f" · {order}", style="cyan")
        note = self.header_note()
        if note:
            text.append(" · ")
            text.append_text(note)
        text.append("  ")
        healths = [
            h
            for cluster in store.clusters
            for kind in self.KINDS
            for h in store.health_for(cluster, kind)
            if kind in h.kinds
        ]
        text.append_text(health_badge(store, healths))
        return text

    def header_note(self) -> Text | None:
        """A pane's own words in its header (how to read its pictures), or None."""
        return None

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Action keys: hidden where the pane has no such action or there is no operator, and
        in read-only mode (where the ``read_only_*`` actions answer them); shown disabled where RBAC
        denies them. ``l`` only where rows have logs."""
        if action == "logs":
            return type(self).log_query is not PaneScreen.log_query
        if action == "act_revert":
            return self.wundr.actions.can_revert
        if action.startswith("read_only_"):  # no parameters: help passes actions unparsed
            wanted = "act_" + action.removeprefix("read_only_")
            return self.wundr.actions.read_only and wanted in self.ACTIONS
        if action.startswith("act_"):
            if action not in self.ACTIONS or self.wundr.actions.read_only:
                return False
            return self.wundr.actions.availability(action)
        return True

    ACTION_WORDS: ClassVar[dict[str, str]] = {
        "act_blue_green": "blue-green switch",
        "act_scale": "scale",
        "act_restore": "Velero restore",
        "act_silence": "silence",
        "act_expire": "silence expiry",
        "act_ack": "acknowledgement (silence)",
    }
    """What an action key asks for, in the read-only refusal's words."""
    SCALE_WORDS: ClassVar[dict[str, str]] = {
        "pods": "scale of the owning deployment",
        "hpa": "HPA min/max change",
        "nodepools": "node pool resize",
    }
    """What ``s`` asks for on each pane that has it."""

    def action_read_only_blue_green(self) -> None:
        """``b`` in read-only mode."""
        self.refuse_read_only("act_blue_green")

    def action_read_only_scale(self) -> None:
        """``s`` in read-only mode."""
        self.refuse_read_only("act_scale")

    def action_read_only_restore(self) -> None:
        """``r`` in read-only mode."""
        self.refuse_read_only("act_restore")

    def action_read_only_silence(self) -> None:
        """``S`` in read-only mode."""
        self.refuse_read_only("act_silence")

    def action_read_only_expire(self) -> None:
        """``x`` in read-only mode."""
        self.refuse_read_only("act_expire")

    def action_read_only_ack(self) -> None:
        """``a`` in read-only mode."""
        self.refuse_read_only("act_ack")

    def refuse_read_only(self, action: str) -> None:
        """A mutating key in read-only mode: say that nothing was sent, and why."""
        words = self.SCALE_WORDS.get(self.PANE) if action == "act_scale" else None
        what = words or self.ACTION_WORDS.get(action, action)
        self.notify(
            f"read-only: {what} not sent (--read-only or read_only = true)",
            severity="warning",
            timeout=5,
        )

    def target(self) -> tuple[str, Kind, str] | None:
        """(cluster, kind, key) of the object under the cursor (panes whose rows are not
        store objects, like Incident, say which object a row is about)."""
        selected = self.table.selected_key()
        if selected is None:
            return None
        cluster, kind, key = selected
        try:
            found = Kind(kind)
        except ValueError:
            return None
        if found is Kind.EVENT:  # an event row opens the object it is about
            event = self.store.get(cluster, Kind.EVENT, key)
            return regarding_target(cluster, event) if isinstance(event, KubeEvent) else None
        return cluster, found, key

    def action_open_detail(self) -> None:
        """Enter / d: the detail view of the object under the cursor."""
        self._investigate(DetailScreen)

    def action_open_yaml(self) -> None:
        """y: the YAML of the object under the cursor."""
        self._investigate(YamlScreen)

    def _investigate(self, view: type[DetailScreen] | type[YamlScreen]) -> None:
        target = self.target()
        if target is None:
            self.notify("nothing to open on this row", severity="warning")
            return
        view(*target, (self.TITLE_TEXT,)).open()

    def _selected(self) -> tuple[str, str] | None:
        selected = self.table.selected_key()
        if selected is None:
            self.notify("no row selected", severity="warning")
            return None
        return selected[0], selected[2]

    def action_act_revert(self) -> None:
        """Undo the last blue-green switch (through the dialog again) while it is offered."""
        self.wundr.actions.revert()

    def action_act_blue_green(self) -> None:
        """Switch blue-green on the selected row's cluster (or the filtered / first one)."""
        selected = self.table.selected_key()
        self.wundr.actions.blue_green(selected[0] if selected else None)

    def action_act_scale(self) -> None:
        """Scale what the selected row is (the pane says what that means)."""
        selected = self._selected()
        if selected is not None:
            self.scale(*selected)

    def scale(self, cluster: str, key: str) -> None:
        """Overridden by panes that scale something."""

    def action_act_restore(self) -> None:
        """Restore from the selected backup (or the newest) on its cluster."""
        selected = self.table.selected_key()
        if selected is None:
            self.wundr.actions.restore(self.wundr.cluster_filter, None)
        else:
            self.wundr.actions.restore(selected[0], selected[2])

    def action_act_silence(self) -> None:
        """Silence the selected alert."""
        selected = self._selected()
        if selected is not None:
            self.wundr.actions.silence(*selected)

    def action_act_ack(self) -> None:
        """Acknowledge the selected alert (again: extend its acknowledgement)."""
        selected = self._selected()
        if selected is not None:
            self.wundr.actions.ack([selected])

    def action_act_expire(self) -> None:
        """Expire the selected alert's silence."""
        selected = self._selected()
        if selected is not None:
            self.wundr.actions.expire(*selected)

    def action_copy_name(self) -> None:
        """``n``: the name of the object under the cursor, to the clipboard."""
        target = self.target()
        if target is None:
            copy_out(self, None, "name", missing="no object on this row to copy the name of")
            return
        copy_out(self, kubectl.object_name(self.store, *target), "name")

    def action_copy_kubectl(self) -> None:
        """``K``: the kubectl command that describes the object under the cursor."""
        target = self.target()
        if target is None:
            copy_out(self, None, "command", missing="no object on this row")
            return
        cluster, kind, key = target
        copy_out(
            self,
            kubectl.describe(cluster, kind, key),
            "kubectl command",
            missing=f"no kubectl command shows a {kind} (it is not a Kubernetes object)",
        )

    def log_query(self, cluster: str, key: str) -> LogQuery | None:
        """The logs behind a row (overridden by panes whose rows have logs)."""
        return None

    def action_logs(self) -> None:
        """``l``: the logs of the selected row (a pod, or the group it names)."""
        selected = self._selected()
        if selected is None:
            return
        query = self.log_query(*selected)
        if query is None:
            self.notify("no logs for this row", severity="warning", timeout=3)
            return
        self.wundr.open_logs(query)

    # -- filters and prompt ----------------------------------------------------------------

    _filter_before: str = ""
    filter_error: str = ""
    """Why the ``/`` text being typed cannot be applied ("" when it can): the header says it
    and the rows stay as the last filter that could be left them."""

    def set_filter(
        self,
        text: str | None = None,
        cluster: str | bool | None = False,
        namespace: str | bool | None = False,
    ) -> bool:
        """Change the text, cluster and/or namespace filter and re-sync the table; False (and
        ``filter_error`` set, the table unchanged) when the text is not a filter."""
        old = self.table.row_filter
        new_text = old.text if text is None else text
        new_cluster = old.cluster if cluster is False else cluster
        new_ns = old.namespace if namespace is False else namespace
        assert new_cluster is None or isinstance(new_cluster, str)
        assert new_ns is None or isinstance(new_ns, str)
        try:
            flt = RowFilter(new_text, new_cluster, new_ns)
        except FilterError as e:
            self.filter_error = str(e)
            self.refresh_chrome()
            return False
        self.filter_error = ""
        self.table.row_filter = flt
        self.refresh_pane(None)
        return True

    def action_clear_filter(self) -> None:
        """Esc on the table: drop the kept ``/`` filter."""
        if self.table.row_filter.text or self.filter_error:
            self.set_filter("")

    def open_prompt(self, mode: str, typed: str = "") -> None:
        """Show the prompt for a filter (``/``) or a command (``:``, with ``typed`` in it)."""
        prompt = self.query_one(Prompt)
        prompt.mode = mode
        prompt.placeholder = (
            "filter: text, !text, ~regex, -l app=x,tier!=db, -f fuzzy — Enter keeps, Esc clears"
            if mode == "filter"
            else "a pane or a command: pods, db, audit… (Tab completes, help lists them)"
        )
        prompt.value = self.table.row_filter.text if mode == "filter" else typed
        self._filter_before = self.table.row_filter.text
        prompt.cursor_position = len(prompt.value)
        prompt.select_on_focus = not typed  # typed text is kept; what comes next follows it
        # The prompt takes the footer's line (the table keeps its size, and the footer is not
        # rebuilt for the keys a text field hides and rebuilt again when it closes).
        self.query_one(LeanFooter).display = False
        # Inline style, not a class: it applies at once, so the prompt is focusable at once.
        prompt.display = True
        # A blinking cursor repaints twice a second: bytes for nothing over a slow link.
        prompt.cursor_blink = not self.wundr.low_bandwidth
        # Focus now, not on the next tick: keys pasted or typed ahead (":db⏎" arriving in one
        # packet over SSH) must land in the prompt, not in the table.
        self.set_focus(prompt)

    def close_prompt(self, *, cancel: bool = False) -> None:
        """Hide the prompt; a cancelled filter prompt clears the filter."""
        prompt = self.query_one(Prompt)
        was_filter = prompt.mode == "filter"
        if not prompt.display:
            return
        prompt.display = False
        self.table.focus()
        footer = self.query_one(LeanFooter)
        footer.display = True
        footer.call_after_refresh(footer.catch_up)
        if cancel and was_filter:
            self.set_filter("")
        elif was_filter and self.filter_error:
            # Enter on a filter that cannot be applied: say why, and go back to the filter
            # in use before the prompt opened (not to whatever half-typed one last parsed).
            error = self.filter_error
            self.set_filter(self._filter_before)
            kept = f"; kept /{safe(self._filter_before)}" if self._filter_before else ""
            self.notify(f"filter not applied: {safe(error)}{kept}", severity="error", timeout=6)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the user types."""
        if isinstance(event.input, Prompt) and event.input.mode == "filter":
            self.set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: keep the filter, or run the command."""
        if not isinstance(event.input, Prompt):
            return
        event.stop()
        mode = event.input.mode
        value = event.value.strip()
        self.close_prompt()
        if mode == "command" and value:
            self.wundr.run_command(value.lstrip(":"))
