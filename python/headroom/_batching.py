"""batched and batched_iter: run a function over items in the largest batches that fit.

The size policy is the library's `hr_search_*` handle; Python only drives the
loop: ask for a size, call the function, report success or out-of-memory.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import sys
import time
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, List, Optional, TypeVar

from . import _lib
from ._checks import LEVELS, Size, check_level, optional_size
from ._errors import HeadroomError
from ._oom import is_out_of_memory

__all__ = ["batched", "batched_iter", "BatchReport", "BatchProgress", "BatchedResult", "BatchIterator"]

T = TypeVar("T")
R = TypeVar("R")

GROW_AFTER = 8  # successes in a row before the search probes a larger size
UNKNOWN_LENGTH_MAXIMUM = 4096


@dataclass(frozen=True)
class BatchReport:
    """What a run did. `settled_size` is the largest size known to fit (None until the search settled)."""

    settled_size: Optional[int]
    largest_success: Optional[int]
    out_of_memory_count: int
    out_of_memory_until_settled: Optional[int]
    batches: int
    items: int
    seconds: float
    items_per_second: float
    speedup: Optional[float]
    json: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass(frozen=True)
class BatchProgress:
    """Where a run stands, passed to `on_progress` after each batch that succeeded."""

    items_done: int
    items_total: Optional[int]
    batch_size: int
    out_of_memory_count: int
    items_per_second: float


class BatchedResult(List[R]):
    """The outputs in input order (a list), with the run's `.report`."""

    def __init__(self, outputs: Iterable[R], report: BatchReport) -> None:
        super().__init__(outputs)
        self.report = report

    @property
    def outputs(self) -> List[R]:
        return self


class _Search:
    """One `hr_search` handle, freed once."""

    def __init__(self, start: int, maximum: int) -> None:
        self._lib = _lib.lib()
        self._handle = _lib.SearchPointer()
        _lib.call(self._lib.hr_search_new, start, maximum, GROW_AFTER, ctypes.byref(self._handle))
        self._size = ctypes.c_int64(0)
        self._size_ref = ctypes.byref(self._size)

    def next(self, remaining: int) -> int:
        status = self._lib.hr_search_next(self._handle, remaining, self._size_ref)
        if status != _lib.HR_OK:
            _lib.raise_for(status, "hr_search_next")
        return int(self._size.value)

    def succeeded(self, size: int, seconds: float) -> None:
        status = self._lib.hr_search_succeeded(self._handle, size, seconds)
        if status != _lib.HR_OK:
            _lib.raise_for(status, "hr_search_succeeded")

    def failed(self, size: int) -> bool:
        """False when not even one item fits."""
        return _lib.call(self._lib.hr_search_failed, self._handle, size) != _lib.HR_E_EXHAUSTED

    def report(self) -> dict[str, Any]:
        return dict(_lib.call_json(self._lib.hr_search_report_json, self._handle))

    def close(self) -> None:
        if self._handle:
            self._lib.hr_search_free(self._handle)
            self._handle = _lib.SearchPointer()


class _Items(Generic[T]):
    """The items not yet done: a window onto a sequence, or a buffer filled from an iterator."""

    def __init__(self, items: Iterable[T]) -> None:
        self.position = 0
        self._sequence: Optional[Sequence[T]] = items if _sliceable(items) else None  # type: ignore[assignment]
        self._iterator: Optional[Iterator[T]] = None if self._sequence is not None else iter(items)
        self._buffer: list[T] = []
        self.total: Optional[int] = _length(items)

    def remaining(self, maximum: int) -> int:
        """Items left, or `maximum` while an iterator may hold more."""
        if self._sequence is not None:
            return len(self._sequence) - self.position
        if self._iterator is not None and not self._buffer:
            self._fill(1)
        return len(self._buffer) if self._iterator is None else max(len(self._buffer), maximum)

    def peek(self, count: int) -> list[T]:
        if self._sequence is not None:
            window = self._sequence[self.position:self.position + count]
            return window if isinstance(window, list) else list(window)
        self._fill(count)
        return self._buffer[:count]

    def advance(self, count: int) -> None:
        self.position += count
        if self._sequence is None:
            del self._buffer[:count]

    def _fill(self, count: int) -> None:
        wanted = count - len(self._buffer)
        if self._iterator is not None and wanted > 0:
            chunk = list(itertools.islice(self._iterator, wanted))
            self._buffer.extend(chunk)
            if len(chunk) < wanted:
                self._iterator = None


def _sliceable(items: object) -> bool:
    if isinstance(items, Sequence):
        return True
    kind = type(items)
    return kind.__module__ == "numpy" and kind.__name__ == "ndarray"


def _length(items: object) -> Optional[int]:
    try:
        return len(items)  # type: ignore[arg-type]
    except TypeError:
        return None


def default_cleanup() -> None:
    """What runs after an out-of-memory error: a garbage collection and, with PyTorch on CUDA, empty_cache()."""
    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
        except Exception:  # a broken CUDA state must not hide the retry
            pass


def _annotate(error: BaseException, first: int, end: int) -> BaseException:
    """The error to raise for a batch that failed with something other than out-of-memory."""
    note = (f"headroom.batched: the function failed on items [{first}, {end}); items [0, {first}) succeeded "
            f"once each, and no item from {first} on was passed to a call that succeeded")
    if sys.version_info >= (3, 11):
        error.add_note(note)
        return error
    return HeadroomError(f"{note}: {type(error).__name__}: {error}")


class _Run(Generic[T, R]):
    """One run: the search, the items and what was measured."""

    def __init__(self, fn: Callable[[list[T]], Any], items: _Items[T], start: int, maximum: int,
                 cleanup: Callable[[], Any], on_progress: Optional[Callable[[BatchProgress], Any]]) -> None:
        self.fn, self.items, self.maximum = fn, items, maximum
        self.cleanup, self.on_progress = cleanup, on_progress
        self.start = start
        self.search: Optional[_Search] = None
        self.final: dict[str, Any] = {}
        self.out_of_memory_count = 0
        self.out_of_memory_until_settled: Optional[int] = None
        self.batches = self.done = 0
        self.seconds = 0.0
        self.single_seconds, self.single_batches = 0.0, 0

    def outputs(self) -> Iterator[list[R]]:
        """The outputs of each batch that succeeded, in order."""
        if self.items.remaining(self.maximum) <= 0:
            return
        self.search = _Search(self.start, self.maximum)
        try:
            yield from self._loop(self.search)
        finally:
            self.final = self.search.report()
            self.search.close()
            self.search = None

    def _loop(self, search: _Search) -> Iterator[list[R]]:
        while True:
            remaining = self.items.remaining(self.maximum)
            if remaining <= 0:
                return
            batch = self.items.peek(search.next(remaining))
            first, size = self.items.position, len(batch)
            started = time.perf_counter()
            try:
                outputs = self.fn(batch)
            except Exception as error:
                if not is_out_of_memory(error):
                    annotated = _annotate(error, first, first + size)
                    if annotated is error:
                        raise
                    raise annotated from error
                self.out_of_memory_count += 1
                if not search.failed(size):
                    raise MemoryError(f"item {first} does not fit in memory even alone "
                                      f"({type(error).__name__}: {error})") from error
                self._check_settled(search)
                # Leaving the except clause drops the error and its frames; the batch goes too.
                failed = True
            else:
                failed = False
            if failed:
                del batch
                self.cleanup()
                continue
            seconds = time.perf_counter() - started
            results = self._results(outputs, first, size)
            search.succeeded(size, seconds)
            self.items.advance(size)
            self._record(search, size, seconds)
            yield results

    def _results(self, outputs: Any, first: int, size: int) -> list[R]:
        try:
            count = len(outputs)
        except TypeError:
            raise TypeError(f"fn must return a sequence of outputs, one per item; it returned "
                            f"{type(outputs).__name__} for items [{first}, {first + size})") from None
        if count != size:
            raise ValueError(f"fn returned {count} outputs for the {size} items [{first}, {first + size}); "
                             f"it must return one output per item")
        return outputs if isinstance(outputs, list) else list(outputs)

    def _record(self, search: _Search, size: int, seconds: float) -> None:
        self.batches += 1
        self.done += size
        self.seconds += seconds
        if size == 1:
            self.single_seconds += seconds
            self.single_batches += 1
        self._check_settled(search)
        if self.on_progress is not None:
            rate = self.done / self.seconds if self.seconds > 0 else 0.0
            self.on_progress(BatchProgress(self.done, self.items.total, size, self.out_of_memory_count, rate))

    def _check_settled(self, search: _Search) -> None:
        if self.out_of_memory_until_settled is None and search.report().get("settledSize"):
            self.out_of_memory_until_settled = self.out_of_memory_count

    def report(self) -> BatchReport:
        data = self.search.report() if self.search is not None else self.final
        rate = float(data.get("itemsPerSecond") or (self.done / self.seconds if self.seconds > 0 else 0.0))
        settled = data.get("settledSize") or None
        speedup = None
        if self.single_batches and self.single_seconds > 0 and settled and settled > 1 and rate > 0:
            speedup = rate / (self.single_batches / self.single_seconds)
        return BatchReport(settled_size=settled, largest_success=data.get("largestSuccess"),
                           out_of_memory_count=int(data.get("outOfMemoryCount", self.out_of_memory_count)),
                           out_of_memory_until_settled=self.out_of_memory_until_settled,
                           batches=int(data.get("batches", self.batches)),
                           items=int(data.get("items", self.done)), seconds=float(data.get("seconds", self.seconds)),
                           items_per_second=rate, speedup=speedup, json=data)


class BatchIterator(typing.Iterator[R]):
    """The outputs of `batched_iter`, one by one in input order; `.report` says how the run went so far."""

    def __init__(self, run: _Run[Any, R]) -> None:
        self._run = run
        self._outputs = (output for outputs in run.outputs() for output in outputs)

    def __iter__(self) -> BatchIterator[R]:
        return self

    def __next__(self) -> R:
        return next(self._outputs)

    def close(self) -> None:
        """Stops the run; items not yet passed to a call that succeeded are never passed."""
        self._outputs.close()

    @property
    def report(self) -> BatchReport:
        return self._run.report()


def _check_count(value: object, what: str) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{what} must be 1 or more; got {value}")
    return value


def _budget(level: str, device: int) -> int:
    """Free memory of GPU `device` (host memory without a GPU) times the level's margin."""
    from ._system import diagnose  # diagnose is only needed when sizing from a budget

    diagnosis = diagnose(level)
    free: Optional[int] = None
    visible = diagnosis.json.get("visibleDevices") or {}
    if "value" in visible:
        # CUDA_VISIBLE_DEVICES is set: `device` is the job's own number (cuda:N), and a MIG
        # device's budget is its slice's memory, not the whole GPU's.
        devices = visible.get("devices") or []
        match = next((d for d in devices if d.get("cudaDevice") == device), None)
        if match is None:
            raise ValueError(f"device {device} is not one that CUDA_VISIBLE_DEVICES={visible['value']!r} gives this job "
                             f"({len(devices)} device{'' if len(devices) == 1 else 's'})")
        free = (match.get("memory") or {}).get("freeBytes")
        if free is None:
            free = diagnosis.effective_available_bytes
        return int(free * LEVELS[level])
    if diagnosis.gpus:
        gpu = next((g for g in diagnosis.gpus if g.index == device), None)
        if gpu is None:
            found = ", ".join(str(g.index) for g in diagnosis.gpus)
            raise ValueError(f"device {device} is not a GPU of this machine (found {found})")
        free = gpu.free_bytes
        if free is None:
            free = next((g.free_bytes for g in diagnosis.recommendations.gpus if g.index == device), None)
    if free is None:
        free = diagnosis.effective_available_bytes
    return int(free * LEVELS[level])


def _prepare(fn: Any, items: Any, per_item: Optional[Size], fixed: Optional[Size], start: Optional[int],
             max_size: Optional[int], level: str, cleanup: Any, device: int, on_progress: Any) -> _Run[Any, Any]:
    if not callable(fn):
        raise TypeError(f"fn must be a function taking a list of items, not {type(fn).__name__}")
    if not isinstance(items, Iterable):
        raise TypeError(f"items must be an iterable of items, not {type(items).__name__}")
    check_level(level)
    item_bytes, fixed_bytes = optional_size(per_item, "per_item"), optional_size(fixed, "fixed") or 0
    if item_bytes == 0:
        raise ValueError("per_item must be above zero bytes")
    start, max_size = _check_count(start, "start"), _check_count(max_size, "max_size")
    if isinstance(device, bool) or not isinstance(device, int) or device < 0:
        raise TypeError(f"device must be a GPU index (an int, 0 or more), not {device!r}")
    for name, value in (("cleanup", cleanup), ("on_progress", on_progress)):
        if value is not None and not callable(value):
            raise TypeError(f"{name} must be callable or None, not {type(value).__name__}")
    source: _Items[Any] = _Items(items)
    maximum = max_size or max(1, source.total if source.total is not None else UNKNOWN_LENGTH_MAXIMUM)
    if start is None and item_bytes is not None:
        start = max(1, (_budget(level, device) - fixed_bytes) // item_bytes)
    return _Run(fn, source, min(start or 1, maximum), maximum, cleanup or default_cleanup, on_progress)


def batched_iter(fn: Callable[[list[T]], Sequence[R]], items: Iterable[T], *, per_item: Optional[Size] = None,
                 fixed: Optional[Size] = None, start: Optional[int] = None, max_size: Optional[int] = None,
                 level: str = "balanced", cleanup: Optional[Callable[[], Any]] = None, device: int = 0,
                 on_progress: Optional[Callable[[BatchProgress], Any]] = None) -> BatchIterator[R]:
    """`batched`, yielding each output in input order as its batch finishes; items are read lazily."""
    return BatchIterator(_prepare(fn, items, per_item, fixed, start, max_size, level, cleanup, device, on_progress))


def batched(fn: Callable[[list[T]], Sequence[R]], items: Iterable[T], *, per_item: Optional[Size] = None,
            fixed: Optional[Size] = None, start: Optional[int] = None, max_size: Optional[int] = None,
            level: str = "balanced", cleanup: Optional[Callable[[], Any]] = None, device: int = 0,
            on_progress: Optional[Callable[[BatchProgress], Any]] = None) -> BatchedResult[R]:
    """Calls `fn(batch)` over `items` in the largest batches that fit, and returns the outputs in input order.

    `fn` takes a list of items and returns one output per item. An out-of-memory error (see `is_out_of_memory`)
    runs `cleanup` and retries the same items in a smaller batch; any other error stops the run and is raised
    with the failing item range noted. Each item is passed to exactly one call that succeeded.

    The first size is `start`; else, with `per_item` (and `fixed`) bytes, the most that fit in the free memory of
    GPU `device` (host memory without a GPU) at `level`; else 1, doubling until a batch fails. Sizes never exceed
    `max_size` (default: the number of items, or 4096 for an iterator).

    Raises:
        MemoryError: a single item does not fit.
    """
    run = _prepare(fn, items, per_item, fixed, start, max_size, level, cleanup, device, on_progress)
    outputs: list[R] = []
    for chunk in run.outputs():
        outputs.extend(chunk)
    return BatchedResult(outputs, run.report())
