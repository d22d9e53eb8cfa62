"""Raw requests to one context's apiserver through the official ``kubernetes`` client.

The client loads kubeconfig (tokens, certificates, exec plugins such as ``aws eks get-token``
and ``gke-gcloud-auth-plugin``) and sends the requests; its model objects are never built.
Answers are read raw and parsed with orjson (see docs/performance.md). Failures become
:class:`ApiStatusError` and, for people, :func:`describe_error`.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import orjson

from wundr_tui import USER_AGENT
from wundr_tui.backends.kube.contexts import kubeconfig_paths
from wundr_tui.backends.kube.credentials import (
    CREDENTIALS,
    EXEC_TIMEOUT,
    PROCESSES,
    ExecCredential,
    ExecPluginError,
    run_plugin,
)
from wundr_tui.gcpolicy import GcPause as _GcPause
from wundr_tui.model import Cluster
from wundr_tui.safe_text import safe

log = logging.getLogger(__name__)

ApiClientLoader = Callable[[str], Any]
"""Context name → a ``kubernetes.client.ApiClient`` for it (called again after a 401)."""


PRELOADED_MODULES = (
    "urllib3",
    "urllib3.exceptions",
    "urllib3.util.retry",
    "requests",  # kube_config imports it through google-auth and requests-oauthlib
    "requests.adapters",
    "requests.exceptions",
    "yaml",
    "kubernetes.client",
    "kubernetes.client.api_client",
    "kubernetes.client.configuration",
    "kubernetes.client.rest",
    "kubernetes.config.config_exception",
    "kubernetes.config.kube_config",
)
"""What a kube source imports on its threads, imported once by :func:`preload`."""

_PRELOAD_LOCK = threading.Lock()
_preloaded: BaseException | bool = False


def preload() -> None:
    """Import what kube sources use, once, before their threads start.

    Python's import lock does not make a module that another thread is still importing safe
    to use: several source threads importing the client at once sometimes saw ``module
    'requests' has no attribute 'exceptions'``. Called by the code that builds live sources
    (never for --help, --version or --demo) and again, as a no-op, by each source. A failure
    is kept and raised again to every caller, which reports it as an internal error.
    """
    global _preloaded
    with _PRELOAD_LOCK:
        if isinstance(_preloaded, BaseException):
            raise _preloaded
        if _preloaded:
            return
        try:
            for name in PRELOADED_MODULES:
                importlib.import_module(name)
        except Exception as exc:
            _preloaded = exc
            log.error("cannot import the kubernetes client", exc_info=True)
            raise
        _preloaded = True


def load_api_client(context: str, *, exec_timeout: float = EXEC_TIMEOUT) -> Any:
    """An ApiClient for one kubeconfig context, read as kubectl does (``KUBECONFIG`` merged).

    An ``exec`` credential plugin is run by :mod:`.credentials` (timeout ``exec_timeout``,
    never on our terminal) and its answer handed to the client as a token or certificate;
    a cached answer is reused until it expires or the apiserver rejects it.
    """
    preload()
    kclient: Any = importlib.import_module("kubernetes.client")
    kube_config: Any = importlib.import_module("kubernetes.config.kube_config")

    configuration = kclient.Configuration()
    configuration.connection_pool_maxsize = 32  # one stream per kind, plus operations
    paths = os.pathsep.join(str(p) for p in kubeconfig_paths())
    merged = kube_config.KubeConfigMerger(paths).config
    if merged is None:
        raise kube_config.ConfigException("Invalid kube-config file. No configuration found.")
    refresh = _apply_exec_credential(merged, context, exec_timeout)
    kube_config.load_kube_config_from_dict(
        merged, context=context, client_configuration=configuration, persist_config=False
    )
    if refresh is not None:
        configuration.refresh_api_key_hook = refresh
    client = kclient.ApiClient(configuration=configuration)
    client.user_agent = USER_AGENT  # not the client's generic OpenAPI-Generator/VERSION/python
    return client


AUTH_PLUGINS: dict[str, str] = {}
"""Context → the command its kubeconfig user's ``exec`` plugin runs (its file name:
``aws``, ``gke-gcloud-auth-plugin``), "" when the user has none (a static token, a
certificate); set each time a context's kubeconfig is loaded."""

AWS_PLUGINS = frozenset({"aws", "aws-iam-authenticator"})
"""Exec plugins whose expired credentials ``aws sso login`` renews."""
GCP_PLUGINS = frozenset({"gke-gcloud-auth-plugin", "gcloud"})
"""Exec plugins whose expired credentials ``gcloud auth login`` renews."""


def auth_plugin(context: str) -> str:
    """The file name of the exec plugin the context's user runs ("" for none or unknown)."""
    return AUTH_PLUGINS.get(context, "")


def _plugin_name(exec_config: Any) -> str:
    command = exec_config.get("command") if isinstance(exec_config, dict) else None
    return os.path.basename(command) if isinstance(command, str) else ""


def _apply_exec_credential(
    merged: Any, context: str, timeout: float
) -> Callable[[Any], None] | None:
    """Run the context's exec plugin (if its user has one and no token) and put its answer
    into the merged kubeconfig in place of the ``exec`` entry, so the client never runs it.
    Return a hook that refreshes an expiring token before a request, or None."""
    config_node: Any = importlib.import_module("kubernetes.config.kube_config").ConfigNode
    ctx = merged["contexts"].get_with_name(context)["context"]
    user_name = ctx.safe_get("user")
    users = merged.safe_get("users")
    if not user_name or not users:
        AUTH_PLUGINS[context] = ""
        return None
    node = merged["users"].get_with_name(user_name, safe=True)
    user = (node.value.get("user") if node is not None else None) or {}
    exec_config = user.get("exec")
    if not isinstance(exec_config, dict) or {"token", "tokenFile", "auth-provider"} & set(user):
        AUTH_PLUGINS[context] = ""
        return None  # the client would not run the plugin either: another method wins
    AUTH_PLUGINS[context] = _plugin_name(exec_config)
    cluster_node = merged["clusters"].get_with_name(ctx["cluster"], safe=True)
    cluster = (cluster_node.value.get("cluster") if cluster_node is not None else None) or {}
    base_dir = os.path.dirname(os.path.abspath(node.path)) if node.path else ""
    key = orjson.dumps(exec_config, option=orjson.OPT_SORT_KEYS, default=str).decode()

    def run() -> ExecCredential:
        return run_plugin(
            exec_config, context=context, base_dir=base_dir, cluster=cluster, timeout=timeout
        )

    credential = CREDENTIALS.get(context, key, run)
    replacement = {k: v for k, v in user.items() if k != "exec"}
    if credential.token:
        replacement["token"] = credential.token
    else:
        replacement["client-certificate-data"] = _b64(credential.client_certificate)
        replacement["client-key-data"] = _b64(credential.client_key)
    entry = config_node(node.name, {**node.value, "user": replacement}, node.path)
    items = merged.value["users"]
    for i, item in enumerate(items):
        value = item.value if isinstance(item, config_node) else item
        if value.get("name") == user_name:
            items[i] = entry
            break
    if not credential.token or credential.expires is None:
        return None

    def refresh_token(configuration: Any) -> None:
        # Called by the client before each request: an expiring token is fetched again
        # (one plugin run per context, shared) instead of waiting for a 401.
        fresh = CREDENTIALS.get(context, key, run)
        configuration.api_key["BearerToken"] = f"Bearer {fresh.token}"

    return refresh_token


def _b64(pem: str) -> str:
    return base64.b64encode(pem.encode("utf-8")).decode("ascii")


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


MAX_LINE_BYTES = 16 << 20
"""Longest watch line (one event) read before the stream is cut: 16 MiB. etcd keeps an object
under 1.5 MiB, so a longer line is a broken or hostile server, not a big object."""

MAX_ANSWER_BYTES = 64 << 20
"""Largest answer read whole (one list page, one object): 64 MiB, over 100 KiB per object in
a 500-object page."""


class MalformedAnswer(Exception):
    """An answer parsed as JSON but not in the shape Kubernetes sends."""


class AnswerTooLarge(Exception):
    """An answer (or one watch line) grew past its cap; the request is abandoned."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"{what} over {mib(limit)}")
        self.what = what
        """``watch line`` or ``answer``."""
        self.limit = limit
        """The cap, in bytes."""


def read_lines(resp: Any, limit: int = MAX_LINE_BYTES) -> Iterator[list[bytes]]:
    """Complete lines of a streamed response, in the bursts they arrived in; a line longer
    than ``limit`` raises AnswerTooLarge (what is buffered never exceeds it by a chunk)."""
    pending = bytearray()
    for chunk in resp.stream(65536, decode_content=True):
        end = chunk.rfind(b"\n")
        if end < 0:
            pending += chunk
            if len(pending) > limit:
                raise AnswerTooLarge("watch line", limit)
            continue
        if pending:
            pending += chunk[:end]
            parts = bytes(pending).split(b"\n")
        else:
            parts = chunk[:end].split(b"\n")
        pending = bytearray(chunk[end + 1 :])
        if len(pending) > limit or any(len(part) > limit for part in parts):
            raise AnswerTooLarge("watch line", limit)
        yield parts
    if pending.strip():
        yield [bytes(pending)]


READ_SIZE = 65536
"""Bytes asked of the socket per read of a streamed body."""

MAX_CHUNK_LINE = 4096
"""Longest chunk-size line of a chunked body (hex size and extensions): past it the framing
is broken and the stream ends."""


class BrokenFraming(Exception):
    """A chunked body whose framing is not HTTP/1.1's."""


def body_reads(resp: Any, size: int = READ_SIZE) -> Iterator[bytes]:
    """A streamed body as it arrives: each item is what one read of the connection gave
    (everything buffered, up to ``size`` bytes), de-chunked; ``b""`` items are reads that held
    only framing. Where urllib3's own ``stream`` hands over one HTTP chunk per step (a log line
    each, as the kubelet flushes), this hands over whatever has arrived, so a caller that
    waits between reads takes many lines per wake-up.

    It reads the response's buffered reader directly, so the connection cannot go back to
    the pool: the caller releases the response as incomplete (closing it). Responses it
    cannot read so (compressed, HTTP/2, a test double) are read through ``stream``."""
    fp = getattr(getattr(resp, "_fp", None), "fp", None)
    raw = getattr(resp, "_fp", None)
    encoding = (
        (resp.headers.get("Content-Encoding") or "").strip().lower()
        if hasattr(resp, "headers")
        else "?"
    )
    if fp is None or not hasattr(fp, "read1") or encoding not in ("", "identity"):
        yield from resp.stream(size, decode_content=True)
        return
    # The bytes http.client's buffered reader already holds behind the headers come first: one
    # read1 returns them all (its buffer is smaller than ``size``), or does one read of the
    # connection when it holds none; its buffer is empty after it either way. From then on the
    # connection is read directly, into one buffer per stream: a fresh ``size``-byte object
    # per read, shrunk to the few hundred bytes that came, fragmented the heap of a hundred
    # reading threads (the cockpit grew 0.5 MB/s at 10,000 lines/s). BufferedReader.readinto1
    # is no way round it: with bytes buffered it reads the connection again before returning
    # them, and a quiet stream then withholds its last lines until the next ones come.
    socket_io = getattr(fp, "raw", None)
    space = memoryview(bytearray(size))
    if socket_io is None or not hasattr(socket_io, "readinto"):
        yield from resp.stream(size, decode_content=True)
        return

    def reads(limit: int | None) -> Iterator[bytes | memoryview]:
        first = fp.read1(size if limit is None else min(size, limit))
        if not first:
            return
        yield first
        left = None if limit is None else limit - len(first)
        while left is None or left > 0:
            n = socket_io.readinto(space if left is None else space[: min(size, left)])
            if not n:
                return
            if left is not None:
                left -= n
            yield space[:n]

    if not getattr(raw, "chunked", False):
        for data in reads(getattr(raw, "length", None)):
            yield bytes(data)
        return
    buf = bytearray()
    remaining = 0  # body bytes left in the current chunk
    crlf = False  # the CRLF after a chunk's data is due
    for data in reads(None):
        buf += data
        out: list[bytes] = []
        pos = 0
        while True:
            if remaining:
                take = min(remaining, len(buf) - pos)
                if not take:
                    break
                out.append(bytes(buf[pos : pos + take]))
                pos += take
                remaining -= take
                if remaining:
                    break
                crlf = True
            if crlf:
                if len(buf) - pos < 2:
                    break
                if buf[pos : pos + 2] != b"\r\n":
                    raise BrokenFraming("no CRLF after a chunk")
                pos += 2
                crlf = False
            end = buf.find(b"\r\n", pos, pos + MAX_CHUNK_LINE)
            if end < 0:
                if len(buf) - pos > MAX_CHUNK_LINE:
                    raise BrokenFraming("chunk size line too long")
                break
            head = bytes(buf[pos:end]).split(b";", 1)[0].strip()
            try:
                remaining = int(head, 16)
            except ValueError:
                raise BrokenFraming(f"bad chunk size {head[:20]!r}") from None
            if remaining < 0:
                raise BrokenFraming("negative chunk size")
            pos = end + 2
            if remaining == 0:  # the last chunk (trailers are not read)
                del buf[:pos]
                if out:
                    yield b"".join(out)
                return
        del buf[:pos]
        yield b"".join(out)


@contextlib.contextmanager
def answer_shape() -> Iterator[None]:
    """Around parsing an answer: a wrong shape (a list where an object belongs, a string
    for a number) is a malformed answer from the server, not an internal error."""
    try:
        yield
    except orjson.JSONDecodeError:
        raise
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        raise MalformedAnswer(f"{type(exc).__name__}: {exc}") from exc


def mib(size: int) -> str:
    """A byte cap for people: ``16 MiB`` (``64 KiB`` under a MiB)."""
    if size < 1 << 20:
        return f"{size / 1024:g} KiB"
    return f"{size / (1 << 20):g} MiB"


class KubeHttp:
    """Raw requests to one context's apiserver through the kubernetes client.

    One ApiClient per context, shared by that context's threads and loaded by one of them at a
    time (the others wait and share its outcome, so a hanging exec plugin runs once, not once
    per kind). After a 401 it is dropped and the next request loads kubeconfig again, which
    re-runs an exec plugin for a fresh token. When credentials work again after failing,
    every thread waiting in :meth:`wait_retry` is woken at once.
    """

    def __init__(self, context: str, loader: ApiClientLoader = load_api_client) -> None:
        self.context = context
        """The kubeconfig context."""
        self._loader = loader
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._client: Any = None
        self._generation = 0
        self._loading = False
        self._loads = 0
        self._load_error: BaseException | None = None
        self._open: set[Any] = set()
        self._credentials_failing = False
        self.credentials_epoch = 0
        """Bumped each time this context's credentials work again after failing."""

    def client(self) -> tuple[Any, int]:
        """The current ApiClient and its generation (loading it if needed)."""
        with self._cond:
            while self._client is None and self._loading:
                loads = self._loads
                self._cond.wait()
                if self._loads != loads and self._client is None and self._load_error:
                    raise self._load_error  # the load this thread waited for failed
            if self._client is not None:
                return self._client, self._generation
            self._loading = True
        try:
            client = self._loader(self.context)
            # Whoever built it (a test's loader too): every request says who is calling.
            client.user_agent = USER_AGENT
        except BaseException as exc:
            with self._cond:
                self._loading, self._load_error = False, exc
                self._loads += 1
                self._credentials_failing = True
                self._cond.notify_all()
            raise
        with self._cond:
            self._client, self._load_error = client, None
            self._loading = False
            self._loads += 1
            self._generation += 1
            self._cond.notify_all()
            return client, self._generation

    def invalidate(self, generation: int) -> None:
        """Forget the client of this generation (and the context's cached exec credential)
        so the next request reloads credentials."""
        CREDENTIALS.forget(self.context)
        with self._lock:
            self._credentials_failing = True
            if self._client is not None and generation == self._generation:
                client, self._client = self._client, None
                try:
                    client.close()
                except Exception:  # closing is best effort
                    log.debug("closing ApiClient failed", exc_info=True)

    def _credentials_worked(self) -> None:
        if not self._credentials_failing:  # the common case, without the lock
            return
        with self._cond:
            if self._credentials_failing:
                self._credentials_failing = False
                self.credentials_epoch += 1
                self._cond.notify_all()

    def wait_retry(self, seconds: float, stop: threading.Event, epoch: int) -> None:
        """Wait up to ``seconds`` before a retry; return early when ``stop`` is set or the
        context's credentials work again after ``epoch`` (another kind got through)."""
        with self._cond:
            self._cond.wait_for(
                lambda: stop.is_set() or self.credentials_epoch != epoch, timeout=seconds
            )

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
            data = self.read_all(resp, limit=1 << 20)
            error = _status_error(resp.status, data, resp.reason or "")
            if error.unauthenticated:
                self.invalidate(generation)
                raise error
            self._credentials_worked()
            raise error
        self._credentials_worked()
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

    def read_all(self, resp: Any, limit: int = MAX_ANSWER_BYTES) -> bytes:
        """Read a whole answer (interruptible by :meth:`interrupt`) and release it; an answer
        that inflates past ``limit`` bytes raises AnswerTooLarge (memory stays bounded)."""
        complete = False
        chunks: list[bytes] = []
        size = 0
        try:
            with self.opened(resp):
                for chunk in resp.stream(1 << 20, decode_content=True):
                    size += len(chunk)
                    if size > limit:
                        raise AnswerTooLarge("answer", limit)
                    chunks.append(chunk)
            complete = True
            return b"".join(chunks)
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
        """End every blocked read now, and wake every wait (used when stopping)."""
        with self._cond:
            responses = list(self._open)
            self._cond.notify_all()
        for resp in responses:
            try:
                if hasattr(resp, "shutdown"):
                    resp.shutdown()
                else:
                    resp.close()
            except Exception:  # the reader sees its read fail, which is the point
                log.debug("interrupting a response failed", exc_info=True)

    def close(self) -> None:
        """Interrupt reads, end this context's running exec plugins, close the client."""
        self.interrupt()
        PROCESSES.kill(self.context)
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
    if isinstance(exc, ExecPluginError):
        return str(exc)
    if isinstance(exc, ApiStatusError):
        if exc.unauthenticated:
            # Advice that renews the credentials only where the kubeconfig's plugin uses them:
            # a static token rejected on an EKS cluster is not fixed by `aws sso login`.
            plugin = auth_plugin(cluster.name)
            if plugin in AWS_PLUGINS:
                return "credentials expired — run `aws sso login`"
            if plugin in GCP_PLUGINS:
                return "credentials expired — run `gcloud auth login`"
            if plugin:
                return f"credentials rejected (401) — the {safe(plugin)} plugin's token was refused"
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
    if isinstance(exc, MalformedAnswer):
        return "malformed answer from the apiserver (unexpected shape)"
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


INTERNAL_ERRORS: tuple[type[BaseException], ...] = (
    ImportError,
    AttributeError,
    TypeError,
    NameError,
    AssertionError,
    LookupError,
    RecursionError,
)
"""Exceptions that mean a bug or a broken install, not a network or server problem (answers
are parsed under their own guard, so a malformed answer is not one of these)."""


def is_internal_error(exc: BaseException) -> bool:
    """A programming error or broken install: report it as such, do not retry as if the
    network were down."""
    return isinstance(exc, INTERNAL_ERRORS)


def internal_reason(exc: BaseException) -> str:
    """The badge text for an internal error (the traceback goes to the log)."""
    return f"internal error: {type(exc).__name__}: {exc}"[:180] + ", see log"


def is_config_error(exc: BaseException) -> bool:
    """The client could not load kubeconfig or credentials (its ``ConfigException``)."""
    return type(exc).__name__ == "ConfigException"
