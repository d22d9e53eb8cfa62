"""Response compression on the wire, as kube-apiserver does it: lists over 128 KiB are gzipped
for clients that send ``Accept-Encoding: gzip``; watch streams never are. The cockpit asks for
gzip on its lists (as kubectl does) and not on its watches."""

from __future__ import annotations

import dataclasses
import gzip
import http.client
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest

from tests.fakes import apiserver
from tests.fakes.apiserver import GZIP_THRESHOLD, FakeApiServer, wants_gzip, write_kubeconfig
from tests.fakes.k8s_objects import platform
from tests.fakes.kube_fixtures import FAST, KubeHarness
from wundr_tui.backends.kube import TABLE_ACCEPT, KubeHttp
from wundr_tui.backends.kube.contexts import cluster_for
from wundr_tui.model import Kind, Pod

CONTEXT = "bench-gzip"
PODS = 1200
"""Enough that a 500-pod page (Table rows or JSON) is well over 128 KiB."""
LIST = "/api/v1/pods?limit=500&includeObject=Metadata"


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApiServer]:
    """One fake apiserver with PODS pods and ``KUBECONFIG`` naming it."""
    server = FakeApiServer(platform("aws", pods=PODS), bookmark_seconds=0.3).start()
    path = write_kubeconfig(tmp_path / "kubeconfig", {CONTEXT: (server.url, "test-token")})
    monkeypatch.setenv("KUBECONFIG", str(path))
    yield server
    server.stop()


def _get(
    server: FakeApiServer, target: str, accept_encoding: str | None
) -> tuple[dict[str, str], bytes]:
    """One raw GET: (response headers, body exactly as it came off the socket)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    headers = {"Authorization": "Bearer test-token", "Accept": TABLE_ACCEPT}
    if accept_encoding is not None:
        headers["Accept-Encoding"] = accept_encoding
    conn.request("GET", target, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return {k.lower(): v for k, v in resp.getheaders()}, body


def _rows(page: dict[str, Any]) -> list[Any]:
    """A Table page's rows without the Age cell (two requests may straddle an age change)."""
    return [[c for i, c in enumerate(r["cells"]) if i != 4] + [r["object"]] for r in page["rows"]]


def test_accept_encoding_tokens_as_kube_apiserver_reads_them() -> None:
    assert wants_gzip("gzip")
    assert wants_gzip("deflate, gzip")
    assert wants_gzip("gzip, deflate, br")
    assert not wants_gzip("")
    assert not wants_gzip("identity")
    assert not wants_gzip("gzip;q=1.0")  # ContentEncodingSupported compares whole tokens


def test_a_big_list_is_gzipped_only_for_clients_that_ask(big: FakeApiServer) -> None:
    plain_headers, plain = _get(big, LIST, "identity")
    assert "content-encoding" not in plain_headers
    assert len(plain) > GZIP_THRESHOLD

    headers, wire = _get(big, LIST, "gzip")
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(wire)
    assert len(wire) < len(plain) / 4, "level-1 gzip of Table rows: far fewer bytes"
    page, plain_page = orjson.loads(gzip.decompress(wire)), orjson.loads(plain)
    assert _rows(page) == _rows(plain_page) and len(page["rows"]) == 500

    encodings = [r.encoding for r in big.requests() if r.path == "/api/v1/pods"]
    assert encodings == ["", "gzip"]


def test_small_answers_and_the_gate_off_are_not_gzipped(big: FakeApiServer) -> None:
    headers, body = _get(big, "/api/v1/pods?limit=5&includeObject=Metadata", "gzip")
    assert "content-encoding" not in headers and len(body) < GZIP_THRESHOLD
    headers, _ = _get(big, LIST, "gzip;q=1.0")
    assert "content-encoding" not in headers
    big.compression = False  # --feature-gates=APIResponseCompression=false
    headers, _ = _get(big, LIST, "gzip")
    assert "content-encoding" not in headers


def test_a_watch_is_never_gzipped(big: FakeApiServer) -> None:
    parts = urlsplit(big.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    conn.request(
        "GET",
        "/api/v1/pods?watch=true&timeoutSeconds=1&includeObject=Metadata",
        headers={
            "Authorization": "Bearer test-token",
            "Accept": TABLE_ACCEPT,
            "Accept-Encoding": "gzip",
        },
    )
    resp = conn.getresponse()
    key = big.state.keys("pods")[0]
    obj = big.state.get("pods", key)
    assert obj is not None

    def touch() -> None:
        # The watch may register a moment after its headers are sent: change the pod a few
        # times (bounded) so at least one change lands in the stream.
        for _ in range(5):
            big.state.put("pods", obj)
            time.sleep(0.1)

    toucher = threading.Thread(target=touch, daemon=True)
    toucher.start()
    body = resp.read()
    toucher.join(timeout=5)
    conn.close()
    assert resp.getheader("Content-Encoding") is None
    event = orjson.loads(body.splitlines()[0])
    assert event["type"] == "MODIFIED"
    assert event["object"]["rows"][0]["object"]["metadata"]["name"] == key.split("/")[1]


def test_our_lists_ask_for_gzip_and_our_watches_do_not(
    big: FakeApiServer, kube_harness: KubeHarness
) -> None:
    # Paged lists (as against a server without watch-list): kube-apiserver 1.36 gzips list
    # answers, never a watch stream, a watch-list's included.
    tuning = dataclasses.replace(FAST, page_size=500, watch_list=False)
    kube_harness.start(cluster_for(CONTEXT), tuning=tuning)
    total = len(big.state.keys("pods"))
    kube_harness.wait_for(lambda s: s.count(Kind.POD, CONTEXT) == total)
    kube_harness.wait_for(lambda s: big.open_watches("/api/v1/pods") == 1)
    key = big.state.keys("pods")[-1]
    obj = big.state.get("pods", key)
    assert obj is not None
    obj["status"]["containerStatuses"][0]["restartCount"] = 4242
    big.state.put("pods", obj)

    def restarted(store: object) -> bool:
        p = kube_harness.store.get(CONTEXT, Kind.POD, key)
        return isinstance(p, Pod) and p.restarts == 4242

    kube_harness.wait_for(restarted)
    kube_harness.close()

    pod_lists = [r for r in big.requests() if r.path == "/api/v1/pods" and "watch" not in r.query]
    assert len(pod_lists) == 3  # 1200+ pods in pages of 500
    assert all(r.accept_encoding == "gzip" for r in pod_lists)
    assert [r.encoding for r in pod_lists[:2]] == ["gzip", "gzip"]  # full pages are gzipped
    watches = [r for r in big.requests() if r.path == "/api/v1/pods" and "watch" in r.query]
    assert watches and all(r.encoding == "" for r in watches)
    assert all(r.accept_encoding != "gzip" for r in watches)


def test_gzip_and_identity_lists_give_the_same_pods(big: FakeApiServer) -> None:
    http = KubeHttp(CONTEXT)
    try:
        pages = {}
        for ask in (False, True):
            resp = http.request(
                "GET",
                "/api/v1/pods",
                [("limit", 500), ("includeObject", "Metadata")],
                accept=TABLE_ACCEPT,
                gzip=ask,
            )
            assert resp.headers.get("Content-Encoding") == ("gzip" if ask else None)
            pages[ask] = orjson.loads(http.read_all(resp))
        assert _rows(pages[True]) == _rows(pages[False])
    finally:
        http.close()


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_asks_for_gzip_and_reads_it(
    big: FakeApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Go client (kubectl: Go's transport adds ``Accept-Encoding: gzip``) gets gzipped pages
    and decodes them: the fake's gzip is what a real client expects."""
    original = apiserver._Handler._handle

    def anonymous_is_test_token(handler: Any, method: str) -> None:
        # kubectl sends no bearer token over plain http (as in bench/_world.py).
        if "Authorization" not in handler.headers:
            handler.headers["Authorization"] = "Bearer test-token"
        original(handler, method)

    monkeypatch.setattr(apiserver._Handler, "_handle", anonymous_is_test_token)
    out = subprocess.run(
        ["kubectl", "get", "pods", "-A", "--no-headers"],
        env={**os.environ, "HOME": str(Path(os.environ["KUBECONFIG"]).parent)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == len(big.state.keys("pods"))
    lists = [r for r in big.requests() if r.path == "/api/v1/pods"]
    assert lists and all(r.accept_encoding == "gzip" for r in lists)
    assert [r.encoding for r in lists[:2]] == ["gzip", "gzip"]
