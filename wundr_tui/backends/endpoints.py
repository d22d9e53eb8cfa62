"""What a Service's endpoints say right now, as the blue-green verification reads them: one
shape whichever API answered (``discovery.k8s.io/v1`` EndpointSlices, or v1 Endpoints on a
server without slices) and, when neither could be read, why. Shared by the backends that can
read endpoints (the Kubernetes reader, the demo fleet); no I/O here."""

from __future__ import annotations

from dataclasses import dataclass

SLICES = "EndpointSlices"
"""``source`` when the answer came from ``discovery.k8s.io/v1``."""
ENDPOINTS = "Endpoints"
"""``source`` when it came from v1 Endpoints (a server without EndpointSlices)."""

MAX_NAMES = 10_000
"""Most endpoint names kept from one read: a Service's answer cannot grow memory without end."""


@dataclass(frozen=True, slots=True)
class ServiceEndpoints:
    """The ready endpoints behind a Service, from one read."""

    source: str
    """``EndpointSlices`` / ``Endpoints``; blank when neither could be read."""
    ready: tuple[str, ...] = ()
    """Ready endpoints, each the pod behind it (its ``targetRef``) or else its address, once
    each (a dual-stack Service lists a pod in two slices)."""
    matching: tuple[str, ...] = ()
    """Of ``ready``, the pods that carry the labels asked about (the new colour's selector)."""
    reason: str = ""
    """Why nothing could be read (blank when ``source`` is set)."""
    lasting: bool = False
    """The reason will not go away by waiting (404 on both APIs, 403): stop asking."""

    @property
    def readable(self) -> bool:
        """One of the two APIs answered."""
        return bool(self.source)

    @property
    def stray(self) -> tuple[str, ...]:
        """Ready endpoints whose pods do not carry the labels asked about."""
        wanted = set(self.matching)
        return tuple(name for name in self.ready if name not in wanted)
