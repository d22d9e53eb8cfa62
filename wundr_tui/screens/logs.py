"""The Logs screen (``l``): one pod's or a whole group's logs across clusters, interleaved by
time like stern, following by default.

Its own timer drains the log session into the ring (a frame, as the app's pump does for the
store) and, for a group, follows the store's pods: new pods join the stream, gone pods leave.
Keys: space/f pause, p previous, s since, T tail, c container picker, / search (n/N), t timestamps,
W wrap, w write to a file, Esc back.
``c`` opens a picker: all containers, or one of those seen.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import time
import weakref
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

from wundr_tui import kubectl, paths
from wundr_tui.backends.base import LogQuery, LogStreamer
from wundr_tui.format import plural
from wundr_tui.gcpolicy import LoadFreezer
from wundr_tui.logbuf import BUFFER_LINES, LogRing, merge, plain_line
from wundr_tui.logsession import MAX_STREAMS, LogSession, group_targets
from wundr_tui.safe_text import safe
from wundr_tui.store import Store
from wundr_tui.widgets.clipboard import copy_kubectl_binding, copy_out
from wundr_tui.widgets.container_picker import ContainerPicker
from wundr_tui.widgets.footer import LeanFooter
from wundr_tui.widgets.log_view import LogView
from wundr_tui.widgets.mode_badge import Mode, any_production, mode_badge, prod_badge

SINCE_STEPS: tuple[int | None, ...] = (None, 300, 3600)
"""``s`` cycles: all, 5 minutes, 1 hour."""
TAIL_STEPS: tuple[int | None, ...] = (500, 2000, None, 100)
"""``T`` cycles the lines each container starts with: 500, 2,000, all, 100."""
MEMBERS_EVERY = 1.0
"""Seconds between two looks at the store for a group's pods."""
FREEZE_AFTER_OPEN = 1.0
"""Seconds after the screen opens (its first lines shown) until the heap is frozen (see
:meth:`LoadFreezer.refreeze`)."""
COLLECT_AFTER_CLOSE = 1.0
"""Seconds after it closes until the heap is unfrozen and collected, and between two tries
while the closed screen is still reachable (messages in flight)."""
COLLECT_TRIES = 10
"""Tries before giving up (the heap then stays unfrozen: nothing is kept that should go)."""


def _since_label(seconds: int | None) -> str:
    if seconds is None:
        return "all"
    return f"{seconds // 3600}h" if seconds % 3600 == 0 else f"{seconds // 60}m"


def default_log_dir() -> Path:
    """``$XDG_STATE_HOME/wundr-tui/logs``: where ``w`` offers to write."""
    return paths.saved_logs_dir()


class LogPrompt(Input):
    """The ``/`` search and the ``w`` file name, on the footer's line."""

    DEFAULT_CSS = """
    LogPrompt, LogPrompt:focus {
        dock: bottom; height: 1; border: none; padding: 0 1; display: none;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=False, id="prompt.close")
    ]

    mode: str = "search"
    """``search`` or ``write``."""

    def action_close(self) -> None:
        """Hide without acting."""
        screen = self.screen
        if isinstance(screen, LogsScreen):
            screen.close_prompt()


class LogsScreen(Screen[None]):
    """Logs of one pod or a group, across clusters."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="logs.back"),
        Binding("space,f", "pause", "Pause/follow", key_display="f", id="logs.pause"),
        Binding("p", "previous", "Previous", id="logs.previous"),
        Binding("s", "since", "Since", id="logs.since"),
        Binding("T", "tail", "Tail", key_display="T", show=False, id="logs.tail"),
        Binding("c", "container", "Container", id="logs.container"),
        Binding("slash", "search", "Search", key_display="/", id="logs.search"),
        Binding("n", "next_match", "Next match", show=False, id="logs.next"),
        Binding("N", "previous_match", "Previous match", show=False, id="logs.prev"),
        Binding("t", "timestamps", "Timestamps", show=False, id="logs.timestamps"),
        Binding("W", "wrap", "Wrap", key_display="W", show=False, id="logs.wrap"),
        Binding("w", "write", "Write file", id="logs.write"),
        copy_kubectl_binding("Copy the kubectl logs command that shows these logs"),
        Binding("up,k", "scroll(-1)", "Up", show=False, id="logs.up"),
        Binding("down,j", "scroll(1)", "Down", show=False, id="logs.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="logs.pageup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="logs.pagedown"),
        Binding("home,g", "home", "Oldest", show=False, id="logs.oldest"),
        Binding("end,G", "end", "Newest (follow)", show=False, id="logs.newest"),
    ]

    DEFAULT_CSS = """
    LogsScreen #log-header {
        height: 1; padding: 0 1; background: $boost;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    LogsScreen #log-notes { height: auto; max-height: 3; padding: 0 1; color: $warning; }
    """

    def __init__(
        self,
        query: LogQuery,
        streamer: LogStreamer,
        store: Store,
        *,
        buffer_lines: int = BUFFER_LINES,
        max_streams: int = MAX_STREAMS,
        tags: dict[str, str] | None = None,
        frame_hz: float = 10.0,
        mode: Callable[[], Mode] | None = None,
    ) -> None:
        super().__init__(name="logs")
        self.logs_query = query
        """What is streamed now (keys change it, and restart the streams)."""
        self.streamer = streamer
        self.store = store
        self.ring = LogRing(buffer_lines)
        """Every line shown, the newest ``buffer_lines``."""
        self.max_streams = max_streams
        self.tags = tags or {}
        self.frame_hz = frame_hz
        self.mode = mode
        """What the cockpit runs on now (read each frame: a replay's badge ticks); None: no
        badge."""
        self.session = LogSession(streamer, query, max_streams=max_streams)
        """The streams of the current query."""
        self.paused_at = -1
        """``ring.total`` when paused (-1: following)."""
        self.matches: list[int] = []
        """Absolute indices of the search's matches."""
        self._members_at = 0.0
        self._containers: list[str] = []

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, notes (stream errors), the lines, the prompt, the footer."""
        yield Static(id="log-header", markup=False)
        yield Static(id="log-notes", markup=False)
        view = LogView(self.ring, id="log-view")
        view.tags = self.tags
        view.no_color = "NO_COLOR" in os.environ
        yield view
        yield LogPrompt(id="log-prompt")
        yield ContainerPicker(id="log-containers")
        yield LeanFooter(compact=True)

    @property
    def view(self) -> LogView:
        """The lines' window."""
        return self.query_one(LogView)

    def on_mount(self) -> None:
        """Start the streams and the screen's frame."""
        self._follow_members(force=True)
        self.set_interval(1 / self.frame_hz, self.frame, name="logs-frame")
        self.frame()
        self.view.focus()
        policy = self._gc_policy()
        if policy is not None:
            self.set_timer(FREEZE_AFTER_OPEN, policy.refreeze, name="logs-freeze")

    def on_unmount(self) -> None:
        """Stop every stream; once the screen is gone, collect it (it was frozen)."""
        self.session.close()
        policy = self._gc_policy()
        if policy is None:
            return
        gone = weakref.ref(self)
        loop = asyncio.get_running_loop()
        # Not Textual timers: their tasks copy this context, which names the screen (the
        # active message pump), and would keep it alive past the collection.

        def collect(tries: int) -> None:
            if not policy.refreeze_without(gone) and tries > 1:
                loop.call_later(
                    COLLECT_AFTER_CLOSE, collect, tries - 1, context=contextvars.Context()
                )

        loop.call_later(COLLECT_AFTER_CLOSE, collect, COLLECT_TRIES, context=contextvars.Context())

    def _gc_policy(self) -> LoadFreezer | None:
        """The app's heap freezer (a test's app may have none). While lines stream, every
        row is repainted ten times a second and each strip Textual paints is a cycle: full
        collections come every few seconds, and each walked the whole heap (80-150 ms on a
        loaded machine, a key pressed meanwhile waited that long)."""
        policy = getattr(self.app, "gc_policy", None)
        return policy if isinstance(policy, LoadFreezer) else None

    # -- the frame ---------------------------------------------------------------------------

    def _follow_members(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and (self.logs_query.pod or now - self._members_at < MEMBERS_EVERY):
            return
        self._members_at = now
        self.session.set_targets(group_targets(self.store, self.logs_query))

    def frame(self) -> None:
        """Take what arrived, merge it by time into the ring, repaint if it shows."""
        self._follow_members()
        batch = self.session.drain()
        if batch:
            self.ring.extend_in_order(merge(batch, self.ring.total + 1))
            if self.paused_at < 0:
                self.view.redraw()
        self.refresh_chrome()

    def refresh_chrome(self) -> None:
        """Header and notes (each repainted only when its text changed)."""
        header = self.query_one("#log-header", Static)
        header.set_class(self.production(), "-production")
        text = self.header_text()
        if str(text) != str(getattr(header, "_shown", "")):
            header._shown = text  # type: ignore[attr-defined]
            header.update(text)
        notes = self.query_one("#log-notes", Static)
        lines = self.session.notes()[:3]
        shown = Text(
            "\n".join(f"{self._tagged(n.label)}: {n.message}" for n in lines),
            no_wrap=True,
            overflow="ellipsis",
        )
        if self.session.dropped:
            shown.append(f"\n{plural(self.session.dropped, 'line')} dropped (the view fell behind)")
        if str(shown) != str(getattr(notes, "_shown", "")):
            notes._shown = shown  # type: ignore[attr-defined]
            notes.update(shown)
            notes.display = bool(str(shown))

    def _tagged(self, label: str) -> str:
        cluster, _, rest = label.partition(" ")
        return f"{self.tags.get(cluster, cluster)} {rest}"

    def production(self) -> bool:
        """Whether the logs come from a production cluster (the query's, or, for a group on
        every cluster, any of them)."""
        q = self.logs_query
        return any_production(self.store.clusters.values(), q.cluster or None)

    def header_text(self) -> Text:
        """``Logs  ns/pod · 4 streams · following · since all · tail 500``, after the mode
        badge (``DEMO``...) as on a pane's cluster bar: first, so a narrow terminal cuts the
        rest, never it."""
        q = self.logs_query
        text = Text(no_wrap=True, overflow="ellipsis")
        badge = mode_badge(self.mode()) if self.mode is not None else None
        if badge:
            text.append_text(badge)
            text.append(" ")
        if self.production():
            text.append_text(prod_badge())
            text.append(" ")
        text.append("Logs", style="bold")
        text.append(f"  {safe(q.title)}")
        if q.previous:
            text.append(" · previous", style="magenta")
        text.append(f" · {plural(self.session.streaming(), 'stream')}")
        if self.paused_at >= 0:
            text.append(" · PAUSED", style="bold yellow")
            text.append(f" +{self.ring.total - self.paused_at} new")
        elif not self.view.follow:
            text.append(" · scrolled", style="yellow")
        else:
            text.append(" · following", style="green")
        text.append(f" · since {_since_label(q.since_seconds)}")
        text.append(f" · tail {q.tail_lines if q.tail_lines is not None else 'all'}")
        text.append(f" · {plural(len(self.ring), 'line')}")
        if self.view.needle:
            at = (
                self.matches.index(self.view.current) + 1
                if self.view.current in self.matches
                else 0
            )
            text.append(f" · /{safe(self.view.needle)} {at}/{len(self.matches)}", style="cyan")
        return text

    # -- query changes -----------------------------------------------------------------------

    def restart(self, query: LogQuery) -> None:
        """Stream ``query`` instead: the old streams stop, the buffer starts empty."""
        self.session.close()
        self.logs_query = query
        self.ring.clear()
        self.matches = []
        self.view.current = -1
        self.paused_at = -1
        self.view.follow = True
        self.session = LogSession(self.streamer, query, max_streams=self.max_streams)
        self._follow_members(force=True)
        self.view.redraw()
        self.refresh_chrome()

    def action_back(self) -> None:
        """Esc: close the prompt, clear the search, or go back to where ``l`` was pressed."""
        if self.view.needle:
            self.view.needle = ""
            self.matches = []
            self.view.redraw()
            self.refresh_chrome()
            return
        self.dismiss()

    def action_pause(self) -> None:
        """Pause (lines keep arriving and are counted) or follow again."""
        if self.paused_at >= 0 or not self.view.follow:
            self.paused_at = -1
            self.view.to_end()
        else:
            self.paused_at = self.ring.total
            self.view.top = self.view.first_shown()
            self.view.follow = False
        self.refresh_chrome()

    def action_previous(self) -> None:
        """The previous (terminated) containers' logs, or back to the current ones."""
        previous = not self.logs_query.previous
        self.restart(replace(self.logs_query, previous=previous, follow=not previous))

    def action_since(self) -> None:
        """Since: all → 5m → 1h → all."""
        steps = SINCE_STEPS
        i = (
            steps.index(self.logs_query.since_seconds)
            if self.logs_query.since_seconds in steps
            else -1
        )
        self.restart(replace(self.logs_query, since_seconds=steps[(i + 1) % len(steps)]))

    def action_tail(self) -> None:
        """Tail: 500 → 2,000 → all → 100 lines per container."""
        steps, now = TAIL_STEPS, self.logs_query.tail_lines
        i = steps.index(now) if now in steps else -1
        self.restart(replace(self.logs_query, tail_lines=steps[(i + 1) % len(steps)]))

    def action_container(self) -> None:
        """Open the container picker: all, or each container name seen (Enter picks)."""
        names = {source.container for source in self.ring.sources()} | set(self._containers)
        names |= self.session.containers()
        self._containers = sorted(names)
        if not names:
            self.notify("no container seen yet", severity="warning", timeout=3)
            return
        self.query_one(ContainerPicker).open(names, self.logs_query.container)

    def on_container_picker_picked(self, event: ContainerPicker.Picked) -> None:
        """Stream the picked container (or all of them again)."""
        event.stop()
        self.view.focus()
        if event.container != self.logs_query.container:
            self.restart(replace(self.logs_query, container=event.container))
        self.notify(f"container: {safe(event.container) or 'all'}", markup=False, timeout=2)

    def on_container_picker_closed(self, event: ContainerPicker.Closed) -> None:
        """Esc in the picker: back to the lines."""
        event.stop()
        self.view.focus()

    def action_timestamps(self) -> None:
        """Show or hide each line's timestamp."""
        self.view.timestamps = not self.view.timestamps
        self.view.redraw()

    def action_wrap(self) -> None:
        """Wrap long lines, or cut them at the width."""
        self.view.wrap = not self.view.wrap
        self.view.redraw()

    def action_scroll(self, delta: int) -> None:
        """One line up or down."""
        self.view.scroll_lines(delta)
        self.refresh_chrome()

    def action_page(self, direction: int) -> None:
        """A page up or down."""
        self.view.scroll_lines(direction * max(self.view.page - 1, 1))
        self.refresh_chrome()

    def action_home(self) -> None:
        """The oldest line kept."""
        self.view.show_line(self.ring.first)
        self.view.top = self.ring.first
        self.refresh_chrome()

    def action_end(self) -> None:
        """The newest line, following again."""
        self.paused_at = -1
        self.view.to_end()
        self.refresh_chrome()

    # -- search ------------------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the ``/`` prompt."""
        self._open_prompt(
            "search", self.view.needle, "search (smart case) — Enter finds, Esc closes"
        )

    def open_prompt(self, mode: str) -> None:
        """The app's ``/`` key lands here (its priority binding goes first)."""
        if mode == "filter":
            self.action_search()

    def search(self, needle: str) -> None:
        """Highlight ``needle`` and go to its newest match."""
        view = self.view
        view.needle = needle
        view.ignore_case = needle == needle.lower()
        self.matches = self.ring.search(needle, ignore_case=view.ignore_case)
        if self.matches:
            view.current = self.matches[-1]
            self.paused_at = self.ring.total if self.paused_at < 0 else self.paused_at
            view.show_line(view.current)
        else:
            view.current = -1
            view.redraw()
            if needle:
                self.notify(f"not found: {needle}", severity="warning", timeout=3)
        self.refresh_chrome()

    def _step_match(self, step: int) -> None:
        if not self.matches:
            return
        view = self.view
        if view.current in self.matches:
            i = (self.matches.index(view.current) + step) % len(self.matches)
        else:
            i = len(self.matches) - 1 if step < 0 else 0
        view.current = self.matches[i]
        if self.paused_at < 0:
            self.paused_at = self.ring.total
        view.show_line(view.current)
        self.refresh_chrome()

    def action_next_match(self) -> None:
        """The next (newer) match."""
        self._step_match(1)

    def action_previous_match(self) -> None:
        """The previous (older) match."""
        self._step_match(-1)

    def action_copy_kubectl(self) -> None:
        """``K``: the kubectl logs command that shows what this view shows (the pod, the
        container, previous, since), on each cluster it reads."""
        query = self.logs_query
        contexts = [query.cluster] if query.cluster else []
        if not contexts:
            contexts = list(dict.fromkeys(t.cluster for t in self.session.targets))
        copy_out(
            self,
            kubectl.logs(query, contexts),
            "kubectl command",
            missing="no pod streams yet: nothing to name in a kubectl command",
        )

    # -- write -------------------------------------------------------------------------------

    def action_write(self) -> None:
        """Ask where to write what is shown (plain text)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = (self.logs_query.pod or self.logs_query.owner or "logs").replace("/", "_")
        default = default_log_dir() / f"{name}-{stamp}.log"
        self._open_prompt("write", str(default), "write to file — Enter writes, Esc closes")

    def write_file(self, path_text: str) -> None:
        """Write every line kept (prefix, timestamp, text; no colour) to ``path_text``."""
        path = Path(os.path.expanduser(path_text.strip()))
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(path, flags, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
                for line in self.ring:
                    out.write(plain_line(line, timestamps=True) + "\n")
        except OSError as exc:
            self.notify(f"cannot write {path}: {exc.strerror or exc}", severity="error")
            return
        self.notify(f"wrote {plural(len(self.ring), 'line')} to {path}", timeout=6)

    # -- the prompt --------------------------------------------------------------------------

    def _open_prompt(self, mode: str, value: str, placeholder: str) -> None:
        prompt = self.query_one(LogPrompt)
        prompt.mode = mode
        prompt.placeholder = placeholder
        prompt.value = value
        self.query_one(LeanFooter).display = False
        prompt.display = True
        self.set_focus(prompt)

    def close_prompt(self) -> None:
        """Hide the prompt; the footer comes back."""
        self.query_one(LogPrompt).display = False
        footer = self.query_one(LeanFooter)
        footer.display = True
        self.view.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: search, or write."""
        if not isinstance(event.input, LogPrompt):
            return
        event.stop()
        mode = event.input.mode
        value = event.value
        self.close_prompt()
        if mode == "search":
            self.search(value)
        elif value.strip():
            self.write_file(value)
