"""hangup.py without a terminal: failed writes are noticed once and never raise; every child
process (and the process group a plugin leads) is ended; a stuck exit is forced in time."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap

from wundr_tui.terminal.hangup import GuardedStream


def test_a_failed_write_is_reported_once_and_later_writes_are_dropped() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: every write is EPIPE
    lost: list[str] = []
    raw = os.fdopen(write_end, "w")
    try:
        stream = GuardedStream(raw, lost.append)
        for _ in range(3):
            stream.write("x" * 70_000)  # more than the pipe and the buffer hold
            stream.flush()
        assert stream.lost
        assert lost == ["terminal lost (write: Broken pipe)"]
    finally:
        with contextlib.suppress(OSError):
            raw.close()  # its buffer cannot be flushed; the descriptor is closed anyway


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


def test_end_children_ends_each_child_and_the_group_a_plugin_leads() -> None:
    """In a process of its own (here, it would end pytest's children too)."""
    result = _run(
        """
        import subprocess, sys, time, os
        from wundr_tui.terminal.hangup import child_pids, end_children, _running
        sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
        same_group = subprocess.Popen(sleep)
        grand = "import subprocess, sys, time; subprocess.Popen(%r); time.sleep(60)" % (sleep,)
        plugin = subprocess.Popen([sys.executable, "-c", grand], start_new_session=True)
        time.sleep(0.5)
        group = child_pids(plugin.pid)
        assert sorted(child_pids()) == sorted([same_group.pid, plugin.pid]), child_pids()
        assert len(group) == 1
        end_children()
        same_group.wait(5); plugin.wait(5)
        deadline = time.monotonic() + 5
        while _running(group[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        print("grandchild running:", _running(group[0]))
        """
    )
    assert result.returncode == 0, result.stderr
    assert "grandchild running: False" in result.stdout


def test_an_exit_that_does_not_happen_is_forced_with_the_status() -> None:
    """The app never acts on the request: the process still ends, with 128 + signal."""
    result = _run(
        """
        import time
        from wundr_tui.terminal.hangup import HangUp
        hang_up = HangUp(lambda reason, code: None, lambda: print("restored", flush=True))
        start = time.monotonic()
        hang_up("SIGTERM received", 143)
        hang_up("later reasons are ignored", 1)
        while True:
            time.sleep(0.05)
            if time.monotonic() - start > 10:
                raise SystemExit("not forced")
        """
    )
    assert result.returncode == 143, result.stderr
    assert "restored" in result.stdout
