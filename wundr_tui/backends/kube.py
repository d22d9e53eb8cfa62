"""Live Kubernetes: list then watch every kind the panes show, one source per context.

The official ``kubernetes`` client loads kubeconfig (tokens, certificates, exec plugins such as
``aws eks get-token`` and ``gke-gcloud-auth-plugin``) and sends the requests; its model objects
are never built. Lists come in pages (``limit``/``continue``) and each page is parsed with orjson
and reduced to the model's few fields before the next one is read; watches are read as a raw
chunked stream, one JSON event per line. See docs/performance.md for the measurements.

List requests send ``Accept-Encoding: gzip``, as kubectl and every client-go program do (Go's
transport adds it): kube-apiserver then gzips any answer over 128 KiB, which a 500-pod page is
(about a tenth of the bytes on the wire). Watches do not ask: kube-apiserver (1.30-1.36) never
compresses a watch stream, whatever the client sends.

Failure is normal: each kind of each context has its own thread and its own health
(connecting / live / error / absent); errors retry forever with capped, jittered backoff.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import orjson

from wundr_tui.backends.base import Emit, OperationError, Permission
from wundr_tui.backends.kube_parse import KIND_SPECS, KindSpec, Obj, pod_from_row, table_columns
from wundr_tui.backends.kubeconfig import (
    KubeconfigError,
    cluster_for,
    discover_clusters,
    kubeconfig_paths,
)
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.events import ClusterSeen, Deleted, Health, Replaced, Upserted
from wundr_tui.gcpause import GcPause as _GcPause
from wundr_tui.model import Cluster, HealthState, Kind, Resource, SourceHealth

log = logging.getLogger(__name__)

ApiClientLoader = Callable[[str], Any]
"""Context name → a ``kubernetes.client.ApiClient`` for it (called again after a 401)."""

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
"""The server-side Table format (what kubectl prints)."""

PodFormat = Literal["table", "json"]
"""How pods travel: server-side Table rows with object metadata, or whole objects as JSON."""


class _PluginStdout:
    """Tells the client's exec provider that nobody is at a terminal."""

    def isatty(self) -> bool:
        """Never a terminal."""
        return False


class _PluginSys:
    """What ``kubernetes.config.exec_provider`` sees as ``sys``."""

    platform = sys.platform
    stdout = _PluginStdout()
    stderr = None
    stdin = None


def _keep_exec_plugins_off_the_terminal() -> None:
    """Exec credential plugins must not write to (or read from) the terminal the TUI owns.

    The client decides "interactive" from ``sys.stdout.isatty()`` and then hands the plugin
    our stdin and stderr: an expired ``aws sso`` session would print over the screen. Made
    non-interactive, the plugin's stderr is piped and its message reaches the badge instead.
    """
    from kubernetes.config import exec_provider

    exec_provider.sys = _PluginSys  # type: ignore[assignment,attr-defined]


def load_api_client(context: str) -> Any:
    """An ApiClient for one kubeconfig context, read as kubectl does (``KUBECONFIG`` merged).

    Exec credential plugins run here; calling this again re-runs them (fresh tokens).
    """
    from kubernetes import client as kclient
    from kubernetes import config as kconfig

    _keep_exec_plugins_off_the_terminal()
    configuration = kclient.Configuration()
    configuration.connection_pool_maxsize = 32  # one stream per kind, plus operations
    paths = os.pathsep.join(str(p) for p in kubeconfig_paths())
    load: Any = kconfig.load_kube_config
    load(
        config_file=paths,
        context=context,
        client_configuration=configuration,
        persist_config=False,
    )
    return kclient.ApiClient(configuration=configuration)


class ApiStatusError(Exception):
    """The apiserver answered with an error status."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(f"{status} {reason}: {message}" if message else f"{status} {reason}")
        self.status = status
        """HTTP status code."""
        self.reason = reason
        """The Status object's reason (Forbidden, Conflict...) or the HTTP reason."""
        self.message = message
        """The Status object's message."""

    @property
    def unauthenticated(self) -> bool:
        """401, or a 403 for ``system:anonymous``: the credentials are missing or expired
        (an exec plugin that failed sends no token at all)."""
        return self.status == 401 or (self.status == 403 and "system:anonymous" in self.message)


def parse_page(data: bytes) -> Any:
    """Parse one list page (see _GcPause for why the collector waits)."""
    with _GcPause():
        return orjson.loads(data)


class _Gone(Exception):
    """The watch's resourceVersion is too old (410): relist."""


class _Stopped(Exception):
    """``stop`` was set while waiting."""


def _status_error(status: int, body: bytes, http_reason: str = "") -> ApiStatusError:
    reason, message = http_reason, ""
    try:
        data = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        reason = str(data.get("reason") or reason)
        message = str(data.get("message") or "")
    elif body:
        message = body[:200].decode("utf-8", "replace").strip()
    return ApiStatusError(status, reason, message)


class KubeHttp:
    """Raw requests to one context's apiserver through the kubernetes client.

    One ApiClient per context, shared by that context's threads; after a 401 it is dropped and
    the next request loads kubeconfig again, which re-runs an exec plugin for a fresh token.
    """

    def __init__(self, context: str, loader: ApiClientLoader = load_api_client) -> None:
        self.context = context
        """The kubeconfig context."""
        self._loader = loader
        self._lock = threading.Lock()
        self._client: Any = None
        self._generation = 0
        self._open: set[Any] = set()

    def client(self) -> tuple[Any, int]:
        """The current ApiClient and its generation (loading it if needed)."""
        with self._lock:
            if self._client is None:
                self._client = self._loader(self.context)
                self._generation += 1
            return self._client, self._generation

    def invalidate(self, generation: int) -> None:
        """Forget the client of this generation so the next request reloads credentials."""
        with self._lock:
            if self._client is not None and generation == self._generation:
                client, self._client = self._client, None
                try:
                    client.close()
                except Exception:  # closing is best effort
                    log.debug("closing ApiClient failed", exc_info=True)

    def request(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, Any]] = (),
        *,
        body: Any = None,
        content_type: str = "",
        accept: str = "application/json",
        timeout: tuple[float, float] = (10.0, 60.0),
        gzip: bool = False,
    ) -> Any:
        """Send one request; return the open urllib3 response (2xx) or raise ApiStatusError.

        With ``gzip``, ask for a compressed answer (``Accept-Encoding: gzip``; without it the
        Python client sends ``identity``); urllib3 inflates it as it is read.
        The caller reads and releases the response (see :meth:`opened`).
        """
        client, generation = self.client()
        headers: dict[str, str] = {"Accept": accept}
        if gzip:
            headers["Accept-Encoding"] = "gzip"
        if content_type:
            headers["Content-Type"] = content_type
        method, url, headers, body, _ = client.param_serialize(
            method,
            path,
            query_params=list(query),
            header_params=headers,
            body=body,
            auth_settings=["BearerToken"],
        )
        rest = client.call_api(method, url, headers, body, _request_timeout=timeout)
        resp = rest.response
        if not 200 <= resp.status <= 299:
            data = self.read_all(resp)
            error = _status_error(resp.status, data, resp.reason or "")
            if error.unauthenticated:
                self.invalidate(generation)
            raise error
        return resp

    def json(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, Any]] = (),
        **kwargs: Any,
    ) -> Any:
        """Send one request and parse the whole (small) answer."""
        data = self.read_all(self.request(method, path, query, **kwargs))
        return orjson.loads(data) if data else None

    def read_all(self, resp: Any) -> bytes:
        """Read a whole answer (interruptible by :meth:`interrupt`) and release it."""
        complete = False
        try:
            with self.opened(resp):
                data: bytes = resp.read()
            complete = True
            return data
        finally:
            release(resp, complete)

    class _Opened:
        def __init__(self, owner: KubeHttp, resp: Any) -> None:
            self.owner, self.resp = owner, resp

        def __enter__(self) -> Any:
            with self.owner._lock:
                self.owner._open.add(self.resp)
            return self.resp

        def __exit__(self, *exc: object) -> None:
            with self.owner._lock:
                self.owner._open.discard(self.resp)

    def opened(self, resp: Any) -> KubeHttp._Opened:
        """Track a response while it is read, so :meth:`interrupt` can end a blocked read."""
        return KubeHttp._Opened(self, resp)

    def interrupt(self) -> None:
        """End every blocked read now (used when stopping)."""
        with self._lock:
            responses = list(self._open)
        for resp in responses:
            try:
                if hasattr(resp, "shutdown"):
                    resp.shutdown()
                else:
                    resp.close()
            except Exception:  # the reader sees its read fail, which is the point
                log.debug("interrupting a response failed", exc_info=True)

    def close(self) -> None:
        """Interrupt reads and close the client."""
        self.interrupt()
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:
                log.debug("closing ApiClient failed", exc_info=True)


def release(resp: Any, complete: bool) -> None:
    """Give a response's connection back to the pool; close it first unless it was read to
    the end (a half-read stream would corrupt the next request on that connection)."""
    if not complete:
        try:
            resp.close()
        except Exception:
            log.debug("closing a response failed", exc_info=True)
    resp.release_conn()


def describe_error(exc: BaseException, cluster: Cluster, verb: str, what: str) -> str:
    """A reason an on-call engineer understands, for a failed request."""
    if isinstance(exc, ApiStatusError):
        if exc.unauthenticated:
            if cluster.cloud == "aws":
                return "credentials expired — run `aws sso login`"
            if cluster.cloud == "gcp":
                return "credentials expired — run `gcloud auth login`"
            return "credentials rejected (401) — refresh the credentials in kubeconfig"
        if exc.status == 403:
            return f"forbidden: cannot {verb} {what}"
        if exc.status == 404:
            return f"not found: {what}"
        if exc.status == 429:
            return "apiserver is throttling requests (429)"
        detail = f": {exc.message}" if exc.message else ""
        return f"apiserver answered {exc.status} {exc.reason}{detail}"[:200]
    if isinstance(exc, orjson.JSONDecodeError):
        return "malformed answer from the apiserver (not JSON)"
    text = f"{type(exc).__name__}: {exc}"
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return "cannot resolve the apiserver's host name"
    if "read timed out" in lowered or "readtimeout" in lowered:
        return "the apiserver stopped answering (read timed out)"
    if "timed out" in lowered or "timeout" in lowered:
        return "connection timed out"
    if "certificate" in lowered or "ssl" in lowered:
        return "TLS error talking to the apiserver (certificate?)"
    if "exec" in lowered and "plugin" in lowered:
        return f"credential plugin failed: {exc}"[:200]
    if (
        "protocol" in lowered
        or "connection" in lowered
        or "incomplete" in lowered
        or "reset" in lowered
    ):
        return "connection lost"
    return text[:200]


def _is_config_error(exc: BaseException) -> bool:
    return type(exc).__name__ == "ConfigException"


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


class KubeSource:
    """List then watch pods, deployments, services, HPAs, nodes and Velero objects of one
    kubeconfig context; one thread per kind (and per namespace when the config names some)."""

    def __init__(
        self,
        cluster: Cluster,
        cluster_config: ClusterConfig | None = None,
        kube_config_loader: ApiClientLoader = load_api_client,
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
            s for s in KIND_SPECS if wanted is None or s.kind in wanted
        )
        """The kinds watched."""
        self.tuning = tuning or KubeTuning()
        """Timings and sizes."""
        self.http = KubeHttp(self.context, kube_config_loader)
        """The context's client."""
        self._clock = clock
        self.pod_format: PodFormat = pod_format
        """Wire format for pods (see docs/performance.md for why Table is the default)."""
        self.velero_namespace = velero_namespace
        """Where Velero lives, watched when listing it cluster-wide is forbidden."""

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Watch every kind until ``stop`` is set; never raises for I/O failures."""
        emit(ClusterSeen(self.cluster))
        threads = []
        namespaces = self.cluster_config.namespaces or ("",)
        for spec in self.specs:
            scopes = namespaces if spec.namespaced and not spec.velero else ("",)
            for ns in scopes:
                watcher = _KindWatcher(self, spec, ns, len(scopes) > 1, emit, stop)
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
        self._keys: set[str] = set()
        self.resource_version = ""
        self.table = spec.kind is Kind.POD and source.pod_format == "table"
        """Pods as Table rows (``includeObject=Metadata``) instead of whole objects."""
        self.columns: dict[str, int] = {}

    def _wire(self, query: list[tuple[str, Any]]) -> str:
        """Add the format's query parameters; return the Accept header."""
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
                return [self.spec.reduce(o) for o in items]
            return [self.spec.reduce(container)]
        columns = table_columns(container.get("columnDefinitions"))
        if columns:
            self.columns = columns
        rows = container.get("rows")
        if not isinstance(rows, list):
            raise orjson.JSONDecodeError("a Table without rows", "", 0)
        return [pod_from_row(r, self.columns) for r in rows]

    # -- health ----------------------------------------------------------------------------

    def health(self, state: HealthState, reason: str = "") -> None:
        if self._state == (state, reason):
            return
        self._state = (state, reason)
        self.emit(
            Health(
                SourceHealth(
                    cluster=self.cluster.name,
                    source=self.health_name,
                    state=state,
                    since=self.source._clock(),
                    reason=reason,
                    kinds=(self.spec.kind,),
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
            try:
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
                    self.health("absent", "Velero not installed")
                    self._drop_all()
                    self.stop.wait(self.tuning.absent_retry)
                    continue
                forbidden = exc.status == 403 and not exc.unauthenticated
                if forbidden and self.spec.velero and not self.namespace:
                    # Many users may read Velero only in its own namespace: look there.
                    self.namespace = self.source.velero_namespace
                    continue
                self.health("error", describe_error(exc, self.cluster, "list", self.where()))
                if forbidden:
                    self.stop.wait(self.tuning.forbidden_retry)
                    continue
                attempt += 1
                self.backoff(attempt)
            except Exception as exc:  # every other failure: report, back off, retry
                if self.stop.is_set():
                    return
                if _is_config_error(exc):
                    reason = f"cannot load credentials: {exc}"[:200]
                else:
                    reason = describe_error(exc, self.cluster, "list", self.where())
                log.debug("%s %s failed", self.source.name, self.spec.plural, exc_info=True)
                self.health("error", reason)
                attempt += 1
                self.backoff(attempt)

    def backoff(self, attempt: int) -> None:
        ceiling = min(self.tuning.backoff_cap, self.tuning.backoff_base * 2 ** min(attempt, 20))
        self.stop.wait(random.uniform(ceiling / 2, ceiling))

    def _drop_all(self) -> None:
        if self.shared:
            if self._keys:
                self.emit(Deleted(self.cluster.name, self.spec.kind, tuple(self._keys)))
                self._keys.clear()
        else:
            self.emit(Replaced(self.cluster.name, self.spec.kind, ()))

    # -- list ------------------------------------------------------------------------------

    def relist(self) -> None:
        """List in pages, emitting each as it arrives; end with Replaced (or Deleted)."""
        kind, cluster = self.spec.kind, self.cluster.name
        reduce = self.spec.reduce
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
            data = self.http.read_all(resp)
            if self.stop.is_set():
                raise _Stopped
            page = parse_page(data)
            del data
            if not isinstance(page, dict):
                raise orjson.JSONDecodeError("not a list", "", 0)
            if self.table:
                objs = tuple(self._objects(page))
            elif isinstance(page.get("items"), list):
                objs = tuple(reduce(o) for o in page["items"])
            else:
                raise orjson.JSONDecodeError("not a list", "", 0)
            meta: Obj = page.get("metadata") or {}
            del page
            if objs:
                self.emit(Upserted(cluster, kind, objs))
            if self.shared:
                seen.update(o.key for o in objs)
            else:
                items.extend(objs)
            token = meta.get("continue") or ""
            if not token:
                self.resource_version = str(meta.get("resourceVersion") or "")
                break
        if self.shared:
            gone = self._keys - seen
            if gone:
                self.emit(Deleted(cluster, kind, tuple(gone)))
            self._keys = seen
        else:
            self.emit(Replaced(cluster, kind, tuple(items)))

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
            except (_Gone, _Stopped, ApiStatusError, orjson.JSONDecodeError):
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
                for lines in _lines(resp):
                    if self.stop.is_set():
                        raise _Stopped
                    self.apply_lines(lines)
                    delivered = True
            complete = True
        finally:
            release(resp, complete)
        return delivered

    def apply_lines(self, lines: list[bytes]) -> None:
        """Turn a burst of watch events into as few store events as order allows."""
        kind, cluster = self.spec.kind, self.cluster.name
        reduce = self.spec.reduce
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
                        deletes.append(resource.key)
                        if self.shared:
                            self._keys.discard(resource.key)
                else:
                    if deletes:
                        flush()
                    upserts.extend(resources)
                    if self.shared:
                        self._keys.update(r.key for r in resources)
            if rv:
                self.resource_version = str(rv)
        flush()
        if heartbeat:
            # No object changed, but the watch is alive: an empty Upserted tells the store the
            # data is fresh, so a quiet cluster is not shown as stale.
            self.emit(Upserted(cluster, kind, ()))


def _lines(resp: Any) -> Iterator[list[bytes]]:
    """Complete lines of a streamed response, in the bursts they arrived in."""
    rest = b""
    for chunk in resp.stream(65536, decode_content=True):
        if b"\n" not in chunk:
            rest += chunk
            continue
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        yield parts
    if rest.strip():
        yield [rest]


# -- operations ------------------------------------------------------------------------------

_GROUPS = {
    "pods": "",
    "services": "",
    "nodes": "",
    "namespaces": "",
    "deployments": "apps",
    "replicasets": "apps",
    "statefulsets": "apps",
    "horizontalpodautoscalers": "autoscaling",
    "schedules": "velero.io",
    "backups": "velero.io",
    "restores": "velero.io",
}


class KubeOperator:
    """Kubernetes actions for every watched context: scale, switch a Service selector, change
    HPA bounds, create a Velero Restore; each can run as a server-side dry run first."""

    def __init__(
        self,
        config: Config,
        clusters: Iterable[Cluster],
        kube_config_loader: ApiClientLoader = load_api_client,
        *,
        velero_namespace: str = "velero",
        timeout: tuple[float, float] = (10.0, 30.0),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.clusters: dict[str, Cluster] = {c.name: c for c in clusters}
        """Known clusters by context name."""
        self.read_only = config.read_only
        """Refuse every change on every cluster."""
        self.read_only_contexts = {c.context for c in config.clusters if c.read_only}
        """Contexts the config marks read-only."""
        self.velero_namespace = velero_namespace
        """Where Velero's Restores are created."""
        self._loader = kube_config_loader
        self._timeout = timeout
        self._clock = clock
        self._http: dict[str, KubeHttp] = {}
        self._lock = threading.Lock()
        self.can_ttl = 60.0
        """Seconds an access review answer is reused (the UI asks often; RBAC rarely changes)."""
        self._can_cache: dict[tuple[str, str, str, str], tuple[float, Permission]] = {}

    def http(self, cluster: str) -> KubeHttp:
        """The client of one context (created on first use)."""
        if cluster not in self.clusters:
            raise OperationError(f"unknown cluster {cluster!r}")
        with self._lock:
            http = self._http.get(cluster)
            if http is None:
                http = self._http[cluster] = KubeHttp(cluster, self._loader)
            return http

    def close(self) -> None:
        """Close every client."""
        with self._lock:
            https, self._http = list(self._http.values()), {}
        for http in https:
            http.close()

    def _writable(self, cluster: str) -> None:
        c = self.clusters.get(cluster)
        if c is None:
            raise OperationError(f"unknown cluster {cluster!r}")
        if self.read_only or c.read_only or cluster in self.read_only_contexts:
            raise OperationError(f"{c.short} is read-only: nothing was changed")

    def _send(
        self,
        cluster: str,
        method: str,
        path: str,
        what: str,
        *,
        body: Any = None,
        content_type: str = "",
        dry_run: bool = False,
    ) -> Any:
        query: list[tuple[str, Any]] = [("dryRun", "All")] if dry_run else []
        if method == "POST" and not content_type:
            content_type = "application/json"
        try:
            return self.http(cluster).json(
                method,
                path,
                query,
                body=body,
                content_type=content_type,
                timeout=self._timeout,
            )
        except OperationError:
            raise
        except ApiStatusError as exc:
            raise _operation_error(exc, self.clusters[cluster], method, what) from None
        except Exception as exc:
            if _is_config_error(exc):
                raise OperationError(
                    f"cannot load credentials for {self.clusters[cluster].short}: {exc}"
                ) from None
            reason = describe_error(exc, self.clusters[cluster], method.lower(), what)
            raise OperationError(f"cannot reach {self.clusters[cluster].short}: {reason}") from None

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Ask the apiserver (SelfSubjectAccessReview) whether this user may ``verb`` the
        ``resource`` (``deployments/scale``, ``services``, ``restores.velero.io``)."""
        c = self.clusters.get(cluster)
        if c is None:
            return Permission(False, f"unknown cluster {cluster!r}")
        read_only = self.read_only or c.read_only or cluster in self.read_only_contexts
        if read_only and verb not in ("get", "list", "watch"):
            return Permission(False, f"{c.short} is read-only in wundr-tui")
        key = (cluster, verb, resource, namespace)
        cached = self._can_cache.get(key)
        if cached is not None and self._clock() - cached[0] < self.can_ttl:
            return cached[1]
        name, _, subresource = resource.partition("/")
        plural, _, group = name.partition(".")
        if not group:
            group = _GROUPS.get(plural, "")
        attributes: dict[str, str] = {"verb": verb, "resource": plural, "group": group}
        if subresource:
            attributes["subresource"] = subresource
        if namespace:
            attributes["namespace"] = namespace
        body = {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": attributes},
        }
        try:
            answer = self._send(
                cluster,
                "POST",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                "access reviews",
                body=body,
            )
        except OperationError as exc:
            return Permission(False, str(exc))
        status = (answer or {}).get("status") or {}
        if status.get("allowed"):
            permission = Permission(True)
        else:
            where = f" in {namespace}" if namespace else ""
            why = status.get("reason") or ""
            reason = f"forbidden: you may not {verb} {resource}{where}"
            permission = Permission(False, f"{reason} ({why})" if why else reason)
        self._can_cache[key] = (self._clock(), permission)
        return permission

    def scale_deployment(
        self,
        cluster: str,
        namespace: str,
        name: str,
        replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Set a deployment's replicas through the scale subresource."""
        self._writable(cluster)
        if replicas < 0:
            raise OperationError(f"replicas must be 0 or more, not {replicas}")
        patch: dict[str, Any] = {"spec": {"replicas": replicas}}
        if resource_version:
            patch["metadata"] = {"resourceVersion": resource_version}
        self._send(
            cluster,
            "PATCH",
            f"/apis/apps/v1/namespaces/{_q(namespace)}/deployments/{_q(name)}/scale",
            f"deployment {namespace}/{name}",
            body=patch,
            content_type="application/merge-patch+json",
            dry_run=dry_run,
        )

    def patch_service_selector(
        self,
        cluster: str,
        namespace: str,
        name: str,
        selector: Mapping[str, str],
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Merge-patch a Service's selector (keys given are set; others are kept)."""
        self._writable(cluster)
        if not selector:
            raise OperationError("refusing to patch an empty selector (it would match nothing)")
        patch: dict[str, Any] = {"spec": {"selector": dict(selector)}}
        if resource_version:
            patch["metadata"] = {"resourceVersion": resource_version}
        self._send(
            cluster,
            "PATCH",
            f"/api/v1/namespaces/{_q(namespace)}/services/{_q(name)}",
            f"service {namespace}/{name}",
            body=patch,
            content_type="application/merge-patch+json",
            dry_run=dry_run,
        )

    def patch_hpa_bounds(
        self,
        cluster: str,
        namespace: str,
        name: str,
        min_replicas: int,
        max_replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Change an HPA's minReplicas / maxReplicas."""
        self._writable(cluster)
        if min_replicas < 1 or max_replicas < min_replicas:
            raise OperationError(
                f"need 1 ≤ min ≤ max, got min {min_replicas} and max {max_replicas}"
            )
        patch: dict[str, Any] = {"spec": {"minReplicas": min_replicas, "maxReplicas": max_replicas}}
        if resource_version:
            patch["metadata"] = {"resourceVersion": resource_version}
        self._send(
            cluster,
            "PATCH",
            f"/apis/autoscaling/v2/namespaces/{_q(namespace)}/horizontalpodautoscalers/{_q(name)}",
            f"HPA {namespace}/{name}",
            body=patch,
            content_type="application/merge-patch+json",
            dry_run=dry_run,
        )

    def scale_node_pool(
        self,
        cluster: str,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
    ) -> None:
        """Node pools belong to the cloud (EKS / GKE backends), not to Kubernetes."""
        raise OperationError(f"node pool {pool} is scaled through the cloud's API, not Kubernetes")

    def create_restore(
        self,
        cluster: str,
        backup: str,
        included_namespaces: Sequence[str],
        namespace_mapping: Mapping[str, str],
        existing_resource_policy: str = "none",
        *,
        dry_run: bool = False,
    ) -> str:
        """Create a Velero Restore from a backup; return the Restore's name."""
        self._writable(cluster)
        if existing_resource_policy not in ("none", "update"):
            raise OperationError(
                f"existing resource policy must be none or update, not {existing_resource_policy!r}"
            )
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(self._clock()))
        name = f"{backup}-{stamp}"[:253]
        spec: dict[str, Any] = {
            "backupName": backup,
            "existingResourcePolicy": existing_resource_policy,
        }
        if included_namespaces:
            spec["includedNamespaces"] = list(included_namespaces)
        if namespace_mapping:
            spec["namespaceMapping"] = dict(namespace_mapping)
        body = {
            "apiVersion": "velero.io/v1",
            "kind": "Restore",
            "metadata": {"name": name, "namespace": self.velero_namespace},
            "spec": spec,
        }
        answer = self._send(
            cluster,
            "POST",
            f"/apis/velero.io/v1/namespaces/{_q(self.velero_namespace)}/restores",
            f"restore {name}",
            body=body,
            dry_run=dry_run,
        )
        return str(((answer or {}).get("metadata") or {}).get("name") or name)


def _q(segment: str) -> str:
    return quote(segment, safe="")


def _operation_error(
    exc: ApiStatusError, cluster: Cluster, method: str, what: str
) -> OperationError:
    verb = {"PATCH": "change", "POST": "create", "PUT": "replace", "DELETE": "delete"}.get(
        method, method.lower()
    )
    if exc.status == 409:
        return OperationError(
            f"{what} changed since it was read; look again and retry",
            status=409,
            conflict=True,
        )
    if exc.unauthenticated:
        return OperationError(describe_error(exc, cluster, verb, what), status=exc.status)
    if exc.status == 403:
        return OperationError(
            f"forbidden: you may not {verb} {what} on {cluster.short}", status=403
        )
    if exc.status == 404:
        return OperationError(f"{what} not found on {cluster.short}", status=404)
    if exc.status == 422:
        return OperationError(
            f"the apiserver rejected the change to {what}: {exc.message}", status=422
        )
    detail = f": {exc.message}" if exc.message else ""
    return OperationError(
        f"could not {verb} {what} on {cluster.short} ({exc.status} {exc.reason}{detail})",
        status=exc.status,
    )


def kube_sources(
    config: Config,
    clusters: list[Cluster],
    kube_config_loader: ApiClientLoader = load_api_client,
) -> list[KubeSource]:
    """One KubeSource per cluster, with its ClusterConfig (namespaces) when the config has one."""
    by_name = {c.context: c for c in config.clusters}
    return [
        KubeSource(c, by_name.get(c.name) or ClusterConfig(context=c.name), kube_config_loader)
        for c in clusters
    ]


__all__ = [
    "ApiClientLoader",
    "ApiStatusError",
    "KubeHttp",
    "KubeOperator",
    "KubeSource",
    "KubeTuning",
    "KubeconfigError",
    "cluster_for",
    "describe_error",
    "discover_clusters",
    "kube_sources",
    "load_api_client",
]
