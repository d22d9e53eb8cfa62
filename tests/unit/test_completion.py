"""``wundr-tui completion bash|zsh|fish``: each script loads in its real shell and completes
subcommands, options, choices and file names (bash through its completion function, fish
through ``complete --do-complete``, zsh typed into an interactive shell in tmux)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from wundr_tui.cli import SUBCOMMANDS, main


def _need(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{shell} is not installed (CI=true: .ci/run installs it)")
        pytest.skip(f"{shell} is not installed (apt-get install {shell})")
    return path


def _script(shell: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["completion", shell]) == 0
    path = tmp_path / f"wundr-tui.{shell}"
    path.write_text(capsys.readouterr().out)
    return path


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "tcsh"]) == 2
    assert "invalid choice: 'tcsh'" in capsys.readouterr().err


# -- bash ------------------------------------------------------------------------------------


def _bash_complete(bash: str, script: Path, line: str, cwd: Path) -> list[str]:
    words = line.split(" ")
    probe = (
        f"source {script}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_wundr_tui\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    run = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", probe],
        capture_output=True,
        text=True,
        timeout=20,
        cwd=cwd,
        check=False,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    return [w for w in run.stdout.splitlines() if w]


def test_bash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bash = _need("bash")
    script = _script("bash", tmp_path, capsys)
    (tmp_path / "rec.jsonl").write_text("")
    complete: Callable[[str], list[str]] = lambda line: _bash_complete(  # noqa: E731
        bash, script, line, tmp_path
    )
    assert complete("wundr-tui ") == list(SUBCOMMANDS)
    assert complete("wundr-tui sn") == ["snapshot"]
    assert complete("wundr-tui --re") == ["--read-only", "--refresh", "--record"]
    assert complete("wundr-tui snapshot --fo") == ["--format"]
    assert complete("wundr-tui snapshot --format ") == ["text", "json", "svg", "markdown"]
    assert complete("wundr-tui snapshot --format m") == ["markdown"]
    assert complete("wundr-tui completion ") == ["bash", "zsh", "fish"]
    assert complete("wundr-tui replay re") == ["rec.jsonl"]
    assert complete("wundr-tui --config wundr-tui.b") == ["wundr-tui.bash"]
    assert complete("wundr-tui --context ") == []  # a name: nothing to guess from
    assert complete("wundr-tui audit -") == [
        "-h",
        "--help",
        "-n",
        "--json",
        "--config",
        "--demo",
        "--replay",
    ]


# -- fish ------------------------------------------------------------------------------------


def _fish_complete(fish: str, script: Path, line: str, cwd: Path) -> list[str]:
    run = subprocess.run(
        [fish, "--no-config", "-c", f"source {script}; complete --do-complete {line!r}"],
        capture_output=True,
        text=True,
        timeout=20,
        cwd=cwd,
        check=False,
        env={**os.environ, "HOME": str(cwd)},
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    return run.stdout.splitlines()


def test_fish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fish = _need("fish")
    script = _script("fish", tmp_path, capsys)
    (tmp_path / "rec.jsonl").write_text("")
    complete: Callable[[str], list[str]] = lambda line: _fish_complete(  # noqa: E731
        fish, script, line, tmp_path
    )
    subs = complete("wundr-tui ")
    assert [s.split("\t")[0] for s in subs if not s.startswith("-")] == sorted(SUBCOMMANDS)
    assert f"snapshot\t{SUBCOMMANDS['snapshot'][1]}" in subs
    assert complete("wundr-tui sn") == [f"snapshot\t{SUBCOMMANDS['snapshot'][1]}"]
    assert [s.split("\t")[0] for s in complete("wundr-tui snapshot --fo")] == ["--format"]
    formats = complete("wundr-tui snapshot --format ")
    assert sorted(s.split("\t")[0] for s in formats) == ["json", "markdown", "svg", "text"]
    assert sorted(complete("wundr-tui completion ")) == ["bash", "fish", "zsh"]
    assert complete("wundr-tui replay re") == ["rec.jsonl"]


# -- zsh -------------------------------------------------------------------------------------


class _Tmux:
    """An interactive zsh in a private tmux server, typed into as a person would."""

    def __init__(self, tmux: str, zsh: str, cwd: Path) -> None:
        self.tmux = tmux
        self.socket = f"wundr-zsh-{uuid.uuid4().hex[:8]}"
        self.run(
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "20",
            "-c",
            str(cwd),
            f"env -i HOME={cwd} TERM=xterm PATH=/usr/bin:/bin {zsh} -f",
        )

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return done.stdout

    def type(self, text: str, *keys: str) -> None:
        """Type ``text`` literally, then press ``keys`` (tmux key names: Tab, Enter, C-u)."""
        if text:
            self.run("send-keys", "-l", "--", text)
        if keys:
            self.run("send-keys", *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-N")  # -N: keep the space a completion adds

    def wait_for(self, what: Callable[[str], bool], timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if what(text) or time.monotonic() > deadline:
                return text
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(
            [self.tmux, "-L", self.socket, "kill-server"],
            capture_output=True,
            timeout=10,
            check=False,
        )


def test_zsh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zsh = _need("zsh")
    tmux = _need("tmux")
    script = _script("zsh", tmp_path, capsys)
    (tmp_path / "rec.jsonl").write_text("")
    term = _Tmux(tmux, zsh, tmp_path)
    try:
        term.type(
            f"PS1='> '; autoload -Uz compinit && compinit -u -D && source {script} && "
            "print loaded-ok",
            "Enter",
        )
        assert "loaded-ok" in term.wait_for(lambda s: "loaded-ok" in s), term.screen()
        term.type("clear", "Enter")
        term.type("wundr-tui snap", "Tab")
        screen = term.wait_for(lambda s: "wundr-tui snapshot " in s)
        assert "> wundr-tui snapshot " in screen, screen
        term.type("--for", "Tab")
        screen = term.wait_for(lambda s: "--format " in s)
        assert "> wundr-tui snapshot --format " in screen, screen
        term.type("", "Tab")  # the choices are listed under the line
        screen = term.wait_for(lambda s: "markdown" in s)
        assert all(w in screen for w in ("json", "markdown", "svg", "text")), screen
        term.type("", "C-u")
        term.type("wundr-tui replay re", "Tab")
        screen = term.wait_for(lambda s: "rec.jsonl" in s)
        assert "> wundr-tui replay rec.jsonl" in screen, screen
        term.type("", "C-u")
        term.type("wundr-tui ", "Tab")  # subcommands, with their lines
        screen = term.wait_for(lambda s: "completion" in s)
        assert SUBCOMMANDS["info"][1][:40] in screen, screen
    finally:
        term.close()
