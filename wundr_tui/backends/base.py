"""What every backend shares: the Source protocol (it emits events), the Inspector protocol
(the whole object, read on demand for the detail and YAML views), the error an operation
raises and the Permission an access review answers. What a backend can change is described
by the small capability protocols in ``actions/capabilities.py``, which backends match
structurally (without importing them)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from wundr_tui.events import Event
from wundr_tui.model import Kind, Labels
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
        """Lines read, oldest first: (timestamp, safe text, SGR spans). The list is handed
        over: the caller does not touch it again."""
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


FullObject = dict[str, Any]
"""One object as the server has it (parsed JSON), for the detail and YAML views only: the
store never keeps one."""


@runtime_checkable
class Inspector(Protocol):
    """Reads one whole object on demand (same credentials as the sources). Secrets are never
    read: a Secret is refused before any request, and what comes back is passed through
    :func:`without_secrets`."""

    def fetch(self, cluster: str, kind: Kind, namespace: str, name: str) -> FullObject | None:
        """The object, or None when it does not exist (any more). Raises OperationError
        (a sentence for the user) when it cannot be read: forbidden, unreachable, a kind
        that has no server-side object, or a replay (``not in the recording``)."""
        ...


SECRET_FIELDS = ("data", "stringData")
"""Top-level fields that hold a Secret's values: dropped from any object before it is shown."""

REDACTED_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration",)
"""Annotations that can hold a whole earlier object (a Secret's data included): dropped."""


def is_secret(kind: str) -> bool:
    """``Secret`` / ``secrets`` in any case: a kind or resource the cockpit never reads."""
    return kind.lower().rstrip("s") == "secret"


def without_secrets(obj: FullObject) -> FullObject:
    """A copy of ``obj`` with nothing that can hold a secret value: no ``data`` or
    ``stringData`` (whatever the kind says), no last-applied annotation. Env entries that come
    from a secret are references (``valueFrom.secretKeyRef`` name/key) and stay as they are."""
    out = {k: v for k, v in obj.items() if k not in SECRET_FIELDS}
    meta = out.get("metadata")
    if isinstance(meta, dict):
        annotations = meta.get("annotations")
        if isinstance(annotations, dict) and any(a in annotations for a in REDACTED_ANNOTATIONS):
            meta = dict(meta)
            meta["annotations"] = {
                k: v for k, v in annotations.items() if k not in REDACTED_ANNOTATIONS
            }
            out["metadata"] = meta
    spec = out.get("spec")
    if isinstance(spec, dict):
        out["spec"] = _pod_spec_without_values(spec)
        template = spec.get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            out["spec"]["template"] = {
                **template,
                "spec": _pod_spec_without_values(template["spec"]),
            }
    return out


def _pod_spec_without_values(spec: FullObject) -> FullObject:
    """An env entry is a literal ``value`` or a ``valueFrom`` reference, never both: a value
    beside a reference is dropped (the reference is what the pod uses)."""
    changed = dict(spec)
    for field in ("containers", "initContainers", "ephemeralContainers"):
        containers = spec.get(field)
        if not isinstance(containers, list):
            continue
        cleaned = []
        for c in containers:
            env = c.get("env") if isinstance(c, dict) else None
            if isinstance(env, list) and any(
                isinstance(e, dict) and "valueFrom" in e and "value" in e for e in env
            ):
                c = {
                    **c,
                    "env": [
                        {k: v for k, v in e.items() if k != "value"}
                        if isinstance(e, dict) and "valueFrom" in e
                        else e
                        for e in env
                    ],
                }
            cleaned.append(c)
        changed[field] = cleaned
    return changed
