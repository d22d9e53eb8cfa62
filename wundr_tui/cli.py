"""Command line: ``wundr-tui [--demo] [--context NAME ...] ...``, ``wundr-tui replay FILE``.

Heavy imports (Textual, cloud SDKs) happen only once we know we need them, so ``--help`` and
``--version`` are instant. Bad input exits 2 with one readable line, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from wundr_tui import __version__

if TYPE_CHECKING:
    from wundr_tui.audit import AuditMode
    from wundr_tui.config import Config

EXIT_USAGE = 2
ESCDELAY_MS = "25"
"""Milliseconds a lone Escape waits for the rest of a key sequence, unless ``$ESCDELAY`` is
set (curses' variable, which Textual honours; its default is 100). Sequences arrive in one
write from the terminal, so 25 ms is plenty even over SSH (tmux 3.5 waits 10 ms)."""


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one line (no usage dump) and exits 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 60:
        raise argparse.ArgumentTypeError(f"must be between 0 and 60, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The main parser (the ``replay`` subcommand has its own)."""
    p = _Parser(
        prog="wundr-tui",
        description="On-call cockpit: EKS and GKE side by side — pods, HPAs, node pools, "
        "database replication, alerts and backups, live.",
        epilog="Also: wundr-tui replay FILE [--speed X]; wundr-tui audit [-n N]; "
        "wundr-tui snapshot [--demo] [--format text|json|svg]. Keys: ? in the app.",
    )
    p.add_argument("--version", action="version", version=f"wundr-tui {__version__}")
    p.add_argument("--demo", action="store_true", help="run on the built-in demo fleet")
    p.add_argument("--seed", type=int, default=7, help="demo fleet RNG seed (default 7)")
    p.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="NAME",
        help="kubeconfig context to watch (repeatable; default: every EKS/GKE context)",
    )
    p.add_argument("--read-only", action="store_true", help="never send a mutating request")
    p.add_argument(
        "--refresh", type=_positive_float, metavar="HZ", help="frames per second (default 4)"
    )
    p.add_argument("--config", metavar="PATH", help="config file (default: XDG path)")
    p.add_argument("--record", metavar="FILE", help="tee the event stream to FILE (JSON lines)")
    _add_low_bandwidth(p)
    return p


def build_replay_parser() -> argparse.ArgumentParser:
    """``wundr-tui replay FILE``."""
    p = _Parser(prog="wundr-tui replay", description="Play back a --record file.")
    p.add_argument("file", help="a file written by --record")
    p.add_argument("--speed", type=float, default=1.0, help="playback speed (default 1)")
    p.add_argument("--refresh", type=_positive_float, metavar="HZ")
    p.add_argument("--config", metavar="PATH")
    _add_low_bandwidth(p)
    return p


def _load_config(args: argparse.Namespace) -> Config:
    """The config file, then the flags; any config error is a UsageError (one line, exit 2)."""
    from dataclasses import replace

    from wundr_tui.config import ConfigError, check_context, load

    try:
        config = load(args.config) if getattr(args, "config", None) else load()
        for name in getattr(args, "context", None) or ():
            check_context(name)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if getattr(args, "refresh", None):
        config = replace(config, refresh_hz=args.refresh)
    if getattr(args, "read_only", False):
        config = replace(config, read_only=True)
    from wundr_tui.bandwidth import choose

    # Resolve "automatic" here, once: the app only sees on or off.
    bandwidth = choose(getattr(args, "low_bandwidth", False), config.low_bandwidth)
    return replace(config, low_bandwidth=bandwidth.low)


def _add_low_bandwidth(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--low-bandwidth",
        action="store_true",
        help="fewer frames, no animation, ASCII borders, ages redrawn every 15 s "
        "(automatic over SSH unless the config says low_bandwidth = false)",
    )


def log_to_file() -> str:
    """Send Python logging to ``$XDG_STATE_HOME/wundr-tui/wundr-tui.log``.

    Libraries (the kubernetes client, urllib3, botocore) log warnings to stderr by default, and
    stderr is where Textual draws: one line from them would tear the screen.
    """
    import logging
    import os
    from pathlib import Path

    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    path = Path(base) / "wundr-tui" / "wundr-tui.log"
    handler: logging.Handler
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
        path = Path(os.devnull)
    from wundr_tui.safe_text import SafeLogFormatter

    # What libraries log quotes servers and plugins: no raw control character in the file.
    handler.setFormatter(SafeLogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    logging.captureWarnings(True)
    return str(path)


def _run_app(
    config: Config,
    sources: list[Any],
    operator: Any,
    *,
    record: str | None,
    replay: Any = None,
    clock: Any = None,
    audit_mode: AuditMode = "live",
) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal Textual has nothing to draw on and would spin on a closed stdin.
        raise UsageError("needs a terminal; for a one-off view without one use: wundr-tui snapshot")
    from wundr_tui.app import WundrApp
    from wundr_tui.pump import EventPump
    from wundr_tui.store import Store

    store = Store(
        clock,
        lag_threshold=config.lag_threshold,
        stale_after=config.stale_after,
        blue_green=config.blue_green,
    )
    pump = EventPump()
    recorder = None
    if record:
        from wundr_tui.recording import Recorder
        from wundr_tui.safe_text import safe

        try:
            recorder = Recorder(record)
        except OSError as exc:
            raise UsageError(safe(f"cannot write {record}: {exc.strerror}")) from None
        if recorder.error is not None:  # even the header did not fit (disk full)
            raise UsageError(recorder.error)
        pump.taps.append(recorder)
    log_to_file()
    from wundr_tui.audit import AuditLog

    app = WundrApp(
        store,
        sources,
        config=config,
        operator=operator,
        pump=pump,
        replay=replay,
        read_only=config.read_only,
        # Simulated actions get their own file and a mark: never read as production changes.
        audit=AuditLog(mode=audit_mode),
    )
    if recorder is not None:
        # Taps run in the frame timer, on the UI thread: the app can be told directly.
        recorder.on_error = lambda message: app.notify(
            message, title="Recording stopped", severity="error", timeout=3600, markup=False
        )
    try:
        app.run()
    finally:
        if recorder is not None:
            recorder.close()
    if recorder is not None and recorder.error is not None:
        # The recording is incomplete: say so after the screen is given back, and fail.
        print(f"wundr-tui: {recorder.error}", file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0


def _main_replay(argv: list[str]) -> int:
    args = build_replay_parser().parse_args(argv)
    config = _load_config(args)
    from wundr_tui.backends.replay import ReplaySource
    from wundr_tui.recording import RecordingError

    if not 0.25 <= args.speed <= 64:
        raise UsageError("--speed must be between 0.25 and 64")
    try:
        source = ReplaySource(args.file, speed=args.speed)
    except RecordingError as exc:
        raise UsageError(str(exc)) from None
    return _run_app(
        config,
        [source],
        None,
        record=None,
        replay=source,
        clock=source.recording_clock,
        audit_mode="replay",
    )


def _main_live(args: argparse.Namespace) -> int:
    config = _load_config(args)
    if args.demo:
        from wundr_tui.backends.demo import DemoFleet, DemoSource

        fleet = DemoFleet(seed=args.seed)
        return _run_app(config, [DemoSource(fleet)], fleet, record=args.record, audit_mode="demo")
    return _run_app(config, *_live_backends(config, args.context), record=args.record)


def build_snapshot_parser() -> argparse.ArgumentParser:
    """``wundr-tui snapshot``."""
    p = _Parser(
        prog="wundr-tui snapshot",
        description="Connect, wait until every source is live (or --timeout), print the "
        "incident view once. Exit 0: nothing critical; 1: something critical; 2: could not "
        "connect.",
    )
    p.add_argument("--demo", action="store_true", help="the built-in demo fleet")
    p.add_argument("--seed", type=int, default=7, help="demo fleet RNG seed (default 7)")
    p.add_argument("--context", action="append", default=[], metavar="NAME")
    p.add_argument("--format", choices=("text", "json", "svg"), default="text")
    p.add_argument(
        "--timeout",
        type=_positive_float,
        default=20.0,
        metavar="S",
        help="seconds to wait for sources (default 20, at most 60)",
    )
    p.add_argument("--config", metavar="PATH")
    return p


def _main_snapshot(argv: list[str]) -> int:
    args = build_snapshot_parser().parse_args(argv)
    config = _load_config(args)
    log_to_file()  # library warnings (kubernetes, urllib3) must not reach snapshot's stderr
    from wundr_tui import snapshot

    if args.demo:
        from wundr_tui.backends.demo import DemoFleet, DemoSource

        sources: list[Any] = [DemoSource(DemoFleet(seed=args.seed))]
    else:
        # Nothing in kubeconfig to connect to is "could not connect" (2), like a dead server.
        sources = _live_backends(config, args.context)[0]
    return snapshot.run(sources, config, fmt=args.format, timeout=args.timeout)


def _live_backends(config: Config, contexts: Sequence[str]) -> tuple[list[Any], Any]:
    """Sources and operator for real clusters, clouds, databases and alerts."""
    try:
        from wundr_tui.backends import kube
    except ImportError:  # pragma: no cover - the kube backend is always shipped
        raise UsageError("live clusters are not supported in this build; try --demo") from None
    try:
        clusters = kube.discover_clusters(config, contexts)
    except kube.KubeconfigError as exc:
        raise UsageError(str(exc)) from None
    if not clusters:
        raise UsageError(
            "no EKS or GKE contexts found in kubeconfig; name one with --context, "
            "list clusters in the config, or try --demo"
        )
    sources: list[Any] = list(kube.kube_sources(config, clusters))
    try:
        from wundr_tui.backends.cloud import cloud_sources
    except ImportError:
        pass
    else:
        sources.extend(cloud_sources(config, clusters))
    from wundr_tui.actions.readers import live_router
    from wundr_tui.backends.cloud import CloudNodePoolOperator, alertmanager_clients

    # Always a router, even read-only: it refuses before any request, and the panes can then
    # show the action keys disabled with the reason instead of hiding them.
    operator = live_router(
        kube.KubeOperator(config, clusters, exec_timeout=config.kubernetes.exec_timeout),
        CloudNodePoolOperator(sources),
        alertmanager_clients(config),
        read_only=config.read_only,
    )
    return sources, operator


def build_audit_parser() -> argparse.ArgumentParser:
    """``wundr-tui audit``."""
    p = _Parser(prog="wundr-tui audit", description="List recent actions from the audit log.")
    p.add_argument("-n", type=int, default=20, metavar="N", help="entries to show (default 20)")
    p.add_argument("--json", action="store_true", help="print the JSON lines as stored")
    p.add_argument("--config", metavar="PATH", help="config file (default: XDG path)")
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--demo", action="store_true", help="actions taken on the demo fleet (their own file)"
    )
    which.add_argument(
        "--replay", action="store_true", help="actions taken during replays (their own file)"
    )
    return p


def _main_audit(argv: list[str]) -> int:
    from wundr_tui.audit import default_path, format_entry, json_line, read_entries
    from wundr_tui.safe_text import safe

    args = build_audit_parser().parse_args(argv)
    if args.n < 1:
        raise UsageError("-n must be at least 1")
    # A broken config is reported by every command alike, before anything else happens.
    _load_config(args)
    path = default_path("demo" if args.demo else "replay" if args.replay else "live")
    try:
        entries = read_entries(path, args.n)
    except OSError as exc:
        # A symlink, someone else's file or one others may write is refused (exit 2).
        raise UsageError(safe(f"cannot read {path}: {exc.strerror or exc}")) from None
    if not entries:
        print(safe(f"no actions recorded yet ({path})"))
        return 0
    for item in entries:
        print(json_line(item) if args.json else format_entry(item))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wundr-tui`` command."""
    # Before Textual loads: it reads $ESCDELAY once, at import.
    os.environ.setdefault("ESCDELAY", ESCDELAY_MS)
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list[:1] == ["replay"]:
            return _main_replay(args_list[1:])
        if args_list[:1] == ["audit"]:
            return _main_audit(args_list[1:])
        if args_list[:1] == ["snapshot"]:
            return _main_snapshot(args_list[1:])
        return _main_live(build_parser().parse_args(args_list))
    except UsageError as exc:
        print(f"wundr-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
