"""Headroom: how much memory this machine, its container and its GPUs really have, and batches that fit.

    import headroom
    report = headroom.diagnose()              # host, container, process and GPU memory, with recommendations
    options = headroom.apply("torch")         # environment and framework settings fitted to this machine
    result = headroom.batched(model, items)   # the largest batches that fit, retried smaller on out-of-memory
    cache = headroom.Cache("features", capacity="2GiB")
    with headroom.scope("load") as s: ...     # RSS and GPU memory before, at the peak, after

The work is done by libheadroom.so, loaded on first use, so `import headroom` stays cheap.
"""

from __future__ import annotations

import importlib

from ._errors import HeadroomError

TYPE_CHECKING = False  # typing is not imported: it would double the cost of `import headroom`

__version__ = "0.1.0"

# name -> submodule defining it; each submodule is imported on first access of one of its names.
_EXPORTS = {
    "diagnose": "_system", "settings": "_system", "apply": "_system", "plan": "_system",
    "batched": "_batching", "batched_iter": "_batching", "BatchReport": "_batching", "BatchProgress": "_batching",
    "BatchedResult": "_batching", "BatchIterator": "_batching",
    "Cache": "_cache", "content_key": "_keys", "scope": "_scope", "Scope": "_scope",
    "is_out_of_memory": "_oom",
    "Diagnosis": "_types", "Settings": "_types", "Plan": "_types",
}

__all__ = [
    "diagnose", "settings", "apply", "plan", "batched", "batched_iter", "BatchReport", "BatchProgress",
    "BatchedResult", "BatchIterator", "Cache", "content_key", "scope", "Scope", "is_out_of_memory",
    "Diagnosis", "Settings", "Plan", "HeadroomError", "__version__",
]

if TYPE_CHECKING:
    from ._batching import BatchedResult, BatchIterator, BatchProgress, BatchReport, batched, batched_iter
    from ._cache import Cache
    from ._keys import content_key
    from ._oom import is_out_of_memory
    from ._scope import Scope, scope
    from ._system import apply, diagnose, plan, settings
    from ._types import Diagnosis, Plan, Settings


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'headroom' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
