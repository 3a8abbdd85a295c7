#!/usr/bin/env bash
# On a GPU host: the runs of scripts/bench-plan-accuracy.sh on CUDA, compared with
# `headroom plan --device gpu`. Each run's peak is torch.cuda.max_memory_reserved() plus the
# CUDA context (the process's GPU memory from nvidia-smi right after torch.cuda.init());
# the ONNX rows use onnxruntime-gpu and take the process's GPU memory after the run.
# Passes when every plan answers and every compared row is within ±15%.
#
#   scripts/gpu-plan-check.sh [--json OUT.json] [--only NAME[,NAME...]]
#
# Python: HEADROOM_PYTHON (default python3) where it has torch with CUDA, transformers,
# safetensors and onnx; otherwise .venv-plan-accuracy-gpu (on top of the system's packages)
# with what is missing installed by pip, onnxruntime-gpu included. Models: as in
# bench-plan-accuracy.sh (HEADROOM_PLAN_MODELS; they can be copied from another machine).
# The measurement goes to .build/plan-accuracy/measured-cuda.json. Build the binary on the
# development machine with `swift build -c release --static-swift-stdlib --product headroom`
# and copy it here; HEADROOM names it (default .build/release/headroom).
set -euo pipefail
cd "$(dirname "$0")/.."

json="" only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --json) json="$2"; shift ;;
        --only) only="$2"; shift ;;
        *) echo "usage: scripts/gpu-plan-check.sh [--json OUT.json] [--only NAME[,NAME...]]" >&2; exit 2 ;;
    esac
    shift
done

nvidia-smi -L >/dev/null 2>&1 || { echo "gpu-plan-check: no CUDA device (nvidia-smi lists none): run this on a GPU host" >&2; exit 1; }
binary="${HEADROOM:-.build/release/headroom}"
[ -x "$binary" ] || { echo "gpu-plan-check: no headroom binary at $binary" >&2; exit 1; }
models="${HEADROOM_PLAN_MODELS:-.build/plan-accuracy/models}"

py="${HEADROOM_PYTHON:-python3}"
if ! "$py" -c 'import torch, transformers, safetensors, onnx' 2>/dev/null; then
    venv=.venv-plan-accuracy-gpu
    [ -x "$venv/bin/python" ] || "$py" -m venv --system-site-packages "$venv"
    py="$venv/bin/python"
    pin="$("$py" -c 'import torch; print("torch==" + torch.__version__)' 2>/dev/null || echo torch)"
    "$py" -m pip install --quiet transformers safetensors onnx onnxruntime-gpu "$pin"
fi
"$py" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' \
    || { echo "gpu-plan-check: torch $("$py" -c 'import torch; print(torch.__version__)') sees no CUDA device" >&2; exit 1; }

"$py" scripts/plan-accuracy/models.py "$models"
measured=.build/plan-accuracy/measured-cuda.json
"$py" scripts/plan-accuracy/measure.py "$models" "$measured" --device cuda ${only:+--only "$only"}
echo
"$py" scripts/plan-accuracy/compare.py "$measured" "$models" --headroom "$binary" --device gpu --bar 15 --strict \
    ${json:+--json "$json"}
