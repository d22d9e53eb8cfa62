"""What every backend shares: the Source protocol (it emits events), the error an operation
raises and the Permission an access review answers. What a backend can change is described
by the small capability protocols in ``actions/capabilities.py``, which backends match
structurally (without importing them)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from wundr_tui.events import Event
from wundr_tui.model import Labels
from wundr_tui.safe_text import Spans

Emit = Callable[[Event], None]
"""Thread-safe: a source calls it from its own thread for each event."""


@runtime_checkable
class Source(Protocol):
    """Something that watches one system and emits events until told to stop."""

    name: str
    """Unique among sources: ``kube:CONTEXT``, ``eks:CLUSTER``, ``demo``."""

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Block, emitting events, until ``stop`` is set. Must not raise for I/O failures:
        report them as ``Health`` events and retry."""
        ...


class OperationError(Exception):
    """An operation was refused or failed; ``str()`` is a sentence for the user."""

    def __init__(self, message: str, *, status: int | None = None, conflict: bool = False):
        super().__init__(message)
        self.status = status
        """HTTP-like status where there was one (403, 404, 409, 422, 500...)."""
        self.conflict = conflict
        """The object changed since it was read (resourceVersion precondition failed)."""


@dataclass(frozen=True, slots=True)
class Permission:
    """Whether the user may take an action, and why not."""

    allowed: bool
    reason: str = ""


# -- logs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogQuery:
    """What a log view asks for: one pod, or every pod of a group, and how much of each.

    A group is the pods of an owner (a Deployment's name, as ``Pod.owner`` holds it) or the
    pods whose Deployment's pod labels hold ``selector``, in ``namespace``, on ``cluster``
    or (blank) on every cluster that runs it.
    """

    namespace: str
    pod: str = ""
    """One pod (its name); blank: a group."""
    owner: str = ""
    """The group's owner workload."""
    selector: Labels = ()
    """The group's label selector (``app=api-gateway``), matched on Deployments' pod labels."""
    cluster: str = ""
    """The pod's cluster, or the group's (blank: every cluster)."""
    container: str = ""
    """One container; blank: every container of each pod."""
    previous: bool = False
    """The previous (terminated) instance of each container: where a crash is."""
    since_seconds: int | None = None
    """Only lines newer than this many seconds (None: from the start)."""
    tail_lines: int | None = 500
    """At most this many of the newest lines per container to begin with (None: all)."""
    follow: bool = True
    """Keep streaming new lines."""

    @property
    def title(self) -> str:
        """``wundr-platform/api-gateway-blue (group)`` for the view's header."""
        if self.pod:
            what = f"{self.namespace}/{self.pod}"
        elif self.owner:
            what = f"{self.namespace}/{self.owner} (group)"
        else:
            what = f"{self.namespace}/" + ",".join(f"{k}={v}" for k, v in self.selector)
        return f"{what} [{self.container}]" if self.container else what


@dataclass(frozen=True, slots=True)
class LogTarget:
    """One pod to stream, on one cluster."""

    cluster: str
    namespace: str
    pod: str


class LogSink(Protocol):
    """Where one container's stream delivers (thread-safe; called from the stream's thread)."""

    def lines(self, batch: list[tuple[float, str, Spans]]) -> None:
        """Lines read, oldest first: (timestamp, safe text, SGR spans)."""
        ...

    def status(self, message: str, *, error: bool = False) -> None:
        """What the stream is doing, in words (``""``: streaming normally)."""
        ...

    def cancel_with(self, close: Callable[[], None] | None) -> None:
        """How to end the read in progress when the stream is stopped (None: none open)."""
        ...


class LogStreamer(Protocol):
    """Reads container logs (the kube backend over HTTP, the demo from its simulation)."""

    def containers(self, target: LogTarget) -> tuple[str, ...]:
        """The pod's containers, in spec order; OperationError when it cannot be read."""
        ...

    def stream(
        self,
        target: LogTarget,
        container: str,
        query: LogQuery,
        sink: LogSink,
        stop: threading.Event,
    ) -> None:
        """Stream one container's log into ``sink`` until it ends (not following, or the pod
        is gone) or ``stop`` is set; report problems with ``sink.status``, never raise for
        I/O or server errors, reconnect where it makes sense."""
        ...
