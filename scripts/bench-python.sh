#!/usr/bin/env bash
# The Python package's benchmark, side by side in one run (python/bench/bench_python.py):
# `import headroom` against nvitop's and accelerate's import time (where installed),
# diagnose() in process against the equivalent psutil calls, Cache get/put against
# cachetools.LRUCache, and batched()'s overhead per item over a no-op function.
#
#   scripts/bench-python.sh
#
# Builds the wheel and installs it, with psutil, cachetools, numpy and nvitop, into a
# fresh virtual environment (accelerate needs torch, about a gigabyte: install it into
# that environment yourself to compare it too).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wheel.sh .whl >/dev/null
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet "$(ls .whl/headroom_mem-*.whl)" psutil cachetools numpy nvitop
cd "$venv"
"$venv/bin/python" "$OLDPWD/python/bench/bench_python.py"
