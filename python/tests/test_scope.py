"""scope: peaks seen through the library's sampler, hooks, nesting."""

from __future__ import annotations

import time

import numpy as np
import pytest

import headroom

MiB = 1 << 20


def test_peak_sees_a_freed_allocation() -> None:
    with headroom.scope("alloc", interval_ms=5) as measured:
        block = np.ones(200 * MiB, dtype=np.uint8)  # ones, not zeros: every page is touched
        time.sleep(0.1)
        del block
    assert measured.rss_before is not None and measured.rss_peak is not None and measured.rss_after is not None
    assert measured.rss_peak - measured.rss_before >= 190 * MiB
    assert measured.rss_growth == measured.rss_peak - measured.rss_before
    assert measured.samples >= 1 and measured.seconds > 0
    assert "alloc" in str(measured)


def test_hooks_run_in_reverse_order_errors_included() -> None:
    ran: list[str] = []
    with pytest.raises(KeyError), headroom.scope("hooks") as measured:
        measured.on_exit(ran.append, "first")
        measured.on_exit(lambda: ran.append("second"))
        raise KeyError("inside")
    assert ran == ["second", "first"]
    assert measured.rss_peak is not None  # measured even though the block failed


def test_scopes_nest() -> None:
    with headroom.scope("outer", interval_ms=50) as outer, headroom.scope("inner", interval_ms=1) as inner:
        block = np.ones(64 * MiB, dtype=np.uint8)
        time.sleep(0.02)
        del block
    assert inner.rss_peak is not None and outer.rss_peak is not None
    assert inner.rss_peak <= outer.rss_peak


@pytest.mark.parametrize("call, error", [
    (lambda: headroom.scope(interval_ms=0).__enter__(), ValueError),
    (lambda: headroom.scope(interval_ms=2.5).__enter__(), TypeError),
    (lambda: headroom.scope(5).__enter__(), TypeError),
])
def test_wrong_arguments(call, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        call()
