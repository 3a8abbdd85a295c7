"""diagnose, settings, apply and plan: the machine's memory and what to run with."""

from __future__ import annotations

import importlib
import json
import os
import sys
import warnings
from typing import Any, Optional, Union

from . import _lib
from ._checks import FRAMEWORKS, Size, check_level, optional_size
from ._types import Diagnosis, Plan, Settings

__all__ = ["diagnose", "settings", "apply", "plan"]


def diagnose(level: str = "balanced") -> Diagnosis:
    """Host, container, process-tree and GPU memory now, with recommendations at `level`."""
    library = _lib.lib()
    return Diagnosis.from_json(_lib.call_json(library.hr_diagnose_json, _lib.encode(check_level(level))))


def _gpu_fraction_text(gpu_fraction: Union[float, str, None]) -> Optional[str]:
    if gpu_fraction is None:
        return None
    if isinstance(gpu_fraction, bool) or not isinstance(gpu_fraction, (int, float, str)):
        raise TypeError(f"gpu_fraction must be a share such as 0.8, or text such as '80%' or '20GiB', "
                        f"not {type(gpu_fraction).__name__}")
    return gpu_fraction if isinstance(gpu_fraction, str) else repr(float(gpu_fraction))


def _check_gpu(gpu: Optional[int]) -> int:
    if gpu is None:
        return -1
    if isinstance(gpu, bool) or not isinstance(gpu, int):
        raise TypeError(f"gpu must be a GPU index (an int) or None, not {type(gpu).__name__}")
    if gpu < 0:
        raise ValueError(f"gpu must be a GPU index, 0 or more; got {gpu}")
    return gpu


def settings(framework: str = "all", level: str = "balanced", gpu_fraction: Union[float, str, None] = None,
             gpu: Optional[int] = None) -> Settings:
    """The settings `headroom env` prints for `framework` ("onnxruntime", "torch", "tensorflow", "jax" or "all").

    `gpu_fraction` replaces the computed GPU limit by a share of the GPU's memory (0.8, "80%") or a size
    ("20GiB"); `gpu` fits the settings to one GPU instead of the one with the least to give.
    """
    if not isinstance(framework, str):
        raise TypeError(f"framework must be a string such as 'torch', not {type(framework).__name__}")
    if framework not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {', '.join(FRAMEWORKS)}; got {framework!r}")
    library = _lib.lib()
    data = _lib.call_json(library.hr_settings_json, _lib.encode(framework), _lib.encode(check_level(level)),
                          _lib.encode(_gpu_fraction_text(gpu_fraction)), _check_gpu(gpu))
    return Settings.from_json(data)


def _wanted(name: str, framework: str) -> Any:
    """The framework's module when it is already imported or asked for by name, else None."""
    if framework == name:
        return importlib.import_module(name)
    return sys.modules.get(name)


def _apply_torch(torch: Any, fraction: Optional[float], gpu: Optional[int]) -> None:
    if fraction is None or not torch.cuda.is_available():
        return
    devices = [gpu] if gpu is not None else range(torch.cuda.device_count())
    for device in devices:
        torch.cuda.set_per_process_memory_fraction(fraction, device)


def _apply_tensorflow(tf: Any, limit_mb: Optional[int], gpu: Optional[int]) -> None:
    devices = tf.config.list_physical_devices("GPU")
    if gpu is not None:
        devices = devices[gpu:gpu + 1]
    for device in devices:
        try:
            if limit_mb is None:
                tf.config.experimental.set_memory_growth(device, True)
            else:
                configuration = tf.config.LogicalDeviceConfiguration(memory_limit=limit_mb)
                tf.config.set_logical_device_configuration(device, [configuration])
        except (RuntimeError, ValueError) as error:
            warnings.warn(f"headroom.apply: TensorFlow kept its GPU settings ({error}); "
                          "call apply before TensorFlow first uses the GPU", RuntimeWarning, stacklevel=3)


def apply(framework: str = "all", level: str = "balanced", gpu_fraction: Union[float, str, None] = None,
          gpu: Optional[int] = None) -> dict[str, str]:
    """Sets the variables of `settings(...)` in os.environ and applies what no variable carries.

    PyTorch gets `torch.cuda.set_per_process_memory_fraction` on each GPU (or on `gpu`), TensorFlow a logical
    device with the memory limit (memory growth without a GPU limit), each only when the framework is already
    imported or named by `framework`. Returns ONNX Runtime's CUDA provider options (empty without a GPU), for
    `InferenceSession(path, providers=[("CUDAExecutionProvider", options), "CPUExecutionProvider"])`.
    """
    chosen = settings(framework, level, gpu_fraction, gpu)
    os.environ.update(chosen.variables)
    torch = _wanted("torch", framework)
    if torch is not None:
        _apply_torch(torch, chosen.torch_memory_fraction, gpu)
    tf = _wanted("tensorflow", framework)
    if tf is not None:
        _apply_tensorflow(tf, chosen.tf_memory_limit_mb, gpu)
    return dict(chosen.onnxruntime)


_PLAN_CHOICES = {
    "mode": ("forward", "generate", "training"),
    "device": ("gpu", "cpu"),
    "attention": ("sdpa", "flash", "eager"),
    "optimizer": ("adamw", "sgd", "sgd-momentum", "adafactor", "adam-8bit"),
    "kv_dtype": ("f32", "f16", "bf16", "fp8", "q8_0", "q4_0"),
}


def _choice(value: object, what: str) -> str:
    choices = _PLAN_CHOICES[what]
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, one of {', '.join(choices)}; not {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(choices)}")
    return value


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return value


def plan(path: Union[str, os.PathLike[str]], *, training: bool = False, dtype: Optional[str] = None,
         sequence_length: Optional[int] = None, per_item: Optional[Size] = None, gpu_memory: Optional[Size] = None,
         level: str = "balanced", mode: Optional[str] = None, device: Optional[str] = None,
         batch_size: Optional[int] = None, new_tokens: Optional[int] = None,
         image_size: Union[int, tuple[int, int], str, None] = None, attention: Optional[str] = None,
         optimizer: Optional[str] = None, mixed_precision: bool = False, kv_dtype: Optional[str] = None) -> Plan:
    """What the model at `path` (.safetensors, .gguf, .onnx or a directory) needs by batch size, from headers only.

    `mode` is forward, generate or training (default: generate for decoder LMs, forward otherwise); `device`
    gpu or cpu (default: gpu when one is present); `batch_size` adds `Plan.estimate` at that batch;
    `image_size` is a side, (height, width) or "512x768" for vision models.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file or directory path (str or os.PathLike), not {type(path).__name__}")
    for flag, name in ((training, "training"), (mixed_precision, "mixed_precision")):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, not {type(flag).__name__}")
    options: dict[str, Any] = {"training": training, "level": check_level(level), "mixedPrecision": mixed_precision}
    if dtype is not None:
        if not isinstance(dtype, str):
            raise TypeError(f"dtype must be a string such as 'fp16', not {type(dtype).__name__}")
        options["dtype"] = dtype
    for key, value, what in (("sequenceLength", sequence_length, "sequence_length"), ("batchSize", batch_size, "batch_size"),
                             ("newTokens", new_tokens, "new_tokens")):
        if value is not None:
            options[key] = _count(value, what)
    for key, value, what in (("mode", mode, "mode"), ("device", device, "device"), ("attention", attention, "attention"),
                             ("optimizer", optimizer, "optimizer"), ("kvDtype", kv_dtype, "kv_dtype")):
        if value is not None:
            options[key] = _choice(value, what)
    if image_size is not None:
        if isinstance(image_size, tuple) and len(image_size) == 2:
            options["imageSize"] = f"{_count(image_size[0], 'image_size')}x{_count(image_size[1], 'image_size')}"
        elif isinstance(image_size, str):
            options["imageSize"] = image_size
        else:
            options["imageSize"] = str(_count(image_size, "image_size"))
    for key, value, what in (("perItemBytes", per_item, "per_item"), ("gpuMemoryBytes", gpu_memory, "gpu_memory")):
        size = optional_size(value, what)
        if size is not None:
            options[key] = size
    library = _lib.lib()
    data = _lib.call_json(library.hr_plan_json, os.fsencode(path), json.dumps(options).encode())
    return Plan.from_json(data)
