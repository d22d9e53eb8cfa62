"""Hypothesis strategies for hostile text, and model objects with it in every text field.

What an attacker can put in a label, an annotation, an alert or a recording: every C0 and C1
control and DEL, escape sequences a terminal obeys, bidirectional and other invisible format
characters, unpaired surrogates (undecodable bytes), Rich/Textual markup fragments, XML
specials, huge and empty strings, and odd but legitimate Unicode (combining marks, wide CJK,
emoji ZWJ sequences). Model instances are generated from their dataclass fields, so a field
added later gets hostile text too.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from hypothesis import strategies as st

from wundr_tui.model import KIND_TYPES, Cluster, Kind, SourceHealth

CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
"""Every C0 control, DEL and every C1 control."""

FORMAT = [
    "\xad",
    "\u061c",
    "\u180e",
    *map(chr, range(0x200B, 0x2010)),
    "\u2028",
    "\u2029",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2060, 0x2065)),
    *map(chr, range(0x2066, 0x206A)),
    "\ufeff",
    "\ufff9",
    "\ufffb",
    "\U0001d173",
    "\U000e0001",
    "\U000e0041",
    "\U000e007f",
]
"""Invisible format and bidirectional controls, line and paragraph separators, tags."""

SURROGATES = ["\ud800", "\udbff", "\udc00", "\udc80", "\udcff", "\udfff"]
"""Unpaired surrogates: what ``surrogateescape`` makes of bytes that are not UTF-8."""

SEQUENCES = [
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b]0;pwned\x07",
    "\x1b[31;1m",
    "\x1b[?1049l",
    "\x1b[6n",
    "\x1bP+q544e\x1b\\",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1b]52;c;cHduZWQ=\x07",
    "\x9b2J",
    "\x9d0;pwned\x9c",
    "\r\x1b[K",
    "\x08\x08\x08",
]
"""Escape sequences a terminal obeys: clear, retitle, colour, hyperlink, clipboard, query."""

MARKUP = [
    "[/]",
    "[/on x]",
    "[bold",
    "[bold]x[/bold]",
    "[link=https://evil.example]click[/link]",
    "[@click=app.quit]x[/]",
    "[on red]",
    "[$accent]",
    "[b][/i]",
    "\\[",
    "[]",
    "]]>",
    "<",
    "&",
    "&amp;",
    "<![CDATA[",
    "\"'",
    "%s%n{0}",
]
"""Rich/Textual markup (``[/]`` raises MarkupError), and XML and format-string specials."""

ODD = [
    "e\u0301",
    "\u0300\u0301\u0302\u0303",
    "日本語",
    "한국어",
    "👨\u200d👩\u200d👧",
    "🏳\ufe0f\u200d🌈",
    "\xa0",
    "\u3000",
    "\ue000",
    "\U0010fffd",
    "\ufffe",
    "\\",
    "\\x1b",
    "Ω≈ç√",
]
"""Odd but legitimate text: combining marks, wide CJK, emoji ZWJ, spaces, private use."""

CHARACTERS = sorted(
    {*CONTROLS, *FORMAT, *SURROGATES, *"[]/\\<>&=@$;:'\" aZ0é日\u0301"}
    | {o for o in ODD if len(o) == 1}
)
"""Single troublemakers (and a few ordinary characters between them)."""

_chars = st.text(alphabet=CHARACTERS, max_size=12)
_any = st.text(st.characters(codec=None, exclude_categories=()), max_size=8)
_with_sequence = st.tuples(_chars, st.sampled_from(SEQUENCES + MARKUP + ODD), _chars).map("".join)

small = st.one_of(_with_sequence, _chars, _any)
"""A short hostile string (possibly empty): Hypothesis draws each text in one choice, which
keeps examples cheap (models have many text fields)."""


def _repeat(piece: str, size: int) -> str:
    piece = piece or "\x1b[2J"
    return (piece * (size // len(piece) + 1))[:size]


huge = st.builds(_repeat, _with_sequence, st.integers(1_000, 100_000))
"""A long one: up to 100,000 characters (cheap to draw: a piece repeated)."""

hostile_text = st.integers(0, 49).flatmap(
    lambda i: small if i < 46 else st.just("") if i < 49 else huge
)
"""Hostile text: one in fifty huge, three in fifty empty, the rest short."""

WORDS: dict[str, list[str]] = {
    "status": ["Running", "Pending", "CrashLoopBackOff", "Completed"],
    "state": ["firing", "pending", "streaming", "catchup", "error", "live", "stale"],
    "severity": ["critical", "warning", "info"],
    "phase": ["Completed", "Failed", "InProgress", "PartiallyFailed"],
    "cloud": ["aws", "gcp", "other"],
}
"""Fields whose value picks a code path: a known word half the time, hostile text else."""


def _strategy(tp: Any, name: str) -> st.SearchStrategy[Any]:
    """Values for a field declared ``tp``: hostile text wherever a string can go."""
    origin = get_origin(tp)
    if tp is str or origin is Literal:
        words = WORDS.get(name)
        if origin is Literal:
            words = [a for a in get_args(tp) if isinstance(a, str)]
        return st.one_of(st.sampled_from(words), hostile_text) if words else hostile_text
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(0, 10**6)
    if tp is float:
        return st.floats(1.7e9, 1.8e9, allow_nan=False)  # timestamps, lags, targets
    if isinstance(tp, type) and issubclass(tp, Kind):
        return st.sampled_from(list(Kind))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return instances(tp)
    if origin in (Union, types.UnionType):
        return st.one_of(
            *(st.none() if a is type(None) else _strategy(a, name) for a in get_args(tp))
        )
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_strategy(args[0], name), max_size=4).map(tuple)
        return st.tuples(*(_strategy(a, name) for a in args))
    raise TypeError(f"no strategy for {name}: {tp!r}")


def instances(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Instances of a model dataclass with hostile text in every text field."""
    hints = typing.get_type_hints(cls)
    return st.builds(
        cls, **{f.name: _strategy(hints[f.name], f.name) for f in dataclasses.fields(cls)}
    )


MODEL_TYPES: list[type[Any]] = [*KIND_TYPES.values(), Cluster, SourceHealth]
"""Every model type an event carries."""


def text_of(obj: Any) -> list[str]:
    """Every string inside an object (fields, tuples, nested dataclasses, dicts)."""
    if isinstance(obj, str):
        return [obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [s for f in dataclasses.fields(obj) for s in text_of(getattr(obj, f.name))]
    if isinstance(obj, dict):
        return [s for kv in obj.items() for x in kv for s in text_of(x)]
    if isinstance(obj, tuple | list):
        return [s for x in obj for s in text_of(x)]
    return []


def variants(obj: Any, pool: list[str], count: int) -> list[Any]:
    """``count`` objects of ``obj``'s type: ``obj`` itself, then copies whose plain text fields
    take the pool's strings in turn (field ``j`` of copy ``i`` holds ``pool[(i + j) % n]``), so
    every field shows every pooled string across the copies. Drawing one object and a pool of
    strings is cheap for Hypothesis; drawing ``count`` whole objects is not (each has a dozen
    text fields). Copies whose key repeats an earlier one are left out (a store keeps one)."""
    hints = typing.get_type_hints(type(obj))
    plain = [
        f.name for f in dataclasses.fields(obj) if hints[f.name] is str and f.name not in WORDS
    ]
    out, keys = [obj], {obj.key}
    for i in range(1, count):
        copy = dataclasses.replace(
            obj, **{name: pool[(i + j) % len(pool)] for j, name in enumerate(plain)}
        )
        if copy.key not in keys:
            keys.add(copy.key)
            out.append(copy)
    return out
