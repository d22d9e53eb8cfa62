"""The built-in demo fleet: a deterministic simulated EKS + GKE pair shaped like the seed platform.

``profiles`` holds the data (workloads, node pools, the EKS and GKE profiles, the story's
script), ``state`` and ``sim`` the simulation of one cluster, ``fleet`` the ``DemoFleet``
(the Operator, and a reader for the actions) and the ``DemoSource`` that drives it. Same seed
and same clock steps give identical event streams.
"""

from __future__ import annotations

from wundr_tui.backends.demo.fleet import (
    MAX_CATCH_UP,
    MAX_REPLICAS,
    DemoFleet,
    DemoMoment,
    DemoSource,
)
from wundr_tui.backends.demo.profiles import (
    CYCLE,
    EKS,
    EKS_CONTEXT,
    GKE,
    GKE_CONTEXT,
    HPA_NAME,
    NAMESPACE,
    SCHEDULE,
    SERVICE,
    SOURCES,
)
from wundr_tui.backends.demo.state import HEARTBEAT

__all__ = [
    "CYCLE",
    "EKS",
    "EKS_CONTEXT",
    "GKE",
    "GKE_CONTEXT",
    "HEARTBEAT",
    "HPA_NAME",
    "MAX_CATCH_UP",
    "MAX_REPLICAS",
    "NAMESPACE",
    "SCHEDULE",
    "SERVICE",
    "SOURCES",
    "DemoFleet",
    "DemoMoment",
    "DemoSource",
]
