"""The import graph of ``wundr_tui``: no module takes part in an import circle.

import-linter's layers contract (``lint-imports``) keeps the order of the rooms; this test
catches what a layers contract cannot see: a circle inside one room (two screens importing
each other, a backend's modules importing each other), including imports made only for type
checking, which are where circles hide first.
"""

from __future__ import annotations

import grimp


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_finder_sees_a_circle() -> None:
    """The finder itself: a → b → c → a is one circle; d, importing into it, is not in it."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]


def test_no_import_circle_in_the_package() -> None:
    """Every module's direct imports (type-checking ones included) form no circle."""
    built = grimp.build_graph("wundr_tui", exclude_type_checking_imports=False)
    graph = {
        m: {i for i in built.find_modules_directly_imported_by(m) if i.startswith("wundr_tui")}
        for m in built.modules
    }
    circles = _circles(graph)
    assert not circles, "import circles: " + "; ".join(" ↔ ".join(c) for c in circles)
