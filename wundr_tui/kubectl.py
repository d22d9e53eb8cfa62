"""The kubectl command that shows what a row, a YAML view or a log view shows, for the copy keys
(``copy.name``, ``copy.kubectl``): ``kubectl --context CTX -n NS describe pod NAME``.

Names come from clusters and are hostile text: every part is quoted with ``shlex.quote`` (a pod
named ``x; rm -rf ~`` is one argument), and text holding a control or invisible character is
never offered for the clipboard at all (``clipboard_text``): a terminal would obey it when
pasted. No Textual here."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from wundr_tui.backends.base import LogQuery
from wundr_tui.model import Kind
from wundr_tui.safe_text import is_safe
from wundr_tui.store import Store

RESOURCES: dict[Kind, str] = {
    Kind.POD: "pod",
    Kind.DEPLOYMENT: "deployment",
    Kind.SERVICE: "service",
    Kind.HPA: "hpa",
    Kind.NODE: "node",
    Kind.SCHEDULE: "schedules.velero.io",
    Kind.BACKUP: "backups.velero.io",
    Kind.RESTORE: "restores.velero.io",
}
"""Kinds kubectl can show, as kubectl names them (Velero's with their group: ``backup`` alone
is ambiguous on clusters with other backup CRDs). Node pools, replica links and alerts live in
clouds, databases and Alertmanager: no kubectl command shows them."""

VELERO_NAMESPACE = "velero"
"""Where Velero's objects live (the watcher's and the restore action's default)."""

_CLUSTER_WIDE = frozenset({Kind.NODE})


def _where(kind: Kind, key: str) -> tuple[str, str]:
    """(namespace, name) from a store key (``ns/name``; a node's and Velero's are names)."""
    if kind in _CLUSTER_WIDE:
        return "", key
    if kind in (Kind.SCHEDULE, Kind.BACKUP, Kind.RESTORE):
        return VELERO_NAMESPACE, key
    namespace, _, name = key.rpartition("/")
    return namespace, name


def _join(parts: Sequence[str]) -> str:
    return " ".join(shlex.quote(p) for p in parts)


def _prefix(context: str, namespace: str) -> list[str]:
    return ["kubectl", "--context", context, *(["-n", namespace] if namespace else [])]


def describe(context: str, kind: Kind, key: str) -> str | None:
    """``kubectl --context CTX -n NS describe pod NAME``; None for a kind kubectl cannot show."""
    resource = RESOURCES.get(kind)
    if resource is None:
        return None
    namespace, name = _where(kind, key)
    return _join([*_prefix(context, namespace), "describe", resource, name])


def get_yaml(context: str, kind: Kind, key: str) -> str | None:
    """``kubectl --context CTX -n NS get pod NAME -o yaml``; None for a kind kubectl cannot
    show."""
    resource = RESOURCES.get(kind)
    if resource is None:
        return None
    namespace, name = _where(kind, key)
    return _join([*_prefix(context, namespace), "get", resource, name, "-o", "yaml"])


def logs(query: LogQuery, contexts: Sequence[str]) -> str | None:
    """``kubectl --context CTX -n NS logs POD [-c C] [--previous] [--since=Ns]``: a group's by
    its label selector (or its Deployment), on each of ``contexts`` (the clusters the view
    reads), joined by ``;``; None with no context."""
    if query.pod:
        what = [query.pod]
    elif query.selector:
        what = ["-l", ",".join(f"{k}={v}" for k, v in query.selector), "--prefix"]
    else:
        what = [f"deployment/{query.owner}"]
    # The view shows every container unless one is picked; so does --all-containers.
    flags = ["-c", query.container] if query.container else ["--all-containers"]
    if query.previous:
        flags.append("--previous")
    if query.since_seconds is not None:
        flags.append(f"--since={query.since_seconds}s")
    commands = [
        _join([*_prefix(context, query.namespace), "logs", *what, *flags]) for context in contexts
    ]
    return "; ".join(commands) or None


def object_name(store: Store, cluster: str, kind: Kind, key: str) -> str:
    """What a person calls the object: its name (an alert's is its alertname; a key's last
    part when the store no longer has it)."""
    obj = store.get(cluster, kind, key)
    name = getattr(obj, "name", "")
    return name if isinstance(name, str) and name else key.rpartition("/")[2]


def clipboard_text(text: str) -> str | None:
    """``text`` as it may go to the clipboard: None when it holds a control or invisible
    character (a terminal would obey it on paste), or is empty."""
    return text if text and is_safe(text) else None
