"""End to end in tmux at 80x24, NO_COLOR, 16 colours: the mode badge and read-only mode as a
person over SSH sees them."""

from __future__ import annotations

from tests.e2e.test_tmux import term  # noqa: F401  (the fixture)


def test_demo_read_only_badge_footer_and_refusal(term) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    t = term("--demo", "--read-only", TERM="xterm", NO_COLOR="1")
    screen = t.wait_for("BLUE/GRN")
    lines = screen.splitlines()
    assert lines[0].startswith("  DEMO   READ-ONLY  EKS"), lines[0]
    footer = lines[-1]
    assert "Filter" in footer and "Blue/green" not in footer, footer
    escapes = t.tmux("capture-pane", "-p", "-e").splitlines()[0]
    assert "\x1b[1;7m" in escapes, "the badge is bold + reverse (what NO_COLOR keeps)"
    t.keys("b")
    screen = t.wait_for("read-only: blue-green switch not sent")
    assert "--read-only" in screen
    t.keys("2")
    t.wait_for("NAMESPACE")
    t.keys("s")
    t.wait_for("read-only: scale of the owning deployment")
    assert t.screen().splitlines()[0].startswith("  DEMO   READ-ONLY"), "on every pane"
