#!/usr/bin/env bash
# What watching costs: a tree of 200 processes is watched at 10 Hz by
# `headroom watch --pid` and by a Python psutil loop doing the same work (find
# the tree's processes, read each one's RSS, read host memory), one after the
# other. Each watcher runs twice, for 3 s and for the full time; the
# difference in CPU time (user + system, from wait4) over the difference in
# wall time is the cost of watching, without start-up (interpreter, imports,
# argument parsing), which is printed apart. Shares are of one core. Then `headroom serve` is scraped on
# loopback by several clients at once and the latency percentiles printed.
#
#   scripts/bench-watch.sh [seconds]      (default 20 s per watcher)
#
# The release binary is built with --static-swift-stdlib, as shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"

swift build -c release --static-swift-stdlib --product headroom >/dev/null
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/headroom"
python3 -c 'import psutil' 2>/dev/null || python3 -m pip install --quiet psutil >/dev/null 2>&1 \
    || { echo "bench-watch: psutil is not installed and pip could not install it" >&2; exit 1; }

python3 - "$binary" "$seconds" <<'PY'
import http.client, os, signal, statistics, subprocess, sys, threading, time

binary, seconds = sys.argv[1], float(sys.argv[2])
env = dict(os.environ, HEADROOM_NVML_LIBRARY="/nonexistent/libnvidia-ml.so.1")

# The tree: one shell and 199 sleeping children.
tree = subprocess.Popen(["sh", "-c", "for i in $(seq 199); do sleep 600 & done; wait"])
for _ in range(200):
    time.sleep(0.05)
    with open(f"/proc/{tree.pid}/task/{tree.pid}/children") as f:
        if len(f.read().split()) >= 199:
            break
count = 1 + len(open(f"/proc/{tree.pid}/task/{tree.pid}/children").read().split())

psutil_loop = """
import psutil, sys, time
root = psutil.Process(int(sys.argv[1])); end = time.monotonic() + float(sys.argv[2])
next_tick = time.monotonic()
while time.monotonic() < end:
    vm = psutil.virtual_memory()
    procs = [root] + root.children(recursive=True)
    total = 0
    for p in procs:
        try: total += p.memory_info().rss
        except psutil.Error: pass
    next_tick += 0.1
    time.sleep(max(0, next_tick - time.monotonic()))
"""

short = 3.0

def cpu_of(command, duration, signals):
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if signals:
        time.sleep(duration)
        process.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime

def watching_cost(make_command, signals):
    a = cpu_of(make_command(short), short, signals)
    b = cpu_of(make_command(seconds), seconds, signals)
    steady = (b - a) / (seconds - short)
    return steady, max(0.0, a - steady * short)

ours = lambda s: [binary, "watch", "--pid", str(tree.pid), "--interval", "100ms", "--no-gpu", "--status-every", "0"]
theirs = lambda s: [sys.executable, "-c", psutil_loop, str(tree.pid), str(s)]
print(f"bench-watch: a tree of {count} processes, sampled at 10 Hz; each watcher run for {short:.0f} s and {seconds:.0f} s")
our_cost, our_start = watching_cost(ours, True)
their_cost, their_start = watching_cost(theirs, False)
tree.send_signal(signal.SIGTERM)
subprocess.run(["pkill", "-P", str(tree.pid)], check=False)
tree.wait()

print(f"  {'watcher':<34} {'% of a core':>12} {'start-up CPU':>13}")
print(f"  {'headroom watch --pid (100ms)':<34} {100 * our_cost:11.2f}% {1000 * our_start:10.0f} ms")
print(f"  {'python3 psutil loop (100ms)':<34} {100 * their_cost:11.2f}% {1000 * their_start:10.0f} ms")
ratio = their_cost / our_cost if our_cost > 0 else float("inf")
print(f"  ratio: watching with headroom costs {ratio:.1f}x less CPU than the psutil loop")
print(f"  bars: under 1% of a core: {'pass' if 100 * our_cost < 1 else 'FAIL'}; "
      f"at least 10x cheaper: {'pass' if ratio >= 10 else 'FAIL'}")

# Scrape latency under concurrent load.
server = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--interval", "500ms"],
                          env=env, stderr=subprocess.PIPE, text=True)
line = server.stderr.readline()
port = int(line.rsplit(":", 1)[1].split("/")[0])
clients, requests = 8, 250
latencies, lock = [], threading.Lock()

def client():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    mine = []
    for _ in range(requests):
        start = time.perf_counter()
        connection.request("GET", "/metrics")
        body = connection.getresponse().read()
        mine.append((time.perf_counter() - start) * 1000)
        assert b"headroom_host_memory_total_bytes" in body
    with lock:
        latencies.extend(mine)

threads = [threading.Thread(target=client) for _ in range(clients)]
start = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - start
server.send_signal(signal.SIGTERM)
server.wait()
latencies.sort()
def pct(p): return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]
print(f"headroom serve: {clients} clients x {requests} scrapes (keep-alive) on loopback, "
      f"{len(latencies) / elapsed:.0f} scrapes/s")
print(f"  latency ms: p50 {pct(50):.2f}  p90 {pct(90):.2f}  p99 {pct(99):.2f}  max {latencies[-1]:.2f}")
print(f"  bar: p99 under 5 ms: {'pass' if pct(99) < 5 else 'FAIL'}")
PY
