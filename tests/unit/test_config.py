"""Config: defaults, validation with one-line messages, secrets refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from wundr_tui import config as cfg


def test_missing_default_file_means_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WUNDR_TUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    c = cfg.load()
    assert c.refresh_hz == 4.0 and c.blue_green[0].service == "wundr-platform-service"


def test_env_var_overrides_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "c.toml"
    p.write_text('refresh_hz = 8\n[[clusters]]\ncontext = "gke_p_us-central1_wundr-production"\n')
    monkeypatch.setenv("WUNDR_TUI_CONFIG", str(p))
    c = cfg.load()
    assert c.refresh_hz == 8.0
    assert c.clusters[0].production, "a name that says prod is production by default"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("refresh_hz = 'fast'", "refresh_hz: expected a number"),
        ("refresh_hz = 0", "greater than 0"),
        ("[[clusters]]\nbogus = 1\ncontext='x'", "unknown key 'bogus'"),
        ("[[clusters]]\nproduction = true", "missing 'context'"),
        ("[[databases]]\nengine='mysql'\ncluster='x'", "expected postgres, rds or cloudsql"),
        (
            "[[databases]]\nengine='postgres'\ncluster='x'\ndsn='host=a password=hunter2'",
            "do not put a password",
        ),
        ("this is = = not toml", "invalid TOML"),
    ],
)
def test_bad_config_is_one_readable_line(tmp_path: Path, text: str, needle: str) -> None:
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(cfg.ConfigError) as info:
        cfg.load(p)
    message = str(info.value)
    assert needle in message and "\n" not in message


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(cfg.ConfigError, match="not found"):
        cfg.load(tmp_path / "nope.toml")
