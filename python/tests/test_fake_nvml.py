"""With a fake NVML (HEADROOM_TEST_FAKE_NVML), diagnose sees its GPUs and batched starts from their budget."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

FAKE_NVML = os.environ.get("HEADROOM_TEST_FAKE_NVML")

CHILD = r"""
import json, sys, types
import headroom

report = headroom.diagnose()
gpu = report.gpus[0] if report.gpus else None
sizes = []
if gpu is not None and gpu.free_bytes:
    per_item = int(gpu.free_bytes * 0.75 / 6.5)   # 6 items fit in the balanced budget
    headroom.batched(lambda batch: sizes.append(len(batch)) or batch, list(range(100)), per_item=per_item,
                     device=gpu.index)
calls = []
cuda = types.SimpleNamespace(is_available=lambda: True, device_count=lambda: 1,
                             set_per_process_memory_fraction=lambda f, d: calls.append([f, d]))
sys.modules["torch"] = types.SimpleNamespace(cuda=cuda)
options = headroom.apply("all", gpu=gpu.index if gpu else None)
print(json.dumps({"gpus": len(report.gpus), "free": gpu.free_bytes if gpu else None, "first": sizes[:1],
                  "fraction": headroom.settings("torch").torch_memory_fraction, "calls": calls, "options": options}))
"""


@pytest.mark.skipif(not FAKE_NVML, reason="HEADROOM_TEST_FAKE_NVML does not name a fake NVML library")
def test_fake_nvml_gpus_and_budget() -> None:
    env = {**os.environ, "HEADROOM_NVML_LIBRARY": str(FAKE_NVML)}
    result = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["gpus"] >= 1 and seen["free"]
    assert seen["first"] == [6]
    assert seen["options"]["gpu_mem_limit"].isdigit()
    expected_calls = [] if seen["fraction"] is None else [[seen["fraction"], 0]]
    assert seen["calls"] == expected_calls
