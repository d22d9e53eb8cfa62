"""Set-up time on a fresh clone: ``make demo`` to the cockpit's first frame, and ``make test``'s
set-up (``make venv``: the venv with the test extras), before and now, in the same run.

Each case clones the repository afresh (``git clone --local``) with empty pip and uv caches,
so every download and build happens as on a new machine. ``make demo`` runs in a real
pseudo-terminal (100x30); the clock stops when the demo's first frame with data is on screen
(its incident pane shows a BLUE/GRN row). The venv's size is measured after each case.

Cases: ``before`` is the tree just before the Makefile learnt INSTALLER (pip, every extra,
for the demo too); ``now, pip`` is this tree with INSTALLER=pip; ``now, uv`` is this tree as
``make`` runs it. Usage: python bench/fresh_setup.py [--before REV] [--cases before,pip,uv]
Takes several minutes: each case installs everything from nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pty import time_to_marker

ROOT = Path(__file__).resolve().parents[1]
MARKER = b"BLUE/GRN"
"""On screen only once the store has data and the incident pane painted it."""


def before_rev() -> str:
    """The tree just before the Makefile learnt INSTALLER (pip, every extra, demo included):
    the parent of the commit that introduced it, else the newest commit without it."""
    revs = subprocess.run(
        ["git", "-C", str(ROOT), "log", "--format=%H", "--", "Makefile"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    newer = ""
    for rev in revs:
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:Makefile"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "INSTALLER" not in text:
            return f"{newer}^" if newer else rev
        newer = rev
    raise SystemExit("no commit with the old Makefile")


def clone(rev: str, into: Path) -> Path:
    """A fresh clone of ``rev`` (HEAD of this tree's branch, or an older commit)."""
    subprocess.run(
        ["git", "clone", "--quiet", "--local", "--no-checkout", str(ROOT), str(into)],
        check=True,
    )
    subprocess.run(["git", "-C", str(into), "checkout", "--quiet", rev], check=True)
    return into


def fresh_env(base: Path, installer: str) -> dict[str, str]:
    """The environment of a new machine's shell: empty caches, no venv on PATH."""
    # Blank, not removed: time_to_marker lays this over os.environ.
    env = {**os.environ, "VIRTUAL_ENV": "", "PYTHONPATH": ""}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if "/.venv/" not in p]
    env["PATH"] = os.pathsep.join(path)
    env["PIP_CACHE_DIR"] = str(base / "pip-cache")
    env["UV_CACHE_DIR"] = str(base / "uv-cache")
    env["XDG_STATE_HOME"] = str(base / "state")
    env["XDG_CONFIG_HOME"] = str(base / "config")
    if installer:
        env["INSTALLER"] = installer
    else:
        env.pop("INSTALLER", None)
    return env


def size_mb(path: Path) -> float:
    """Disk use of a directory tree, in MB (as ``du -s``: blocks, not file lengths)."""
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0]) / 1024


def demo_case(rev: str, installer: str, work: Path) -> tuple[float, float]:
    """Seconds from ``make demo`` on a fresh clone to the first frame, and the venv's MB."""
    tree = clone(rev, work / "demo")
    env = fresh_env(work, installer)
    argv = ["make", "-C", str(tree), "demo"]
    elapsed, _ = time_to_marker(argv, MARKER, timeout=900, env=env)
    mb = size_mb(tree / ".venv")
    shutil.rmtree(work / "demo")
    return elapsed, mb


def test_setup_case(rev: str, installer: str, work: Path) -> tuple[float, float]:
    """Seconds ``make venv`` (what ``make test`` installs before it runs) takes on a fresh
    clone, and the venv's MB."""
    tree = clone(rev, work / "test")
    env = fresh_env(work, installer)
    started = time.perf_counter()
    subprocess.run(
        ["make", "-C", str(tree), "venv"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1800,
    )
    elapsed = time.perf_counter() - started
    mb = size_mb(tree / ".venv")
    shutil.rmtree(work / "test")
    return elapsed, mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="", help="the old commit (default: found)")
    parser.add_argument("--cases", default="before,pip,uv", help="which of before,pip,uv")
    args = parser.parse_args()
    old = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", args.before or before_rev()],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    cases = {
        "before": (f"before ({old[:7]}): pip, all extras", old, ""),
        "pip": (f"now ({head[:7]}), INSTALLER=pip", head, "pip"),
        "uv": (f"now ({head[:7]}), uv (default)", head, "uv"),
    }
    wanted = [c for c in args.cases.split(",") if c]
    rows = []
    for key in wanted:
        label, rev, installer = cases[key]
        # A fresh directory (and caches) for each measurement: nothing is shared.
        with tempfile.TemporaryDirectory(prefix="fresh-setup-") as tmp:
            demo_s, demo_mb = demo_case(rev, installer, Path(tmp))
        with tempfile.TemporaryDirectory(prefix="fresh-setup-") as tmp:
            test_s, test_mb = test_setup_case(rev, installer, Path(tmp))
        rows.append((label, demo_s, demo_mb, test_s, test_mb))
        print(
            f"  {label}: demo {demo_s:.1f} s / {demo_mb:.0f} MB, test set-up "
            f"{test_s:.1f} s / {test_mb:.0f} MB",
            flush=True,
        )
    print()
    print(f"| {'case':<40} | make demo → first frame | demo venv | make test set-up | test venv |")
    print(f"| {'-' * 40} | ---: | ---: | ---: | ---: |")
    for label, demo_s, demo_mb, test_s, test_mb in rows:
        print(
            f"| {label:<40} | {demo_s:.1f} s | {demo_mb:.0f} MB | {test_s:.1f} s | "
            f"{test_mb:.0f} MB |"
        )
    if "before" in wanted and "uv" in wanted:
        before, now = rows[wanted.index("before")], rows[wanted.index("uv")]
        print(
            f"\nnow / before: make demo {now[1] / before[1]:.2f}x the time, "
            f"{now[2] / before[2]:.2f}x the disk; make test set-up {now[3] / before[3]:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
