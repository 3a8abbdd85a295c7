#!/usr/bin/env bash
# On a GPU host: runs the CUDA example workload (every item holds its own
# cuMemAlloc block while its batch runs) through the adaptive batcher, so it
# hits real CUDA_ERROR_OUT_OF_MEMORY errors, and checks that no item was lost
# or repeated, that outputs came back in order, that every block was freed,
# and that the size the batcher settled on agrees with the size cuMemGetInfo
# predicts (free ÷ per-item): within 2% when it probes from 1, within 90-100%
# when it starts from the budget (95% of free) and grows back slowly. A PyTorch process holding 8 GiB,
# where PyTorch is installed, makes the free figure something other than the
# whole GPU.
#
#   scripts/gpu-batch-check.sh [path/to/cuda-batch-example] [per-item size]
#
# Build the binary on the development machine with
#   swift build -c release --static-swift-stdlib --product cuda-batch-example
# and copy it here; by default .build/release/cuda-batch-example is used.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/cuda-batch-example}"
per_item="${2:-256MiB}"
[ -x "$binary" ] || { echo "gpu-batch-check: no cuda-batch-example binary at $binary" >&2; exit 1; }
command -v nvidia-smi >/dev/null || { echo "gpu-batch-check: nvidia-smi not found: this is not a GPU host" >&2; exit 1; }

holder=""
cleanup() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
    ready="$(mktemp)"
    python3 -c "
import sys, time, torch
x = torch.empty(8 << 30, dtype=torch.uint8, device='cuda:0')
torch.cuda.synchronize()
open(sys.argv[1], 'w').write('ok')
time.sleep(600)
" "$ready" &
    holder=$!
    for _ in $(seq 1 300); do [ -s "$ready" ] && break; sleep 0.1; done
    echo "holder process $holder took 8 GiB on GPU 0"
fi
nvidia-smi --query-gpu=index,name,memory.total,memory.used,driver_version --format=csv,noheader

status=0
for start in probe budget; do
    out="/tmp/headroom-gpu-batch-$start.json"
    "$binary" --per-item "$per_item" --items 5000 --start "$start" > "$out"
    python3 - "$out" "$start" <<'PY' || status=1
import json, math, sys
r = json.load(open(sys.argv[1]))
start = sys.argv[2]
GiB = 1 << 30
print(f"start={start}: per item {r['perItemBytes'] / (1 << 20):.0f} MiB, free before {r['freeBytesBefore'] / GiB:.2f} GiB "
      f"of {r['totalBytes'] / GiB:.2f} GiB")
print(f"  predicted from cuMemGetInfo {r['predictedSize']}, settled {r['settledSize']}, best {r['bestSize']}")
print(f"  OOMs {r['outOfMemoryCount']} ({r['outOfMemoryCountUntilSettled']} until settled), batches {r['batches']}, "
      f"{r['seconds']:.2f} s")
print(f"  items {r['items']}, lost {r['itemsLost']}, repeated {r['itemsRepeated']}, in order {r['outputsInOrder']}, "
      f"free after {r['freeBytesAfter'] / GiB:.2f} GiB")
failures = []
if r["itemsLost"] or r["itemsRepeated"] or not r["outputsInOrder"]:
    failures.append("items lost, repeated or out of order")
if start == "probe" and abs(r["settledSize"] - r["predictedSize"]) > max(1, 0.02 * r["predictedSize"]):
    failures.append("settled size more than 2% from the cuMemGetInfo prediction")
# From the budget the batcher starts at 95% of free memory (--level extreme) and grows back slowly.
if start == "budget" and not (0.9 * r["predictedSize"] <= r["settledSize"] <= r["predictedSize"]):
    failures.append("settled size outside 90-100% of the cuMemGetInfo prediction")
bar = math.ceil(math.log2(max(2, 2 * r["predictedSize"] + 2))) + 2
if start == "probe" and (r["outOfMemoryCountUntilSettled"] or 0) > bar:
    failures.append(f"more than {bar} OOMs until settled")
if abs(r["freeBytesAfter"] - r["freeBytesBefore"]) > 64 << 20:
    failures.append("device memory not given back")
print("  " + ("FAIL: " + "; ".join(failures) if failures else "ok"))
sys.exit(1 if failures else 0)
PY
done
exit $status
