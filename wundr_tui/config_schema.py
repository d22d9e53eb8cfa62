"""The config file's one typed schema (msgspec): every table, key, type, range and name rule.

``config.parse`` converts the TOML document into :class:`ConfigFile` with ``msgspec.convert``;
nothing here is checked by hand. Each constrained type carries its rule in words
(``Meta.description``), so an error names the key, the value and the rule it broke.

Names that end up in a request path or an API call (namespaces, context parts, cloud ids) follow
the rules Kubernetes and the clouds apply themselves, so a config can never point a request
anywhere else (``namespaces = ["../../../api/v1/secrets"]`` is refused before any request).
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct, field

from wundr_tui.model import BlueGreenSpec

# -- name rules (regex fragments, unanchored; the types below anchor them) ----------------------

CONTROL = (
    "\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
)
"""C0, C1, DEL and the invisible format / bidirectional controls: never in a config string."""
TEXT = f"[^{CONTROL}]"

DNS1123_LABEL = r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"
DNS1035_LABEL = r"[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?"
DNS1123_SUBDOMAIN = rf"(?=[^/]{{1,253}}(?:/|\Z)){DNS1123_LABEL}(?:\.{DNS1123_LABEL})*"
LABEL_NAME = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
LABEL_KEY = rf"(?:{DNS1123_SUBDOMAIN}/)?{LABEL_NAME}"

AWS_PARTITION = r"aws(?:-[a-z]+)*"
AWS_REGION = r"[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}"
AWS_ACCOUNT = r"[0-9]{12}"
EKS_CLUSTER = r"[A-Za-z0-9][-A-Za-z0-9_]{0,99}"
EKS_ARN = rf"arn:{AWS_PARTITION}:eks:{AWS_REGION}:{AWS_ACCOUNT}:cluster/{EKS_CLUSTER}"
RDS_INSTANCE = r"[A-Za-z](?:-?[A-Za-z0-9]){0,62}"
RDS_ARN = rf"arn:{AWS_PARTITION}:rds:{AWS_REGION}:{AWS_ACCOUNT}:db:{RDS_INSTANCE}"

GCP_PROJECT = r"(?:[a-z][-a-z0-9.]{0,61}[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]"
GCP_REGION = r"[a-z]+(?:-[a-z]+)+[0-9]{1,2}"
GCP_LOCATION = rf"{GCP_REGION}(?:-[a-z])?"
GKE_CLUSTER = r"[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?"
GKE_CONTEXT = rf"gke_{GCP_PROJECT}_{GCP_LOCATION}_{GKE_CLUSTER}"
CLOUDSQL_INSTANCE = r"[a-z](?:[-a-z0-9]{0,96}[a-z0-9])?"

# A name shaped like an EKS or GKE context (wider than what the kubeconfig reader parses) must
# be a valid one: its parts go into EKS and GKE API paths and endpoint host names.
_LOOKS_EKS = r"arn:[^:]*:eks:"
_LOOKS_GKE = r"gke_[^_]*_[^_]*_"
CONTEXT = rf"{EKS_ARN}|{GKE_CONTEXT}|(?!{_LOOKS_EKS})(?!{_LOOKS_GKE}){TEXT}+"

URL = (
    r"https?://(?:[-A-Za-z0-9._~%!$&'()*+,;=:]+@)?(?:[-A-Za-z0-9._]+|\[[0-9A-Fa-f:.]+\])"
    r"(?::[0-9]{1,5})?(?:/[!-~]*)?"
)


def _rule(pattern: str, rule: str, max_length: int, *, blank: bool = False) -> Meta:
    """A whole-string match (``\\Z``, not ``$``: ``$`` would let a trailing newline through)."""
    anchored = rf"\A(?:{pattern})\Z" if not blank else rf"\A(?:{pattern})?\Z"
    return Meta(pattern=anchored, max_length=max_length, description=rule)


_PRINTABLE = "printable text (no control or invisible characters)"

Namespace = Annotated[
    str,
    _rule(
        DNS1123_LABEL,
        "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a "
        "letter or digit, at most 63 characters)",
        63,
    ),
]
ServiceName = Annotated[
    str,
    _rule(
        DNS1035_LABEL,
        "a DNS-1035 label (lowercase letters, digits and '-', starting with a letter and "
        "ending with a letter or digit, at most 63 characters)",
        63,
    ),
]
LabelKey = Annotated[
    str,
    _rule(
        LABEL_KEY,
        "a Kubernetes label key ([DNS-1123 subdomain/]name: letters, digits, '-', '_' and "
        "'.', starting and ending with a letter or digit, name at most 63 characters)",
        317,
    ),
]
LabelValue = Annotated[
    str,
    _rule(
        LABEL_NAME,
        "a Kubernetes label value (letters, digits, '-', '_' and '.', starting and ending "
        "with a letter or digit, at most 63 characters)",
        63,
    ),
]
ContextName = Annotated[
    str,
    _rule(
        CONTEXT,
        "a kubeconfig context name: an EKS ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME), "
        "gke_PROJECT_LOCATION_CLUSTER with valid GCP ids, or other printable text, "
        "at most 512 characters",
        512,
    ),
]
GcpProject = Annotated[
    str,
    _rule(
        GCP_PROJECT,
        "a GCP project id (6 to 30 lowercase letters, digits and '-', starting with a letter, "
        "not ending with '-')",
        94,
        blank=True,
    ),
]
Region = Annotated[
    str,
    _rule(
        r"[a-z0-9][-a-z0-9]*",
        "a region name (lowercase letters, digits and '-', like us-east-1 or us-central1)",
        64,
        blank=True,
    ),
]
InstanceId = Annotated[
    str,
    _rule(
        rf"{RDS_INSTANCE}|{RDS_ARN}|{CLOUDSQL_INSTANCE}",
        "a database instance id (letters, digits and '-', starting with a letter)",
        160,
        blank=True,
    ),
]
Url = Annotated[
    str,
    _rule(
        URL,
        "an http:// or https:// URL (host, optional port and path, no spaces)",
        2048,
        blank=True,
    ),
]
Label = Annotated[str, _rule(f"{TEXT}*", f"{_PRINTABLE}, at most 253 characters", 253)]
Author = Annotated[str, _rule(f"{TEXT}*", f"{_PRINTABLE}, at most 256 characters", 256)]
Profile = Annotated[str, _rule(f"{TEXT}*", f"{_PRINTABLE}, at most 128 characters", 128)]
Dsn = Annotated[str, _rule(f"{TEXT}*", f"{_PRINTABLE}, at most 4096 characters", 4096)]

KeyString = Annotated[
    str,
    _rule(
        r"[!-~]+",
        'a key as Textual names it ("x", "X", "ctrl+x", "f5", "question_mark" or '
        '"?"), or several joined by commas ("x,ctrl+x"), at most 64 characters',
        64,
    ),
]
KeysTable = dict[str, KeyString | dict[str, KeyString | dict[str, KeyString]]]
"""``[keys]``: binding id → key(s). Ids are dotted (``act.scale``); TOML reads an unquoted
``act.scale = "z"`` as a nested table, which ``config`` flattens back into the id. The one
other key is ``profile``."""
KEY_PROFILES = ("default", "k9s")
"""The key profiles ``[keys] profile`` (or ``keys = "k9s"``) may name."""

# -- number ranges: every number has both bounds, so nan and +-inf never pass ------------------

Hz = Annotated[float, Meta(gt=0, le=60, description="frames per second")]
LagSeconds = Annotated[float, Meta(gt=0, le=86400, description="seconds")]
StaleSeconds = Annotated[float, Meta(ge=1, le=86400, description="seconds")]
PollInterval = Annotated[float, Meta(ge=1, le=3600, description="seconds")]
RevertSeconds = Annotated[float, Meta(gt=0, le=3600, description="seconds")]
AckSeconds = Annotated[float, Meta(ge=60, le=86400, description="seconds, 60 to 86400")]
CapacityRatio = Annotated[
    float, Meta(ge=0, le=1, description="a fraction of the live colour's capacity, 0 to 1")
]
PluginSeconds = Annotated[float, Meta(ge=1, le=300, description="seconds")]
EventCount = Annotated[int, Meta(ge=100, le=100_000, description="events per cluster")]
BufferLines = Annotated[int, Meta(ge=1_000, le=1_000_000, description="lines")]
LogStreams = Annotated[int, Meta(ge=1, le=500, description="streams")]

SignalStep = Annotated[float, Meta(ge=5, le=600, description="seconds")]
SeriesCount = Annotated[int, Meta(ge=1, le=200, description="services per cluster")]
ErrorRatio = Annotated[float, Meta(gt=0, le=1, description="a share of requests, 0 to 1")]
LatencySeconds = Annotated[float, Meta(gt=0, le=600, description="seconds")]
PromQL = Annotated[
    str, _rule(f"{TEXT}+", "a PromQL expression (printable text, at most 4096 characters)", 4096)
]

Engine = Literal["postgres", "rds", "cloudsql"]

Theme = Literal[
    "textual-dark",
    "textual-light",
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "tokyo-night",
]
"""Textual's built-in themes (``ansi-dark``: the terminal's own 16 colours). Written out, as
this module does not import Textual; a test checks it against the pinned Textual's list."""

_BG = BlueGreenSpec()


class _Table(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A TOML table: unknown keys are errors, values are never coerced (``"5"`` is not 5)."""


class ClusterConfig(_Table, frozen=True):
    """One Kubernetes context to watch, and what belongs to it (``[[clusters]]``)."""

    context: ContextName
    """kubeconfig context name (EKS ARN, ``gke_PROJECT_LOCATION_NAME`` or anything)."""
    production: bool = False
    """Actions on it need the cluster name typed to confirm. Default: the name says prod."""
    read_only: bool = False
    namespaces: tuple[Namespace, ...] = ()
    """Watch only these namespaces; empty means cluster-wide."""
    prometheus: Url = ""
    """Prometheus base URL for this cluster's alerts."""
    alertmanager: Url = ""
    """Alertmanager base URL (API v2) for this cluster's alerts and silences."""
    aws_profile: Profile = ""
    """boto3 profile for EKS / RDS / CloudWatch calls; blank: boto3's default chain."""
    gcp_project: GcpProject = ""
    """GCP project (GKE); blank: parsed from the context name."""
    cloud_api: bool = True
    """Poll the cloud's node-pool API (EKS node groups, GKE node pools) for this cluster;
    false: no cloud credentials are needed, the Node pools pane lists pools from node labels."""


class DatabaseConfig(_Table, frozen=True):
    """One replication topology to watch (``[[databases]]``)."""

    engine: Engine
    """``postgres``, ``rds`` or ``cloudsql``."""
    cluster: ContextName
    """Context name the links are shown under (its cluster bar entry)."""
    name: Label = ""
    dsn: Dsn = ""
    """postgres: libpq connection string of the primary (``service=NAME`` works); no password."""
    replica_dsns: tuple[Dsn, ...] = ()
    """postgres: optional replica connection strings (for replay LSN and timestamp)."""
    region: Region = ""
    """rds: AWS region of the primary; cloudsql: region of the primary."""
    instance: InstanceId = ""
    """rds: DB instance identifier of the primary; cloudsql: instance name."""
    project: GcpProject = ""
    """cloudsql: GCP project."""
    poll_seconds: PollInterval = 0.0
    """0 (the key left out): the backend's default."""


class BlueGreenTable(_Table, frozen=True):
    """``[[blue_green]]``: which Service switches between which two selector values."""

    namespace: Namespace = _BG.namespace
    service: ServiceName = _BG.service
    key: LabelKey = _BG.key
    blue: LabelValue = _BG.blue
    green: LabelValue = _BG.green


class PollSeconds(_Table, frozen=True):
    """``[poll_seconds]``: how often the cloud APIs are polled; None: the backend's default."""

    nodepools: PollInterval | None = None
    """EKS DescribeNodegroup / GKE ListNodePools."""
    alerts: PollInterval | None = None
    """Prometheus and Alertmanager alert lists."""
    signals: PollInterval | None = None
    """Prometheus range queries of the golden signals (the Services pane; default 30)."""


REQUESTS_QUERY = "sum(rate(http_requests_total[5m])) by (service)"
"""Requests per second by service: the denominator of the seed's HighErrorRate rule."""
ERRORS_QUERY = (
    'sum(rate(http_requests_total{status=~"5.."}[5m])) by (service)'
    " / sum(rate(http_requests_total[5m])) by (service)"
)
"""The seed's HighErrorRate expression without its ``> 0.05``: the 5xx share by service."""
LATENCY_QUERY = (
    "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le))"
)
"""The seed's HighLatency expression without its ``> 1``: p95 latency by service."""


class GoldenSignalsConfig(_Table, frozen=True):
    """``[golden_signals]``: the Services pane's Prometheus range queries (each must give one
    series per ``service`` label), the alert thresholds drawn on their sparklines, and bounds.
    The defaults are the seed platform's own alerting rules."""

    requests: PromQL = REQUESTS_QUERY
    errors: PromQL = ERRORS_QUERY
    latency_p95: PromQL = LATENCY_QUERY
    error_threshold: ErrorRatio = 0.05
    """HighErrorRate's ``> 0.05``."""
    latency_threshold: LatencySeconds = 1.0
    """HighLatency's ``> 1`` (seconds)."""
    step_seconds: SignalStep = 60.0
    """Seconds between points of the 30 minutes asked for (5 to 600)."""
    max_series: SeriesCount = 50
    """Services kept per cluster (1 to 200); the others are left out, said in the badge."""


class ActionsConfig(_Table, frozen=True):
    """``[actions]``."""

    revert_seconds: RevertSeconds = 120.0
    """Seconds the revert key is offered after a blue-green switch."""
    blue_green_min_capacity: CapacityRatio = 1.0
    """The target colour's ready pods, as a fraction of what the live colour serves now (its
    ready pods, or its HPA's desired count if higher), below which the switch dialog warns
    (0 to 1, default 1.0 = 100 %). Below 50 % (or below this, if lower) the switch is blocked
    unless the user types the override; 0 turns the check off."""
    ack_seconds: AckSeconds = 3600.0
    """How long ``a`` (acknowledge) silences an alert or a story's alerts, and how much longer
    ``a`` again on an acknowledged alert extends it (60 s to 1 day, default 1 h)."""


class KubernetesConfig(_Table, frozen=True):
    """``[kubernetes]``: how the Kubernetes client is run."""

    exec_timeout: PluginSeconds = 30.0
    """Seconds a kubeconfig ``exec`` credentials plugin may run before it is killed."""
    max_events: EventCount = 5_000
    """Kubernetes events kept per cluster (de-duplicated); past it the oldest are dropped."""


class LogsConfig(_Table, frozen=True):
    """``[logs]``: the log view (``l``)."""

    buffer_lines: BufferLines = 100_000
    """Lines the log view keeps (1,000 to 1,000,000); older ones are dropped."""
    max_streams: LogStreams = 50
    """Container log streams open at once per view (1 to 500), as kubectl's
    ``--max-log-requests``; the others wait for a free one."""


class UiConfig(_Table, frozen=True):
    """``[ui]``: how the cockpit looks."""

    theme: Theme | None = None
    """A Textual theme; None (the key left out): ``textual-dark``, or ``ansi-dark`` (the
    terminal's own 16 colours) on a 16-colour terminal and in low-bandwidth mode."""


class ConfigFile(_Table, frozen=True):
    """The whole file: its top-level keys and tables."""

    clusters: tuple[ClusterConfig, ...] = ()
    databases: tuple[DatabaseConfig, ...] = ()
    blue_green: tuple[BlueGreenTable, ...] = ()
    """Empty: the platform's one blue-green Service (``BlueGreenSpec()``)."""
    refresh_hz: Hz = 4.0
    """Frames per second: how often queued events are applied and painted."""
    lag_threshold: LagSeconds = 30.0
    """Seconds of replica lag before a link is an incident."""
    stale_after: StaleSeconds = 90.0
    """Seconds without news before a source's badge says stale."""
    read_only: bool = False
    author: Author = ""
    """Who silences are created by; blank: ``$USER``."""
    low_bandwidth: bool | None = None
    """None (the key left out): automatic, on when ``$SSH_CONNECTION`` is set."""
    poll_seconds: PollSeconds = field(default_factory=PollSeconds)
    actions: ActionsConfig = field(default_factory=ActionsConfig)
    kubernetes: KubernetesConfig = field(default_factory=KubernetesConfig)
    logs: LogsConfig = field(default_factory=LogsConfig)
    golden_signals: GoldenSignalsConfig = field(default_factory=GoldenSignalsConfig)
    keys: KeyString | KeysTable = field(default_factory=dict)
    """``keys = "k9s"`` (a profile), or a ``[keys]`` table: ``profile = "k9s"`` and binding id
    → key(s) (docs/keys.md lists every id). Checked against the bindings before the app
    starts: an unknown id or two ids on one key where both are active is an error."""
    ui: UiConfig = field(default_factory=UiConfig)
