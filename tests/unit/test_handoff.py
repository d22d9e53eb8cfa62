"""Hand-off notes (Markdown): the demo's stories, timeline and actions; outsider text can
never become Markdown (links, headings, HTML) or close its fence; the file is new and private."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import recorded_store
from tests.fakes.hostile import hostile_text
from wundr_tui import handoff, snapshot
from wundr_tui.audit import AuditLog
from wundr_tui.config import Config
from wundr_tui.model import Incident

OURS = re.compile(
    r"^(# wundr-tui hand-off \S+( — [A-Z]+)?"
    r"|\d+ critical · \d+ warning · \d+ info( · clusters: `[^`]*`)?"
    r"|## (Stories \(worst first\)|Timeline \(last hour, newest first\)"
    r"|Recent actions \(audit log\))"
    r"|Nothing wrong\.|No changes seen in the last hour\.|No actions\.|_[^_]*_|)$"
)
"""Every line outside a fenced block is one of these (ours, not an outsider's)."""


def outside_fences(text: str) -> list[str]:
    """The lines not inside a fenced code block (a fence closes only with its own length)."""
    out, fence = [], ""
    for line in text.splitlines():
        if fence:
            if line == fence:
                fence = ""
            continue
        m = re.match(r"^(`{3,})text$", line)
        if m:
            fence = m.group(1)
            continue
        out.append(line)
    assert not fence, "a fence was left open"
    return out


def test_the_demo_moment_as_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--demo --at 130 (the worst of its story): the api-gateway story with its rows and why,
    the changes of the last hour (the rollout among them), the audit line of an action."""
    from tests.conftest import DEMO_START
    from wundr_tui import wiring

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    AuditLog(mode="demo").record("eks", "scale", {"replicas": "3"}, {"replicas": "6"}, "ok")
    wired = wiring.demo_moment(7, 130, start=DEMO_START)
    out: list[str] = []
    code = snapshot.run(
        wired.sources,
        Config(),
        fmt="markdown",
        timeout=5,
        clock=wired.clock,
        write=out.append,
        demo=True,
    )
    text = "".join(out)
    assert code == snapshot.EXIT_CRITICAL
    assert text.startswith("# wundr-tui hand-off ") and " — CRITICAL\n" in text
    assert all(OURS.match(line) for line in outside_fences(text)), outside_fences(text)
    stories = text.split("## Stories (worst first)")[1].split("## Timeline")[0]
    story = next(line for line in stories.splitlines() if " STORY " in line)
    assert "wundr-platform/api-gateway" in story and "→ HighErrorRate" in story
    # The moment's history is told at its own times: the rollout came a minute before.
    assert re.search(r"STORY .* rollout v1\.4\.3 \d+s before \(eks\) → ", story), story
    assert re.search(r"^  ↳ CRIT eks\s+ALERT .*HighErrorRate.* · same service$", stories, re.M)
    timeline = text.split("## Timeline (last hour, newest first)")[1].split("## Recent")[0]
    rollout = re.search(
        r"^\d\d:\d\d:\d\d eks\s+ROLLOUT\s+wundr-platform/api-gateway-blue  image v1.4.2 → v1.4.3",
        timeline,
        re.M,
    )
    assert rollout, timeline
    stamps = re.findall(r"^(\d\d):(\d\d):(\d\d) ", timeline, re.M)
    assert len(set(stamps)) > 10, "history stamped at the moment, not when it happened"
    actions = text.split("## Recent actions (audit log)")[1]
    assert re.search(r"DEMO  \S+  \S+@\S+  eks  scale: replicas 3 → 6  OK", actions)


def test_outsider_text_stays_in_its_fence() -> None:
    """A pod name and an alert text that try to be Markdown, HTML, a heading and a fence end
    come out inside the block, their controls shown as escapes."""
    store = recorded_store()
    evil = "x```\n# owned [click](http://evil.example) <img src=x onerror=alert(1)> \x1b[2J ````"
    bad = Incident(0, "critical", "eks", "POD", evil, evil, store.clock.now())
    store.incidents = lambda: [bad]  # type: ignore[method-assign]
    text = handoff.render(store, [{"user": evil, "action": evil, "result": "ok"}], {})
    assert all(OURS.match(line) for line in outside_fences(text)), outside_fences(text)
    assert "\x1b" not in text
    assert "`````text" in text  # one longer than the run of four inside
    assert sum("evil.example" in line for line in text.splitlines()) >= 2


@given(st.lists(hostile_text, min_size=1, max_size=4), hostile_text)
def test_any_audit_line_stays_in_its_fence(values: list[str], user: str) -> None:
    store = recorded_store()
    items = [{"user": user, "host": v, "cluster": v, "action": v, "result": v} for v in values]
    text = handoff.render(store, items, {})
    assert all(OURS.match(line) for line in outside_fences(text))
    assert all(len(line) <= handoff.MAX_LINE for line in text.splitlines())


def test_the_file_is_new_private_and_never_replaces_one(tmp_path: Path) -> None:
    first = handoff.write_file("a\n", tmp_path / "state", now=1_800_000_000)
    target = tmp_path / "elsewhere"
    target.write_text("keep\n")
    link = first.with_name(first.stem + "-1.md")
    link.symlink_to(target)
    second = handoff.write_file("b\n", tmp_path / "state", now=1_800_000_000)
    assert first.name == "handoff-20270115-080000.md" and second.name.endswith("-2.md")
    assert target.read_text() == "keep\n" and second.read_text() == "b\n"
    assert stat.S_IMODE(os.stat(second).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "state").st_mode) == 0o700
