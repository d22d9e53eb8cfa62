"""safe_text: what is escaped, what passes unchanged, and every string of an event made safe."""

from __future__ import annotations

import dataclasses

import pytest

from wundr_tui.events import ClusterSeen, Deleted, Health, Replaced, Upserted
from wundr_tui.model import (
    Alert,
    Cluster,
    Deployment,
    Hpa,
    HpaMetric,
    Kind,
    Pod,
    Restore,
    SourceHealth,
)
from wundr_tui.safe_text import is_safe, safe, safe_copy


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07"),
        ("\x00\x1f\x7f", "\\x00\\x1f\\x7f"),
        ("\x85\x9b\x9f", "\\x85\\x9b\\x9f"),  # C1: NEL, CSI, APC
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("\u202eevil\u202c", "\\u202eevil\\u202c"),
        ("\u200b\u200c\u200d\u200e\u200f", "\\u200b\\u200c\\u200d\\u200e\\u200f"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("\ufeffbom", "\\ufeffbom"),
        ("soft\xadhyphen", "soft\\xadhyphen"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("kube\xa0system\u3000x", "kube\\xa0system\\u3000x"),  # non-ASCII spaces
        ("\udcff\ud800", "\\udcff\\ud800"),  # unpaired surrogates (surrogateescape)
        ("tag\U000e0041", "tag\\U000e0041"),  # astral format character
        ("\ue000", "\\ue000"),  # private use
    ],
)
def test_controls_and_invisible_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert safe(raw) == shown
    assert is_safe(safe(raw))
    safe(raw).encode("utf-8")  # nothing a UTF-8 terminal could not be sent


@pytest.mark.parametrize(
    "text",
    [
        "",
        "api-gateway-7d9f8c6b5-x2x9z",
        "a lone \\ backslash and \\x1b as typed",
        "[bold]markup is a renderer's business[/]",
        "é ü ß Ω 日本語 한국어 e\u0301 (combining) 🙂",
        "<svg> & ]]> 'quotes\"",
    ],
)
def test_printable_text_comes_back_as_the_same_object(text: str) -> None:
    assert safe(text) is text


def test_escaping_twice_changes_nothing_more() -> None:
    once = safe("\x1b[31m\u202e\\x1b")
    assert safe(once) == once


def test_every_string_of_an_event_is_made_safe_and_clean_objects_are_kept() -> None:
    clean = Pod("ns", "clean", "Running", 1, 1, 0, 0.0)
    bad = Pod("ns\x1b", "p\u202e", "Crash\x07", 0, 1, 0, 0.0, node="n\n", owner="o\x9b")
    event = Replaced("c\x00", Kind.POD, (clean, bad))
    out = safe_copy(event)
    assert out.cluster == "c\\x00"
    assert out.items[0] is clean
    assert out.items[1] == Pod("ns\\x1b", "p\\u202e", "Crash\\x07", 0, 1, 0, 0.0, "n\\n", "o\\x9b")
    assert safe_copy(Replaced("c", Kind.POD, (clean,))).items[0] is clean


def test_labels_tuples_nested_dataclasses_and_health_reasons() -> None:
    dep = Deployment("ns", "d", 1, 1, 1, 1, pod_labels=(("k\x1b", "v\u202e"),))
    hpa = Hpa("ns", "h", "t", 1, 2, 1, 1, metrics=(HpaMetric("cpu\x07", 1.0, 2.0),))
    alert = Alert("a", "f", "critical", "firing", 0.0, silenced_by=("s\x1b",))
    restore = Restore("r", "b", "New", None, namespace_mapping=(("a\x1b", "b"),))
    assert safe_copy(Upserted("c", Kind.DEPLOYMENT, (dep,))).items[0].pod_labels == (
        ("k\\x1b", "v\\u202e"),
    )
    assert safe_copy(hpa).metrics[0].name == "cpu\\x07"
    assert safe_copy(alert).silenced_by == ("s\\x1b",)
    assert safe_copy(restore).namespace_mapping == (("a\\x1b", "b"),)
    health = SourceHealth("c", "kube/pods", "error", 0.0, "denied\x1b]0;x\x07", (Kind.POD,))
    assert safe_copy(Health(health)).health.reason == "denied\\x1b]0;x\\x07"
    assert safe_copy(Health(health)).health.kinds == (Kind.POD,)
    seen = safe_copy(ClusterSeen(Cluster("ctx\x1b", "aws", "us\u202e", "name")))
    assert (seen.cluster.name, seen.cluster.region) == ("ctx\\x1b", "us\\u202e")
    assert safe_copy(Deleted("c", Kind.POD, ("ns/p\x07",))).keys == ("ns/p\\x07",)


def test_dicts_keys_and_values_and_unknown_dataclasses_are_covered() -> None:
    @dataclasses.dataclass(frozen=True)
    class Later:
        """A model type added later: found by its annotations, nothing to register."""

        annotations: dict[str, str]
        message: str
        count: int = 0

    out = safe_copy(Later({"k\x1b": "v\x07"}, "m\u202e"))
    assert out == Later({"k\\x1b": "v\\x07"}, "m\\u202e")


def test_a_non_string_where_a_string_was_declared_is_left_alone() -> None:
    pod = Pod(5, "n\x1b", "Running", 1, 1, 0, 0.0)  # type: ignore[arg-type]
    assert safe_copy(pod) == Pod(5, "n\\x1b", "Running", 1, 1, 0, 0.0)  # type: ignore[arg-type]


def test_a_huge_string_is_escaped_whole() -> None:
    text = ("x" * 1000 + "\x1b") * 100
    out = safe(text)
    assert "\x1b" not in out
    assert len(out) == len(text) + 3 * 100


def test_the_pump_makes_every_event_safe_as_it_is_emitted() -> None:
    from wundr_tui.pump import EventPump

    pump = EventPump()
    pump.emit(Upserted("c", Kind.POD, (Pod("ns", "p\x1b[2J", "Running", 1, 1, 0, 0.0),)))
    pump.emit(Health(SourceHealth("c", "kube/pods", "error", 0.0, "x\x07")))
    upserted, health = pump.drain()
    assert isinstance(upserted, Upserted) and isinstance(health, Health)
    assert upserted.items[0].name == "p\\x1b[2J"
    assert health.health.reason == "x\\x07"
