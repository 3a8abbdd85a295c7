#!/usr/bin/env bash
# Checks headroom serve against a real Prometheus: starts the built
# headroom serve (with the fake NVML: two GPUs, three processes) and a second
# one reading a fixture tree (--system-root) of a Kubernetes pod's cgroup v2
# with a 512 MiB limit, so the container figures are there on any machine;
# starts a Prometheus on 127.0.0.1 that scrapes both every second, waits for
# two scrapes, then asks Prometheus's HTTP API that
#   - every metric in docs/metrics.md is there with its documented labels,
#   - every PromQL expression in deploy/grafana/headroom.json returns data,
#   - host available memory is what headroom diagnose --json says, within 2%.
#
#   scripts/prometheus-check.sh [BIN_DIR]     (default: .build/debug)
#
# Prometheus comes from Debian's packages (apt-get install prometheus) when it
# is not on PATH; where it cannot be installed, the check says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
bin="${1:-.build/debug}"

if ! command -v prometheus >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "prometheus-check: installing prometheus from Debian's packages"
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus \
          || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }
        } >/dev/null 2>&1 || true
    fi
    if ! command -v prometheus >/dev/null 2>&1; then
        echo "prometheus-check: SKIPPED: Prometheus is not installed and cannot be installed here (apt-get install prometheus failed or needs root); headroom serve was not checked against a real Prometheus"
        exit 0
    fi
fi
for program in headroom headroom-serve; do
    [ -x "$bin/$program" ] || { echo "prometheus-check: $bin/$program is missing; build it first (swift build)" >&2; exit 1; }
done

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# The fake NVML: two GPUs with DCGM-style PCI bus IDs, three processes.
cc -shared -fPIC -O1 -o "$work/libnvidia-ml.so.1" Sources/HeadroomSystemTestKit/FakeNVML/fake_nvml.c -ldl
cat > "$work/libnvidia-ml.so.1.conf" <<'CONF'
driver 550.54.15
device name=NVIDIA_H100_80GB_HBM3 uuid=GPU-11111111-2222-3333-4444-555555555555 pci=00000000:3B:00.0 total=80GiB reserved=512MiB used=30GiB util=70,40
proc pid=4242 used=20GiB
proc pid=4343 used=10GiB
device name=NVIDIA_H100_80GB_HBM3 uuid=GPU-66666666-7777-8888-9999-000000000000 pci=00000000:86:00.0 total=80GiB reserved=512MiB used=8GiB util=10,5
proc pid=5151 used=8GiB
CONF
export HEADROOM_NVML_LIBRARY="$work/libnvidia-ml.so.1"

# A pod's cgroup v2 with a limit, OOM kills and pressure, under a fixture root.
pod="$work/pod"
leaf="$pod/sys/fs/cgroup/kubepods/pod-0a1b/ctr"
mkdir -p "$pod/proc/self" "$pod/proc/pressure" "$leaf"
cp /proc/meminfo "$pod/proc/meminfo"
echo "0::/kubepods/pod-0a1b/ctr" > "$pod/proc/self/cgroup"
echo "30 23 0:26 / /sys/fs/cgroup rw,relatime shared:4 - cgroup2 cgroup2 rw" > "$pod/proc/self/mountinfo"
printf 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1000000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=500000\n' > "$pod/proc/pressure/memory"
echo 536870912 > "$leaf/memory.max"
echo 314572800 > "$leaf/memory.current"
printf 'anon 200000000\nfile 100000000\ninactive_file 52428800\n' > "$leaf/memory.stat"
printf 'low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\n' > "$leaf/memory.events"
printf 'some avg10=1.50 avg60=0.75 avg300=0.10 total=2500000\nfull avg10=0.50 avg60=0.25 avg300=0.05 total=1250000\n' > "$leaf/memory.pressure"

# Starts headroom serve as NAME with the given arguments; sets port to the port it printed.
start_serve() {
    local name="$1" log="$work/$1.log"
    shift
    "$bin/headroom" serve --listen 127.0.0.1:0 --interval 500ms "$@" > /dev/null 2> "$log" &
    pids+=($!)
    for _ in $(seq 100); do grep -q '/metrics' "$log" && break; sleep 0.1; done
    port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$log")"
    [ -n "$port" ] || { echo "prometheus-check: headroom serve ($name) did not start: $(cat "$log")" >&2; exit 1; }
}
start_serve machine
serve_port="$port"
start_serve pod --system-root "$pod"
pod_port="$port"

prom_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat > "$work/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: headroom
    static_configs:
      - targets: ["127.0.0.1:$serve_port"]
  - job_name: headroom-pod
    static_configs:
      - targets: ["127.0.0.1:$pod_port"]
CONF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn > "$work/prometheus.log" 2>&1 &
pids+=($!)

"$bin/headroom" diagnose --json > "$work/diagnose.json"
echo "prometheus-check: $(prometheus --version 2>&1 | head -1); headroom serve on 127.0.0.1:$serve_port (this machine) and :$pod_port (a pod's fixture), Prometheus on 127.0.0.1:$prom_port"
python3 scripts/prometheus-check.py "http://127.0.0.1:$prom_port" docs/metrics.md deploy/grafana/headroom.json \
    "$work/diagnose.json" "$bin/headroom" || { echo "prometheus-check: Prometheus's log:" >&2; tail -5 "$work/prometheus.log" >&2; exit 1; }
