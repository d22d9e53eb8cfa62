"""``wundr-tui completion bash|zsh|fish``: shell completion scripts for the command line.

The scripts are written out from a small description of the commands (``Command``), which
``cli`` builds from its argparse parsers, so a new option completes without touching this
file. They complete the subcommands (with their one-line help in zsh and fish), each
command's options, ``--format``'s and the shell's choices, and file names where a path goes.
Plain shell, no call back into Python: a Tab costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["SHELLS", "Command", "Option", "script"]

SHELLS = ("bash", "zsh", "fish")

Value = Literal["", "file", "word"] | tuple[str, ...]
"""What follows: nothing (a flag), a file name, any word (not completed), one of the choices."""


@dataclass(frozen=True, slots=True)
class Option:
    """One option of one command."""

    flags: tuple[str, ...]
    value: Value
    help: str


@dataclass(frozen=True, slots=True)
class Command:
    """The main command (``name == ""``) or a subcommand, with its options and positional."""

    name: str
    help: str
    options: tuple[Option, ...]
    positional: Value = ""


def script(shell: str, commands: list[Command], prog: str = "wundr-tui") -> str:
    """The completion script for ``shell`` (one of SHELLS)."""
    if shell == "bash":
        return _bash(commands, prog)
    if shell == "zsh":
        return _zsh(commands, prog)
    if shell == "fish":
        return _fish(commands, prog)
    raise ValueError(f"no completion for {shell!r} (choose from {', '.join(SHELLS)})")


def _func(prog: str) -> str:
    return "_" + "".join(c if c.isalnum() else "_" for c in prog)


def _quote(text: str) -> str:
    """``text`` in single quotes for bash and zsh (a backslash is literal there)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _fish_quote(text: str) -> str:
    """``text`` in single quotes for fish (which escapes ``\\`` and ``'`` inside them)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _flags(command: Command) -> list[str]:
    return [flag for option in command.options for flag in option.flags]


def _subs(commands: list[Command]) -> list[Command]:
    return [c for c in commands if c.name]


def _bash(commands: list[Command], prog: str) -> str:
    subs = _subs(commands)
    sub_names = "|".join(c.name for c in subs)
    value_cases: list[str] = []
    for command in commands:
        for option in command.options:
            if not option.value:
                continue
            patterns = "|".join(f'"{command.name} {flag}"' for flag in option.flags)
            if option.value == "file":
                action = 'COMPREPLY=($(compgen -f -- "$cur")); return'
            elif option.value == "word":
                action = "COMPREPLY=(); return"
            else:
                action = (
                    f'COMPREPLY=($(compgen -W {_quote(" ".join(option.value))} -- "$cur")); return'
                )
            value_cases.append(f"        {patterns}) {action} ;;")
    flag_cases = [f'        "{c.name}") words={_quote(" ".join(_flags(c)))} ;;' for c in commands]
    positional_cases = []
    for command in commands:
        if not command.name:
            action = f"words={_quote(' '.join(c.name for c in subs))}"
            positional_cases.append(f'        "") (( COMP_CWORD == 1 )) && {action} ;;')
        elif command.positional == "file":
            positional_cases.append(
                f'        "{command.name}") COMPREPLY=($(compgen -f -- "$cur")); return ;;'
            )
        elif isinstance(command.positional, tuple):
            words = _quote(" ".join(command.positional))
            positional_cases.append(f'        "{command.name}") words={words} ;;')
    func = _func(prog)
    return "\n".join(
        [
            f"# {prog} completion for bash. Load it with",
            f'#   eval "$({prog} completion bash)"',
            f"# in ~/.bashrc, or save it as ~/.local/share/bash-completion/completions/{prog}",
            f"{func}() {{",
            "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
            '    local sub="" words=""',
            "    (( COMP_CWORD > 1 )) && sub=${COMP_WORDS[1]}",
            f'    case "$sub" in {sub_names}) ;; *) sub="" ;; esac',
            '    case "$sub $prev" in',
            *value_cases,
            "    esac",
            "    if [[ $cur == -* ]]; then",
            '        case "$sub" in',
            *flag_cases,
            "        esac",
            "    else",
            '        case "$sub" in',
            *positional_cases,
            "        esac",
            "    fi",
            '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
            "}",
            f"complete -o default -F {func} {prog}",
            "",
        ]
    )


def _zsh_described(items: list[tuple[str, str]]) -> str:
    return " ".join(_quote(name.replace(":", "\\:") + ":" + text) for name, text in items)


def _zsh(commands: list[Command], prog: str) -> str:
    subs = _subs(commands)
    value_cases: list[str] = []
    for command in commands:
        for option in command.options:
            if not option.value:
                continue
            patterns = "|".join(f'"{command.name} {flag}"' for flag in option.flags)
            if option.value == "file":
                action = "_files; return"
            elif option.value == "word":
                action = "return 1"
            else:
                action = f"compadd -- {' '.join(option.value)}; return"
            value_cases.append(f"        ({patterns}) {action} ;;")
    flag_cases = []
    for command in commands:
        described = _zsh_described(
            [(flag, option.help) for option in command.options for flag in option.flags]
        )
        flag_cases.append(
            f'        ("{command.name}") items=({described}); _describe option items ;;'
        )
    positional_cases = []
    for command in commands:
        if not command.name:
            described = _zsh_described([(c.name, c.help) for c in subs])
            positional_cases.append(
                f'        ("") (( CURRENT == 2 )) && {{ items=({described}); '
                "_describe command items; } ;;"
            )
        elif command.positional == "file":
            positional_cases.append(f'        ("{command.name}") _files ;;')
        elif isinstance(command.positional, tuple):
            choices = " ".join(command.positional)
            positional_cases.append(f'        ("{command.name}") compadd -- {choices} ;;')
    func = _func(prog)
    return "\n".join(
        [
            f"#compdef {prog}",
            f"# {prog} completion for zsh. Load it with",
            f'#   eval "$({prog} completion zsh)"',
            "# in ~/.zshrc after compinit, or save it as _" + prog + " in a directory on $fpath",
            f"{func}() {{",
            '    local cur=${words[CURRENT]} prev=${words[CURRENT-1]} sub=""',
            "    local -a items",
            "    (( CURRENT > 2 )) && sub=${words[2]}",
            f'    case "$sub" in ({"|".join(c.name for c in subs)}) ;; (*) sub="" ;; esac',
            '    case "$sub $prev" in',
            *value_cases,
            "    esac",
            "    if [[ $cur == -* ]]; then",
            '        case "$sub" in',
            *flag_cases,
            "        esac",
            "    else",
            '        case "$sub" in',
            *positional_cases,
            "        esac",
            "    fi",
            "}",
            'if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then',
            f'    {func} "$@"',
            "else",
            f"    compdef {func} {prog}",
            "fi",
            "",
        ]
    )


def _fish(commands: list[Command], prog: str) -> str:
    subs = _subs(commands)
    lines = [
        f"# {prog} completion for fish. Load it with",
        f"#   {prog} completion fish | source",
        f"# or save it as ~/.config/fish/completions/{prog}.fish",
        f"complete -c {prog} -f",
    ]
    for command in subs:
        lines.append(
            f"complete -c {prog} -n __fish_use_subcommand -a {command.name} "
            f"-d {_fish_quote(command.help)}"
        )
    for command in commands:
        cond = (
            "__fish_use_subcommand"
            if not command.name
            else _fish_quote(f"__fish_seen_subcommand_from {command.name}")
        )
        for option in command.options:
            parts = [f"complete -c {prog} -n {cond}"]
            for flag in option.flags:
                if flag.startswith("--"):
                    parts.append(f"-l {flag[2:]}")
                else:
                    parts.append(f"-s {flag[1:]}")
            if option.value == "file":
                parts.append("-r -F")
            elif option.value == "word":
                parts.append("-x")
            elif isinstance(option.value, tuple):
                parts.append(f"-x -a {_fish_quote(' '.join(option.value))}")
            parts.append(f"-d {_fish_quote(option.help)}")
            lines.append(" ".join(parts))
        if command.name and command.positional == "file":
            lines.append(f"complete -c {prog} -n {cond} -F")
        elif command.name and isinstance(command.positional, tuple):
            lines.append(
                f"complete -c {prog} -n {cond} -a {_fish_quote(' '.join(command.positional))}"
            )
    lines.append("")
    return "\n".join(lines)
