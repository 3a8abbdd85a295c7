#!/usr/bin/env bash
# Times `headroom diagnose --json` against a static "hello world" Swift
# binary (the floor for any Swift program's start-up), `headroom --version`,
# and an equivalent Python psutil script (host memory, swap, CPU counts, own
# RSS, printed as JSON), side by side in one run, and prints the medians, the
# ratios and the size of the stripped binary.
#
#   scripts/bench-diagnose.sh [runs]      (default 50 runs of each, after 5 warm-ups)
#
# The release binary is built with --static-swift-stdlib, as shipped; the
# hello world with -static-stdlib, the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"

swift build -c release --static-swift-stdlib --product headroom >/dev/null
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/headroom"
scratch=.build/bench-diagnose
mkdir -p "$scratch"
echo 'print("hello, world")' > "$scratch/hello.swift"
swiftc -O -static-stdlib "$scratch/hello.swift" -o "$scratch/hello"
strip -o "$scratch/headroom-stripped" "$binary"
echo "headroom binary: $(($(stat -c %s "$binary") / 1048576)) MiB, $(($(stat -c %s "$scratch/headroom-stripped") / 1048576)) MiB stripped;" \
     "static hello world: $(($(stat -c %s "$scratch/hello") / 1048576)) MiB"
python3 -c 'import psutil' 2>/dev/null || python3 -m pip install --quiet psutil >/dev/null 2>&1 \
    || { echo "bench-diagnose: psutil is not installed and pip could not install it" >&2; exit 1; }

python3 - "$binary" "$runs" "$scratch/hello" <<'PY'
import statistics, subprocess, sys, time

binary, runs, hello = sys.argv[1], int(sys.argv[2]), sys.argv[3]
psutil_script = (
    "import json, psutil\n"
    "vm = psutil.virtual_memory(); sw = psutil.swap_memory()\n"
    "print(json.dumps({'totalBytes': vm.total, 'availableBytes': vm.available, 'usedBytes': vm.used,\n"
    "  'swapTotalBytes': sw.total, 'swapUsedBytes': sw.used,\n"
    "  'logical': psutil.cpu_count(), 'physical': psutil.cpu_count(logical=False),\n"
    "  'rssBytes': psutil.Process().memory_info().rss}))\n"
)
commands = {
    "static hello world": [hello],
    "headroom --version": [binary, "--version"],
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
    median = {name: statistics.median(values) for name, values in samples.items()}
    hello_ms = median["static hello world"]
    print(f"  headroom --version: {median['headroom --version'] / hello_ms:.2f}x the static hello world")
    print(f"  headroom diagnose --json: {median['headroom diagnose --json'] / hello_ms:.2f}x the static hello world (bar: 2x)")
    ratio = median["python3 psutil script"] / median["headroom diagnose --json"]
    print(f"  headroom diagnose --json is {ratio:.1f}x faster than the psutil script")

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
