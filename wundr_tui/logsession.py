"""One log view's streams: which pods (a group's membership follows the store), one thread per
(pod, container) stream up to a bound (kubectl's ``--max-log-requests``), and the bounded
hand-over of their lines to the UI thread, drained once per frame. No Textual here.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from wundr_tui.backends.base import LogQuery, LogStreamer, LogTarget, OperationError
from wundr_tui.logbuf import LogSource, RawLine
from wundr_tui.model import Alert, Deployment, Hpa, Incident, Kind, Pod
from wundr_tui.safe_text import Spans, safe
from wundr_tui.store import Store

log = logging.getLogger(__name__)

MAX_STREAMS = 50
"""Container streams open at once per cluster in a view, by default (``[logs] max_streams``;
per cluster like kubectl's ``--max-log-requests``, whose default is 5, and stern's 50: a group
of 50 pods on each of two clouds streams whole)."""
MAX_STREAMS_RANGE = (1, 500)
"""The range ``[logs] max_streams`` may take."""
JOINERS = 4
"""Threads that start new pods' streams (each first asks the apiserver for the pod's
containers), at most, per view."""
PENDING_LIMIT = 200_000
"""Lines waiting for the next frame, at most; past it the oldest are dropped and counted
(a frame that never comes, e.g. a suspended terminal, cannot grow memory)."""


def group_targets(store: Store, query: LogQuery) -> list[LogTarget]:
    """The pods a query names, as the store knows them now: one pod, or every pod of the
    group on every cluster (or the query's one), in cluster and name order."""
    clusters = [query.cluster] if query.cluster else list(store.clusters)
    if query.pod:
        return [LogTarget(c, query.namespace, query.pod) for c in clusters[:1]]
    out: list[LogTarget] = []
    wanted = set(query.selector)
    for cluster in clusters:
        owners: dict[str, bool] = {}
        for pod in store.items(cluster, Kind.POD).values():
            if not isinstance(pod, Pod) or pod.namespace != query.namespace:
                continue
            if query.owner:
                if pod.owner != query.owner:
                    continue
            elif wanted:
                match = owners.get(pod.owner)
                if match is None:
                    dep = store.get(cluster, Kind.DEPLOYMENT, f"{pod.namespace}/{pod.owner}")
                    labels = set(dep.pod_labels) if isinstance(dep, Deployment) else set()
                    match = owners[pod.owner] = wanted <= labels
                if not match:
                    continue
            else:
                continue
            out.append(LogTarget(cluster, pod.namespace, pod.name))
    out.sort(key=lambda t: (t.cluster, t.pod))
    return out


@dataclass
class _Stream:
    source: LogSource
    target: LogTarget
    stop: threading.Event
    closer: Callable[[], None] | None = None
    thread: threading.Thread | None = None


@dataclass
class StreamNote:
    """What one stream (or one pod, before its containers are known) last reported."""

    label: str
    """``cluster pod/container``."""
    message: str
    error: bool = False


class _Sink:
    """A stream's LogSink: tags its lines with their source and hands them to the session."""

    __slots__ = ("session", "stream")

    def __init__(self, session: LogSession, stream: _Stream) -> None:
        self.session = session
        self.stream = stream

    def lines(self, batch: list[tuple[float, str, Spans]]) -> None:
        if not self.stream.stop.is_set():
            self.session._push(self.stream.source, batch)

    def status(self, message: str, *, error: bool = False) -> None:
        if not self.stream.stop.is_set():
            self.session._note(self.stream.source, message, error)

    def cancel_with(self, close: Callable[[], None] | None) -> None:
        self.stream.closer = close
        if close is not None and self.stream.stop.is_set():
            _call(close)


def _call(close: Callable[[], None]) -> None:
    try:
        close()
    except Exception:  # ending a read is best effort: the reader sees it fail
        log.debug("closing a log stream failed", exc_info=True)


@dataclass
class LogSession:
    """The streams behind one log view. ``set_targets`` (each frame, for a group) starts and
    stops pods' streams; ``drain`` (each frame) takes what arrived."""

    streamer: LogStreamer
    query: LogQuery
    max_streams: int = MAX_STREAMS
    pending_limit: int = PENDING_LIMIT
    dropped: int = 0
    """Lines dropped because no frame drained them in time."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pending: list[tuple[LogSource, list[tuple[float, str, Spans]]]] = field(default_factory=list)
    """Each stream's batches as handed over, made into lines at the frame's drain: a line
    waiting here is a tuple of a number and strings, which the collector stops tracking,
    instead of one holding its source, which it would walk until a full collection."""
    _pending_lines: int = 0
    _targets: dict[LogTarget, threading.Event] = field(default_factory=dict)
    _streams: dict[LogSource, _Stream] = field(default_factory=dict)
    _waiting: list[_Stream] = field(default_factory=list)
    _joining: deque[LogTarget] = field(default_factory=deque)
    """Pods that joined and wait for a joiner thread to start their streams."""
    _joiners: int = 0
    """Joiner threads running."""
    _notes: dict[str, StreamNote] = field(default_factory=dict)
    _closed: bool = False

    # -- membership ------------------------------------------------------------------------

    def set_targets(self, targets: Iterable[LogTarget]) -> None:
        """Stream these pods: new ones join, gone ones leave (their lines stay shown)."""
        wanted = dict.fromkeys(targets)
        with self._lock:
            if self._closed:
                return
            gone = [t for t in self._targets if t not in wanted]
            new = [t for t in wanted if t not in self._targets]
            for target in new:
                self._targets[target] = threading.Event()
        for target in gone:
            self._leave(target)
        if not new:
            return
        with self._lock:
            self._joining.extend(new)
            spawn = min(JOINERS - self._joiners, len(self._joining))
            self._joiners += max(spawn, 0)
        for i in range(spawn):
            threading.Thread(target=self._joiner, name=f"logs:join{i}", daemon=True).start()

    def _joiner(self) -> None:
        """One of the few threads that look up new pods' containers and start their streams,
        one pod after another: a hundred pods joining at once cost a few threads, not a
        hundred fighting for the interpreter (the UI thread among them: the view's first
        frame waited half a second behind them)."""
        while True:
            with self._lock:
                if not self._joining or self._closed:
                    self._joiners -= 1
                    return
                target = self._joining.popleft()
            self._join(target)

    @property
    def targets(self) -> list[LogTarget]:
        """The pods streamed now."""
        with self._lock:
            return list(self._targets)

    def _join(self, target: LogTarget) -> None:
        with self._lock:
            stop = self._targets.get(target)
        if stop is None or stop.is_set():
            return
        label = f"{target.cluster} {target.pod}"
        if self.query.container:
            names: tuple[str, ...] = (self.query.container,)
        else:
            try:
                names = self.streamer.containers(target)
            except OperationError as exc:
                self._set_note(label, StreamNote(label, safe(str(exc)), True))
                return
            except Exception as exc:  # a bug must not end the view: say so, log it
                log.error("listing containers of %s failed", target.pod, exc_info=True)
                self._set_note(label, StreamNote(label, safe(f"{type(exc).__name__}: {exc}"), True))
                return
        self._set_note(label, None)
        for name in names:
            source = LogSource(
                target.cluster, target.namespace, target.pod, name, self.query.previous
            )
            self._add_stream(_Stream(source, target, stop))

    def _add_stream(self, stream: _Stream) -> None:
        with self._lock:
            if stream.stop.is_set() or self._closed or stream.source in self._streams:
                return
            self._streams[stream.source] = stream
            if self._open_in(stream.source.cluster) >= self.max_streams:
                self._waiting.append(stream)
                label = _label(stream.source)
                self._notes[label] = StreamNote(
                    label,
                    f"waiting: {self.max_streams} log streams open on"
                    f" {stream.source.cluster} ([logs] max_streams)",
                )
                return
            self._start(stream)

    def _open_in(self, cluster: str) -> int:
        """Under the lock: streams running on one cluster."""
        return sum(
            1
            for s in self._streams.values()
            if s.thread is not None and s.source.cluster == cluster
        )

    def _start(self, stream: _Stream) -> None:
        """Under the lock: run a stream's thread."""
        stream.thread = threading.Thread(
            target=self._run, args=(stream,), name=f"log:{stream.source.pod}", daemon=True
        )
        stream.thread.start()

    def _run(self, stream: _Stream) -> None:
        sink = _Sink(self, stream)
        try:
            self.streamer.stream(
                stream.target, stream.source.container, self.query, sink, stream.stop
            )
        except Exception as exc:  # a bug in a backend: say so in the view, log the traceback
            log.error("log stream of %s failed", stream.source.pod, exc_info=True)
            sink.status(safe(f"{type(exc).__name__}: {exc}"), error=True)
        finally:
            self._ended(stream)

    def _ended(self, stream: _Stream) -> None:
        with self._lock:
            if self._streams.get(stream.source) is stream:
                del self._streams[stream.source]
            # The first stream waiting on a cluster with room (the one that just ended).
            self._waiting = [
                s for s in self._waiting if not s.stop.is_set() and self._streams.get(s.source) is s
            ]
            for nxt in self._waiting:
                if not self._closed and self._open_in(nxt.source.cluster) < self.max_streams:
                    self._waiting.remove(nxt)
                    self._notes.pop(_label(nxt.source), None)
                    self._start(nxt)
                    break

    def _leave(self, target: LogTarget) -> None:
        with self._lock:
            stop = self._targets.pop(target, None)
            streams = [s for s in self._streams.values() if s.target == target]
            self._waiting = [s for s in self._waiting if s.target != target]
            for s in streams:
                if s.thread is None:
                    del self._streams[s.source]
                self._notes.pop(_label(s.source), None)
            self._notes.pop(f"{target.cluster} {target.pod}", None)
        if stop is not None:
            stop.set()
        for s in streams:
            if s.closer is not None:
                _call(s.closer)

    def close(self) -> None:
        """Stop every stream (their threads end on their own, promptly)."""
        with self._lock:
            self._closed = True
            targets = list(self._targets)
        for target in targets:
            self._leave(target)

    # -- hand-over ---------------------------------------------------------------------------

    def _push(self, source: LogSource, batch: list[tuple[float, str, Spans]]) -> None:
        with self._lock:
            pending = self._pending
            pending.append((source, batch))
            self._pending_lines += len(batch)
            over = self._pending_lines - self.pending_limit
            if over > 0:
                self._drop_oldest(over)
            note = self._notes.get(_label(source))
            if note is not None and not note.error:
                del self._notes[_label(source)]  # lines flow again: "reconnecting" is over

    def _drop_oldest(self, count: int) -> None:
        """Under the lock: forget the ``count`` oldest lines waiting (batch by batch)."""
        pending = self._pending
        self._pending_lines -= count
        self.dropped += count
        whole = 0
        while whole < len(pending) and len(pending[whole][1]) <= count:
            count -= len(pending[whole][1])
            whole += 1
        del pending[:whole]
        if count and pending:
            source, batch = pending[0]
            pending[0] = (source, batch[count:])

    def _note(self, source: LogSource, message: str, error: bool) -> None:
        label = _label(source)
        self._set_note(label, StreamNote(label, message, error) if message else None)

    def _set_note(self, label: str, note: StreamNote | None) -> None:
        with self._lock:
            if note is None:
                self._notes.pop(label, None)
            else:
                self._notes[label] = note

    def drain(self) -> list[RawLine]:
        """Everything that arrived since the last drain (each stream's lines in order)."""
        with self._lock:
            batches, self._pending, self._pending_lines = self._pending, [], 0
        return [(ts, source, text, spans) for source, batch in batches for ts, text, spans in batch]

    def pending(self) -> int:
        """Lines waiting for the next drain."""
        with self._lock:
            return self._pending_lines

    def notes(self) -> list[StreamNote]:
        """What the streams report (errors first)."""
        with self._lock:
            notes = list(self._notes.values())
        notes.sort(key=lambda n: (not n.error, n.label))
        return notes

    def containers(self) -> set[str]:
        """Container names of the streams open or waiting now (what the picker offers)."""
        with self._lock:
            return {source.container for source in self._streams}

    def streaming(self) -> int:
        """Container streams open now."""
        with self._lock:
            return sum(1 for s in self._streams.values() if s.thread is not None)


def _label(source: LogSource) -> str:
    return f"{source.cluster} {source.pod}/{source.container}"


def hpa_query(cluster: str, hpa: Hpa) -> LogQuery | None:
    """An HPA's logs: the pods of the Deployment it scales, on its cluster."""
    kind, _, name = hpa.target.partition("/")
    if kind != "Deployment" or not name:
        return None
    return LogQuery(hpa.namespace, owner=name, cluster=cluster)


def incident_query(store: Store, incident: Incident) -> LogQuery | None:
    """The logs an Incident row names: a pod; a workload's pods across every cluster; an
    alert's pod, or its service's pods (``app=SERVICE``) across clusters; an HPA's pods."""
    what, subject = incident.what, incident.subject
    if what == "POD":
        ns, _, name = subject.partition("/")
        pod = store.get(incident.cluster, Kind.POD, subject)
        if isinstance(pod, Pod):
            return LogQuery(ns, pod=name, cluster=incident.cluster)
        return LogQuery(ns, owner=name) if ns and name else None
    if what == "HPA":
        hpa = store.get(incident.cluster, Kind.HPA, subject)
        return hpa_query(incident.cluster, hpa) if isinstance(hpa, Hpa) else None
    if what == "ALERT":
        for obj in store.items(incident.cluster, Kind.ALERT).values():
            if not isinstance(obj, Alert) or obj.name != subject or not obj.namespace:
                continue
            if obj.pod:
                return LogQuery(obj.namespace, pod=obj.pod, cluster=incident.cluster)
            if obj.service:
                return LogQuery(obj.namespace, selector=(("app", obj.service),))
    return None
