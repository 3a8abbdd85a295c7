"""Helpers shared by the tests: out-of-memory errors as the frameworks raise them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable


def _named(name: str, module: str, base: type = RuntimeError) -> type:
    kind = type(name, (base,), {})
    kind.__module__ = module
    kind.__qualname__ = name
    return kind


TorchOutOfMemoryError = _named("OutOfMemoryError", "torch.cuda")
TopLevelTorchOutOfMemoryError = _named("OutOfMemoryError", "torch")
ResourceExhaustedError = _named("ResourceExhaustedError", "tensorflow.python.framework.errors_impl", Exception)

# Each makes one out-of-memory exception as a framework raises it.
OUT_OF_MEMORY: dict[str, Callable[[], BaseException]] = {
    "torch.cuda.OutOfMemoryError": lambda: TorchOutOfMemoryError(
        "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.11 GiB total capacity)"),
    "torch.OutOfMemoryError": lambda: TopLevelTorchOutOfMemoryError("out of memory"),
    "cuda text": lambda: RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"),
    "cudnn": lambda: RuntimeError("cuDNN error: CUDNN_STATUS_ALLOC_FAILED"),
    "cublas": lambda: RuntimeError("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`"),
    "onnxruntime": lambda: RuntimeError(
        "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running Conv node. "
        "Name:'conv1' Status Message: Failed to allocate memory for requested buffer of size 1073741824"),
    "tensorflow": lambda: ResourceExhaustedError("OOM when allocating tensor with shape[1024,1024,256]"),
    "jax": lambda: RuntimeError("RESOURCE_EXHAUSTED: Out of memory while trying to allocate 4294967296 bytes."),
    "MemoryError": lambda: MemoryError(),
}

NOT_OUT_OF_MEMORY: list[BaseException] = [
    ValueError("bad value"),
    RuntimeError("CUDA error: device-side assert triggered"),
    KeyError("memory"),
    TypeError("unsupported operand"),
]


def write_safetensors(path: Path, tensors: int = 2) -> Path:
    """A small .safetensors file of float32 tensors."""
    header: dict[str, Any] = {}
    offset = 0
    for index in range(tensors):
        size = 16 * 16 * 4
        header[f"layer{index}.weight"] = {"dtype": "F32", "shape": [16, 16], "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(len(text).to_bytes(8, "little") + text + bytes(offset))
    return path

