"""Command line: ``wundr-tui [--demo] [--context NAME ...] ...`` and its subcommands
(``replay``, ``audit``, ``snapshot``, ``info``, ``completion``: ``SUBCOMMANDS``).

Argument parsing only: what the arguments name is assembled and run by ``wiring``. Heavy
imports (Textual, cloud SDKs) happen only once we know we need them, so ``--help`` and
``--version`` are instant. Bad input exits 2 with one readable line, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from wundr_tui import __version__, wiring
from wundr_tui.completion import SHELLS, Command, Option, Value
from wundr_tui.completion import script as completion_script
from wundr_tui.wiring import log_to_file

__all__ = ["EXIT_USAGE", "SUBCOMMANDS", "UsageError", "build_parser", "log_to_file", "main"]

if TYPE_CHECKING:
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


def _whole_seconds(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of seconds: {text!r}") from None


SUBCOMMANDS = {
    "replay": ("FILE", "play back a --record file"),
    "audit": ("", "list recent actions from the audit log"),
    "snapshot": ("", "print the incident view once, for cron and CI (exit 0 / 1 / 2)"),
    "info": ("", "every path it uses, the contexts it finds, its dependencies' versions"),
    "completion": ("SHELL", "print a completion script for bash, zsh or fish"),
}
"""Each subcommand: its positional argument, and the one line ``--help`` lists it with."""


def _commands_epilog() -> str:
    rows = [(f"{name} {arg}".strip(), text) for name, (arg, text) in SUBCOMMANDS.items()]
    width = max(len(left) for left, _ in rows)
    lines = [f"  {left:<{width}}  {text}" for left, text in rows]
    return "\n".join(
        [
            "commands (wundr-tui COMMAND --help for each):",
            *lines,
            "",
            "Keys: ? in the app.",
        ]
    )


def build_parser() -> argparse.ArgumentParser:
    """The main parser (each subcommand has its own)."""
    p = _Parser(
        prog="wundr-tui",
        description="On-call cockpit: EKS and GKE side by side — pods, HPAs, node pools, "
        "database replication, alerts and backups, live.",
        epilog=_commands_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"wundr-tui {__version__}")
    p.add_argument("--demo", action="store_true", help="run on the built-in demo fleet")
    p.add_argument("--seed", type=int, default=7, help="demo fleet RNG seed (default 7)")
    p.add_argument(
        "--at",
        type=_whole_seconds,
        metavar="SECONDS",
        help="with --demo: start its 300-second story this many seconds in (0-299; 115 is "
        "its worst moment) and run on from there",
    )
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
    if config.keys or config.keys_profile != "default":
        _check_keys(config)
    if getattr(args, "refresh", None):
        config = replace(config, refresh_hz=args.refresh)
    if getattr(args, "read_only", False):
        config = replace(config, read_only=True)
    from wundr_tui.bandwidth import choose

    # Resolve "automatic" here, once: the app only sees on or off.
    bandwidth = choose(getattr(args, "low_bandwidth", False), config.low_bandwidth)
    return replace(config, low_bandwidth=bandwidth.low)


def _check_keys(config: Config) -> None:
    """``[keys]`` against the bindings (this imports Textual: only when there are keys)."""
    from wundr_tui.app import PANES, WundrApp
    from wundr_tui.controllers.keys import KeysError, resolve

    where = config.path if config.path.isprintable() else repr(config.path)
    try:
        resolve(config.keys_profile, config.keys, WundrApp, PANES)
    except KeysError as exc:
        raise UsageError(f"{where or 'config'}: {exc}") from None


def _add_low_bandwidth(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--low-bandwidth",
        action="store_true",
        help="fewer frames, no animation, ASCII borders, ages redrawn every 15 s "
        "(automatic over SSH unless the config says low_bandwidth = false)",
    )


def _main_replay(argv: list[str]) -> int:
    args = build_replay_parser().parse_args(argv)
    config = _load_config(args)
    return wiring.run(config, wiring.replay(args.file, args.speed))


def _main_live(args: argparse.Namespace) -> int:
    config = _load_config(args)
    if args.demo:
        return wiring.run(config, wiring.demo(config, args.seed, args.at), record=args.record)
    if args.at is not None:
        raise UsageError("--at needs --demo (it picks a moment of the demo's story)")
    return wiring.run(config, wiring.live(config, args.context), record=args.record)


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
    p.add_argument(
        "--format",
        choices=("text", "json", "svg", "markdown"),
        default="text",
        help="markdown: hand-off notes (stories, last hour of the timeline, recent actions)",
    )
    p.add_argument(
        "--timeout",
        type=_positive_float,
        default=20.0,
        metavar="S",
        help="seconds to wait for sources (default 20, at most 60)",
    )
    p.add_argument(
        "--at",
        type=_whole_seconds,
        metavar="SECONDS",
        help="with --demo: the fleet this many seconds into its 300-second story "
        "(0-299; around 110 every kind of incident shows)",
    )
    p.add_argument("--config", metavar="PATH")
    return p


def _main_snapshot(argv: list[str]) -> int:
    args = build_snapshot_parser().parse_args(argv)
    if args.at is not None and not args.demo:
        raise UsageError("--at needs --demo (it picks a moment of the demo's story)")
    config = _load_config(args)
    log_to_file()  # library warnings (kubernetes, urllib3) must not reach snapshot's stderr
    from wundr_tui import snapshot

    clock = None
    if args.demo and args.at is not None:
        moment = wiring.demo_moment(args.seed, args.at)
        sources, clock = moment.sources, moment.clock
    elif args.demo:
        sources = wiring.demo(config, args.seed).sources
    else:
        # Nothing in kubeconfig to connect to is "could not connect" (2), like a dead server.
        sources = wiring.live_sources(config, args.context)[0]
    return snapshot.run(
        sources, config, fmt=args.format, timeout=args.timeout, clock=clock, demo=args.demo
    )


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


def build_info_parser() -> argparse.ArgumentParser:
    """``wundr-tui info``."""
    p = _Parser(
        prog="wundr-tui info",
        description="Print every path the cockpit uses (config, state dir, audit log, log "
        "file, kubeconfig files), the contexts it finds there with their cloud and region, "
        "and the versions of its dependencies. Connects to nothing. Exit 2 if the config "
        "file is broken (the rest is still printed).",
    )
    p.add_argument("--config", metavar="PATH", help="config file (default: XDG path)")
    return p


def _main_info(argv: list[str]) -> int:
    from wundr_tui import info

    args = build_info_parser().parse_args(argv)
    return info.report(args.config)


def build_completion_parser() -> argparse.ArgumentParser:
    """``wundr-tui completion SHELL``."""
    p = _Parser(
        prog="wundr-tui completion",
        description='Print a shell completion script: eval "$(wundr-tui completion bash)" '
        "in ~/.bashrc (zsh: the same in ~/.zshrc after compinit); fish: wundr-tui completion "
        "fish | source, or save it as ~/.config/fish/completions/wundr-tui.fish.",
    )
    p.add_argument("shell", choices=SHELLS, help="the shell to complete for")
    return p


PARSERS = {
    "replay": build_replay_parser,
    "audit": build_audit_parser,
    "snapshot": build_snapshot_parser,
    "info": build_info_parser,
    "completion": build_completion_parser,
}
"""Each subcommand's parser (the keys are SUBCOMMANDS')."""


def _value(action: argparse.Action) -> Value:
    """What a completion offers after an option or for a positional."""
    if action.nargs == 0:
        return ""
    if action.choices:
        return tuple(str(c) for c in action.choices)
    if action.metavar in ("PATH", "FILE") or action.dest == "file":
        return "file"
    return "word"


def _command(name: str, summary: str, parser: argparse.ArgumentParser) -> Command:
    options: list[Option] = []
    positional: Value = ""
    for action in parser._actions:  # argparse's public-in-practice list of what it parses
        if action.option_strings:
            text = (action.help or "").split(" (")[0].split("; ")[0]
            options.append(Option(tuple(action.option_strings), _value(action), text))
        else:
            positional = _value(action)
    return Command(name, summary, tuple(options), positional)


def completion_commands() -> list[Command]:
    """The command line as the completion scripts see it, built from the parsers."""
    commands = [_command("", "", build_parser())]
    for name, (_, summary) in SUBCOMMANDS.items():
        commands.append(_command(name, summary, PARSERS[name]()))
    return commands


def _main_completion(argv: list[str]) -> int:
    args = build_completion_parser().parse_args(argv)
    sys.stdout.write(completion_script(args.shell, completion_commands()))
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
        if args_list[:1] == ["info"]:
            return _main_info(args_list[1:])
        if args_list[:1] == ["completion"]:
            return _main_completion(args_list[1:])
        return _main_live(build_parser().parse_args(args_list))
    except (UsageError, wiring.SetupError) as exc:
        print(f"wundr-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
