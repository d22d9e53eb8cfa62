"""The cluster bar: every watched context with its cloud, region and freshness badge."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from wundr_tui.model import Cluster, SourceHealth
from wundr_tui.store import Store
from wundr_tui.widgets.freshness import health_badge
from wundr_tui.widgets.mode_badge import any_production, prod_badge


def cluster_tags(clusters: list[Cluster]) -> dict[str, str]:
    """Short, unique tags for the CLUSTER column: ``eks`` / ``gke`` when that is unique."""
    prefixes = [c.short.split("/")[0] for c in clusters]
    tags = {}
    for c, prefix in zip(clusters, prefixes, strict=True):
        tag = prefix if prefixes.count(prefix) == 1 else c.short
        tags[c.name] = tag[:20]
    return tags


class ClusterBar(Static):
    """One line: the mode badge (``DEMO``...), then ``EKS wundr-production us-east-1 ● live │
    GKE ... ``. The badge comes first so that a narrow terminal cuts the clusters, never it."""

    DEFAULT_CSS = """
    ClusterBar { height: 1; width: 1fr; background: $panel; padding: 0 1; }
    """

    _shown: Text | None = None

    def show(self, store: Store, selected: str | None, badge: Text | None = None) -> None:
        """Redraw from the store; ``selected`` is the cluster filter (None: all); ``badge``
        the mode badge (see ``mode_badge``), if any."""
        self.set_class(any_production(store.clusters.values(), selected), "-production")
        line = self._line(store, selected, with_names=True, badge=badge)
        if line.cell_len > self.size.width - 2 and self.size.width:
            line = self._line(store, selected, with_names=False, badge=badge)
        if line.cell_len > self.size.width - 2 and self.size.width:
            line = self._line(store, selected, with_names=False, badge=badge, compact=True)
        if line.cell_len > self.size.width - 2 and self.size.width:
            # Mode badges and PROD badges too: the regions go, never a badge.
            line = self._line(
                store, selected, with_names=False, badge=badge, compact=True, regions=False
            )
        if line != self._shown:
            # Repaint only on change: idle frames then write nothing to the terminal.
            self._shown = line
            # One line, fixed size: no layout pass (that repaints the whole screen, ~5 KB).
            self.update(line, layout=False)

    @staticmethod
    def _line(
        store: Store,
        selected: str | None,
        *,
        with_names: bool,
        badge: Text | None,
        compact: bool = False,
        regions: bool = True,
    ) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if badge:
            line.append_text(badge)
            line.append(" ")
        if not store.clusters:
            line.append("connecting…", style="cyan")
        for i, cluster in enumerate(store.clusters.values()):
            if i:
                line.append(" │ ", style="dim")
            dim = selected is not None and selected != cluster.name
            prefix = cluster.short.split("/")[0].upper()
            line.append(prefix, style="bold dim" if dim else "bold reverse")
            if cluster.production:
                line.append(" ")
                line.append_text(prod_badge(dim))
            name = f" {cluster.cluster_name}" if with_names else ""
            where = f" {cluster.region}" if regions else ""
            line.append(f"{name}{where} ", style="dim" if dim else "")
            line.append_text(health_parts(store, cluster, compact=compact))
        return line


_PART_LABEL = {"k8s": "k8s", "alerts": "alerts", "db": "db"}


def health_parts(store: Store, cluster: Cluster, *, compact: bool = False) -> Text:
    """``k8s ● live · aws ✖ no AWS credentials found; retrying in 31s``: the cluster's
    Kubernetes sources and its cloud APIs as separate badges, so one failing cloud API does
    not make a live cluster look down. Alert and database sources join only when something is
    wrong with them. ``compact``: a part that is fine is its glyph alone (``k8s●``)."""
    families: dict[str, list[SourceHealth]] = {}
    for h in store.health_for(cluster.name):
        families.setdefault(h.family, []).append(h)
    text = Text()
    order = ("k8s", "cloud", "alerts", "db")
    for family in sorted(families, key=order.index):
        healths = families[family]
        part = health_badge(store, healths, short=True)
        fine = all(store.effective_health(h).state in ("live", "absent") for h in healths)
        if family in ("alerts", "db") and fine:
            continue
        if text:
            text.append(" · ", style="dim")
        label = cluster.cloud if family == "cloud" and cluster.cloud != "other" else family
        label = _PART_LABEL.get(label, label)
        if compact and fine and part.plain.startswith("● live"):
            text.append(f"{label}", style="")
            text.append("●", style=part.style)
            continue
        text.append(f"{label} ")
        text.append_text(part)
    if not text:
        return health_badge(store, ())
    return text
