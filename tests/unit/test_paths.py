"""wundr_tui.paths is the one place the cockpit's paths are computed: XDG as the spec says,
$WUNDR_TUI_CONFIG and $KUBECONFIG as documented, and every user of a path asks it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wundr_tui import audit, config, paths, wiring
from wundr_tui.backends.kube import contexts


def test_xdg_directories_and_the_config_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "st"))
    assert paths.config_file() == tmp_path / "cfg" / "wundr-tui" / "config.toml"
    assert paths.state_dir() == tmp_path / "st" / "wundr-tui"
    assert paths.audit_log() == tmp_path / "st" / "wundr-tui" / "audit.jsonl"
    assert paths.audit_log("demo") == tmp_path / "st" / "wundr-tui" / "audit-demo.jsonl"
    assert paths.log_file() == tmp_path / "st" / "wundr-tui" / "wundr-tui.log"
    assert paths.saved_logs_dir() == tmp_path / "st" / "wundr-tui" / "logs"
    monkeypatch.setenv("WUNDR_TUI_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert paths.config_file() == tmp_path / "elsewhere.toml"


def test_unset_or_relative_xdg_values_fall_back_to_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XDG spec: a relative value is invalid and is ignored (a relative state dir would
    move with the working directory)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")
    assert paths.config_file() == tmp_path / ".config" / "wundr-tui" / "config.toml"
    assert paths.state_dir() == tmp_path / ".local" / "state" / "wundr-tui"


def test_kubeconfig_files_as_kubectl_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join(["/a/one", "", "~/two"]))
    assert paths.kubeconfig_files() == (Path("/a/one"), tmp_path / "two")
    monkeypatch.delenv("KUBECONFIG")
    assert paths.kubeconfig_files() == (tmp_path / ".kube" / "config",)


def test_every_user_of_a_path_asks_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """config, audit, the log file and kubeconfig discovery all answer what paths says, so
    ``wundr-tui info`` prints the paths the cockpit really uses."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "st"))
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "kc"))
    assert config.default_path() == paths.config_file()
    for mode in ("live", "demo", "replay"):
        assert audit.default_path(mode) == paths.audit_log(mode)
    assert contexts.kubeconfig_paths() == paths.kubeconfig_files()
    assert Path(wiring.log_to_file()) == paths.log_file()
    assert paths.log_file().is_file()
