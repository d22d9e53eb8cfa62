"""A missing server binary skips a test with the package to install, or fails under CI=true."""

from __future__ import annotations

import pytest

from tests.fakes.cloud_fixtures import start_or_skip
from tests.fakes.servers import ServerMissing, binary


def missing() -> None:
    raise ServerMissing("prometheus", "prometheus")


def test_missing_server_skips_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install prometheus"):
        start_or_skip(missing)


def test_missing_server_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        start_or_skip(missing)


def test_binary_lookup_names_the_debian_package() -> None:
    with pytest.raises(ServerMissing) as err:
        binary(
            "/nonexistent/alertmanager", "no-such-alertmanager-binary", "prometheus-alertmanager"
        )
    assert err.value.package == "prometheus-alertmanager"
    assert "apt-get install prometheus-alertmanager" in str(err.value)
