"""Pilot tests of ``:services`` (key 0) on the committed recording ``demo-120s.jsonl``: one row
per service per cluster, api-gateway's two clusters marked where their tags differ (a glyph,
readable without colour), the 5xx and p95 sparklines over the thresholds, the detail line
naming the firing alerts, Enter on the deployment; in low-bandwidth mode ASCII marks and bars;
a Prometheus that stopped answering is a badge on the signals, the pane keeps its rows."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp, command_list
from wundr_tui.backends.demo import EKS_CONTEXT, GKE_CONTEXT
from wundr_tui.events import Health
from wundr_tui.model import Kind, SourceHealth
from wundr_tui.screens.cells import BAD
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.services import ServicesScreen
from wundr_tui.services import ServiceRow
from wundr_tui.widgets.rows import plain

SIZE = (80, 24)


def screen_of(app: WundrApp) -> ServicesScreen:
    screen = app.screen
    assert isinstance(screen, ServicesScreen)
    return screen


def cells(app: WundrApp) -> list[list[str]]:
    table = screen_of(app).table
    return [[plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def column(app: WundrApp, key: str) -> int:
    return [c.key for c in screen_of(app).table.columns_spec].index(key)


async def test_services_side_by_side_with_marks_and_signals() -> None:
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"services", "enter")
        await pilot.pause()
        screen = screen_of(app)
        rows = cells(app)
        service, clu, version = (
            column(app, "service"),
            column(app, "cluster"),
            column(app, "version"),
        )
        assert [(r[service], r[clu]) for r in rows] == [
            (name, tag)
            for name in ("analysis-engine", "api-gateway", "setup-toolkit", "web-client")
            for tag in ("eks", "gke")
        ]
        # EKS runs the rollout's v1.4.3, GKE still v1.4.2: both cells say so with a glyph.
        assert [r[version] for r in rows[2:4]] == ["≠v1.4.3", "≠v1.4.2"]
        assert not any("≠" in r[version] for r in rows[:2] + rows[4:])
        errors, p95 = column(app, "errors"), column(app, "p95")
        eks_gateway = rows[2]
        assert eks_gateway[errors].endswith(" 7.3%") and eks_gateway[p95].endswith(" 1.24s")
        assert len(eks_gateway[errors].split()[0]) == 8  # 30 minutes in 8 cells
        # Bars over the threshold are drawn bad; the calm service's are not.
        table = screen.table
        gateway_cell = table.get_row_at(2)[errors]
        assert isinstance(gateway_cell, Text)
        assert any(str(span.style) == BAD for span in gateway_cell.spans)
        web_cell = table.get_row_at(6)[errors]
        assert isinstance(web_cell, Text)
        assert not any(str(span.style) == BAD for span in web_cell.spans)
        header = screen.header_text().plain
        assert header.startswith("Services  8/8 · by service")
        assert "≥5% / 1s" in header and header.endswith("● live")
        assert header.rstrip() == header and len(header) <= 78

        # The detail line: the cursor row in words, the other cluster's tag, the alerts.
        await pilot.press("down", "down")
        await pilot.pause()
        line = screen.query_one("#detail-line").render()
        text = line.plain if isinstance(line, Text) else str(line)
        assert text.startswith("api-gateway on eks  v1.4.3 (gke v1.4.2)  20/20 ready")
        assert "HPA 20→20 of 20 at max" in text and "firing: HighErrorRate, HighLatency" in text
        assert "1665 req/s" in text or "1.7k req/s" in text

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.key == "wundr-platform/api-gateway-blue"


async def test_key_0_and_the_command_list_reach_the_pane() -> None:
    assert ("services", ("svc", "service", "golden", "signals"), "Go to Services") in command_list()
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await pilot.pause()
        assert screen_of(app).table.row_count == 8
        await pilot.press("2", "colon", *"svc", "enter")
        await pilot.pause()
        assert screen_of(app).PANE == "services"


async def test_low_bandwidth_marks_and_bars_are_ascii() -> None:
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    app.low_bandwidth = True
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("0")
        await pilot.pause()
        rows = cells(app)
        assert [r[column(app, "version")] for r in rows[2:4]] == ["!v1.4.3", "!v1.4.2"]
        for r in rows:
            for key in ("errors", "p95", "requests"):
                assert r[column(app, key)].isascii(), r


async def test_prometheus_down_is_a_badge_on_the_signals_not_an_empty_pane() -> None:
    store = recorded_store("demo-120s.jsonl")
    now = store.clock.now()
    store.apply(
        [
            Health(
                SourceHealth(
                    GKE_CONTEXT, "signals", "error", now, "cannot reach prom:9090", (Kind.SIGNALS,)
                )
            )
        ]
    )
    app = WundrApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await pilot.pause()
        screen = screen_of(app)
        rows = cells(app)
        assert len(rows) == 8
        errors, clu = column(app, "errors"), column(app, "cluster")
        for r in rows:
            spark, word = r[errors].rsplit(" ", 1)
            assert spark.strip(), "the last points are still drawn"
            assert word == ("error" if r[clu] == "gke" else word), r
            if r[clu] == "eks":
                assert word.endswith("%")
        header = screen.header_text().plain
        assert "error" in header and "cannot reach prom:9090" in header
        row = screen.table.get_row_at(3)
        assert plain(row[clu]) == "gke"
        obj = screen.table.selected_object()
        assert isinstance(obj, ServiceRow) and obj.cluster == EKS_CONTEXT
