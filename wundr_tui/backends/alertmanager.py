"""Alertmanager API v2: alerts in their notification groups with their silenced / inhibited
state, and silences.

``AlertmanagerAlertSource`` is one endpoint of a cluster's AlertFeed (see alerts.py for
how endpoints are merged). ``AlertmanagerClient`` creates and expires silences for the silence
action. HTTP goes through requests, imported on first use.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlparse

from wundr_tui import USER_AGENT
from wundr_tui.backends.alerts import (
    DEFAULT_POLL_SECONDS,
    AlertFeed,
    SeenAlert,
    alert_from_labels,
    cluster_label,
    endpoint_label,
    parse_rfc3339,
)
from wundr_tui.backends.base import Emit, OperationError
from wundr_tui.model import ACK_PREFIX, Alert

CALL_TIMEOUT = 10.0
MAX_SILENCE_SECONDS = 14 * 24 * 3600.0
"""Longer silences hide real outages; two weeks is the most this client will create."""

MAX_SILENCES = 10_000
"""Silences read per poll (an outsider can create many)."""
MAX_AUTHOR = 64
"""Characters of a silence's author shown."""

_STATE = {"active": "firing", "unprocessed": "firing", "suppressed": "suppressed"}


def group_name(labels: Mapping[str, str]) -> str:
    """A group's ``group_by`` labels as ``alertname=X,cluster=Y``; ``*`` for the catch-all."""
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels)) or "*"


def _session() -> Any:
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT  # not python-requests/VERSION
    return session


class AlertmanagerAlertSource:
    """Alerts from one Alertmanager (``/api/v2/alerts/groups``), silenced and inhibited
    included, each with the notification group it is in."""

    kind = "alertmanager"

    def __init__(
        self, cluster: str, url: str, *, poll_seconds: float = DEFAULT_POLL_SECONDS
    ) -> None:
        self.cluster = cluster
        """Context the alerts are shown under."""
        self.url = url.rstrip("/")
        """Alertmanager base URL (without ``/api/v2``)."""
        self.poll_seconds = poll_seconds
        """Seconds between polls when run on its own."""
        self.name = f"alertmanager:{cluster}:{self.url}"
        """Unique source name."""
        self._session: Any = None

    def fetch_seen(self) -> list[SeenAlert]:
        """Every alert Alertmanager holds, with the cluster its labels name."""
        if self._session is None:
            self._session = _session()
        answer = self._session.get(
            f"{self.url}/api/v2/alerts/groups",
            params={"active": "true", "silenced": "true", "inhibited": "true"},
            timeout=CALL_TIMEOUT,
        )
        answer.raise_for_status()
        acks = self._acks()
        source = endpoint_label("alertmanager", self.url)
        out: dict[str, SeenAlert] = {}
        for group in answer.json() or []:
            name = group_name(group.get("labels") or {})
            for item in group.get("alerts") or []:
                fp = item.get("fingerprint", "")
                if fp in out:
                    continue  # routed to several receivers: one row, its first group
                labels = item.get("labels") or {}
                status = item.get("status") or {}
                alert = alert_from_labels(
                    labels,
                    item.get("annotations") or {},
                    state=_STATE.get(status.get("state", "active"), "firing"),
                    starts_at=parse_rfc3339(item.get("startsAt", "")),
                    source=source,
                    fp=fp,
                    silenced_by=tuple(status.get("silencedBy") or ()),
                    inhibited=bool(status.get("inhibitedBy")),
                    group=name,
                )
                ack = next((acks[sid] for sid in alert.silenced_by if sid in acks), None)
                if ack is not None:
                    alert = replace(
                        alert, ack_id=ack[0], acked_by=ack[1], acked_at=ack[2], ack_until=ack[3]
                    )
                out[alert.fingerprint] = SeenAlert(alert, cluster_label(labels))
        return list(out.values())

    def _acks(self) -> dict[str, tuple[str, str, float, float]]:
        """Active acknowledging silences (comment ``ack: ...``): id → (id, author, start, end)."""
        answer = self._session.get(f"{self.url}/api/v2/silences", timeout=CALL_TIMEOUT)
        answer.raise_for_status()
        out: dict[str, tuple[str, str, float, float]] = {}
        for item in (answer.json() or [])[:MAX_SILENCES]:
            if not isinstance(item, dict):
                continue
            state = (item.get("status") or {}).get("state", "")
            comment = str(item.get("comment") or "")
            sid = str(item.get("id") or "")
            if state != "active" or not sid or not comment.startswith(ACK_PREFIX):
                continue
            author = str(item.get("createdBy") or "")[:MAX_AUTHOR] or "?"
            starts = parse_rfc3339(str(item.get("startsAt") or ""))
            ends = parse_rfc3339(str(item.get("endsAt") or ""))
            out[sid] = (sid, author, starts, ends)
        return out

    def fetch(self) -> list[Alert]:
        """Every alert Alertmanager holds."""
        return [s.alert for s in self.fetch_seen()]

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Poll this endpoint alone; see AlertFeed."""
        AlertFeed(self.cluster, [self], poll_seconds=self.poll_seconds).run(emit, stop)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


class AlertmanagerClient:
    """Creates and expires silences through Alertmanager API v2."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        """Alertmanager base URL."""
        self._session: Any = None

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._session is None:
            self._session = _session()
        host = urlparse(self.url).netloc or self.url
        try:
            answer = self._session.request(
                method, f"{self.url}{path}", timeout=CALL_TIMEOUT, **kwargs
            )
        except Exception as exc:
            raise OperationError(f"cannot reach Alertmanager at {host}: {exc}") from None
        if answer.status_code >= 400:
            text = answer.text.strip().strip('"')[:200]
            raise OperationError(
                f"Alertmanager at {host} refused ({answer.status_code}): {text}",
                status=answer.status_code,
            )
        return answer.json() if answer.content else None

    def create_silence(
        self,
        matchers: Mapping[str, str],
        duration_s: float,
        comment: str,
        author: str,
        *,
        dry_run: bool = False,
    ) -> str:
        """Silence alerts whose labels equal every matcher, for ``duration_s``; return its id.

        With ``dry_run`` the input is checked and nothing is created (the id is blank).
        """
        if not matchers:
            raise OperationError("a silence needs at least one matcher", status=422)
        if any(not k or not v for k, v in matchers.items()):
            raise OperationError("silence matchers need a name and a value", status=422)
        if not 0 < duration_s <= MAX_SILENCE_SECONDS:
            raise OperationError(
                f"silence duration must be between 1s and {MAX_SILENCE_SECONDS / 86400:.0f}d",
                status=422,
            )
        if not comment.strip():
            raise OperationError("a silence needs a comment saying why", status=422)
        if not author.strip():
            raise OperationError("a silence needs an author", status=422)
        if dry_run:
            return ""
        now = time.time()
        body = {
            "matchers": [
                {"name": k, "value": v, "isRegex": False, "isEqual": True}
                for k, v in sorted(matchers.items())
            ],
            "startsAt": _iso(now),
            "endsAt": _iso(now + duration_s),
            "createdBy": author,
            "comment": comment,
        }
        answer = self._call("POST", "/api/v2/silences", json=body)
        silence_id = (answer or {}).get("silenceID", "")
        if not silence_id:
            raise OperationError("Alertmanager accepted the silence but returned no id")
        return str(silence_id)

    def extend_silence(self, silence_id: str, extra_s: float, *, dry_run: bool = False) -> str:
        """Make an active silence end ``extra_s`` later, as amtool does: POST it again with its
        id (Alertmanager updates it in place, or replaces it and answers the new id)."""
        if not silence_id:
            raise OperationError("no silence id given", status=422)
        old = self._call("GET", f"/api/v2/silence/{quote(silence_id, safe='')}") or {}
        state = (old.get("status") or {}).get("state", "")
        if state != "active":
            raise OperationError(f"silence {silence_id} is {state or 'gone'}: nothing to extend")
        ends = parse_rfc3339(str(old.get("endsAt") or "")) or time.time()
        if not 0 < ends + extra_s - time.time() <= MAX_SILENCE_SECONDS:
            raise OperationError("a silence ends at most 14 days from now", status=422)
        if dry_run:
            return silence_id
        body = {
            "id": silence_id,
            "matchers": old.get("matchers") or [],
            "startsAt": old.get("startsAt"),
            "endsAt": _iso(ends + extra_s),
            "createdBy": old.get("createdBy") or "",
            "comment": old.get("comment") or "",
        }
        answer = self._call("POST", "/api/v2/silences", json=body)
        return str((answer or {}).get("silenceID") or silence_id)

    def expire_silence(self, silence_id: str) -> None:
        """End a silence now."""
        if not silence_id:
            raise OperationError("no silence id given", status=422)
        self._call("DELETE", f"/api/v2/silence/{quote(silence_id, safe='')}")

    def silences(self) -> list[dict[str, Any]]:
        """The raw silence list (id, matchers, status.state, endsAt, createdBy, comment)."""
        return list(self._call("GET", "/api/v2/silences") or [])


class AlertmanagerSilences:
    """Silences by cluster: one AlertmanagerClient per cluster context (the actions' Silencer)."""

    def __init__(self, clients: Mapping[str, AlertmanagerClient]) -> None:
        self.clients = dict(clients)
        """Cluster context → client."""

    def _client(self, cluster: str) -> AlertmanagerClient:
        client = self.clients.get(cluster)
        if client is None:
            raise OperationError(f"no Alertmanager is configured for {cluster}", status=404)
        return client

    def create_silence(
        self,
        cluster: str,
        matchers: Mapping[str, str],
        duration_s: float,
        comment: str,
        author: str,
        *,
        dry_run: bool = False,
    ) -> str:
        """Create a silence in the cluster's Alertmanager; return its id."""
        return self._client(cluster).create_silence(
            matchers, duration_s, comment, author, dry_run=dry_run
        )

    def extend_silence(
        self, cluster: str, silence_id: str, extra_s: float, *, dry_run: bool = False
    ) -> str:
        """Make a silence in the cluster's Alertmanager end ``extra_s`` later; its id now."""
        return self._client(cluster).extend_silence(silence_id, extra_s, dry_run=dry_run)

    def expire_silence(self, cluster: str, silence_id: str) -> None:
        """Expire a silence in the cluster's Alertmanager."""
        self._client(cluster).expire_silence(silence_id)

    def silence_state(self, cluster: str, silence_id: str) -> str:
        """The silence's ``status.state`` as Alertmanager lists it; blank when not listed."""
        for item in self._client(cluster).silences():
            if item.get("id") == silence_id:
                return str((item.get("status") or {}).get("state", ""))
        return ""
