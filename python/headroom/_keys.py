"""content_key: the library's SHA-256 content key of an array or bytes, read in place."""

from __future__ import annotations

import ctypes
import hashlib
import json
import sys
from typing import Any, Optional, Union

from . import _lib

__all__ = ["content_key", "content_hash", "is_content", "repr_hash"]

Param = Union[str, int, float, bool]


class _PyBuffer(ctypes.Structure):
    """CPython's Py_buffer, to read any contiguous buffer without a copy."""

    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_get_buffer.restype = ctypes.c_int
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]
_release_buffer.restype = None
_PYBUF_SIMPLE = 0


def _ndarray(value: object) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray)


def is_content(value: object) -> bool:
    """Whether `value` is keyed by its content: bytes, bytearray, memoryview or a numpy array."""
    return isinstance(value, (bytes, bytearray, memoryview)) or _ndarray(value)


def _parameters(params: dict[str, Any]) -> bytes:
    for name, value in params.items():
        if not isinstance(value, (str, int, float, bool)):
            raise TypeError(f"content_key parameter {name!r} must be a string, number or boolean, "
                            f"not {type(value).__name__}")
    try:
        return json.dumps(params, sort_keys=True, allow_nan=False).encode("utf-8")
    except ValueError:
        raise ValueError("content_key parameters must be finite numbers; NaN and infinity have no JSON form") from None


def _key(address: Optional[int], length: int, parameters: bytes) -> tuple[str, int]:
    library = _lib.lib()
    hex_out = ctypes.create_string_buffer(65)
    hash64 = ctypes.c_uint64(0)
    _lib.call(library.hr_content_key, address, length, parameters, hex_out, ctypes.byref(hash64))
    return hex_out.value.decode("ascii"), int(hash64.value)


def content_hash(value: object, **params: Param) -> tuple[str, int]:
    """The content key of `value` and its first 8 bytes as an int (the hash the cache policy takes)."""
    if _ndarray(value):
        array: Any = value
        if array.dtype.hasobject:
            raise TypeError("content_key cannot read an array of Python objects; only arrays of numbers have content")
        for name in ("dtype", "shape"):
            if name in params:
                raise ValueError(f"content_key sets {name!r} itself for an array; give the parameter another name")
        array = sys.modules["numpy"].ascontiguousarray(array)
        parameters = _parameters({**params, "dtype": array.dtype.str, "shape": str(list(array.shape))})
        return _key(array.ctypes.data if array.nbytes else None, array.nbytes, parameters)
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"content_key takes a numpy array or bytes, bytearray or memoryview, "
                        f"not {type(value).__name__}")
    parameters = _parameters(params)
    view = _PyBuffer()
    try:
        _get_buffer(value, ctypes.byref(view), _PYBUF_SIMPLE)
    except BufferError:  # a non-contiguous memoryview: its bytes in order, copied
        data = memoryview(value).tobytes()
        return _key(ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value if data else None, len(data),
                    parameters)
    try:
        return _key(view.buf if view.len else None, view.len, parameters)
    finally:
        _release_buffer(ctypes.byref(view))


def content_key(value: object, **params: Param) -> str:
    """The SHA-256 content key (64 hex characters) of a numpy array or bytes-like `value`, read without a copy.

    Arrays add their dtype and shape to the parameters, so the same bytes in another shape give another key;
    keyword parameters (strings, numbers, booleans) are part of the key too.
    """
    return content_hash(value, **params)[0]


def repr_hash(key: object) -> int:
    """A stable 64-bit hash of `repr(key)` (BLAKE2b)."""
    digest = hashlib.blake2b(repr(key).encode("utf-8", "backslashreplace"), digest_size=8).digest()
    return int.from_bytes(digest, "little")
