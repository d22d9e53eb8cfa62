"""Cloud SQL replication: Cloud SQL Admin v1 for the topology, Cloud Monitoring for the lag.

The published ``google-cloud-sql`` and ``google-cloud-monitoring`` clients only speak gRPC, so
this source calls the same documented REST resources (``sqladmin.googleapis.com/v1``,
``monitoring.googleapis.com/v3``) through google-auth's ``AuthorizedSession``: Application
Default Credentials, token refresh and retries come from Google's own library, and no gRPC
channel is opened in the source thread (nor are those clients installed: pyproject declares
google-auth only). google-auth is imported on the first poll only.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from wundr_tui import USER_AGENT
from wundr_tui.backends.base import Emit
from wundr_tui.backends.gcp import GcpApiError, gcp_error_text
from wundr_tui.backends.polling import HealthReporter, OwnedItems, poll_loop
from wundr_tui.config import DatabaseConfig
from wundr_tui.format import plural
from wundr_tui.model import Kind, ReplicaLink

DEFAULT_POLL_SECONDS = 60.0
"""Cloud SQL's lag metric is sampled every 60 s; polling faster only spends quota."""

SQLADMIN = "https://sqladmin.googleapis.com"
MONITORING = "https://monitoring.googleapis.com"
LAG_METRIC = "cloudsql.googleapis.com/database/replication/replica_lag"
LAG_WINDOW = 300.0
"""Look this far back for the newest lag point; none in the window means unknown."""

CALL_TIMEOUT = 20.0


def rfc3339(ts: float) -> str:
    """Seconds since the epoch as the RFC 3339 UTC time the Google APIs expect."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> float:
    """RFC 3339 (with Z and any fraction) to seconds since the epoch; 0.0 when unreadable."""
    if not text:
        return 0.0
    try:
        head, _, frac = text.rstrip("Z").partition(".")
        base = datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC).timestamp()
        return base + (float(f"0.{frac.rstrip('+:0123456789')[:9] or 0}") if frac else 0.0)
    except ValueError:
        return 0.0


def _point_value(point: dict[str, Any]) -> float | None:
    value = point.get("value") or {}
    for key in ("doubleValue", "int64Value"):
        if key in value:
            return float(value[key])
    return None


def latest_lags(series: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """``database_id`` → (lag seconds, sample time) from the newest point of each series."""
    out: dict[str, tuple[float, float]] = {}
    for s in series:
        db = (s.get("resource") or {}).get("labels", {}).get("database_id", "")
        for point in s.get("points") or []:
            value = _point_value(point)
            when = parse_time((point.get("interval") or {}).get("endTime", ""))
            if value is not None and (db not in out or when > out[db][1]):
                out[db] = (value, when)
    return out


def _split(name: str, project: str) -> tuple[str, str]:
    """``project:instance`` or bare ``instance`` → (project, instance)."""
    if ":" in name:
        p, _, i = name.partition(":")
        return p, i
    return project, name


class CloudSqlReplicationSource:
    """Polls one Cloud SQL primary's replicas and their lag."""

    def __init__(
        self,
        database: DatabaseConfig,
        endpoint_url: str | None = None,
        *,
        credentials: Any = None,
        poll_seconds: float = 0.0,
    ) -> None:
        self.database = database
        """project, instance (the primary, or a replica to show with its primary), cluster."""
        self.endpoint_url = endpoint_url
        """One override for both APIs (tests' REST fake); None: Google's endpoints."""
        self.credentials = credentials
        """None: Application Default Credentials."""
        self.poll_seconds = poll_seconds or database.poll_seconds or DEFAULT_POLL_SECONDS
        """Seconds between polls."""
        self.name = f"cloudsql:{database.project}:{database.instance}"
        """Unique source name."""
        self.label = database.name or database.instance
        """What the health badge calls this database."""
        self._session: Any = None
        self._lock = threading.Lock()

    def session(self) -> Any:
        """google-auth's AuthorizedSession, created on first use."""
        with self._lock:
            if self._session is None:
                import google.auth
                from google.auth.transport.requests import AuthorizedSession

                creds = self.credentials
                if creds is None:
                    creds, _ = google.auth.default(
                        scopes=["https://www.googleapis.com/auth/cloud-platform"]
                    )
                self._session = AuthorizedSession(creds)  # type: ignore[no-untyped-call]
                self._session.headers["User-Agent"] = USER_AGENT
            return self._session

    def _get(self, base: str, path: str, params: dict[str, str] | None = None) -> Any:
        url = f"{self.endpoint_url or base}{path}"
        answer = self.session().get(url, params=params, timeout=CALL_TIMEOUT)
        try:
            body = answer.json()
        except ValueError:
            body = {}
        if answer.status_code >= 400:
            error = body.get("error", {}) if isinstance(body, dict) else {}
            raise GcpApiError(answer.status_code, error.get("message") or answer.reason)
        return body

    def instances(self, project: str) -> dict[str, dict[str, Any]]:
        """Every Cloud SQL instance of a project, by name."""
        out: dict[str, dict[str, Any]] = {}
        token = ""
        while True:
            params = {"pageToken": token} if token else None
            body = self._get(SQLADMIN, f"/v1/projects/{project}/instances", params)
            for item in body.get("items") or []:
                out[item.get("name", "")] = item
            token = body.get("nextPageToken", "")
            if not token:
                return out

    def lags(self, project: str, database_ids: list[str]) -> dict[str, tuple[float, float]]:
        """Newest replica_lag point per ``project:instance`` in the last few minutes."""
        if not database_ids:
            return {}
        now = time.time()
        ids = ", ".join(f'"{d}"' for d in database_ids)
        params = {
            "filter": f'metric.type = "{LAG_METRIC}" AND '
            f"resource.labels.database_id = one_of({ids})",
            "interval.startTime": rfc3339(now - LAG_WINDOW),
            "interval.endTime": rfc3339(now),
            "view": "FULL",
        }
        body = self._get(MONITORING, f"/v3/projects/{project}/timeSeries", params)
        wanted = set(database_ids)
        return {k: v for k, v in latest_lags(body.get("timeSeries") or []).items() if k in wanted}

    def fetch(self) -> list[ReplicaLink]:
        """Links primary → each replica (or the configured replica's own link)."""
        project = self.database.project
        instances = self.instances(project)
        me = instances.get(self.database.instance)
        if me is None:
            raise GcpApiError(404, f"instance {self.database.instance} not found in {project}")
        pairs: list[tuple[dict[str, Any], dict[str, Any] | None, str]] = []
        master = me.get("masterInstanceName", "")
        if master:
            # The configured instance is itself a replica: show the link that feeds it.
            _, master_name = _split(master, project)
            pairs.append((instances.get(master_name) or {"name": master_name}, me, me["name"]))
        for replica in me.get("replicaNames") or []:
            _, replica_name = _split(replica, project)
            pairs.append((me, instances.get(replica_name), replica_name))
        lags = self.lags(project, [f"{project}:{name}" for _, _, name in pairs])
        links = []
        for primary, replica, replica_name in pairs:
            lag = lags.get(f"{project}:{replica_name}")
            links.append(
                ReplicaLink(
                    engine="cloudsql",
                    primary=primary.get("name", ""),
                    replica=replica_name,
                    primary_region=primary.get("region", ""),
                    replica_region=(replica or {}).get("region", ""),
                    state=(replica or {}).get("state", "unknown") or "unknown",
                    lag_seconds=lag[0] if lag else None,
                    lag_bytes=None,
                    sampled=lag[1] if lag else time.time(),
                )
            )
        return links

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the links every ``poll_seconds`` until ``stop``; never raises."""
        health = HealthReporter(
            emit, self.database.cluster, f"cloudsql/{self.label}", (Kind.REPLICA_LINK,)
        )
        links_out = OwnedItems(emit, self.database.cluster, Kind.REPLICA_LINK)
        health.report("connecting")

        def poll() -> None:
            links = self.fetch()
            links_out.publish(links)
            health.report("live", plural(len(links), "replica"))

        def failed(exc: BaseException, delay: float) -> None:
            text = gcp_error_text(exc)
            health.report("error", text, retry_in=delay)

        poll_loop(stop, self.poll_seconds, poll, failed)
