"""Pod labels cross the safe-text boundary like every other string: a page of clean pods
comes back as the same objects (the fast path), one hostile label value is escaped."""

from __future__ import annotations

from wundr_tui.events import Replaced
from wundr_tui.model import Kind, Pod, intern_labels
from wundr_tui.safe_text import is_safe, safe_copy


def _pods(n: int, labels: dict[str, str]) -> tuple[Pod, ...]:
    shared = intern_labels(labels)
    return tuple(Pod("ns", f"web-{i}", "Running", 1, 1, 0, 0.0, labels=shared) for i in range(n))


def test_clean_labels_keep_the_page_and_hostile_ones_are_escaped() -> None:
    page = Replaced("c", Kind.POD, _pods(50, {"app": "web"}))
    assert safe_copy(page) is page
    bad = _pods(49, {"app": "web"}) + _pods(1, {"app": "web\x1b]52;c;aGk=\x07", "\u202ek": "v"})
    out = safe_copy(Replaced("c", Kind.POD, bad))
    assert out.items[:49] == bad[:49]
    last = out.items[-1]
    assert isinstance(last, Pod)
    assert all(is_safe(k) and is_safe(v) for k, v in last.labels)
    assert ("app", "web\\x1b]52;c;aGk=\\x07") in last.labels
