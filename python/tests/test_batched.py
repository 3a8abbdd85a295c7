"""batched and batched_iter over the library's search: order, exactly-once, recovery from out-of-memory."""

from __future__ import annotations

import math
import sys
from typing import Any, Callable, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import NOT_OUT_OF_MEMORY, OUT_OF_MEMORY, TorchOutOfMemoryError

import headroom


class Workload:
    """A function over batches that runs out of memory above `limit` items, at chosen calls, and fails on `bad`."""

    def __init__(self, limit: int, make_oom: Callable[[], BaseException], oom_calls: frozenset[int] = frozenset(),
                 bad: Optional[int] = None) -> None:
        self.limit, self.make_oom, self.oom_calls, self.bad = limit, make_oom, oom_calls, bad
        self.calls = 0
        self.succeeded: list[list[int]] = []
        self.sizes: list[int] = []

    def __call__(self, batch: list[int]) -> list[int]:
        call, self.calls = self.calls, self.calls + 1
        self.sizes.append(len(batch))
        if len(batch) > self.limit or (call in self.oom_calls and len(batch) > 1):
            raise self.make_oom()
        if self.bad is not None and self.bad in batch:
            raise KeyError(f"item {self.bad} is malformed")
        self.succeeded.append(list(batch))
        return [f(item) for item in batch]


def f(item: int) -> int:
    return item * 3 + 1


def note_range(error: BaseException) -> tuple[int, int]:
    """The [first, end) item range batched names on an error it did not recover from."""
    import re

    text = " ".join(getattr(error, "__notes__", [])) + str(error)
    match = re.search(r"items \[(\d+), (\d+)\)", text)
    assert match, f"no item range in {text!r}"
    return int(match.group(1)), int(match.group(2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.integers(0, 500), limit=st.integers(1, 600), kind=st.sampled_from(sorted(OUT_OF_MEMORY)),
       oom_calls=st.frozensets(st.integers(0, 300), max_size=8), start=st.none() | st.integers(1, 64),
       bad=st.none() | st.integers(0, 499), lazy=st.booleans())
def test_outputs_in_order_each_item_once(count: int, limit: int, kind: str, oom_calls: frozenset[int],
                                         start: Optional[int], bad: Optional[int], lazy: bool) -> None:
    items = list(range(count))
    work = Workload(limit, OUT_OF_MEMORY[kind], oom_calls, bad)
    source: Any = iter(items) if lazy else items
    outputs: list[int] = []
    failure: Optional[BaseException] = None
    run = headroom.batched_iter(work, source, start=start, max_size=None if not lazy else max(1, count))
    try:
        for output in run:
            outputs.append(output)
    except KeyError as error:
        failure = error
    except headroom.HeadroomError as error:  # Python < 3.11 wraps instead of adding a note
        failure = error
    done = [item for batch in work.succeeded for item in batch]
    assert done == items[:len(done)], "every item goes to one successful call, in order"
    assert outputs == [f(item) for item in done]
    if bad is not None and bad < count:
        assert failure is not None
        first, end = note_range(failure)
        assert first <= bad < end and first == len(done)
    else:
        assert failure is None and done == items
        report = run.report
        assert report.items == count and report.out_of_memory_count == work.calls - len(work.succeeded)
        if not oom_calls and count:
            bound = math.ceil(math.log2(max(count, 2))) + 2
            settling = report.out_of_memory_until_settled
            settling = report.out_of_memory_count if settling is None else settling
            assert settling <= bound, (work.sizes, report)


@settings(max_examples=60, deadline=None)
@given(count=st.integers(0, 300), limit=st.integers(1, 400), kind=st.sampled_from(sorted(OUT_OF_MEMORY)))
def test_batched_equals_one_at_a_time(count: int, limit: int, kind: str) -> None:
    items = list(range(count))
    work = Workload(limit, OUT_OF_MEMORY[kind])
    result = headroom.batched(work, items)
    assert result == result.outputs == [f(x) for x in items]
    assert [x for batch in work.succeeded for x in batch] == items
    assert max(work.sizes, default=0) <= max(count, 1)
    if count:
        assert result.report.items == count and result.report.batches == len(work.succeeded)
        assert result.report.largest_success == max(len(batch) for batch in work.succeeded)


@pytest.mark.parametrize("kind", sorted(OUT_OF_MEMORY))
def test_each_framework_error_is_out_of_memory(kind: str) -> None:
    assert headroom.is_out_of_memory(OUT_OF_MEMORY[kind]())


@pytest.mark.parametrize("error", NOT_OUT_OF_MEMORY, ids=lambda e: type(e).__name__)
def test_other_errors_are_not_out_of_memory(error: BaseException) -> None:
    assert not headroom.is_out_of_memory(error)

    def fn(batch: list[int]) -> list[int]:
        raise type(error)(*error.args)

    with pytest.raises((type(error), headroom.HeadroomError)):
        headroom.batched(fn, [1, 2, 3])


def test_a_wrapped_out_of_memory_cause_counts() -> None:
    try:
        try:
            raise TorchOutOfMemoryError("CUDA out of memory")
        except RuntimeError as inner:
            raise ValueError("inference failed") from inner
    except ValueError as outer:
        assert headroom.is_out_of_memory(outer)


def test_one_item_that_does_not_fit_names_its_index() -> None:
    def fn(batch: list[int]) -> list[int]:
        if 7 in batch:
            raise RuntimeError("CUDA out of memory. Tried to allocate 80.00 GiB")
        return batch

    with pytest.raises(MemoryError, match=r"\b7\b"):
        headroom.batched(fn, range(20), start=4)


def test_wrong_number_of_outputs() -> None:
    with pytest.raises(ValueError, match="outputs"):
        headroom.batched(lambda batch: batch[:-1], list(range(10)))


def test_cleanup_runs_after_each_out_of_memory() -> None:
    cleaned: list[int] = []
    work = Workload(3, OUT_OF_MEMORY["cuda text"])
    result = headroom.batched(work, list(range(40)), start=16, cleanup=lambda: cleaned.append(1))
    assert result == [f(x) for x in range(40)]
    assert len(cleaned) == result.report.out_of_memory_count > 0


def test_progress_and_report() -> None:
    seen: list[headroom.BatchProgress] = []
    result = headroom.batched(lambda batch: batch, list(range(100)), start=10, max_size=10,
                              on_progress=seen.append)
    assert [p.items_done for p in seen] == list(range(10, 101, 10))
    assert all(p.items_total == 100 for p in seen)
    assert result.report.settled_size and result.report.items_per_second > 0


def test_generator_of_unknown_length_reads_lazily() -> None:
    pulled: list[int] = []

    def source() -> Any:
        for item in range(10_000):
            pulled.append(item)
            yield item

    run = headroom.batched_iter(lambda batch: batch, source())
    first = [next(run) for _ in range(5)]
    assert first == [0, 1, 2, 3, 4] and len(pulled) < 100
    assert list(run) == list(range(5, 10_000))
    assert max(run.report.json.get("largestSuccess") or 0, 1) <= 4096


def test_start_from_the_budget() -> None:
    diagnosis = headroom.diagnose()
    gpu = diagnosis.gpus[0] if diagnosis.gpus else None
    free = gpu.free_bytes if gpu and gpu.free_bytes else diagnosis.effective_available_bytes
    per_item = int(free * 0.75 / 7.5)  # 7.5 items fit: 7 whatever small change free memory sees meanwhile
    sizes: list[int] = []
    headroom.batched(lambda batch: sizes.append(len(batch)) or batch, list(range(50)), per_item=per_item)
    assert sizes[0] == 7
    sizes.clear()
    headroom.batched(lambda batch: sizes.append(len(batch)) or batch, list(range(50)), per_item=per_item,
                     fixed=per_item * 3)
    assert sizes[0] == 4


@pytest.mark.parametrize("call", [
    lambda: headroom.batched(lambda b: b, 5),
    lambda: headroom.batched(5, [1, 2]),
    lambda: headroom.batched(lambda b: b, [1], start=0),
    lambda: headroom.batched(lambda b: b, [1], max_size=-1),
    lambda: headroom.batched(lambda b: b, [1], per_item=-3),
    lambda: headroom.batched(lambda b: b, [1], per_item="lots"),
    lambda: headroom.batched(lambda b: b, [1], level="reckless"),
    lambda: headroom.batched(lambda b: b, [1], cleanup=3),
])
def test_wrong_arguments(call: Callable[[], Any]) -> None:
    with pytest.raises((TypeError, ValueError)) as raised:
        call()
    assert str(raised.value)


def test_real_torch_on_cpu() -> None:
    torch = pytest.importorskip("torch")

    def fn(batch: list[Any]) -> Any:
        if len(batch) > 5:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return torch.stack(batch) * 2

    items = [torch.full((3,), float(i)) for i in range(37)]
    result = headroom.batched(fn, items)
    assert len(result) == 37 and all(torch.equal(out, item * 2) for out, item in zip(result, items))
    assert result.report.out_of_memory_count >= 1 and result.report.largest_success == 5
    assert "torch" in sys.modules


class _Diagnosis:
    """The few fields of a Diagnosis that the batcher's budget reads."""

    def __init__(self, visible: dict[str, Any]) -> None:
        self.json = {"visibleDevices": visible}
        self.gpus: list[Any] = []
        self.effective_available_bytes = 1 << 30


def test_budget_under_cuda_visible_devices_is_the_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    """With CUDA_VISIBLE_DEVICES naming a MIG device, the start comes from the slice's free memory."""
    import headroom._batching as batching
    import headroom._system as system

    visible = {"value": "MIG-5c0b", "notes": [],
               "devices": [{"cudaDevice": 0, "gpuIndex": 3, "memory": {"freeBytes": 8 << 30}}]}
    monkeypatch.setattr(system, "diagnose", lambda level: _Diagnosis(visible))
    assert batching._budget("balanced", 0) == int((8 << 30) * batching.LEVELS["balanced"])
    with pytest.raises(ValueError, match="CUDA_VISIBLE_DEVICES='MIG-5c0b' gives this job"):
        batching._budget("balanced", 1)
