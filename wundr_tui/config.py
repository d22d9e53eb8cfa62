"""Configuration: TOML at ``$XDG_CONFIG_HOME/wundr-tui/config.toml`` (or ``$WUNDR_TUI_CONFIG``),
validated into frozen dataclasses with one-line error messages. No secrets live here: database
passwords come only from libpq's own mechanisms (.pgpass, PGPASSWORD, service files)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wundr_tui.model import BlueGreenSpec


class ConfigError(Exception):
    """The configuration is unusable; ``str()`` is one readable line."""


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """One Kubernetes context to watch, and what belongs to it."""

    context: str
    """kubeconfig context name (EKS ARN, ``gke_PROJECT_LOCATION_NAME`` or anything)."""
    production: bool = False
    """Actions on it need the cluster name typed to confirm. Default: the name says prod."""
    read_only: bool = False
    namespaces: tuple[str, ...] = ()
    """Watch only these namespaces; empty means cluster-wide."""
    prometheus: str = ""
    """Prometheus base URL for this cluster's alerts."""
    alertmanager: str = ""
    """Alertmanager base URL (API v2) for this cluster's alerts and silences."""
    aws_profile: str = ""
    """boto3 profile for EKS / RDS / CloudWatch calls; blank: boto3's default chain."""
    gcp_project: str = ""
    """GCP project (GKE); blank: parsed from the context name."""


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """One replication topology to watch."""

    engine: str
    """``postgres``, ``rds`` or ``cloudsql``."""
    cluster: str
    """Context name the links are shown under (its cluster bar entry)."""
    name: str = ""
    dsn: str = ""
    """postgres: libpq connection string of the primary (``service=NAME`` works); no password."""
    replica_dsns: tuple[str, ...] = ()
    """postgres: optional replica connection strings (for replay LSN and timestamp)."""
    region: str = ""
    """rds: AWS region of the primary; cloudsql: region of the primary."""
    instance: str = ""
    """rds: DB instance identifier of the primary; cloudsql: instance name."""
    project: str = ""
    """cloudsql: GCP project."""
    poll_seconds: float = 0.0
    """0: the backend's default."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything wundr-tui is told, after the file, the environment and the flags."""

    clusters: tuple[ClusterConfig, ...] = ()
    databases: tuple[DatabaseConfig, ...] = ()
    blue_green: tuple[BlueGreenSpec, ...] = (BlueGreenSpec(),)
    refresh_hz: float = 4.0
    """Frames per second: how often queued events are applied and painted."""
    lag_threshold: float = 30.0
    stale_after: float = 90.0
    read_only: bool = False
    author: str = ""
    """Who silences are created by; blank: ``$USER``."""
    low_bandwidth: bool | None = None
    """None: automatic (on when ``$SSH_CONNECTION`` is set)."""
    path: str = ""
    """The file this came from, if any."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Sections this version does not know, kept for later versions' backends."""


def default_path() -> Path:
    """Where the config file is looked for."""
    env = os.environ.get("WUNDR_TUI_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "wundr-tui" / "config.toml"


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__
        names = names.replace("str", "a string").replace("bool", "true/false")
        names = names.replace("int", "a number").replace("float", "a number")
        names = names.replace("list", "a list").replace("dict", "a table")
        raise ConfigError(f"{where}: expected {names}, got {value!r}")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = _expect(value, list, where)
    return tuple(_expect(v, str, f"{where}[{i}]") for i, v in enumerate(items))


def _table(cls: type, data: Any, where: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """Check one TOML table against a dataclass's fields (unknown keys are errors)."""
    _expect(data, dict, where)
    fields = {f: t for f, t in cls.__annotations__.items()}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"{where}: unknown key {key!r} (known: {known})")
        typ = fields[key]
        at = f"{where}.{key}"
        if "tuple[str" in typ:
            out[key] = _strings(value, at)
        elif typ.startswith("bool"):
            out[key] = _expect(value, bool, at)
        elif typ.startswith("float"):
            out[key] = float(_expect(value, (int, float), at))
        elif typ.startswith("str"):
            out[key] = _expect(value, str, at)
        else:
            out[key] = value
    for key in required:
        if not out.get(key):
            raise ConfigError(f"{where}: missing {key!r}")
    return out


_TOP_KEYS = {
    "clusters",
    "databases",
    "blue_green",
    "refresh_hz",
    "lag_threshold",
    "stale_after",
    "read_only",
    "author",
    "low_bandwidth",
}


def parse(data: dict[str, Any], path: str = "") -> Config:
    """Validate a parsed TOML document into a Config."""
    where = path or "config"
    extra = {k: v for k, v in data.items() if k not in _TOP_KEYS}
    clusters = []
    for i, item in enumerate(_expect(data.get("clusters", []), list, f"{where}: clusters")):
        fields = _table(ClusterConfig, item, f"{where}: clusters[{i}]", ("context",))
        if "production" not in fields:
            fields["production"] = "prod" in fields["context"].lower()
        clusters.append(ClusterConfig(**fields))
    names = [c.context for c in clusters]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{where}: cluster {name!r} is listed twice")
    databases = []
    for i, item in enumerate(_expect(data.get("databases", []), list, f"{where}: databases")):
        at = f"{where}: databases[{i}]"
        fields = _table(DatabaseConfig, item, at, ("engine", "cluster"))
        if fields["engine"] not in ("postgres", "rds", "cloudsql"):
            raise ConfigError(f"{at}.engine: expected postgres, rds or cloudsql")
        if fields["engine"] == "postgres" and not fields.get("dsn"):
            raise ConfigError(f"{at}: a postgres database needs 'dsn'")
        if fields["engine"] in ("rds", "cloudsql") and not fields.get("instance"):
            raise ConfigError(f"{at}: an {fields['engine']} database needs 'instance'")
        for dsn in (fields.get("dsn", ""), *fields.get("replica_dsns", ())):
            if "password" in dsn.lower():
                raise ConfigError(
                    f"{at}: do not put a password in the config; use ~/.pgpass or PGPASSWORD"
                )
        databases.append(DatabaseConfig(**fields))
    specs = []
    bg_raw = _expect(data.get("blue_green") or [], list, f"{where}: blue_green")
    for i, item in enumerate(bg_raw):
        specs.append(BlueGreenSpec(**_table(BlueGreenSpec, item, f"{where}: blue_green[{i}]")))
    config = Config(
        clusters=tuple(clusters),
        databases=tuple(databases),
        blue_green=tuple(specs) if specs else (BlueGreenSpec(),),
        path=path,
        extra=extra,
    )
    numbers: dict[str, Any] = {}
    for key in ("refresh_hz", "lag_threshold", "stale_after"):
        if key in data:
            value = float(_expect(data[key], (int, float), f"{where}: {key}"))
            if value <= 0:
                raise ConfigError(f"{where}: {key} must be greater than 0, got {value:g}")
            numbers[key] = value
    if numbers.get("refresh_hz", 4.0) > 60:
        raise ConfigError(f"{where}: refresh_hz must be at most 60")
    flags: dict[str, Any] = {}
    for key in ("read_only", "low_bandwidth"):
        if key in data:
            flags[key] = _expect(data[key], bool, f"{where}: {key}")
    if "author" in data:
        flags["author"] = _expect(data["author"], str, f"{where}: author")
    return replace(config, **numbers, **flags)


def load(path: str | Path | None = None) -> Config:
    """Read and validate the config file; a missing default file means the defaults."""
    explicit = path is not None or bool(os.environ.get("WUNDR_TUI_CONFIG"))
    p = Path(path) if path is not None else default_path()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"config file not found: {p}") from None
        return Config()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}") from None
    return parse(data, str(p))
