"""Events that sources emit and the store applies. Plain data: no I/O, no Textual."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from wundr_tui.model import Cluster, Kind, Resource, SourceHealth


@dataclass(frozen=True, slots=True)
class ClusterSeen:
    """A source announces the cluster it watches (the cluster bar lists it)."""

    cluster: Cluster


@dataclass(frozen=True, slots=True)
class Replaced:
    """The full list of one kind in one cluster, after a list or relist: unseen keys go."""

    cluster: str
    kind: Kind
    items: tuple[Resource, ...]


@dataclass(frozen=True, slots=True)
class Upserted:
    """Objects added or changed (a watch event, or a page of a list in progress)."""

    cluster: str
    kind: Kind
    items: tuple[Resource, ...]
    at: float = 0.0
    """When it happened, where a source tells history it is catching up on (a demo started
    ``--at`` a moment of its story); 0: as it arrives."""


@dataclass(frozen=True, slots=True)
class Deleted:
    """Objects gone, by key. Deleting an unknown key is not an error."""

    cluster: str
    kind: Kind
    keys: tuple[str, ...]
    at: float = 0.0
    """When it happened, where a source tells history it is catching up on (a demo started
    ``--at`` a moment of its story); 0: as it arrives."""


@dataclass(frozen=True, slots=True)
class Health:
    """A source's freshness changed (connecting / live / stale / error / absent)."""

    health: SourceHealth


@dataclass(frozen=True, slots=True)
class Audited:
    """An action was attempted and written to the audit log (the timeline lists it; in the
    stream, a recording keeps it and a replay shows it)."""

    cluster: str
    time: float
    """When it was recorded, seconds since the epoch."""
    user: str
    action: str
    """``blue_green``, ``scale``...: the audit line's action."""
    summary: str
    """What it changes, ``replicas 3 → 5``."""
    result: str
    """done / unverified / failed / refused / cancelled."""
    error: str = ""
    mode: str = "live"
    """live, demo or replay: what it acted on."""


@dataclass(frozen=True, slots=True)
class Rewound:
    """A replay went back in its recording: everything it sent is forgotten, and what it
    sends next is the recording again from its start (up to where it was sent back to)."""


Event: TypeAlias = ClusterSeen | Replaced | Upserted | Deleted | Health | Audited | Rewound
"""Anything a source emits."""
