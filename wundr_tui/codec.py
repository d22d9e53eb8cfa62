"""Events to and from JSON-able dicts: the format of ``--record`` files and recordings."""

from __future__ import annotations

import dataclasses
from typing import Any

from wundr_tui.events import ClusterSeen, Deleted, Event, Health, Replaced, Upserted
from wundr_tui.model import KIND_TYPES, Cluster, HpaMetric, Kind, Resource, SourceHealth


class CodecError(ValueError):
    """A recorded line is not a valid event."""


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    if isinstance(obj, Kind):
        return obj.value
    return obj


def _tuples(value: Any) -> Any:
    """JSON arrays back to tuples (labels are tuples of pairs)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _resource(kind: Kind, data: dict[str, Any]) -> Resource:
    cls = KIND_TYPES[kind]
    fields = {f.name for f in dataclasses.fields(cls)}
    kwargs = {k: _tuples(v) for k, v in data.items() if k in fields}
    if cls.__name__ == "Hpa":
        kwargs["metrics"] = tuple(
            HpaMetric(*m) if isinstance(m, tuple) else HpaMetric(**m)
            for m in data.get("metrics", ())
        )
    return cls(**kwargs)


def encode(event: Event) -> dict[str, Any]:
    """One event as a JSON-able dict with a ``type`` field."""
    body = _plain(event)
    assert isinstance(body, dict)
    body["type"] = type(event).__name__
    return body


def decode(data: dict[str, Any]) -> Event:
    """The inverse of ``encode``; raises CodecError on anything malformed."""
    try:
        kind_name = data["type"]
        if kind_name == "ClusterSeen":
            return ClusterSeen(Cluster(**data["cluster"]))
        if kind_name == "Health":
            h = dict(data["health"])
            h["kinds"] = tuple(Kind(k) for k in h.get("kinds", ()))
            return Health(SourceHealth(**h))
        kind = Kind(data["kind"])
        if kind_name == "Deleted":
            return Deleted(data["cluster"], kind, tuple(str(k) for k in data["keys"]))
        items = tuple(_resource(kind, item) for item in data["items"])
        if kind_name == "Replaced":
            return Replaced(data["cluster"], kind, items)
        if kind_name == "Upserted":
            return Upserted(data["cluster"], kind, items)
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"not a valid event: {exc}") from exc
    raise CodecError(f"unknown event type {kind_name!r}")
