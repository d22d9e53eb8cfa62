"""Names that go into request paths stay inside their own segment, whatever they hold."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wundr_tui.backends.kube import kinds
from wundr_tui.model import Kind

PODS = kinds.resource("pods")
DEPLOYMENTS = kinds.resource("deployments")
NODES = kinds.resource("nodes")

# Everything a config, a cluster or a dialog could put in a name, slashes and dots favoured.
names = st.text(
    alphabet=st.one_of(st.sampled_from("/.%?#;&=+ \\\x00\x1b"), st.characters()), max_size=40
)


def _unusable(text: str) -> bool:
    """Blank, a dot segment, or not encodable (lone surrogates)."""
    return text in ("", ".", "..") or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@given(namespace=names, name=names)
def test_every_name_is_exactly_one_segment(namespace: str, name: str) -> None:
    try:
        path = DEPLOYMENTS.object_path(namespace, name, "scale")
    except kinds.BadPathSegment:
        assert _unusable(namespace) or _unusable(name)
        return
    segments = path.split("/")
    assert segments[:5] == ["", "apis", "apps", "v1", "namespaces"]
    assert segments[6] == "deployments" and segments[8] == "scale" and len(segments) == 9
    assert unquote(segments[5]) == namespace and unquote(segments[7]) == name
    assert not set(segments[5] + segments[7]) & set("/?#")


@given(namespace=names)
def test_collection_paths_keep_the_namespace_in_its_segment(namespace: str) -> None:
    try:
        path = PODS.path(namespace)
    except kinds.BadPathSegment:
        assert namespace and _unusable(namespace)
        return
    if not namespace:
        assert path == "/api/v1/pods"
        return
    prefix, _, rest = path.partition("/namespaces/")
    assert prefix == "/api/v1"
    segment, _, plural = rest.partition("/")
    assert plural == "pods" and unquote(segment) == namespace


@pytest.mark.parametrize("bad", ["", ".", ".."])
def test_dot_segments_and_blanks_are_refused(bad: str) -> None:
    with pytest.raises(kinds.BadPathSegment, match="cannot be part of a request path"):
        DEPLOYMENTS.object_path(bad, "web")
    with pytest.raises(kinds.BadPathSegment):
        DEPLOYMENTS.object_path("shop", bad if bad else ".")


def test_cluster_wide_kinds_ignore_the_namespace() -> None:
    assert NODES.object_path("", "ip-10-0-0-1") == "/api/v1/nodes/ip-10-0-0-1"
    assert kinds.spec_for(Kind.NODE) is NODES
    assert PODS.path("../../../api/v1/secrets") == (
        "/api/v1/namespaces/..%2F..%2F..%2Fapi%2Fv1%2Fsecrets/pods"
    )
