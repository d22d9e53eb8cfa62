"""``wundr-tui --help`` lists every subcommand with one line, and each has its own --help."""

from __future__ import annotations

import pytest

from wundr_tui.cli import SUBCOMMANDS, main


def test_help_lists_each_subcommand_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    listed = out.split("commands (wundr-tui COMMAND --help for each):\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed[: len(SUBCOMMANDS)]] == list(SUBCOMMANDS)
    for name, (arg, text) in SUBCOMMANDS.items():
        line = next(line for line in listed if line.split()[0] == name)
        assert line.endswith(text) and (not arg or f" {arg} " in line), line


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_subcommand_has_its_own_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: wundr-tui {name}")
