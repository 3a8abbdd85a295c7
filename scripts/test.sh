#!/usr/bin/env bash
# The test command: the Swift suites, then the Python suite against the wheel
# installed in a fresh virtual environment (never against python/ itself).
#
#   scripts/test.sh
#
# It builds the wheel (scripts/build-wheel.sh), compiles the fake NVML library
# for the GPU paths, and installs pytest, hypothesis, numpy and cachetools into
# the environment. pytest's "no tests ran" (exit 5) is a failure.
#
# Between the two: the Kubernetes manifests are validated offline
# (scripts/validate-manifests.sh) and headroom serve is checked against a real
# Prometheus (scripts/prometheus-check.sh); each says plainly when its tool
# (kubernetes-validate from PyPI, prometheus from Debian) cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

swift test

bash scripts/validate-manifests.sh
bash scripts/prometheus-check.sh "$(swift build --show-bin-path)"

bash scripts/build-wheel.sh .whl
wheel="$(ls "$root"/.whl/headroom_mem-*.whl)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
"$work/venv/bin/pip" install --quiet "$wheel" pytest hypothesis numpy cachetools

# A fake NVML with one 80 GiB GPU, 10 GiB of it used, for the budget and VRAM paths.
mkdir -p "$work/nvml"
cc -shared -fPIC -O1 -o "$work/nvml/libnvidia-ml.so.1" Sources/HeadroomSystemTestKit/FakeNVML/fake_nvml.c -ldl
printf 'driver 550.54.15\ndevice name=Fake_GPU total=80GiB used=10GiB\n' > "$work/nvml/libnvidia-ml.so.1.conf"

cd "$work"
status=0
HEADROOM_TEST_FAKE_NVML="$work/nvml/libnvidia-ml.so.1" "$work/venv/bin/python" -m pytest "$root/python/tests" -q -p no:cacheprovider --import-mode=importlib || status=$?
if [ "$status" -eq 5 ]; then
    echo "test: pytest ran no test" >&2
    exit 1
fi
exit "$status"
