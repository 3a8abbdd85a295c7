"""Whether an exception means "out of memory", as the library classifies framework errors."""

from __future__ import annotations

import ctypes

from . import _lib

__all__ = ["is_out_of_memory"]

# Classes whose names say nothing about memory; the ones below them in the MRO may.
_GENERIC = (BaseException, Exception, RuntimeError, object)


def _type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _text(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # a broken __str__ must not hide the type's verdict
        return ""


def is_out_of_memory(exc: BaseException) -> bool:
    """True when `exc` is a framework's out-of-memory error.

    MemoryError, PyTorch's `torch.cuda.OutOfMemoryError`, TensorFlow's `ResourceExhaustedError`, and errors whose
    text is a CUDA, HIP, MPS, cuDNN, cuBLAS, ONNX Runtime or JAX allocation failure (such as "CUDA out of memory",
    "Failed to allocate memory", "RESOURCE_EXHAUSTED"); the library's `hr_is_out_of_memory` decides. A cause set
    with `raise ... from` is looked at too.
    """
    if not isinstance(exc, BaseException):
        raise TypeError(f"is_out_of_memory takes an exception, not {type(exc).__name__}")
    library = _lib.lib()
    result = ctypes.c_int32(0)
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, MemoryError):
            return True
        message: bytes | None = _text(error).encode("utf-8", "replace")
        for kind in type(error).__mro__:
            if kind in _GENERIC:
                break
            _lib.call(library.hr_is_out_of_memory, message, _type_name(kind).encode(), ctypes.byref(result))
            if result.value:
                return True
            message = None  # the text is the same for every base: classify it once
        if message is not None:  # a plain RuntimeError: its text alone
            _lib.call(library.hr_is_out_of_memory, message, _type_name(type(error)).encode(), ctypes.byref(result))
            if result.value:
                return True
        error = error.__cause__
    return False
