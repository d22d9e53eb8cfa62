"""ctrl+s and :handoff write the hand-off notes beside the audit log and say where."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp
from wundr_tui.audit import AuditLog


def toasts(app: WundrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_ctrl_s_then_handoff_command_each_write_a_new_file(tmp_path: Path) -> None:
    audit = AuditLog(path=tmp_path / "state" / "audit.jsonl")
    audit.record("eks", "silence", {}, {"alertname": "HighErrorRate"}, "ok")
    app = WundrApp(recorded_store(), audit=audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("colon", *"handoff", "enter")
        await pilot.pause()
        files = sorted((tmp_path / "state").glob("handoff-*.md"))
        assert len(files) == 2
        assert any(f"hand-off notes written to {files[0]}" in t for t in toasts(app))
        text = files[0].read_text()
        assert "## Stories (worst first)" in text and " STORY " in text
        assert "silence: alertname - → HighErrorRate  OK" in text
