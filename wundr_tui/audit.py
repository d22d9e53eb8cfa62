"""The audit log: one JSON line per attempted action, at ``$XDG_STATE_HOME/wundr-tui/audit.jsonl``.

Every attempt is recorded — done, failed, refused by a preflight check, or cancelled at the
dialog — with who, where and what (before → after). The file is created mode 0600 and each
line is flushed and fsynced before the action's result is shown, so a crash right after an
action still leaves its record. Only the plan's summary is written: never tokens, kubeconfig
contents or request bodies.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

AuditResult: TypeAlias = Literal["done", "failed", "refused", "cancelled", "unverified"]
"""done: applied and verified; unverified: applied, verification did not confirm it;
failed: the backend refused or broke (nothing applied); refused: a preflight check failed;
cancelled: the user said no at the dialog."""

FIELDS = ("time", "user", "host", "cluster", "action", "before", "after", "result", "error")
"""The keys of every line, in order."""


def default_path() -> Path:
    """``$XDG_STATE_HOME/wundr-tui/audit.jsonl`` (``~/.local/state`` without the variable)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "wundr-tui" / "audit.jsonl"


def current_user() -> str:
    """Who is acting: ``$USER``, else the login name, else ``unknown``."""
    user = os.environ.get("USER") or os.environ.get("LOGNAME")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


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

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of the line."""
        return {
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


class AuditLog:
    """Appends entries to the audit file; safe to call from worker threads."""

    def __init__(self, path: Path | str | None = None, *, user: str | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        """The JSON-lines file."""
        self.user = user or current_user()
        """Recorded as ``user`` on every line."""
        self.host = socket.gethostname()
        """Recorded as ``host`` on every line."""
        self._lock = threading.Lock()

    def record(
        self,
        cluster: str,
        action: str,
        before: Mapping[str, str],
        after: Mapping[str, str],
        result: AuditResult,
        error: str = "",
    ) -> AuditEntry:
        """Append one line (flushed and fsynced); return it. Raises OSError if unwritable."""
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
        )
        line = json.dumps(entry.as_dict(), ensure_ascii=False, sort_keys=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # O_APPEND: concurrent wundr-tui processes never interleave inside a line.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        return entry


def read_entries(path: Path | str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The last ``limit`` entries, oldest first; unreadable lines are skipped."""
    p = Path(path) if path is not None else default_path()
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    out: list[dict[str, Any]] = []
    for line in lines[-limit:] if limit > 0 else lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
    return out


def format_entry(item: Mapping[str, Any]) -> str:
    """One readable line: ``time user@host cluster action: before → after  RESULT (error)``."""
    before = item.get("before") or {}
    after = item.get("after") or {}
    keys = list(dict.fromkeys([*before, *after]))
    diff = ", ".join(f"{k} {before.get(k, '-')} → {after.get(k, '-')}" for k in keys)
    text = (
        f"{item.get('time', '?')}  {item.get('user', '?')}@{item.get('host', '?')}  "
        f"{item.get('cluster', '?')}  {item.get('action', '?')}: {diff}  "
        f"{str(item.get('result', '?')).upper()}"
    )
    if item.get("error"):
        text += f" ({item['error']})"
    return text
