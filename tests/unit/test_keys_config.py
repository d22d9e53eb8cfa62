"""``keys = "k9s"`` and ``[keys]`` in the config: the profile, dotted ids flattened back out of
TOML's nested tables, and one-line errors naming the id (the ids themselves are checked against
the bindings in tests/ui/test_keymap.py)."""

from __future__ import annotations

import tomllib

import pytest

from wundr_tui.config import ConfigError, parse


def load(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    config = parse(tomllib.loads(text))
    return config.keys_profile, config.keys


def test_no_keys_is_our_profile() -> None:
    assert load("") == ("default", ())


def test_a_profile_alone_or_in_the_table() -> None:
    assert load('keys = "k9s"') == ("k9s", ())
    assert load('[keys]\nprofile = "k9s"') == ("k9s", ())


def test_dotted_ids_quoted_or_not_come_back_whole() -> None:
    text = '[keys]\nact.scale = "z"\n"copy.name" = "ctrl+y"\n[keys.logs]\npause = "s"\n'
    assert load(text) == (
        "default",
        (("act.scale", "z"), ("copy.name", "ctrl+y"), ("logs.pause", "s")),
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('keys = "emacs"', "keys.profile = 'emacs': expected 'default' or 'k9s'"),
        ("keys = 5", "keys: expected a string or a table, got 5"),
        ('[keys]\nquit = "a b"', "keys.quit = 'a b' is not a key as Textual names it"),
        ('[keys]\nquit = "\\u001b[2J"', "keys.quit = '\\x1b[2J' is not a key"),
        ("[keys]\nact.scale = 3", "keys.act.scale: expected a string, got 3"),
        ('[keys]\na.b.c.d = "x"', "keys.a.b.c: binding ids have at most three parts"),
    ],
)
def test_bad_keys_are_one_line_naming_the_id(text: str, said: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse(tomllib.loads(text))
    assert said in str(err.value)
    assert "\n" not in str(err.value)
