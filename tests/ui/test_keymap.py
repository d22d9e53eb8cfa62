"""Remappable keys (issue 15 item 3): ``[keys]`` and the k9s profile, checked before the app
starts (exit 2 naming the ids), applied with Textual's keymap, and driven with the pilot: the
moved key does the thing, the old key no longer does, the read-only refusal follows its
action, and the help and docs/keys.md say the keys of both profiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding

from tests.ui.test_footer import footer_text
from tests.ui.test_read_only import demo_app, toasts
from wundr_tui import cli
from wundr_tui.app import PANES, WundrApp
from wundr_tui.config import Config
from wundr_tui.controllers import keys
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.dialogs.help import HelpScreen, help_rows
from wundr_tui.screens.base import PaneScreen

DOCS = Path(__file__).resolve().parents[2] / "docs" / "keys.md"


def resolve(*pairs: tuple[str, str], profile: str = "default") -> dict[str, str]:
    return keys.resolve(profile, pairs, WundrApp, PANES)


def test_every_binding_of_the_cockpit_has_an_id() -> None:
    """The keymap can move only bindings with ids: every one of ours has one."""
    missing = [
        f"{cls.__name__}: {b.key} -> {b.action}"
        for cls in keys._classes(WundrApp, PANES)
        for klass in cls.__mro__
        if klass.__module__.startswith("wundr_tui.")
        for b in klass.__dict__.get("BINDINGS", ())
        if isinstance(b, Binding) and not b.id
    ]
    assert missing == []


def test_unknown_id_is_an_error_that_suggests_the_close_ones() -> None:
    with pytest.raises(keys.KeysError) as err:
        resolve(("act.scal", "z"))
    assert "unknown binding id 'act.scal'" in str(err.value)
    assert "did you mean 'act.scale'" in str(err.value)


@pytest.mark.parametrize(
    ("pair", "said"),
    [
        (("quit", "s"), "act.scale and quit are both 's' on the Pods pane"),
        (("act.scale", "y"), "act.scale and yaml are both 'y'"),
        (("copy.name", "K"), "copy.kubectl and copy.name are both 'K'"),
        # A pane's key over the app's: the app's would never be reached there.
        (("act.ack", "c"), "act.ack and cluster are both 'c' on the Incident pane"),
    ],
)
def test_a_clash_names_both_ids_and_where(pair: tuple[str, str], said: str) -> None:
    with pytest.raises(keys.KeysError) as err:
        resolve(pair)
    assert said in str(err.value)


def test_designed_shadows_are_not_clashes() -> None:
    """The Logs view's c (container) over the app's c (cluster) is the default on purpose;
    moving the cluster key elsewhere and back is no clash either."""
    assert resolve() == {}
    assert resolve(("cluster", "c")) == {"cluster": "c"}


def test_the_read_only_twin_follows_and_cannot_be_remapped_alone() -> None:
    keymap = resolve(("act.scale", "z"))
    assert keymap["act.scale"] == keymap["read_only.scale"] == "z"
    with pytest.raises(keys.KeysError, match=r"follows act\.scale"):
        resolve(("read_only.scale", "z"))


def test_bad_key_names_are_refused() -> None:
    with pytest.raises(keys.KeysError, match="not a key Textual knows"):
        resolve(("act.scale", "ctrl+nope"))
    with pytest.raises(keys.KeysError, match="empty key"):
        resolve(("act.scale", "z,,x"))
    assert resolve(("help", "?,f1"))["help"] == "question_mark,f1"


def test_every_profile_names_known_ids_and_resolves_without_a_clash() -> None:
    known = keys.binding_ids(WundrApp, PANES)
    for name, profile in keys.PROFILES.items():
        assert set(profile) <= set(known), name
        resolve(profile=name)


def test_config_errors_exit_2_naming_the_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.toml"
    for text, said in (
        ('[keys]\nact.scal = "z"\n', "unknown binding id 'act.scal'"),
        ('[keys]\nquit = "s"\n', "act.scale and quit are both 's'"),
        ('keys = "emacs"\n', "keys.profile = 'emacs': expected 'default' or 'k9s'"),
    ):
        path.write_text(text)
        assert cli.main(["--demo", "--config", str(path)]) == cli.EXIT_USAGE
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err, err


def scale_app(keymap: list[tuple[str, str]], *, read_only: bool = False) -> WundrApp:
    app, _ = demo_app(config=Config(keys=tuple(keymap), read_only=read_only))
    return app


async def test_a_moved_action_key_works_and_the_old_one_does_not() -> None:
    app = scale_app([("act.scale", "z")])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert "z Scale" in footer_text(app) and "s Scale" not in footer_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen), "s no longer scales"
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen), "z opens the scale form"


async def test_in_read_only_mode_the_refusal_follows_the_moved_key() -> None:
    """Textual drops every binding on a key a remapped one leaves: the read-only twin must
    move with its action, or read-only mode would go silent on the new key."""
    app = scale_app([("act.scale", "z")], read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        assert [t for t in toasts(app) if t.startswith("read-only: scale")], toasts(app)
        app.clear_notifications()
        await pilot.press("s")
        await pilot.pause()
        assert toasts(app) == []


async def test_k9s_profile_keys() -> None:
    """k9s: c copies the name, the cluster filter moves to ^t, s is not scale (z is)."""
    app, _ = demo_app(config=Config(keys_profile="k9s"))
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")  # the digits are k9s's namespaces: the panes are on F-keys
        await pilot.pause()
        pane = app.screen
        assert isinstance(pane, PaneScreen) and pane.PANE == "pods"
        target = pane.target()
        assert target is not None
        await pilot.press("c")
        await pilot.pause()
        assert copied == [target[2].rpartition("/")[2]]
        assert app.cluster_filter is None, "c does not cycle the cluster in the k9s profile"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.cluster_filter is not None
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen), "s opens nothing"
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)


async def test_help_shows_the_moved_keys_and_both_profiles() -> None:
    app = scale_app([("act.scale", "z"), ("sort.name", "ctrl+n")])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app.screen.sections)
    scale = [r for r in rows if r.what == "Scale"]
    assert scale and all(r.keys == "z" for r in scale), scale
    assert any("^n NAME" in r.what for r in rows), "the sort row says the moved letter"
    profile = [r for r in rows if "k9s profile" in r.what]
    assert any(r.keys == "n" and r.what.endswith("k9s profile c") for r in profile), profile
    assert any(
        r.keys == "s" and r.what == "Scale (Pods, HPA, Node pools): k9s profile z" for r in profile
    ), profile


async def test_the_palette_names_the_moved_keys() -> None:
    app, _ = demo_app(config=Config(keys_profile="k9s"))
    async with app.run_test(size=(100, 30)):
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
    assert commands["Cycle cluster filter"] == "All clusters or one (key ^t)"
    assert commands["Help"] == "Show the keys (key ?)"


def test_docs_table_is_the_one_the_code_makes() -> None:
    """docs/keys.md holds the table of both profiles between markers; regenerate it with
    ``python -m wundr_tui.controllers.keys > /tmp/t`` and paste, if this fails."""
    text = DOCS.read_text()
    found = re.search(r"<!-- keys table -->\n(.*?)<!-- /keys table -->", text, re.DOTALL)
    assert found, "docs/keys.md has the markers"
    assert found[1] == keys.markdown_table(keys.profile_rows(WundrApp, PANES))


if __name__ == "__main__":  # python -m tests.ui.test_keymap: the table docs/keys.md holds
    print(keys.markdown_table(keys.profile_rows(WundrApp, PANES)), end="")


def test_the_keys_module_knows_every_pane_in_order() -> None:
    assert list(keys.PANE_NAMES) == list(PANES)
    assert {f"pane.{n}" for n in PANES} <= set(keys.K9S), "k9s profile moves every pane key"


async def test_k9s_digits_pick_favourite_namespaces_and_0_all(tmp_path: Path) -> None:
    """k9s: :ns makes favourites (newest first); 1 and 2 pick them without reordering them,
    3 with no third says so, 0 is every namespace. In our profile the digits stay panes and
    alt+digit picks."""
    app, _ = demo_app(config=Config(keys_profile="k9s"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        for ns in ("kube-system", "wundr-platform"):
            await pilot.press("colon", *f"ns {ns}", "enter")
            await pilot.pause()
        order = app.scope.favourites.of(app.cluster_filter)
        assert order[:2] == ["wundr-platform", "kube-system"]
        await pilot.press("2")
        await pilot.pause()
        assert app.namespace_filter == "kube-system"
        assert isinstance(app.screen, PaneScreen) and app.screen.PANE == "pods", "not a pane"
        assert app.scope.favourites.of(app.cluster_filter)[:2] == order[:2], "not reordered"
        await pilot.press("1")
        await pilot.pause()
        assert app.namespace_filter == "wundr-platform"
        app.clear_notifications()
        await pilot.press("9")
        await pilot.pause()
        assert app.namespace_filter == "wundr-platform"
        assert any("no favourite namespace 9" in t for t in toasts(app)), toasts(app)
        await pilot.press("0")
        await pilot.pause()
        assert app.namespace_filter is None
    ours, _ = demo_app()
    async with ours.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(ours.screen, PaneScreen) and ours.screen.PANE == "pods"
        await pilot.press("colon", *"ns kube-system", "enter", "0")
        await pilot.pause()
        assert ours.namespace_filter == "kube-system", "0 is a pane key in our profile"
        await pilot.press("alt+0")
        await pilot.pause()
        assert ours.namespace_filter is None
