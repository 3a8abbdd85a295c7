"""Every C function of headroom.h through ctypes: bad arguments give a status and a message, never a crash."""

from __future__ import annotations

import ctypes
import json
import os
import threading
from typing import Any, Optional

import pytest
from support import write_safetensors

import headroom
from headroom import _lib

lib = _lib.lib()
NULL = None
OK, ARGUMENT, FAILED, EXHAUSTED = _lib.HR_OK, _lib.HR_E_ARGUMENT, _lib.HR_E_FAILED, _lib.HR_E_EXHAUSTED


def out_string() -> Any:
    return _lib.CharPointer()


def take(out: Any) -> str:
    """The text of a `char **` result, freed."""
    assert out, "a successful call must return text"
    text = ctypes.string_at(out).decode()
    lib.hr_string_free(out)
    return text


def assert_fails(status: int, expected: tuple[int, ...] = (ARGUMENT,)) -> str:
    assert status in expected, f"status {status}, expected one of {expected}"
    message = _lib.last_error()
    assert message, "a failed call must leave a message in hr_last_error()"
    return message


def new_search(start: int = 1, maximum: int = 64) -> Any:
    search = _lib.SearchPointer()
    assert lib.hr_search_new(start, maximum, 8, ctypes.byref(search)) == OK
    return search


def new_cache(capacity: int = 1000, name: bytes = b"abi") -> Any:
    cache = _lib.CachePointer()
    assert lib.hr_cache_new(capacity, name, ctypes.byref(cache)) == OK
    return cache


def put(cache: Any, key: int, cost: int, evicted: Any, capacity: Optional[int] = None) -> tuple[int, _lib.PutArgs]:
    """hr_cache_put through its argument block: the status, and the block with the results."""
    args = _lib.PutArgs(cache=cache, key=key, cost=cost, evicted=evicted, stored=-1, evicted_count=-1,
                        evicted_capacity=len(evicted) if capacity is None else capacity)
    return lib.hr_cache_put(ctypes.byref(args)), args


def test_abi_version_and_error_on_a_fresh_thread() -> None:
    assert lib.hr_abi_version() == _lib.ABI_VERSION == 2
    seen: list[bytes] = []
    thread = threading.Thread(target=lambda: seen.append(lib.hr_last_error()))
    thread.start()
    thread.join()
    assert seen == [b""]
    lib.hr_string_free(NULL)


def test_diagnose_json() -> None:
    out = out_string()
    assert lib.hr_diagnose_json(NULL, ctypes.byref(out)) == OK
    report = json.loads(take(out))
    assert report["schemaVersion"] == 1 and report["host"]["totalBytes"] > 0
    assert report["recommendations"]["level"] == "balanced"
    out = out_string()
    assert_fails(lib.hr_diagnose_json(b"reckless", ctypes.byref(out)))
    assert not out
    assert_fails(lib.hr_diagnose_json(b"balanced", NULL))


def test_settings_json() -> None:
    out = out_string()
    assert lib.hr_settings_json(NULL, NULL, NULL, -1, ctypes.byref(out)) == OK
    settings = json.loads(take(out))
    assert any(v["name"] == "OMP_NUM_THREADS" for v in settings["variables"])
    for framework, level, fraction in [(b"caffe", NULL, NULL), (NULL, b"reckless", NULL), (NULL, NULL, b"lots"),
                                       (NULL, NULL, b"150%"), (NULL, NULL, b"-1GiB")]:
        out = out_string()
        assert_fails(lib.hr_settings_json(framework, level, fraction, -1, ctypes.byref(out)))
        assert not out
    assert_fails(lib.hr_settings_json(b"all", b"balanced", NULL, -1, NULL))


def test_plan_json(tmp_path: Any) -> None:
    out = out_string()
    assert_fails(lib.hr_plan_json(NULL, NULL, ctypes.byref(out)))
    assert_fails(lib.hr_plan_json(str(tmp_path / "missing.safetensors").encode(), NULL, ctypes.byref(out)),
                 (ARGUMENT, FAILED))
    model = write_safetensors(tmp_path / "model.safetensors")
    for options in (b"{", b"[1, 2]", b'{"level": "reckless"}', b'{"sequenceLength": "long"}', b'{"perItemBytes": -5}'):
        out = out_string()
        assert_fails(lib.hr_plan_json(str(model).encode(), options, ctypes.byref(out)))
        assert not out
    assert_fails(lib.hr_plan_json(str(model).encode(), NULL, NULL))
    out = out_string()
    assert lib.hr_plan_json(str(model).encode(), b'{"perItemBytes": 1048576}', ctypes.byref(out)) == OK
    plan = json.loads(take(out))
    assert plan["batching"]["perItemBytes"] > 0 and plan["batching"]["fixedBytes"] > 0


def test_is_out_of_memory() -> None:
    result = ctypes.c_int32(-1)
    assert lib.hr_is_out_of_memory(b"CUDA out of memory", NULL, ctypes.byref(result)) == OK and result.value == 1
    assert lib.hr_is_out_of_memory(NULL, b"torch.cuda.OutOfMemoryError", ctypes.byref(result)) == OK
    assert result.value == 1
    assert lib.hr_is_out_of_memory(b"shape mismatch", b"builtins.ValueError", ctypes.byref(result)) == OK
    assert result.value == 0
    assert lib.hr_is_out_of_memory(NULL, NULL, ctypes.byref(result)) == OK and result.value == 0
    assert_fails(lib.hr_is_out_of_memory(b"out of memory", NULL, NULL))


def test_search() -> None:
    search = _lib.SearchPointer()
    for start, maximum, grow in [(0, 10, 8), (-1, 10, 8), (5, 4, 8), (1, 10, 0), (1, -10, 8)]:
        assert_fails(lib.hr_search_new(start, maximum, grow, ctypes.byref(search)))
    assert_fails(lib.hr_search_new(1, 10, 8, NULL))
    search = new_search(4, 64)
    size = ctypes.c_int64(0)
    assert lib.hr_search_next(search, 100, ctypes.byref(size)) == OK and size.value == 4
    assert lib.hr_search_next(search, 3, ctypes.byref(size)) == OK and size.value == 3
    assert_fails(lib.hr_search_next(search, 0, ctypes.byref(size)))
    assert_fails(lib.hr_search_next(search, -1, ctypes.byref(size)))
    assert_fails(lib.hr_search_next(search, 10, NULL))
    assert_fails(lib.hr_search_next(NULL, 10, ctypes.byref(size)))
    assert lib.hr_search_succeeded(search, 4, 0.01) == OK
    assert lib.hr_search_next(search, 100, ctypes.byref(size)) == OK and size.value == 8
    assert_fails(lib.hr_search_succeeded(search, -4, 0.01))
    assert_fails(lib.hr_search_succeeded(NULL, 4, 0.01))
    assert lib.hr_search_failed(search, 8) == OK
    assert lib.hr_search_next(search, 100, ctypes.byref(size)) == OK and 4 <= size.value < 8
    assert_fails(lib.hr_search_failed(search, -2))
    assert_fails(lib.hr_search_failed(NULL, 2))
    assert lib.hr_search_failed(search, 1) == EXHAUSTED and _lib.last_error()
    out = out_string()
    assert lib.hr_search_report_json(search, ctypes.byref(out)) == OK
    report = json.loads(take(out))
    # settledSize, largestSuccess, smallestFailure and itemsPerSecond are left out while unknown.
    assert {"outOfMemoryCount", "batches", "items", "seconds"} <= set(report)
    assert set(report) <= {"settledSize", "largestSuccess", "smallestFailure", "outOfMemoryCount", "batches", "items",
                           "seconds", "itemsPerSecond"}
    assert report["outOfMemoryCount"] >= 1 and report["items"] == 4 and report["batches"] == 1
    assert_fails(lib.hr_search_report_json(search, NULL))
    assert_fails(lib.hr_search_report_json(NULL, ctypes.byref(out)))
    lib.hr_search_free(search)


def test_cache() -> None:
    cache = _lib.CachePointer()
    for capacity, name in [(0, b"c"), (-1, b"c")]:
        assert_fails(lib.hr_cache_new(capacity, name, ctypes.byref(cache)))
    assert_fails(lib.hr_cache_new(100, b"c", NULL))
    cache = new_cache(100)
    hit, count = ctypes.c_int32(-1), ctypes.c_int64(-1)
    evicted = (ctypes.c_uint64 * 4)()
    assert lib.hr_cache_get(cache, 1, ctypes.byref(hit)) == OK and hit.value == 0
    assert_fails(lib.hr_cache_get(cache, 1, NULL))
    assert_fails(lib.hr_cache_get(NULL, 1, ctypes.byref(hit)))
    status, args = put(cache, 1, 40, evicted)
    assert status == OK and args.stored == 1 and args.evicted_count == 0
    assert lib.hr_cache_get(cache, 1, ctypes.byref(hit)) == OK and hit.value == 1
    assert_fails(put(cache, 2, -1, evicted)[0])
    assert_fails(put(cache, 2, 1, None, capacity=4)[0])
    assert_fails(put(cache, 2, 1, evicted, capacity=-1)[0])
    assert_fails(put(NULL, 2, 1, evicted)[0])
    assert_fails(lib.hr_cache_put(NULL))
    status, args = put(cache, 4, 1, evicted)
    args.read_count = 2  # reads NULL with a count
    assert_fails(lib.hr_cache_put(ctypes.byref(args)))
    args.read_count = -1
    assert_fails(lib.hr_cache_put(ctypes.byref(args)))
    # Too large to ever fit: refused, and reported with the evicted keys so a binding drops it.
    status, args = put(cache, 3, 101, evicted)
    assert status == OK and args.stored == 0 and args.evicted_count == 1 and evicted[0] == 3
    assert lib.hr_cache_drain_evicted(cache, evicted, 4, ctypes.byref(count)) == OK and count.value == 0
    assert_fails(lib.hr_cache_drain_evicted(cache, evicted, -1, ctypes.byref(count)))
    assert_fails(lib.hr_cache_drain_evicted(cache, evicted, 4, NULL))
    assert_fails(lib.hr_cache_drain_evicted(NULL, evicted, 4, ctypes.byref(count)))
    # Buffered reads, handed over at once: they count as hits as hr_cache_get's do.
    reads = (ctypes.c_uint64 * 3)(1, 1, 99)
    assert lib.hr_cache_touch(cache, reads, 3) == OK
    assert lib.hr_cache_touch(cache, NULL, 0) == OK
    assert_fails(lib.hr_cache_touch(cache, NULL, 2))
    assert_fails(lib.hr_cache_touch(cache, reads, -1))
    assert_fails(lib.hr_cache_touch(NULL, reads, 3))
    assert lib.hr_cache_remove(cache, 1) == OK
    assert lib.hr_cache_get(cache, 1, ctypes.byref(hit)) == OK and hit.value == 0
    assert_fails(lib.hr_cache_remove(NULL, 1))
    assert lib.hr_cache_trim(cache, 0) == OK
    assert_fails(lib.hr_cache_trim(cache, -1))
    assert_fails(lib.hr_cache_trim(NULL, 0))
    out = out_string()
    assert lib.hr_cache_stats_json(cache, ctypes.byref(out)) == OK
    stats = json.loads(take(out))
    assert {"name", "bytes", "capacityBytes", "entries", "hits", "misses", "hitRate", "windowShare",
            "sketchBytes", "popularShifts"} <= set(stats)
    assert 0 <= stats["windowShare"] <= 0.99 and 0 < stats["sketchBytes"] <= 4096
    assert stats["name"] == "abi" and stats["capacityBytes"] == 100 and stats["hits"] >= 3
    assert_fails(lib.hr_cache_stats_json(cache, NULL))
    assert_fails(lib.hr_cache_stats_json(NULL, ctypes.byref(out)))
    lib.hr_cache_free(cache)


def test_cache_reports_every_eviction() -> None:
    cache = new_cache(10)
    count = ctypes.c_int64()
    evicted = (ctypes.c_uint64 * 2)()
    for key in range(1, 11):
        assert put(cache, key, 1, evicted)[0] == OK
    held = {key for key in range(1, 11)}
    assert lib.hr_cache_trim(cache, 0) == OK
    drained: list[int] = []
    while True:
        assert lib.hr_cache_drain_evicted(cache, evicted, 2, ctypes.byref(count)) == OK
        drained += list(evicted[:count.value])
        if count.value == 0:
            break
    assert set(drained) == held and len(drained) == len(held)
    lib.hr_cache_free(cache)


def test_content_key() -> None:
    hex_out = ctypes.create_string_buffer(65)
    hash64 = ctypes.c_uint64()
    data = b"headroom"
    assert lib.hr_content_key(data, len(data), NULL, hex_out, ctypes.byref(hash64)) == OK
    first = hex_out.value
    prefix = bytes.fromhex(first[:16].decode())
    assert len(first) == 64 and hash64.value in (int.from_bytes(prefix, "big"), int.from_bytes(prefix, "little"))
    assert lib.hr_content_key(data, len(data), b'{"size": 3, "mode": "x", "fast": true}', hex_out, NULL) == OK
    assert hex_out.value != first
    assert lib.hr_content_key(NULL, 0, NULL, hex_out, NULL) == OK and len(hex_out.value) == 64
    assert_fails(lib.hr_content_key(NULL, 5, NULL, hex_out, NULL))
    assert_fails(lib.hr_content_key(data, -1, NULL, hex_out, NULL))
    assert_fails(lib.hr_content_key(data, len(data), b"{not json", hex_out, NULL))
    assert_fails(lib.hr_content_key(data, len(data), b'{"nested": {"a": 1}}', hex_out, NULL))
    assert_fails(lib.hr_content_key(data, len(data), NULL, NULL, NULL))


def test_sampler() -> None:
    sampler = _lib.SamplerPointer()
    assert_fails(lib.hr_sampler_start(os.getpid(), 0, ctypes.byref(sampler)))
    assert_fails(lib.hr_sampler_start(os.getpid(), -5, ctypes.byref(sampler)))
    assert_fails(lib.hr_sampler_start(os.getpid(), 10, NULL))
    assert_fails(lib.hr_sampler_start(-1, 10, ctypes.byref(sampler)), (ARGUMENT, FAILED))
    out = out_string()
    assert_fails(lib.hr_sampler_stop(NULL, ctypes.byref(out)))
    assert lib.hr_sampler_start(os.getpid(), 1, ctypes.byref(sampler)) == OK
    assert lib.hr_sampler_stop(sampler, ctypes.byref(out)) == OK
    result = json.loads(take(out))
    assert result["rssBeforeBytes"] > 0 and result["rssPeakBytes"] >= result["rssBeforeBytes"]
    assert {"rssAfterBytes", "samples", "seconds"} <= set(result)


def test_python_helpers_raise_with_the_message() -> None:
    with pytest.raises(ValueError, match=r"\S"):
        _lib.call_json(lib.hr_diagnose_json, b"reckless")
    with pytest.raises(headroom.HeadroomError, match=r"\S"):
        _lib.call_json(lib.hr_plan_json, b"/nonexistent/model.safetensors", None)


def exercise_everything(index: int, shared_cache: Any, barrier: threading.Barrier) -> None:
    """Every function once, on this thread, with its own handles and one shared cache."""
    token = f"bogus-framework-{index}".encode()
    out = out_string()
    assert lib.hr_settings_json(token, NULL, NULL, -1, ctypes.byref(out)) == ARGUMENT
    barrier.wait()  # every thread has failed once: each must still read its own message
    message = _lib.last_error()
    assert message and not any(f"bogus-framework-{other}".encode() in message.encode()
                               for other in range(8) if other != index), message
    for function, args in [(lib.hr_diagnose_json, (b"balanced",)), (lib.hr_settings_json, (b"all", NULL, NULL, -1))]:
        out = out_string()
        assert function(*args, ctypes.byref(out)) == OK
        json.loads(take(out))
    result = ctypes.c_int32()
    assert lib.hr_is_out_of_memory(b"CUDA out of memory", NULL, ctypes.byref(result)) == OK and result.value == 1
    search = new_search(1, 1000)
    size = ctypes.c_int64()
    for _ in range(50):
        assert lib.hr_search_next(search, 1000, ctypes.byref(size)) == OK
        if size.value > 40 + index:
            assert lib.hr_search_failed(search, size.value) == OK
        else:
            assert lib.hr_search_succeeded(search, size.value, 0.001) == OK
    out = out_string()
    assert lib.hr_search_report_json(search, ctypes.byref(out)) == OK
    assert json.loads(take(out))["largestSuccess"] <= 40 + index
    lib.hr_search_free(search)
    hit, count = ctypes.c_int32(), ctypes.c_int64()
    evicted = (ctypes.c_uint64 * 8)()
    for key in range(200):
        assert lib.hr_cache_get(shared_cache, index * 1000 + key, ctypes.byref(hit)) == OK
        reads = (ctypes.c_uint64 * 3)(index * 1000 + key, index * 1000 + key + 1, 7)
        assert lib.hr_cache_touch(shared_cache, reads, 3) == OK
        assert put(shared_cache, index * 1000 + key, 7, evicted)[0] == OK
        assert lib.hr_cache_drain_evicted(shared_cache, evicted, 8, ctypes.byref(count)) == OK
    out = out_string()
    assert lib.hr_cache_stats_json(shared_cache, ctypes.byref(out)) == OK
    assert json.loads(take(out))["bytes"] <= 500
    hex_out = ctypes.create_string_buffer(65)
    assert lib.hr_content_key(token, len(token), NULL, hex_out, NULL) == OK
    sampler = _lib.SamplerPointer()
    assert lib.hr_sampler_start(os.getpid(), 1, ctypes.byref(sampler)) == OK
    out = out_string()
    assert lib.hr_sampler_stop(sampler, ctypes.byref(out)) == OK
    json.loads(take(out))


def test_every_function_from_eight_threads_at_once() -> None:
    shared = new_cache(500, b"shared")
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def run(index: int) -> None:
        try:
            exercise_everything(index, shared, barrier)
        except BaseException as error:  # collected: an assertion in a thread would be lost
            errors.append(f"thread {index}: {type(error).__name__}: {error}")
            barrier.abort()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    lib.hr_cache_free(shared)
    assert not errors, errors
