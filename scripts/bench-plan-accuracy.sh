#!/usr/bin/env bash
# How close `headroom plan` comes to what real PyTorch runs use on the CPU. Builds five
# architectures with random weights (LLaMA ~125M with GQA in fp32 and bf16, BERT-base,
# SegFormer-B2, ViT-B/16, and SegFormer-B2 exported to ONNX), measures each run's peak
# RSS in a fresh process (forward, generate, eager attention, AdamW training, onnxruntime;
# scripts/plan-accuracy/measure.py says how), then plans the same runs with
# `headroom plan --device cpu` and prints measured against planned: each ratio, the worst,
# the median absolute error and how many rows are within ±20%.
#
#   scripts/bench-plan-accuracy.sh [--reuse] [--json OUT.json] [--only NAME[,NAME...]]
#
#   --reuse   compare with the pinned figures, scripts/plan-accuracy/measured.json, instead
#             of measuring again (measuring takes 10-20 minutes and up to 12 GiB of RAM)
#   --json    also write the comparison as JSON
#   --only    measure only these models (llama-125m-fp32, llama-125m-bf16, bert-base,
#             segformer-b2, vit-b16, segformer-b2-onnx)
#
# A fresh measurement goes to .build/plan-accuracy/measured.json; to pin it, copy it over
# scripts/plan-accuracy/measured.json. The Python environment is .venv-plan-accuracy: torch
# from a local wheel in HEADROOM_WHEELS (default /opt/wheels) where one matches this Python,
# otherwise from pip, then transformers, safetensors, onnx and onnxruntime
# (torch pinned so that nothing replaces it). Models go to HEADROOM_PLAN_MODELS (default
# .build/plan-accuracy/models) and are built once. HEADROOM names the binary (default
# .build/release/headroom, built with `swift build -c release --product headroom` if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

reuse=0 json="" only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --reuse) reuse=1 ;;
        --json) json="$2"; shift ;;
        --only) only="$2"; shift ;;
        *) echo "usage: scripts/bench-plan-accuracy.sh [--reuse] [--json OUT.json] [--only NAME[,NAME...]]" >&2; exit 2 ;;
    esac
    shift
done

venv=.venv-plan-accuracy
py="$venv/bin/python"
wheels="${HEADROOM_WHEELS:-/opt/wheels}"
models="${HEADROOM_PLAN_MODELS:-.build/plan-accuracy/models}"
binary="${HEADROOM:-.build/release/headroom}"

[ -x "$py" ] || python3 -m venv "$venv"
if ! "$py" -c 'import torch, transformers, safetensors, onnx, onnxruntime' 2>/dev/null; then
    "$py" -m pip install --quiet --upgrade pip
    if ! "$py" -c 'import torch' 2>/dev/null; then
        tag="$("$py" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
        wheel="$(ls "$wheels"/torch-*-"$tag"-"$tag"-*linux*_x86_64.whl 2>/dev/null | sort -V | tail -1 || true)"
        "$py" -m pip install --quiet ${wheel:-torch} numpy
    fi
    torch_version="$("$py" -c 'import torch; print(torch.__version__)')"
    "$py" -m pip install --quiet transformers safetensors onnx onnxruntime "torch==$torch_version"
    after="$("$py" -c 'import torch; print(torch.__version__)')"
    [ "$after" = "$torch_version" ] || { echo "bench-plan-accuracy: installing transformers replaced torch $torch_version with $after" >&2; exit 1; }
fi

"$py" scripts/plan-accuracy/models.py "$models"

measured=scripts/plan-accuracy/measured.json
if [ "$reuse" = 0 ]; then
    measured=.build/plan-accuracy/measured.json
    "$py" scripts/plan-accuracy/measure.py "$models" "$measured" ${only:+--only "$only"}
    echo
fi

if [ ! -x "$binary" ]; then
    [ -z "${HEADROOM:-}" ] || { echo "bench-plan-accuracy: no headroom binary at $binary" >&2; exit 1; }
    swift build -c release --product headroom >/dev/null
fi
"$py" scripts/plan-accuracy/compare.py "$measured" "$models" --headroom "$binary" --device cpu --bar 20 \
    ${json:+--json "$json"}
