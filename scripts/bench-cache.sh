#!/usr/bin/env bash
# Compares HeadroomCache with libCacheSim's reference policies (LRU, ARC, S3FIFO,
# WTinyLFU, Belady) on generated traces, and its throughput with Foundation's
# NSCache and Python's cachetools.LRUCache; prints both tables and a verdict on
# the issue's bars. Traces are generated from fixed seeds, so hit rates are the
# same on every run; throughput depends on the machine.
#
#   scripts/bench-cache.sh                   (traces and figures under .build-bench-cache/)
#   scripts/bench-cache.sh --test-reference  regenerates Tests/HeadroomCacheTests/ReferenceHitRates.swift:
#                                            libCacheSim on the tests' small traces (CacheTraceScale.test)
#
# The benchmark is its own package (Benchmarks/), so `swift test` never builds it.
set -euo pipefail
cd "$(dirname "$0")/.."

# libCacheSim and cachetools from PyPI, if missing (a system Python may need --break-system-packages).
if ! python3 -c 'import libcachesim, cachetools' 2>/dev/null; then
    pip install --quiet libcachesim cachetools 2>/dev/null \
        || pip install --quiet --break-system-packages libcachesim cachetools
fi

work=.build-bench-cache
mkdir -p "$work"
swift build -c release --package-path Benchmarks --product cache-benchmark
bin="$(swift build -c release --package-path Benchmarks --show-bin-path)/cache-benchmark"
if [ "${1:-}" = "--test-reference" ]; then
    "$bin" generate-tests "$work/tests" >/dev/null
    exec python3 scripts/cache-reference.py --tests "$work/tests" Tests/HeadroomCacheTests/ReferenceHitRates.swift
fi
"$bin" generate "$work" >/dev/null
python3 scripts/cache-reference.py "$work"
exec "$bin" report "$work"
