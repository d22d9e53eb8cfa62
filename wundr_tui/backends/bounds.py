"""Node-pool size rules every cloud shares, checked before any call is made."""

from __future__ import annotations

from wundr_tui.backends.base import OperationError


def validate_bounds(pool: str, min_size: int, max_size: int, desired: int) -> None:
    """Refuse sizes no cloud accepts, before any call is made."""
    if min(min_size, max_size, desired) < 0:
        raise OperationError(f"{pool}: sizes cannot be negative", status=422)
    if max_size < 1:
        raise OperationError(f"{pool}: max size must be at least 1", status=422)
    if not min_size <= desired <= max_size:
        raise OperationError(
            f"{pool}: need min ≤ desired ≤ max, got {min_size} ≤ {desired} ≤ {max_size}",
            status=422,
        )
