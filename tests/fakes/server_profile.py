"""How fast the fake apiserver answers: ``FAST`` for the tests, ``CALIBRATED`` for the benches.

The fake builds a page of Table rows from cached bytes in a few milliseconds; a real
kube-apiserver converts each object to its Table row (the printer, then JSON) on every request,
so the fake alone makes the cockpit look faster than it is on a real cluster. ``CALIBRATED``
paces the fake's answers to what a real kube-apiserver v1.36.2 + etcd 3.6.13 took on this
machine kind (AMD EPYC, 2 vCPU; docs/performance.md, "A real kube-apiserver"): each answer is
held in the serving thread until the modelled time since the request came in has passed
(``list_due`` / ``watch_list_due``), so the figures do not depend on how fast the fake itself
is as long as it is faster than the model (bench/wire.py shows by how much: it is, except for
one unpaged list of 50,000, where the fake's own gzip and join take about as long). The sleep
is injectable (``FakeApiServer(sleep=...)``) so a test can count the pacing points without
waiting.

Derivation. The real figures come from one client (urllib + orjson, parse included, gzip on
lists), on 50,000 pods shaped as bench/real_apiserver.py makes them; bench/wire.py runs the
same client on the same pods against the fake, so what the real server itself took is the real
figure less what that client (and the fake's own work, which pacing hides) took against the
fast fake (2026-12-04, this machine, load average 2.5-4.6: 0.65-1.9 s for pages of 500 with
the row cache warm; runs on a shared machine vary by ±30 %, so the figures are rounded to the
middle of the runs and checked by running bench/wire.py again with the profile on):

* **List, Table ``includeObject=Metadata``, pages of 500** (the cockpit's paged path; kubectl
  pages by 500 too): 50,000 pods in 3.09 s and 2.81 s, first answer 0.03 s: 28-31 ms a page.
  The client takes ~10-15 ms of a page (a new connection, gunzip, orjson of 500 rows of
  ~1.1 KB with the garbage collector on), so the server takes ~18 ms a page of 500:
  ``list_seconds`` + 500 x ``metadata_row_seconds`` = 4 ms + 500 x 28 µs.
* **Fixed cost of a list answer** (``list_seconds``): issue 16's run (a slower day: the same
  pages of 500 took 5.7-6.1 s there, 2x) has Table ``includeObject=None`` in pages of 500 at
  1.3 s and as one list at 0.28 s. Halved to this day: 0.65 s / 100 pages = 6.5 ms a page, of
  which 500 objects at 0.14 s / 50,000 = 2.8 µs each (``none_row_seconds``) are 1.4 ms: ~5 ms
  a page, ~1 ms of it the client's round trip: 4 ms.
* Plain JSON lists and ``includeObject=Object`` are not in the recorded figures; they are
  modelled as Metadata rows (the real server's cost is the conversion and the JSON encoding of
  the object, which for Metadata rows is most of it).
* **Large answers cost more per object**: in issue 16's run, pages of 5,000 took 6.9 s and one
  list 7.1 s against 5.9 s for pages of 500 (1.17x and 1.20x in all; halved: 3.45 s and
  3.55 s). Less the client's share (~1.5 s for 50,000 rows in large answers) and the fixed
  costs saved, the server's per-object cost is ~1.5x in answers of 5,000 Metadata rows or more
  (``large_answer_factor``, rising with log(objects) from 500; not for ``None`` rows, whose one
  list is the cheapest per object). The first answer of one list is the whole list (the real
  server writes an answer when it is built; so does the fake).
* **Watch-list** (``sendInitialEvents=true``, Table ``includeObject=Metadata``): first event
  0.03 s (``watch_list_first_seconds`` = 25 ms: the consistent read of the current
  resourceVersion from etcd, then the watch cache catching up to it), end bookmark after
  1.83 s and 0.98 s in the two runs, mean 1.4 s. The stream overlaps the client's reading, so
  the server's pace is the whole: 1.4 s / 50,000 = 27 µs an object (``watch_list_row_seconds``).
  Watch streams are not compressed in 1.36 (see apiserver.py).
* **Bookmarks**: the watch cache sends one to every watcher that allows them about once a
  minute (``bookmarkFrequency``, cacher.go) and one 2 s before the watch's deadline
  (``cacheWatcher.nextBookmarkTime``), whatever else the watch is sending; the fast profile
  sends them only when a watch is idle, every ``bookmark_seconds`` (1 s by default: tests).
* **Page size**: the real server honours any ``limit``; the fast profile caps pages at 5,000.
* **Gzip**: the fake already compresses as the real one (answers over 128 KiB, level 1, never
  watch streams) in both profiles.

The result, bench/wire.py at 50,000 pods, two rounds (real in brackets): pages of 500 2.90 /
2.75 s (3.09 / 2.81 s), watch-list 1.38 / 1.38 s (1.83 / 0.98 s), first answers 0.02-0.03 s
(0.03 s); docs/performance.md has the whole table. Pods of the test platform (~1.5 KB of
metadata, twice the bench's) are paced the same per object: the model does not scale with
size, so on them the calibrated fake is if anything kinder than a real server.

Not modelled: the watch events after the initial state (the real watch cache sends a change
within milliseconds; the fake does too), request admission and priority-and-fairness queuing
(one client here), TLS (the fake is plain http; its cost is in the figures above).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerProfile:
    """What a list or a watch-list costs on the server, and how bookmarks come (see module)."""

    name: str
    list_seconds: float = 0.0
    """Fixed cost of a list answer, from the request to its first byte."""
    metadata_row_seconds: float = 0.0
    """Per object of a Table ``includeObject=Metadata`` answer (also plain lists, Object)."""
    none_row_seconds: float = 0.0
    """Per object of a Table ``includeObject=None`` answer."""
    large_answer_factor: float = 1.0
    """Per-object cost multiplier for answers of ``large_answer_from`` objects or more."""
    small_answer_to: int = 500
    """Answers up to this many objects cost the plain per-object figure."""
    large_answer_from: int = 5000
    """Answers from this many objects cost ``large_answer_factor`` times it (log between)."""
    watch_list_first_seconds: float = 0.0
    """Watch-list: from the request to the first ADDED event."""
    watch_list_row_seconds: float = 0.0
    """Watch-list: per object of the initial state."""
    pace_every: int = 200
    """Watch-list: events written between two pacing points."""
    bookmark_seconds: float | None = None
    """Seconds between bookmarks; None: the server's ``bookmark_seconds`` argument."""
    bookmark_before_deadline: float | None = None
    """Also one bookmark this long before a watch's deadline (None: not)."""
    bookmarks_while_busy: bool = False
    """Bookmarks come on time even while events flow (False: only on an idle watch)."""
    page_cap: int | None = None
    """Largest page served whatever ``limit`` asks; 0: none; None: the server's argument."""

    @property
    def paced(self) -> bool:
        """Whether answers are held at all (the fast profile never sleeps)."""
        return bool(
            self.list_seconds
            or self.metadata_row_seconds
            or self.none_row_seconds
            or self.watch_list_first_seconds
            or self.watch_list_row_seconds
        )

    def answer_factor(self, objects: int) -> float:
        """The per-object multiplier for an answer of ``objects`` objects."""
        if objects <= self.small_answer_to or self.large_answer_factor == 1.0:
            return 1.0
        if objects >= self.large_answer_from:
            return self.large_answer_factor
        share = math.log(objects / self.small_answer_to) / math.log(
            self.large_answer_from / self.small_answer_to
        )
        return 1.0 + (self.large_answer_factor - 1.0) * share

    def list_due(self, objects: int, include: str) -> float:
        """Seconds from a list request to its answer, ``include`` being the Table's
        ``includeObject`` (``None`` / ``Metadata`` / ``Object``) or blank for plain JSON."""
        if include == "None":  # a few cells a row: no large-answer cost measured
            return self.list_seconds + objects * self.none_row_seconds
        return self.list_seconds + objects * self.metadata_row_seconds * self.answer_factor(objects)

    def watch_list_due(self, sent: int) -> float:
        """Seconds from a watch-list request to its initial event number ``sent`` (0-based;
        ``sent`` = the number of objects: the end bookmark)."""
        return self.watch_list_first_seconds + sent * self.watch_list_row_seconds


FAST = ServerProfile("fast")
"""The tests' profile: answer as soon as the answer is built, bookmarks only on idle watches."""

CALIBRATED = ServerProfile(
    "calibrated",
    list_seconds=0.004,
    metadata_row_seconds=28e-6,
    none_row_seconds=2.8e-6,
    large_answer_factor=1.5,
    watch_list_first_seconds=0.025,
    watch_list_row_seconds=27e-6,
    bookmark_seconds=60.0,
    bookmark_before_deadline=2.0,
    bookmarks_while_busy=True,
    page_cap=0,
)
"""A real kube-apiserver v1.36.2 + etcd 3.6.13 on a 2-vCPU AMD EPYC (derivation above)."""

PROFILES: dict[str, ServerProfile] = {p.name: p for p in (FAST, CALIBRATED)}
"""By name, for command lines (``--profile``)."""
