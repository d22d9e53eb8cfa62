"""The Textual app: starts the sources, pumps their events into the store once per frame, and
updates only the pane on screen; every worker's end reaches one handler."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.filter import LineFilter, Monochrome
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from wundr_tui import scope
from wundr_tui.actions.router import as_router
from wundr_tui.audit import AuditEntry, AuditLog, audited
from wundr_tui.backends.base import Inspector, LogQuery, LogStreamer, Source
from wundr_tui.backends.replay import parse_seek
from wundr_tui.bandwidth import ANSI_THEME, LOW_BANDWIDTH_HZ
from wundr_tui.config import Config
from wundr_tui.controllers.action_flow import ActionDone, ActionFlow, PlanReady
from wundr_tui.controllers.help import help_sections
from wundr_tui.controllers.keys import profile_rows
from wundr_tui.controllers.keys import resolve as resolve_keys
from wundr_tui.controllers.palette import action_commands
from wundr_tui.controllers.scope import ScopeCommands
from wundr_tui.dialogs.help import HelpScreen, HelpSection, key_label
from wundr_tui.gcpolicy import GcPause, LoadFreezer
from wundr_tui.pump import EventPump, SourceRunner
from wundr_tui.safe_text import safe
from wundr_tui.screens.alerts import AlertsScreen
from wundr_tui.screens.backups import BackupsScreen
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.database import DatabaseScreen
from wundr_tui.screens.events import EventsScreen
from wundr_tui.screens.host import ActionHost, HiddenPane, PaneHost
from wundr_tui.screens.hpa import HpaScreen
from wundr_tui.screens.incident import IncidentScreen
from wundr_tui.screens.investigate import InvestigationHost, InvestigationScreen
from wundr_tui.screens.logs import LogsScreen
from wundr_tui.screens.nodepools import NodePoolsScreen
from wundr_tui.screens.pods import PodsScreen
from wundr_tui.screens.services import ServicesScreen
from wundr_tui.screens.timeline import TimelineScreen
from wundr_tui.screens.yaml import YamlScreen
from wundr_tui.store import Store
from wundr_tui.terminal.driver import TerminalGone, WundrDriver
from wundr_tui.terminal.no_color import BrightMonochrome
from wundr_tui.terminal.output import install_cropped_updates, release_cropped_updates
from wundr_tui.terminal.sixteen import SixteenColours
from wundr_tui.widgets.cluster_bar import ClusterBar, cluster_tags
from wundr_tui.widgets.mode_badge import Mode, clock_text, mode_badge

PANES: dict[str, type[PaneScreen]] = {
    "incident": IncidentScreen,
    "pods": PodsScreen,
    "hpa": HpaScreen,
    "nodepools": NodePoolsScreen,
    "database": DatabaseScreen,
    "alerts": AlertsScreen,
    "backups": BackupsScreen,
    "events": EventsScreen,
    "timeline": TimelineScreen,
    "services": ServicesScreen,
}
"""Pane name → screen, in the order of their digit keys (1 = incident, ..., 0 = the tenth)."""


def pane_key(i: int) -> str:
    """The digit key of the ``i``-th pane (from 1): 1-9, then 0 for the tenth."""
    return str(i % 10)


ALIASES = {
    "home": "incident",
    "i": "incident",
    "inc": "incident",
    "po": "pods",
    "pod": "pods",
    "hpas": "hpa",
    "horizontalpodautoscalers": "hpa",
    "np": "nodepools",
    "nodes": "nodepools",
    "no": "nodepools",
    "pools": "nodepools",
    "db": "database",
    "databases": "database",
    "replication": "database",
    "alert": "alerts",
    "al": "alerts",
    "backup": "backups",
    "velero": "backups",
    "restores": "backups",
    "ev": "events",
    "event": "events",
    "tl": "timeline",
    "changes": "timeline",
    "history": "timeline",
    "svc": "services",
    "service": "services",
    "golden": "services",
    "signals": "services",
}
"""What ``:`` accepts besides the pane names."""

COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "help": ("Show the keys", ("h", "?")),
    "audit": ("Recent actions: who, where, what, result", ("log",)),
    "handoff": ("Write hand-off notes (Markdown) to a file", ("md", "markdown", "notes")),
    "quit": ("Quit", ("q", "q!", "exit")),
    "ns": ("Narrow to a namespace: :ns NAME, :ns all (Tab: favourites first)", ("namespace",)),
    "ctx": ("Narrow to a context: :ctx NAME, :ctx all (Tab completes)", ("context",)),
}
"""The ``:`` commands that are not panes: name → (what it does, aliases). ``run_command``,
Tab completion and the help read this and ``PANES``/``ALIASES``, so none of them can miss one."""


def command_list() -> list[tuple[str, tuple[str, ...], str]]:
    """Every ``:`` command as (name, aliases, what it does): each pane, then the others."""
    out = [
        (name, tuple(a for a, n in ALIASES.items() if n == name), f"Go to {cls.TITLE_TEXT}")
        for name, cls in PANES.items()
    ]
    out += [(name, aliases, what) for name, (what, aliases) in COMMANDS.items()]
    return out


SIXTEEN_COLOUR_SYSTEMS = frozenset({"standard", "windows"})
"""Rich's names for a terminal with 16 colours (``Console.color_system``)."""

log = logging.getLogger(__name__)


class WundrApp(App[int]):
    """The cockpit. Sources feed a pump; a frame timer applies batches and paints once."""

    CSS_PATH = "wundr.tcss"
    TITLE = "wundr-tui"
    MODES: ClassVar[dict[str, Any]] = dict(PANES)
    DEFAULT_MODE = "incident"

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(pane_key(i), f"pane('{name}')", cls.TITLE_TEXT, show=False, id=f"pane.{name}")
            for i, (name, cls) in enumerate(PANES.items(), start=1)
            if i <= 10
        ),
        # Priority: the app handles these before forwarding the next keys, so ":db⏎" typed
        # ahead (or pasted over SSH) lands in the prompt rather than in the old focus.
        # Short descriptions fit the footer at 80 columns; the tooltips say it in full (and
        # the help shows them).
        Binding(
            "colon",
            "command",
            "Command",
            key_display=":",
            id="command",
            priority=True,
            tooltip="Go to a pane or run a command (:pods, :audit)",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            id="filter",
            priority=True,
            tooltip="Filter rows: text, !text, ~regex, -l app=x, -f fuzzy (Esc clears)",
        ),
        Binding(
            "c",
            "cycle_cluster",
            "Cluster",
            id="cluster",
            tooltip="Cluster filter: one cluster, the next, all",
        ),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        # ctrl+s as k9s's "save": every letter is some pane's sort key (H sorts :timeline).
        Binding(
            "ctrl+s",
            "handoff",
            "Hand-off notes",
            key_display="^s",
            show=False,
            id="handoff",
            tooltip="Hand-off notes (stories, timeline, actions) to a Markdown file",
        ),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("space", "replay_pause", "Pause replay", show=False, id="replay.pause"),
        Binding(
            "plus,equals_sign", "replay_speed(2.0)", "Replay faster", show=False, id="replay.faster"
        ),
        Binding("minus", "replay_speed(0.5)", "Replay slower", show=False, id="replay.slower"),
        # Seek: brackets, braces and @ are free on every screen (letters are the panes' and
        # the sort keys'); shown in the footer where there is room, all of them in help.
        Binding(
            "left_square_bracket",
            "replay_jump(-60)",
            "Back 1 min",
            key_display="[",
            id="replay.back",
        ),
        Binding(
            "right_square_bracket",
            "replay_jump(60)",
            "Forward 1 min",
            key_display="]",
            id="replay.forward",
        ),
        Binding(
            "left_curly_bracket",
            "replay_seek('start')",
            "Replay from the start",
            key_display="{",
            show=False,
            id="replay.start",
        ),
        Binding(
            "right_curly_bracket",
            "replay_seek('end')",
            "Replay to the end",
            key_display="}",
            show=False,
            id="replay.end",
        ),
        Binding("at", "replay_seek_prompt", "Seek to a time", key_display="@", id="replay.seek"),
        # k9s's digits: 0 every namespace, 1-9 the context's favourites (the k9s profile puts
        # them on the digits and the panes on F1-F10; here they are alt+digit).
        Binding(
            "alt+0",
            "favourite_namespace(0)",
            "Every namespace",
            show=False,
            id="ns.all",
        ),
        *(
            Binding(
                f"alt+{n}",
                f"favourite_namespace({n})",
                f"Favourite namespace {n}",
                show=False,
                id=f"ns.fav{n}",
            )
            for n in range(1, 10)
        ),
    ]

    def __init__(
        self,
        store: Store,
        sources: Sequence[Source] = (),
        *,
        config: Config | None = None,
        operator: object | None = None,
        pump: EventPump | None = None,
        replay: Any = None,
        read_only: bool = False,
        audit: AuditLog | None = None,
        logs: LogStreamer | None = None,
        inspector: Inspector | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__(driver_class=WundrDriver)
        self.config = config or Config()
        """Validated configuration."""
        self.key_map: dict[str, str] = resolve_keys(
            self.config.keys_profile, self.config.keys, type(self), PANES
        )
        """Binding id → keys: the key profile and ``[keys]`` (``controllers.keys``; the CLI
        checked them before the app was built). Empty: every binding's own keys."""
        if self.key_map:
            self.set_keymap(self.key_map)
        self.demo = demo
        """The built-in demo fleet (the mode badge says DEMO)."""
        self.logs = logs
        """Where the log view (``l``) reads container logs; None: no logs in this run."""
        self.store = store
        """The single source of truth every pane reads."""
        self.operator = operator
        """What actions call to change things: a Router, or one backend the app wraps in one
        (the demo fleet); None: no actions."""
        self.pump = pump or EventPump()
        """Sources' events wait here until the next frame."""
        self.replay = replay
        """The replay source when replaying a recording, for pause and speed keys."""
        if replay is not None:
            # Back-pressure: the replay reads no further while frames have not drained what
            # it sent, so a recording all due at once cannot pile up in the pump.
            replay.backlog = self.pump.pending
            store.recorded = True  # badges say "recorded", never "live"
        self._replay_end_said = False
        self.inspector = inspector
        """Reads whole objects for the detail and YAML views (None: the store's facts only)."""
        self.read_only = read_only or self.config.read_only
        """No mutating request may be sent."""
        router = (
            as_router(operator, read_only=self.read_only, clusters=store.clusters)
            if operator is not None
            else None
        )
        audit_log = audit if audit is not None else AuditLog()
        # Every audited attempt joins the event stream (from the worker that wrote it): the
        # timeline lists it, and a recording keeps it for the replay's timeline.
        audit_log.listeners.append(self._audited)
        self.actions = ActionFlow(self, router, audit_log)
        """Runs actions: form → plan → confirmation → execute → verify → audit."""
        self.cluster_filter: str | None = None
        """The cluster every pane is narrowed to (None: all)."""
        self.namespace_filter: str | None = None
        """The namespace every pane is narrowed to (``:ns``; None: all)."""
        favourites = scope.default_path("demo" if demo else "replay" if replay else "live")
        self.scope = ScopeCommands(self, scope.Favourites(favourites))
        """``:ns`` and ``:ctx``, and the favourite namespaces per context."""
        self.cluster_tags: dict[str, str] = cluster_tags(list(store.clusters.values()))
        """Cluster name → short CLUSTER column tag."""
        self._sources = list(sources)
        self._held_toasts: list[tuple[str, str, SeverityLevel, float | None]] = []
        self._runner = SourceRunner(self.pump, self._source_crashed)
        self.frames = 0
        """Frames that applied at least one event (tests and benchmarks read it)."""
        self._last_frame = 0.0
        self._eager_until = 0.0
        self.gc_policy = LoadFreezer(self.FREEZE_AFTER, self.FREEZE_SETTLE)
        """Freezes the heap once per load (re-made at mount from ``FREEZE_AFTER`` and
        ``FREEZE_SETTLE``, which tests set on the instance to make a load small and quick)."""
        self.pane_screens: set[HiddenPane] = set()
        """Panes mounted so far (each registers itself); hidden ones note what changed."""
        # None (automatic) is resolved by the CLI; an app built directly is in normal mode.
        self.low_bandwidth = bool(self.config.low_bandwidth)
        """Low-bandwidth mode: fewer frames, no animation, ASCII borders, rare age ticks, the
        terminal's own 16 colours."""
        self.ascii_borders = self.low_bandwidth
        """Draw borders in ASCII (the ``ascii-borders`` class: see ``wundr.tcss``)."""
        if self.ascii_borders:
            self.add_class("ascii-borders")
        if self.low_bandwidth:
            self.animation_level = "none"
        self.sixteen_colours = self.console.color_system in SIXTEEN_COLOUR_SYSTEMS
        """The terminal shows 16 colours (``TERM=xterm`` without ``COLORTERM``): the panes use
        the terminal's own 16 (``ANSI_THEME``, as low-bandwidth mode does). Rich's nearest
        match to the truecolor theme would turn critical crimson into magenta and warning
        orange into red, so that warnings would read worse than criticals."""
        self._no_color_filter = BrightMonochrome()
        self._sixteen_filter = SixteenColours()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, with ``NO_COLOR``'s greys keeping red text as bright as yellow
        (``terminal.no_color``): critical never reads weaker than warning without colour; last, on
        a 16-colour terminal and in low-bandwidth mode, every colour as one of the terminal's
        16 (``terminal.sixteen``)."""
        filters = [
            self._no_color_filter if isinstance(f, Monochrome) else f
            for f in super().get_line_filters()
        ]
        if self.sixteen_colours or self.low_bandwidth:
            filters.append(self._sixteen_filter)
        return filters

    # -- life cycle ---------------------------------------------------------------------------

    def on_load(self) -> None:
        """Partial updates write only what changed, while this app runs."""
        install_cropped_updates(self)

    def on_mount(self) -> None:
        """Start the sources and the frame timer."""
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.cluster_tags = cluster_tags(list(self.store.clusters.values()))
        self.gc_policy = LoadFreezer(self.FREEZE_AFTER, self.FREEZE_SETTLE)
        for source in self._sources:
            self._runner.start(source)
        hz = self.config.refresh_hz
        if self.low_bandwidth:
            hz = min(hz, LOW_BANDWIDTH_HZ)
        if (self.low_bandwidth or self.sixteen_colours) and not self.no_color:
            # Not with NO_COLOR: Textual's greys of the ANSI theme's "default" colours are
            # black on black (an empty screen); the truecolor theme's greys read, and the
            # 16-colour filter still sends them as the terminal's own.
            self.theme = ANSI_THEME
        if self.config.ui.theme is not None:  # [ui] theme: the user's choice wins
            self.theme = self.config.ui.theme
        self.set_interval(1 / max(hz, 0.1), self.frame, name="frame")
        self.frame()
        # Start-up: the first data is drawn when it arrives, not at the next tick (a quarter
        # of a second at the default 4 Hz): while EAGER_SECONDS last, a frame that applied
        # events re-arms the pump, so a list that comes in pages paints as its pages come.
        self._eager_until = time.monotonic() + self.EAGER_SECONDS
        self.pump.wake = self._wake
        self.pump.arm()

    EAGER_SECONDS: ClassVar[float] = 3.0
    """How long after start-up frames follow the data (then only the frame timer draws)."""
    EAGER_GAP: ClassVar[float] = 1 / 30
    """The shortest time between two such frames (1/10 s in low-bandwidth mode)."""

    class _FrameNow(Message):
        """Events arrived from a source (start-up): draw a frame now."""

    def _wake(self) -> None:
        """From the source's thread: ask the UI's loop for a frame."""
        self.post_message(self._FrameNow())

    def on_wundr_app__frame_now(self, _: _FrameNow) -> None:
        """Draw the frame the pump asked for, at most every EAGER_GAP; re-arm while the
        start-up lasts."""
        gap = 0.1 if self.low_bandwidth else self.EAGER_GAP
        wait = self._last_frame + gap - time.monotonic()
        if wait > 0:
            self.set_timer(wait, self._eager_frame)
        else:
            self._eager_frame()

    def _eager_frame(self) -> None:
        self.frame()
        if time.monotonic() < self._eager_until:
            self.pump.arm()

    async def action_quit(self) -> None:
        """Stop the sources, then exit."""
        self._runner.stop_event.set()
        self.exit(0)

    def on_terminal_gone(self, message: TerminalGone) -> None:
        """SIGTERM, SIGHUP or a lost terminal: stop the sources, exit (Textual restores the
        terminal where it still exists; the driver makes sure we are gone within 2 s)."""
        self._runner.stop_event.set()
        self.exit(return_code=message.exit_code)

    def on_unmount(self) -> None:
        """Ask sources to stop (bounded wait: they are daemon threads); Textual's own output
        for any app that runs after this one."""
        self._runner.stop(timeout=1.0)
        release_cropped_updates(self)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast (the app's, a screen's, a controller's) shows its text as it is: never
        parsed as markup, whatever the caller asks, and no raw control character."""
        if self._dialog_open():
            # A toast over a dialog hid its checks: held until the dialog closes, then shown
            # for its whole timeout (bounded: the newest are kept).
            self._held_toasts.append((message, title, severity, timeout))
            del self._held_toasts[: -self.HELD_TOASTS]
            return
        super().notify(
            safe(message), title=safe(title), severity=severity, timeout=timeout, markup=False
        )

    def _audited(self, entry: AuditEntry) -> None:
        """An action was written to the audit log: into the stream (safe from any thread)."""
        self.pump.emit(audited(entry))

    HELD_TOASTS: ClassVar[int] = 20
    """Toasts kept while a dialog is open."""

    def _dialog_open(self) -> bool:
        try:
            return isinstance(self.screen_stack[-1], ModalScreen)
        except (IndexError, ScreenStackError):
            return False

    def _screen_changed(self, screen: Screen[Any]) -> None:
        """A dialog closed: show the toasts it held."""
        if self._held_toasts and not self._dialog_open():
            held, self._held_toasts = self._held_toasts, []
            for message, title, severity, timeout in held:
                self.notify(message, title=title, severity=severity, timeout=timeout)

    def _source_crashed(self, name: str, exc: BaseException) -> None:
        """A source raised out of its loop: say so; the others go on."""
        message = f"source {name} stopped: {type(exc).__name__}: {exc}"
        self.call_from_thread(self.notify, message, severity="error", timeout=30)

    # -- the frame --------------------------------------------------------------------------

    @property
    def run_mode(self) -> Mode:
        """Demo, replay (the recording's clock at its position, speed, paused, ended) and
        read-only, for the mode badge (cheap: read every frame)."""
        replay = self.replay
        if replay is None:
            return Mode(demo=self.demo, read_only=self.read_only)
        return Mode(
            demo=self.demo,
            read_only=self.read_only,
            replay_at=replay.started + replay.position,
            speed=replay.speed,
            paused=replay.paused,
            ended=replay.finished,
        )

    @property
    def pane(self) -> PaneScreen | None:
        """The pane on screen, or None while a modal covers it (or the app is closing)."""
        try:
            screen = self.screen
        except ScreenStackError:  # the frame timer can fire once more during shutdown
            return None
        return screen if isinstance(screen, PaneScreen) else None

    def _investigation(self) -> InvestigationScreen | None:
        """The detail or YAML view on top, if one is."""
        try:
            screen = self.screen
        except ScreenStackError:
            return None
        return screen if isinstance(screen, InvestigationScreen) else None

    FREEZE_AFTER: ClassVar[int] = 2_000
    """Objects in one frame's batch that make a load (a list, a relist)."""
    FREEZE_SETTLE: ClassVar[float] = 2.0
    """Seconds without such a frame after which the load is over."""

    def frame(self) -> None:
        """Apply queued events to the store and update the visible pane (once per frame)."""
        self._last_frame = time.monotonic()
        with GcPause():  # acyclic bursts (pages of pods): no collections walking the store
            applied = self._frame()
        self.gc_policy.frame_applied(applied)
        if self.replay is not None:
            self._replay_end()

    def _replay_end(self) -> None:
        """Say once that the replay has played its last event (it used to stop silently);
        a seek back arms it again."""
        replay = self.replay
        ended = replay.finished and replay.error is None and not self.pump.pending()
        if ended and not self._replay_end_said:
            at = clock_text(replay.started + replay.duration)
            self.notify(
                f"replay ended at {at} (the recording's last event) — "
                "[ or { to go back, @ to seek, q to quit",
                timeout=10,
            )
        self._replay_end_said = ended

    def _frame(self) -> int:
        batch = self.pump.drain()
        changes = self.store.apply(batch) if batch else None
        if changes and changes.clusters:
            self.cluster_tags = cluster_tags(list(self.store.clusters.values()))
        if changes:
            self.frames += 1
        pane = self.pane
        if changes:
            for other in self.pane_screens:
                if other is not pane:
                    other.note_changes(changes, self.store.generation)
        if pane is not None:
            # A pane can be mounted before its widgets are (a mode switch in progress): it then
            # lags a generation, and the next frame brings it up to date in full.
            with contextlib.suppress(NoMatches):
                pane.refresh_pane(changes if changes else None)
        else:
            view = self._investigation()
            if view is not None:
                with contextlib.suppress(NoMatches):
                    view.refresh_chrome()
                    view.refresh_live(changes if changes else None)
            else:
                self._badge_behind_dialog()
        return sum(len(getattr(e, "items", ())) for e in batch)

    def _badge_behind_dialog(self) -> None:
        """A dialog (help, confirm, audit) is open: the mode badge on the line it leaves
        uncovered still ticks (a replay's clock); nothing else behind it is drawn. The Logs
        screen has its own frame."""
        stack = self.screen_stack
        if len(stack) < 2 or not isinstance(stack[-1], ModalScreen):
            return
        below = next((s for s in reversed(stack) if not isinstance(s, ModalScreen)), None)
        with contextlib.suppress(NoMatches):
            if isinstance(below, PaneScreen):
                badge = mode_badge(self.run_mode)
                below.query_one(ClusterBar).show(self.store, self.cluster_filter, badge)
            elif isinstance(below, InvestigationScreen):
                below.refresh_chrome()

    # -- actions ----------------------------------------------------------------------------

    def action_favourite_namespace(self, n: int) -> None:
        """0: every namespace; 1-9: the chosen context's n-th favourite (the order stays: a
        digit picks, it does not reorder them, as in k9s)."""
        if n == 0:
            self.scope.run("ns all")
            return
        favourites = self.scope.favourites.of(self.cluster_filter)
        if n > len(favourites):
            self.notify(
                f"no favourite namespace {n} yet (:ns NAME makes one; {len(favourites)} so far)",
                severity="warning",
                timeout=4,
            )
            return
        self.scope.run(f"ns {favourites[n - 1]}", remember=False)

    def action_pane(self, name: str) -> None:
        """Switch to a pane by name."""
        if name in PANES:
            self.switch_mode(name)

    def run_command(self, text: str) -> None:
        """Run what was typed after ``:``."""
        word = text.strip().lower()
        name = ALIASES.get(word, word)
        for command, (_, aliases) in COMMANDS.items():
            if word in aliases:
                name = command
        if name in PANES:
            self.switch_mode(name)
        elif name == "quit":
            self._runner.stop_event.set()
            self.exit(0)
        elif name == "help":
            self.action_help()
        elif name == "audit":
            self.actions.show_audit()
        elif name == "handoff":
            self.action_handoff()
        elif self.scope.handles(text):
            self.scope.run(text)
        elif (word.split() or [""])[0] in ("seek", "at", "goto"):
            self.seek_to_text(text.strip().partition(" ")[2])
        else:
            known = " ".join(f":{n}" for n, _, _ in command_list())
            self.notify(f"unknown command :{text} — try {known}", severity="warning")

    def complete_command(self, typed: str) -> str | None:
        """The one ``:`` command whose name or an alias starts with ``typed`` (None: none, or
        more than one): Tab after ``:po`` gives ``pods``; ``:ns wu`` gives ``ns wundr-platform``."""
        if self.scope.handles(typed):
            return self.scope.complete(typed)
        word = typed.strip().lower()
        for name, aliases, _ in command_list():
            if word in (name, *aliases):
                return name  # ":po" is pods, though "pools" starts the same
        found = {
            name
            for name, aliases, _ in command_list()
            if any(w.startswith(word) for w in (name, *aliases))
        }
        return found.pop() if word and len(found) == 1 else None

    def open_logs(self, query: LogQuery) -> None:
        """The Logs screen on ``query``, over the pane it was opened from (Esc goes back)."""
        if self.logs is None:
            self.notify("no logs in this run (a replay has none)", severity="warning", timeout=4)
            return
        self.push_screen(
            LogsScreen(
                query,
                self.logs,
                self.store,
                buffer_lines=self.config.logs.buffer_lines,
                max_streams=self.config.logs.max_streams,
                tags=self.cluster_tags,
                mode=lambda: self.run_mode,
            )
        )

    def action_command(self) -> None:
        """Open the ``:`` prompt."""
        if self.pane is not None:
            self.pane.open_prompt("command")

    def action_filter(self) -> None:
        """Open the ``/`` filter prompt (the Logs screen's search there, the YAML view's)."""
        if self.pane is not None:
            self.pane.open_prompt("filter")
        elif isinstance(self.screen, LogsScreen):
            self.screen.open_prompt("filter")
        elif isinstance(view := self._investigation(), YamlScreen):
            view.open_search()

    def action_cycle_cluster(self) -> None:
        """Narrow every pane to one cluster, the next, then all again."""
        names = list(self.store.clusters)
        if not names:
            return
        if self.cluster_filter is None:
            self.cluster_filter = names[0]
        else:
            i = names.index(self.cluster_filter) if self.cluster_filter in names else -1
            self.cluster_filter = names[i + 1] if i + 1 < len(names) else None
        if self.pane is not None:
            self.pane.set_filter(cluster=self.cluster_filter)
        label = self.cluster_tags.get(self.cluster_filter or "", "all clusters")
        self.notify(f"cluster: {label}", timeout=2)

    def action_handoff(self) -> None:
        """``ctrl+s`` / ``:handoff``: the hand-off notes as Markdown into a new file beside the
        audit log (the state dir); a toast names it."""
        from wundr_tui import handoff
        from wundr_tui.audit import read_entries

        path = self.actions.audit.path
        try:
            audit = read_entries(path, handoff.MAX_AUDIT)
        except OSError:
            audit = []  # a log not safe to read is not read; the notes say no actions
        text = handoff.render(self.store, audit, self.cluster_tags)
        try:
            written = handoff.write_file(text, path.parent)
        except OSError as exc:
            self.notify(safe(f"hand-off notes not written: {exc}"), severity="error", timeout=8)
            return
        self.notify(safe(f"hand-off notes written to {written}"), timeout=8)

    def action_help(self) -> None:
        """Show every key and command, built from the bindings of the classes (not of what
        has focus): the same from ``?``, ``:help`` and the palette."""
        self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[HelpSection]:
        """What the help lists in this run (replay keys only while replaying)."""
        return help_sections(
            self.BINDINGS,
            PANES,
            command_list(),
            replaying=self.replay is not None,
            actions=self.actions.availability(),
            keymap=self.key_map,
            profile=self.config.keys_profile,
            profiles=profile_rows(type(self), PANES),
        )

    def on_plan_ready(self, message: PlanReady) -> None:
        """A plan's checks ran: show it for confirmation."""
        self.actions.show(message.plan)

    def on_action_done(self, message: ActionDone) -> None:
        """An action finished: say how."""
        self.actions.finished(message.outcome)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker's end passes here: results travel as messages (PlanReady,
        ActionDone); a worker that raised is shown (as plain text, never markup) and logged
        with its traceback, and the flow it belonged to is freed."""
        worker = event.worker
        if event.state != WorkerState.ERROR:
            return
        error = worker.error
        what = worker.description or worker.name or worker.group
        log.error(
            "worker %r (group %s) failed",
            what,
            worker.group,
            exc_info=(type(error), error, error.__traceback__) if error is not None else None,
        )
        reason = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        self.notify(
            f"{what} failed: {reason} (details in the log file)",
            severity="error",
            timeout=30,
            markup=False,
        )
        self.actions.worker_failed(worker.group)

    def action_replay_pause(self) -> None:
        """Pause or resume a replay."""
        if self.replay is not None:
            self.replay.toggle_pause()
            self.notify("replay paused" if self.replay.paused else "replay resumed", timeout=2)
            self._show_mode()

    def action_replay_speed(self, factor: float) -> None:
        """Make a replay faster or slower."""
        if self.replay is not None:
            speed = min(max(self.replay.speed * factor, 0.25), 64.0)
            self.replay.set_speed(speed)
            self.notify(f"replay speed x{speed:g}", timeout=2)
            self._show_mode()

    def _show_mode(self) -> None:
        """The mode badge at once after a replay key (not at the next frame)."""
        screen: PaneScreen | InvestigationScreen | LogsScreen | None = (
            self.pane or self._investigation()
        )
        if screen is None and isinstance(self.screen, LogsScreen):
            screen = self.screen
        if screen is not None:
            with contextlib.suppress(NoMatches):
                screen.refresh_chrome()

    def action_replay_jump(self, seconds: float) -> None:
        """Move a replay by ``seconds`` (negative: back), stopping at its ends."""
        if self.replay is not None:
            self._seek(self.replay.position + seconds)

    def action_replay_seek(self, where: str) -> None:
        """Move a replay to its ``start`` or its ``end``."""
        if self.replay is not None:
            self._seek(0.0 if where == "start" else self.replay.duration)

    def action_replay_seek_prompt(self) -> None:
        """Open the ``:`` prompt with ``seek `` typed: a time, +SECONDS or -SECONDS."""
        if self.pane is not None:
            self.pane.open_prompt("command", "seek ")

    def seek_to_text(self, text: str) -> None:
        """``:seek 00:01:30`` / ``+90`` / ``-2m`` / ``start`` / ``end``: bad input says what
        is accepted."""
        replay = self.replay
        if replay is None:
            self.notify("seek works in a replay only (wundr-tui replay FILE)", severity="warning")
            return
        if not text.strip():
            self.notify("seek to what? hh:mm:ss, +SECONDS, -SECONDS, start or end", timeout=5)
            return
        try:
            target = parse_seek(
                text, started=replay.started, position=replay.position, duration=replay.duration
            )
        except ValueError as exc:
            self.notify(f"seek: {exc}", severity="warning", timeout=6)
            return
        self._seek(target)

    def _seek(self, position: float) -> None:
        assert self.replay is not None
        target = self.replay.seek(position)
        self.notify(f"replay at {clock_text(self.replay.started + target)}", timeout=2)
        self._show_mode()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Replay keys exist only while replaying."""
        if action.startswith("replay_") and self.replay is None:
            return False
        if action == "filter" and isinstance(self.screen, LogsScreen):
            return False  # the Logs screen's own "/" (search) answers
        # While typing in the prompt, ":" and "/" are just characters.
        return not (action in ("command", "filter") and isinstance(self.focused, Input))

    def key_of(self, binding_id: str, default: str) -> str:
        """The first key a binding answers in this run (the keymap's, else ``default``), as
        the help writes it."""
        return key_label(self.key_map.get(binding_id, default).split(",")[0])

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette offers every pane and the same commands as the keys."""
        for i, (name, cls) in enumerate(PANES.items(), start=1):
            yield SystemCommand(
                f"Go to {cls.TITLE_TEXT}",
                f"Show the {name} pane (key {self.key_of(f'pane.{name}', pane_key(i))}, :{name})",
                lambda name=name: self.action_pane(name),
            )
        yield SystemCommand(
            "Filter rows",
            f"Filter the current table (key {self.key_of('filter', '/')})",
            self.action_filter,
        )
        yield SystemCommand(
            "Cycle cluster filter",
            f"All clusters or one (key {self.key_of('cluster', 'c')})",
            self.action_cycle_cluster,
        )
        yield SystemCommand(
            "Help", f"Show the keys (key {self.key_of('help', '?')})", self.action_help
        )
        yield from action_commands(self.actions, screen)
        if self.replay is not None:
            yield SystemCommand("Pause or resume replay", "Key space", self.action_replay_pause)
        yield from super().get_system_commands(screen)


def _hosts(app: WundrApp) -> tuple[PaneHost, ActionHost, InvestigationHost]:
    """Never called: mypy checks here that the app is what panes, the action flow and the
    detail and YAML views expect."""
    return app, app, app
