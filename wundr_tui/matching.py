"""The ``/`` filter language, as k9s has it: what a typed filter means and whether a row matches.

- ``text``: substring of the row's text (case-insensitive); ``!text`` keeps the rows without it.
- ``~regex``: a regular expression searched in the row's text (its cells joined by spaces,
  so ``~ api-`` finds a cell that starts ``api-``; case-insensitive); ``!~regex`` negates.
  Patterns are capped in length and refused when they nest repetition (``(a+)+``) or repeat
  without bound too often: Python's ``re`` has no timeout, and a catastrophic pattern run
  over 50,000 rows would freeze the cockpit.
- ``-l SELECTOR``: a Kubernetes label selector on the row's object's labels: ``app=x``,
  ``app==x``, ``tier!=db``, ``env in (a,b)``, ``env notin (a,b)``, ``key`` (exists) and ``!key``
  (does not), joined by commas (all must hold). Rows without labels have none (``!key`` and
  ``key!=x`` hold for them, as on the apiserver).
- ``-f text``: fuzzy: the letters of ``text`` appear in that order, not necessarily
  together, within one word of the row (``agw`` finds ``api-gateway``). Not ranked: rows keep
  the pane's order (worst first), which is what a pane is read by; ``!-f`` negates.

Pure: no Textual, no I/O. The row's text ("hay") is already lowercased by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

Labels: TypeAlias = tuple[tuple[str, str], ...]
"""Sorted ``(key, value)`` pairs (as ``model.Labels``)."""

REGEX_MAX = 100
"""The longest ``~regex`` accepted, in characters."""
UNBOUNDED_MAX = 4
"""The most unbounded repeats (``*``, ``+``, ``{n,}``) one regex may have."""
SELECTOR_MAX = 1000
"""The longest label selector accepted."""


class FilterError(ValueError):
    """A typed filter that cannot be applied (the message says why, for the prompt)."""


Mode = Literal["all", "substring", "regex", "labels", "fuzzy"]


@dataclass(frozen=True, slots=True)
class Requirement:
    """One term of a label selector: ``key op values``."""

    key: str
    op: Literal["=", "!=", "in", "notin", "exists", "!"]
    values: frozenset[str] = frozenset()

    def holds(self, labels: Labels) -> bool:
        """Whether the term holds for these labels."""
        value = None
        for k, v in labels:
            if k == self.key:
                value = v
                break
        op = self.op
        if op == "exists":
            return value is not None
        if op == "!":
            return value is None
        if op == "=" or op == "in":
            return value is not None and value in self.values
        return value is None or value not in self.values  # != and notin

    def __str__(self) -> str:
        values = sorted(self.values)
        if self.op == "exists":
            return self.key
        if self.op == "!":
            return f"!{self.key}"
        if self.op in ("=", "!="):
            return f"{self.key}{self.op}{values[0]}"
        return f"{self.key} {self.op} ({','.join(values)})"


@dataclass(frozen=True, slots=True)
class Filter:
    """A parsed ``/`` filter."""

    text: str
    """What the user typed, as typed."""
    mode: Mode
    negate: bool = False
    needle: str = ""
    """Substring and fuzzy: the lowercased text looked for."""
    pattern: re.Pattern[str] | None = None
    selector: tuple[Requirement, ...] = ()

    @property
    def active(self) -> bool:
        """Whether the filter leaves any row out at all."""
        return self.mode != "all"

    @property
    def uses_labels(self) -> bool:
        """Whether rows are matched by their labels (not by their text)."""
        return self.mode == "labels"

    def matches(self, hay: str, labels: Labels = ()) -> bool:
        """Whether a row (its lowercased text, its object's labels) passes."""
        mode = self.mode
        if mode == "all":
            return True
        if mode == "substring":
            found = self.needle in hay
        elif mode == "regex":
            assert self.pattern is not None
            found = self.pattern.search(hay) is not None
        elif mode == "fuzzy":
            found = fuzzy(self.needle, hay)
        else:
            found = all(r.holds(labels) for r in self.selector)
        return found != self.negate

    def text_test(self) -> Callable[[str], bool]:
        """``matches`` for a text filter as one fast callable of the row's text."""
        if self.mode == "substring":
            needle = self.needle
            if self.negate:
                return lambda hay: needle not in hay
            return lambda hay: needle in hay
        if self.mode == "regex" and not self.negate:
            assert self.pattern is not None
            search = self.pattern.search
            return lambda hay: search(hay) is not None
        return lambda hay: self.matches(hay)

    def narrows(self, old: Filter) -> bool:
        """Whether every row this filter keeps is kept by ``old`` too (typing on): the new
        filter then runs over the rows shown only."""
        if old.mode == "all":
            return True
        if self.negate or old.negate or self.mode != old.mode:
            return False
        if self.mode == "substring":
            return old.needle in self.needle
        if self.mode == "fuzzy":
            # Old's letters in order within the new needle: a word holding the new holds
            # the old. (Spaces are ignored in both.)
            return fuzzy(old.needle.replace(" ", ""), self.needle.replace(" ", ""))
        if self.mode == "labels":
            return set(old.selector) <= set(self.selector)
        return False

    def describe(self) -> str:
        """The filter in the header's words: ``/api``, ``/~^api``, ``labels app=x``."""
        if self.mode == "all":
            return ""
        bang = "!" if self.negate else ""
        if self.mode == "labels":
            return "labels " + ",".join(str(r) for r in self.selector)
        if self.mode == "fuzzy":
            return f"fuzzy {bang}{self.needle}"
        if self.mode == "regex":
            assert self.pattern is not None
            return f"/{bang}~{self.pattern.pattern}"
        return f"/{bang}{self.needle}"


EVERYTHING = Filter("", "all")
"""The empty filter: every row passes."""


def parse(text: str) -> Filter:
    """What a typed ``/`` filter means; FilterError says what is wrong with it."""
    body = text
    if body.startswith("-l") and (len(body) == 2 or body[2].isspace()):
        selector = parse_selector(body[2:])
        return Filter(text, "labels", selector=selector) if selector else EVERYTHING
    negate = body.startswith("!")
    if negate:
        body = body[1:]
    if body.startswith("-f") and (len(body) == 2 or body[2].isspace()):
        needle = body[2:].strip().lower()
        return Filter(text, "fuzzy", negate, needle=needle) if needle else EVERYTHING
    if body.startswith("~"):
        source = body[1:]
        if not source:
            return EVERYTHING
        return Filter(text, "regex", negate, pattern=compile_regex(source))
    # A plain filter matches as typed (spaces count), less a leading "!".
    needle = body.lower()
    return Filter(text, "substring", negate, needle=needle) if needle else EVERYTHING


# -- regex ---------------------------------------------------------------------------------

_QUANT = re.compile(r"\*|\+|\{\d*,\}")


def compile_regex(source: str) -> re.Pattern[str]:
    """A row-text regex, case-insensitive, or FilterError (invalid, too long, or shaped like
    the patterns that take exponential time)."""
    if len(source) > REGEX_MAX:
        raise FilterError(f"regex longer than {REGEX_MAX} characters")
    risky = _risky(source)
    if risky:
        raise FilterError(risky)
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as e:
        raise FilterError(f"invalid regex: {e}") from None
    except (OverflowError, RecursionError, ValueError) as e:
        raise FilterError(f"invalid regex: {e}") from None


def _risky(source: str) -> str:
    """Why a pattern may take exponential time ("" when it looks safe): a repeated group
    holding a repeat (``(a+)+``, ``(a*)*``, ``(\\w+\\s?)*``), or many unbounded repeats."""
    stack: list[bool] = []  # per open group: does it hold an unbounded repeat?
    unbounded = 0
    i, n = 0, len(source)
    last_group_repeats = False
    while i < n:
        ch = source[i]
        if ch == "\\":
            i += 2
            last_group_repeats = False
            continue
        if ch == "[":  # a class: skip to its end ("]" first in it is literal)
            j = i + 1
            if j < n and source[j] == "^":
                j += 1
            if j < n and source[j] == "]":
                j += 1
            while j < n and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            last_group_repeats = False
            continue
        m = _QUANT.match(source, i)
        if m:
            unbounded += 1
            if last_group_repeats:
                return "nested repetition such as (a+)+ can take exponential time"
            if stack:
                stack[-1] = True
            i = m.end()
            last_group_repeats = False
            continue
        if ch == "(":
            stack.append(False)
        elif ch == ")" and stack:
            inner = stack.pop()
            last_group_repeats = inner
            if stack and inner:
                stack[-1] = True
            i += 1
            continue
        last_group_repeats = False
        i += 1
    if unbounded > UNBOUNDED_MAX:
        return f"more than {UNBOUNDED_MAX} unbounded repeats (* + {{n,}}) in one regex"
    return ""


# -- fuzzy ---------------------------------------------------------------------------------


def fuzzy(needle: str, hay: str) -> bool:
    """Whether the characters of ``needle`` (its spaces ignored) appear in order within one
    word of ``hay`` (a name, a node, a status): across the whole row almost any few letters
    would be found somewhere."""
    letters = needle.replace(" ", "")
    if not letters:
        return True
    for ch in letters:  # most rows lack a letter: a quick no before any word is looked at
        if ch not in hay:
            return False
    first = letters[0]
    for word in hay.split():
        if first not in word or len(word) < len(letters):
            continue
        at = 0
        find = word.find
        for ch in letters:
            at = find(ch, at)
            if at < 0:
                break
            at += 1
        else:
            return True
    return False


# -- label selectors -------------------------------------------------------------------------

_NAME = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_PREFIX = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
_KEY = re.compile(rf"(?:{_PREFIX}/)?{_NAME}")
_VALUE = re.compile(rf"(?:{_NAME})?")
_TOKEN = re.compile(r"\s*(==|!=|=|\(|\)|,|!|[^\s=!(),]+)")


def parse_selector(text: str) -> tuple[Requirement, ...]:
    """A Kubernetes label selector (the grammar of ``kubectl get -l``), or FilterError."""
    if len(text) > SELECTOR_MAX:
        raise FilterError(f"label selector longer than {SELECTOR_MAX} characters")
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        if text[pos:].isspace():
            break
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the token pattern matches any non-space
            raise FilterError(f"label selector: cannot read {text[pos:]!r}")
        tokens.append(m.group(1))
        pos = m.end()
    out: list[Requirement] = []
    i = 0

    def need(what: str) -> str:
        nonlocal i
        if i >= len(tokens):
            raise FilterError(f"label selector: {what} expected at the end")
        tok = tokens[i]
        i += 1
        return tok

    while i < len(tokens):
        tok = need("a key")
        if tok == "!":
            key = _key(need("a key after !"))
            out.append(Requirement(key, "!"))
        else:
            key = _key(tok)
            if i >= len(tokens) or tokens[i] == ",":
                out.append(Requirement(key, "exists"))
            else:
                op = need("an operator")
                if op in ("=", "==", "!="):
                    value = "" if i >= len(tokens) or tokens[i] == "," else need("a value")
                    out.append(Requirement(key, "!=" if op == "!=" else "=", _values([value])))
                elif op in ("in", "notin"):
                    if need("(") != "(":
                        raise FilterError(f"label selector: ( expected after {op}")
                    values: list[str] = []
                    while True:
                        t = need(")")
                        if t == ")" and not values:
                            break
                        if t == "," or t == ")":
                            values.append("")
                        else:
                            values.append(t)
                            t = need(")")
                        if t == ")":
                            break
                        if t != ",":
                            raise FilterError(f"label selector: , or ) expected, not {t!r}")
                    if not values:
                        raise FilterError(f"label selector: {op} () needs at least one value")
                    out.append(Requirement(key, "in" if op == "in" else "notin", _values(values)))
                else:
                    raise FilterError(
                        f"label selector: unknown operator {op!r} after {key!r} "
                        "(=, ==, !=, in, notin)"
                    )
        if i < len(tokens):
            if tokens[i] != ",":
                raise FilterError(f"label selector: , expected, not {tokens[i]!r}")
            i += 1
            if i >= len(tokens):
                raise FilterError("label selector: a requirement expected after ,")
    return tuple(out)


def _key(tok: str) -> str:
    if not _KEY.fullmatch(tok):
        raise FilterError(f"label selector: {tok!r} is not a label key")
    return tok


def _values(values: list[str]) -> frozenset[str]:
    for v in values:
        if not _VALUE.fullmatch(v):
            raise FilterError(f"label selector: {v!r} is not a label value")
    return frozenset(values)
