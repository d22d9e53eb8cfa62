"""List then watch every kind the panes show, one source per context.

Lists come in pages (``limit``/``continue``) and each page is parsed with orjson and reduced to
the model's few fields before the next one is read; watches are read as a raw chunked stream,
one JSON event per line. See docs/performance.md for the measurements.

List requests send ``Accept-Encoding: gzip``, as kubectl and every client-go program do (Go's
transport adds it): kube-apiserver then gzips any answer over 128 KiB, which a 500-pod page is
(about a tenth of the bytes on the wire). Watches do not ask: kube-apiserver (1.30-1.36) never
compresses a watch stream, whatever the client sends.

Failure is normal: each kind of each context has its own thread and its own health
(connecting / live / error / absent); errors retry forever with capped, jittered backoff.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import orjson

from wundr_tui.backends.base import Emit
from wundr_tui.backends.kube.credentials import EXEC_TIMEOUT, PROCESSES
from wundr_tui.backends.kube.events import EventMerger
from wundr_tui.backends.kube.http import (
    MAX_ANSWER_BYTES,
    MAX_LINE_BYTES,
    AnswerTooLarge,
    ApiClientLoader,
    ApiStatusError,
    KubeHttp,
    MalformedAnswer,
    answer_shape,
    describe_error,
    internal_reason,
    is_config_error,
    is_internal_error,
    load_api_client,
    mib,
    parse_page,
    preload,
    read_lines,
    release,
)
from wundr_tui.backends.kube.kinds import WATCHED, BadPathSegment, KindSpec
from wundr_tui.backends.kube.parse import Obj, pod_from_row, table_columns
from wundr_tui.backends.retry import backoff
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.events import ClusterSeen, Deleted, Health, Replaced, Upserted
from wundr_tui.model import Cluster, HealthState, Kind, Resource, SourceHealth

log = logging.getLogger(__name__)

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
"""The server-side Table format (what kubectl prints)."""

PodFormat = Literal["table", "json"]
"""How pods travel: server-side Table rows with object metadata, or whole objects as JSON."""


class _Gone(Exception):
    """The watch's resourceVersion is too old (410): relist."""


class _Stopped(Exception):
    """``stop`` was set while waiting."""


class _NoWatchList(Exception):
    """The server does not stream lists (it refused ``sendInitialEvents``, or ignored it):
    list in pages instead."""


INITIAL_EVENTS_END = "k8s.io/initial-events-end"
"""The annotation of the BOOKMARK that ends a watch-list's initial state (KEP-3157)."""


@dataclass(frozen=True, slots=True)
class KubeTuning:
    """Timings and sizes of a KubeSource; tests shorten them."""

    page_size: int = 500
    """Objects per list page (``limit``)."""
    first_page_size: int = 500
    """Objects in the first page of a list (the first rows on screen wait for it)."""
    watch_seconds: int = 290
    """Server-side watch timeout; the watch resumes from its resourceVersion after it."""
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    """A list page taking longer than this is a failure."""
    watch_idle: float = 150.0
    """Silence on a watch (no event, no bookmark) longer than this: resume the watch."""
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    forbidden_retry: float = 300.0
    """After a 403, try that kind again this much later (RBAC may have been granted)."""
    absent_retry: float = 300.0
    """After a 404 on Velero, look again this much later."""
    join_timeout: float = 3.0
    """How long ``run`` waits for its threads once ``stop`` is set."""
    gzip_lists: bool = True
    """Ask for gzipped list pages (``Accept-Encoding: gzip``, as kubectl does)."""
    exec_timeout: float = EXEC_TIMEOUT
    """Seconds one exec credential plugin run may take (then its process group is killed)."""
    max_line_bytes: int = MAX_LINE_BYTES
    """Longest watch line read; a longer one errors the kind, which reconnects."""
    max_answer_bytes: int = MAX_ANSWER_BYTES
    """Largest list page read."""
    internal_retry: float = 300.0
    """After an internal error (a bug, a broken install), try that kind again this much later."""
    watch_list: bool = True
    """Stream the initial list as a watch (``sendInitialEvents=true``) where the server does;
    False: always list in pages, then watch."""


class KubeSource:
    """List then watch pods, deployments, services, HPAs, nodes, Velero objects and Warning
    events of one kubeconfig context; one thread per kind (and per namespace when the config
    names some)."""

    def __init__(
        self,
        cluster: Cluster,
        cluster_config: ClusterConfig | None = None,
        kube_config_loader: ApiClientLoader | None = None,
        *,
        kinds: Iterable[Kind] | None = None,
        tuning: KubeTuning | None = None,
        clock: Callable[[], float] = time.time,
        pod_format: PodFormat = "table",
        velero_namespace: str = "velero",
    ) -> None:
        self.cluster = cluster
        """The cluster this source feeds."""
        self.context = cluster.name
        """The kubeconfig context."""
        self.name = f"kube:{self.context}"
        """Unique source name."""
        self.cluster_config = cluster_config or ClusterConfig(context=cluster.name)
        """Namespaces to watch, read-only flag."""
        wanted = set(kinds) if kinds is not None else None
        self.specs: tuple[KindSpec, ...] = tuple(
            s for s in WATCHED if wanted is None or s.kind in wanted
        )
        """The kinds watched."""
        self.tuning = tuning or KubeTuning()
        """Timings and sizes."""
        loader = kube_config_loader or partial(
            load_api_client, exec_timeout=self.tuning.exec_timeout
        )
        self.http = KubeHttp(self.context, loader)
        """The context's client."""
        self._clock = clock
        self.pod_format: PodFormat = pod_format
        """Wire format for pods (see docs/performance.md for why Table is the default)."""
        self.velero_namespace = velero_namespace
        """Where Velero lives, watched when listing it cluster-wide is forbidden."""

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Watch every kind until ``stop`` is set; never raises for I/O failures."""
        emit(ClusterSeen(self.cluster))
        try:
            preload()  # a no-op when the code that built the sources called it, as it should
        except Exception:  # each kind reports it (internal error) when it loads the client
            log.debug("preload failed", exc_info=True)
        threads = []
        namespaces = self.cluster_config.namespaces or ("",)
        merger = EventMerger(emit)  # one per context: its namespaces' events share the rows
        for spec in self.specs:
            scopes = namespaces if spec.namespaced and not spec.velero else ("",)
            to = merger if spec.kind is Kind.EVENT else emit
            for ns in scopes:
                watcher = _KindWatcher(self, spec, ns, len(scopes) > 1, to, stop)
                thread = threading.Thread(
                    target=watcher.run,
                    name=f"{self.name}:{spec.plural}{'@' + ns if ns else ''}",
                    daemon=True,
                )
                threads.append(thread)
        for thread in threads:
            thread.start()
        stop.wait()
        self.http.interrupt()
        PROCESSES.kill(self.context)  # a plugin still running must not outlive the app
        deadline = time.monotonic() + self.tuning.join_timeout
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0.01))
            if thread.is_alive():
                self.http.interrupt()
        self.http.close()


class _KindWatcher:
    """One kind (in one namespace or cluster-wide) of one context: list, watch, recover."""

    def __init__(
        self,
        source: KubeSource,
        spec: KindSpec,
        namespace: str,
        shared: bool,
        emit: Emit,
        stop: threading.Event,
    ) -> None:
        self.source = source
        self.spec = spec
        self.namespace = namespace
        self.shared = shared
        """Other scopes feed the same kind: a relist deletes what vanished instead of Replaced."""
        self.emit = emit
        self.stop = stop
        self.cluster = source.cluster
        self.http = source.http
        self.tuning = source.tuning
        self.health_name = f"kube/{spec.plural}" + (f"@{namespace}" if shared else "")
        self._state: tuple[str, str] | None = None
        self._since = 0.0
        self._keys: set[str] = set()
        self.resource_version = ""
        self.table = spec.kind is Kind.POD and source.pod_format == "table"
        """Pods as Table rows (``includeObject=Metadata``) instead of whole objects."""
        self.columns: dict[str, int] = {}
        self.kind = spec.model_kind
        """The model kind it feeds."""
        self.reduce = spec.parser
        """JSON → model object for this kind."""
        self.identity: Callable[[Resource], str] = spec.identity or _key
        """The key a watch's DELETED and a relist's diff go by (the apiserver's own)."""
        self.watch_list = self.tuning.watch_list
        """Try a watch-list first; False once the server showed it does not stream lists."""

    def _wire(self, query: list[tuple[str, Any]]) -> str:
        """Add the format's query parameters; return the Accept header."""
        if self.spec.field_selector:
            query.append(("fieldSelector", self.spec.field_selector))
        if self.table:
            query.append(("includeObject", "Metadata"))
            return TABLE_ACCEPT
        return "application/json"

    def _objects(self, container: Obj) -> list[Resource]:
        """The model objects of a list page or of one watch event's Table."""
        if not self.table:
            raise AssertionError("only for tables")
        if container.get("kind") != "Table":
            # A server that ignores the Table Accept header answers plain JSON.
            items = container.get("items")
            if isinstance(items, list):
                return [self.reduce(o) for o in items]
            return [self.reduce(container)]
        columns = table_columns(container.get("columnDefinitions"))
        if columns:
            self.columns = columns
        rows = container.get("rows")
        if not isinstance(rows, list):
            raise orjson.JSONDecodeError("a Table without rows", "", 0)
        return [pod_from_row(r, self.columns) for r in rows]

    # -- health ----------------------------------------------------------------------------

    def health(self, state: HealthState, reason: str = "", retry_in: float = 0.0) -> None:
        """Emit the kind's health when it changed; ``since`` moves only then. ``retry_in``: the
        seconds until the next attempt, so the badge counts down to it (a repeat of the same
        error with a new retry time is emitted too; 0 when no attempt is due)."""
        now = self.source._clock()
        retry_at = now + retry_in if retry_in > 0 else 0.0
        if self._state == (state, reason) and not retry_at:
            return
        if self._state != (state, reason):
            self._since = now
        self._state = (state, reason)
        self.emit(
            Health(
                SourceHealth(
                    cluster=self.cluster.name,
                    source=self.health_name,
                    state=state,
                    since=self._since,
                    reason=reason,
                    kinds=(self.kind,),
                    retry_at=retry_at,
                )
            )
        )

    def where(self) -> str:
        if self.namespace:
            return f"{self.spec.plural} in {self.namespace}"
        return f"{self.spec.plural} (cluster-wide)" if self.spec.namespaced else self.spec.plural

    # -- loop ------------------------------------------------------------------------------

    def run(self) -> None:
        attempt = 0
        self.health("connecting")
        while not self.stop.is_set():
            epoch = self.http.credentials_epoch  # before the attempt: a recovery during it counts
            try:
                if self.watch_list:
                    try:
                        self.stream_list()
                    except _NoWatchList:
                        log.debug("%s %s: no watch-list", self.source.name, self.spec.plural)
                        self.watch_list = False
                        self.relist()
                else:
                    self.relist()
                attempt = 0
                self.health("live")
                self.watch_until_gone()
            except _Stopped:
                return
            except _Gone:
                continue  # relist at once
            except ApiStatusError as exc:
                if self.stop.is_set():
                    return
                if exc.status == 410:
                    continue  # a list's continue token expired: list again from the start
                if exc.status == 404 and self.spec.velero:
                    self.health("absent", "Velero not installed", self.tuning.absent_retry)
                    self._drop_all()
                    self.stop.wait(self.tuning.absent_retry)
                    continue
                forbidden = exc.status == 403 and not exc.unauthenticated
                if forbidden and self.spec.velero and not self.namespace:
                    # Many users may read Velero only in its own namespace: look there.
                    self.namespace = self.source.velero_namespace
                    continue
                reason = describe_error(exc, self.cluster, "list", self.where())
                if forbidden and self.spec.forbidden:
                    reason = self.spec.forbidden
                if forbidden:
                    self.retry(reason, self.tuning.forbidden_retry)
                    continue
                attempt += 1
                self.retry(reason, self.backoff(attempt), epoch)
            except BadPathSegment as exc:
                # Only a config that skipped validation gets here: no request can be right.
                self.health("error", f"refused: {exc}")
                self.stop.wait()
                return
            except AnswerTooLarge as exc:
                if self.stop.is_set():
                    return
                what = f"{self.cluster.short} {self.spec.plural}"
                reason = f"{exc.what} over {mib(exc.limit)} from {what}; reconnecting"
                attempt += 1
                self.retry(reason, self.backoff(attempt), epoch)
            except Exception as exc:  # every other failure: report, back off, retry
                if self.stop.is_set():
                    return
                if is_internal_error(exc):
                    # A bug or a broken install, not the network: say so, and do not hammer.
                    log.error(
                        "%s %s: internal error", self.source.name, self.spec.plural, exc_info=True
                    )
                    self.retry(internal_reason(exc), self.tuning.internal_retry)
                    continue
                if is_config_error(exc):
                    reason = f"cannot load credentials: {exc}"[:200]
                else:
                    reason = describe_error(exc, self.cluster, "list", self.where())
                log.debug("%s %s failed", self.source.name, self.spec.plural, exc_info=True)
                attempt += 1
                self.retry(reason, self.backoff(attempt), epoch)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after ``attempt`` failures in a row (``backends.retry``)."""
        return backoff(attempt, base=self.tuning.backoff_base, cap=self.tuning.backoff_cap)

    def retry(self, reason: str, seconds: float, epoch: int | None = None) -> None:
        """Report the failure with the time of the next attempt (the badge counts down to it),
        then wait that long. With ``epoch`` (a backoff), the wait is cut short when the
        context's credentials work again (another kind got through), so every kind of it
        retries at once; without it (403, internal error), only ``stop`` ends it early."""
        self.health("error", reason, seconds)
        if epoch is None:
            self.stop.wait(seconds)
        else:
            self.http.wait_retry(seconds, self.stop, epoch)

    def _drop_all(self) -> None:
        if self.shared:
            if self._keys:
                self.emit(Deleted(self.cluster.name, self.kind, tuple(self._keys)))
                self._keys.clear()
        else:
            self.emit(Replaced(self.cluster.name, self.kind, ()))

    # -- list ------------------------------------------------------------------------------

    def relist(self) -> None:
        """List in pages, emitting each as it arrives; end with Replaced (or Deleted)."""
        kind, cluster = self.kind, self.cluster.name
        reduce = self.reduce
        path = self.spec.path(self.namespace)
        items: list[Resource] = []
        seen: set[str] = set()
        token = ""
        timeout = (self.tuning.connect_timeout, self.tuning.read_timeout)
        while True:
            limit = self.tuning.page_size if token else self.tuning.first_page_size
            query: list[tuple[str, Any]] = [("limit", limit)]
            if token:
                query.append(("continue", token))
            accept = self._wire(query)
            resp = self.http.request(
                "GET", path, query, accept=accept, timeout=timeout, gzip=self.tuning.gzip_lists
            )
            data = self.http.read_all(resp, self.tuning.max_answer_bytes)
            if self.stop.is_set():
                raise _Stopped
            page = parse_page(data)
            del data
            if not isinstance(page, dict):
                raise orjson.JSONDecodeError("not a list", "", 0)
            with answer_shape():
                if self.table:
                    objs = tuple(self._objects(page))
                elif isinstance(page.get("items"), list):
                    objs = tuple(reduce(o) for o in page["items"])
                else:
                    raise orjson.JSONDecodeError("not a list", "", 0)
                meta: Obj = page.get("metadata") or {}
                if not isinstance(meta, dict):
                    raise MalformedAnswer("list metadata is not an object")
            del page
            if objs:
                self.emit(Upserted(cluster, kind, objs))
            if self.shared:
                seen.update(map(self.identity, objs))
            else:
                items.extend(objs)
            token = meta.get("continue") or ""
            if not token:
                self.resource_version = str(meta.get("resourceVersion") or "")
                break
        self._listed(items, seen)

    def _listed(self, items: list[Resource], seen: set[str]) -> None:
        """A complete list arrived: Replaced, or (shared) Deleted for what vanished."""
        kind, cluster = self.kind, self.cluster.name
        if self.shared:
            gone = self._keys - seen
            if gone:
                self.emit(Deleted(cluster, kind, tuple(gone)))
            self._keys = seen
        else:
            self.emit(Replaced(cluster, kind, tuple(items)))

    def stream_list(self) -> None:
        """List as a watch (watch-list, KEP-3157): the initial state arrives as ADDED events,
        emitted as they come, up to the BOOKMARK annotated ``k8s.io/initial-events-end``; the
        same stream then goes on as the watch, until the server ends it.

        Raises _NoWatchList when the server refuses the request (400/422, as a server with the
        WatchList feature off does) or ignores it (a change or a plain bookmark before the
        end bookmark, or the stream ends first): the caller then lists in pages.
        """
        query: list[tuple[str, Any]] = [
            ("watch", "true"),
            ("sendInitialEvents", "true"),
            ("resourceVersionMatch", "NotOlderThan"),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", self.tuning.watch_seconds),
        ]
        accept = self._wire(query)
        timeout = (self.tuning.connect_timeout, self.tuning.watch_idle)
        try:
            resp = self.http.request(
                "GET", self.spec.path(self.namespace), query, accept=accept, timeout=timeout
            )
        except ApiStatusError as exc:
            if exc.status in (400, 422):
                raise _NoWatchList from None
            raise
        items: list[Resource] = []
        seen: set[str] = set()
        listing = True
        complete = False
        try:
            with self.http.opened(resp):
                for lines in read_lines(resp, self.tuning.max_line_bytes):
                    if self.stop.is_set():
                        raise _Stopped
                    with answer_shape():
                        if listing:
                            rest = self._initial(lines, items, seen)
                            if rest is None:
                                continue
                            listing = False
                            self._listed(items, seen)
                            items, seen = [], set()
                            self.health("live")
                            lines = rest
                        self.apply_lines(lines)
            complete = True
        except _FATAL:
            raise
        except Exception:
            if listing or self.stop.is_set():
                raise
            # The list is complete and the watch dropped: the caller resumes it from its
            # resourceVersion, as after any dropped watch.
            log.debug("%s %s watch-list dropped", self.source.name, self.spec.plural)
            return
        finally:
            release(resp, complete)
        if listing:
            raise _NoWatchList

    def _initial(
        self, lines: list[bytes], items: list[Resource], seen: set[str]
    ) -> list[bytes] | None:
        """Take a burst of a watch-list's initial events; emit its objects. Return the lines
        after the end bookmark (the watch proper), or None while the initial state goes on."""
        objs: list[Resource] = []
        rest: list[bytes] | None = None
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            event = orjson.loads(line)
            etype = event.get("type")
            obj = event.get("object") or {}
            if not isinstance(obj, dict):
                raise MalformedAnswer("watch event object is not an object")
            if etype == "ADDED":
                objs.extend(self._objects(obj) if self.table else [self.reduce(obj)])
                continue
            if etype == "ERROR":
                if obj.get("code") == 410:
                    raise _Gone
                raise ApiStatusError(
                    int(obj.get("code") or 500),
                    str(obj.get("reason", "")),
                    str(obj.get("message", "")),
                )
            meta = _bookmark_meta(obj) if etype == "BOOKMARK" else {}
            annotations = meta.get("annotations") or {}
            if not isinstance(annotations, dict) or annotations.get(INITIAL_EVENTS_END) != "true":
                raise _NoWatchList  # a server that ignored sendInitialEvents
            self.resource_version = str(meta.get("resourceVersion") or "")
            rest = lines[i + 1 :]
            break
        if objs:
            self.emit(Upserted(self.cluster.name, self.kind, tuple(objs)))
            if self.shared:
                seen.update(map(self.identity, objs))
            else:
                items.extend(objs)
        return rest

    # -- watch -----------------------------------------------------------------------------

    def watch_until_gone(self) -> None:
        """Watch, resuming from the last resourceVersion when a stream ends or drops.

        A dropped stream is resumed at once (no relist: nothing was missed); a few drops in a
        row, or a failing request, go back to the caller, which backs off and relists.
        """
        drops = 0
        while not self.stop.is_set():
            try:
                delivered = self.watch()
            except _FATAL:
                raise
            except Exception as exc:
                if self.stop.is_set():
                    raise _Stopped from None
                if "timed out" in str(exc).lower():
                    continue  # a quiet watch, not a broken one: resume from the same version
                drops += 1
                if drops >= 3:
                    raise
                log.debug("%s %s watch dropped", self.source.name, self.spec.plural)
                if self.stop.wait(min(0.1 * drops, 1.0)):
                    raise _Stopped from None
                continue
            if delivered:
                drops = 0

    def watch(self) -> bool:
        """One watch request from the last resourceVersion until the server ends it."""
        query: list[tuple[str, Any]] = [
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", self.tuning.watch_seconds),
        ]
        if self.resource_version:
            query.append(("resourceVersion", self.resource_version))
        accept = self._wire(query)
        timeout = (self.tuning.connect_timeout, self.tuning.watch_idle)
        resp = self.http.request(
            "GET", self.spec.path(self.namespace), query, accept=accept, timeout=timeout
        )
        self.health("live")
        delivered = complete = False
        try:
            with self.http.opened(resp):
                for lines in read_lines(resp, self.tuning.max_line_bytes):
                    if self.stop.is_set():
                        raise _Stopped
                    with answer_shape():
                        self.apply_lines(lines)
                    delivered = True
            complete = True
        finally:
            release(resp, complete)
        return delivered

    def apply_lines(self, lines: list[bytes]) -> None:
        """Turn a burst of watch events into as few store events as order allows."""
        kind, cluster = self.kind, self.cluster.name
        reduce = self.reduce
        upserts: list[Resource] = []
        deletes: list[str] = []

        def flush() -> None:
            if upserts:
                self.emit(Upserted(cluster, kind, tuple(upserts)))
                upserts.clear()
            if deletes:
                self.emit(Deleted(cluster, kind, tuple(deletes)))
                deletes.clear()

        heartbeat = False
        for line in lines:
            if not line.strip():
                continue
            event = orjson.loads(line)
            etype = event.get("type")
            obj = event.get("object") or {}
            if etype == "ERROR":
                flush()
                code = obj.get("code")
                if code == 410:
                    self.resource_version = ""
                    raise _Gone
                raise ApiStatusError(
                    int(code or 500), str(obj.get("reason", "")), str(obj.get("message", ""))
                )
            rv = (obj.get("metadata") or {}).get("resourceVersion")
            if etype == "BOOKMARK":
                heartbeat = True
                if not rv and self.table:
                    rows = obj.get("rows") or [{}]
                    rv = ((rows[0].get("object") or {}).get("metadata") or {}).get(
                        "resourceVersion"
                    )
            elif etype in ("ADDED", "MODIFIED", "DELETED"):
                if self.table:
                    resources = self._objects(obj)
                    for row in obj.get("rows") or ():
                        rv = ((row.get("object") or {}).get("metadata") or {}).get(
                            "resourceVersion", rv
                        )
                else:
                    resources = [reduce(obj)]
                if etype == "DELETED":
                    if upserts:
                        flush()
                    for resource in resources:
                        deletes.append(self.identity(resource))
                        if self.shared:
                            self._keys.discard(self.identity(resource))
                else:
                    if deletes:
                        flush()
                    upserts.extend(resources)
                    if self.shared:
                        self._keys.update(map(self.identity, resources))
            if rv:
                self.resource_version = str(rv)
        flush()
        if heartbeat:
            # No object changed, but the watch is alive: an empty Upserted tells the store the
            # data is fresh, so a quiet cluster is not shown as stale.
            self.emit(Upserted(cluster, kind, ()))


_FATAL = (
    _Gone,
    _Stopped,
    _NoWatchList,
    ApiStatusError,
    orjson.JSONDecodeError,
    MalformedAnswer,
    AnswerTooLarge,
)
"""What ends a watch for the caller to handle (relist, back off); other errors drop it."""


def _key(obj: Resource) -> str:
    return obj.key


def _bookmark_meta(obj: Obj) -> Obj:
    """A BOOKMARK's metadata: the object's own, or (Table) its row's object's."""
    meta = obj.get("metadata")
    if obj.get("kind") == "Table" or not (isinstance(meta, dict) and meta.get("resourceVersion")):
        rows = obj.get("rows")
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            inner = rows[0].get("object")
            if isinstance(inner, dict) and isinstance(inner.get("metadata"), dict):
                return inner["metadata"]  # type: ignore[no-any-return]
    return meta if isinstance(meta, dict) else {}


def kube_sources(
    config: Config,
    clusters: list[Cluster],
    kube_config_loader: ApiClientLoader | None = None,
    *,
    tuning: KubeTuning | None = None,
) -> list[KubeSource]:
    """One KubeSource per cluster, with its ClusterConfig (namespaces) when the config has one.

    Imports the kubernetes client here, once, before any source thread starts (see
    :func:`preload`); a broken install then shows as an internal error in every badge.
    """
    try:
        preload()
    except Exception:  # reported by each source, with its traceback in the log
        log.debug("preload failed", exc_info=True)
    by_name = {c.context: c for c in config.clusters}
    return [
        KubeSource(
            c,
            by_name.get(c.name) or ClusterConfig(context=c.name),
            kube_config_loader,
            tuning=tuning or KubeTuning(exec_timeout=config.kubernetes.exec_timeout),
        )
        for c in clusters
    ]
