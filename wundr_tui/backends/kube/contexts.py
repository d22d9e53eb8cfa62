"""Find the clusters to watch in kubeconfig, as kubectl reads it.

``KUBECONFIG`` may list several files (``:``-separated, ``;`` on Windows); they merge with the
first file to define a name winning, like kubectl. Without it, ``~/.kube/config`` is read.
Context names say where a cluster is: ``arn:aws:eks:REGION:ACCOUNT:cluster/NAME`` for EKS,
``gke_PROJECT_LOCATION_NAME`` for GKE.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wundr_tui import paths
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.model import Cloud, Cluster, says_production


class KubeconfigError(Exception):
    """kubeconfig is missing, unreadable or lacks a context; ``str()`` is one readable line."""


_EKS_ARN = re.compile(
    r"^arn:aws[\w-]*:eks:(?P<region>[\w-]+):(?P<account>\d+):cluster/(?P<name>.+)$"
)
_GKE = re.compile(r"^gke_(?P<project>[^_]+)_(?P<location>[a-z0-9-]+)_(?P<name>.+)$")


@dataclass(frozen=True, slots=True)
class ContextName:
    """What a context's name says about where its cluster runs."""

    cloud: Cloud
    region: str
    cluster_name: str
    account: str = ""
    """AWS account id or GCP project."""


def parse_context_name(name: str) -> ContextName | None:
    """Cloud, region and cluster from an EKS ARN or a ``gke_…`` name; None for anything else."""
    m = _EKS_ARN.match(name)
    if m:
        return ContextName("aws", m["region"], m["name"], m["account"])
    m = _GKE.match(name)
    if m:
        return ContextName("gcp", m["location"], m["name"], m["project"])
    return None


@dataclass
class Kubeconfig:
    """The merged view of one or more kubeconfig files."""

    paths: tuple[Path, ...]
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Context name → its ``context`` mapping (cluster, user, namespace)."""
    current_context: str = ""

    @property
    def path_list(self) -> str:
        """The files read, for messages."""
        return os.pathsep.join(str(p) for p in self.paths)


def kubeconfig_paths(env: str | None = None) -> tuple[Path, ...]:
    """The files kubectl would read: ``$KUBECONFIG``'s entries, else ``~/.kube/config``."""
    return paths.kubeconfig_files(env)


def read_kubeconfig(paths: Sequence[Path] | None = None) -> Kubeconfig:
    """Read and merge kubeconfig files; missing files in a list are skipped, as kubectl does."""
    import yaml  # lazy: a dependency of kubernetes, not needed for --help

    files = tuple(paths) if paths is not None else kubeconfig_paths()
    merged = Kubeconfig(paths=files)
    found = False
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise KubeconfigError(f"cannot read kubeconfig {path}: {exc}") from None
        found = True
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise KubeconfigError(f"kubeconfig {path} is not valid YAML{where}") from None
        if not isinstance(data, dict):
            raise KubeconfigError(f"kubeconfig {path} is not a kubeconfig (expected a mapping)")
        contexts = data.get("contexts") or []
        if not isinstance(contexts, list):
            raise KubeconfigError(f"kubeconfig {path}: 'contexts' should be a list")
        for item in contexts:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise KubeconfigError(f"kubeconfig {path}: a context has no name")
            merged.contexts.setdefault(item["name"], item.get("context") or {})
        if not merged.current_context and isinstance(data.get("current-context"), str):
            merged.current_context = data["current-context"]
    if not found:
        where = " or ".join(str(p) for p in files)
        raise KubeconfigError(
            f"no kubeconfig found at {where}; set KUBECONFIG or run "
            "`aws eks update-kubeconfig` / `gcloud container clusters get-credentials`"
        )
    return merged


def cluster_for(context: str, cluster_config: ClusterConfig | None = None) -> Cluster:
    """The Cluster a context stands for (cloud, region and name parsed from its name)."""
    parsed = parse_context_name(context)
    production = (
        cluster_config.production if cluster_config is not None else says_production(context)
    )
    read_only = cluster_config.read_only if cluster_config is not None else False
    if parsed is None:
        return Cluster(context, "other", "", context, production, read_only)
    return Cluster(context, parsed.cloud, parsed.region, parsed.cluster_name, production, read_only)


def discover_clusters(
    config: Config,
    contexts: Sequence[str] = (),
    kubeconfig: Kubeconfig | None = None,
) -> list[Cluster]:
    """The clusters to watch: the config's, else the ``--context`` names, else every context
    named as an EKS ARN or a GKE context. Raises KubeconfigError with one readable line."""
    kc = kubeconfig if kubeconfig is not None else read_kubeconfig()
    by_name = {c.context: c for c in config.clusters}
    if config.clusters:
        wanted = [c.context for c in config.clusters]
    elif contexts:
        wanted = list(dict.fromkeys(contexts))
    else:
        wanted = [name for name in kc.contexts if parse_context_name(name) is not None]
        if not wanted:
            raise KubeconfigError(
                f"no EKS or GKE context in {kc.path_list}; name one with --context "
                "or list clusters in the config file"
            )
    missing = [name for name in wanted if name not in kc.contexts]
    if missing:
        known = ", ".join(sorted(kc.contexts)) or "none"
        raise KubeconfigError(
            f"context {missing[0]!r} is not in {kc.path_list} (contexts there: {known})"
        )
    clusters = []
    for name in wanted:
        cluster = cluster_for(name, by_name.get(name))
        if config.read_only and not cluster.read_only:
            cluster = Cluster(
                cluster.name,
                cluster.cloud,
                cluster.region,
                cluster.cluster_name,
                cluster.production,
                True,
            )
        clusters.append(cluster)
    return clusters
