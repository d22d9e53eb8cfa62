"""Events to and from JSON-able dicts: the format of ``--record`` files and recordings.

Decoding checks every value against the model's annotations (``str`` is a string, ``int`` an
integer, ``float`` a finite number, ``tuple[...]`` an array of the right shape, a ``Literal``
one of its words): a recording is a file someone may send you, and a field of the wrong type
would otherwise surface later as a traceback in a pane. Valid input decodes exactly as it was
encoded (an integral float stays the int JSON gave).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from wundr_tui.events import Audited, ClusterSeen, Deleted, Event, Health, Replaced, Upserted
from wundr_tui.model import KIND_TYPES, Cluster, Kind, Resource, SourceHealth


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


Check = Callable[[Any, str], Any]
"""Checks one JSON value against a type (naming the field in errors); returns the value."""


def _fail(where: str, want: str, value: Any) -> typing.NoReturn:
    shown = repr(value)
    raise CodecError(f"{where}: expected {want}, not {shown[:60]}")


def _check_str(value: Any, where: str) -> Any:
    if not isinstance(value, str):
        _fail(where, "a string", value)
    return value


def _check_int(value: Any, where: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, "an integer", value)
    return value


def _check_float(value: Any, where: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(where, "a finite number", value)
    return value


def _check_bool(value: Any, where: str) -> Any:
    if not isinstance(value, bool):
        _fail(where, "true or false", value)
    return value


_SIMPLE: dict[Any, Check] = {
    str: _check_str,
    int: _check_int,
    float: _check_float,
    bool: _check_bool,
}


def _checker(tp: Any) -> Check:
    """A checker for one annotation of the model (the kinds of type model.py uses)."""
    simple = _SIMPLE.get(tp)
    if simple is not None:
        return simple
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is Literal:
        allowed = frozenset(args)

        def literal(value: Any, where: str) -> Any:
            if not isinstance(value, str | int) or value not in allowed:
                _fail(where, "one of " + ", ".join(map(str, args)), value)
            return value

        return literal
    if origin in (Union, types.UnionType):
        inner = [_checker(a) for a in args if a is not type(None)]
        optional = type(None) in args

        def union(value: Any, where: str) -> Any:
            if value is None and optional:
                return None
            for check in inner:
                try:
                    return check(value, where)
                except CodecError:
                    continue
            _fail(where, " or ".join(str(a) for a in args), value)

        return union
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _checker(args[0])

            def sequence(value: Any, where: str) -> Any:
                if not isinstance(value, list | tuple):
                    _fail(where, "an array", value)
                return tuple(item(v, where) for v in value)

            return sequence
        items = [_checker(a) for a in args]

        def fixed(value: Any, where: str) -> Any:
            if not isinstance(value, list | tuple) or len(value) != len(items):
                _fail(where, f"an array of {len(items)}", value)
            return tuple(check(v, where) for check, v in zip(items, value, strict=True))

        return fixed
    if isinstance(tp, type) and issubclass(tp, Kind):

        def kind(value: Any, where: str) -> Any:
            try:
                return Kind(value)
            except ValueError:
                _fail(where, "a kind", value)

        return kind
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _object_checker(tp)
    raise TypeError(f"no recording check for {tp!r}")  # a model type this module must learn


@cache
def _object_checker(cls: type) -> Check:
    """A checker that builds ``cls`` from a JSON object (or, for small values such as
    HpaMetric, a positional array), every field checked."""
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    checks = {f.name: _checker(hints[f.name]) for f in fields}
    required = [
        f.name
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    name = cls.__name__

    def build(value: Any, where: str) -> Any:
        if isinstance(value, list | tuple):
            value = dict(zip((f.name for f in fields), value, strict=False))
        if not isinstance(value, dict):
            _fail(where, f"a {name} object", value)
        missing = [k for k in required if k not in value]
        if missing:
            raise CodecError(f"{where}: {name} lacks {', '.join(missing)}")
        # Unknown keys are ignored, as before: newer recordings may carry more fields.
        kwargs = {k: check(value[k], f"{name}.{k}") for k, check in checks.items() if k in value}
        return cls(**kwargs)

    return build


def encode(event: Event) -> dict[str, Any]:
    """One event as a JSON-able dict with a ``type`` field."""
    body = _plain(event)
    assert isinstance(body, dict)
    if not body.get("at", 1):
        del body["at"]  # the common case: as it arrives (recordings stay as they were)
    body["type"] = type(event).__name__
    return body


def _resource(kind: Kind, data: Any) -> Resource:
    cls: type = KIND_TYPES[kind]
    resource: Resource = _object_checker(cls)(data, kind.value)
    return resource


def _kind(data: dict[str, Any]) -> Kind:
    value = data["kind"]
    try:
        return Kind(value)
    except ValueError:
        raise CodecError(f"unknown kind {str(value)[:60]!r}") from None


def decode(data: dict[str, Any]) -> Event:
    """The inverse of ``encode``; raises CodecError on anything malformed."""
    try:
        kind_name = data["type"]
        if kind_name == "ClusterSeen":
            return ClusterSeen(_object_checker(Cluster)(data["cluster"], "cluster"))
        if kind_name == "Health":
            health = _object_checker(SourceHealth)(data["health"], "health")
            return Health(health)
        if kind_name == "Audited":
            audited: Audited = _object_checker(Audited)(
                {k: v for k, v in data.items() if k != "type"}, "audited"
            )
            return audited
        kind = _kind(data)
        cluster = _check_str(data["cluster"], "cluster")
        if kind_name == "Deleted":
            keys = data["keys"]
            if not isinstance(keys, list):
                _fail("keys", "an array", keys)
            keyed = tuple(_check_str(k, "keys") for k in keys)
            return Deleted(cluster, kind, keyed, _check_float(data.get("at", 0.0), "at"))
        items = data["items"]
        if not isinstance(items, list):
            _fail("items", "an array", items)
        resources = tuple(_resource(kind, item) for item in items)
        if kind_name == "Replaced":
            return Replaced(cluster, kind, resources)
        if kind_name == "Upserted":
            return Upserted(cluster, kind, resources, _check_float(data.get("at", 0.0), "at"))
    except CodecError:
        raise
    except KeyError as exc:
        raise CodecError(f"not a valid event: no field {exc}") from None
    except (TypeError, ValueError) as exc:
        raise CodecError(f"not a valid event: {exc}") from exc
    raise CodecError(f"unknown event type {kind_name!r}")
