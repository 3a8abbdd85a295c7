#!/usr/bin/env bash
# Times `headroom diagnose --json` against an equivalent Python psutil script
# (host memory, swap, CPU counts, own RSS, printed as JSON), side by side in
# one run, and prints the medians and the ratio.
#
#   scripts/bench-diagnose.sh [runs]      (default 50 runs of each, after 5 warm-ups)
#
# The release binary is built with --static-swift-stdlib, as shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"

swift build -c release --static-swift-stdlib --product headroom >/dev/null
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/headroom"
python3 -c 'import psutil' 2>/dev/null || python3 -m pip install --quiet psutil >/dev/null 2>&1 \
    || { echo "bench-diagnose: psutil is not installed and pip could not install it" >&2; exit 1; }

python3 - "$binary" "$runs" <<'PY'
import statistics, subprocess, sys, time

binary, runs = sys.argv[1], int(sys.argv[2])
psutil_script = (
    "import json, psutil\n"
    "vm = psutil.virtual_memory(); sw = psutil.swap_memory()\n"
    "print(json.dumps({'totalBytes': vm.total, 'availableBytes': vm.available, 'usedBytes': vm.used,\n"
    "  'swapTotalBytes': sw.total, 'swapUsedBytes': sw.used,\n"
    "  'logical': psutil.cpu_count(), 'physical': psutil.cpu_count(logical=False),\n"
    "  'rssBytes': psutil.Process().memory_info().rss}))\n"
)
commands = {
    "headroom diagnose --json": [binary, "diagnose", "--json"],
    "python3 psutil script": [sys.executable, "-c", psutil_script],
}

def once(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000

def table(title, samples):
    print(f"{title}: {runs} runs each, wall ms")
    print(f"  {'command':<28}{'median':>10}{'p10':>10}{'p90':>10}")
    for name, values in samples.items():
        q = statistics.quantiles(values, n=10)
        print(f"  {name:<28}{statistics.median(values):>10.2f}{q[0]:>10.2f}{q[-1]:>10.2f}")
    ratio = statistics.median(samples["python3 psutil script"]) / statistics.median(samples["headroom diagnose --json"])
    print(f"  ratio: headroom is {ratio:.1f}x faster than the psutil script")

for command in commands.values():
    for _ in range(5):
        once(command)

# Back to back, as hyperfine runs a command: each warm in the CPU caches.
table("back to back", {name: [once(command) for _ in range(runs)] for name, command in commands.items()})

# Alternating, so each headroom run follows a Python run that has flushed the caches.
alternating = {name: [] for name in commands}
for _ in range(runs):
    for name, command in commands.items():
        alternating[name].append(once(command))
table("alternating", alternating)
PY
