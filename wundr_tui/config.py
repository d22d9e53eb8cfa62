"""Configuration: TOML at ``$XDG_CONFIG_HOME/wundr-tui/config.toml`` (or ``$WUNDR_TUI_CONFIG``).

The file is checked against one typed schema (``config_schema``, msgspec): an unknown key, a
wrong type, a number out of its range (nan and inf included) or a name that breaks its
Kubernetes or cloud rule is a :class:`ConfigError` whose ``str()`` is one line naming the key.
No secrets live here: database passwords come only from libpq's own mechanisms (.pgpass,
PGPASSWORD, service files).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import msgspec

from wundr_tui import config_schema as schema
from wundr_tui import paths
from wundr_tui.config_schema import (
    ActionsConfig,
    ClusterConfig,
    ConfigFile,
    DatabaseConfig,
    GoldenSignalsConfig,
    KubernetesConfig,
    LogsConfig,
    PollSeconds,
    UiConfig,
)
from wundr_tui.model import BlueGreenSpec, says_production

__all__ = [
    "ActionsConfig",
    "ClusterConfig",
    "Config",
    "ConfigError",
    "DatabaseConfig",
    "GoldenSignalsConfig",
    "KubernetesConfig",
    "LogsConfig",
    "PollSeconds",
    "check_context",
    "default_path",
    "load",
    "parse",
    "schema_keys",
]

MAX_FILE_BYTES = 1 << 20
"""A config file over 1 MiB is refused unread (``/dev/zero`` as config must not eat memory)."""


class ConfigError(Exception):
    """The configuration is unusable; ``str()`` is one readable line."""


_FILE = ConfigFile()


@dataclass(frozen=True, slots=True)
class Config:
    """Everything wundr-tui is told, after the file, the environment and the flags."""

    clusters: tuple[ClusterConfig, ...] = ()
    databases: tuple[DatabaseConfig, ...] = ()
    blue_green: tuple[BlueGreenSpec, ...] = (BlueGreenSpec(),)
    refresh_hz: float = _FILE.refresh_hz
    """Frames per second: how often queued events are applied and painted."""
    lag_threshold: float = _FILE.lag_threshold
    stale_after: float = _FILE.stale_after
    read_only: bool = False
    author: str = ""
    """Who silences are created by; blank: ``$USER``."""
    low_bandwidth: bool | None = None
    """None: automatic (on when ``$SSH_CONNECTION`` is set)."""
    poll_seconds: PollSeconds = _FILE.poll_seconds
    """``[poll_seconds]``: cloud poll intervals; None fields mean each backend's default."""
    actions: ActionsConfig = _FILE.actions
    """``[actions]``: e.g. how long a blue-green switch can be reverted."""
    kubernetes: KubernetesConfig = _FILE.kubernetes
    """``[kubernetes]``: e.g. the exec credentials plugin timeout."""
    logs: LogsConfig = _FILE.logs
    """``[logs]``: the log view's buffer and stream bound."""
    golden_signals: GoldenSignalsConfig = _FILE.golden_signals
    """``[golden_signals]``: the Services pane's queries, thresholds and bounds."""
    keys_profile: str = "default"
    """``keys = "k9s"`` / ``[keys] profile``: whose key meanings (``default`` or ``k9s``)."""
    keys: tuple[tuple[str, str], ...] = ()
    """``[keys]``: (binding id, key or keys) in the file's order, over the profile; checked
    against the bindings by ``controllers.keys`` before the app starts."""
    ui: UiConfig = _FILE.ui
    """``[ui]``: the theme."""
    path: str = ""
    """The file this came from, if any."""


def default_path() -> Path:
    """Where the config file is looked for (``paths.config_file``)."""
    return paths.config_file()


def _shown(value: Any, limit: int = 80) -> str:
    """A value as one short line: repr escapes newlines and every invisible character."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- turning msgspec's first error into one line -------------------------------------------------

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>.*)`)?$", re.DOTALL)
_STEP = re.compile(r"\.([A-Za-z0-9_]+)|\[(\d+)\]")
_TYPE_WORDS = {
    "float": "a number",
    "int": "a whole number",
    "str": "a string",
    "bool": "true or false",
    "object": "a table",
    "array": "a list",
}


def _declared_order(value: Any) -> int:
    declared = get_args(schema.Engine)
    return declared.index(value) if value in declared else len(declared)


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


def _where(steps: list[str | int]) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _raw_at(data: Any, steps: list[str | int]) -> Any:
    for step in steps:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _type_at(steps: list[str | int]) -> tuple[Any, str]:
    """The msgspec.inspect type at a path (unwrapped) and its rule's words, if any."""
    import msgspec.inspect as mi  # only on the error path: keeps start-up lean

    node: Any = mi.type_info(ConfigFile)
    rule = ""
    for step in [*steps, None]:
        while True:
            if isinstance(node, mi.Metadata):
                rule = (node.extra_json_schema or {}).get("description", rule)
                node = node.type
            elif isinstance(node, mi.UnionType):
                kept = [t for t in node.types if not isinstance(t, mi.NoneType)]
                node = kept[0]
            else:
                break
        if step is None:
            break
        if isinstance(step, int) and isinstance(node, mi.VarTupleType | mi.ListType):
            node, rule = node.item_type, ""
        elif isinstance(step, str) and isinstance(node, mi.StructType):
            fields = {f.encode_name: f for f in node.fields}
            if step not in fields:
                break
            node, rule = fields[step].type, ""
    return node, rule


def _range(node: Any, unit: str) -> str:
    parts = []
    for attr, words in (("gt", "greater than"), ("ge", "at least")):
        if getattr(node, attr, None) is not None:
            parts.append(f"{words} {getattr(node, attr):g}")
    for attr, words in (("lt", "less than"), ("le", "at most")):
        if getattr(node, attr, None) is not None:
            parts.append(f"{words} {getattr(node, attr):g}")
    return f"{unit + ': ' if unit else ''}{' and '.join(parts)}"


def _struct_keys(node: Any) -> list[str]:
    import msgspec.inspect as mi

    return [f.encode_name for f in node.fields] if isinstance(node, mi.StructType) else []


def _message(error: msgspec.ValidationError, data: Any) -> str:
    """msgspec's first error, in the words of the file: key, value and the rule it broke."""
    m = _AT.match(str(error))
    text, steps = (m["msg"], _steps(m["path"] or "")) if m else (str(error), [])
    where = _where(steps)
    prefix = f"{where}: " if where else ""
    value = _raw_at(data, steps)
    node, rule = _type_at(steps)
    if text.startswith("Object contains unknown field"):
        known = _struct_keys(node)
        unknown = [k for k in value if k not in known] if isinstance(value, dict) else []
        key = unknown[0] if unknown else text.split("`", 1)[-1].rstrip("`")
        near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}?" if near else f"known keys: {', '.join(known)}"
        return f"{prefix}unknown key {_shown(key)} ({hint})"
    if text.startswith("Object missing required field"):
        return f"{prefix}missing {_shown(text.split('`')[1])}"
    if text.startswith("Invalid enum value"):
        values = getattr(node, "values", ())
        # In the schema's own order (postgres first), not msgspec's sorted one.
        choices = [str(v) for v in sorted(values, key=_declared_order)]
        wanted = ", ".join(choices[:-1]) + f" or {choices[-1]}" if choices else "a known value"
        return f"{where} = {_shown(value)}: expected {wanted}"
    typed = re.match(r"Expected `([^`]*)`, got `([^`]*)`", text)
    if typed:
        names = [_TYPE_WORDS.get(t, t) for t in typed[1].split(" | ") if t != "null"]
        return f"{prefix}expected {' or '.join(names)}, got {_shown(value)}"
    if re.match(r"Expected `(float|int)` [<>]", text) or text.startswith("Number out of range"):
        return f"{where} = {_shown(value)} is out of range ({_range(node, rule)})"
    if text.startswith("Expected `str`") and rule:
        return f"{where} = {_shown(value)} is not {rule}"
    return f"{prefix}{text}"


# -- the rules that relate two keys ---------------------------------------------------------------

_AWS_REGION = re.compile(rf"\A{schema.AWS_REGION}\Z")
_GCP_REGION = re.compile(rf"\A{schema.GCP_REGION}\Z")
_RDS = re.compile(rf"\A(?:{schema.RDS_INSTANCE}|{schema.RDS_ARN})\Z")
_CLOUDSQL = re.compile(rf"\A{schema.CLOUDSQL_INSTANCE}\Z")
_CONTEXT = re.compile(rf"\A(?:{schema.CONTEXT})\Z")
_ENGINE_RULES = {
    "rds": (
        (
            "instance",
            _RDS,
            "an RDS DB instance identifier (1 to 63 letters, digits and '-', starting with a "
            "letter, no '--', not ending with '-') or its ARN",
        ),
        ("region", _AWS_REGION, "an AWS region like us-east-1"),
    ),
    "cloudsql": (
        (
            "instance",
            _CLOUDSQL,
            "a Cloud SQL instance id (lowercase letters, digits and '-', starting with a "
            "letter, not ending with '-')",
        ),
        ("region", _GCP_REGION, "a GCP region like us-central1"),
    ),
}
_NEEDS = {"postgres": ("dsn",), "rds": ("instance",), "cloudsql": ("instance", "project")}


def _check_database(db: DatabaseConfig, at: str) -> None:
    for key in _NEEDS[db.engine]:
        if not getattr(db, key):
            article = "an" if db.engine[0] in "aeiou" else "a"
            raise ConfigError(f"{at}: {article} {db.engine} database needs {key!r}")
    for key, pattern, rule in _ENGINE_RULES.get(db.engine, ()):
        value = getattr(db, key)
        if value and not pattern.match(value):
            raise ConfigError(f"{at}.{key} = {_shown(value)} is not {rule}")
    for dsn in (db.dsn, *db.replica_dsns):
        if "password" in dsn.lower():
            raise ConfigError(
                f"{at}: do not put a password in the config; use ~/.pgpass or PGPASSWORD"
            )


def _keys(value: str | dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``keys = "k9s"`` or ``[keys]``: the profile, and the (id, key) pairs with the nested
    tables TOML made of dotted ids (``act.scale = "z"``) flattened back into ids."""
    if isinstance(value, str):
        value = {"profile": value}
    pairs: list[tuple[str, str]] = []

    def walk(table: dict[str, Any], prefix: str) -> None:
        for name, item in table.items():
            if isinstance(item, dict):
                walk(item, f"{prefix}{name}.")
            else:
                pairs.append((f"{prefix}{name}", item))

    walk(value, "")
    profile = "default"
    found = [key for name, key in pairs if name == "profile"]
    if found:
        profile = found[0]
        if profile not in schema.KEY_PROFILES:
            choices = " or ".join(repr(p) for p in schema.KEY_PROFILES)
            raise ConfigError(f"keys.profile = {_shown(profile)}: expected {choices}")
    return profile, tuple((name, key) for name, key in pairs if name != "profile")


_KEY_STRING = re.compile(r"\A[!-~]{1,64}\Z")


def _check_keys_table(value: Any) -> None:
    """Name the id in a bad ``[keys]`` entry (msgspec's path for a table's values is
    ``keys[...]``, which says which key nobody could find)."""
    if not isinstance(value, dict):
        return  # a string, or msgspec's own type error

    def walk(table: dict[str, Any], prefix: str, depth: int) -> None:
        for name, item in table.items():
            where = f"keys.{prefix}{name}"
            if isinstance(item, dict) and depth < 3:
                walk(item, f"{prefix}{name}.", depth + 1)
            elif isinstance(item, dict):
                raise ConfigError(f"{where}: binding ids have at most three parts")
            elif not isinstance(item, str):
                raise ConfigError(f"{where}: expected a string, got {_shown(item)}")
            elif not _KEY_STRING.match(item):
                raise ConfigError(f"{where} = {_shown(item)} is not {_KEY_RULE}")

    walk(value, "", 1)


_KEY_RULE = (
    'a key as Textual names it ("x", "X", "ctrl+x", "f5", "question_mark" or "?"), or '
    'several joined by commas ("x,ctrl+x"), at most 64 characters'
)


def _relate(file: ConfigFile, data: dict[str, Any], path: str) -> Config:
    """The checks that need two keys at once, then the Config the app reads."""
    clusters = []
    seen: set[str] = set()
    for i, cc in enumerate(file.clusters):
        if cc.context in seen:
            raise ConfigError(f"cluster {_shown(cc.context)} is listed twice")
        seen.add(cc.context)
        for ns in cc.namespaces:
            if cc.namespaces.count(ns) > 1:
                raise ConfigError(f"clusters[{i}].namespaces lists {ns!r} twice")
        if "production" not in data["clusters"][i]:
            # Unsaid, a context whose name says prod is treated as production.
            cc = msgspec.structs.replace(cc, production=says_production(cc.context))
        clusters.append(cc)
    for i, db in enumerate(file.databases):
        _check_database(db, f"databases[{i}]")
    specs = []
    for i, bg in enumerate(file.blue_green):
        if bg.blue == bg.green:
            raise ConfigError(f"blue_green[{i}]: blue and green are both {bg.blue!r}")
        specs.append(BlueGreenSpec(bg.namespace, bg.service, bg.key, bg.blue, bg.green))
    profile, keys = _keys(file.keys)
    return Config(
        clusters=tuple(clusters),
        databases=file.databases,
        blue_green=tuple(specs) or (BlueGreenSpec(),),
        refresh_hz=file.refresh_hz,
        lag_threshold=file.lag_threshold,
        stale_after=file.stale_after,
        read_only=file.read_only,
        author=file.author,
        low_bandwidth=file.low_bandwidth,
        poll_seconds=file.poll_seconds,
        actions=file.actions,
        kubernetes=file.kubernetes,
        logs=file.logs,
        golden_signals=file.golden_signals,
        keys_profile=profile,
        keys=keys,
        ui=file.ui,
        path=path,
    )


def parse(data: dict[str, Any], path: str = "") -> Config:
    """Validate a parsed TOML document into a Config; ConfigError (one line) if it is not one."""
    where = _shown(path) if not path.isprintable() else (path or "config")
    try:
        _check_keys_table(data.get("keys"))
        return _relate(msgspec.convert(data, ConfigFile), data, path)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{where}: {_message(exc, data)}") from None
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def check_context(name: str, where: str = "--context") -> str:
    """A context name from a flag, held to the config's rule (its parts reach API paths)."""
    if len(name) > 512 or not _CONTEXT.match(name):
        _, rule = _type_at(["clusters", 0, "context"])
        raise ConfigError(f"{where} {_shown(name)} is not {rule}")
    return name


def schema_keys() -> list[str]:
    """Every key the file may hold, dotted (``clusters.namespaces``), for docs and tests."""
    import msgspec.inspect as mi

    def walk(node: Any, prefix: str) -> list[str]:
        while isinstance(node, mi.Metadata | mi.UnionType | mi.VarTupleType):
            if isinstance(node, mi.Metadata):
                node = node.type
            elif isinstance(node, mi.UnionType):
                node = next(t for t in node.types if not isinstance(t, mi.NoneType))
            else:
                node = node.item_type
        if not isinstance(node, mi.StructType):
            return [prefix]
        out = []
        for f in node.fields:
            out.extend(walk(f.type, f"{prefix}.{f.encode_name}" if prefix else f.encode_name))
        return out

    return walk(mi.type_info(ConfigFile), "")


def load(path: str | Path | None = None) -> Config:
    """Read and validate the config file; a missing default file means the defaults."""
    explicit = path is not None or bool(os.environ.get("WUNDR_TUI_CONFIG"))
    p = Path(path) if path is not None else default_path()
    shown = str(p) if str(p).isprintable() else _shown(str(p))
    try:
        with p.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"config file not found: {shown}") from None
        return Config()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {shown}: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(f"{shown}: over {MAX_FILE_BYTES >> 20} MiB; not a config file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    return parse(data, str(p))
