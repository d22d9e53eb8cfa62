"""wundr_tui/scope.py: favourite namespaces per context (bounded, read as untrusted, never
half written), context names, completion."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from wundr_tui.scope import (
    CONTEXTS_MAX,
    FAVOURITES_MAX,
    ContextName,
    Favourites,
    complete,
    find_context,
    split_command,
)


def test_last_used_first_bounded_and_saved(tmp_path: Path) -> None:
    path = tmp_path / "state" / "favourites.json"
    fav = Favourites(path)
    for i in range(FAVOURITES_MAX + 3):
        fav.used("ctx-a", f"ns-{i}")
    fav.used("ctx-a", "ns-5")
    fav.used(None, "kube-system")
    kept = fav.of("ctx-a")
    assert kept[0] == "ns-5" and len(kept) == FAVOURITES_MAX and kept.count("ns-5") == 1
    assert Favourites(path).of("ctx-a") == kept
    assert Favourites(path).of(None) == ["kube-system"]
    assert not list(path.parent.glob("*.tmp"))


def test_a_bad_file_is_read_as_untrusted(tmp_path: Path) -> None:
    path = tmp_path / "favourites.json"
    for text in ("", "{", "[]", '{"contexts": 3}', "\x00" * 10):
        path.write_text(text)
        assert Favourites(path).of("x") == []
    path.write_text(
        json.dumps({"contexts": {"c": ["ok", "Not Valid", 3, "\x1b[2J", "ok", "a" * 64, "fine-2"]}})
    )
    assert Favourites(path).of("c") == ["ok", "fine-2"]
    path.write_text(json.dumps({"contexts": {f"c{i}": ["ns"] for i in range(500)}}))
    fav = Favourites(path)
    assert sum(1 for i in range(500) if fav.of(f"c{i}")) == CONTEXTS_MAX
    path.write_bytes(b" " * (300 * 1024))
    assert Favourites(path).of("c") == []


def test_an_unwritable_state_dir_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    fav = Favourites(blocker / "favourites.json")  # a parent that is a file
    fav.used("c", "ns")
    assert fav.of("c") == ["ns"]


def test_contexts_by_tag_cluster_or_full_name() -> None:
    eks = ContextName("arn:aws:eks:us-east-1:1:cluster/prod", "eks", "prod")
    gke = ContextName("gke_p_europe-west1_prod", "gke", "prod")
    both = [eks, gke]
    assert find_context("eks", both) == [eks]
    assert find_context("gke_p_europe-west1_prod", both) == [gke]
    assert find_context("prod", both) == both  # ambiguous: the caller says so
    assert find_context("g", both) == [gke] and find_context("aks", both) == []


def test_split_command() -> None:
    assert split_command("ns team-a") == ("ns", "team-a")
    assert split_command("namespace   ") == ("ns", "")
    assert split_command("ctx all") == ("ctx", "all")
    assert split_command("pods") is None


@given(st.text(alphabet="abc-", max_size=4), st.lists(st.text(alphabet="abc-", max_size=6)))
def test_completion_extends_to_what_every_candidate_shares(typed: str, names: list[str]) -> None:
    done, found = complete(typed, names)
    assert found == list(dict.fromkeys(n for n in names if n.startswith(typed)))
    assert done.startswith(typed) and all(n.startswith(done) for n in found)
    if len(found) == 1:
        assert done == found[0]
