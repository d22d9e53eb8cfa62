"""The ``/`` filter language (wundr_tui/matching.py): substring, regex, label selector, fuzzy."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wundr_tui.matching import (
    REGEX_MAX,
    FilterError,
    Requirement,
    fuzzy,
    parse,
    parse_selector,
)

POD = (("app", "api-gateway"), ("environment", "production-blue"), ("tier", "web"))
DB = (("app", "postgres"), ("tier", "db"))


def test_plain_text_is_a_substring_and_bang_negates() -> None:
    f = parse("Gate")
    assert f.mode == "substring" and f.matches("api-gateway-blue") and not f.matches("orders")
    n = parse("!gate")
    assert n.negate and not n.matches("api-gateway-blue") and n.matches("orders")
    assert not parse("").active and not parse("!").active


def test_tilde_is_a_case_insensitive_regex() -> None:
    f = parse("~^api-.*-BLUE$")
    assert f.mode == "regex" and f.matches("api-gateway-blue") and not f.matches("xapi-blue-x")
    assert parse("!~^api").matches("orders-blue") and not parse("!~^api").matches("api-x")
    assert f.describe() == "/~^api-.*-BLUE$"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("~(", "invalid regex"),
        ("~[a-", "invalid regex"),
        ("~a{2,1}", "invalid regex"),
        ("~(a+)+$", "nested repetition"),
        ("~(a*)*b", "nested repetition"),
        ("~(x|(\\w+\\s?)*)y", "nested repetition"),
        ("~.*a.*b.*c.*d.*e", "unbounded repeats"),
        ("~" + "a" * (REGEX_MAX + 1), "longer than"),
    ],
)
def test_bad_or_catastrophic_regexes_are_refused_with_a_reason(typed: str, says: str) -> None:
    with pytest.raises(FilterError, match=says):
        parse(typed)


def test_a_refused_pattern_would_indeed_be_slow_and_an_accepted_one_is_not() -> None:
    """The guard is not cosmetic: the refused (a+)+$ backtracks exponentially on 24 a's
    and a !; the accepted a+$ answers at once."""
    hay = "a" * 24 + "!"
    t = time.perf_counter()
    assert not parse("~a+$").matches(hay)
    fast = time.perf_counter() - t
    t = time.perf_counter()
    assert not re.compile("(a+)+$").search(hay[:18] + "!")  # 18: still quick enough to run
    slow = time.perf_counter() - t
    assert slow > 20 * fast


def test_safe_regexes_pass_the_guard() -> None:
    for typed in ("~[(]+x", "~\\(a+\\)+", "~(ab)+", "~(a|b)c+", "~a{2,3}", "~^api-(blue|green)$"):
        parse(typed)


def test_label_selector_grammar() -> None:
    sel = parse_selector("app=api-gateway, tier!=db,environment in (production-blue, x)")
    assert [r.op for r in sel] == ["=", "!=", "in"]
    f = parse("-l app=api-gateway,tier!=db")
    assert f.uses_labels and f.matches("", POD) and not f.matches("", DB)
    assert parse("-l app==postgres").matches("", DB)
    assert parse("-l tier notin (db,cache)").matches("", POD)
    assert not parse("-l tier notin (db,cache)").matches("", DB)
    has, lacks = parse("-l environment"), parse("-l !environment")
    assert has.matches("", POD) and not has.matches("", DB)
    assert lacks.matches("", DB) and not lacks.matches("", POD)
    # As on the apiserver: != and notin hold for objects without the key; = and in do not.
    assert parse("-l team!=a").matches("", ()) and parse("-l team notin (a)").matches("", ())
    assert not parse("-l team=a").matches("", ()) and not parse("-l team in (a)").matches("", ())
    assert parse("-l app.kubernetes.io/name=x").selector[0].key == "app.kubernetes.io/name"
    assert parse("-l app=").selector == (Requirement("app", "=", frozenset({""})),)
    assert not parse("-l").active and not parse("-l  ").active
    assert parse("-l app=x,tier!=db").describe() == "labels app=x,tier!=db"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("-l app in (a", "expected at the end"),
        ("-l app in a", r"\( expected"),
        ("-l app in ()", "at least one value"),
        ("-l app=x,", "after ,"),
        ("-l app=x tier=y", ", expected"),
        ("-l app > 3", "unknown operator"),
        ("-l -bad=x", "not a label key"),
        ("-l app=not/valid", "not a label value"),
        ("-l " + "a," * 600, "longer than"),
        ("-l !", "key after !"),
    ],
)
def test_bad_selectors_say_what_is_wrong(typed: str, says: str) -> None:
    with pytest.raises(FilterError, match=says):
        parse(typed)


def test_fuzzy_is_letters_in_order_and_not_ranked() -> None:
    f = parse("-f agb")
    assert f.mode == "fuzzy" and f.matches("api-gateway-blue") and not f.matches("blue-gateway")
    assert parse("!-f agb").matches("orders") and not parse("-f").active
    assert fuzzy("a g", "api-gateway") and not fuzzy("zz", "api")
    assert not fuzzy("agw", "api gw")  # not across words (cells)


def test_narrowing_is_only_claimed_when_true() -> None:
    assert parse("api").narrows(parse("ap")) and not parse("ap").narrows(parse("api"))
    assert parse("-f agw").narrows(parse("-f ag")) and parse("~x").narrows(parse(""))
    assert not parse("~api").narrows(parse("~ap"))
    assert parse("-l a=1,b=2").narrows(parse("-l a=1"))
    assert not parse("!api").narrows(parse("!ap"))


_key = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
_value = st.from_regex(r"[a-z0-9]{0,5}", fullmatch=True)
_labels = st.dictionaries(_key, _value, max_size=5).map(lambda d: tuple(sorted(d.items())))


@given(st.text(max_size=40), st.text(max_size=60))
def test_any_text_parses_or_says_why_and_never_raises_otherwise(typed: str, hay: str) -> None:
    try:
        f = parse(typed)
    except FilterError as e:
        assert str(e)
        return
    f.matches(hay.lower(), ())


@given(st.text(max_size=12), st.text(max_size=60))
def test_substring_and_its_negation_split_every_row(needle: str, hay: str) -> None:
    if needle.startswith(("~", "-l", "!", "-f")):
        return
    hay = hay.lower()
    assert parse(needle).matches(hay) != parse("!" + needle).matches(hay) or not needle


@given(st.text(alphabet="abcdef- ", max_size=8), st.text(alphabet="abcdef- ", max_size=40))
def test_fuzzy_agrees_with_a_subsequence_regex_within_a_word(needle: str, hay: str) -> None:
    letters = [c for c in needle if c != " "]
    pattern = "\\S*".join(re.escape(c) for c in letters)
    assert fuzzy(needle, hay) == (re.search(pattern, hay) is not None)


@given(_key, _value, _labels)
def test_equality_and_inequality_are_complements(key: str, value: str, labels: tuple) -> None:  # type: ignore[type-arg]
    eq = parse(f"-l {key}={value}").matches("", labels)
    ne = parse(f"-l {key}!={value}").matches("", labels)
    assert eq != ne
    assert eq == (dict(labels).get(key) == value)
    if value:  # "in ()" is refused, as by the apiserver
        assert parse(f"-l {key} in ({value})").matches("", labels) == eq
    assert parse(f"-l {key}").matches("", labels) != parse(f"-l !{key}").matches("", labels)


@given(st.lists(st.tuples(_key, _value), min_size=1, max_size=4), _labels)
def test_a_selector_is_the_and_of_its_terms(terms: list[tuple[str, str]], labels: tuple) -> None:  # type: ignore[type-arg]
    whole = parse("-l " + ",".join(f"{k}={v}" for k, v in terms)).matches("", labels)
    assert whole == all(parse(f"-l {k}={v}").matches("", labels) for k, v in terms)
