"""The audit log: one JSON line per attempted action, at ``$XDG_STATE_HOME/wundr-tui/audit.jsonl``.

Every attempt is recorded — done, failed, refused by a preflight check, or cancelled at the
dialog — with who, where and what (before → after). The file is created mode 0600 and each
line is flushed and fsynced before the action's result is shown, so a crash right after an
action still leaves its record. Only the plan's summary is written: never tokens, kubeconfig
contents or request bodies.

The file is opened with ``O_NOFOLLOW``, relative to its directory, itself opened with
``O_NOFOLLOW``: a symbolic link in the place of either, a file or directory owned by another
user or one that group or others may write is refused with one line (``AuditFileError``), and
an action is then refused before anything is sent (``AuditLog.problem``). Actions on the demo
fleet or in a replay go to their own file beside it (``audit-demo.jsonl``,
``audit-replay.jsonl``) and carry ``"mode"`` in each of their lines, so nothing simulated reads as a
production change. Text for people (``format_entry``) shows every control character as a
visible escape; JSON lines keep the exact strings, escaped by the encoder.
"""

from __future__ import annotations

import calendar
import getpass
import json
import os
import re
import socket
import stat
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias, get_args

from wundr_tui import paths
from wundr_tui.events import Audited
from wundr_tui.safe_text import safe

AuditResult: TypeAlias = Literal["done", "failed", "refused", "cancelled", "unverified"]
"""done: applied and verified; unverified: applied, verification did not confirm it;
failed: the backend refused or broke (nothing applied); refused: a preflight check failed;
cancelled: the user said no at the dialog."""

AuditMode: TypeAlias = Literal["live", "demo", "replay"]
"""What the actions acted on: real clusters, the simulated demo fleet, or a replay."""

MODES: tuple[AuditMode, ...] = get_args(AuditMode)
"""Every mode, live first."""

FIELDS = ("time", "user", "host", "cluster", "action", "before", "after", "result", "error")
"""The keys of every line, in order; demo and replay lines end with ``"mode"`` too (live lines
are as they always were, for whatever reads them)."""

MAX_READ = 16 * 1024 * 1024
"""Most bytes ``read_entries`` reads from the end of the file, however many entries it is
asked for: the log only grows, and one long line must not make ``wundr-tui audit`` slow."""


class AuditFileError(OSError):
    """The audit file is not safe to use (a symlink, someone else's, writable by others);
    ``strerror`` says why in a few words, ``str()`` is one line naming the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.strerror = reason
        self.filename = str(path)

    def __str__(self) -> str:
        return safe(f"audit log {self.filename}: {self.strerror}")


def default_path(mode: AuditMode = "live") -> Path:
    """``$XDG_STATE_HOME/wundr-tui/audit.jsonl`` (``~/.local/state`` without the variable);
    ``audit-demo.jsonl`` and ``audit-replay.jsonl`` beside it for the other modes."""
    return paths.audit_log(mode)


def current_user() -> str:
    """Who is acting: ``$USER``, else the login name, else ``unknown``."""
    user = os.environ.get("USER") or os.environ.get("LOGNAME")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


def _check_ours(path: Path, info: os.stat_result, what: str) -> None:
    """Refuse a file or directory that another user owns or may write to."""
    if info.st_uid != os.geteuid():
        raise AuditFileError(path, f"{what}is owned by user id {info.st_uid}, not you; refused")
    if info.st_mode & 0o022:
        raise AuditFileError(
            path, f"{what}is writable by group or others (mode {info.st_mode & 0o777:o}); refused"
        )


def _open_dir(path: Path) -> int:
    """The log's directory, not through a symlink, ours alone: whoever may write to it could
    swap the file between our check and our write."""
    parent = path.parent
    try:
        fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        if parent.is_symlink():
            raise AuditFileError(
                path, f"its directory {parent} is a symbolic link; refused"
            ) from None
        raise
    try:
        _check_ours(path, os.fstat(fd), f"its directory {parent} ")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_checked(path: Path, flags: int) -> int:
    """``os.open`` without following a symlink (neither the file nor its directory), then
    refuse what is not ours alone."""
    dir_fd = _open_dir(path)
    try:
        # O_NONBLOCK: a FIFO put in its place must not hang the open (no effect on files).
        fd = os.open(
            path.name, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o600, dir_fd=dir_fd
        )
    except OSError:
        if path.is_symlink():  # ELOOP (or EMLINK on some systems) from O_NOFOLLOW
            raise AuditFileError(path, "is a symbolic link; refused") from None
        raise
    finally:
        os.close(dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AuditFileError(path, "is not a regular file; refused")
        _check_ours(path, info, "")
    except BaseException:
        os.close(fd)
        raise
    return fd


_UNSAFE_IN_JSON = re.compile(r"[^\x20-\x7e]")


def _json_escape(match: re.Match[str]) -> str:
    ch = match.group()
    if safe(ch) == ch:
        return ch  # printable non-ASCII (names, "→") stays readable
    code = ord(ch)
    if code > 0xFFFF:  # JSON spells astral characters as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_line(item: Mapping[str, Any]) -> str:
    """One entry as a JSON line for a terminal: the exact strings, with every character a
    terminal could obey (C1 controls, bidi and format controls) as a ``\\uXXXX`` escape."""
    return _UNSAFE_IN_JSON.sub(_json_escape, json.dumps(dict(item), ensure_ascii=False))


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One attempt, as written."""

    time: str
    """UTC, ISO 8601 with seconds (``2026-11-26T02:40:11Z``)."""
    user: str
    host: str
    cluster: str
    action: str
    before: Mapping[str, str]
    after: Mapping[str, str]
    result: AuditResult
    error: str = ""
    mode: AuditMode = "live"
    """live, demo or replay: what the action acted on."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of the line."""
        line = {
            "time": self.time,
            "user": self.user,
            "host": self.host,
            "cluster": self.cluster,
            "action": self.action,
            "before": dict(self.before),
            "after": dict(self.after),
            "result": self.result,
            "error": self.error,
        }
        if self.mode != "live":
            line["mode"] = self.mode
        return line


class AuditLog:
    """Appends entries to the audit file; safe to call from worker threads."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        user: str | None = None,
        mode: AuditMode = "live",
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"audit mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode: AuditMode = mode
        """Written in every line; picks the default file."""
        self.path = Path(path) if path is not None else default_path(mode)
        """The JSON-lines file."""
        self.user = user or current_user()
        """Recorded as ``user`` on every line."""
        self.host = socket.gethostname()
        """Recorded as ``host`` on every line."""
        self._lock = threading.Lock()
        self.listeners: list[Callable[[AuditEntry], None]] = []
        """Called with every entry once it is written (the app puts it in the event stream,
        for the timeline); from the thread that recorded it."""

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_APPEND: concurrent wundr-tui processes never interleave inside a line.
        return _open_checked(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    def problem(self) -> str | None:
        """Why an entry could not be written now (one line), or None: asked before an action
        is sent, so an action that could not be recorded is never made."""
        with self._lock:
            try:
                os.close(self._open())
            except OSError as exc:
                if isinstance(exc, AuditFileError):
                    return str(exc)
                return safe(f"audit log {self.path}: {exc.strerror or exc}")
        return None

    def record(
        self,
        cluster: str,
        action: str,
        before: Mapping[str, str],
        after: Mapping[str, str],
        result: AuditResult,
        error: str = "",
    ) -> AuditEntry:
        """Append one line (flushed and fsynced); return it. Raises OSError if unwritable
        (``AuditFileError`` if the file is not safe to use)."""
        entry = AuditEntry(
            time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            user=self.user,
            host=self.host,
            cluster=cluster,
            action=action,
            before=dict(before),
            after=dict(after),
            result=result,
            error=error,
            mode=self.mode,
        )
        fields = entry.as_dict()
        try:
            data = (json.dumps(fields, ensure_ascii=False, sort_keys=False) + "\n").encode()
        except UnicodeEncodeError:
            # A lone surrogate (what undecodable bytes become) has no UTF-8 form: let JSON
            # escape it (\udcff), so the line is written, exact, instead of the action failing.
            data = (json.dumps(fields, sort_keys=False) + "\n").encode("ascii")
        with self._lock:
            fd = self._open()
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        for listener in self.listeners:
            listener(entry)
        return entry


def audited(entry: AuditEntry) -> Audited:
    """An entry as the stream's ``Audited`` event: its time in epoch seconds, what it
    changed as ``key before → after`` pairs."""
    try:
        when = float(calendar.timegm(time.strptime(entry.time, "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        when = time.time()
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    summary = ", ".join(f"{k} {entry.before.get(k, '-')} → {entry.after.get(k, '-')}" for k in keys)
    return Audited(
        entry.cluster,
        when,
        entry.user,
        entry.action,
        summary,
        entry.result,
        entry.error,
        entry.mode,
    )


def _tail(fd: int, limit: int) -> list[bytes]:
    """The last ``limit`` lines of an open file (all when ``limit`` < 1), read from its end,
    never more than ``MAX_READ`` bytes."""
    size = os.fstat(fd).st_size
    start = max(size - MAX_READ, 0)
    if limit > 0:
        chunk = 1 << 16
        start = size
        newlines = 0
        while start > max(size - MAX_READ, 0) and newlines <= limit:
            step = min(chunk, start - max(size - MAX_READ, 0))
            start -= step
            newlines += os.pread(fd, step, start).count(b"\n")
    data = os.pread(fd, size - start, start)
    lines = data.split(b"\n")
    if start > 0:
        lines = lines[1:]  # the first piece may be the end of a longer line
    lines = [line for line in lines if line.strip()]
    return lines[-limit:] if limit > 0 else lines


def read_entries(path: Path | str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The last ``limit`` entries, oldest first; unreadable lines are skipped. Raises
    ``AuditFileError`` for a file that is not safe to use (the same checks as writing)."""
    p = Path(path) if path is not None else default_path()
    try:
        fd = _open_checked(p, os.O_RDONLY)
    except FileNotFoundError:
        return []
    try:
        lines = _tail(fd, limit)
    finally:
        os.close(fd)
    out: list[dict[str, Any]] = []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
    return out


def format_entry(item: Mapping[str, Any]) -> str:
    """One readable line: ``time user@host cluster action: before → after  RESULT (error)``,
    led by ``DEMO`` or ``REPLAY`` for actions that changed nothing real. Every field is made
    safe: the file may have been written by anyone who could write it."""

    def text(value: Any) -> str:
        return safe(value if isinstance(value, str) else str(value))

    before = item.get("before") or {}
    after = item.get("after") or {}
    if not isinstance(before, Mapping):
        before = {}
    if not isinstance(after, Mapping):
        after = {}
    keys = list(dict.fromkeys([*before, *after]))
    diff = ", ".join(
        f"{text(k)} {text(before.get(k, '-'))} → {text(after.get(k, '-'))}" for k in keys
    )
    mode = item.get("mode", "live")
    prefix = f"{text(mode).upper()}  " if mode != "live" else ""
    line = (
        f"{prefix}{text(item.get('time', '?'))}  {text(item.get('user', '?'))}@"
        f"{text(item.get('host', '?'))}  {text(item.get('cluster', '?'))}  "
        f"{text(item.get('action', '?'))}: {diff}  {text(item.get('result', '?')).upper()}"
    )
    if item.get("error"):
        line += f" ({text(item['error'])})"
    return line
