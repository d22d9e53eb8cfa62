"""The actions' input rules as pure functions (no Textual): what each form accepts, and the
sentence it shows for what it refuses."""

from __future__ import annotations

import pytest

from wundr_tui.actions.base import InputError
from wundr_tui.actions.hpa import parse_hpa_bounds
from wundr_tui.actions.node_pool import node_limit, parse_node_pool
from wundr_tui.actions.scale import parse_replicas
from wundr_tui.actions.silence import parse_silence
from wundr_tui.actions.velero import parse_restore
from wundr_tui.model import Backup


def refused(call: object, *args: object) -> str:
    with pytest.raises(InputError) as caught:
        call(*args)  # type: ignore[operator]
    return str(caught.value)


def test_replicas() -> None:
    """0 to 1000, whole numbers, blanks around are fine."""
    assert parse_replicas(" 7 ") == 7
    assert parse_replicas("0") == 0
    assert refused(parse_replicas, "") == "replicas: enter a number"
    assert refused(parse_replicas, "2.5") == "replicas: '2.5' is not a whole number"
    assert refused(parse_replicas, "1001") == "replicas: must be between 0 and 1000, not 1001"
    assert refused(parse_replicas, "-1") == "replicas: must be between 0 and 1000, not -1"


def test_hpa_bounds() -> None:
    """Both from 1, min not above max."""
    assert parse_hpa_bounds("2", "10") == (2, 10)
    assert parse_hpa_bounds("5", "5") == (5, 5)
    assert refused(parse_hpa_bounds, "0", "3") == "min: must be between 1 and 1000, not 0"
    assert refused(parse_hpa_bounds, "6", "3") == "min (6) must not be more than max (3)"
    assert refused(parse_hpa_bounds, "1", "x") == "max: 'x' is not a whole number"


def test_node_pool_bounds_and_cloud_limits() -> None:
    """min ≤ desired ≤ max, max at least 1, and each cloud's own ceiling (EKS 450, GKE 1000,
    unknown clouds 1000)."""
    assert (node_limit("aws"), node_limit("gcp"), node_limit("other")) == (450, 1000, 1000)
    assert parse_node_pool("0", "10", "3", "aws") == (0, 10, 3)
    assert parse_node_pool("1", "1000", "1000", "gcp") == (1, 1000, 1000)
    assert refused(parse_node_pool, "0", "451", "3", "aws") == (
        "max: must be between 1 and 450, not 451"
    )
    assert (
        refused(parse_node_pool, "0", "0", "0", "gcp") == "max: must be between 1 and 1000, not 0"
    )
    assert refused(parse_node_pool, "4", "6", "3", "aws") == (
        "need min ≤ desired ≤ max, got 4 ≤ 3 ≤ 6"
    )
    assert refused(parse_node_pool, "0", "6", "7", "aws") == (
        "need min ≤ desired ≤ max, got 0 ≤ 7 ≤ 6"
    )


def test_silence_fields() -> None:
    """A duration from 1 minute to 14 days, a comment and an author, both trimmed."""
    assert parse_silence("2h", " deploying the fix ", " ana ") == (
        7200.0,
        "deploying the fix",
        "ana",
    )
    assert parse_silence("45", "why", "me")[0] == 45 * 60.0, "a bare number is minutes"
    assert parse_silence("1d", "why", "me")[0] == 86400.0
    assert (
        refused(parse_silence, "soon", "why", "me") == "duration: write 30m, 2h or 1d, not 'soon'"
    )
    assert refused(parse_silence, "30s", "why", "me") == "duration: between 1 minute and 14 days"
    assert refused(parse_silence, "15d", "why", "me") == "duration: between 1 minute and 14 days"
    assert refused(parse_silence, "2h", "  ", "me") == "comment: say why (it is shown to everyone)"
    assert refused(parse_silence, "2h", "why", "") == "author: who is silencing"


def test_restore_fields() -> None:
    """A known backup, DNS-label namespaces, an old=new mapping, a policy of none or update."""
    backup = Backup("daily-1", "Completed", 0.0, 60.0)
    known = {"daily-1": backup}
    assert parse_restore("daily-1", "a, b", "a=a-restore", "update", known) == (
        backup,
        ("a", "b"),
        {"a": "a-restore"},
        "update",
    )
    assert parse_restore("daily-1", "", "", "none", known) == (backup, (), {}, "none")
    assert refused(parse_restore, "gone", "", "", "none", known) == "pick a backup"
    assert refused(parse_restore, "daily-1", "Bad_NS", "", "none", known) == (
        "namespaces: 'Bad_NS' is not a valid namespace name"
    )
    assert refused(parse_restore, "daily-1", "", "a", "none", known) == (
        "mapping: write old=new, not 'a'"
    )
    assert refused(parse_restore, "daily-1", "", "a=b, a=c", "none", known) == (
        "mapping: a is mapped twice"
    )
    assert refused(parse_restore, "daily-1", "", "", "replace", known) == (
        "existing resources: none or update"
    )
