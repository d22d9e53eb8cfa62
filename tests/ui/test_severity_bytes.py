"""Severity as the terminal gets it: the bytes of the Incident pane under ``NO_COLOR`` and in
16 colours, read back with pyte. Critical must never look weaker than warning, and the cursor
(on the top, worst row by default) must not hide it."""

from __future__ import annotations

import pyte
import pytest
from pyte.screens import Char

from tests.conftest import demo_store
from wundr_tui.app import WundrApp
from wundr_tui.config import Config

COLS, ROWS = 100, 30


async def _screen(
    monkeypatch: pytest.MonkeyPatch,
    *,
    no_color: bool,
    low_bandwidth: bool = False,
    term: str = "",
) -> pyte.Screen:
    """The demo's Incident pane at 120 s (two CRIT rows on top) as a 16-colour terminal
    shows it: every byte the compositor writes for a full repaint, fed to pyte. With ``term``
    the terminal says what it is (``TERM=xterm``, no ``COLORTERM``) and Rich works out that it
    has 16 colours; without, Textual is told so."""
    import textual.constants

    if term:
        monkeypatch.setenv("TERM", term)
        monkeypatch.delenv("COLORTERM", raising=False)
    else:
        monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = WundrApp(demo_store(120), config=Config(low_bandwidth=low_bandwidth))
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await pilot.pause()
        update = app.screen._compositor.render_update(full=True)
        written = update.render_segments(app.console)
    screen = pyte.Screen(COLS, ROWS)
    pyte.Stream(screen).feed(written)
    return screen


def _find(screen: pyte.Screen, word: str) -> list[tuple[int, int]]:
    """(row, column) of every place ``word`` starts."""
    found = []
    for y in range(ROWS):
        line = "".join(screen.buffer[y][x].data for x in range(COLS))
        start = line.find(word)
        while start >= 0:
            found.append((y, start))
            start = line.find(word, start + 1)
    return found


def _chars(screen: pyte.Screen, at: tuple[int, int], n: int) -> list[Char]:
    y, x = at
    return [screen.buffer[y][x + i] for i in range(n)]


def _look(c: Char) -> tuple[str, str, bool, bool]:
    return (c.fg, c.bg, c.bold, c.reverse)


async def test_no_color_crit_is_bold_reverse_and_bright_warn_bold_never_stronger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under NO_COLOR in 16 colours: CRIT is bold and reverse in a bright grey (it was reverse
    dark grey, SGR 90, beside a bold light grey WARN); WARN is bold without reverse; the
    header's "2 critical" is bold and not dark grey, never weaker than "warning"."""
    screen = await _screen(monkeypatch, no_color=True)
    crits = _find(screen, "CRIT")
    warns = _find(screen, "WARN")
    assert len(crits) == 2 and warns, (crits, warns)
    for at in crits:
        for c in _chars(screen, at, 4):
            assert c.bold and c.reverse, _look(c)
            # reversed: the badge's block is drawn in its foreground colour
            assert c.fg not in ("brightblack", "black"), _look(c)
    for at in warns:
        for c in _chars(screen, at, 4):
            assert c.bold and not c.reverse, _look(c)
    (head,) = _find(screen, "2 critical")
    (warning,) = _find(screen, "warning")
    crit_word = _chars(screen, head, len("2 critical"))
    assert all(c.bold and c.fg != "brightblack" for c in crit_word), [_look(c) for c in crit_word]
    warn_word = _chars(screen, warning, len("warning"))
    assert not any(c.bold for c in warn_word) or all(c.bold for c in crit_word)


@pytest.mark.parametrize("no_color", [True, False], ids=["no-color", "16-colours"])
async def test_cursor_row_keeps_its_severity_badge(
    monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    """The cursor sits on the top (worst) row: its CRIT looks exactly like the CRIT of the
    row below it, which has no cursor (the cursor's colours used to replace the badge's)."""
    screen = await _screen(monkeypatch, no_color=no_color)
    top, second = _find(screen, "CRIT")
    assert top[0] + 1 == second[0]
    # the rows do differ: the cursor is on the top one
    assert _look(screen.buffer[top[0]][20]) != _look(screen.buffer[second[0]][20])
    assert [_look(c) for c in _chars(screen, top, 4)] == [
        _look(c) for c in _chars(screen, second, 4)
    ]
    assert all(c.bold and c.reverse for c in _chars(screen, top, 4))


async def test_xterm_draws_critical_red_and_warning_yellow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On ``TERM=xterm`` (16 colours) CRIT is a red block and WARN yellow, the terminal's own:
    Rich's nearest match to the truecolor theme sent CRIT as magenta and WARN as red, so that
    warnings looked like the criticals of every other tool."""
    screen = await _screen(monkeypatch, no_color=False, term="xterm")  # pyte: SGR 33 is brown
    crits, warns = _find(screen, "CRIT"), _find(screen, "WARN")
    assert len(crits) == 2 and warns
    for at in crits:
        for c in _chars(screen, at, 4):
            assert c.reverse and c.fg in ("red", "brightred"), _look(c)
    for at in warns:
        for c in _chars(screen, at, 4):
            assert not c.reverse and c.fg in ("brown", "yellow", "brightyellow"), _look(c)


@pytest.mark.parametrize(
    ("low_bandwidth", "term"),
    [(True, "xterm-256color"), (False, "xterm"), (True, "xterm")],
    ids=["low-bandwidth", "xterm", "low-bandwidth-xterm"],
)
async def test_no_color_never_draws_text_in_its_own_background(
    monkeypatch: pytest.MonkeyPatch, low_bandwidth: bool, term: str
) -> None:
    """NO_COLOR in low-bandwidth mode (automatic over SSH) or on a 16-colour terminal: every
    word on the screen is drawn in a colour other than its background. With the terminal's own
    16 colours Textual's greys of "default" were black on black: an empty screen with only
    the bold words showing."""
    screen = await _screen(monkeypatch, no_color=True, low_bandwidth=low_bandwidth, term=term)
    hidden = [
        (y, x, c.data)
        for y in range(ROWS)
        for x in range(COLS)
        if (c := screen.buffer[y][x]).data.isalnum() and c.fg == c.bg and c.fg != "default"
    ]
    assert not hidden, hidden[:10]
    assert _find(screen, "CrashLoopBackOff") and _find(screen, "STORY")
