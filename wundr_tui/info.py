"""``wundr-tui info``: every path the cockpit uses, the contexts it finds, its dependencies.

What someone debugging an install asks first ("which config did it read? where is the audit
log? why is my context not watched?"), answered without connecting to anything. Works with no
config, no kubeconfig and no network; every line goes through ``safe`` (context names and
paths come from files and the environment).
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wundr_tui import __version__, paths
from wundr_tui.safe_text import safe

if TYPE_CHECKING:
    from wundr_tui.config import Config

__all__ = ["dependency_versions", "report"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _state(path: Path) -> str:
    try:
        return "" if path.exists() else "  (not there)"
    except OSError as exc:
        return f"  (unreadable: {exc.strerror or exc})"


def dependency_versions(dist: str = "wundr-tui") -> list[tuple[str, str]]:
    """(name, installed version) for each runtime requirement of the installed ``dist``."""
    try:
        requires = importlib.metadata.requires(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    found: list[tuple[str, str]] = []
    for line in requires:
        if "extra ==" in line.replace("extra==", "extra =="):
            continue  # test tools are not what the cockpit runs on
        match = _NAME.match(line)
        if match is None:
            continue
        name = match.group(0)
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "NOT INSTALLED"
        found.append((name, version))
    return found


def _context_lines(config: Config) -> list[str]:
    from wundr_tui.backends.kube.contexts import (
        KubeconfigError,
        cluster_for,
        discover_clusters,
        read_kubeconfig,
    )

    try:
        kc = read_kubeconfig(paths.kubeconfig_files())
    except KubeconfigError as exc:
        return [f"  none: {exc}"]
    try:
        watched = {c.name for c in discover_clusters(config, (), kc)}
        note = ""
    except KubeconfigError as exc:
        watched, note = set(), f"  watched without --context: none ({exc})"
    by_name = {c.context: c for c in config.clusters}
    lines: list[str] = []
    for name in kc.contexts:
        cluster = cluster_for(name, by_name.get(name))
        cloud = {"aws": "EKS", "gcp": "GKE"}.get(cluster.cloud, "other")
        flags = [
            word
            for word, on in (
                ("watched", name in watched),
                ("current", name == kc.current_context),
                ("production", cluster.production),
                ("read-only", cluster.read_only or config.read_only),
            )
            if on
        ]
        where = f"{cloud} {cluster.region or '-'} {cluster.cluster_name}"
        lines.append(f"  {name}")
        lines.append(f"      {where}" + (f"  [{', '.join(flags)}]" if flags else ""))
    if not lines:
        lines.append("  none (the kubeconfig names no context)")
    if note:
        lines.append(note)
    return lines


def report(config_path: str | None = None, out: Callable[[str], None] = print) -> int:
    """Print the report; 2 if the config file is broken (everything else is still shown)."""
    from wundr_tui.config import Config, ConfigError, load

    config_file = Path(config_path) if config_path else paths.config_file()
    config, config_error = Config(), ""
    try:
        config = load(config_path) if config_path else load()
    except ConfigError as exc:
        config_error = str(exc)  # the contexts are then shown as with no config
    if config_error:
        config_note = f"  (INVALID: {config_error})"
    elif not config_file.exists():
        config_note = "  (not there: defaults, clusters from kubeconfig)"
    else:
        config_note = ""
    lines = [
        f"wundr-tui {__version__} on Python {platform.python_version()} ({sys.executable})",
        "",
        "paths:",
        f"  config      {config_file}{config_note}",
        f"  state dir   {paths.state_dir()}{_state(paths.state_dir())}",
        f"  audit log   {paths.audit_log('live')}{_state(paths.audit_log('live'))}",
        f"              {paths.audit_log('demo')} (demo), {paths.audit_log('replay')} (replay)",
        f"  log file    {paths.log_file()}{_state(paths.log_file())}",
        f"  saved logs  {paths.saved_logs_dir()}{_state(paths.saved_logs_dir())}",
    ]
    for i, kubeconfig in enumerate(paths.kubeconfig_files()):
        label = "kubeconfig" if i == 0 else ""
        lines.append(f"  {label:<10}  {kubeconfig}{_state(kubeconfig)}")
    lines += ["", "contexts:", *_context_lines(config), "", "dependencies:"]
    versions = dependency_versions()
    width = max((len(name) for name, _ in versions), default=0)
    lines += [f"  {name:<{width}}  {version}" for name, version in versions]
    if not versions:
        lines.append("  unknown (wundr-tui is not installed as a distribution)")
    for line in lines:
        out(safe(line))
    return 2 if config_error else 0
