"""diagnose, settings, apply, plan, import cost and the console script, on this machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import types
from pathlib import Path
from typing import Any

import pytest
from support import write_safetensors

import headroom


def test_import_is_cheap_and_loads_nothing() -> None:
    code = ("import time, sys; t = time.perf_counter(); import headroom; "
            "print(time.perf_counter() - t, 'headroom._lib' in sys.modules, 'ctypes' in sys.modules)")
    timings = []
    for _ in range(5):
        line = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        seconds, lib_loaded, ctypes_loaded = line.split()
        timings.append(float(seconds))
        assert lib_loaded == "False" and ctypes_loaded == "False"
    assert sorted(timings)[len(timings) // 2] < 0.030


def test_exports() -> None:
    for name in ["diagnose", "settings", "apply", "plan", "batched", "batched_iter", "Cache", "content_key", "scope",
                 "is_out_of_memory", "HeadroomError", "__version__"]:
        assert hasattr(headroom, name), name
    assert issubclass(headroom.HeadroomError, RuntimeError)
    assert headroom.__version__ == "0.1.0"
    with pytest.raises(AttributeError):
        headroom.not_a_function  # noqa: B018


def test_diagnose() -> None:
    report = headroom.diagnose()
    host = report.host
    assert host.total_bytes > 0 and 0 < host.available_bytes <= host.total_bytes
    assert host.used_bytes == host.total_bytes - host.available_bytes
    assert report.process is not None and report.process.pid == os.getpid() and report.process.rss_bytes > 0
    assert report.recommendations.level == "balanced" and report.recommendations.threads >= 1
    assert report.recommendations.host_memory_cap_bytes <= report.effective_available_bytes
    assert all(isinstance(code, str) and message for code, message in report.recommendations.warnings)
    assert report.json["schemaVersion"] == 1
    for gpu in report.gpus:
        assert gpu.total_bytes is None or gpu.free_bytes is None or gpu.free_bytes <= gpu.total_bytes
    if report.container is not None:
        assert report.container.limit_bytes is None or report.container.limit_bytes > 0
    assert headroom.diagnose("conservative").recommendations.safety_margin == 0.5


def test_settings_and_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = headroom.settings()
    assert chosen.variables["OMP_NUM_THREADS"].isdigit()
    if chosen.gpu_memory_limit_bytes is None:
        assert chosen.onnxruntime == {} and chosen.torch_memory_fraction is None
    else:
        assert int(chosen.onnxruntime["gpu_mem_limit"]) == chosen.gpu_memory_limit_bytes
    for name in chosen.variables:
        monkeypatch.delenv(name, raising=False)
    options = headroom.apply("onnxruntime")
    assert options == chosen.onnxruntime and os.environ["OMP_NUM_THREADS"] == chosen.variables["OMP_NUM_THREADS"]


def test_apply_calls_an_imported_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[float, int]] = []
    cuda = types.SimpleNamespace(is_available=lambda: True, device_count=lambda: 2,
                                 set_per_process_memory_fraction=lambda f, d: calls.append((f, d)))
    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(cuda=cuda))
    for name in headroom.settings().variables:
        monkeypatch.delenv(name, raising=False)
    headroom.apply("all")
    fraction = headroom.settings("torch").torch_memory_fraction
    assert calls == ([] if fraction is None else [(fraction, 0), (fraction, 1)])


def test_plan(tmp_path: Path) -> None:
    model = write_safetensors(tmp_path / "model.safetensors")
    plan = headroom.plan(model, per_item="1MiB")
    assert plan.per_item_bytes >= 1 << 20 and plan.fixed_bytes > 0
    assert plan.table and all(row.total_bytes > 0 for row in plan.table)
    assert plan.bytes_for(4) == plan.fixed_bytes + 4 * plan.per_item_bytes
    assert plan.largest_batch(plan.bytes_for(3)) == 3
    assert plan.json["batching"]["perItemBytes"] == plan.per_item_bytes
    with pytest.raises(headroom.HeadroomError):
        headroom.plan(tmp_path / "missing.safetensors", per_item="1MiB")


def test_plan_options(tmp_path: Path) -> None:
    model = write_safetensors(tmp_path / "model.safetensors")
    plan = headroom.plan(model, per_item="1MiB", device="cpu", mode="forward", batch_size=3)
    assert plan.estimate is not None and plan.estimate.batch_size == 3
    assert plan.estimate.phase == "forward" and plan.estimate.total_bytes > 3 << 20
    assert plan.json["settings"]["device"] == "cpu" and plan.json["settings"]["allocatorReservePercent"] == 0
    training = headroom.plan(model, per_item="1MiB", training=True, optimizer="sgd-momentum", batch_size=2, device="gpu")
    assert training.estimate is not None and training.estimate.first_step_bytes is not None
    assert training.json["settings"]["optimizer"] == "sgd-momentum"
    assert headroom.plan(model, per_item="1MiB", image_size=(512, 768)).json["settings"]["run"] == "forward"


@pytest.mark.parametrize("call, error", [
    (lambda: headroom.plan(123), TypeError),
    (lambda: headroom.plan("m.safetensors", per_item=-1), ValueError),
    (lambda: headroom.plan("m.safetensors", sequence_length="long"), TypeError),
    (lambda: headroom.plan("m.safetensors", device="tpu"), ValueError),
    (lambda: headroom.plan("m.safetensors", mode=1), TypeError),
    (lambda: headroom.plan("m.safetensors", batch_size=2.5), TypeError),
    (lambda: headroom.plan("m.safetensors", image_size=[512]), TypeError),
    (lambda: headroom.plan("m.safetensors", mixed_precision="yes"), TypeError),
    (lambda: headroom.diagnose("reckless"), ValueError),
    (lambda: headroom.diagnose(3), TypeError),
    (lambda: headroom.settings("caffe"), ValueError),
    (lambda: headroom.settings(gpu_fraction="lots"), ValueError),
    (lambda: headroom.settings(gpu_fraction=[0.5]), TypeError),
    (lambda: headroom.settings(gpu=-1), ValueError),
    (lambda: headroom.is_out_of_memory("CUDA out of memory"), TypeError),
])
def test_wrong_arguments(call: Any, error: type) -> None:
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert message and "\n" not in message


def test_missing_library_names_the_path_and_the_variable(tmp_path: Path) -> None:
    code = "import headroom\ntry:\n    headroom.diagnose()\nexcept ImportError as e:\n    print(e)\n"
    for library in (tmp_path / "absent.so", write_safetensors(tmp_path / "foreign.so")):
        env = {**os.environ, "HEADROOM_LIBRARY": str(library)}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        assert str(library) in out and "HEADROOM_LIBRARY" in out


def test_console_script_runs_the_bundled_binary() -> None:
    script = shutil.which("headroom", path=sysconfig.get_path("scripts")) or shutil.which("headroom")
    assert script, "the headroom console script is not installed"
    result = subprocess.run([script, "diagnose", "--json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schemaVersion"] == 1
