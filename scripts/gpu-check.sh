#!/usr/bin/env bash
# On a GPU host: compares `headroom diagnose --json` with nvidia-smi and with
# NVML through Python (nvidia-ml-py), and fails on any disagreement over 1% of
# a GPU's total memory. Where PyTorch is installed, a helper process first
# takes 4 GiB on GPU 0 so that used memory and per-process figures are non-zero.
#
#   scripts/gpu-check.sh [path/to/headroom]
#
# Then two more sections:
#   MIG        where `nvidia-smi -L` lists MIG devices: headroom's MIG devices per GPU
#              (UUID, GI/CI, memory) against `nvidia-smi -L` and NVML from Python, and
#              `diagnose --json` under CUDA_VISIBLE_DEVICES=<first MIG UUID> must plan
#              for that slice's memory. Elsewhere it prints one line saying it skipped.
#   container  where unshare and PyTorch are at hand (as root): `diagnose` inside
#              `unshare --pid --fork --mount-proc`, for a process that takes 2 GiB on
#              GPU 0, must attribute that memory through /dev/nvidia0 or say why not.
#
# Build the binary on the development machine with
#   swift build -c release --static-swift-stdlib
# and copy it here; by default .build/release/headroom is used.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/headroom}"
[ -x "$binary" ] || { echo "gpu-check: no headroom binary at $binary" >&2; exit 1; }
command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi not found: this is not a GPU host" >&2; exit 1; }

holder=""
cleanup() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
    ready="$(mktemp)"
    python3 -c "
import sys, time, torch
x = torch.empty(4 << 30, dtype=torch.uint8, device='cuda:0')
torch.cuda.synchronize()
open(sys.argv[1], 'w').write('ok')
time.sleep(600)
" "$ready" &
    holder=$!
    for _ in $(seq 1 300); do [ -s "$ready" ] && break; sleep 0.1; done
    echo "holder process $holder took 4 GiB on GPU 0"
fi

"$binary" diagnose --json > /tmp/headroom-gpu-check.json
nvidia-smi --query-gpu=index,memory.total,memory.used,memory.reserved,driver_version --format=csv,noheader,nounits > /tmp/headroom-smi.csv
nvidia-smi --query-compute-apps=gpu_uuid,pid,used_memory --format=csv,noheader,nounits > /tmp/headroom-smi-apps.csv || true

python3 - "$holder" <<'PY'
import json, sys
import pynvml

MiB = 1 << 20
holder = int(sys.argv[1]) if sys.argv[1] else None
report = json.load(open("/tmp/headroom-gpu-check.json"))
gpus = {g["index"]: g for g in report["gpus"]}
failures = []

def check(what, ours, theirs, total, slack=0):
    if ours is None or theirs is None:
        failures.append(f"{what}: headroom {ours}, reference {theirs}")
        status = "MISSING"
    else:
        diff = abs(ours - theirs)
        status = "ok" if diff <= 0.01 * total + slack else "DISAGREE"
        if status != "ok":
            failures.append(f"{what}: headroom {ours}, reference {theirs} (differ by {diff / total:.2%} of total)")
    print(f"  {what:<34} headroom {ours!s:>14}   reference {theirs!s:>14}   {status}")

pynvml.nvmlInit()
print(f"driver: headroom {report['gpuDriver'].get('driverVersion')}, NVML {pynvml.nvmlSystemGetDriverVersion()}")
if report["gpuDriver"].get("driverVersion") != pynvml.nvmlSystemGetDriverVersion():
    failures.append("driver version differs")
count = pynvml.nvmlDeviceGetCount()
if len(gpus) != count:
    failures.append(f"headroom saw {len(gpus)} GPUs, NVML {count}")

for line in open("/tmp/headroom-smi.csv"):
    index, total, used, reserved, _ = [f.strip() for f in line.split(",")]
    index = int(index)
    g = gpus.get(index, {})
    mem = g.get("memory") or {}
    total_bytes = int(total) * MiB
    print(f"GPU{index} {g.get('name')}  vs nvidia-smi (MiB, rounded down):")
    check("total", mem.get("totalBytes"), total_bytes, total_bytes, MiB)
    check("used", mem.get("usedBytes"), int(used) * MiB, total_bytes, MiB)
    if reserved not in ("[N/A]", "N/A", ""):
        check("reserved", mem.get("reservedBytes"), int(reserved) * MiB, total_bytes, MiB)

    handle = pynvml.nvmlDeviceGetHandleByIndex(index)
    info = pynvml.nvmlDeviceGetMemoryInfo(handle, version=pynvml.nvmlMemory_v2)
    print(f"GPU{index} vs NVML from Python (nvmlDeviceGetMemoryInfo_v2, bytes):")
    check("total", mem.get("totalBytes"), info.total, info.total)
    check("reserved", mem.get("reservedBytes"), info.reserved, info.total)
    check("used", mem.get("usedBytes"), info.used, info.total)
    check("free", mem.get("freeBytes"), info.free, info.total)
    if g.get("uuid") != pynvml.nvmlDeviceGetUUID(handle):
        failures.append(f"GPU{index} UUID differs")
    theirs = {p.pid: p.usedGpuMemory for p in pynvml.nvmlDeviceGetComputeRunningProcesses(handle)}
    ours = {p["pid"]: p.get("usedMemoryBytes") for p in (g.get("processes") or [])}
    print(f"  processes: headroom {sorted(ours)}   NVML {sorted(theirs)}")
    for pid, used in theirs.items():
        if pid not in ours:
            failures.append(f"GPU{index}: process {pid} missing from headroom")
        else:
            check(f"process {pid} memory", ours[pid], used, info.total)
    if holder and index == 0 and holder not in ours:
        print(f"  note: holder PID {holder} not listed (PID namespace or permissions)")

for issue in report["gpuDriver"]["issues"] + [i for g in report["gpus"] for i in g["issues"]]:
    print(f"  headroom issue: {issue['field']}: {issue['reason']}")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("gpu-check: headroom agrees with nvidia-smi and NVML within 1% on every GPU")
PY

# MARK: MIG
if ! nvidia-smi -L | grep -q "MIG "; then
    echo "gpu-check MIG: skipped: nvidia-smi -L lists no MIG devices (no GPU here is in MIG mode)"
else
    nvidia-smi -L > /tmp/headroom-smi-L.txt
    first_mig="$(grep -o 'MIG-[0-9a-fA-F-]*' /tmp/headroom-smi-L.txt | head -n 1)"
    CUDA_VISIBLE_DEVICES="$first_mig" "$binary" diagnose --json > /tmp/headroom-gpu-check-mig.json
    python3 - "$first_mig" <<'PY'
import json, re, sys
import pynvml

first = sys.argv[1]
report = json.load(open("/tmp/headroom-gpu-check.json"))
visible = json.load(open("/tmp/headroom-gpu-check-mig.json"))
failures = []

# nvidia-smi -L: "GPU 0: NVIDIA A100 ... (UUID: GPU-...)" then "  MIG 1g.10gb Device 0: (UUID: MIG-...)"
smi, gpu = {}, None
for line in open("/tmp/headroom-smi-L.txt"):
    m = re.match(r"GPU (\d+):", line)
    if m:
        gpu = int(m.group(1)); smi[gpu] = {}
        continue
    m = re.search(r"MIG (\S+)\s+Device\s+(\d+): \(UUID: (MIG-[^)]+)\)", line)
    if m and gpu is not None:
        smi[gpu][m.group(3)] = m.group(1)

pynvml.nvmlInit()
for g in report["gpus"]:
    index = g["index"]
    mig = g.get("mig") or {}
    ours = {d.get("uuid"): d for d in mig.get("devices", [])}
    theirs = smi.get(index, {})
    print(f"GPU{index}: MIG {'on' if mig.get('enabled') else 'off'}; headroom {len(ours)} MIG devices, nvidia-smi -L {len(theirs)}")
    if set(ours) != set(theirs):
        failures.append(f"GPU{index}: MIG UUIDs differ: headroom {sorted(map(str, ours))}, nvidia-smi {sorted(theirs)}")
    for uuid, profile in theirs.items():
        d = ours.get(uuid)
        if d and d.get("profile") != profile:
            failures.append(f"GPU{index} {uuid}: profile headroom {d.get('profile')}, nvidia-smi {profile}")
    if not theirs:
        continue
    handle = pynvml.nvmlDeviceGetHandleByIndex(index)
    count = pynvml.nvmlDeviceGetMaxMigDeviceCount(handle)
    for i in range(count):
        try:
            m = pynvml.nvmlDeviceGetMigDeviceHandleByIndex(handle, i)
        except pynvml.NVMLError:
            continue
        uuid = pynvml.nvmlDeviceGetUUID(m)
        uuid = uuid.decode() if isinstance(uuid, bytes) else uuid
        d = ours.get(uuid)
        if d is None:
            failures.append(f"GPU{index}: NVML's MIG device {uuid} missing from headroom"); continue
        info = pynvml.nvmlDeviceGetMemoryInfo(m)
        gi, ci = pynvml.nvmlDeviceGetGpuInstanceId(m), pynvml.nvmlDeviceGetComputeInstanceId(m)
        total = (d.get("memory") or {}).get("totalBytes")
        print(f"  {uuid} {d.get('profile')} GI {gi} CI {ci}: total headroom {total}, NVML {info.total}")
        if (d.get("gpuInstanceId"), d.get("computeInstanceId")) != (gi, ci):
            failures.append(f"{uuid}: GI/CI headroom {d.get('gpuInstanceId')}/{d.get('computeInstanceId')}, NVML {gi}/{ci}")
        if total is None or abs(total - info.total) > 0.01 * info.total:
            failures.append(f"{uuid}: total headroom {total}, NVML {info.total}")

devices = (visible.get("visibleDevices") or {}).get("devices") or []
slice_total = next((d["memory"]["totalBytes"] for g in report["gpus"] for d in (g.get("mig") or {}).get("devices", [])
                    if d.get("uuid") == first and d.get("memory")), None)
advised = [g.get("totalBytes") for g in visible["recommendations"]["gpus"]]
print(f"CUDA_VISIBLE_DEVICES={first}: headroom's devices {[(d.get('migDevice') or {}).get('uuid') for d in devices]}, advised totals {advised}")
if len(devices) != 1 or (devices[0].get("migDevice") or {}).get("uuid") != first:
    failures.append(f"CUDA_VISIBLE_DEVICES={first}: headroom did not select that MIG device")
if advised != [slice_total]:
    failures.append(f"CUDA_VISIBLE_DEVICES={first}: advised for {advised}, the slice has {slice_total}")
if failures:
    print("FAILED (MIG):\n  " + "\n  ".join(failures)); sys.exit(1)
print("gpu-check MIG: headroom's MIG devices agree with nvidia-smi -L and NVML; the advisor plans for the slice")
PY
fi

# Container section: a PID namespace of its own, where NVML's PIDs are the host's.
if [ -n "$holder" ] && command -v unshare >/dev/null && [ "$(id -u)" = 0 ]; then
    kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; holder=""
    echo "container: diagnose inside unshare --pid --fork --mount-proc"
    unshare --pid --fork --mount-proc bash -c '
        ready="$(mktemp)"
        python3 -c "
import sys, time, torch
x = torch.empty(2 << 30, dtype=torch.uint8, device=\"cuda:0\")
torch.cuda.synchronize()
open(sys.argv[1], \"w\").write(\"ok\")
time.sleep(600)
" "$ready" &
        inner=$!
        for _ in $(seq 1 300); do [ -s "$ready" ] && break; sleep 0.1; done
        "$1" diagnose --json --pid "$inner" > /tmp/headroom-gpu-check-container.json
        kill "$inner"
    ' bash "$binary"
    python3 - <<'PY'
import json, sys
report = json.load(open("/tmp/headroom-gpu-check-container.json"))
ns = report.get("pidNamespace") or {}
print(f"  pidNamespace: isHost={ns.get('isHost')} ({ns.get('evidence')})")
gpu0 = report["gpus"][0]
mine = sum(p.get("gpuMemoryBytes") or 0 for p in report["process"]["processes"])
print(f"  tree's GPU memory: {mine} bytes; GPU0 attribution: {gpu0.get('attribution')}")
if ns.get("isHost") is not False:
    sys.exit("container: FAILED: the PID namespace was taken for the host's")
if mine >= 2 << 30:
    print("container: the holder's 2 GiB matched through /dev/nvidia0")
elif "cannot attribute" in (gpu0.get("attribution") or "") and (gpu0.get("unattributedBytes") or 0) >= 2 << 30:
    print("container: not matched, and said so (other processes share GPU 0)")
else:
    sys.exit("container: FAILED: the holder's memory was neither matched nor reported as unattributed")
PY
else
    echo "container: skipped (needs PyTorch with CUDA, unshare and root)"
fi
