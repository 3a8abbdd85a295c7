"""Cache: Python objects held under the library's W-TinyLFU admission and eviction policy."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import sys
import threading
from typing import Any, Callable, Generic, Optional, TypeVar, Union

from . import _lib
from ._checks import format_bytes, parse_size
from ._keys import content_hash, is_content, repr_hash

__all__ = ["Cache", "size_of"]

V = TypeVar("V")
F = TypeVar("F", bound=Callable[..., Any])
_EVICTED_BUFFER = 64
_MASK64 = (1 << 64) - 1
# Reads handed to the policy at once (hr_cache_touch).
_READ_BUFFER = 256
_CONTENT = object()  # marks a key identified by its content key


def size_of(value: object) -> int:
    """Bytes a value holds: `nbytes` (numpy, PyTorch), len() of bytes and text, else sys.getsizeof."""
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int) and not isinstance(nbytes, bool):
        return nbytes
    if isinstance(value, (bytes, bytearray, str)):
        return len(value)
    return sys.getsizeof(value)


_PLAIN = frozenset((int, str, float, tuple))  # bytes are content: equal to a bytearray or an array of the same bytes


def _identify(key: object) -> tuple[int, object]:
    """The 64-bit hash the policy sees, and what tells two keys of one hash apart.

    Plain hashable keys use Python's own hash (the policy lives in this process only, so a hash
    that differs between processes is fine); others the content key or a hash of their repr.
    """
    if type(key) in _PLAIN:
        try:
            return hash(key) & _MASK64, key
        except TypeError:  # a tuple holding something unhashable
            return repr_hash(key), key
    if is_content(key):
        hex_key, hash64 = content_hash(key)
        return hash64, (_CONTENT, hex_key)
    return repr_hash(key), key


def _same(a: object, b: object) -> bool:
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:  # keys whose == is elementwise or broken are different keys
        return False


def _normalized(value: object) -> object:
    return (_CONTENT, content_hash(value)[0]) if is_content(value) else value


class _Pending:
    """A value one thread computes while others wait for it."""

    def __init__(self, identity: object) -> None:
        self.identity = identity
        self._done = threading.Event()
        self._value: Any = None
        self._error: Optional[BaseException] = None

    def finish(self, value: Any = None, error: Optional[BaseException] = None) -> None:
        self._value, self._error = value, error
        self._done.set()

    def wait(self) -> Any:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value


class Cache(Generic[V]):
    """A thread-safe in-memory cache of at most `capacity` bytes ("2GiB", "512MiB", or an int).

    Python keeps the objects; the library's policy (W-TinyLFU over 64-bit key hashes) decides which are admitted
    and which are evicted, so a burst of one-off keys does not push out the ones read often. An entry's cost is
    `cost(value)` when given, else its size (`nbytes`, len(), or sys.getsizeof). Bytes and numpy keys are
    identified by their content.
    """

    def __init__(self, name: str = "cache", capacity: Union[int, str] = "2GiB",
                 cost: Optional[Callable[[Any], int]] = None) -> None:
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, not {type(name).__name__}")
        self.capacity = parse_size(capacity, "capacity")
        if self.capacity == 0:
            raise ValueError("capacity must be above zero bytes")
        if cost is not None and not callable(cost):
            raise TypeError(f"cost must be a function of the value, not {type(cost).__name__}")
        self.name = name
        self._cost = cost or size_of
        self._lib = _lib.lib()
        self._handle = _lib.CachePointer()
        _lib.call(self._lib.hr_cache_new, self.capacity, name.encode("utf-8"), ctypes.byref(self._handle))
        self._lock = threading.Lock()
        self._entries: dict[int, tuple[object, V, int]] = {}
        self._pending: dict[int, _Pending] = {}
        self._bytes = 0
        self._count = ctypes.c_int64()
        self._count_ref = ctypes.byref(self._count)
        self._evicted = (ctypes.c_uint64 * _EVICTED_BUFFER)()
        # One argument block for every put, filled under the lock: one pointer is the cheapest ctypes call.
        self._read_keys = (ctypes.c_uint64 * _READ_BUFFER)()
        self._args = _lib.PutArgs(cache=self._handle, evicted=self._evicted, evicted_capacity=_EVICTED_BUFFER,
                                  reads=self._read_keys)
        self._args_ref = ctypes.byref(self._args)
        self._put = self._lib.hr_cache_put
        self._closed = False
        self._reads: list[int] = []

    # ---- policy calls; the caller holds the lock -------------------------------------------

    def _check(self, status: int, name: str) -> None:
        if status != _lib.HR_OK:
            _lib.raise_for(status, name)

    def _open_handle(self) -> Any:
        if self._closed:
            raise ValueError(f"cache {self.name!r} is closed")
        return self._handle

    def _drop(self, count: int, dropped: list[object]) -> None:
        for index in range(count):
            entry = self._entries.pop(self._evicted[index], None)
            if entry is not None:
                self._bytes -= entry[2]
                dropped.append(entry)

    def _drain(self, dropped: list[object]) -> None:
        """Drops every evicted key the policy has not returned yet."""
        while True:
            self._check(self._lib.hr_cache_drain_evicted(self._open_handle(), self._evicted, _EVICTED_BUFFER,
                                                         self._count_ref), "hr_cache_drain_evicted")
            count = int(self._count.value)
            self._drop(min(count, _EVICTED_BUFFER), dropped)
            if count < _EVICTED_BUFFER:
                return

    def _flush_reads(self) -> None:
        """Hands the buffered reads to the policy in one call: when the buffer is full, and before
        statistics or a trim. Otherwise they go with the next put, ahead of it, so the policy sees
        every read in order with the puts."""
        reads = self._reads
        if reads:
            self._reads = []
            keys = (ctypes.c_uint64 * len(reads))(*reads)
            self._check(self._lib.hr_cache_touch(self._open_handle(), keys, len(reads)), "hr_cache_touch")

    def _lookup(self, hash64: int, identity: object) -> tuple[bool, Any]:
        """A read under the lock (get() reads without it)."""
        self._open_handle()
        self._reads.append(hash64)
        if len(self._reads) >= _READ_BUFFER:
            self._flush_reads()
        entry = self._entries.get(hash64)
        if entry is not None and _same(entry[0], identity):
            return True, entry[1]
        return False, None

    def _store(self, hash64: int, identity: object, value: V, cost: int, dropped: list[object]) -> bool:
        self._open_handle()
        args = self._args
        args.key = hash64
        args.cost = cost
        # The reads buffered since the last put go first, so the policy sees this key's miss before the put.
        reads = self._reads
        count = min(len(reads), _READ_BUFFER)
        if count:
            self._read_keys[:count] = reads[:count]
            del reads[:count]
        args.read_count = count
        status = self._put(self._args_ref)
        if status:
            _lib.raise_for(status, "hr_cache_put")
        total = args.evicted_count
        if total:
            self._drop(min(total, _EVICTED_BUFFER), dropped)
            if total > _EVICTED_BUFFER:
                self._drain(dropped)
        if not args.stored:
            return False
        entries = self._entries
        previous = entries.get(hash64)
        if previous is not None:
            self._bytes -= previous[2]
            dropped.append(previous)
        entries[hash64] = (identity, value, cost)
        self._bytes += cost
        return True

    # ---- public ------------------------------------------------------------------------

    def get(self, key: object, default: Any = None) -> Any:
        """The value stored under `key`, or `default`; the read counts toward the key's frequency."""
        # The hot path, inlined: plain keys hash with Python's hash, and a read takes no lock.
        if type(key) in _PLAIN:
            try:
                hash64, identity = hash(key) & _MASK64, key
            except TypeError:
                hash64, identity = _identify(key)
        else:
            hash64, identity = _identify(key)
        if self._closed:
            raise ValueError(f"cache {self.name!r} is closed")
        # Reads are buffered and handed over in batches: whether the key is held is Python's to say,
        # the policy only needs to count the read before its next decision. Appending needs no lock
        # (a read appended to a buffer being handed over is lost to the counts, never to the cache).
        reads = self._reads
        reads.append(hash64)
        if len(reads) >= _READ_BUFFER:
            with self._lock:
                self._flush_reads()
        entry = self._entries.get(hash64)
        if entry is not None and (entry[0] is identity or _same(entry[0], identity)):
            return entry[1]
        return default

    def put(self, key: object, value: V) -> bool:
        """Offers `value` under `key`; True when the policy admitted it. Evicted entries are dropped."""
        hash64, identity = _identify(key)
        cost = self._cost_of(value)
        dropped: list[object] = []
        with self._lock:
            return self._store(hash64, identity, value, cost, dropped)

    def _cost_of(self, value: object) -> int:
        cost = self._cost(value)
        if type(cost) is int and cost >= 0:
            return cost
        if isinstance(cost, bool) or not isinstance(cost, int):
            raise TypeError(f"the cost of a value must be an int number of bytes, not {type(cost).__name__}")
        if cost < 0:
            raise ValueError(f"the cost of a value cannot be negative; got {cost}")
        return cost

    def remove(self, key: object) -> None:
        """Forgets `key`, if it is held."""
        hash64, identity = _identify(key)
        with self._lock:
            entry = self._entries.get(hash64)
            if entry is not None and _same(entry[0], identity):
                self._check(self._lib.hr_cache_remove(self._open_handle(), hash64), "hr_cache_remove")
                del self._entries[hash64]
                self._bytes -= entry[2]

    def get_or_compute(self, key: object, compute: Callable[[], V]) -> V:
        """The value under `key`, computed once by `compute()` when missing: concurrent callers wait for it."""
        hash64, identity = _identify(key)
        with self._lock:
            found, value = self._lookup(hash64, identity)
            if found:
                return value  # type: ignore[no-any-return]
            pending = self._pending.get(hash64)
            if pending is None:
                pending = self._pending[hash64] = _Pending(identity)
                owner = True
            elif _same(pending.identity, identity):
                owner = False
            else:  # another key of the same hash is being computed: compute this one alone
                pending, owner = None, False
        if pending is not None and not owner:
            return pending.wait()  # type: ignore[no-any-return]
        dropped: list[object] = []
        try:
            value = compute()
            cost = self._cost_of(value)
            with self._lock:
                self._store(hash64, identity, value, cost, dropped)
        except BaseException as error:
            if pending is not None:
                self._settle(hash64, pending, error=error)
            raise
        if pending is not None:
            self._settle(hash64, pending, value=value)
        return value

    def _settle(self, hash64: int, pending: _Pending, value: Any = None,
                error: Optional[BaseException] = None) -> None:
        with self._lock:
            del self._pending[hash64]
        pending.finish(value, error)

    def memoize(self, key: Optional[Callable[..., object]] = None) -> Callable[[F], F]:
        """Decorator caching a function's results here, computed once per key even across threads.

        The key is `key(*args, **kwargs)` when given, else the function and its arguments (bytes and numpy
        arguments by their content).
        """
        if key is not None and not callable(key):
            raise TypeError(f"key must be a function of the arguments, not {type(key).__name__}")

        def decorator(function: F) -> F:
            name = (getattr(function, "__module__", None), getattr(function, "__qualname__", repr(function)))

            @functools.wraps(function)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if key is not None:
                    entry_key = key(*args, **kwargs)
                else:
                    entry_key = (name, tuple(_normalized(a) for a in args),
                                 tuple(sorted((k, _normalized(v)) for k, v in kwargs.items())))
                return self.get_or_compute(entry_key, lambda: function(*args, **kwargs))

            wrapper.cache = self  # type: ignore[attr-defined]
            return wrapper  # type: ignore[return-value]

        return decorator

    def trim(self, size: Union[int, str]) -> None:
        """Evicts until at most `size` bytes are held (0 empties the cache)."""
        limit = parse_size(size, "size")
        dropped: list[object] = []
        with self._lock:
            self._flush_reads()
            self._check(self._lib.hr_cache_trim(self._open_handle(), limit), "hr_cache_trim")
            self._drain(dropped)

    def clear(self) -> None:
        """Drops every entry."""
        self.trim(0)
        with self._lock:
            for hash64 in list(self._entries):
                self._check(self._lib.hr_cache_remove(self._open_handle(), hash64), "hr_cache_remove")
            dropped, self._entries, self._bytes = self._entries, {}, 0
        del dropped

    @property
    def bytes(self) -> int:
        """The cost of the entries held."""
        return self._bytes

    @property
    def stats(self) -> dict[str, Any]:
        """The policy's statistics: name, bytes, capacityBytes, entries, hits, misses, hitRate, windowShare (the
        admission window's share of the capacity now, as the policy adapted it), popularShifts (shifts of the popular
        set it detected), sketchBytes, status, …"""
        with self._lock:
            self._flush_reads()
            return dict(_lib.call_json(self._lib.hr_cache_stats_json, self._open_handle()))

    @property
    def status(self) -> str:
        """One line for logs, as the library writes it: `name 1.9/2.0 GiB · hit 85% · evict 4% · window 1%` (recent rates)."""
        stats = self.stats
        if "status" in stats:
            return str(stats["status"])
        rate = float(stats.get("hitRate") or 0.0)
        return f"{self.name} {format_bytes(self._bytes)}/{format_bytes(self.capacity)} · hit {rate:.0%}"

    def __contains__(self, key: object) -> bool:
        hash64, identity = _identify(key)
        with self._lock:
            entry = self._entries.get(hash64)
        return entry is not None and _same(entry[0], identity)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Cache({self.name!r}, capacity={self.capacity}, entries={len(self)}, bytes={self._bytes})"

    def close(self) -> None:
        """Frees the policy; the cache cannot be used after."""
        with self._lock:
            self._closed = True
            handle, self._handle = self._handle, _lib.CachePointer()
            self._args.cache = self._handle
            self._entries, self._bytes = {}, 0
        if handle:
            self._lib.hr_cache_free(handle)

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle:
            with contextlib.suppress(Exception):  # at interpreter exit the library may already be gone
                self._lib.hr_cache_free(handle)
