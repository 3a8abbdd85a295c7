"""scope: the process's RAM and GPU memory before, at the peak of, and after a block."""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from . import _lib
from ._checks import format_bytes

__all__ = ["Scope", "scope"]

_current: contextvars.ContextVar[Optional[Scope]] = contextvars.ContextVar("headroom_scope", default=None)


def _higher(a: Optional[int], b: Optional[int]) -> Optional[int]:
    return b if a is None else a if b is None else max(a, b)


@dataclass
class Scope:
    """What `scope` measured: RSS of this process's tree and its GPU memory (None without a GPU), in bytes.

    The figures are None inside the block and filled in when it ends.
    """

    name: str
    rss_before: Optional[int] = None
    rss_peak: Optional[int] = None
    rss_after: Optional[int] = None
    gpu_before: Optional[int] = None
    gpu_peak: Optional[int] = None
    gpu_after: Optional[int] = None
    samples: int = 0
    seconds: float = 0.0
    json: dict[str, Any] = field(default_factory=dict, repr=False)
    _hooks: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, init=False, repr=False, compare=False)
    _children: list[Scope] = field(default_factory=list, init=False, repr=False, compare=False)

    def on_exit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
        """Runs `function(*args, **kwargs)` when the block ends, errors included; the last added runs first."""
        if not callable(function):
            raise TypeError(f"on_exit takes a function, not {type(function).__name__}")
        self._hooks.callback(function, *args, **kwargs)
        return function

    @property
    def rss_growth(self) -> Optional[int]:
        """Peak RSS above the RSS at the start."""
        return None if self.rss_peak is None or self.rss_before is None else self.rss_peak - self.rss_before

    def _finish(self, data: dict[str, Any]) -> None:
        self.json = data
        self.rss_before, self.rss_after = data.get("rssBeforeBytes"), data.get("rssAfterBytes")
        self.gpu_before, self.gpu_after = data.get("gpuBeforeBytes"), data.get("gpuAfterBytes")
        self.rss_peak, self.gpu_peak = data.get("rssPeakBytes"), data.get("gpuPeakBytes")
        for child in self._children:  # a peak an inner scope saw is a peak of this one too
            self.rss_peak = _higher(self.rss_peak, child.rss_peak)
            self.gpu_peak = _higher(self.gpu_peak, child.gpu_peak)
        self.samples, self.seconds = int(data.get("samples", 0)), float(data.get("seconds", 0.0))

    def __str__(self) -> str:
        text = (f"{self.name}: RSS {format_bytes(self.rss_before)} → peak {format_bytes(self.rss_peak)} → "
                f"{format_bytes(self.rss_after)}")
        if self.gpu_peak is not None:
            text += (f"; GPU {format_bytes(self.gpu_before)} → peak {format_bytes(self.gpu_peak)} → "
                     f"{format_bytes(self.gpu_after)}")
        return text


@contextlib.contextmanager
def scope(name: str = "scope", interval_ms: int = 10) -> Iterator[Scope]:
    """Samples this process's tree every `interval_ms` while the block runs, and yields the `Scope` it fills.

    Hooks added with `Scope.on_exit` run in reverse order as the block ends, before the last sample. Scopes nest:
    an outer scope's peak is never below an inner one's.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, not {type(name).__name__}")
    if isinstance(interval_ms, bool) or not isinstance(interval_ms, int):
        raise TypeError(f"interval_ms must be an int, not {type(interval_ms).__name__}")
    if interval_ms < 1:
        raise ValueError(f"interval_ms must be 1 or more; got {interval_ms}")
    library = _lib.lib()
    sampler = _lib.SamplerPointer()
    _lib.call(library.hr_sampler_start, os.getpid(), interval_ms, ctypes.byref(sampler))
    measured = Scope(name)
    parent = _current.get()
    token = _current.set(measured)
    try:
        with measured._hooks:
            yield measured
    finally:
        _current.reset(token)
        measured._finish(_lib.call_json(library.hr_sampler_stop, sampler))
        if parent is not None:
            parent._children.append(measured)
