"""Property tests: whatever a config file holds, parsing it gives a Config or one ConfigError
line, never another exception; any unknown key and any non-finite number is a ConfigError.
Examples per test: the suite's Hypothesis profile (tests/conftest.py: 200, or 10,000 in fuzz)."""

from __future__ import annotations

import copy
import datetime
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wundr_tui import config as cfg

VALID: dict[str, Any] = {
    "clusters": [{"context": "kind-dev", "namespaces": ["wundr"]}],
    "databases": [{"engine": "postgres", "cluster": "kind-dev", "dsn": "service=a"}],
    "blue_green": [{"namespace": "wundr"}],
    "poll_seconds": {"nodepools": 30},
    "actions": {"revert_seconds": 60, "ack_seconds": 1800},
    "kubernetes": {"exec_timeout": 30},
    "logs": {"buffer_lines": 100_000, "max_streams": 50},
    "golden_signals": {"step_seconds": 60, "error_threshold": 0.05},
    "ui": {"theme": "nord"},
    "refresh_hz": 4,
}
TABLES: list[tuple[str | int, ...]] = [
    (),
    ("clusters", 0),
    ("databases", 0),
    ("blue_green", 0),
    ("poll_seconds",),
    ("actions",),
    ("kubernetes",),
    ("logs",),
    ("golden_signals",),
    ("ui",),
]
NUMBERS: list[tuple[str | int, ...]] = [
    ("refresh_hz",),
    ("lag_threshold",),
    ("stale_after",),
    ("poll_seconds", "nodepools"),
    ("poll_seconds", "alerts"),
    ("databases", 0, "poll_seconds"),
    ("actions", "revert_seconds"),
    ("actions", "ack_seconds"),
    ("kubernetes", "exec_timeout"),
    ("poll_seconds", "signals"),
    ("golden_signals", "error_threshold"),
    ("golden_signals", "latency_threshold"),
    ("golden_signals", "step_seconds"),
]
TABLE_KEYS: dict[tuple[str | int, ...], set[str]] = {
    (): {
        *("clusters", "databases", "blue_green", "poll_seconds", "actions", "refresh_hz"),
        *("lag_threshold", "stale_after", "read_only", "author", "low_bandwidth"),
        "kubernetes",
        "logs",
        "golden_signals",
        "keys",
        "ui",
    },
    ("clusters", 0): {
        *("context", "production", "read_only", "namespaces", "prometheus", "alertmanager"),
        *("aws_profile", "gcp_project", "cloud_api"),
    },
    ("databases", 0): {
        *("engine", "cluster", "name", "dsn", "replica_dsns", "region", "instance", "project"),
        "poll_seconds",
    },
    ("blue_green", 0): {"namespace", "service", "key", "blue", "green"},
    ("poll_seconds",): {"nodepools", "alerts", "signals"},
    ("actions",): {"revert_seconds", "blue_green_min_capacity", "ack_seconds"},
    ("kubernetes",): {"exec_timeout", "max_events"},
    ("logs",): {"buffer_lines", "max_streams"},
    ("ui",): {"theme"},
    ("golden_signals",): {
        *("requests", "errors", "latency_p95", "error_threshold", "latency_threshold"),
        *("step_seconds", "max_series"),
    },
}
"""The keys each table knows (spelled out, so this file also runs against old code)."""
KNOWN = set().union(*TABLE_KEYS.values())


# What tomllib can hand over: strings, ints of any size, floats (nan and inf too), booleans,
# dates and times, arrays and tables, nested.
toml_values = st.recursive(
    st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.dates()
    | st.datetimes()
    | st.times()
    | st.just(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def put(data: dict[str, Any], where: tuple[str | int, ...], key: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(data)
    table: Any = doc
    for step in where:
        table = table[step]
    table[key] = value
    return doc


def one_line_error(doc: dict[str, Any]) -> str:
    try:
        cfg.parse(doc, "config.toml")
    except cfg.ConfigError as exc:
        message = str(exc)
        assert message.startswith("config.toml: ")
        assert message.isprintable(), "one visible line: no newline, no control character"
        return message
    raise AssertionError(f"accepted: {doc!r}")


def test_the_base_document_is_valid_and_the_table_keys_are_the_schema() -> None:
    cfg.parse(VALID)
    spelled = {
        ".".join([str(w[0]), key] if w else [key])
        for w, keys in TABLE_KEYS.items()
        for key in keys
        if key
        not in {
            *("clusters", "databases", "blue_green", "poll_seconds", "actions", "kubernetes"),
            "logs",
            "golden_signals",
            "ui",
        }
        or w
    }
    assert spelled == set(cfg.schema_keys())


@given(
    where=st.sampled_from(TABLES),
    key=st.text(min_size=1, max_size=30).filter(lambda k: k not in KNOWN),
    value=toml_values,
)
def test_any_unknown_key_in_any_table_is_a_config_error(
    where: tuple[str | int, ...], key: str, value: Any
) -> None:
    message = one_line_error(put(VALID, where, key, value))
    assert "unknown key" in message or "expected" in message or "out of range" in message


@given(
    path=st.sampled_from(NUMBERS),
    value=st.sampled_from([math.nan, math.inf, -math.inf])
    | st.floats(max_value=0)
    | st.floats(min_value=86400.5, allow_infinity=True)
    | st.integers(max_value=0)
    | st.integers(min_value=86401),
)
def test_any_non_finite_or_out_of_range_number_is_a_config_error(
    path: tuple[str | int, ...], value: float
) -> None:
    message = one_line_error(put(VALID, path[:-1], str(path[-1]), value))
    assert "is out of range" in message and "at most" in message


@given(
    where=st.sampled_from(TABLES),
    key=st.sampled_from(sorted(KNOWN)),
    value=toml_values,
)
def test_any_value_for_any_key_gives_a_config_or_one_config_error_line(
    where: tuple[str | int, ...], key: str, value: Any
) -> None:
    """Only ConfigError ever comes out; a key another table knows is still unknown here."""
    doc = put(VALID, where, key, value)
    if key not in TABLE_KEYS[where]:
        assert "unknown key" in one_line_error(doc)
        return
    try:
        cfg.parse(doc, "config.toml")
    except cfg.ConfigError as exc:
        assert str(exc).isprintable()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("buffer_lines", 999),
        ("buffer_lines", 1_000_001),
        ("buffer_lines", 5000.5),
        ("max_streams", 0),
        ("max_streams", 501),
        ("max_streams", math.nan),
    ],
)
def test_logs_table_counts_are_whole_and_in_range(key: str, value: Any) -> None:
    """``[logs]`` counts: integers within their documented range, else one line naming it."""
    message = one_line_error(put(VALID, ("logs",), key, value))
    assert f"logs.{key}" in message
    assert cfg.parse(put(VALID, ("logs",), key, 1000 if key == "buffer_lines" else 1)).logs
