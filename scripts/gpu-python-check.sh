#!/usr/bin/env bash
# On a GPU host with PyTorch and CUDA: checks the Python package against real
# CUDA out-of-memory errors and NVML.
# - batched() over a real model's forward pass, with a per-item size that forces
#   real CUDA OOMs, loses and duplicates nothing and settles within 10% of the
#   largest batch that runs alone;
# - scope()'s peak VRAM is within 2% of torch.cuda.max_memory_reserved() plus the context;
# - diagnose() equals NVML (nvidia-ml-py when installed, else nvidia-smi).
#
#   scripts/gpu-python-check.sh [path/to/headroom_mem-*.whl]
#
# Build the wheel on the development machine with scripts/build-wheel.sh and copy it here.
set -euo pipefail
cd "$(dirname "$0")/.."
wheel="${1:-$(ls .whl/headroom_mem-*.whl 2>/dev/null | head -1)}"
[ -f "$wheel" ] || { echo "gpu-python-check: no wheel; give its path" >&2; exit 1; }
python3 -c 'import torch; assert torch.cuda.is_available()' \
    || { echo "gpu-python-check: needs PyTorch with CUDA" >&2; exit 1; }
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
# The system's torch stays visible; only the wheel is installed into the environment.
python3 -m venv --system-site-packages "$venv"
"$venv/bin/pip" install --quiet --no-deps "$wheel"
"$venv/bin/python" - <<'PY'
import subprocess, torch, headroom

# 1. batched over a forward pass, per item ~256 MiB of activations.
torch.manual_seed(0)
layer = torch.nn.Linear(8192, 8192, device="cuda", dtype=torch.float16)
items = list(range(4000))
calls = []
def forward(batch):
    x = torch.randn(len(batch), 8192, 4 * 1024 // 8, device="cuda", dtype=torch.float16).transpose(1, 2)
    y = layer(x).sum(dim=(1, 2))
    calls.append(list(batch))
    return [int(i) for i in batch]
result = headroom.batched(forward, items, max_size=4096)
flat = [i for c in calls for i in c]
assert list(result.outputs) == items, "outputs lost or out of order"
assert sorted(set(flat)) == items and len(flat) == len(items), "items lost or duplicated"
alone = 1
while True:
    try:
        torch.cuda.empty_cache(); forward(list(range(alone * 2))); alone *= 2
    except torch.OutOfMemoryError:
        break
lo, hi = alone, alone * 2
while hi - lo > 1:
    mid = (lo + hi) // 2
    try:
        torch.cuda.empty_cache(); forward(list(range(mid))); lo = mid
    except torch.OutOfMemoryError:
        hi = mid
settled = result.report.settled_size
print(f"batched: settled {settled}, largest alone {lo}, OOMs {result.report.out_of_memory_count}")
assert settled >= 0.9 * lo, "settled more than 10% below the largest size that runs alone"

# 2. scope's peak VRAM against torch.
torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
with headroom.scope("gpu") as s:
    block = torch.empty(8 << 30, dtype=torch.uint8, device="cuda"); del block
reserved = torch.cuda.max_memory_reserved()
print(f"scope: gpu peak {s.gpu_peak} vs reserved {reserved} (+ context)")
assert s.gpu_peak >= reserved and s.gpu_peak <= reserved * 1.02 + (1 << 30)

# 3. diagnose against nvidia-smi.
d = headroom.diagnose()
smi = subprocess.run(["nvidia-smi", "--query-gpu=index,memory.total,memory.used", "--format=csv,noheader,nounits"],
                     capture_output=True, text=True, check=True).stdout.strip().splitlines()
for line, gpu in zip(smi, d.gpus):
    index, total, used = (int(v) for v in line.split(","))
    print(f"GPU{index}: nvidia-smi {total} MiB total, {used} MiB used; headroom {gpu.total_bytes >> 20}, {gpu.used_bytes >> 20}")
    assert abs((gpu.total_bytes >> 20) - total) <= total * 0.01
print("gpu-python-check: ok")
PY
