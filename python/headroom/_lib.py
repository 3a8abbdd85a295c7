"""ctypes bindings for libheadroom.so, following Sources/HeadroomC/headroom.h (ABI version 2).

The library is loaded on first use, not at import. Every function's argument
and result types are declared; `call` turns a status into an exception with
the thread's `hr_last_error()` text, and `call_string` / `call_json` take a
`char **` result, decode it and free it with `hr_string_free`.
"""

from __future__ import annotations

import ctypes
import json
import os
import threading
from ctypes import POINTER, c_char, c_char_p, c_double, c_int32, c_int64, c_uint64, c_void_p
from pathlib import Path
from typing import Any, Optional

from ._errors import HeadroomError

__all__ = [
    "ABI_VERSION", "HR_OK", "HR_E_ARGUMENT", "HR_E_FAILED", "HR_E_EXHAUSTED", "ENV_VARIABLE",
    "lib", "library_path", "call", "call_string", "call_json", "last_error", "raise_for", "encode",
    "SearchPointer", "CachePointer", "PutArgs", "SamplerPointer", "CharPointer",
]

ABI_VERSION = 2
HR_OK = 0
HR_E_ARGUMENT = -1
HR_E_FAILED = -2
HR_E_EXHAUSTED = -3
ENV_VARIABLE = "HEADROOM_LIBRARY"


class _Search(ctypes.Structure):
    """Opaque `hr_search`."""


class _Cache(ctypes.Structure):
    """Opaque `hr_cache`."""


class _Sampler(ctypes.Structure):
    """Opaque `hr_sampler`."""


SearchPointer = POINTER(_Search)
CachePointer = POINTER(_Cache)


class PutArgs(ctypes.Structure):
    """`hr_cache_put_args`: the arguments and results of one put, in a block a cache reuses."""

    _fields_ = [("cache", CachePointer), ("key", c_uint64), ("cost", c_int64), ("evicted", POINTER(c_uint64)),
                ("evicted_capacity", c_int64), ("stored", c_int64), ("evicted_count", c_int64),
                ("reads", POINTER(c_uint64)), ("read_count", c_int64)]


SamplerPointer = POINTER(_Sampler)
# Strings the library returns are taken as raw pointers so they can be handed back to hr_string_free.
CharPointer = POINTER(c_char)
_OutString = POINTER(CharPointer)
_i32p, _i64p, _u64p = POINTER(c_int32), POINTER(c_int64), POINTER(c_uint64)

# name: (restype, argtypes), in the header's order.
_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "hr_abi_version": (c_int32, []),
    "hr_last_error": (c_char_p, []),
    "hr_string_free": (None, [CharPointer]),
    "hr_diagnose_json": (c_int32, [c_char_p, _OutString]),
    "hr_settings_json": (c_int32, [c_char_p, c_char_p, c_char_p, c_int32, _OutString]),
    "hr_plan_json": (c_int32, [c_char_p, c_char_p, _OutString]),
    "hr_is_out_of_memory": (c_int32, [c_char_p, c_char_p, _i32p]),
    "hr_search_new": (c_int32, [c_int64, c_int64, c_int64, POINTER(SearchPointer)]),
    "hr_search_next": (c_int32, [SearchPointer, c_int64, _i64p]),
    "hr_search_succeeded": (c_int32, [SearchPointer, c_int64, c_double]),
    "hr_search_failed": (c_int32, [SearchPointer, c_int64]),
    "hr_search_report_json": (c_int32, [SearchPointer, _OutString]),
    "hr_search_free": (None, [SearchPointer]),
    "hr_cache_new": (c_int32, [c_int64, c_char_p, POINTER(CachePointer)]),
    "hr_cache_get": (c_int32, [CachePointer, c_uint64, _i32p]),
    "hr_cache_touch": (c_int32, [CachePointer, _u64p, c_int64]),
    "hr_cache_put": (c_int32, [POINTER(PutArgs)]),
    "hr_cache_drain_evicted": (c_int32, [CachePointer, _u64p, c_int64, _i64p]),
    "hr_cache_remove": (c_int32, [CachePointer, c_uint64]),
    "hr_cache_trim": (c_int32, [CachePointer, c_int64]),
    "hr_cache_stats_json": (c_int32, [CachePointer, _OutString]),
    "hr_cache_free": (None, [CachePointer]),
    "hr_content_key": (c_int32, [c_void_p, c_int64, c_char_p, c_char_p, _u64p]),
    "hr_sampler_start": (c_int32, [c_int32, c_int64, POINTER(SamplerPointer)]),
    "hr_sampler_stop": (c_int32, [SamplerPointer, _OutString]),
}

_loaded: Optional[ctypes.CDLL] = None
_load_lock = threading.Lock()


def library_path() -> Path:
    """The library to load: `$HEADROOM_LIBRARY` when set, else `libheadroom.so` beside this package."""
    override = os.environ.get(ENV_VARIABLE)
    return Path(override) if override else Path(__file__).with_name("libheadroom.so")


def _load(path: Path) -> ctypes.CDLL:
    hint = f"reinstall headroom-mem, or set {ENV_VARIABLE} to the path of libheadroom.so"
    if not path.is_file():
        raise ImportError(f"libheadroom.so not found at {path}; {hint}", path=str(path))
    try:
        library = ctypes.CDLL(str(path))
    except OSError as error:
        raise ImportError(f"cannot load {path} ({error}); {hint}", path=str(path)) from error
    missing = [name for name in _SIGNATURES if not hasattr(library, name)]
    if missing:
        raise ImportError(f"{path} is not libheadroom (it lacks {', '.join(missing[:3])}); {hint}", path=str(path))
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    version = library.hr_abi_version()
    if version != ABI_VERSION:
        raise ImportError(f"{path} has ABI version {version}, but this package needs ABI version {ABI_VERSION}; "
                          f"install matching versions, or set {ENV_VARIABLE} to a libheadroom.so of ABI version "
                          f"{ABI_VERSION}", path=str(path))
    return library


def lib() -> ctypes.CDLL:
    """The loaded library, loading it on the first call.

    Raises:
        ImportError: the library is missing, not libheadroom, or of another ABI version.
    """
    global _loaded
    if _loaded is None:
        with _load_lock:
            if _loaded is None:
                _loaded = _load(library_path())
    return _loaded


def last_error() -> str:
    """`hr_last_error()` of this thread, decoded."""
    message = lib().hr_last_error()
    return message.decode("utf-8", "replace") if message else ""


def raise_for(status: int, function: str = "") -> None:
    """Raises the exception for a failed `status`, with this thread's `hr_last_error()` text."""
    message = last_error() or f"{function or 'libheadroom'} failed with status {status}"
    if status == HR_E_ARGUMENT:
        raise ValueError(message)
    raise HeadroomError(message)


def call(function: Any, *args: Any) -> int:
    """Calls `function` and returns its status: HR_OK, or HR_E_EXHAUSTED for the caller to handle.

    Raises:
        ValueError: HR_E_ARGUMENT.
        HeadroomError: HR_E_FAILED or any other failure.
    """
    status = function(*args)
    if status < 0 and status != HR_E_EXHAUSTED:
        raise_for(status, getattr(function, "__name__", ""))
    return int(status)


def call_string(function: Any, *args: Any) -> str:
    """Calls `function` with `args` and a `char **` out, and returns the text, freed with hr_string_free."""
    out = CharPointer()
    try:
        call(function, *args, ctypes.byref(out))
        if not out:
            raise HeadroomError(f"{getattr(function, '__name__', 'libheadroom')} returned no text")
        return ctypes.string_at(out).decode("utf-8")
    finally:
        if out:
            lib().hr_string_free(out)


def call_json(function: Any, *args: Any) -> Any:
    """`call_string`, parsed as JSON."""
    return json.loads(call_string(function, *args))


def encode(text: Optional[str]) -> Optional[bytes]:
    """A `const char *` argument: UTF-8 bytes, or None for NULL."""
    return None if text is None else text.encode("utf-8")
