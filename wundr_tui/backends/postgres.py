"""PostgreSQL streaming replication through psycopg: any primary the user can reach.

On the primary, ``pg_stat_replication`` gives each standby's state, sync state, replay lag and
the byte gap ``pg_wal_lsn_diff(sent_lsn, replay_lsn)``. Optional replica connections add
whether replay is paused and replicas that are not connected at all.

NULL lag columns mean *unknown* and stay None (PostgreSQL reports NULL once an idle standby has
caught up); time-based lag on an idle primary says little, which is why the byte gap travels
beside the seconds. Passwords never pass through wundr-tui: libpq finds them in ``~/.pgpass``,
``PGPASSWORD`` or a service file, and every DSN shown or logged is redacted first.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from dataclasses import replace
from typing import Any

from wundr_tui.backends.base import Emit
from wundr_tui.backends.polling import HealthReporter, OwnedItems, poll_loop
from wundr_tui.config import DatabaseConfig
from wundr_tui.format import plural
from wundr_tui.model import Kind, ReplicaLink

DEFAULT_POLL_SECONDS = 5.0
"""Two cheap catalog queries: every 5 s draws a useful sparkline at no cost to the server."""

CONNECT_TIMEOUT = 5
STATEMENT_TIMEOUT_MS = 5000

PRIMARY_SQL = """
SELECT application_name,
       coalesce(host(client_addr), 'local'),
       state,
       sync_state,
       extract(epoch FROM replay_lag)::float8,
       pg_wal_lsn_diff(sent_lsn, replay_lsn)::bigint
FROM pg_stat_replication
ORDER BY application_name, client_addr
"""

HEAD_SQL = """
SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
            ELSE pg_current_wal_lsn() END::text
"""

REPLICA_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END,
       current_setting('cluster_name'),
       pg_last_wal_replay_lsn()::text,
       extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
"""


def parse_lsn(text: str | None) -> int | None:
    """``16/B374D848`` → a byte position; None for NULL or garbage."""
    if not text or "/" not in text:
        return None
    high, _, low = text.partition("/")
    try:
        return (int(high, 16) << 32) | int(low, 16)
    except ValueError:
        return None


_URI_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*):[^@\s]*@")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def redact(text: str) -> str:
    """Hide any password in a DSN (URI or key=value) or in a message that quotes one."""
    text = _URI_PASSWORD.sub(r"\1:***@", text)
    return _KV_PASSWORD.sub(r"\1***", text)


def describe_dsn(dsn: str) -> str:
    """A short, password-free name for a connection string: ``host:port/db`` or the service."""
    fields: dict[str, str] = {}
    for key, value in re.findall(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", dsn):
        fields[key.lower()] = value.strip("'")
    if "service" in fields:
        return f"service={fields['service']}"
    if fields:
        where = fields.get("host", "localhost")
        if "port" in fields:
            where += f":{fields['port']}"
        return where + (f"/{fields['dbname']}" if "dbname" in fields else "")
    uri = re.match(r"postgres(?:ql)?://(?:[^@/]*@)?([^/?]*)(/[^?]*)?", dsn)
    if uri:
        return uri.group(1) + (uri.group(2) or "")
    return redact(dsn)


def pg_error_text(exc: BaseException, dsn: str = "") -> str:
    """A readable, password-free sentence for a psycopg failure."""
    name = type(exc).__name__
    text = " ".join(str(exc).split()) or name
    if name == "ConnectionTimeout" or "timeout expired" in text:
        text = f"connection timed out: {text}"
    elif name == "QueryCanceled":
        text = "query took longer than 5s (statement_timeout)"
    elif name == "InsufficientPrivilege":
        text = f"permission denied (grant pg_monitor to the user): {text}"
    if dsn:
        # libpq does not echo passwords, but a DSN may still turn up in a driver message.
        text = text.replace(dsn, describe_dsn(dsn))
    return redact(text)


class PostgresReplicationSource:
    """Polls one PostgreSQL primary (and optional replicas) for replication links."""

    def __init__(self, database: DatabaseConfig, *, poll_seconds: float = 0.0) -> None:
        self.database = database
        """dsn, replica_dsns, cluster, name, region."""
        self.poll_seconds = poll_seconds or database.poll_seconds or DEFAULT_POLL_SECONDS
        """Seconds between polls."""
        self.label = database.name or describe_dsn(database.dsn)
        """The primary's name on the pane and the health badge; never carries a password."""
        self.name = f"postgres:{self.label}"
        """Unique source name."""
        self._conns: dict[str, Any] = {}

    def _connect(self, dsn: str) -> Any:
        conn = self._conns.get(dsn)
        if conn is not None and not conn.closed:
            return conn
        import psycopg

        conn = psycopg.connect(
            dsn,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT,
            application_name="wundr-tui",
        )
        conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        self._conns[dsn] = conn
        return conn

    def _query(self, dsn: str, sql: str) -> list[tuple[Any, ...]]:
        try:
            return list(self._connect(dsn).execute(sql).fetchall())
        except Exception:
            # A broken connection is dropped; the next poll reconnects.
            self._drop(dsn)
            raise

    def _drop(self, dsn: str) -> None:
        conn = self._conns.pop(dsn, None)
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def close(self) -> None:
        """Close every connection this source holds."""
        for dsn in list(self._conns):
            self._drop(dsn)

    def fetch(self) -> tuple[list[ReplicaLink], list[str]]:
        """The links, and readable problems with replica connections (the primary's raise)."""
        now = time.time()
        rows = self._query(self.database.dsn, PRIMARY_SQL)
        links: dict[str, ReplicaLink] = {}
        region = self.database.region
        for app, addr, state, sync, replay_lag, gap in rows:
            replica = app if app and app != "walreceiver" else addr
            links[replica] = ReplicaLink(
                engine="postgres",
                primary=self.label,
                replica=replica,
                primary_region=region,
                replica_region=region,
                state=state or "unknown",
                lag_seconds=None if replay_lag is None else float(replay_lag),
                lag_bytes=None if gap is None else int(gap),
                sampled=now,
                sync_state=sync or "",
            )
        head_cache: list[int | None] = []

        def head_lsn() -> int | None:
            """The primary's current WAL position, asked once per poll and only if needed."""
            if not head_cache:
                head_cache.append(parse_lsn(self._query(self.database.dsn, HEAD_SQL)[0][0]))
            return head_cache[0]

        problems: list[str] = []
        if rows and all(row[2] is None for row in rows):
            # Without pg_monitor (pg_read_all_stats) PostgreSQL hides every detail column.
            problems.append("replication details hidden: grant pg_monitor to this user")
        for dsn in self.database.replica_dsns:
            try:
                answer = self._query(dsn, REPLICA_SQL)[0]
            except Exception as exc:
                problems.append(f"{describe_dsn(dsn)}: {pg_error_text(exc, dsn)}")
                name = describe_dsn(dsn)
                if name not in links:
                    links[name] = ReplicaLink(
                        "postgres", self.label, name, region, region, "unreachable", None, None, now
                    )
                continue
            in_recovery, paused, cluster_name, replay_lsn, replay_age = answer
            name = cluster_name or describe_dsn(dsn)
            if not in_recovery:
                problems.append(f"{name} is not a replica (promoted?)")
            link = links.get(name)
            if link is None:
                # Known to the user but not streaming from this primary: how far behind it is
                # comes from its own replay position and last replayed commit.
                primary_at = head_lsn() if in_recovery else None
                replayed = parse_lsn(replay_lsn)
                gap = (
                    primary_at - replayed
                    if primary_at is not None and replayed is not None
                    else None
                )
                links[name] = ReplicaLink(
                    "postgres",
                    self.label,
                    name,
                    region,
                    region,
                    ("paused" if paused else "disconnected") if in_recovery else "promoted",
                    None if replay_age is None or not in_recovery else max(float(replay_age), 0),
                    None if gap is None else max(gap, 0),
                    now,
                )
            elif paused:
                links[name] = replace(link, state="paused")
        return sorted(links.values(), key=lambda link: link.replica), problems

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the links every ``poll_seconds`` until ``stop``; never raises."""
        health = HealthReporter(
            emit, self.database.cluster, f"postgres/{self.label}", (Kind.REPLICA_LINK,)
        )
        links_out = OwnedItems(emit, self.database.cluster, Kind.REPLICA_LINK)
        health.report("connecting")

        def poll() -> None:
            links, problems = self.fetch()
            links_out.publish(links)
            summary = plural(len(links), "replica")
            health.report("live", "; ".join([summary, *problems]))

        def failed(exc: BaseException, delay: float) -> None:
            text = pg_error_text(exc, self.database.dsn)
            health.report("error", text, retry_in=delay)

        try:
            poll_loop(stop, self.poll_seconds, poll, failed)
        finally:
            self.close()
