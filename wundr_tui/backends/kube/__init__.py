"""Live Kubernetes: one KubeSource per kubeconfig context (list then watch every kind the
panes show), the KubeOperator that changes things, and the KubeReader that actions read with.

Rooms: ``http`` (the client, requests, errors), ``watch`` (sources and their per-kind
watchers), ``operator`` (changes and access reviews), ``reader`` (fresh reads for actions),
``parse`` (JSON → model), ``kinds`` (the one registry of kinds), ``contexts`` (kubeconfig)
and ``credentials`` (exec plugins, run by us with a timeout, never on the terminal).
Importing this package does not import the ``kubernetes`` client: ``--help`` and ``--demo``
must not pay for it.
"""

from __future__ import annotations

from wundr_tui.backends.kube.contexts import KubeconfigError, cluster_for, discover_clusters
from wundr_tui.backends.kube.credentials import EXEC_TIMEOUT, ExecPluginError, kill_plugins
from wundr_tui.backends.kube.http import (
    MAX_ANSWER_BYTES,
    MAX_LINE_BYTES,
    ApiClientLoader,
    ApiStatusError,
    KubeHttp,
    describe_error,
    load_api_client,
    parse_page,
    preload,
)
from wundr_tui.backends.kube.operator import KubeOperator
from wundr_tui.backends.kube.reader import KubeReader
from wundr_tui.backends.kube.watch import (
    TABLE_ACCEPT,
    KubeSource,
    KubeTuning,
    PodFormat,
    kube_sources,
)

__all__ = [
    "EXEC_TIMEOUT",
    "MAX_ANSWER_BYTES",
    "MAX_LINE_BYTES",
    "TABLE_ACCEPT",
    "ApiClientLoader",
    "ApiStatusError",
    "ExecPluginError",
    "KubeHttp",
    "KubeOperator",
    "KubeReader",
    "KubeSource",
    "KubeTuning",
    "KubeconfigError",
    "PodFormat",
    "cluster_for",
    "describe_error",
    "discover_clusters",
    "kill_plugins",
    "kube_sources",
    "load_api_client",
    "parse_page",
    "preload",
]
