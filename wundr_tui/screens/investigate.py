"""What the detail and YAML views share: a screen pushed over a pane (Esc goes back), live
from the store each frame, with a breadcrumb of the path that led to it (``Incident > pod
eks/setup-toolkit-… > node ip-10-…``, drawn with U+203A), as k9s has; and the whole object
read in a worker."""

from __future__ import annotations

import weakref
from typing import ClassVar, Protocol, cast

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from wundr_tui.backends.base import FullObject, Inspector, LogQuery, OperationError
from wundr_tui.details import SERVER_KINDS, title
from wundr_tui.model import Alert, Kind
from wundr_tui.safe_text import safe
from wundr_tui.store import Changes, Store
from wundr_tui.widgets.mode_badge import Mode, mode_badge, prod_badge

_OPENING: weakref.WeakKeyDictionary[App[object], InvestigationScreen] = weakref.WeakKeyDictionary()
"""Per app, the view that ``open`` is about to push (at most one)."""

SEPARATOR = " \u203a "  # a single right-pointing angle quote, as k9s draws it
"""Between the breadcrumb's steps."""


class InvestigationHost(Protocol):
    """The cockpit as the detail and YAML views see it."""

    @property
    def store(self) -> Store:
        """The single source of truth."""
        ...

    @property
    def inspector(self) -> Inspector | None:
        """Reads whole objects (None: the store's facts only)."""
        ...

    @property
    def cluster_tags(self) -> dict[str, str]:
        """Cluster name → short tag (``eks``)."""
        ...

    @property
    def run_mode(self) -> Mode:
        """Demo, replay (and where it is), read-only: what the mode badge shows."""
        ...

    def open_logs(self, query: LogQuery) -> None:
        """Open the Logs screen on ``query``."""
        ...


def breadcrumb(trail: tuple[str, ...], width: int) -> Text:
    """The path as one line; when it does not fit, the oldest steps give way to ``…``."""
    steps = list(trail)
    dropped = False
    while len(steps) > 1 and len(SEPARATOR.join(["…", *steps] if dropped else steps)) > width - 2:
        steps.pop(0)
        dropped = True
    if dropped:
        steps.insert(0, "…")
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, step in enumerate(steps):
        if i:
            text.append(SEPARATOR, style="dim")
        text.append(step, style="bold" if i == len(steps) - 1 else "")
    return text


class Crumb(Static):
    """The top line of a pushed view: the mode badge, then the breadcrumb (one line; what
    does not fit ends in …, never wraps out of sight)."""

    DEFAULT_CSS = """
    Crumb {
        height: 1; padding: 0 1; background: $boost;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    _shown: Text | None = None

    def show(self, text: Text) -> None:
        """Repaint only when the path changed; one fixed line, so no layout pass."""
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)


class FetchResult:
    """What one read of the whole object gave: the object, or why there is none."""

    __slots__ = ("error", "generation", "obj")

    def __init__(self, generation: int, obj: FullObject | None, error: str) -> None:
        self.generation = generation
        self.obj = obj
        self.error = error


class InvestigationScreen(Screen[None]):
    """A view of one object pushed over a pane: live each frame, its whole object re-read
    every ``FETCH_EVERY`` seconds in a thread worker (never in a frame), Esc goes back."""

    FETCH_EVERY: ClassVar[float] = 5.0
    """Seconds between reads of the whole object while the view is open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="investigate.back"),
    ]

    def __init__(self, cluster: str, kind: Kind, key: str, trail: tuple[str, ...]) -> None:
        super().__init__()
        self.cluster = cluster
        """The object's cluster."""
        self.kind = kind
        """The object's kind."""
        self.key = key
        """The object's key in the store."""
        self.trail = trail
        """The breadcrumb's steps before this view."""
        self.full: FullObject | None = None
        """The whole object as last read (None: not read, gone, or not readable)."""
        self.fetch_note = ""
        """Why there is no whole object (``not in the recording``, ``forbidden: ...``)."""
        self.fetched = False
        """A read has answered at least once."""
        self._fetch_generation = 0
        self._fetching = False
        self.ready = False
        """Its widgets are mounted (``on_mount`` has begun): renders may touch them."""
        self._pushed = True  # pushed by the caller unless ``open`` pushes it
        self._alert_name = ""

    @property
    def host(self) -> InvestigationHost:
        """The cockpit (``WundrApp``, seen through ``InvestigationHost``)."""
        return cast(InvestigationHost, self.app)

    @property
    def store(self) -> Store:
        """The app's store."""
        return self.host.store

    @property
    def namespace(self) -> str:
        """The object's namespace (blank for cluster-wide kinds)."""
        return self.key.rpartition("/")[0] if "/" in self.key else ""

    @property
    def object_name(self) -> str:
        """The object's name."""
        return self.key.rpartition("/")[2]

    @property
    def step(self) -> str:
        """This view's own breadcrumb step (``pod eks/setup-toolkit-…``)."""
        tag = self.host.cluster_tags.get(self.cluster, self.cluster)
        if self.kind is Kind.ALERT and not self._alert_name:
            # An alert's key is its fingerprint: name it as its row does, and keep the name
            # once seen (a resolved alert leaves the store; the step still reads the same).
            alert = self.store.get(self.cluster, Kind.ALERT, self.key)
            if isinstance(alert, Alert):
                self._alert_name = alert.name
        return title(tag, self.kind, self.key, self._alert_name)

    def crumb_text(self) -> Text:
        """The mode badge (``DEMO``, ``REPLAY 00:01:50 \u00d72``, ``READ-ONLY``), as first on
        this line as on a pane's cluster bar, then the breadcrumb in the width left."""
        badge = mode_badge(self.host.run_mode)
        cluster = self.store.clusters.get(self.cluster)
        if cluster is not None and cluster.production:  # the object's cluster
            badge = badge + Text(" ") + prod_badge() if badge else prod_badge()
        width = self.size.width or 80
        if not badge:
            return breadcrumb((*self.trail, self.step), width)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append_text(badge)
        line.append(" ")
        line.append_text(breadcrumb((*self.trail, self.step), width - line.cell_len))
        return line

    def refresh_chrome(self) -> None:
        """The breadcrumb line, badge first: each frame (a replay's badge ticks), repainted
        only when its text changed."""
        if self.ready:
            crumb = self.query_one(Crumb)
            cluster = self.store.clusters.get(self.cluster)
            crumb.set_class(cluster is not None and cluster.production, "-production")
            crumb.show(self.crumb_text())

    def on_mount(self) -> None:
        """First read now (unless ``open`` started it); then every ``FETCH_EVERY`` seconds."""
        self.ready = True
        if not self.fetched:
            self.fetch()
        self.set_interval(self.FETCH_EVERY, self.fetch, name="refetch")

    def on_unmount(self) -> None:
        """Gone (Esc): a read that answers later changes nothing on screen."""
        self.ready = False

    def fetch(self) -> None:
        """Read the whole object in a thread worker (one at a time; a late answer from an
        earlier read is dropped by generation)."""
        inspector = self.host.inspector
        if self.kind not in SERVER_KINDS:
            self._apply(FetchResult(self._fetch_generation, None, "kept by the store only"))
            return
        if inspector is None:
            self._apply(FetchResult(self._fetch_generation, None, "no reader for whole objects"))
            return
        if self._fetching:
            return
        self._fetching = True
        self._fetch_generation += 1
        generation = self._fetch_generation
        cluster, kind, namespace, name = self.cluster, self.kind, self.namespace, self.object_name
        app = self.app

        def read() -> None:
            try:
                obj = inspector.fetch(cluster, kind, namespace, name)
                result = FetchResult(generation, obj, "" if obj is not None else "gone")
            except OperationError as exc:
                result = FetchResult(generation, None, safe(str(exc))[:300])
            except Exception as exc:  # a bug or a broken answer: say so, keep the view
                result = FetchResult(generation, None, safe(f"{type(exc).__name__}: {exc}")[:300])
            app.call_from_thread(self._apply, result)

        # The app's worker, not this screen's: the read may start before the screen is mounted
        # (``open``), so the GET runs while Textual composes the view.
        self.app.run_worker(
            read,
            thread=True,
            group=f"fetch-{id(self)}",
            description=f"read {kind} {name}",
            exit_on_error=False,
        )

    def _apply(self, result: FetchResult) -> None:
        self._fetching = False
        if result.generation != self._fetch_generation:
            return
        self.full, self.fetch_note, self.fetched = result.obj, result.error, True
        if not self._pushed:
            self._push()  # the first read answered: the view is drawn once, with it
            return
        self.object_changed()

    def object_changed(self) -> None:
        """A read answered: re-render (views override; called before mount too)."""

    OPEN_WAIT: ClassVar[float] = 0.15
    """Longest wait for the first read before the view is pushed anyway (with the store's
    facts): one paint with the whole object instead of two, when the server answers fast."""

    def open(self) -> None:
        """Start the first read, and push this view when it answers (or after ``OPEN_WAIT``
        seconds, whichever comes first). While one view waits so, opening another does
        nothing: a second Enter in that window stacked two views (Esc showed the same one)."""
        opening = _OPENING.get(self.app)
        if opening is not None and not opening._pushed:
            return
        _OPENING[self.app] = self
        self._pushed = False
        self.fetch()
        if self.fetched:
            self._push()
        else:
            self.app.set_timer(self.OPEN_WAIT, self._push, name="open-detail")

    def _push(self) -> None:
        if not self._pushed:
            self._pushed = True
            if _OPENING.get(self.app) is self:
                del _OPENING[self.app]
            self.app.push_screen(self)

    def refresh_live(self, changes: Changes | None) -> None:
        """Called by the app each frame while this view is on top (views override)."""

    def action_back(self) -> None:
        """Esc: back to the view or pane this one was opened from."""
        self.dismiss()
