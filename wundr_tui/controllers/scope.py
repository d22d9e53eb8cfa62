"""``:ns NAME`` / ``:ns all`` and ``:ctx NAME`` / ``:ctx all`` at runtime: narrow every pane to
a namespace and/or a context (the cluster filter ``c`` cycles), Tab-complete the names from
what the store knows, and remember the last namespaces used per context as favourites."""

from __future__ import annotations

from typing import Protocol

from textual.notifications import SeverityLevel

from wundr_tui.model import Kind
from wundr_tui.safe_text import safe
from wundr_tui.scope import ContextName, Favourites, complete, find_context, split_command
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store

NAMESPACED = (Kind.POD, Kind.DEPLOYMENT, Kind.HPA, Kind.EVENT)
"""The kinds whose namespaces ``:ns`` completes from."""


class ScopeHost(Protocol):
    """What the scope commands need from the app."""

    store: Store
    cluster_filter: str | None
    namespace_filter: str | None
    cluster_tags: dict[str, str]

    @property
    def pane(self) -> PaneScreen | None:
        """The pane on screen (None: a view over it)."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast."""
        ...


class ScopeCommands:
    """Runs and completes ``:ns`` and ``:ctx``."""

    def __init__(self, host: ScopeHost, favourites: Favourites) -> None:
        self.host = host
        self.favourites = favourites
        """The last namespaces used, per context."""

    # -- what the store knows --------------------------------------------------------------

    def namespaces(self) -> list[str]:
        """Namespaces seen (in the chosen context, or every one), sorted, favourites first."""
        host = self.host
        chosen = host.cluster_filter
        seen: set[str] = set()
        for kind in NAMESPACED:
            for cluster, obj in host.store.all(kind):
                if chosen is None or cluster == chosen:
                    ns = getattr(obj, "namespace", "")
                    if ns:
                        seen.add(ns)
        favourites = [n for n in self.favourites.of(chosen)]
        return list(dict.fromkeys([*favourites, *sorted(seen)]))

    def contexts(self) -> list[ContextName]:
        """Every watched context, with its tag and cluster name."""
        host = self.host
        return [
            ContextName(name, host.cluster_tags.get(name, name), c.cluster_name or name)
            for name, c in host.store.clusters.items()
        ]

    # -- commands --------------------------------------------------------------------------

    def handles(self, text: str) -> bool:
        """Whether ``text`` (after ``:``) is ``ns …`` or ``ctx …``."""
        return split_command(text) is not None

    def run(self, text: str, *, remember: bool = True) -> None:
        """``ns NAME`` / ``ns all`` / ``ns`` (says which and the favourites); ``ctx NAME`` /
        ``ctx all`` / ``ctx``."""
        split = split_command(text)
        if split is None:
            return
        what, arg = split
        if what == "ns":
            self._namespace(arg, remember=remember)
        else:
            self._context(arg)

    def _namespace(self, arg: str, *, remember: bool = True) -> None:
        host = self.host
        if not arg:
            now = host.namespace_filter or "all"
            favourites = ", ".join(self.favourites.of(host.cluster_filter)) or "none yet"
            host.notify(
                safe(f"namespace: {now} · favourites: {favourites} (:ns NAME, :ns all)"),
                markup=False,
                timeout=5,
            )
            return
        if arg.lower() in ("all", "*", "-a", "--all"):
            chosen: str | None = None
        else:
            chosen = arg
            if chosen not in self.namespaces():
                host.notify(
                    safe(f"namespace {arg}: none of its objects seen yet (narrowed anyway)"),
                    severity="warning",
                    markup=False,
                    timeout=4,
                )
            if remember:
                self.favourites.used(host.cluster_filter, chosen)
        host.namespace_filter = chosen
        pane = host.pane
        if pane is not None:
            pane.set_filter(namespace=chosen)
        host.notify(safe(f"namespace: {chosen or 'all'}"), markup=False, timeout=2)

    def _context(self, arg: str) -> None:
        host = self.host
        contexts = self.contexts()
        if not arg:
            now = host.cluster_tags.get(host.cluster_filter or "", "all")
            names = ", ".join(c.tag for c in contexts)
            host.notify(safe(f"context: {now} · {names} (:ctx NAME, :ctx all)"), markup=False)
            return
        if arg.lower() in ("all", "*"):
            chosen: str | None = None
        else:
            found = find_context(arg, contexts)
            if len(found) != 1:
                why = "no such context" if not found else "more than one: be more precise"
                names = ", ".join(c.tag for c in found or contexts)
                host.notify(
                    safe(f"context {arg}: {why} ({names})"),
                    severity="warning",
                    markup=False,
                    timeout=5,
                )
                return
            chosen = found[0].name
        host.cluster_filter = chosen
        pane = host.pane
        if pane is not None:
            pane.set_filter(cluster=chosen)
        label = host.cluster_tags.get(chosen or "", "all clusters")
        host.notify(safe(f"context: {label}"), markup=False, timeout=2)

    # -- Tab -------------------------------------------------------------------------------

    def complete(self, typed: str) -> str | None:
        """The command line after Tab (None: nothing to add); with several candidates, a
        toast lists them (favourite namespaces first)."""
        split = split_command(typed)
        if split is None:
            return None
        what, arg = split
        word = typed.strip().partition(" ")[0].lower()
        if what == "ns":
            candidates = ["all", *self.namespaces()]
        else:
            candidates = ["all", *(w for c in self.contexts() for w in c.words())]
        done, found = complete(arg, candidates)
        if len(found) == 1:
            return f"{word} {found[0]}"
        if len(found) > 1:
            favourites = self.favourites.of(self.host.cluster_filter) if what == "ns" else []
            shown = [f"★{n}" if n in favourites else n for n in found[:12]]
            more = f" … {len(found) - 12} more" if len(found) > 12 else ""
            self.host.notify(safe("  ".join(shown) + more), markup=False, timeout=4)
        return f"{word} {done}" if done != arg or not arg else None
