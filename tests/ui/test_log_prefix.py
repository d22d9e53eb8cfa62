"""At 80 columns a log line's prefix names its pod by the suffix that tells the group's pods
apart, so the line itself keeps most of the row."""

from __future__ import annotations

import pytest

from wundr_tui.widgets.log_view import short_pod


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("api-gateway-blue-d7rplc6qjg-jfwln", "…-jfwln"),
        ("setup-toolkit-5c9f7d-x2x8q", "…-x2x8q"),
        ("postgres-0", "postgres-0"),  # a StatefulSet's pod: already short, kept
        ("web", "web"),
        ("trailing-", "trailing-"),
    ],
)
def test_short_pod(name: str, short: str) -> None:
    assert short_pod(name) == short
