"""Exec credential plugins (``aws eks get-token``, ``gke-gcloud-auth-plugin``, ``kubelogin``),
run by wundr-tui itself instead of the kubernetes client's ExecProvider.

The client's provider has no timeout (a plugin waiting for a browser login hangs its context
forever), hands the plugin our terminal when it thinks one is there, logs the plugin's raw
stderr on the root logger and leaves the process running when we exit. Here a plugin runs as
kubectl runs it (``KUBERNETES_EXEC_INFO``, the entry's ``env``, a command relative to its
kubeconfig) but always non-interactive: in its own session (process group), stdin from
``/dev/null``, stdout and stderr piped and capped, a timeout per run after which the whole
group is killed; the group is killed too when its context closes and at exit. Its answer (an
ExecCredential) is cached until it expires, or until the apiserver rejects it (401).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from wundr_tui.backends.kube.parse import parse_time
from wundr_tui.safe_text import safe

log = logging.getLogger(__name__)

EXEC_TIMEOUT = 30.0
"""Default seconds one plugin run may take before its process group is killed."""

STDOUT_CAP = 1 << 20
"""Bytes of a plugin's answer read at most (an ExecCredential is a few KiB)."""

STDERR_CAP = 64 << 10
"""Bytes of a plugin's stderr kept (only its first line is shown; the rest is drained)."""

EXPIRY_MARGIN = 60.0
"""A cached credential this close to its expirationTimestamp is fetched again."""

_HINTS = {
    "aws": "is the AWS CLI installed?",
    "aws-iam-authenticator": "is aws-iam-authenticator installed?",
    "gke-gcloud-auth-plugin": (
        "install it with `gcloud components install gke-gcloud-auth-plugin`"
    ),
    "gcloud": "is the Google Cloud CLI installed?",
    "kubelogin": "is kubelogin installed? (`az aks install-cli`)",
    "kubectl": "is kubectl installed? (and its oidc-login plugin)",
    "kubectl-oidc_login": "is the kubectl oidc-login plugin installed?",
    "doctl": "is doctl installed?",
}
"""Well-known plugins → what to install when they are missing."""

_API_VERSIONS = (
    "client.authentication.k8s.io/v1",
    "client.authentication.k8s.io/v1beta1",
)


class ExecPluginError(Exception):
    """A plugin is missing, failed, timed out or answered nonsense; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class ExecCredential:
    """What a plugin answered: a bearer token or a client certificate, and until when."""

    token: str = ""
    client_certificate: str = ""
    """PEM, from ``status.clientCertificateData``."""
    client_key: str = ""
    """PEM, from ``status.clientKeyData``."""
    expires: float | None = None
    """``status.expirationTimestamp`` in seconds since the epoch; None: until a 401."""


def first_line(text: bytes, limit: int = 200) -> str:
    """The first non-blank line of a plugin's output, made safe to show and cut to ``limit``."""
    for raw in text.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        if line:
            shown = safe(line)
            return shown if len(shown) <= limit else shown[: limit - 1] + "…"
    return ""


def _hint(command: str, install_hint: str) -> str:
    name = os.path.basename(command)
    if name in _HINTS:
        return _HINTS[name]
    hint = first_line(install_hint.encode("utf-8", "replace"), 120) if install_hint else ""
    return hint or "is it installed and on PATH?"


class PluginProcesses:
    """Every plugin process still running, by context, so exit and close can end them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: dict[int, tuple[str, subprocess.Popen[bytes]]] = {}
        self._killed: set[int] = set()

    def add(self, context: str, proc: subprocess.Popen[bytes]) -> None:
        """Track a started plugin."""
        with self._lock:
            self._live[proc.pid] = (context, proc)

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        """Forget a plugin that ended (and was reaped)."""
        with self._lock:
            self._live.pop(proc.pid, None)
            self._killed.discard(proc.pid)

    def was_killed(self, proc: subprocess.Popen[bytes]) -> bool:
        """Whether :meth:`kill` ended it (as opposed to its own exit or a timeout)."""
        with self._lock:
            return proc.pid in self._killed

    def pids(self) -> list[int]:
        """Process ids of the running plugins (tests and diagnostics)."""
        with self._lock:
            return list(self._live)

    def kill(self, context: str | None = None) -> None:
        """Kill the process group of every running plugin (of one context, or all)."""
        with self._lock:
            victims = [p for c, p in self._live.values() if context is None or c == context]
            self._killed.update(p.pid for p in victims)
        for proc in victims:
            kill_group(proc)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL a plugin's whole process group (it leads its own session); never raises."""
    if proc.returncode is not None:
        return  # reaped: its pid (and group id) may already belong to someone else
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


PROCESSES = PluginProcesses()
"""The plugins this process has running."""


def kill_plugins() -> None:
    """End every exec plugin still running (the explicit exit path; atexit does it too)."""
    PROCESSES.kill()


atexit.register(kill_plugins)


def exec_info(api_version: str, cluster: Mapping[str, Any] | None) -> str:
    """``KUBERNETES_EXEC_INFO`` as kubectl sets it: never interactive; the cluster's
    connection details when the entry asks for ``provideClusterInfo``."""
    spec: dict[str, Any] = {"interactive": False}
    if cluster is not None:
        keys = (
            "server",
            "tls-server-name",
            "insecure-skip-tls-verify",
            "certificate-authority-data",
            "proxy-url",
            "disable-compression",
        )
        info = {k: cluster[k] for k in keys if k in cluster}
        extension = _exec_extension(cluster)
        if extension is not None:
            info["config"] = extension
        spec["cluster"] = info
    return json.dumps({"apiVersion": api_version, "kind": "ExecCredential", "spec": spec})


def _exec_extension(cluster: Mapping[str, Any]) -> Any:
    for item in cluster.get("extensions") or ():
        if isinstance(item, Mapping) and item.get("name") == "client.authentication.k8s.io/exec":
            return item.get("extension")
    return None


def _command(exec_config: Mapping[str, Any], base_dir: str) -> tuple[str, list[str]]:
    command = exec_config.get("command")
    if not isinstance(command, str) or not command:
        raise ExecPluginError("the kubeconfig's exec entry names no command")
    args = exec_config.get("args") or []
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise ExecPluginError(f"the exec entry's args for {safe(command)} are not a list of text")
    hint = str(exec_config.get("installHint") or "")
    if os.sep in command:
        # Like kubectl: a relative path with a separator is relative to its kubeconfig.
        path = command if os.path.isabs(command) else os.path.join(base_dir, command)
        if not os.path.exists(path):
            raise ExecPluginError(f"plugin not found: {safe(command)} ({_hint(command, hint)})")
    else:
        found = shutil.which(command)
        if found is None:
            raise ExecPluginError(f"plugin not found: {safe(command)} ({_hint(command, hint)})")
        path = found
    return path, list(args)


def _environment(exec_config: Mapping[str, Any], info: str) -> dict[str, str]:
    env = dict(os.environ)
    for item in exec_config.get("env") or ():
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            env[item["name"]] = str(item.get("value") or "")
    env["KUBERNETES_EXEC_INFO"] = info
    return env


def _collect(
    proc: subprocess.Popen[bytes], deadline: float, command: str
) -> tuple[bytes, bytes, bool]:
    """Read stdout (capped: more is an error) and stderr (capped: the rest is drained) until
    both end or ``deadline``; return (stdout, stderr, timed out)."""
    out, err = bytearray(), bytearray()
    streams: dict[int, tuple[IO[bytes], bytearray, int]] = {}
    if proc.stdout is not None:
        streams[proc.stdout.fileno()] = (proc.stdout, out, STDOUT_CAP)
    if proc.stderr is not None:
        streams[proc.stderr.fileno()] = (proc.stderr, err, STDERR_CAP)
    with selectors.DefaultSelector() as selector:
        for stream, _, _ in streams.values():
            selector.register(stream, selectors.EVENT_READ)
        while streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return bytes(out), bytes(err), True
            for key, _ in selector.select(min(remaining, 1.0)):
                stream, buffer, cap = streams[key.fd]
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(stream)
                    del streams[key.fd]
                    continue
                room = cap - len(buffer)
                if room > 0:
                    buffer += chunk[:room]
                if stream is proc.stdout and len(chunk) > room:
                    kill_group(proc)
                    raise ExecPluginError(
                        f"plugin {safe(command)} answered more than {STDOUT_CAP >> 20} MiB"
                    )
    return bytes(out), bytes(err), False


def run_plugin(
    exec_config: Mapping[str, Any],
    *,
    context: str,
    base_dir: str = "",
    cluster: Mapping[str, Any] | None = None,
    timeout: float = EXEC_TIMEOUT,
) -> ExecCredential:
    """Run one kubeconfig ``exec`` entry and parse its ExecCredential.

    Raises ExecPluginError with the reason a badge shows: "plugin not found: aws (is the AWS
    CLI installed?)", "credentials plugin timed out after 30 s", "plugin failed (exit 1):
    <first line of its stderr>".
    """
    api_version = str(exec_config.get("apiVersion") or "client.authentication.k8s.io/v1beta1")
    if exec_config.get("interactiveMode") == "Always":
        raise ExecPluginError(
            f"plugin {safe(str(exec_config.get('command')))} needs a terminal "
            "(interactiveMode: Always); log in with kubectl in a shell first"
        )
    path, args = _command(exec_config, base_dir)
    info = exec_info(api_version, cluster if exec_config.get("provideClusterInfo") else None)
    name = os.path.basename(path)
    try:
        proc = subprocess.Popen(
            [path, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(exec_config, info),
            start_new_session=True,  # its own process group: killed as one
            close_fds=True,
        )
    except FileNotFoundError:
        raise ExecPluginError(f"plugin not found: {safe(name)} ({_hint(name, '')})") from None
    except PermissionError:
        raise ExecPluginError(f"plugin {safe(path)} is not executable") from None
    except OSError as exc:
        raise ExecPluginError(f"cannot start plugin {safe(name)}: {exc.strerror}") from None
    PROCESSES.add(context, proc)
    try:
        try:
            out, err, timed_out = _collect(proc, time.monotonic() + timeout, name)
        finally:
            if proc.poll() is None:
                kill_group(proc)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
            proc.wait()
        killed = PROCESSES.was_killed(proc)
    finally:
        PROCESSES.discard(proc)
    if killed:
        raise ExecPluginError("credentials plugin stopped (wundr-tui is closing)")
    if timed_out:
        raise ExecPluginError(f"credentials plugin timed out after {timeout:g} s")
    if proc.returncode != 0:
        how = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        line = first_line(err)
        log.warning("exec plugin %s for %s failed (%s): %s", name, context, how, line)
        return_detail = f": {line}" if line else ""
        raise ExecPluginError(f"plugin failed ({how}){return_detail}")
    return parse_credential(out, api_version, name)


def parse_credential(data: bytes, api_version: str, name: str = "plugin") -> ExecCredential:
    """An ExecCredential from a plugin's stdout; ExecPluginError when it is not one."""
    try:
        obj = json.loads(data)
    except ValueError:
        obj = None
    if not isinstance(obj, dict) or obj.get("kind") != "ExecCredential":
        raise ExecPluginError(f"{safe(name)} did not answer an ExecCredential")
    answered = obj.get("apiVersion")
    if answered not in _API_VERSIONS and api_version in _API_VERSIONS:
        raise ExecPluginError(f"{safe(name)} answered an unknown apiVersion")
    status = obj.get("status")
    if not isinstance(status, dict):
        raise ExecPluginError(f"{safe(name)} answered no status")
    token = status.get("token")
    cert, key = status.get("clientCertificateData"), status.get("clientKeyData")
    expires: float | None = None
    stamp = status.get("expirationTimestamp")
    if stamp:
        expires = parse_time(stamp) or None
        if expires is None:
            raise ExecPluginError(f"{safe(name)} answered an unreadable expirationTimestamp")
    if isinstance(token, str) and token:
        return ExecCredential(token=token, expires=expires)
    if isinstance(cert, str) and cert and isinstance(key, str) and key:
        return ExecCredential(client_certificate=cert, client_key=key, expires=expires)
    raise ExecPluginError(f"{safe(name)} answered neither a token nor a client certificate")


class CredentialCache:
    """One plugin run at a time per context, its answer shared and kept until it expires
    (or :meth:`forget`, after a 401); a failure is shared with every caller that waited."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._cond = threading.Condition()
        self._cache: dict[str, tuple[str, ExecCredential]] = {}
        self._running: set[str] = set()
        self._outcome: dict[str, tuple[int, BaseException | None]] = {}
        self._runs = 0

    def get(self, context: str, key: str, run: Callable[[], ExecCredential]) -> ExecCredential:
        """The cached credential for ``(context, key)``, else the result of ``run()``."""
        with self._cond:
            while True:
                cached = self._cache.get(context)
                if cached is not None and cached[0] == key and self._fresh(cached[1]):
                    return cached[1]
                if context not in self._running:
                    break
                waited_for = self._runs
                self._cond.wait()
                outcome = self._outcome.get(context)
                if outcome is not None and outcome[0] > waited_for and outcome[1] is not None:
                    raise outcome[1]
            self._running.add(context)
        error: BaseException | None = None
        try:
            credential = run()
        except BaseException as exc:
            error = exc
            raise
        finally:
            with self._cond:
                self._running.discard(context)
                self._runs += 1
                self._outcome[context] = (self._runs, error)
                if error is None:
                    self._cache[context] = (key, credential)
                self._cond.notify_all()
        return credential

    def _fresh(self, credential: ExecCredential) -> bool:
        return credential.expires is None or credential.expires - EXPIRY_MARGIN > self._clock()

    def forget(self, context: str) -> None:
        """Drop a context's credential (the apiserver rejected it): the next use re-runs."""
        with self._cond:
            self._cache.pop(context, None)


CREDENTIALS = CredentialCache()
"""Credentials of every context, shared by its sources and its operator."""
