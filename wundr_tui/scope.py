"""``:ns`` and ``:ctx``: which namespace and which context every pane is narrowed to, how a
typed name is completed, and the favourite namespaces kept per context, as k9s keeps them.

k9s remembers the last namespaces used in each context (its ``favorites``, at most 9) and
offers them first. Here they live in ``$XDG_STATE_HOME/wundr-tui/favourites.json``:
``{"version": 1, "contexts": {"CONTEXT or *": ["ns", ...]}}``, most recent first. The file is
ours, but it is read as untrusted (a hand edit, a truncated write): anything that is not a
list of namespace names is dropped, and the file is bounded. No Textual here.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FAVOURITES_MAX = 9
"""Favourite namespaces kept per context (k9s keeps 9: its digit keys)."""
CONTEXTS_MAX = 64
"""Contexts the file remembers favourites for (the least recently used go first)."""
FILE_MAX = 256 * 1024
"""The largest favourites file read."""
ALL_CONTEXTS = "*"
"""The favourites key while no context is chosen (every cluster shown)."""

NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
"""A Kubernetes namespace name (an RFC 1123 label)."""

NS_WORDS = ("ns", "namespace", "namespaces")
CTX_WORDS = ("ctx", "context", "contexts")


def default_path(mode: str = "live") -> Path:
    """``$XDG_STATE_HOME/wundr-tui/favourites.json`` (``~/.local/state`` without it);
    ``favourites-demo.json`` and ``favourites-replay.json`` for the other modes (a demo's
    namespaces are not a real context's)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    name = "favourites.json" if mode == "live" else f"favourites-{mode}.json"
    return Path(base) / "wundr-tui" / name


class Favourites:
    """The last namespaces used, per context, most recent first; saved on every change."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        """Where they are kept (None: in memory only, as in tests and replays)."""
        self._by_context: dict[str, list[str]] = self._load()

    def _load(self) -> dict[str, list[str]]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as f:
                raw = f.read(FILE_MAX + 1)
        except FileNotFoundError:
            return {}
        except OSError as e:
            log.warning("favourite namespaces not read from %s: %s", self.path, e.strerror)
            return {}
        if len(raw) > FILE_MAX:
            log.warning("favourite namespaces not read: %s is over %d bytes", self.path, FILE_MAX)
            return {}
        try:
            doc = json.loads(raw)
        except ValueError:
            log.warning("favourite namespaces not read: %s is not JSON", self.path)
            return {}
        contexts = doc.get("contexts") if isinstance(doc, dict) else None
        out: dict[str, list[str]] = {}
        for context, names in (contexts if isinstance(contexts, dict) else {}).items():
            if not isinstance(context, str) or not isinstance(names, list):
                continue
            kept = [n for n in names if isinstance(n, str) and NAMESPACE.fullmatch(n)]
            if kept:
                out[context[:512]] = list(dict.fromkeys(kept))[:FAVOURITES_MAX]
            if len(out) >= CONTEXTS_MAX:
                break
        return out

    def of(self, context: str | None) -> list[str]:
        """The favourites of a context (None: while every cluster is shown), newest first."""
        return list(self._by_context.get(context or ALL_CONTEXTS, ()))

    def used(self, context: str | None, namespace: str) -> None:
        """A namespace was chosen in a context: first among its favourites; then saved."""
        key = context or ALL_CONTEXTS
        names = [namespace, *(n for n in self._by_context.get(key, ()) if n != namespace)]
        self._by_context.pop(key, None)
        self._by_context[key] = names[:FAVOURITES_MAX]  # last in the dict: most recent
        while len(self._by_context) > CONTEXTS_MAX:
            del self._by_context[next(iter(self._by_context))]
        self.save()

    def save(self) -> None:
        """Write the file (a temporary file renamed over it: never half written)."""
        if self.path is None:
            return
        doc = {"version": 1, "contexts": self._by_context}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as e:
            log.warning("favourite namespaces not saved to %s: %s", self.path, e.strerror)


@dataclass(frozen=True, slots=True)
class ContextName:
    """One watched context and the names ``:ctx`` knows it by."""

    name: str
    """The context's full name (the store's cluster name)."""
    tag: str
    """The CLUSTER column's tag (``eks``)."""
    cluster: str
    """The cluster's own name (``wundr-production``)."""

    def words(self) -> tuple[str, ...]:
        """Every name it answers to, shortest first."""
        return tuple(dict.fromkeys((self.tag, self.cluster, self.name)))


def find_context(typed: str, contexts: Iterable[ContextName]) -> list[ContextName]:
    """The contexts ``typed`` names: exactly (tag, cluster name or context name), else
    every one whose names start with it."""
    typed = typed.strip()
    every = list(contexts)
    exact = [c for c in every if typed in c.words()]
    if exact:
        return exact
    low = typed.lower()
    return [c for c in every if any(w.lower().startswith(low) for w in c.words())]


def complete(typed: str, candidates: Iterable[str]) -> tuple[str, list[str]]:
    """(the longest completion of ``typed`` the candidates share, the candidates that start
    with it), in the candidates' order."""
    found = list(dict.fromkeys(c for c in candidates if c.startswith(typed)))
    if not found:
        return typed, []
    common = found[0]
    for other in found[1:]:
        n = 0
        while n < min(len(common), len(other)) and common[n] == other[n]:
            n += 1
        common = common[:n]
    return (common if len(common) > len(typed) else typed), found


def split_command(text: str) -> tuple[str, str] | None:
    """``("ns", "team-a")`` for ``ns team-a``, ``("ctx", "")`` for ``ctx``; None for any
    other command."""
    word, _, rest = text.strip().partition(" ")
    word = word.lower()
    if word in NS_WORDS:
        return "ns", rest.strip()
    if word in CTX_WORDS:
        return "ctx", rest.strip()
    return None
