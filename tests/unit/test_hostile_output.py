"""Hostile text through public behaviour: ``wundr-tui snapshot`` against an apiserver serving
crafted objects, toasts holding markup and escape sequences, the log file."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import demo_store
from tests.fakes.apiserver import FakeApiServer, write_kubeconfig
from tests.fakes.k8s_objects import platform, pod
from wundr_tui import cli
from wundr_tui.app import WundrApp
from wundr_tui.clock import FrozenClock
from wundr_tui.store import Store

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = "Crash\x1b[2J\x1b]0;pwned\x07[/on x][link=https://evil.example]\u202e<&]]>\x7f\x9b"
"""A waiting reason an attacker's pod reports: clears, retitles, markup, bidi, XML, DEL, CSI."""

CONTEXT = ("--context", "hostile", "--timeout", "20")

RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An apiserver whose platform has one pod with a hostile name, namespace and reason."""
    objects = platform("aws")
    objects["pods"].append(
        pod("team\x1b[31m", "evil\x07\u202e-0", waiting=HOSTILE, ready=False, restarts=3)
    )
    tmp = tmp_path_factory.mktemp("hostile")
    with FakeApiServer(objects) as server:
        kubeconfig = write_kubeconfig(tmp / "kubeconfig", {"hostile": (server.url, "test-token")})
        (tmp / "config.toml").write_text("")
        yield {
            **os.environ,
            "KUBECONFIG": str(kubeconfig),
            "WUNDR_TUI_CONFIG": str(tmp / "config.toml"),
            "XDG_STATE_HOME": str(tmp / "state"),
        }


def snapshot_cli(env: dict[str, str], fmt: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "wundr_tui", "snapshot", "--format", fmt, *CONTEXT],
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert not RAW.search(result.stderr), result.stderr
    return result.stdout


def test_snapshot_text_shows_hostile_text_escaped(hostile_cluster: dict[str, str]) -> None:
    out = snapshot_cli(hostile_cluster, "text")
    assert not RAW.search(out.replace("\n", "")), out
    assert "Crash\\x1b[2J\\x1b]0;pwned\\x07[/on x]" in out


def test_snapshot_json_keeps_the_exact_string_in_printable_ascii(
    hostile_cluster: dict[str, str],
) -> None:
    out = snapshot_cli(hostile_cluster, "json")
    assert re.fullmatch(r"[ -~\n]*", out), "raw bytes in the JSON"
    doc = json.loads(out)
    details = [i["detail"] for i in doc["incidents"]]
    assert any(HOSTILE in d for d in details), details
    assert "team\x1b[31m/evil\x07\u202e-0" in [i["subject"] for i in doc["incidents"]]


def test_snapshot_svg_is_well_formed_xml_without_raw_controls(
    hostile_cluster: dict[str, str],
) -> None:
    out = snapshot_cli(hostile_cluster, "svg")
    ET.fromstring(out)
    assert not RAW.search(out.replace("\n", ""))
    assert "Crash\\x1b[2J" in out.replace("&#160;", " ")


# -- toasts ------------------------------------------------------------------------------


async def test_markup_typed_at_the_command_prompt_is_shown_not_parsed() -> None:
    """``[/]`` typed after ``:`` was a MarkupError traceback that ended the app."""
    app = WundrApp(demo_store())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("colon", "left_square_bracket", "slash", "right_square_bracket")
        await pilot.press("enter")
        await pilot.pause()
        shot = app.export_screenshot().replace("&#160;", " ")
        assert "unknown command :[/]" in shot
        assert app.is_running


class CrashingSource:
    """A source whose loop raises with text from a server in the message."""

    name = "hostile"

    def run(self, emit: Any, stop: threading.Event) -> None:
        raise RuntimeError("denied: \x1b]0;pwned\x07[/on x]\u202e")


async def test_a_source_crash_toast_shows_its_text_escaped() -> None:
    app = WundrApp(Store(FrozenClock(0.0)), [CrashingSource()])
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            shot = app.export_screenshot().replace("&#160;", " ")
            if "source hostile stopped" in shot:
                break
        assert "\\x1b]0;pwned\\x07[/on x]\\u202e" in shot  # the toast wraps after "denied:"
        assert not RAW.search(shot.replace("\n", ""))
        assert app.is_running


# -- the log file ------------------------------------------------------------------------


def test_the_log_file_escapes_what_libraries_quote(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        path = Path(cli.log_to_file())
        logging.getLogger("kubernetes").warning("exec: %s", "\x1b]0;pwned\x07\nERROR forged")
        for handler in root.handlers:
            handler.flush()
        written = path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:], root.level = handlers, level
        logging.captureWarnings(False)
    assert written.endswith("exec: \\x1b]0;pwned\\x07\\nERROR forged\n")
    assert written.count("\n") == 1


async def test_a_selected_row_that_moves_keeps_the_cursor_and_the_cockpit() -> None:
    """An Alertmanager may send a fingerprint again with other labels: the selected alert's
    sort key changes, and moving its row raised ValueError out of the table (app gone)."""
    from wundr_tui.events import ClusterSeen, Upserted
    from wundr_tui.model import Alert, Cluster, Kind
    from wundr_tui.widgets.resource_table import ResourceTable

    store = Store(FrozenClock(1_764_115_200.0))
    app = WundrApp(store)
    cluster = Cluster("c", "aws", "us-east-1", "c")
    alerts = [Alert(f"A{i}", f"fp{i}", "critical", "firing", 0.0, namespace=f"n{i}") for i in "12"]
    async with app.run_test(size=(120, 30)) as pilot:
        app.pump.emit(ClusterSeen(cluster))
        app.pump.emit(Upserted("c", Kind.ALERT, tuple(alerts)))
        app.frame()
        await pilot.press("6")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        assert table.selected_key() == ("c", "alert", "fp1")
        moved = Alert("Z1", "fp1", "critical", "firing", 0.0, namespace="z9")
        app.pump.emit(Upserted("c", Kind.ALERT, (moved,)))
        app.frame()
        await pilot.pause()
        assert app.is_running
        assert table.selected_key() == ("c", "alert", "fp1")
        assert [k[2] for k in table.keys_in_order()] == ["fp2", "fp1"]


async def test_a_pasted_filter_is_shown_escaped_in_the_header() -> None:
    """A filter pasted with an escape sequence in it is echoed in the pane's header."""
    from wundr_tui.screens.base import PaneScreen

    app = WundrApp(demo_store())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PaneScreen)
        screen.set_filter("\x1b]0;pwned\x07")
        await pilot.pause()
        header = screen.header_text().plain
        assert "/\\x1b]0;pwned\\x07" in header
        assert not RAW.search(header)
