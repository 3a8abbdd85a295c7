"""Headroom from Python: batches that fit, a memory-bounded cache, a memory scope."""

import headroom


class OutOfMemoryError(RuntimeError):  # what torch.cuda raises; any framework's OOM is recognised
    pass


OutOfMemoryError.__module__ = "torch.cuda"

cache = headroom.Cache("features", capacity="256MiB")


@cache.memoize()
def preprocess(text: str) -> list:
    return [ord(c) for c in text.lower()]  # computed once per distinct text, even across threads


def model(batch: list) -> list:
    if len(batch) > 48:  # the GPU holds 48 items at most, but nobody told us
        raise OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
    return [sum(features) for features in batch]


texts = [f"document {i % 100}" for i in range(1000)]
with headroom.scope("inference") as s:
    result = headroom.batched(model, [preprocess(t) for t in texts])

assert result == [sum(preprocess(t)) for t in texts]
report = result.report
print(f"batches of up to {report.largest_success} items fit ({report.out_of_memory_count} OOMs on the way)")
print(cache.status)
print(s)
print("host memory available:", headroom.diagnose().effective_available_bytes >> 20, "MiB")
