"""The one retry policy every source uses: exponential backoff with full jitter, capped.

After the ``attempt``-th failure in a row the wait is drawn uniformly from ``[base, ceiling]``
with ``ceiling = min(cap, base * 2**attempt)``: the first failure waits ``base`` to ``2 * base``,
the next up to ``4 * base`` and so on up to ``cap``. Full jitter (the whole range, not a ±20 %
wobble around the ceiling) spreads out the clients that failed together, so a recovering
apiserver or a throttled cloud API is not hit by all of them in the same second; the ``base``
floor means no source ever retries faster than its own first wait.

The kube watches (0.5 s to 30 s), the log streams (1 s to 10 s) and the poll loop of every
cloud, database and alert source (its interval to 5 minutes) all call :func:`backoff`.
"""

from __future__ import annotations

import random

__all__ = ["backoff"]


def backoff(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``attempt`` failures in a row (1 for the first failure)."""
    attempt = max(1, min(attempt, 60))  # 2**60 * base is past any cap; no float overflow
    floor = min(base, cap)
    ceiling = min(cap, base * 2.0**attempt)
    return (rng or random).uniform(floor, max(floor, ceiling))
