"""Config: defaults, one typed schema, one-line messages that name the key, secrets refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wundr_tui import config as cfg

FILE = "/home/oncall/.config/wundr-tui/config.toml"
EKS = "arn:aws:eks:us-east-1:123456789012:cluster/wundr-production"
GKE = "gke_wundr-platform_us-central1_wundr-production"


def error(data: dict[str, Any]) -> str:
    """The one line a bad document gives (and that it is one line)."""
    with pytest.raises(cfg.ConfigError) as info:
        cfg.parse(data, FILE)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{FILE}: ")
    return message.removeprefix(f"{FILE}: ")


def test_missing_default_file_means_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WUNDR_TUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    c = cfg.load()
    assert c.refresh_hz == 4.0 and c.blue_green[0].service == "wundr-platform-service"


def test_env_var_overrides_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "c.toml"
    p.write_text(
        'refresh_hz = 8\n[[clusters]]\ncontext = "gke_wundr-p_us-central1_wundr-production"\n'
    )
    monkeypatch.setenv("WUNDR_TUI_CONFIG", str(p))
    c = cfg.load()
    assert c.refresh_hz == 8.0
    assert c.clusters[0].production, "a name that says prod is production by default"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("refresh_hz = 'fast'", "refresh_hz: expected a number"),
        ("refresh_hz = 0", "greater than 0"),
        ("[[clusters]]\nbogus = 1\ncontext='x'", "unknown key 'bogus'"),
        ("[[clusters]]\nproduction = true", "missing 'context'"),
        ("[[databases]]\nengine='mysql'\ncluster='x'", "expected postgres, rds or cloudsql"),
        (
            "[[databases]]\nengine='postgres'\ncluster='x'\ndsn='host=a password=hunter2'",
            "do not put a password",
        ),
        ("this is = = not toml", "invalid TOML"),
    ],
)
def test_bad_config_is_one_readable_line(tmp_path: Path, text: str, needle: str) -> None:
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(cfg.ConfigError) as info:
        cfg.load(p)
    message = str(info.value)
    assert needle in message and "\n" not in message


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(cfg.ConfigError, match="not found"):
        cfg.load(tmp_path / "nope.toml")


# -- issue 10 class 3: strict and complete -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"read_onyl": True}, "unknown key 'read_onyl' (did you mean 'read_only'?)"),
        ({"refresh": "fast"}, "unknown key 'refresh' (did you mean 'refresh_hz'?)"),
        (
            {"clusters": [{"context": EKS, "namespace": ["a"]}]},
            "clusters[0]: unknown key 'namespace' (did you mean 'namespaces'?)",
        ),
        (
            {"databases": [{"engine": "rds", "cluster": EKS, "instanse": "db"}]},
            "databases[0]: unknown key 'instanse' (did you mean 'instance'?)",
        ),
        (
            {"blue_green": [{"servce": "web"}]},
            "blue_green[0]: unknown key 'servce' (did you mean 'service'?)",
        ),
        (
            {"poll_seconds": {"nodepool": 30}},
            "poll_seconds: unknown key 'nodepool' (did you mean 'nodepools'?)",
        ),
        (
            {"actions": {"revert": 30}},
            "actions: unknown key 'revert' (did you mean 'revert_seconds'?)",
        ),
    ],
)
def test_an_unknown_key_anywhere_is_named_with_the_nearest_known_one(
    data: dict[str, Any], expected: str
) -> None:
    assert error(data).startswith(expected)


def test_an_unknown_key_with_no_near_match_lists_the_known_ones() -> None:
    assert error({"zzz": 1}).startswith("unknown key 'zzz' (known keys: clusters, databases,")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"read_only": "yes"}, "read_only: expected true or false, got 'yes'"),
        ({"low_bandwidth": 1}, "low_bandwidth: expected true or false, got 1"),
        ({"refresh_hz": True}, "refresh_hz: expected a number, got True"),
        ({"author": 5}, "author: expected a string, got 5"),
        ({"clusters": {"context": EKS}}, "clusters: expected a list"),
        ({"clusters": [{"context": EKS, "namespaces": "wundr"}]}, "namespaces: expected a list"),
        ({"poll_seconds": 5}, "poll_seconds: expected a table, got 5"),
        ({"actions": {"revert_seconds": "2m"}}, "actions.revert_seconds: expected a number"),
    ],
)
def test_a_wrong_type_is_an_error_not_ignored(data: dict[str, Any], expected: str) -> None:
    assert expected in error(data)


NUMBERS: list[tuple[str, Any, str]] = [
    # key as shown, how to put a value there, its documented range
    ("refresh_hz", lambda v: {"refresh_hz": v}, "greater than 0 and at most 60"),
    ("lag_threshold", lambda v: {"lag_threshold": v}, "greater than 0 and at most 86400"),
    ("stale_after", lambda v: {"stale_after": v}, "at least 1 and at most 86400"),
    (
        "poll_seconds.nodepools",
        lambda v: {"poll_seconds": {"nodepools": v}},
        "at least 1 and at most 3600",
    ),
    (
        "poll_seconds.alerts",
        lambda v: {"poll_seconds": {"alerts": v}},
        "at least 1 and at most 3600",
    ),
    (
        "databases[0].poll_seconds",
        lambda v: {
            "databases": [
                {"engine": "postgres", "cluster": GKE, "dsn": "service=x", "poll_seconds": v}
            ]
        },
        "at least 1 and at most 3600",
    ),
    (
        "actions.revert_seconds",
        lambda v: {"actions": {"revert_seconds": v}},
        "greater than 0 and at most 3600",
    ),
    (
        "kubernetes.exec_timeout",
        lambda v: {"kubernetes": {"exec_timeout": v}},
        "at least 1 and at most 300",
    ),
]


@pytest.mark.parametrize(("key", "put", "rule"), NUMBERS, ids=[n[0] for n in NUMBERS])
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (-1, "-1"),
        (0, "0"),
        (10**6, "1000000"),
    ],
)
def test_every_number_is_finite_and_in_its_documented_range(
    key: str, put: Any, rule: str, value: Any, shown: str
) -> None:
    unit = "frames per second" if key == "refresh_hz" else "seconds"
    assert error(put(value)) == f"{key} = {shown} is out of range ({unit}: {rule})"


def test_a_number_inside_its_range_is_kept() -> None:
    c = cfg.parse(
        {
            "refresh_hz": 60,
            "lag_threshold": 0.5,
            "stale_after": 1,
            "poll_seconds": {"nodepools": 3600, "alerts": 1},
            "actions": {"revert_seconds": 0.5},
        }
    )
    assert (c.refresh_hz, c.lag_threshold, c.stale_after) == (60, 0.5, 1)
    assert (c.poll_seconds.nodepools, c.poll_seconds.alerts) == (3600, 1)
    assert c.actions.revert_seconds == 0.5


def test_revert_seconds_is_a_validated_field_of_config() -> None:
    assert cfg.Config().actions.revert_seconds == 120
    assert cfg.parse({"actions": {"revert_seconds": 45}}).actions.revert_seconds == 45
    assert error({"actions": {"revert_seconds": -1}}).startswith(
        "actions.revert_seconds = -1 is out of range"
    ), "-1 is an error, not a silent 120"


def test_a_hostile_key_or_value_stays_on_one_visible_line() -> None:
    assert error({"read_only\n\x1b[2J": True}).startswith("unknown key 'read_only\\n\\x1b[2J'")
    message = error({"author": "x" * 100_000})
    assert len(message) < 300
    assert "\u202e" not in error({"clusters": [{"context": "kind\u202e"}]})


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text("# padding\n" * 200_000)  # 2 MB of valid TOML
    with pytest.raises(cfg.ConfigError, match="over 1 MiB"):
        cfg.load(p)


# -- issue 10 class 4: names that reach request paths ---------------------------------------------


def cluster(**fields: Any) -> dict[str, Any]:
    return {"clusters": [{"context": EKS, **fields}]}


def database(**fields: Any) -> dict[str, Any]:
    return {"databases": [{"cluster": GKE, **fields}]}


SQL = {"engine": "cloudsql", "project": "wundr-platform", "instance": "wundr-postgres"}
RDS = {"engine": "rds", "region": "us-east-1", "instance": "wundr-postgres"}

BAD_NAMES = [
    (
        cluster(namespaces=["../../../api/v1/secrets"]),
        "clusters[0].namespaces[0]",
        "DNS-1123 label",
    ),
    (cluster(namespaces=["Wundr"]), "clusters[0].namespaces[0]", "DNS-1123 label"),
    (cluster(namespaces=["a" * 64]), "clusters[0].namespaces[0]", "DNS-1123 label"),
    (cluster(namespaces=["wundr\n"]), "clusters[0].namespaces[0]", "DNS-1123 label"),
    (cluster(namespaces=["a", "a"]), "clusters[0].namespaces", "twice"),
    (cluster(gcp_project="../../x"), "clusters[0].gcp_project", "GCP project id"),
    (cluster(prometheus="file:///etc/passwd"), "clusters[0].prometheus", "URL"),
    (cluster(alertmanager="http://a b"), "clusters[0].alertmanager", "URL"),
    (cluster(context="arn:aws:eks:us-east-1:123456789012:cluster/../../x"), "context", "EKS"),
    (cluster(context="arn:aws:eks:us-east-1:1:cluster/x"), "context", "EKS ARN"),
    (cluster(context="arn:aws:eks:../..:123456789012:cluster/x"), "context", "EKS ARN"),
    (cluster(context="gke_wundr-platform_us-central1_a/b"), "context", "gke_PROJECT"),
    (cluster(context="gke_../.._us-central1_x"), "context", "gke_PROJECT"),
    (cluster(context="gke_p_us-central1_x"), "context", "valid GCP ids"),
    (cluster(context="kind\x1b[2J"), "context", "printable"),
    ({"blue_green": [{"namespace": "../x"}]}, "blue_green[0].namespace", "DNS-1123 label"),
    ({"blue_green": [{"service": "1web"}]}, "blue_green[0].service", "DNS-1035 label"),
    ({"blue_green": [{"key": "a/b/c"}]}, "blue_green[0].key", "label key"),
    ({"blue_green": [{"blue": "a,b"}]}, "blue_green[0].blue", "label value"),
    ({"blue_green": [{"green": "x=y"}]}, "blue_green[0].green", "label value"),
    (database(**{**SQL, "instance": "../x"}), "databases[0].instance", "instance id"),
    (database(**{**SQL, "instance": "Wundr"}), "databases[0].instance", "Cloud SQL instance id"),
    (database(**{**SQL, "project": "p/../q"}), "databases[0].project", "GCP project id"),
    (database(**{**SQL, "region": "us-east-1"}), "databases[0].region", "GCP region"),
    (database(**{**RDS, "instance": "db--1"}), "databases[0].instance", "RDS DB instance"),
    (database(**{**RDS, "region": "evil.example.com/"}), "databases[0].region", "region name"),
    (database(**{**RDS, "region": "us-central1"}), "databases[0].region", "AWS region"),
    (database(cluster="gke_x_y_z/..", engine="postgres", dsn="service=a"), "cluster", "context"),
    (database(engine="cloudsql", instance="wundr-postgres"), "databases[0]", "needs 'project'"),
]


@pytest.mark.parametrize(("data", "key", "rule"), BAD_NAMES)
def test_a_name_that_reaches_a_request_path_follows_its_rule(
    data: dict[str, Any], key: str, rule: str
) -> None:
    message = error(data)
    assert key in message and rule in message


def test_valid_names_of_every_kind_are_accepted() -> None:
    c = cfg.parse(
        {
            "clusters": [
                {"context": EKS, "namespaces": ["wundr-platform", "velero", "0a"]},
                {"context": "arn:aws-us-gov:eks:us-gov-west-1:123456789012:cluster/Prod_1"},
                {"context": GKE, "gcp_project": "wundr-platform"},
                {"context": "gke_wundr-platform_europe-west1-b_zonal"},
                {"context": "kind-dev", "prometheus": "https://user@prom.internal:9090/x?y=1"},
                {"context": "my context (laptop)", "alertmanager": "http://[::1]:9093"},
            ],
            "databases": [
                {**RDS, "cluster": EKS, "instance": "arn:aws:rds:us-west-2:123456789012:db:dr"},
                {**SQL, "cluster": GKE, "region": "northamerica-northeast1"},
                {"engine": "postgres", "cluster": "kind-dev", "dsn": "service=a", "region": "lab"},
            ],
            "blue_green": [{"key": "app.kubernetes.io/track", "blue": "v1.2_a", "green": "B"}],
        }
    )
    assert len(c.clusters) == 6 and len(c.databases) == 3
    assert c.blue_green[0].key == "app.kubernetes.io/track"


def test_a_context_flag_is_held_to_the_same_rule() -> None:
    assert cfg.check_context(GKE) == GKE
    with pytest.raises(cfg.ConfigError, match=r"^--context 'gke_a_b_\.\./x' is not"):
        cfg.check_context("gke_a_b_../x")


@pytest.mark.parametrize(
    ("value", "shown"), [(float("nan"), "nan"), (-0.1, "-0.1"), (1.5, "1.5"), (100, "100")]
)
def test_blue_green_min_capacity_is_a_fraction(value: float, shown: str) -> None:
    """0 to 1 (a share, not a percentage): 100 is refused, not read as 100 %."""
    assert error({"actions": {"blue_green_min_capacity": value}}) == (
        f"actions.blue_green_min_capacity = {shown} is out of range "
        "(a fraction of the live colour's capacity, 0 to 1: at least 0 and at most 1)"
    )


def test_blue_green_min_capacity_default_and_kept() -> None:
    assert cfg.Config().actions.blue_green_min_capacity == 1.0
    kept = cfg.parse({"actions": {"blue_green_min_capacity": 0.75}})
    assert kept.actions.blue_green_min_capacity == 0.75
    assert (
        cfg.parse({"actions": {"blue_green_min_capacity": 0}}).actions.blue_green_min_capacity == 0
    )
