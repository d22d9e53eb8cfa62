"""The one retry policy (backends.retry): full jitter between the base and a doubling, capped
ceiling; the kube watches, log streams and poll loop all use it."""

from __future__ import annotations

import random
import statistics

from wundr_tui.backends import polling
from wundr_tui.backends.kube import logs, watch
from wundr_tui.backends.retry import backoff


def _draws(attempt: int, base: float, cap: float, n: int = 2000) -> list[float]:
    rng = random.Random(attempt)
    return [backoff(attempt, base=base, cap=cap, rng=rng) for _ in range(n)]


def test_the_ceiling_doubles_from_twice_the_base_to_the_cap() -> None:
    """Each attempt's draws stay in [base, min(cap, base * 2**attempt)] and reach near both
    ends (full jitter: the whole range, not a wobble around the ceiling)."""
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (40, 30.0)]:
        draws = _draws(attempt, base=0.5, cap=30.0)
        assert min(draws) >= 0.5 and max(draws) <= ceiling, attempt
        span = ceiling - 0.5
        assert min(draws) < 0.5 + span * 0.05 and max(draws) > ceiling - span * 0.05, attempt


def test_jitter_is_spread_evenly_so_clients_that_failed_together_do_not_retry_together() -> None:
    """At the cap the mean is halfway between base and cap, and the draws rarely repeat."""
    draws = _draws(30, base=10.0, cap=300.0)
    assert abs(statistics.mean(draws) - 155.0) < 10.0
    assert len({round(d, 2) for d in draws}) > 1800


def test_huge_attempt_counts_and_odd_settings_do_not_overflow_or_go_below_zero() -> None:
    assert 1.0 <= backoff(10**9, base=1.0, cap=60.0) <= 60.0
    assert backoff(0, base=2.0, cap=10.0) >= 2.0  # "no failure yet" is treated as the first
    assert backoff(3, base=5.0, cap=1.0) == 1.0  # a cap under the base wins


def test_every_source_uses_this_policy_and_no_other() -> None:
    """The kube watch, the log streamer and the poll loop call the one function; the ad-hoc
    policies they had (equal jitter in kube, ±20 % in polling) are gone."""
    for module in (polling, watch, logs):
        assert module.backoff is backoff, module.__name__
    assert not hasattr(polling, "backoff_delay")
