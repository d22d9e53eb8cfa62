"""An object as YAML for the YAML view: ``managedFields`` hidden unless asked, no secret
value, every line made safe (the object is the server's text: hostile), bounded in lines.

Pure (no Textual); PyYAML is imported on first use, so the cockpit does not pay for it at
start. ``safe_dump`` quotes and escapes what YAML calls non-printable; what YAML lets through
(bidirectional controls, NEL) is escaped by ``safe`` line by line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from wundr_tui.safe_text import safe

MAX_LINES = 20_000
"""Most YAML lines shown; past this the view says how many were left out."""

SECRET_FIELDS = ("data", "stringData")
"""Never shown, whatever the object's kind says (the readers drop them already)."""


def without_managed_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A copy without ``metadata.managedFields`` (the server's bookkeeping, most of a pod)."""
    out = dict(obj)
    meta = out.get("metadata")
    if isinstance(meta, Mapping) and "managedFields" in meta:
        out["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    return out


def object_yaml(obj: Mapping[str, Any], *, managed_fields: bool = False) -> list[str]:
    """The object as YAML lines, keys in the server's order, each line safe to show."""
    import yaml

    shown = dict(obj) if managed_fields else without_managed_fields(obj)
    for field in SECRET_FIELDS:
        shown.pop(field, None)
    dumped = yaml.safe_dump(
        shown, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
    )
    lines = [safe(line) for line in dumped.splitlines()]
    if len(lines) > MAX_LINES:
        left = len(lines) - MAX_LINES
        lines = [*lines[:MAX_LINES], f"# … {left} more lines not shown"]
    return lines


def model_yaml(resource: Any) -> list[str]:
    """What the store keeps for an object (a frozen dataclass), as YAML lines: for kinds with
    no server object, and for a replay."""
    if not dataclasses.is_dataclass(resource) or isinstance(resource, type):
        return ["# nothing in the store"]

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, tuple):
            if value and all(
                isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value
            ):
                return {k: plain(v) for k, v in value}
            return [plain(v) for v in value]
        if isinstance(value, str):
            return str(value)
        return value

    return object_yaml(plain(resource), managed_fields=True)
