"""The Services pane's rows (``:services``): one row per service per cluster, the clusters of
one service next to each other, built from what the store holds. Pure: no Textual, no I/O.

A service is what Prometheus' ``service`` label, the alerts' ``service`` label and the
deployments' ``app`` pod label call it (``api-gateway``). Each row says which image tag the
service runs (the live colour's deployment for a blue-green Service), how many pods are ready
of those wanted, its HPA, the live colour, the firing alerts naming it, and its golden signals
over the last 30 minutes, bucketed to the width of a sparkline. Where the clusters of one
service disagree (another tag, another live colour) both rows say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from wundr_tui.model import (
    SIGNAL_WINDOW,
    Alert,
    Deployment,
    GoldenSignals,
    Hpa,
    Kind,
    Service,
    label,
)
from wundr_tui.store import Store

SERVICE_LABELS = ("app", "app.kubernetes.io/name")
"""Pod labels that name the service a deployment belongs to, in the order they are trusted."""

MAX_ROWS = 2_000
"""Rows built at most (services times clusters): the rest are left out."""


class _RowKind:
    """What the table asks of a row's ``KIND``: its name in the row key."""

    value = "services"


@dataclass(frozen=True, slots=True)
class HpaState:
    """The service's autoscaler: current replicas of its maximum, and whether it is there."""

    current: int
    desired: int
    max: int
    at_max: bool


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One service in one cluster, as the Services pane shows it."""

    KIND: ClassVar[_RowKind] = _RowKind()
    cluster: str
    service: str
    namespace: str = ""
    deployment: str = ""
    """The key of the deployment that serves it (the live colour's), for Enter."""
    version: str = ""
    """The image tag of the first container ("" unknown); images differ between registries
    of different clouds, tags are what a rollout changes."""
    version_differs: bool = False
    """Another cluster runs this service at another tag."""
    ready: int | None = None
    desired: int | None = None
    hpa: HpaState | None = None
    live: str = ""
    """``blue`` / ``green`` for a blue-green Service, ``?`` when it matches neither; "" none."""
    live_differs: bool = False
    """Another cluster sends this service's traffic to the other colour."""
    alerts: tuple[tuple[str, str], ...] = ()
    """(alert name, severity) of the alerts firing on this service, worst first."""
    requests: tuple[float | None, ...] = ()
    """Requests per second in buckets over the last 30 minutes (None: no point there)."""
    errors: tuple[float | None, ...] = ()
    p95: tuple[float | None, ...] = ()
    last: tuple[float | None, float | None, float | None] = (None, None, None)
    """The newest request rate, error ratio and p95 held."""
    requests_top: float = 0.0
    """The request sparkline's scale: above the largest rate of this service in any cluster."""
    errors_top: float = 0.0
    """The error sparklines' scale, shared by every row (at least twice the threshold)."""
    p95_top: float = 0.0
    signals: str = "none"
    """``live``, ``stale``, ``error`` (the badge on the sparklines) or ``none`` (no source)."""
    signals_reason: str = ""

    @property
    def key(self) -> str:
        """The row's key within its cluster."""
        return self.service


def version_of(image: str) -> str:
    """The tag of the first image of ``a/b:v1, c:d`` (``v1``); a digest is cut short."""
    first = image.split(",", 1)[0].strip()
    name, _, digest = first.partition("@")
    if digest:
        return digest.split(":", 1)[-1][:12]
    tail = name.rsplit("/", 1)[-1]
    return tail.rpartition(":")[2] if ":" in tail else ("latest" if tail else "")


def service_of(dep: Deployment) -> str:
    """The service a deployment belongs to (its ``app`` label, else its name)."""
    for key in SERVICE_LABELS:
        value = label(dep.pod_labels, key)
        if value:
            return value
    return dep.name


def buckets(
    signals: GoldenSignals | None, now: float, width: int
) -> tuple[tuple[float | None, ...], tuple[float | None, ...], tuple[float | None, ...]]:
    """The three series over the last 30 minutes before ``now`` in ``width`` buckets, each
    the worst (largest) value that fell in it; None where no point did."""
    empty: tuple[float | None, ...] = (None,) * width
    if signals is None or width <= 0 or signals.step <= 0:
        return empty, empty, empty
    start = now - SIGNAL_WINDOW
    size = SIGNAL_WINDOW / width
    out: list[list[float | None]] = [[None] * width for _ in range(3)]
    for i in range(signals.points):
        t = signals.start + i * signals.step
        if t <= start or t > now:
            continue
        b = min(int((t - start) / size), width - 1)
        for s, series in zip(out, (signals.requests, signals.errors, signals.p95), strict=True):
            v = series[i]
            if v is not None and (s[b] is None or v > (s[b] or 0.0)):
                s[b] = v
    return tuple(out[0]), tuple(out[1]), tuple(out[2])


def _newest(series: Sequence[float | None]) -> float | None:
    return next((v for v in reversed(series) if v is not None), None)


def _top(values: Iterable[float | None]) -> float:
    return max((v for v in values if v is not None), default=0.0)


_SEVERITY = {"critical": 0, "warning": 1}


def service_rows(store: Store, now: float, width: int) -> list[ServiceRow]:
    """Every service of every cluster, a service's clusters next to each other (services by
    name, clusters in the order they were announced); ``width``: the sparklines' cells."""
    clusters = list(store.clusters)
    for cluster, _ in store.all(Kind.SIGNALS):
        if cluster not in clusters:
            clusters.append(cluster)
    facts: dict[tuple[str, str], dict[str, object]] = {}
    names: dict[str, None] = {}

    def fact(cluster: str, service: str) -> dict[str, object]:
        names.setdefault(service)
        return facts.setdefault((cluster, service), {})

    spec_namespaces = {spec.namespace for spec in store.blue_green_specs}
    for cluster in clusters:
        signals = store.items(cluster, Kind.SIGNALS)
        for service, held in signals.items():
            fact(cluster, service)["signals"] = held
        by_service: dict[str, list[Deployment]] = {}
        for d in store.items(cluster, Kind.DEPLOYMENT).values():
            if not isinstance(d, Deployment):
                continue
            service = service_of(d)
            # The platform's namespaces, or a service Prometheus knows: not every DaemonSet
            # helper of kube-system.
            if d.namespace in spec_namespaces or service in signals:
                by_service.setdefault(service, []).append(d)
        live_of: dict[str, tuple[str, str, str]] = {}
        for bg in store.blue_green(cluster):
            spec = bg.spec
            svc = store.get(cluster, Kind.SERVICE, f"{spec.namespace}/{spec.service}")
            selector = dict(svc.selector) if isinstance(svc, Service) else {}
            app = next((selector[k] for k in SERVICE_LABELS if k in selector), "")
            if app:
                live_of[app] = (bg.live_colour, spec.key, bg.live)
        hpas = [h for h in store.items(cluster, Kind.HPA).values() if isinstance(h, Hpa)]
        for service, deps in by_service.items():
            f = fact(cluster, service)
            colour, key, value = live_of.get(service, ("", "", ""))
            # A blue-green service serves from its live colour: that one's tag and pods.
            serving = [d for d in deps if value and label(d.pod_labels, key) == value] or deps
            first = min(serving, key=lambda d: d.name)
            f["namespace"] = first.namespace
            f["deployment"] = first.key
            f["version"] = version_of(first.image)
            f["ready"] = sum(d.ready for d in serving)
            f["desired"] = sum(d.desired for d in serving)
            f["live"] = colour
            targets = {(d.namespace, f"Deployment/{d.name}") for d in deps}
            mine = [h for h in hpas if (h.namespace, h.target) in targets]
            if mine:
                h = max(mine, key=lambda h: (h.at_max, h.current_replicas))
                f["hpa"] = HpaState(
                    h.current_replicas, h.desired_replicas, h.max_replicas, h.at_max
                )
    for cluster in clusters:
        for alert in store.items(cluster, Kind.ALERT).values():
            if isinstance(alert, Alert) and alert.state == "firing" and alert.service:
                found = fact(cluster, alert.service).setdefault("alerts", [])
                assert isinstance(found, list)
                found.append((alert.name, alert.severity))
    health = _signal_health(store, clusters)
    error_limit, latency_limit = store.error_threshold, store.latency_threshold
    bucketed = {k: buckets(_sig(f), now, width) for k, f in facts.items()}
    errors_top = max(2 * error_limit, _top(v for b in bucketed.values() for v in b[1]))
    p95_top = max(2 * latency_limit, _top(v for b in bucketed.values() for v in b[2]))
    rows: list[ServiceRow] = []
    for service in sorted(names):
        here = [c for c in clusters if (c, service) in facts]
        versions = {str(facts[(c, service)].get("version", "")) for c in here} - {""}
        colours = {str(facts[(c, service)].get("live", "")) for c in here} - {"", "?"}
        # Headroom over the largest rate: a steady service draws a steady line below the top
        # of the cell, so a surge (or a drop to nothing) is what stands out.
        requests_top = 1.3 * _top(v for c in here for v in bucketed[(c, service)][0])
        for cluster in here:
            f = facts[(cluster, service)]
            sig = _sig(f)
            req, err, p95 = bucketed[(cluster, service)]
            state, reason = health.get(cluster, ("none", ""))
            alerts = f.get("alerts", [])
            assert isinstance(alerts, list)
            hpa = f.get("hpa")
            version = str(f.get("version", ""))
            live = str(f.get("live", ""))
            rows.append(
                ServiceRow(
                    cluster=cluster,
                    service=service,
                    namespace=str(f.get("namespace", "")),
                    deployment=str(f.get("deployment", "")),
                    version=version,
                    version_differs=bool(version) and len(versions) > 1,
                    ready=_int(f.get("ready")),
                    desired=_int(f.get("desired")),
                    hpa=hpa if isinstance(hpa, HpaState) else None,
                    live=live,
                    live_differs=live in colours and len(colours) > 1,
                    alerts=tuple(sorted(set(alerts), key=lambda a: (_SEVERITY.get(a[1], 2), a[0]))),
                    requests=req,
                    errors=err,
                    p95=p95,
                    last=(
                        (_newest(sig.requests), _newest(sig.errors), _newest(sig.p95))
                        if sig is not None
                        else (None, None, None)
                    ),
                    requests_top=requests_top,
                    errors_top=errors_top,
                    p95_top=p95_top,
                    signals=state if sig is not None or state != "none" else "none",
                    signals_reason=reason,
                )
            )
            if len(rows) >= MAX_ROWS:
                return rows
    return rows


def _sig(f: dict[str, object]) -> GoldenSignals | None:
    sig = f.get("signals")
    return sig if isinstance(sig, GoldenSignals) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _signal_health(store: Store, clusters: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Per cluster, the worst state of the sources that feed golden signals (stale when a
    live one has been quiet too long) and its reason; clusters with no such source left out."""
    out: dict[str, tuple[str, str]] = {}
    rank = {"error": 0, "stale": 1, "connecting": 2, "absent": 3, "live": 4}
    for cluster in clusters:
        found = [
            store.effective_health(h)
            for h in store.health_for(cluster, Kind.SIGNALS)
            if Kind.SIGNALS in h.kinds
        ]
        if found:
            worst = min(found, key=lambda h: rank.get(h.state, 0))
            out[cluster] = (worst.state, worst.reason)
    return out
