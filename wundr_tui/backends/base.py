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
