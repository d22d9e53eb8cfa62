"""What a pane screen or a controller needs from the app, as protocols: no screen and no
controller imports ``app.py`` (the app imports them; arrows point down only).

``PaneHost`` is the cockpit as a pane sees it (the store, the filters, the action keys);
``ActionHost`` is what the action flow drives (the store and config, and Textual's own
services: notify, push a dialog, run a worker). ``WundrApp`` is both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from wundr_tui.backends.base import LogQuery
from wundr_tui.config import Config
from wundr_tui.store import Changes, Store
from wundr_tui.widgets.mode_badge import Mode


class PaneActions(Protocol):
    """The action keys' side of the action flow, as a pane calls it."""

    @property
    def can_revert(self) -> bool:
        """The revert window is open."""
        ...

    @property
    def read_only(self) -> bool:
        """Every change is refused before any request (read-only mode)."""
        ...

    def availability(self, action: str = "") -> bool | None:
        """For check_action: hidden (False), disabled (None) or available (True)."""
        ...

    def refresh_permissions(self, actions: Iterable[str]) -> None:
        """Ask the clusters (in a worker) whether these actions are allowed."""
        ...

    def revert(self) -> None:
        """Switch back after a blue-green switch."""
        ...

    def blue_green(self, cluster_name: str | None, service: str = "") -> bool:
        """Start a blue-green switch; False when it could not start."""
        ...

    def blue_green_on(self, targets: list[tuple[str, str]]) -> None:
        """Switch each (cluster, ``namespace/service``), one dialog each, in order."""
        ...

    def scale_owner(self, cluster_name: str, key: str) -> None:
        """Scale the deployment that owns a pod."""
        ...

    def hpa_bounds(self, cluster_name: str, key: str) -> None:
        """Change an HPA's min/max."""
        ...

    def node_pool(self, cluster_name: str, key: str) -> None:
        """Resize a node pool."""
        ...

    def restore(self, cluster_name: str | None, key: str | None) -> None:
        """Open the Velero restore form."""
        ...

    def silence(self, cluster_name: str, key: str) -> None:
        """Silence an alert."""
        ...

    def expire(self, cluster_name: str, key: str) -> None:
        """Expire an alert's silence."""
        ...

    def ack(self, targets: Iterable[tuple[str, str]], what: str = "") -> None:
        """Acknowledge alerts (cluster, key), or extend the ack on one already acknowledged."""
        ...


class HiddenPane(Protocol):
    """A mounted pane that is told what changed while another one is on screen."""

    def note_changes(self, changes: Changes, generation: int) -> None:
        """Remember the keys a batch touched."""
        ...


class PaneHost(Protocol):
    """The cockpit as a pane screen sees it."""

    @property
    def store(self) -> Store:
        """The single source of truth."""
        ...

    @property
    def actions(self) -> PaneActions:
        """The action flow behind the action keys."""
        ...

    @property
    def cluster_filter(self) -> str | None:
        """The cluster every pane is narrowed to (None: all)."""
        ...

    @property
    def namespace_filter(self) -> str | None:
        """The namespace every pane is narrowed to (None: all)."""
        ...

    @property
    def run_mode(self) -> Mode:
        """Demo, replay (and where it is), read-only: what the mode badge shows."""
        ...

    @property
    def cluster_tags(self) -> dict[str, str]:
        """Cluster name → short CLUSTER column tag."""
        ...

    @property
    def low_bandwidth(self) -> bool:
        """Low-bandwidth mode is on."""
        ...

    @property
    def pane_screens(self) -> set[HiddenPane]:
        """Panes mounted so far (each adds itself)."""
        ...

    def run_command(self, text: str) -> None:
        """Run what was typed after ``:``."""
        ...

    def complete_command(self, typed: str) -> str | None:
        """The one ``:`` command whose name or an alias starts with ``typed`` (None: none, or
        more than one)."""
        ...

    def open_logs(self, query: LogQuery) -> None:
        """Open the Logs screen on ``query`` (one pod, or a group across clusters)."""
        ...


class ActionHost(Protocol):
    """What the action flow drives: the store, the config, the cluster filter, a pane switch,
    and the Textual services it needs (all of them ``App``'s own)."""

    @property
    def store(self) -> Store:
        """Where the forms read what they offer."""
        ...

    @property
    def config(self) -> Config:
        """Blue-green specs, the author, ``[actions]``."""
        ...

    @property
    def cluster_filter(self) -> str | None:
        """The cluster an action without a row applies to."""
        ...

    def action_pane(self, name: str) -> None:
        """Switch to a pane by name."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast."""
        ...

    def push_screen(
        self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
    ) -> Any:
        """Open a dialog; ``callback`` gets its answer."""
        ...

    def run_worker(
        self,
        work: Callable[[], None],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[None]:
        """Run ``work`` in a worker."""
        ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``callback`` on the app's thread, from a worker thread."""
        ...

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run ``callback`` on the next idle."""
        ...

    def post_message(self, message: Message) -> bool:
        """Queue a message for the app."""
        ...

    def set_timer(
        self,
        delay: float,
        callback: Callable[[], Any] | None = None,
        *,
        name: str | None = None,
        pause: bool = False,
    ) -> Timer:
        """Call ``callback`` once after ``delay`` seconds."""
        ...

    def refresh_bindings(self) -> None:
        """Re-check which keys are shown."""
        ...
