"""The cluster bar: every watched context with its cloud, region and freshness badge."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from wundr_tui.model import Cluster
from wundr_tui.store import Store
from wundr_tui.widgets.freshness import health_badge


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
        line = self._line(store, selected, with_names=True, badge=badge)
        if line.cell_len > self.size.width - 2 and self.size.width:
            line = self._line(store, selected, with_names=False, badge=badge)
        if line != self._shown:
            # Repaint only on change: idle frames then write nothing to the terminal.
            self._shown = line
            # One line, fixed size: no layout pass (that repaints the whole screen, ~5 KB).
            self.update(line, layout=False)

    @staticmethod
    def _line(store: Store, selected: str | None, *, with_names: bool, badge: Text | None) -> Text:
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
            name = f" {cluster.cluster_name}" if with_names else ""
            line.append(f"{name} {cluster.region} ", style="dim" if dim else "")
            line.append_text(health_badge(store, store.health_for(cluster.name)))
        return line
