"""Every file and directory the cockpit reads or writes outside the working directory.

The one place these paths are computed (``wundr-tui info`` prints them all): XDG base
directories as the spec says, ``$WUNDR_TUI_CONFIG`` over the config path, ``$KUBECONFIG`` as
kubectl reads it. Pure: nothing is created here, callers make what they write.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "audit_log",
    "config_file",
    "kubeconfig_files",
    "log_file",
    "saved_logs_dir",
    "state_dir",
]

APP = "wundr-tui"


def _xdg(variable: str, fallback: tuple[str, ...]) -> Path:
    # The spec: a relative value is invalid and must be ignored.
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home().joinpath(*fallback)


def config_file() -> Path:
    """``$WUNDR_TUI_CONFIG``, else ``$XDG_CONFIG_HOME/wundr-tui/config.toml``."""
    env = os.environ.get("WUNDR_TUI_CONFIG")
    if env:
        return Path(env)
    return _xdg("XDG_CONFIG_HOME", (".config",)) / APP / "config.toml"


def state_dir() -> Path:
    """``$XDG_STATE_HOME/wundr-tui`` (``~/.local/state/wundr-tui``): logs, audit, favourites."""
    return _xdg("XDG_STATE_HOME", (".local", "state")) / APP


def audit_log(mode: str = "live") -> Path:
    """``audit.jsonl`` in the state dir; ``audit-demo.jsonl`` and ``audit-replay.jsonl``
    beside it for the other modes (``audit.AuditMode``: what was done to the demo fleet is
    no real action)."""
    return state_dir() / ("audit.jsonl" if mode == "live" else f"audit-{mode}.jsonl")


def log_file() -> Path:
    """Where library warnings go (never over the screen)."""
    return state_dir() / "wundr-tui.log"


def saved_logs_dir() -> Path:
    """Where the log view's ``w`` offers to write."""
    return state_dir() / "logs"


def kubeconfig_files(env: str | None = None) -> tuple[Path, ...]:
    """The files kubectl would read: ``$KUBECONFIG``'s entries, else ``~/.kube/config``."""
    value = os.environ.get("KUBECONFIG") if env is None else env
    if value:
        return tuple(Path(p).expanduser() for p in value.split(os.pathsep) if p)
    return (Path.home() / ".kube" / "config",)
