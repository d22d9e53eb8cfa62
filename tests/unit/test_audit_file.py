"""The audit log as a file others may tamper with (issue 10, class 8): never written through a
symlink or into a file that is not ours alone, demo and replay actions kept apart and marked,
and ``wundr-tui audit`` never prints a character a terminal would obey."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fakes.pty_run import PtyApp
from wundr_tui.actions.base import Change, Plan, run_plan
from wundr_tui.audit import AuditLog, default_path
from wundr_tui.cli import main
from wundr_tui.model import Cluster

CLUSTER = Cluster("eks-ctx", "aws", "us-east-1", "wundr-production", production=True)


def record(log: AuditLog, cluster: str = "eks-ctx") -> None:
    log.record(cluster, "scale", {"replicas": "3"}, {"replicas": "4"}, "done")


def audit_exits_2(capsys: pytest.CaptureFixture[str], reason: str) -> None:
    assert main(["audit"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert reason in line and str(default_path()) in line


def test_a_symlink_in_place_of_the_log_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing is appended to the file the link points at; ``wundr-tui audit`` exits 2."""
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    path = default_path()
    path.parent.mkdir(parents=True)
    path.symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        record(AuditLog())
    assert victim.read_text() == "precious\n"
    audit_exits_2(capsys, "symbolic link")


def test_a_file_others_may_write_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = AuditLog()
    record(log)
    os.chmod(log.path, 0o666)
    with pytest.raises(OSError, match="writable by group or others"):
        record(log)
    assert len(log.path.read_text().splitlines()) == 1
    audit_exits_2(capsys, "writable by group or others")


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_a_file_owned_by_someone_else_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    log = AuditLog()
    record(log)
    os.chown(log.path, 4242, 4242)
    with pytest.raises(OSError, match="owned by user id 4242"):
        record(log)
    audit_exits_2(capsys, "owned by user id 4242")


def test_an_action_that_cannot_be_recorded_is_not_sent(tmp_path: Path) -> None:
    """The audit file is checked before the plan executes: nothing is sent, and the outcome
    says why in one line."""
    sent: list[str] = []

    def execute(_progress: object) -> str:
        sent.append("scale")
        return "scaled"

    plan = Plan("scale", "Scale web-client", CLUSTER, "ns", (Change("replicas", "3", "4"),))
    plan.execute = execute  # type: ignore[assignment]
    path = default_path()
    path.parent.mkdir(parents=True)
    path.symlink_to(tmp_path / "elsewhere")
    outcome = run_plan(plan, AuditLog())
    assert sent == []
    assert outcome.result == "refused"
    assert "symbolic link" in outcome.message and "\n" not in outcome.message
    assert not (tmp_path / "elsewhere").exists()


def test_audit_text_shows_control_characters_as_escapes_and_json_keeps_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A cluster name or error holding terminal controls prints as visible escapes; --json
    keeps the exact strings (escaped by the encoder), with no raw control byte either."""
    hostile = "eks\x1b[2J\x1b]0;pwned\x07\u202egnp.exe\x9b31m"
    log = AuditLog()
    log.record(hostile, "scale", {"re\x1bplicas": "3"}, {"re\x1bplicas": "4"}, "failed", hostile)
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in out
    assert "eks\\x1b[2J\\x1b]0;pwned\\x07\\u202egnp.exe\\x9b31m" in out
    assert main(["audit", "--json"]) == 0
    out = capsys.readouterr().out
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in out
    entry = json.loads(out)
    assert entry["cluster"] == hostile and entry["error"] == hostile
    assert entry["before"] == {"re\x1bplicas": "3"}


def test_demo_actions_have_their_own_file_and_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A blue-green switch cancelled at its dialog in ``wundr-tui --demo`` is recorded in
    audit-demo.jsonl, marked demo, listed by ``audit --demo`` with a DEMO lead; the real log
    stays empty."""
    env = {"XDG_STATE_HOME": os.environ["XDG_STATE_HOME"]}
    env["XDG_CONFIG_HOME"] = os.environ["XDG_CONFIG_HOME"]
    app = PtyApp(["--demo"], env=env)
    demo_log = default_path().parent / "audit-demo.jsonl"
    try:
        assert app.wait_for(b"live", timeout=60), app.screen[-2000:]
        app.press(b"b")
        assert app.wait_for(b"production-green", timeout=20), app.screen[-2000:]
        for _ in range(50):
            if demo_log.exists() or default_path().exists():
                break
            app.press(b"\x1b")
            app.wait_for(b"\0never", timeout=0.4)
        app.press(b"q")
        app.wait(timeout=20)
    finally:
        app.close()
    assert not default_path().exists(), "a demo action reached the real audit log"
    (entry,) = [json.loads(line) for line in demo_log.read_text().splitlines()]
    assert entry["mode"] == "demo" and entry["result"] == "cancelled"
    assert entry["action"] == "blue-green"
    assert main(["audit", "--demo"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("DEMO  ") and line.endswith("CANCELLED")
    assert main(["audit"]) == 0
    assert "no actions recorded yet" in capsys.readouterr().out


def test_an_error_holding_undecodable_bytes_is_recorded_exactly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An error message with a lone surrogate (undecodable bytes from a server) is written
    (JSON-escaped) and reads back exactly, instead of the audit raising UnicodeEncodeError."""
    error = "refused: \udcff\udc80 bytes ≤ 3"
    AuditLog().record("eks-ctx", "scale", {"replicas": "3"}, {"replicas": "4"}, "failed", error)
    assert main(["audit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["error"] == error
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert "\\udcff\\udc80" in out and "\udcff" not in out


def test_a_symlinked_directory_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The log's directory replaced by a link to a place someone else controls: nothing is
    written there, ``wundr-tui audit`` exits 2 naming the directory."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = default_path()
    path.parent.parent.mkdir(parents=True)
    path.parent.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OSError, match=r"directory .* is a symbolic link"):
        record(AuditLog())
    assert list(elsewhere.iterdir()) == []
    audit_exits_2(capsys, "is a symbolic link")


def test_a_directory_others_may_write_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whoever may write to the directory may swap the file between check and write."""
    log = AuditLog()
    record(log)
    os.chmod(log.path.parent, 0o777)
    try:
        with pytest.raises(OSError, match=r"directory .* writable by group or others"):
            record(log)
        assert len(log.path.read_text().splitlines()) == 1
        audit_exits_2(capsys, "writable by group or others")
    finally:
        os.chmod(log.path.parent, 0o700)
