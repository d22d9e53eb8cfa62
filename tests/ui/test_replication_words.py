"""One replication vocabulary in the panes (streaming / catching up / stopped / unknown),
whatever RDS, Cloud SQL or pg_stat_replication say; the provider's word in the detail view."""

from __future__ import annotations

from tests.conftest import demo_store
from wundr_tui.app import WundrApp
from wundr_tui.facts import replica_sections
from wundr_tui.incidents import replica_incident
from wundr_tui.model import REPLICATION_WORDS, Kind, ReplicaLink, replication_word
from wundr_tui.screens.base import PaneScreen


def test_every_providers_word_maps_to_the_panes_vocabulary() -> None:
    cases = {
        "streaming": "streaming",  # pg_stat_replication
        "catchup": "catching up",
        "startup": "catching up",
        "paused": "stopped",
        "replicating": "streaming",  # RDS read replication
        "error": "stopped",
        "stopped": "stopped",
        "available": "streaming",
        "RUNNABLE": "streaming",  # Cloud SQL
        "SUSPENDED": "stopped",
        "PENDING_CREATE": "catching up",
        "unreachable": "unknown",
        "MAINTENANCE": "unknown",
        "": "unknown",
    }
    for provider_word, word in cases.items():
        assert replication_word(provider_word) == word, provider_word
        assert word in REPLICATION_WORDS


def _link(engine: str, state: str) -> ReplicaLink:
    return ReplicaLink(engine, "pri", "rep", "r1", "r2", state, 1.0, None, 0.0)


def test_the_detail_view_keeps_the_providers_own_word() -> None:
    facts = {
        f.label: f.value
        for s in replica_sections(_link("cloudsql", "RUNNABLE"), 0.0)
        for f in s.facts
    }
    assert facts["state"] == "streaming"
    assert facts["Cloud SQL says"] == "RUNNABLE"
    facts = {
        f.label: f.value for s in replica_sections(_link("rds", "error"), 0.0) for f in s.facts
    }
    assert facts["state"] == "stopped" and facts["RDS says"] == "error"


def test_an_incident_row_reads_the_vocabulary_with_the_providers_word_beside() -> None:
    row = replica_incident("c", _link("rds", "error"), 30.0, 0.0)
    assert row is not None and row.detail == "replication stopped from pri (error)"
    assert replica_incident("c", _link("cloudsql", "RUNNABLE"), 30.0, 0.0) is None


async def test_the_database_pane_shows_one_vocabulary_for_rds_and_cloud_sql() -> None:
    app = WundrApp(demo_store())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PaneScreen)
        raw = {link.state for _, link in app.store.all(Kind.REPLICA_LINK)}
        assert {"replicating", "RUNNABLE"} <= raw, "the demo has both providers' words"
        cells = [
            str(cell) for i in range(screen.table.row_count) for cell in screen.table.get_row_at(i)
        ]
        assert "streaming" in cells
        assert not {"replicating", "RUNNABLE"} & set(cells)
