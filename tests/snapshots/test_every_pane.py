"""SVG snapshots of every pane at 80x24 and 120x40, in each of the terminals an on-call
engineer may have: colour (truecolor), ``TERM=xterm`` (16 colours: the terminal's own, Textual's
ANSI theme, every blend sent as one of the 16) and ``NO_COLOR`` on ``TERM=xterm`` (greys only;
severity carried by bold, reverse and the words). Driven by the committed recording
``demo-120s.jsonl``: the seeded demo fleet 120 s into its story, on a frozen clock, when every
kind of incident is on (HighErrorRate and HighLatency firing, api-gateway pods Pending and an
EKS node NotReady, both api-gateway HPAs and compute-pools at max, RDS replica lag over its
threshold, the setup-toolkit pod crash-looping).

A new pane in ``PANES`` gets its six pictures here. Review a changed SVG as a picture
(``rsvg-convert x.svg -o x.png``) against ``WHAT`` and ``MODES`` before accepting it
(``--snapshot-update``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import recorded_store
from wundr_tui.app import PANES, WundrApp, pane_key

SnapCompare = Any

WHAT = {
    "incident": "five lines: the api-gateway STORY on both clouds (CLU 'all'), cause first "
    "('rollout v1.4.3 50s before (eks) → compute-pool at max …', whole in the detail line), "
    "the crash-looping setup-toolkit POD with CrashLoopBackOff, the RDS lag, the system-pool "
    "STORY ('1 of 3 nodes not ready → 4 pods not ready'), EKS's compute-pool at max; AGE says "
    "how long each has been wrong; the header still counts every row (2 critical, 13 warning)",
    "pods": "both clusters' pods worst first (the crash loop, then not ready, then Pending, "
    "then restarts), the header says 'worst first'; STATUS coloured by state",
    "hpa": "api-gateway-hpa on each cloud, a REPLICAS bar (filled to current, the min tick, "
    "red at max), STATUS AT MAX, METRICS whole ('cpu 125%/70% memory 70%/80%')",
    "nodepools": "three pools per cloud, a NODES bar per pool (ready filled, not-ready ▒, "
    "room to max), compute-pool AT MAX on both, EKS system-pool 1 of 3 not ready",
    "database": "the RDS and Cloud SQL replica links, one vocabulary for STATE, LAG with a "
    "sparkline on one scale for the pane and the threshold marked; RDS over its threshold",
    "alerts": "HighErrorRate critical and HighLatency warning firing, with AGE since they "
    "started; severity reads in order without colour",
    "backups": "the daily-backup schedule, a week of backups with a PROGRESS bar and percent, "
    "the restores with their whole names",
    "events": "both clusters' events newest first: BackOff on setup-toolkit, NodeNotReady, "
    "FailedScheduling '0/N nodes are available: N Insufficient cpu.' on the Pending "
    "api-gateway pods; TYPE Warn; COUNT and LAST SEEN at 120 columns",
    "timeline": "what changed, newest first: the alerts firing, pools and HPAs growing to "
    "max, pods going bad, the EKS rollout of api-gateway-blue (image v1.4.2 → v1.4.3)",
    "services": "each service's EKS row above its GKE row; api-gateway's VERSION cells "
    "marked ≠v1.4.3 / ≠v1.4.2 (the glyph, readable without colour), READY 20/20 and 14/20, "
    "LIVE blue; 5XX and P95 sparklines over 30 minutes with the bars over 5 % / 1 s bad and "
    "the newest value after them (7.3% and 1.24s on EKS); the other services flat and low; "
    "at 120x40 also HPA 20/20 MAX, REQ/S and FIRING (HighErrorRat… on EKS)",
}
"""What each pane's picture must show (in every mode; more of each row at 120x40)."""

MODES = {
    "colour": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
    "xterm": {"TERM": "xterm"},
    "no_color": {"TERM": "xterm", "NO_COLOR": "1"},
}
"""The terminal's environment. ``colour``: the truecolor theme. ``xterm``: the terminal's own
16 colours, critical red and warning yellow (not Rich's nearest match to the truecolor theme,
which drew critical magenta and warning red). ``no_color``: greys, CRIT reversed, WARN bold,
the cursor row a lighter grey; never black on black."""

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("pane", list(PANES))
def test_every_pane(
    snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch, pane: str, size: str, mode: str
) -> None:
    """``pane`` (its digit key) at ``size`` in ``mode``: see ``WHAT[pane]`` and ``MODES``."""
    assert pane in WHAT, f"say what the {pane} pane's picture must show"
    monkeypatch.delenv("COLORTERM", raising=False)
    for name, value in MODES[mode].items():
        monkeypatch.setenv(name, value)
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    assert app.sixteen_colours == (mode != "colour")
    key = pane_key(list(PANES).index(pane) + 1)  # 1-9, then 0
    assert snap_compare(app, press=[key], terminal_size=SIZES[size])
