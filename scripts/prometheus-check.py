"""The checks of scripts/prometheus-check.sh, through Prometheus's HTTP API.

    python3 prometheus-check.py PROMETHEUS_URL METRICS_MD DASHBOARD_JSON DIAGNOSE_JSON HEADROOM

Prints one line a check and exits 1 when any fails.
"""
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

prometheus, metrics_md, dashboard_json, diagnose_json, headroom = sys.argv[1:6]
# Labels Prometheus adds, and labels documented as present only where known (MIG slices, pods).
ADDED = {"__name__", "instance", "job"}
OPTIONAL = {"GPU_I_ID", "GPU_I_PROFILE", "pod_uid", "container_id", "slurm_job"}
failures = 0


def query(expr):
    url = f"{prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body.get('error')}")
    return body["data"]["result"]


def report(ok, line):
    global failures
    if not ok:
        failures += 1
    print(f"prometheus-check: {'ok  ' if ok else 'FAIL'} {line}")


# Two scrapes of headroom serve.
deadline = time.monotonic() + 30
scrapes = 0
while time.monotonic() < deadline:
    try:
        result = query('min(count_over_time(up{job=~"headroom|headroom-pod"}[1m]))')
        up = query('sum(up{job=~"headroom|headroom-pod"})')
        scrapes = int(float(result[0]["value"][1])) if result else 0
        if scrapes >= 2 and up and up[0]["value"][1] == "2":
            break
    except Exception:
        pass
    time.sleep(0.25)
report(scrapes >= 2, f"Prometheus scraped both headroom serve targets at least {scrapes} times")
if scrapes < 2:
    sys.exit(1)

diagnose = json.load(open(diagnose_json))
host = diagnose["host"]
host_memory = host.get("memory", host)
has_psi = bool(host.get("pressure"))
# When a row whose presence depends on the machine must be there.
needed = {
    "always": lambda name: True,
    "fake GPU": lambda name: True,
    "PSI": lambda name: has_psi,
    # The pod's fixture (job headroom-pod) has a limited cgroup v2 on every machine.
    "container": lambda name: True,
}

# Every metric in docs/metrics.md, with its documented labels.
rows = [line for line in open(metrics_md) if line.startswith("| `headroom_")]
present_metrics = set()
for row in rows:
    cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
    name = cells[0].strip("`")
    labels = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", cells[2])) - OPTIONAL
    presence = cells[3]
    series = query(f'{{__name__="{name}",job=~"headroom|headroom-pod"}}')
    if not series:
        if needed[presence](name):
            report(False, f"{name}: no series (documented as present: {presence})")
        else:
            print(f"prometheus-check: skip {name}: not on this machine ({presence})")
        continue
    present_metrics.add(name)
    wrong = [s["metric"] for s in series
             if not labels <= set(s["metric"]) or set(s["metric"]) - ADDED - labels - OPTIONAL]
    report(not wrong, f"{name}: {len(series)} series with labels {sorted(labels) or 'none'}"
           + (f"; wrong labels on {wrong[0]}" if wrong else ""))
    if name == "headroom_pressure_memory_waiting_seconds_total":
        scopes = {s["metric"].get("scope") for s in series}
        report(scopes == {"host", "container"}, f"{name}: scopes {sorted(scopes)}")

# The pod's figures are the fixture's: a 512 MiB limit, 250 MiB in use less inactive file, 2 OOM kills,
# PSI totals of 2.5 s (some) and 1.25 s (full) in the cgroup.
pod = {
    'headroom_container_memory_limit_bytes': 536870912,
    'headroom_container_memory_usage_bytes': 314572800 - 52428800,
    'headroom_container_oom_kills_total': 2,
    'headroom_pressure_memory_waiting_seconds_total{scope="container"}': 2.5,
    'headroom_pressure_memory_stalled_seconds_total{scope="container"}': 1.25,
    'headroom_pressure_memory_waiting_seconds_total{scope="host"}': 1.0,
}
for expr, expected in pod.items():
    name, _, labels = expr.partition("{")
    result = query(f'{name}{{job="headroom-pod"{"," + labels.rstrip("}") if labels else ""}}}')
    value = float(result[0]["value"][1]) if result else None
    report(value == expected, f"pod fixture: {expr} = {value} (expected {expected})")

# Every PromQL expression in the Grafana dashboard returns data.
dashboard = json.load(open(dashboard_json))
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"].replace("$instance", ".*")
        if 'GPU_I_ID!=""' in expr:
            print(f"prometheus-check: skip panel {panel['title']!r}: the fake NVML has no MIG slice")
            continue
        missing = [m for m in re.findall(r"headroom_[a-z_]+", expr) if m not in present_metrics]
        if missing:
            print(f"prometheus-check: skip panel {panel['title']!r}: {missing[0]} is not on this machine")
            continue
        result = query(expr)
        report(bool(result), f"panel {panel['title']!r}: {target['expr']} → {len(result)} series")

# Host available memory against headroom diagnose --json, read at the same moment.
for attempt in range(3):
    served = float(query('headroom_host_memory_available_bytes{job="headroom"}')[0]["value"][1])
    fresh = json.loads(subprocess.run([headroom, "diagnose", "--json"], capture_output=True, check=True).stdout)
    fresh_host = fresh["host"].get("memory", fresh["host"])
    diagnosed = float(fresh_host["availableBytes"])
    difference = abs(served - diagnosed) / diagnosed
    if difference <= 0.02:
        break
    time.sleep(1)
report(difference <= 0.02, f"host available memory: Prometheus {served / 2**30:.2f} GiB, "
       f"diagnose --json {diagnosed / 2**30:.2f} GiB ({difference * 100:.2f}% apart, at most 2%)")

print(f"prometheus-check: {'PASSED' if failures == 0 else f'FAILED ({failures})'}")
sys.exit(1 if failures else 0)
