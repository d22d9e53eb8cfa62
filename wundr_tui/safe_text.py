"""The one boundary that makes untrusted text safe to show.

Text from a cluster, a cloud, an alert, a log, a recording or a plugin may hold bytes a
terminal obeys (``ESC[2J`` clears the screen, ``ESC]0;…BEL`` retitles it), bidirectional
controls that reorder what is read (U+202E), or invisible characters that make two names
look alike. :func:`safe` shows each such character as a visible escape instead; printable
text passes unchanged (and is returned as the same object, which costs nothing).

What counts as printable is Python's ``str.isprintable``: letters, marks, numbers,
punctuation, symbols and the ASCII space. Everything else is escaped:

- C0 controls, DEL and C1 controls: ``\\x1b``, ``\\x7f``, ``\\x9b``; newline, tab and carriage
  return as ``\\n``, ``\\t``, ``\\r`` (a table cell is one line; so is every field today);
- format and bidirectional controls (Unicode Cf: U+200B-U+200F, U+202A-U+202E,
  U+2066-U+2069, U+FEFF, soft hyphen, tag characters...): ``\\u202e``; so an emoji ZWJ
  sequence shows its joiners (``👨\\u200d👩``): terminals disagree on its width anyway;
- line and paragraph separators (U+2028, U+2029) and unpaired surrogates (what
  ``surrogateescape`` makes of undecodable bytes, which no UTF-8 terminal could be sent);
- non-ASCII spaces (U+00A0, U+2000-U+200A, U+3000...): they look like a space but are not
  one, so ``kube\\xa0system`` is told apart from ``kube system``;
- private-use and unassigned code points (no agreed glyph nor width): ``\\ue000``.

A backslash stays as it is, so the escaped form does not round-trip: JSON output, which
its encoder escapes, is where an exact string is kept (see docs/security.md).

:func:`safe_copy` applies :func:`safe` to every string inside a frozen dataclass (an event,
a model object): fields, tuples, dict keys and values, nested dataclasses. Which fields may
hold text is worked out once per type from its annotations, not per object. No Textual here.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import operator
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}

T = TypeVar("T")


def _escape(ch: str) -> str:
    short = _SHORT.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


class _Table(dict[int, str]):
    """Code point → what to show, for ``str.translate``, filled as characters are first seen
    (bounded: a stream of every code point there is cannot grow it without limit)."""

    LIMIT = 16_384

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        shown = ch if ch.isprintable() else _escape(ch)
        if len(self) >= self.LIMIT:
            self.clear()  # another thread's translate then misses and asks again: harmless
        self[code] = shown
        return shown


_TABLE = _Table()


def safe(text: str) -> str:
    """``text`` with every control, format, separator and invisible character shown as an
    escape (``\\x1b``, ``\\u202e``); printable text comes back unchanged (the same object)."""
    if text.isprintable():
        return text
    return text.translate(_TABLE)


def is_safe(text: str) -> bool:
    """Nothing in ``text`` would be escaped by :func:`safe` (what tests assert)."""
    return text.isprintable()


# -- every string of an object -----------------------------------------------------------


class _Plan:
    """Which fields of one dataclass type may hold text, and how to read them at once."""

    __slots__ = ("flat", "get", "names", "pairs_get", "text_get")

    def __init__(self, cls: type) -> None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # an annotation that does not resolve: look at every field
            hints = {}
        names = tuple(
            f.name for f in dataclasses.fields(cls) if _may_hold_text(hints.get(f.name, Any))
        )
        self.names = names
        """Fields to look at, in declaration order."""
        texts = tuple(n for n in names if hints.get(n) is str or _is_literal(hints.get(n)))
        pairs = tuple(n for n in names if hints.get(n) == _PAIRS)
        self.flat = bool(texts) and len(texts) + len(pairs) == len(names)
        """Every such field is declared a plain string (or string pairs, such as labels): one
        join answers "all printable?"."""
        self.get = _getter(names)
        """The values of ``names`` of one object, as a tuple."""
        self.text_get = _getter(texts)
        """The values of the plain-string fields, as a tuple."""
        self.pairs_get = tuple(operator.attrgetter(n) for n in pairs)
        """A getter per string-pair field (labels)."""


_PAIRS = tuple[tuple[str, str], ...]
"""How model.Labels is declared."""


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return _nothing
    getter: Callable[[Any], Any] = operator.attrgetter(*names)
    return (lambda obj: (getter(obj),)) if len(names) == 1 else getter


def _pairs_printable(plan: _Plan, objs: Any) -> bool:
    """Whether every string pair of these objects is printable: each distinct tuple once
    (the pods of one workload share one labels tuple)."""
    for get in plan.pairs_get:
        values = list(map(get, objs))  # in C: no Python call per object
        distinct = dict(zip(map(id, values), values, strict=True))
        if not all("".join(map("".join, t)).isprintable() for t in distinct.values()):
            return False
    return True


def _nothing(obj: Any) -> tuple[Any, ...]:
    return ()


def _is_literal(tp: Any) -> bool:
    return get_origin(tp) is Literal and all(isinstance(a, str) for a in get_args(tp))


def _may_hold_text(tp: Any) -> bool:
    """Could a value declared ``tp`` contain a string we did not write ourselves?"""
    if tp is Any or tp is object or tp is str:
        return True
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return False  # our own constants (Kind); decoding a recording validates them
        if issubclass(tp, str) or dataclasses.is_dataclass(tp):
            return True
        return not issubclass(tp, int | float | bool | bytes | type(None))
    origin = get_origin(tp)
    if origin is Literal:
        return any(isinstance(a, str) for a in get_args(tp))
    if origin in (Union, types.UnionType, tuple, list, dict, frozenset, set):
        return any(_may_hold_text(a) for a in get_args(tp) if a is not Ellipsis)
    return True  # unknown typing construct: look, rather than let text through


_PLANS: dict[type, _Plan | None] = {}
"""Type → its plan (None: not a dataclass). Filled on first sight; a race computes twice."""


def _plan_for(cls: type) -> _Plan | None:
    plan = _Plan(cls) if dataclasses.is_dataclass(cls) else None
    _PLANS[cls] = plan
    return plan


def _plan_of(cls: type) -> _Plan | None:
    try:
        return _PLANS[cls]
    except KeyError:
        return _plan_for(cls)


def _clean(value: Any) -> Any:
    """``value`` with every string in it made safe; the same object when nothing changed."""
    cls = type(value)
    if cls is str:
        return value if value.isprintable() else safe(value)
    if cls is tuple or cls is list:
        return _clean_sequence(value)
    try:
        plan = _PLANS[cls]
    except KeyError:
        plan = _plan_for(cls)
    if plan is not None:
        return _clean_object(value, plan)
    if isinstance(value, str):
        # A str subclass (a StrEnum member): printable ones are ours and stay as they are.
        return value if value.isprintable() else safe(str(value))
    if isinstance(value, dict):
        items = [(_clean(k), _clean(v)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(items, value.items(), strict=True)):
            return value
        return dict(items)
    if isinstance(value, tuple | list | frozenset | set):
        cleaned = [_clean(v) for v in value]
        if all(a is b for a, b in zip(cleaned, value, strict=True)):
            return value
        return type(value)(cleaned)
    return value


def _clean_sequence(seq: tuple[Any, ...] | list[Any]) -> Any:
    if len(seq) > 16 and len(kinds := set(map(type, seq))) == 1:
        # A page of one type (50,000 pods): one pass in C says whether any text needs escaping.
        plan = _plan_of(kinds.pop())
        if plan is not None and plan.flat:
            try:
                if "".join(map("".join, map(plan.text_get, seq))).isprintable() and (
                    _pairs_printable(plan, seq)
                ):
                    return seq
            except TypeError:  # a non-string where a string was declared: item by item
                pass
    clean = _clean
    for i, item in enumerate(seq):
        new = clean(item)
        if new is not item:
            # Copy only once something changed: a list of 50,000 clean pods allocates nothing.
            out = list(seq[:i])
            out.append(new)
            out.extend(clean(rest) for rest in seq[i + 1 :])
            return tuple(out) if type(seq) is tuple else out
    return seq


def _clean_object(obj: Any, plan: _Plan) -> Any:
    values = plan.get(obj)
    if plan.flat:
        try:
            if "".join(plan.text_get(obj)).isprintable() and _pairs_printable(plan, (obj,)):
                return obj
        except TypeError:  # a non-string where a string was declared (a bad recording)
            pass
    cleaned = [_clean(v) for v in values]
    changed = {
        name: new
        for name, new, old in zip(plan.names, cleaned, values, strict=True)
        if new is not old
    }
    return dataclasses.replace(obj, **changed) if changed else obj


def safe_copy(obj: T) -> T:
    """``obj`` (a dataclass, a tuple, a dict, a string) with every string in it made safe:
    the same object when nothing needed escaping, else a copy with the escaped strings."""
    return typing.cast(T, _clean(obj))


# -- the log file ------------------------------------------------------------------------


class SafeLogFormatter(logging.Formatter):
    """A log formatter whose output holds no raw control character.

    Library warnings quote what servers and plugins said. A record's message is made safe
    whole, so it stays one line (a message cannot forge the next record). A traceback keeps
    its line breaks, each line made safe and marked as a continuation (``CONTINUATION``): an
    exception whose message holds a newline cannot start a line that reads as a record.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The record's line (time, level, logger, message), made safe."""
        return safe(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        """A traceback, line by line made safe."""
        return _safe_lines(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        """A stack, line by line made safe."""
        return _safe_lines(super().formatStack(stack_info))


CONTINUATION = "  | "
"""What starts every traceback or stack line in the log file; a record never starts so."""


def _safe_lines(text: str) -> str:
    return "\n".join(CONTINUATION + safe(line) for line in text.split("\n"))


# -- log lines ---------------------------------------------------------------------------

LOG_LINE_LIMIT = 16 * 1024
"""Longest log line kept, in characters (the streams cut bytes at the same figure): the rest
of a longer line is dropped and the line ends with :data:`LOG_CUT_MARK`."""

LOG_CUT_MARK = " …[line cut at 16 KiB]"
"""What ends a log line that was longer than :data:`LOG_LINE_LIMIT`."""

Spans = tuple[tuple[int, int, str], ...]
"""(start, end, rich style string) over a safe log line: the colours its SGR sequences asked
for. Plain strings, so the buffer holding them needs no Rich (nor Textual)."""

_SGR = re.compile(r"\x1b\[([0-9;:]{0,64})m")
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_ATTRS = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 7: "reverse", 9: "strike"}
_ATTRS_OFF = {22: ("bold", "dim"), 23: ("italic",), 24: ("underline",), 27: ("reverse",)}


def _extended_colour(codes: list[int], i: int) -> tuple[str, int]:
    """``38;5;N`` / ``38;2;R;G;B`` at ``codes[i]``: the rich colour and the next index."""
    kind = codes[i + 1] if i + 1 < len(codes) else -1
    if kind == 5 and i + 2 < len(codes):
        n = codes[i + 2]
        return (f"color({n})" if n <= 255 else ""), i + 3
    if kind == 2 and i + 4 < len(codes):
        r, g, b = codes[i + 2 : i + 5]
        return (f"#{r:02x}{g:02x}{b:02x}" if max(r, g, b) <= 255 else ""), i + 5
    return "", len(codes)  # malformed: ignore the rest of the sequence


def _apply_sgr(params: str, attrs: set[str], colours: list[str]) -> None:
    """Update the pen (attributes, [foreground, background]) with one SGR sequence."""
    try:
        codes = [int(p) if p else 0 for p in params.replace(":", ";").split(";")]
    except ValueError:
        return
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            attrs.clear()
            colours[0] = colours[1] = ""
        elif code in _ATTRS:
            attrs.add(_ATTRS[code])
        elif code in _ATTRS_OFF:
            attrs.difference_update(_ATTRS_OFF[code])
        elif code == 29:
            attrs.discard("strike")
        elif 30 <= code <= 37:
            colours[0] = _COLOURS[code - 30]
        elif 90 <= code <= 97:
            colours[0] = "bright_" + _COLOURS[code - 90]
        elif 40 <= code <= 47:
            colours[1] = _COLOURS[code - 40]
        elif 100 <= code <= 107:
            colours[1] = "bright_" + _COLOURS[code - 100]
        elif code == 39:
            colours[0] = ""
        elif code == 49:
            colours[1] = ""
        elif code in (38, 48):
            colour, i = _extended_colour(codes, i)
            colours[0 if code == 38 else 1] = colour
            continue
        i += 1


def _pen(attrs: set[str], colours: list[str]) -> str:
    parts = sorted(attrs)
    if colours[0]:
        parts.append(colours[0])
    if colours[1]:
        parts.append(f"on {colours[1]}")
    return " ".join(parts)


def _log_piece(text: str) -> str:
    # Tabs are layout in a log (Java and Go stack traces): spaces, not a visible \t.
    if "\t" in text:
        text = text.expandtabs(4)
    return text if text.isprintable() else text.translate(_TABLE)


def safe_log_line(raw: str) -> tuple[str, Spans]:
    """One log line made safe to show, and the colours it asked for.

    SGR sequences (``ESC [ … m``: colour, bold, underline…) are taken out of the text and
    kept as style spans; every other control (cursor moves, screen clears, OSC titles, a
    lone ESC, CR, BEL, bidirectional overrides) is shown as a visible escape by the same
    rule as every other untrusted string (:func:`safe`). Tabs become spaces; a trailing
    CR (a CRLF line) is dropped; a line over :data:`LOG_LINE_LIMIT` characters is cut.
    """
    if raw.endswith("\r"):
        raw = raw[:-1]
    cut = len(raw) > LOG_LINE_LIMIT
    if cut:
        raw = raw[:LOG_LINE_LIMIT]
    if raw.isprintable():
        return (raw + LOG_CUT_MARK if cut else raw), ()
    if "\x1b[" not in raw:
        text = _log_piece(raw)
        return (text + LOG_CUT_MARK if cut else text), ()
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    attrs: set[str] = set()
    colours = ["", ""]
    pos = length = 0
    for match in _SGR.finditer(raw):
        if match.start() > pos:
            piece = _log_piece(raw[pos : match.start()])
            style = _pen(attrs, colours)
            if style:
                spans.append((length, length + len(piece), style))
            out.append(piece)
            length += len(piece)
        _apply_sgr(match.group(1), attrs, colours)
        pos = match.end()
    if pos < len(raw):
        piece = _log_piece(raw[pos:])
        style = _pen(attrs, colours)
        if style:
            spans.append((length, length + len(piece), style))
        out.append(piece)
    text = "".join(out)
    return (text + LOG_CUT_MARK if cut else text), tuple(spans)
