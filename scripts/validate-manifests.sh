#!/usr/bin/env bash
# Validates deploy/kubernetes offline: the DaemonSet, the Service and the
# host-PID overlay (its patch merged into the DaemonSet) against Kubernetes's
# own schemas with kubernetes-validate from PyPI (strict: unknown fields are
# errors); the ServiceMonitor, a CRD kubernetes-validate has no schema for,
# against deploy/kubernetes/schemas/servicemonitor-v1.json with jsonschema.
#
#   scripts/validate-manifests.sh
#
# The validator is installed into .build/manifest-venv on first use. Where it
# cannot be installed (no network to PyPI), it says so and exits 0: the
# manifests are then not validated, and the line says that plainly.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.build/manifest-venv
version=1.37.0
if ! "$venv/bin/python" -c "import kubernetes_validate, jsonschema, yaml" >/dev/null 2>&1; then
    mkdir -p .build
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "kubernetes-validate==$version"; } >/dev/null 2>&1; then
        echo "validate-manifests: SKIPPED: cannot install kubernetes-validate $version from PyPI; the manifests were not validated"
        exit 0
    fi
fi

"$venv/bin/python" - <<'PY'
import copy, json, sys, yaml
import jsonschema, kubernetes_validate

base = "deploy/kubernetes"
def load(path):
    with open(path) as f:
        return yaml.safe_load(f)

def merge(into, patch):
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
    return into

kustomization = load(f"{base}/kustomization.yaml")
resources = {path: load(f"{base}/{path}") for path in kustomization["resources"]}
overlay = load(f"{base}/overlays/host-pid/kustomization.yaml")
daemonset = next(r for r in resources.values() if r["kind"] == "DaemonSet")
patched = merge(copy.deepcopy(daemonset), load(f"{base}/overlays/host-pid/{overlay['patches'][0]['path']}"))
assert patched["spec"]["template"]["spec"]["hostPID"] is True and "hostPID" not in daemonset["spec"]["template"]["spec"]
targets = list(resources.items()) + [("overlays/host-pid (rendered)", patched)]

failures = 0
version = kubernetes_validate.latest_version()
crd_schema = json.load(open(f"{base}/schemas/servicemonitor-v1.json"))
for name, resource in targets:
    try:
        if resource["kind"] == "ServiceMonitor":
            jsonschema.validate(resource, crd_schema)
            print(f"validate-manifests: {name}: ServiceMonitor valid against schemas/servicemonitor-v1.json")
        else:
            kubernetes_validate.validate(resource, version, strict=True)
            print(f"validate-manifests: {name}: {resource['kind']} valid against Kubernetes {version} (strict)")
    except Exception as error:
        failures += 1
        message = getattr(error, "message", str(error)).splitlines()[0]
        print(f"validate-manifests: {name}: INVALID: {message}", file=sys.stderr)
sys.exit(1 if failures else 0)
PY
