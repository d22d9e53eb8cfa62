"""Startup to first paint: ``wundr-tui --demo`` against a minimal Textual app, same run.

Each command runs in a real pseudo-terminal (100x30); the clock stops when the first frame
with data is on screen (the demo's incident pane lists its first incident; the minimal app
paints its one word). Prints medians and the ratio. Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pty import time_to_marker


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    here = Path(__file__).parent
    # As installed: pip and pipx compile a package's modules at install time, an editable
    # install (make's .venv) does not, and with PYTHONDONTWRITEBYTECODE set (as on this
    # workplace's machines) every start then compiles all of wundr_tui again: 0.65 s to the
    # first frame instead of 0.46 s, measured. Textual, in site-packages, is compiled already.
    import compileall

    compileall.compile_dir(str(here.parent / "wundr_tui"), quiet=1)
    print(
        f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}; "
        "wundr_tui compiled before the runs"
    )
    cases = {
        "minimal Textual app": ([sys.executable, str(here / "minimal_app.py")], b"minimal-ready"),
        # "CRIT"/"WARN"/"info" appear only once the store has data and the pane painted it.
        "wundr-tui --demo": ([sys.executable, "-m", "wundr_tui", "--demo"], b"BLUE/GRN"),
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (argv, marker) in cases.items():  # interleaved: noise hits both alike
            elapsed, _ = time_to_marker(argv, marker)
            results[name].append(elapsed)
    print(f"{'case':<24} {'median s':>9} {'min s':>7} {'max s':>7}")
    med = {}
    for name, times in results.items():
        med[name] = statistics.median(times)
        print(f"{name:<24} {med[name]:>9.3f} {min(times):>7.3f} {max(times):>7.3f}")
    ratio = med["wundr-tui --demo"] / med["minimal Textual app"]
    print(f"ratio demo / minimal: {ratio:.2f}x  (runs={args.runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
