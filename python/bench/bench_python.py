"""Benchmarks of the Python package against what people use instead, printed side by side.

    python bench/bench_python.py            (with headroom-mem installed; psutil and cachetools when present)
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Optional

import headroom

WIDTH = 50


def row(label: str, ours: str, theirs: str = "", note: str = "") -> None:
    print(f"{label:<{WIDTH}} {ours:>16} {theirs:>18}  {note}")


def import_seconds(module: str, runs: int = 20) -> Optional[float]:
    """The median time of `import module` in a fresh interpreter, or None when it is not installed."""
    if importlib.util.find_spec(module) is None:
        return None
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    # From a neutral folder: `-c` puts the working directory first on sys.path, and python/ holds the source tree.
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  env=env, cwd=tempfile.gettempdir()).stdout) for _ in range(runs)]
    return statistics.median(times)


def median_seconds(function: Callable[[], Any], runs: int = 50) -> float:
    function()  # warm up: the library loads, files open
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def psutil_equivalent() -> Optional[Callable[[], Any]]:
    """What diagnose reads, asked of psutil: host and swap memory, this process's RSS and PSS, CPUs."""
    if importlib.util.find_spec("psutil") is None:
        return None
    import psutil

    def probe() -> Any:
        process = psutil.Process()
        return (psutil.virtual_memory(), psutil.swap_memory(), process.memory_full_info(), process.children(True),
                psutil.cpu_count(), psutil.cpu_count(logical=False), process.cpu_affinity())

    return probe


def zipf_trace(keys: int, requests: int, exponent: float = 0.9, seed: int = 7) -> list[int]:
    weights = list(itertools.accumulate(1.0 / rank ** exponent for rank in range(1, keys + 1)))
    return random.Random(seed).choices(range(keys), cum_weights=weights, k=requests)


def replay(get: Callable[[int], Any], put: Callable[[int, int], Any], trace: list[int]) -> tuple[float, float]:
    """Operations per second (gets and puts) and the hit rate, one thread."""
    hits = operations = 0
    started = time.perf_counter()
    for key in trace:
        operations += 1
        if get(key) is not None:
            hits += 1
        else:
            put(key, key)
            operations += 1
    return operations / (time.perf_counter() - started), hits / len(trace)


def ratio(ours: float, theirs: Optional[float]) -> str:
    return f"{theirs / ours:.2f}x theirs/ours" if theirs else ""


def main() -> None:
    print(f"Python {sys.version.split()[0]} · headroom-mem {headroom.__version__} · {os.cpu_count()} CPUs")
    row("", "headroom", "other")

    ours_import = import_seconds("headroom")
    assert ours_import is not None
    for other in ("nvitop", "accelerate"):
        seconds = import_seconds(other)
        row(f"import (median of 20, fresh process) vs {other}", f"{ours_import * 1e3:.1f} ms",
            f"{seconds * 1e3:.1f} ms" if seconds is not None else "not installed")

    ours = median_seconds(headroom.diagnose)
    probe = psutil_equivalent()
    theirs = median_seconds(probe) if probe else None
    row("diagnose() in process vs psutil calls", f"{ours * 1e3:.2f} ms",
        f"{theirs * 1e3:.2f} ms" if theirs else "not installed", ratio(ours, theirs))

    def read_rollup() -> bytes:
        with open("/proc/self/smaps_rollup", "rb") as file:
            return file.read()

    if os.path.exists("/proc/self/smaps_rollup"):
        rollup = median_seconds(read_rollup)
        row("  of which the kernel's PSS walk (smaps_rollup)", f"{rollup * 1e3:.2f} ms", "",
            f"floor of both; 10x would need {theirs / 10 * 1e3:.2f} ms" if theirs else "")

    trace = zipf_trace(10_000, 100_000)
    cache = headroom.Cache("bench", 500, cost=lambda value: 1)
    ops, rate = replay(cache.get, cache.put, trace)
    lru_ops, lru_rate = None, None
    if importlib.util.find_spec("cachetools") is not None:
        import cachetools

        lru = cachetools.LRUCache(maxsize=500)
        lru_ops, lru_rate = replay(lru.get, lru.__setitem__, trace)
    row("Cache get/put, one thread (ops/s) vs LRUCache", f"{ops:,.0f}",
        f"{lru_ops:,.0f}" if lru_ops else "not installed", f"ours/theirs {ops / lru_ops:.2f}" if lru_ops else "")
    row("hit rate, Zipf 0.9, 10k keys, 100k requests", f"{rate:.1%}",
        f"{lru_rate:.1%}" if lru_rate is not None else "not installed", "capacity 5% of the keys")

    # What a pipeline sees: each miss computes its value (SHA-256 of 64 KiB, tens of µs, a small
    # stand-in for a decode or a crop), so the hit rate, not the cost of a cache operation, sets the pace.
    payload = bytes(64 * 1024)

    def computed(put: Callable[[int, Any], Any]) -> Callable[[int, int], Any]:
        return lambda key, _: put(key, hashlib.sha256(payload + key.to_bytes(8, "little")).digest())

    cache = headroom.Cache("bench", 500, cost=lambda value: 1)
    started = time.perf_counter()
    replay(cache.get, computed(cache.put), trace)
    ours_rate = len(trace) / (time.perf_counter() - started)
    if importlib.util.find_spec("cachetools") is not None:
        lru = cachetools.LRUCache(maxsize=500)
        started = time.perf_counter()
        replay(lru.get, computed(lru.__setitem__), trace)
        lru_rate = len(trace) / (time.perf_counter() - started)
        row("requests/s when a miss computes (SHA-256 of 64 KiB)", f"{ours_rate:,.0f}", f"{lru_rate:,.0f}",
            f"ours/theirs {ours_rate / lru_rate:.2f}")

    items = list(range(1_000_000))
    started = time.perf_counter()
    result = headroom.batched(lambda batch: batch, items, start=1000, max_size=1000)
    batched_seconds = time.perf_counter() - started
    started = time.perf_counter()
    plain: list[int] = []
    for first in range(0, len(items), 1000):
        plain.extend((lambda batch: batch)(items[first:first + 1000]))
    plain_seconds = time.perf_counter() - started
    assert result == plain
    overhead = (batched_seconds - plain_seconds) * 1e6 / len(items)
    row("batched no-op, 1M items at 1000", f"{batched_seconds:.3f} s", f"{plain_seconds:.3f} s plain loop",
        f"overhead {overhead:.3f} µs/item")


if __name__ == "__main__":
    main()
