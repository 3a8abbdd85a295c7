#!/usr/bin/env python3
"""Reference figures for scripts/bench-cache.sh: libCacheSim's hit rates for LRU,
ARC, S3FIFO, WTinyLFU and Belady on the traces cache-benchmark wrote, and the
throughput of cachetools.LRUCache on the Zipf 0.9 trace. Writes DIR/reference.json.

    python3 scripts/cache-reference.py DIR
"""
import json
import struct
import sys
import time

import cachetools
import libcachesim

TRACES = ["zipf-0.7", "zipf-0.9", "zipf-1.0", "zipf-0.9-scans", "shifting"]
POLICIES = ["LRU", "ARC", "S3FIFO", "WTinyLFU", "Belady"]
SIZES = [1, 5, 10]
KEY_SPACE = 100_000


def hit_rates(path):
    rates = {}
    for policy in POLICIES:
        rates[policy] = {}
        for percent in SIZES:
            reader = libcachesim.TraceReader(path, libcachesim.TraceType.ORACLE_GENERAL_TRACE,
                                             libcachesim.ReaderInitParam(ignore_obj_size=True))
            cache = getattr(libcachesim, policy)(cache_size=KEY_SPACE * percent // 100)
            miss_ratio, _ = cache.process_trace(reader)
            rates[policy][str(percent)] = (1 - miss_ratio) * 100
    return rates


def read_ids(path):
    with open(path, "rb") as f:
        data = f.read()
    return [struct.unpack_from("<Q", data, i + 4)[0] - 1 for i in range(0, len(data), 24)]


def cachetools_throughput(ids, size):
    cache = cachetools.LRUCache(maxsize=size)
    operations = 0
    start = time.perf_counter()
    for key in ids:
        operations += 1
        if cache.get(key) is None:
            cache[key] = key
            operations += 1
    return operations, time.perf_counter() - start


def main():
    directory = sys.argv[1]
    result = {"hitRates": {}, "libcachesimVersion": getattr(libcachesim, "__version__", "?")}
    for name in TRACES:
        result["hitRates"][name] = hit_rates(f"{directory}/{name}.oracleGeneral")
        print(f"libCacheSim: {name} done", file=sys.stderr)
    ids = read_ids(f"{directory}/zipf-0.9.oracleGeneral")[:1_000_000]
    operations, seconds = cachetools_throughput(ids, KEY_SPACE // 10)
    result["cachetools"] = {"operations": operations, "seconds": seconds,
                            "version": getattr(cachetools, "__version__", "?")}
    with open(f"{directory}/reference.json", "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
