#!/usr/bin/env bash
# Runs a libFuzzer target for each model file reader (safetensors, GGUF, ONNX,
# config.json, the safetensors index) for a bounded time, from a small seed
# corpus of valid files, with AddressSanitizer; Swift's overflow checks stay on,
# so an arithmetic trap on an untrusted number is found as a crash. The config
# and GGUF targets also plan what they read, through the memory model. A crash leaves its input in Fuzz/findings/<target>/; put it
# into a regression test in Tests/HeadroomPlannerTests/ReaderRegressionTests.swift.
#
#   scripts/fuzz-plan.sh [seconds per target]      (default 60)
#
# HEADROOM_FUZZ_SCRATCH chooses the build directory (default Fuzz/.build).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch="${HEADROOM_FUZZ_SCRATCH:-Fuzz/.build}"

# lld, because gold fails on the sanitizer runtime (internal error in format_file_lineno).
flags=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
swift build --package-path Fuzz --scratch-path "$scratch" "${flags[@]}" 2>&1 | grep -E "error:" && exit 1 || true
bin="$(swift build --package-path Fuzz --scratch-path "$scratch" "${flags[@]}" --show-bin-path)"

corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
python3 - "$corpus" <<'PY'
import json, os, struct, sys
root = sys.argv[1]
for name in ("FuzzSafetensors", "FuzzGGUF", "FuzzONNX", "FuzzConfig", "FuzzIndex"):
    os.makedirs(os.path.join(root, name))
open(os.path.join(root, "FuzzConfig", "a"), "w").write(json.dumps(
    {"model_type": "llama", "num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32,
     "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "max_position_embeddings": 8192,
     "text_config": {"head_dim": 128}}))
open(os.path.join(root, "FuzzIndex", "a"), "w").write(json.dumps(
    {"metadata": {"total_size": 16}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}))

def safetensors(header, data):
    encoded = json.dumps(header).encode()
    return struct.pack("<Q", len(encoded)) + encoded + bytes(data)
open(os.path.join(root, "FuzzSafetensors", "a"), "wb").write(safetensors(
    {"a": {"dtype": "F16", "shape": [2, 3], "data_offsets": [0, 12]},
     "b": {"dtype": "I8", "shape": [4], "data_offsets": [12, 16]}, "__metadata__": {"format": "pt"}}, 16))

def s(text):
    return struct.pack("<Q", len(text)) + text.encode()
def kv(key, kind, payload):
    return s(key) + struct.pack("<I", kind) + payload
gguf = b"GGUF" + struct.pack("<IQQ", 3, 2, 4)
gguf += kv("general.architecture", 8, s("llama")) + kv("llama.block_count", 4, struct.pack("<I", 1))
gguf += kv("general.alignment", 4, struct.pack("<I", 32))
gguf += kv("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + s("a") + s("b"))
gguf += s("blk.0.w") + struct.pack("<IQIQ", 1, 32, 8, 0) + s("out") + struct.pack("<IQIQ", 1, 4, 0, 64)
gguf += bytes(-len(gguf) % 32) + bytes(64 + 16)
open(os.path.join(root, "FuzzGGUF", "a"), "wb").write(gguf)

def varint(v):
    out = b""
    while True:
        b = v & 0x7f; v >>= 7
        out += bytes([b | (0x80 if v else 0)])
        if not v: return out
def field(n, payload): return varint(n << 3 | 2) + varint(len(payload)) + payload
tensor = varint(8) + varint(4) + varint(8) + varint(3) + varint(16) + varint(1) + field(8, b"w") + field(9, bytes(48))
tensor2 = field(1, varint(2) + varint(2)) + varint(16) + varint(10) + field(8, b"b") + field(13, field(1, b"location") + field(2, b"x.bin")) + varint(14 << 3) + varint(1)
onnx = varint(8) + varint(9) + field(7, field(2, b"g") + field(5, tensor) + field(5, tensor2))
open(os.path.join(root, "FuzzONNX", "a"), "wb").write(onnx)
PY

status=0
for target in FuzzSafetensors FuzzGGUF FuzzONNX FuzzConfig FuzzIndex; do
    findings="Fuzz/findings/$target"
    mkdir -p "$findings"
    echo "fuzz-plan: $target for ${seconds}s"
    if "$bin/$target" "$corpus/$target" -max_total_time="$seconds" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 2>"$corpus/$target.log"; then
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$corpus/$target.log" | sed 's/^/  /'
        echo "  clean"
    else
        status=1
        tail -40 "$corpus/$target.log"
        echo "  FOUND a crash: see $findings/"
    fi
done
exit $status
