"""docs/example-config.toml is a valid config that shows every key the schema knows."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from wundr_tui import config as cfg

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-config.toml"
OPTIONAL = re.compile(r"(?m)^# (?=[a-z_]+ = )")
"""A line ``# key = value`` is an optional setting shown at its default; uncommented, it counts."""


def keys_set(data: Any, prefix: str = "") -> set[str]:
    """Every dotted key path a TOML document sets (array-of-tables entries merged)."""
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        return set().union(*(keys_set(d, prefix) for d in data))
    if not isinstance(data, dict):
        return {prefix}
    out: set[str] = set()
    for key, value in data.items():
        out |= keys_set(value, f"{prefix}.{key}" if prefix else key)
    return out


def test_the_example_loads_with_no_error() -> None:
    config = cfg.load(EXAMPLE)
    assert len(config.clusters) == 2 and len(config.databases) == 3


def test_the_example_shows_every_key_of_the_schema_and_its_optional_lines_are_valid(
    tmp_path: Path,
) -> None:
    text = OPTIONAL.sub("", EXAMPLE.read_text(encoding="utf-8"))
    uncommented = tmp_path / "config.toml"
    uncommented.write_text(text, encoding="utf-8")
    cfg.load(uncommented)  # the optional lines, switched on, are valid too
    schema = set(cfg.schema_keys())
    assert len(schema) > 25, "the schema lists its keys"
    missing = sorted(schema - keys_set(tomllib.loads(text)))
    assert not missing, f"docs/example-config.toml does not show: {', '.join(missing)}"
    unknown = sorted(keys_set(tomllib.loads(text)) - schema)
    assert not unknown, f"docs/example-config.toml sets keys the schema lacks: {unknown}"
