#!/usr/bin/env bash
# Times `headroom plan --json` on a sparse 2.2 GB safetensors model (TinyLlama's
# shapes, with its config.json) and on a GGUF of 1,026 tensors, reports median
# wall time and peak RSS of each, and compares with Python: the `safetensors`
# package reading the same header (and `gguf`'s GGUFReader for the GGUF) plus the
# same arithmetic (parameters, bytes, KV cache per item). Prints the ratios and
# a verdict on the bars: under 50 ms, under 30 MiB peak RSS, at least 20x faster.
#
#   scripts/bench-plan.sh [runs]      (default 30 runs of each, after 3 warm-ups)
#
# HEADROOM_SCRATCH chooses the build directory (default .build). The release
# binary is built with --static-swift-stdlib, as shipped. Peak RSS comes from
# /usr/bin/time -f %M.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
scratch="${HEADROOM_SCRATCH:-.build}"

swift build -c release --static-swift-stdlib --product headroom --scratch-path "$scratch" >/dev/null
binary="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/headroom"
python3 -c 'import safetensors, gguf, numpy' 2>/dev/null || python3 -m pip install --quiet safetensors gguf numpy >/dev/null 2>&1 \
    || { echo "bench-plan: safetensors, gguf and numpy are not installed and pip could not install them" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$binary" "$runs" "$work" <<'PY'
import json, os, statistics, struct, subprocess, sys, time
import numpy as np
import gguf

binary, runs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
gib = 1 << 30

# A safetensors model with TinyLlama-1.1B's shapes: header written by hand, data a sparse hole.
st_dir = os.path.join(work, "tinyllama")
os.makedirs(st_dir)
L, h, heads, kv, ffn, vocab = 22, 2048, 32, 4, 5632, 32000
hd = h // heads
shapes = [("model.embed_tokens.weight", [vocab, h])]
for i in range(L):
    p = f"model.layers.{i}."
    shapes += [(p + "self_attn.q_proj.weight", [h, h]), (p + "self_attn.k_proj.weight", [kv * hd, h]),
               (p + "self_attn.v_proj.weight", [kv * hd, h]), (p + "self_attn.o_proj.weight", [h, h]),
               (p + "mlp.gate_proj.weight", [ffn, h]), (p + "mlp.up_proj.weight", [ffn, h]),
               (p + "mlp.down_proj.weight", [h, ffn]), (p + "input_layernorm.weight", [h]),
               (p + "post_attention_layernorm.weight", [h])]
shapes += [("model.norm.weight", [h]), ("lm_head.weight", [vocab, h])]
header, offset = {"__metadata__": {"format": "pt"}}, 0
for name, shape in shapes:
    size = int(np.prod(shape)) * 2
    header[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [offset, offset + size]}
    offset += size
encoded = json.dumps(header).encode()
st_path = os.path.join(st_dir, "model.safetensors")
with open(st_path, "wb") as f:
    f.write(struct.pack("<Q", len(encoded)))
    f.write(encoded)
    f.truncate(8 + len(encoded) + offset)
json.dump({"model_type": "llama", "num_hidden_layers": L, "hidden_size": h, "num_attention_heads": heads,
           "num_key_value_heads": kv, "intermediate_size": ffn, "vocab_size": vocab, "max_position_embeddings": 2048},
          open(os.path.join(st_dir, "config.json"), "w"))
assert os.path.getsize(st_path) >= 2 * gib

# A GGUF of 1,026 small tensors (Q8_0 and F32) with llama metadata, written by gguf-py.
gguf_path = os.path.join(work, "many.gguf")
writer = gguf.GGUFWriter(gguf_path, "llama")
writer.add_block_count(256)
writer.add_embedding_length(64)
writer.add_head_count(4)
writer.add_head_count_kv(4)
writer.add_context_length(2048)
writer.add_feed_forward_length(256)
for i in range(256):
    for j, kind in enumerate(["attn_q", "attn_k", "ffn_up", "attn_norm"]):
        if kind == "attn_norm":
            writer.add_tensor(f"blk.{i}.{kind}.weight", np.zeros(64, dtype=np.float32))
        else:
            q = np.zeros((64, 64 // 32 * 34), dtype=np.uint8)
            writer.add_tensor(f"blk.{i}.{kind}.weight", q, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
writer.add_tensor("token_embd.weight", np.zeros((100, 64), dtype=np.float32))
writer.add_tensor("output.weight", np.zeros((100, 64), dtype=np.float32))
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()

py_safetensors = r'''
import json, sys
from safetensors import safe_open
sizes = {"BF16": 2, "F16": 2, "F32": 4, "F64": 8, "I8": 1, "U8": 1, "I32": 4, "I64": 8}
path, config = sys.argv[1], json.load(open(sys.argv[2]))
params = total = 0
with safe_open(path, framework="np") as f:
    for name in f.keys():
        s = f.get_slice(name)
        n = 1
        for d in s.get_shape(): n *= d
        params += n; total += n * sizes[s.get_dtype()]
L, h, a = config["num_hidden_layers"], config["hidden_size"], config["num_attention_heads"]
kv_heads, seq = config.get("num_key_value_heads", a), min(config["max_position_embeddings"], 4096)
kv = 2 * L * kv_heads * (h // a) * seq * 2
print(json.dumps({"parameterCount": params, "weightBytes": total, "kvCachePerItemBytes": kv,
                  "table": [{"batchSize": b, "totalBytes": total + kv * b} for b in (1, 2, 4, 8, 16, 32)]}))
'''
py_gguf = r'''
import json, sys
import gguf
r = gguf.GGUFReader(sys.argv[1])
params = sum(int(t.n_elements) for t in r.tensors); total = sum(int(t.n_bytes) for t in r.tensors)
get = lambda k: int(r.fields[k].parts[-1][0])
L, h, a = get("llama.block_count"), get("llama.embedding_length"), get("llama.attention.head_count")
kv = 2 * L * get("llama.attention.head_count_kv") * (h // a) * min(get("llama.context_length"), 4096) * 2
print(json.dumps({"parameterCount": params, "weightBytes": total, "kvCachePerItemBytes": kv}))
'''

def once(command):
    """Wall milliseconds of one run."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000

def peak_rss(command):
    """Peak RSS in MiB, from /usr/bin/time (its child starts small, unlike a fork of this Python)."""
    report = os.path.join(work, "rss")
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report] + command, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return int(open(report).read().split()[-1]) / 1024

def measure(command):
    for _ in range(3):
        once(command)
    samples = [once(command) for _ in range(runs)]
    return statistics.median(samples), max(peak_rss(command) for _ in range(3))

cases = [
    ("safetensors 2.2 GB (201 tensors)", [binary, "plan", "--json", st_dir],
     [sys.executable, "-c", py_safetensors, st_path, os.path.join(st_dir, "config.json")]),
    ("GGUF 1,026 tensors", [binary, "plan", "--json", gguf_path], [sys.executable, "-c", py_gguf, gguf_path]),
]
ok = True
print(f"bench-plan: {runs} runs each, median wall time, peak RSS")
print(f"  {'model':<34}{'headroom ms':>12}{'RSS MiB':>9}{'python ms':>11}{'RSS MiB':>9}{'ratio':>8}")
for name, ours, theirs in cases:
    check = json.loads(subprocess.run(ours, capture_output=True, check=True).stdout)
    reference = json.loads(subprocess.run(theirs, capture_output=True, check=True).stdout)
    assert check["model"]["parameterCount"] == reference["parameterCount"], (check["model"]["parameterCount"], reference)
    assert check["model"]["weightBytes"] == reference["weightBytes"], (check["model"]["weightBytes"], reference)
    ms, rss = measure(ours)
    py_ms, py_rss = measure(theirs)
    ratio = py_ms / ms
    print(f"  {name:<34}{ms:>12.2f}{rss:>9.1f}{py_ms:>11.2f}{py_rss:>9.1f}{ratio:>7.1f}x")
    bars = [("under 50 ms", ms < 50), ("under 30 MiB RSS", rss < 30), ("at least 20x Python", ratio >= 20)]
    print("    " + ", ".join(f"{label}: {'pass' if passed else 'FAIL'}" for label, passed in bars))
    ok = ok and all(passed for _, passed in bars)
print("bench-plan: every bar passes" if ok else "bench-plan: some bars fail")
PY
