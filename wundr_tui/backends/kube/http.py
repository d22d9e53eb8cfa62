"""Raw requests to one context's apiserver through the official ``kubernetes`` client.

The client loads kubeconfig (tokens, certificates, exec plugins such as ``aws eks get-token``
and ``gke-gcloud-auth-plugin``) and sends the requests; its model objects are never built.
Answers are read raw and parsed with orjson (see docs/performance.md). Failures become
:class:`ApiStatusError` and, for people, :func:`describe_error`.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from wundr_tui.backends.kube.contexts import kubeconfig_paths
from wundr_tui.gcpolicy import GcPause as _GcPause
from wundr_tui.model import Cluster

log = logging.getLogger(__name__)

ApiClientLoader = Callable[[str], Any]
"""Context name → a ``kubernetes.client.ApiClient`` for it (called again after a 401)."""


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


def is_config_error(exc: BaseException) -> bool:
    """The client could not load kubeconfig or credentials (its ``ConfigException``)."""
    return type(exc).__name__ == "ConfigException"
