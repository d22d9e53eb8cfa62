"""Remappable keys: the ``[keys]`` table and the key profiles (ours and k9s's), checked against
the bindings of every screen before the app starts, and turned into the keymap Textual applies
(``App.set_keymap``).

Every binding of the cockpit has an id (``act.scale``, ``logs.pause``, ``sort.name``); Textual
replaces the keys of a binding whose id is in the keymap. Two of its ways are handled here:

- ``BindingsMap.apply_keymap`` drops *every* binding on a key that a remapped binding leaves,
  and every binding on a key one moves onto. The read-only refusals (``read_only.scale``)
  answer the same key as their action (``act.scale``) by design, so they follow it; any other
  binding that shared the old key keeps it (it is put in the keymap with its own keys).
- It reports nothing a person could read: here an id nobody declared is an error that
  suggests the close ones, and a key that would reach two bindings at once (in one class, or
  one shadowing the other on a screen: a pane's key over the app's) is an error naming both,
  unless the default keys already do so by design (the Logs view's ``c`` over the app's).

Sort keys (Shift+letter per column) have one id per column key, ``sort.COLUMN``, shared by
every pane with that column: ``sort.name = "ctrl+n"`` sorts by name on each of them.

``profile_rows`` is the one table of both profiles: the help screen and ``docs/keys.md`` are
made from it (a test checks the file), so neither can drift from the bindings."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding, BindingsMap
from textual.keys import KEY_NAME_REPLACEMENTS, Keys

from wundr_tui.dialogs.audit import AuditScreen
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.dialogs.help import HelpScreen, key_label
from wundr_tui.screens.base import PaneScreen, Prompt
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.logs import LogPrompt, LogsScreen
from wundr_tui.screens.yaml import YamlScreen, YamlSearch
from wundr_tui.widgets.container_picker import ContainerPicker
from wundr_tui.widgets.resource_table import ResourceTable

PANE_NAMES = (
    "incident",
    "pods",
    "hpa",
    "nodepools",
    "database",
    "alerts",
    "backups",
    "events",
    "timeline",
    "services",
)
"""The panes in the order of their keys (``app.PANES``: a test checks they agree)."""

K9S: dict[str, str] = {
    # k9s: c copies; the cluster filter moves (k9s has :ctx for that).
    "copy.name": "c",
    "cluster": "ctrl+t",
    # k9s: s is a pod's shell (not ours), r restarts a rollout (not ours), u uses a
    # namespace or context (not ours): the actions on those keys move, the keys do nothing.
    "act.scale": "z",
    "act.restore": "ctrl+r",
    "act.revert": "ctrl+z",
    # k9s's log view: s toggles autoscroll, w wraps; our "since" and "write" move.
    "logs.pause": "s",
    "logs.since": "S",
    "logs.wrap": "w",
    "logs.write": "W",
    # k9s's digits pick namespaces (0 all, 1-9 favourites); the panes go to F1-F10.
    "ns.all": "0",
    **{f"ns.fav{n}": str(n) for n in range(1, 10)},
    **{f"pane.{name}": f"f{i}" for i, name in enumerate(PANE_NAMES, start=1)},
}
"""The k9s profile: k9s's meanings where ours differ. Everything else keeps our keys (which
are k9s's already: ``:`` ``/`` ``?`` ``d`` ``y`` ``l`` ``Esc``, Shift+letter sorts...).
k9s's digits pick namespaces: 0 every one, 1-9 the context's favourites (``:ns`` keeps them)."""

PROFILES: dict[str, Mapping[str, str]] = {"default": {}, "k9s": K9S}
"""Profile name → id → keys, over the bindings' own keys (``default``: those)."""

PROFILE_NOTES: dict[str, str] = {
    "k9s": "s, r and u do nothing in the k9s profile (k9s's shell, restart and use are not "
    "wundr-tui's); the digits pick namespaces as in k9s, so the panes are on F1-F10 (and :NAME)",
}
"""What a profile leaves out, said in the help and the docs."""

TWIN_PREFIX = "read_only."
"""Read-only refusals: ``read_only.X`` answers ``act.X``'s key, and follows it."""


class KeysError(Exception):
    """The ``[keys]`` table cannot be applied; ``str()`` is one line naming the ids."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Bindings active at once, innermost first (the focused widget, its screen, the app);
    ``outer_priority_only``: a modal, where only the app's priority bindings still run."""

    name: str
    chain: tuple[type[Any], ...]
    outer_priority_only: bool = False


def scopes(app: type[Any], panes: Mapping[str, type[PaneScreen]]) -> list[Scope]:
    """Every place keys are read, with what answers them there."""
    out = [Scope(f"the {cls.TITLE_TEXT} pane", (ResourceTable, cls, app)) for cls in panes.values()]
    out += [
        Scope(f"the {cls.TITLE_TEXT} pane's prompt", (Prompt, cls, app)) for cls in panes.values()
    ]
    out += [
        Scope("the detail view", (DetailScreen, app)),
        Scope("the YAML view", (YamlScreen, app)),
        Scope("the YAML view's search", (YamlSearch, YamlScreen, app)),
        Scope("the Logs view", (LogsScreen, app)),
        Scope("the Logs view's prompt", (LogPrompt, LogsScreen, app)),
        Scope("the Logs view's container list", (ContainerPicker, LogsScreen, app)),
        Scope("the confirmation dialog", (ConfirmScreen, app), outer_priority_only=True),
        Scope("the action form", (FormScreen, app), outer_priority_only=True),
        Scope("the audit log", (AuditScreen, app), outer_priority_only=True),
        Scope("the help", (HelpScreen, app), outer_priority_only=True),
    ]
    return out


def class_keys(cls: type[Any]) -> dict[str, list[Binding]]:
    """Key → bindings of ``cls`` as Textual merges them (a subclass's key replaces its base's)."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        declared = base.__dict__.get("BINDINGS")
        if declared:
            keys.update(BindingsMap(declared).key_to_bindings)
    return keys


def _applied(cls: type[Any], keymap: Mapping[str, str]) -> dict[str, list[Binding]]:
    """Key → bindings of ``cls`` after Textual's own ``apply_keymap``."""
    bindings = BindingsMap.from_keys({k: list(v) for k, v in class_keys(cls).items()})
    if keymap:
        bindings.apply_keymap(dict(keymap))
    return bindings.key_to_bindings


def _classes(app: type[Any], panes: Mapping[str, type[PaneScreen]]) -> list[type[Any]]:
    seen: list[type[Any]] = []
    for scope in scopes(app, panes):
        for cls in scope.chain:
            if cls not in seen:
                seen.append(cls)
    return seen


def binding_ids(app: type[Any], panes: Mapping[str, type[PaneScreen]]) -> dict[str, Binding]:
    """Every id of the cockpit's own bindings → its first binding (Textual's are not ours)."""
    out: dict[str, Binding] = {}
    for cls in _classes(app, panes):
        for bindings in class_keys(cls).values():
            for b in bindings:
                if b.id and b.id not in out:
                    out[b.id] = b
    return out


def normal_keys(text: str) -> list[str]:
    """``"?,ctrl+x"`` → ``["question_mark", "ctrl+x"]`` (Textual's long names); KeysError
    for a key Textual has no name for."""
    try:
        keys = list(BindingsMap([Binding(text, "noop")]).key_to_bindings)
    except Exception:  # Textual refuses an empty key ("x,,y") with its own error type
        raise KeysError(f"{text!r} has an empty key") from None
    for key in keys:
        *mods, base = key.split("+") if key != "+" else [key]
        if any(m not in _MODIFIERS for m in mods) or not _named(base):
            raise KeysError(f"{key!r} is not a key Textual knows (see docs/keys.md)")
    return keys


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_KEY_NAMES = frozenset(k.value for k in Keys) | frozenset(KEY_NAME_REPLACEMENTS.values())


def _named(base: str) -> bool:
    if base in _KEY_NAMES or (len(base) == 1 and base.isprintable() and not base.isspace()):
        return True
    try:
        unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return False
    return True


def _is_twin(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    pair = {a, b}
    return any(
        i.startswith(TWIN_PREFIX) and "act." + i.removeprefix(TWIN_PREFIX) in pair for i in pair
    )


def _active(cls: type[Any], binding: Binding) -> bool:
    """A pane's action key is live only where the pane offers the action (its ``ACTIONS``);
    the revert key wherever a switch can be reverted."""
    if not issubclass(cls, PaneScreen) or binding.action == "act_revert":
        return True
    action = binding.action
    if action.startswith("read_only_"):
        action = "act_" + action.removeprefix("read_only_")
    return not action.startswith("act_") or action in cls.ACTIONS


def _name(binding: Binding) -> str:
    return binding.id or f"Textual's {binding.action}"


def _shared_keys(
    app: type[Any], panes: Mapping[str, type[PaneScreen]], keymap: Mapping[str, str]
) -> dict[frozenset[str], tuple[str, str]]:
    """Pairs of bindings one key would reach at once → (the key, where)."""
    pairs: dict[frozenset[str], tuple[str, str]] = {}
    for scope in scopes(app, panes):
        reached: dict[str, list[Binding]] = {}
        for depth, cls in enumerate(scope.chain):
            outer = depth == len(scope.chain) - 1 and scope.outer_priority_only
            own = _applied(cls, keymap)
            for key, bindings in own.items():
                kept = [b for b in bindings if _active(cls, b) and (b.priority or not outer)]
                reached.setdefault(key, []).extend(kept)
        for key, bindings in reached.items():
            for i, a in enumerate(bindings):
                for b in bindings[i + 1 :]:
                    if _name(a) != _name(b) and not _is_twin(a.id, b.id):
                        pairs.setdefault(frozenset({_name(a), _name(b)}), (key, scope.name))
    return pairs


def _dropped(
    app: type[Any], panes: Mapping[str, type[PaneScreen]], keymap: Mapping[str, str]
) -> dict[frozenset[str], tuple[str, str]]:
    """A moved binding landing on a key another binding of its class keeps: apply_keymap
    deletes that one silently."""
    pairs: dict[frozenset[str], tuple[str, str]] = {}
    for scope in scopes(app, panes):
        for cls in scope.chain:
            before = class_keys(cls)
            for key, bindings in before.items():
                for b in bindings:
                    if b.id in keymap or not _active(cls, b):
                        continue
                    for mover_id, keys in keymap.items():
                        if key in keys.split(",") and not _is_twin(mover_id, b.id):
                            movers = [m for bs in before.values() for m in bs if m.id == mover_id]
                            if movers:
                                pairs.setdefault(frozenset({mover_id, _name(b)}), (key, scope.name))
    return pairs


def resolve(
    profile: str,
    overrides: Iterable[tuple[str, str]],
    app: type[Any],
    panes: Mapping[str, type[PaneScreen]],
) -> dict[str, str]:
    """The keymap to give ``App.set_keymap``: the profile, then the config's ``[keys]``,
    with the read-only twins following their actions and the neighbours a moved binding
    leaves behind keeping their keys. KeysError (one line) for an unknown id, a key Textual
    has no name for, or two bindings one key would reach at once."""
    known = binding_ids(app, panes)
    wanted: dict[str, str] = dict(PROFILES.get(profile, {}))
    for binding_id, keys in overrides:
        if binding_id.startswith(TWIN_PREFIX):
            action = "act." + binding_id.removeprefix(TWIN_PREFIX)
            raise KeysError(
                f"keys.{binding_id}: the read-only refusal follows {action}; remap {action}"
            )
        if binding_id not in known:
            near = difflib.get_close_matches(binding_id, list(known), n=3, cutoff=0.5)
            hint = (
                f"did you mean {' or '.join(repr(n) for n in near)}?"
                if near
                else "docs/keys.md lists every id"
            )
            raise KeysError(f"keys: unknown binding id {binding_id!r} ({hint})")
        try:
            wanted[binding_id] = ",".join(normal_keys(keys))
        except KeysError as exc:
            raise KeysError(f"keys.{binding_id}: {exc}") from None
    if not wanted:
        return {}
    keymap = dict(wanted)
    for binding_id, keys in wanted.items():
        twin = TWIN_PREFIX + binding_id.removeprefix("act.")
        if binding_id.startswith("act.") and twin in known:
            keymap[twin] = keys
    keymap.update(_kept_neighbours(app, panes, keymap))
    designed = set(_shared_keys(app, panes, {}))
    found = {**_dropped(app, panes, keymap), **_shared_keys(app, panes, keymap)}
    for pair, (key, where) in found.items():
        if pair in designed:
            continue
        a, b = sorted(pair)
        raise KeysError(f"keys: {a} and {b} are both {key_label(key)!r} on {where}")
    return keymap


def _kept_neighbours(
    app: type[Any], panes: Mapping[str, type[PaneScreen]], keymap: Mapping[str, str]
) -> dict[str, str]:
    """Bindings that share a key with a moved one, in its class, kept on their own keys
    (apply_keymap would drop them with it). One whose keys differ from class to class (a
    sort letter) cannot be kept so: KeysError."""
    by_id: dict[str, dict[str, list[str]]] = {}
    for cls in _classes(app, panes):
        for key, bindings in class_keys(cls).items():
            for b in bindings:
                if b.id:
                    by_id.setdefault(b.id, {}).setdefault(cls.__name__, []).append(key)
    kept: dict[str, str] = {}
    for cls in _classes(app, panes):
        for key, bindings in class_keys(cls).items():
            movers = [b.id for b in bindings if b.id in keymap]
            if not movers:
                continue
            for b in bindings:
                if not b.id or b.id in keymap or b.id in kept:
                    continue
                variants = {tuple(v) for v in by_id[b.id].values()}
                if len(variants) > 1:
                    raise KeysError(
                        f"keys: moving {movers[0]} off {key_label(key)!r} would drop {b.id} "
                        "there; remap it too"
                    )
                kept[b.id] = ",".join(next(iter(variants)))
    return kept


# -- the table of both profiles ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """One binding id: where it works, what it does, its keys in each profile."""

    id: str
    where: str
    what: str
    ours: str
    k9s: str


def _keys_text(keys: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(key_label(k) for k in keys))


def profile_rows(app: type[Any], panes: Mapping[str, type[PaneScreen]]) -> list[ProfileRow]:
    """Every user-facing id (not the read-only twins): the app's first, then the panes', the
    table's, the views' and the dialogs'; where it is live, and its keys in our profile and in
    k9s's (per pane where they differ, as the sort letters do)."""
    order = [app, *panes.values()]
    order += [c for c in _classes(app, panes) if c not in order]
    rows: dict[str, dict[str, Any]] = {}
    for cls in order:
        for key, bindings in class_keys(cls).items():
            for b in bindings:
                if not b.id or b.id.startswith(TWIN_PREFIX) or not _active(cls, b):
                    continue
                if cls is not app and b in _app_bindings(app):
                    continue
                row = rows.setdefault(b.id, {"what": b.tooltip or b.description, "keys": {}})
                row["keys"].setdefault(_where(cls), []).append(key)
    pane_names = {cls.TITLE_TEXT for cls in panes.values()}
    # The sort keys last: many, and alike.
    rows = dict(sorted(rows.items(), key=lambda item: item[0].startswith("sort.")))
    out = []
    for binding_id, row in rows.items():
        per_place: dict[str, list[str]] = row["keys"]
        by_keys: dict[str, list[str]] = {}
        for place, found in per_place.items():
            by_keys.setdefault(_keys_text(found), []).append(place)
        if len(by_keys) == 1:
            ours = next(iter(by_keys))
        else:
            ours = "; ".join(f"{k} ({_places(w, pane_names)})" for k, w in by_keys.items())
        k9s = K9S.get(binding_id)
        out.append(
            ProfileRow(
                binding_id,
                _places(list(per_place), pane_names),
                row["what"],
                ours,
                _keys_text(normal_keys(k9s)) if k9s is not None else "same",
            )
        )
    return out


def _app_bindings(app: type[Any]) -> list[Binding]:
    return [b for bs in class_keys(app).values() for b in bs]


def _places(places: list[str], panes: set[str]) -> str:
    """``every pane`` for all of them, else their names."""
    if panes <= set(places):
        places = ["every pane", *(p for p in places if p not in panes)]
    return ", ".join(places)


def _where(cls: type[Any]) -> str:
    if issubclass(cls, PaneScreen):
        return cls.TITLE_TEXT
    return _WHERE.get(cls.__name__, "everywhere")


_WHERE = {
    "ResourceTable": "every table",
    "Prompt": "the : and / prompt",
    "DetailScreen": "detail view",
    "YamlScreen": "YAML view",
    "YamlSearch": "YAML search",
    "LogsScreen": "Logs view",
    "LogPrompt": "Logs prompt",
    "ContainerPicker": "Logs containers",
    "ConfirmScreen": "confirmation",
    "FormScreen": "action form",
    "AuditScreen": "audit log",
    "HelpScreen": "help",
}


def markdown_table(rows: Sequence[ProfileRow]) -> str:
    """The docs' table of both profiles (``docs/keys.md`` holds it between markers)."""
    lines = [
        "| id | where | does | ours | k9s profile |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        cells = (
            f"`{r.id}`",
            r.where,
            r.what,
            _code(r.ours),
            _code(r.k9s) if r.k9s != "same" else "same",
        )
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _code(keys: str) -> str:
    """``N, ^n`` → `` `N`, `^n` ``; the per-pane form keeps its pane names plain."""
    out = []
    for part in keys.split("; "):
        found, _, where = part.partition(" (")
        quoted = ", ".join(f"`{k}`" for k in found.split(", "))
        out.append(f"{quoted} ({where}" if where else quoted)
    return "; ".join(out)
