"""PostgreSQL streaming replication against a real primary and replica on loopback: the link
reaches the Store, lag grows while replay is paused and recovers after resume."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.cloud_fixtures import SourceHarness, cloud_harness, postgres_pair
from tests.fakes.servers import PostgresPair, free_port
from wundr_tui.backends.postgres import PostgresReplicationSource
from wundr_tui.config import DatabaseConfig
from wundr_tui.model import Kind, ReplicaLink

__all__ = ["cloud_harness", "postgres_pair"]

CLUSTER = "gke_wundr-prod_europe-west1_wundr-production"
LINK = "postgres:orders>replica1"


def db(pair: PostgresPair, poll: float = 0.25) -> DatabaseConfig:
    return DatabaseConfig(
        engine="postgres",
        cluster=CLUSTER,
        name="orders",
        dsn=pair.primary_dsn,
        replica_dsns=(pair.replica_dsn,),
        region="self-managed",
        poll_seconds=poll,
    )


def link(store: Any) -> ReplicaLink | None:
    obj = store.get(CLUSTER, Kind.REPLICA_LINK, LINK)
    return obj if isinstance(obj, ReplicaLink) else None


@pytest.fixture
def writer(postgres_pair: PostgresPair) -> Iterator[threading.Event]:
    """Writes WAL on the primary in the background (a busy primary), until the test ends."""
    import psycopg

    stop = threading.Event()

    def write() -> None:
        with psycopg.connect(postgres_pair.primary_dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS churn (id serial, payload text)")
            while not stop.is_set():
                conn.execute(
                    "INSERT INTO churn (payload) SELECT repeat('x', 500) "
                    "FROM generate_series(1, 200)"
                )
                stop.wait(0.05)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    yield stop
    stop.set()
    thread.join(5)


def replay(pair: PostgresPair, action: str) -> None:
    import psycopg

    with psycopg.connect(pair.replica_dsn, autocommit=True) as conn:
        conn.execute(f"SELECT pg_wal_replay_{action}()")


def test_paused_replay_lag_grows_then_recovers(
    postgres_pair: PostgresPair, writer: threading.Event, cloud_harness: SourceHarness
) -> None:
    cloud_harness.start(PostgresReplicationSource(db(postgres_pair)))
    # Right after the standby connects its replay_lsn can still be NULL (lag unknown, not
    # zero): wait for the first sample the standby has reported.
    cloud_harness.wait(
        lambda s: (
            (ln := link(s)) is not None and ln.state == "streaming" and ln.lag_bytes is not None
        ),
        15,
        "a streaming link with a known byte gap",
    )
    first = link(cloud_harness.store)
    assert first is not None
    assert first.primary == "orders" and first.replica == "replica1"
    assert first.primary_region == "self-managed"
    assert first.sync_state == "async"
    assert first.lag_bytes is not None and first.lag_bytes < 1_000_000

    replay(postgres_pair, "pause")
    try:
        cloud_harness.wait(
            lambda s: (ln := link(s)) is not None and ln.state == "paused", 10, "the paused state"
        )
        # The byte gap grows poll after poll while the primary keeps writing.
        gaps: list[int] = []

        def growing(store: Any) -> bool:
            ln = link(store)
            size = ln.lag_bytes if ln is not None else None
            if size is not None and (not gaps or size > gaps[-1]):
                gaps.append(size)
            return len(gaps) >= 3 and gaps[-1] > 1_000_000

        cloud_harness.wait(growing, 20, "a growing byte gap")
        # Seconds grow too (the standby reports every second while stuck).
        cloud_harness.wait(
            lambda s: (ln := link(s)) is not None and (ln.lag_seconds or 0) > 1.5,
            15,
            "replay lag above 1.5s",
        )
        incidents = cloud_harness.store.incidents()
        assert any(i.what == "DB" and "paused" in i.detail for i in incidents)
        history = list(cloud_harness.store.lag_history[(CLUSTER, LINK)])
        assert history and max(history) > 1.5
    finally:
        replay(postgres_pair, "resume")

    cloud_harness.wait(
        lambda s: (
            (ln := link(s)) is not None
            and ln.state == "streaming"
            and ln.lag_bytes is not None
            and ln.lag_bytes < 1_000_000
        ),
        20,
        "the replica catching up",
    )
    assert cloud_harness.stop() < 2.0


def test_missing_replica_and_password_never_shown(
    postgres_pair: PostgresPair, cloud_harness: SourceHarness
) -> None:
    dead = free_port()
    # Built directly: the config loader refuses passwords, but a source must never leak one.
    secret_db = DatabaseConfig(
        engine="postgres",
        cluster=CLUSTER,
        name="",
        dsn=f"host=127.0.0.1 port={dead} user=wundr password=hunter2-secret connect_timeout=2",
        poll_seconds=0.2,
    )
    live_db = DatabaseConfig(
        engine="postgres",
        cluster=CLUSTER,
        name="orders",
        dsn=postgres_pair.primary_dsn,
        replica_dsns=(f"postgresql://wundr:hunter2-secret@127.0.0.1:{dead}/postgres",),
        poll_seconds=0.2,
    )
    cloud_harness.start(PostgresReplicationSource(secret_db), PostgresReplicationSource(live_db))
    source_name = f"postgres/127.0.0.1:{dead}"
    cloud_harness.wait(
        lambda s: (h := s.health.get((CLUSTER, source_name))) is not None and h.state == "error",
        15,
        "an error badge for the dead primary",
    )
    cloud_harness.wait(
        lambda s: (
            (h := s.health.get((CLUSTER, "postgres/orders"))) is not None
            and h.state == "live"
            and "127.0.0.1" in h.reason
        ),
        15,
        "a live badge naming the unreachable replica",
    )
    # Two sources feed one cluster's links: neither wipes the other's.
    links = cloud_harness.items(CLUSTER, Kind.REPLICA_LINK)
    assert LINK in links
    unreachable = links[f"postgres:orders>127.0.0.1:{dead}/postgres"]
    assert isinstance(unreachable, ReplicaLink) and unreachable.state == "unreachable"
    for h in cloud_harness.store.health.values():
        assert "hunter2" not in h.reason and "hunter2" not in h.source
    for key in links:
        assert "hunter2" not in key
    started = time.monotonic()
    cloud_harness.stop()
    assert time.monotonic() - started < 3.0


def test_unprivileged_user_is_told_to_grant_pg_monitor(
    postgres_pair: PostgresPair, cloud_harness: SourceHarness
) -> None:
    import psycopg

    with psycopg.connect(postgres_pair.primary_dsn, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS wundr_plain")
        conn.execute("CREATE ROLE wundr_plain LOGIN")
    plain = DatabaseConfig(
        engine="postgres",
        cluster=CLUSTER,
        name="plain",
        dsn=postgres_pair.primary_dsn.replace("user=postgres", "user=wundr_plain"),
        poll_seconds=0.2,
    )
    cloud_harness.start(PostgresReplicationSource(plain))
    cloud_harness.wait(
        lambda s: (
            (h := s.health.get((CLUSTER, "postgres/plain"))) is not None
            and "grant pg_monitor" in h.reason
        ),
        10,
        "a hint to grant pg_monitor",
    )
    links = cloud_harness.items(CLUSTER, Kind.REPLICA_LINK)
    assert [ln.state for ln in links.values() if isinstance(ln, ReplicaLink)] == ["unknown"]
    cloud_harness.stop()


def test_disconnected_replica_shows_how_far_behind(
    postgres_pair: PostgresPair, writer: threading.Event, cloud_harness: SourceHarness
) -> None:
    import psycopg

    cloud_harness.start(PostgresReplicationSource(db(postgres_pair)))
    cloud_harness.wait(
        lambda s: (ln := link(s)) is not None and ln.state == "streaming", 15, "a streaming link"
    )
    with psycopg.connect(postgres_pair.replica_dsn, autocommit=True) as conn:
        original = conn.execute("SHOW primary_conninfo").fetchone()[0]  # type: ignore[index]
        # Cut the replica off: no primary to stream from, still in recovery.
        conn.execute("ALTER SYSTEM SET primary_conninfo = ''")
        conn.execute("SELECT pg_reload_conf()")
    try:
        cloud_harness.wait(
            lambda s: (
                (ln := link(s)) is not None
                and ln.state == "disconnected"
                and (ln.lag_bytes or 0) > 1_000_000
            ),
            20,
            "a disconnected replica falling behind by bytes",
        )
        behind = link(cloud_harness.store)
        assert behind is not None and behind.lag_seconds is not None
    finally:
        with psycopg.connect(postgres_pair.replica_dsn, autocommit=True) as conn:
            conn.execute(
                f"ALTER SYSTEM SET primary_conninfo = '{original.replace(chr(39), 2 * chr(39))}'"
            )
            conn.execute("SELECT pg_reload_conf()")
    cloud_harness.wait(
        lambda s: (ln := link(s)) is not None and ln.state == "streaming", 20, "streaming again"
    )
    cloud_harness.stop()
