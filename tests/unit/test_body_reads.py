"""``body_reads``: a streamed body read past urllib3, one connection read per item, de-chunked
whatever the reads' boundaries; lengths and the end of the connection; broken framing is an
error, not a hang or a huge buffer."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wundr_tui.backends.kube.http import MAX_CHUNK_LINE, BrokenFraming, body_reads


class Reads(io.RawIOBase):
    """A connection that hands over the given pieces, one per read; past them, a read is the
    one a quiet stream would block in (here: an error, so a test sees it happen)."""

    def __init__(self, pieces: list[bytes], *, then_block: bool = False) -> None:
        self.pieces = list(pieces)
        self.then_block = then_block
        self.reads = 0

    def readable(self) -> bool:
        return True

    def readinto(self, into: Any) -> int:
        self.reads += 1
        if not self.pieces:
            if self.then_block:
                raise AssertionError("read the connection again: it would block here")
            return 0
        piece = self.pieces.pop(0)
        if len(into) < len(piece):
            self.pieces.insert(0, piece[len(into) :])
            piece = piece[: len(into)]
        into[: len(piece)] = piece
        return len(piece)


class Raw:
    """http.client's response as body_reads sees it: ``fp`` is the buffered socket reader."""

    def __init__(self, fp: Reads, *, chunked: bool, length: int | None = None) -> None:
        self.fp = io.BufferedReader(fp)
        self.chunked, self.length = chunked, length


class Resp:
    """What urllib3's HTTPResponse offers ``body_reads``: headers, ``_fp`` (http.client's
    response, whose ``fp`` is the buffered socket) and ``stream`` (the fallback)."""

    def __init__(self, raw: Raw | None, headers: dict[str, str] | None = None) -> None:
        self._fp, self.headers = raw, headers or {}
        self.streamed = False

    def stream(self, amt: int, decode_content: bool = True) -> Any:
        self.streamed = True
        yield b"via stream"


def chunked(parts: list[bytes]) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts if p) + b"0\r\n\r\n"


def cut(data: bytes, points: list[int]) -> list[bytes]:
    edges = sorted({0, len(data), *(p % (len(data) + 1) for p in points)})
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@given(
    parts=st.lists(st.binary(min_size=1, max_size=300), max_size=20),
    points=st.lists(st.integers(0, 10_000), max_size=30),
)
def test_chunks_are_joined_whatever_the_reads_cut(parts: list[bytes], points: list[int]) -> None:
    wire = chunked(parts)
    items = list(body_reads(Resp(Raw(Reads(cut(wire, points)), chunked=True))))
    assert b"".join(items) == b"".join(parts)
    assert len(items) <= len(cut(wire, points))  # never more items than reads


def test_one_read_holding_many_chunks_is_one_item() -> None:
    """What makes a busy log cheap: fifty flushed lines waiting in the socket come as one."""
    lines = [b"line %d\n" % i for i in range(50)]
    items = list(body_reads(Resp(Raw(Reads([chunked(lines)]), chunked=True))))
    assert items == [b"".join(lines)]


def test_chunk_extensions_and_upper_case_sizes() -> None:
    wire = b"A;name=value\r\n0123456789\r\n0\r\n\r\n"
    assert b"".join(body_reads(Resp(Raw(Reads([wire]), chunked=True)))) == b"0123456789"


def test_a_length_or_the_end_of_the_connection_ends_an_unchunked_body() -> None:
    resp = Resp(Raw(Reads([b"hello ", b"world", b"and more"]), chunked=False, length=11))
    assert b"".join(body_reads(resp)) == b"hello world"
    resp = Resp(Raw(Reads([b"until ", b"closed"]), chunked=False))
    assert b"".join(body_reads(resp)) == b"until closed"


@pytest.mark.parametrize(
    "wire",
    [b"zz\r\nabc\r\n", b"3\r\nabcXX", b"-5\r\nabc\r\n", b"1" * (MAX_CHUNK_LINE + 10)],
    ids=["bad size", "no crlf after data", "negative", "endless size line"],
)
def test_broken_framing_is_an_error(wire: bytes) -> None:
    with pytest.raises(BrokenFraming):
        list(body_reads(Resp(Raw(Reads([wire]), chunked=True))))


def test_a_cut_connection_ends_the_body_with_what_arrived() -> None:
    wire = b"5\r\nhello\r\n9\r\nhal"
    assert b"".join(body_reads(Resp(Raw(Reads([wire]), chunked=True)))) == b"hellohal"


def test_compressed_or_unknown_responses_go_through_urllib3() -> None:
    gz = Resp(Raw(Reads([b"x"]), chunked=True), {"Content-Encoding": "gzip"})
    assert list(body_reads(gz)) == [b"via stream"] and gz.streamed
    other = Resp(None)
    assert list(body_reads(other)) == [b"via stream"] and other.streamed


def test_what_came_with_the_headers_is_handed_over_without_waiting_for_more() -> None:
    """http.client reads the headers through the buffered reader, which then holds the first
    chunks too; they must come out at once, not after the connection's next read (which, on a
    quiet followed log, would block until the next line: the tail never showed)."""
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (b"tail 1\n", b"tail 2\n"))
    conn = Reads([head + body], then_block=True)
    raw = Raw(conn, chunked=True)
    while raw.fp.readline() not in (b"\r\n", b""):
        pass  # the headers, as http.client reads them
    items = body_reads(Resp(raw))
    assert next(items) == b"tail 1\ntail 2\n"
    assert conn.reads == 1
