"""RowFilter: the one-pass ``select`` over a table's rows agrees with ``keeps_hay`` row by row,
for every kind of filter and the namespace filter (the table uses one or the other)."""

from __future__ import annotations

import pytest

from tests.conftest import demo_store
from wundr_tui.matching import FilterError
from wundr_tui.model import Kind
from wundr_tui.widgets.rows import RowFilter, RowKey


@pytest.mark.parametrize(
    ("text", "namespace"),
    [
        ("api", None),
        ("!api", "wundr-platform"),
        ("~gateway-(blue|green)", None),
        ("!~gateway", None),
        ("-l app=api-gateway,environment!=production-green", None),
        ("-l !app", None),
        ("-l app in (analysis-engine, orders)", "wundr-platform"),
        ("-f anlyeng", None),
        ("", "kube-system"),
    ],
)
def test_select_agrees_with_keeps_hay(text: str, namespace: str | None) -> None:
    store = demo_store(120)
    objs: dict[RowKey, object] = {}
    hay: dict[RowKey, str] = {}
    for cluster, pod in store.all(Kind.POD):
        rk = (cluster, "pod", pod.key)
        objs[rk] = pod
        hay[rk] = f"{cluster} {pod.namespace} {pod.name} {pod.status} {pod.node}".lower()
    flt = RowFilter(text, None, namespace)
    keys = list(objs)
    chosen = flt.select(keys, hay, objs)
    assert chosen == [rk for rk in keys if flt.keeps_hay(rk[0], hay[rk], objs[rk])]
    assert 0 < len(chosen) < len(keys)


def test_a_filter_that_cannot_be_applied_raises() -> None:
    with pytest.raises(FilterError):
        RowFilter("~(")
