"""Measures the peak memory of real PyTorch (and onnxruntime) runs, one fresh process a row.

    python measure.py MODELS_DIR OUT.json [--device cpu|cuda] [--only NAME[,NAME...]]
                      [--limit-gib 12] [--timeout 300]

MODELS_DIR is what models.py wrote. Each row of ROWS runs in a child process of its own:
it imports torch and transformers (onnxruntime for the ONNX rows), takes its baseline,
builds the model from the saved config with random weights (the safetensors file is
not loaded), builds the inputs and runs once; the peak is the largest memory it reached
above the baseline, so it covers the weights, the run and everything the run allocated.

  cpu   baseline: VmRSS after the imports; "5" written to /proc/self/clear_refs resets
        VmHWM to it; peak = VmHWM - baseline. Two threads (torch.set_num_threads(2)).
  cuda  peak = torch.cuda.max_memory_reserved() + the CUDA context, the process's GPU
        memory (nvidia-smi) right after torch.cuda.init(). The ONNX rows need
        onnxruntime-gpu; their peak is the process's GPU memory after the run (the
        arena keeps what it took).

Training rows run one AdamW step, reset the peak, and measure a second step: its peak
(weights, gradients, both Adam moments, activations) is peakBytes, the first step's is
firstStepPeakBytes. The parent watches each child: a row that passes --limit-gib of RSS
or --timeout seconds is killed and recorded as skipped, and so are the rows of the same
model and run that are at least as large in every dimension; a child that fails is
recorded as skipped with its last line of error. OUT.json is rewritten after every row.
"""
import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import CONFIGS, ONNX_NAME  # noqa: E402

GIB = 1 << 30


def _rows():
    rows = []

    def add(model, run, batch, sequence=None, image=None, attention=None, new_tokens=None, optimizer=None):
        dtype = CONFIGS[model][4] if model in CONFIGS else "float32"
        rows.append(dict(model=model, run=run, attention=attention, batch=batch, sequence=sequence,
                         newTokens=new_tokens, image=image, dtype=dtype, optimizer=optimizer))

    for llama in ("llama-125m-fp32", "llama-125m-bf16"):
        for s in (128, 512, 1024):
            for b in (1, 4, 8):
                add(llama, "forward", b, sequence=s, attention="sdpa")
        if llama.endswith("fp32"):
            for b in (1, 4):
                add(llama, "forward", b, sequence=512, attention="eager")
        for s in (128, 512):
            for b in (1, 4):
                add(llama, "generate", b, sequence=s, attention="sdpa", new_tokens=32)
        if llama.endswith("fp32"):
            for s in (256, 512):
                for b in (1, 4, 8):
                    add(llama, "train", b, sequence=s, attention="sdpa", optimizer="adamw")
    for s in (128, 512):
        for b in (1, 8, 32):
            add("bert-base", "forward", b, sequence=s)
    for b in (4, 8):
        add("bert-base", "train", b, sequence=128, optimizer="adamw")
    for b in (1, 2, 4, 8):
        add("segformer-b2", "forward", b, image=[512, 512])
    for b in (1, 2, 4):
        add("segformer-b2", "forward", b, image=[1024, 1024])
    for b in (2, 4):
        add("segformer-b2", "train", b, image=[512, 512], optimizer="adamw")
    for b in (1, 8, 32):
        add("vit-b16", "forward", b, image=[224, 224])
    for b in (8, 16):
        add("vit-b16", "train", b, image=[224, 224], optimizer="adamw")
    for b in (1, 2, 4):
        add(ONNX_NAME, "onnx", b, image=[512, 512])
    return rows


ROWS = _rows()


# ---------------------------------------------------------------- child


def _status_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _nvidia_smi(*query):
    out = subprocess.run(["nvidia-smi", *query, "--format=csv,noheader,nounits"],
                         capture_output=True, text=True, check=True).stdout
    return [line.split(", ") for line in out.strip().splitlines() if line.strip()]


def _process_gpu_bytes(device_used_before):
    """This process's GPU memory; where its pid is not visible (a container's pid namespace),
    the growth of the device's used memory since device_used_before."""
    for pid, used in _nvidia_smi("--query-compute-apps=pid,used_memory"):
        if int(pid) == os.getpid():
            return int(used) << 20
    return _device_used_bytes() - device_used_before


def _device_used_bytes():
    index = os.environ.get("CUDA_VISIBLE_DEVICES", "0").split(",")[0]
    return int(_nvidia_smi("--query-gpu=memory.used", "-i", index)[0][0]) << 20


class Meter:
    """Peak memory above the baseline taken at construction, on the CPU or the GPU."""

    def __init__(self, device):
        self.device = device
        if device == "cpu":
            self.baseline = _status_bytes("VmRSS")
            self.reset()
        else:
            import torch
            before = _device_used_bytes()
            torch.cuda.init()
            torch.cuda.synchronize()  # makes sure the context exists
            self.baseline = 0
            self.context = _process_gpu_bytes(before)
            self._device_before = before

    def reset(self):
        if self.device == "cpu":
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
        else:
            import torch
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()

    def peak(self):
        if self.device == "cpu":
            return _status_bytes("VmHWM") - self.baseline
        import torch
        torch.cuda.synchronize()
        return torch.cuda.max_memory_reserved() + self.context

    def after(self):
        """What the process holds now: VmRSS on the CPU, its GPU memory on CUDA."""
        if self.device == "cpu":
            return {"rssAfterBytes": _status_bytes("VmRSS") - self.baseline}
        return {"gpuAfterBytes": _process_gpu_bytes(self._device_before), "contextBytes": self.context}


def _measure_torch(row, models_dir, device):
    import torch
    import transformers
    torch.set_num_threads(2)
    torch.manual_seed(0)
    _, model_class, auto_class, _, _ = CONFIGS[row["model"]]
    config = transformers.AutoConfig.from_pretrained(os.path.join(models_dir, row["model"]))
    getattr(transformers, model_class)  # imports the modeling module before the baseline
    auto = getattr(transformers, auto_class)
    dtype = getattr(torch, row["dtype"])

    meter = Meter(device)
    start = time.monotonic()
    kwargs = {"dtype": dtype}
    if row["attention"]:
        kwargs["attn_implementation"] = row["attention"]
    model = auto.from_config(config, **kwargs).to(device)
    b = row["batch"]
    if row["sequence"]:
        inputs = {"input_ids": torch.randint(0, config.vocab_size, (b, row["sequence"]), device=device)}
        labels = inputs["input_ids"]
    else:
        h, w = row["image"]
        inputs = {"pixel_values": torch.randn(b, config.num_channels, h, w, dtype=dtype, device=device)}
        if row["model"].startswith("segformer"):
            labels = torch.randint(0, config.num_labels, (b, h, w), device=device)
        else:
            labels = torch.randint(0, config.num_labels, (b,), device=device)
    if row["model"].startswith("llama"):
        inputs["use_cache"] = False

    first = None
    if row["run"] == "forward":
        model.eval()
        with torch.inference_mode():
            model(**inputs)
    elif row["run"] == "generate":
        model.eval()
        ids = inputs["input_ids"]
        with torch.inference_mode():
            model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                           max_new_tokens=row["newTokens"], min_new_tokens=row["newTokens"],
                           pad_token_id=config.eos_token_id)
    else:
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

        def step():
            model(**inputs, labels=labels).loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)

        step()
        first = meter.peak()
        meter.reset()
        step()
    peak = meter.peak()
    seconds = time.monotonic() - start
    weights = sum(p.numel() * p.element_size() for p in model.parameters())
    return dict(peakBytes=peak, firstStepPeakBytes=first, weightsBytes=weights, seconds=round(seconds, 2),
                baselineBytes=meter.baseline, attentionImplementation=model.config._attn_implementation,
                **meter.after())


def _measure_onnx(row, models_dir, device):
    import numpy as np
    import onnxruntime as ort
    path = os.path.join(models_dir, row["model"], "model.onnx")
    provider = "CPUExecutionProvider" if device == "cpu" else "CUDAExecutionProvider"
    if provider not in ort.get_available_providers():
        raise SystemExit(f"onnxruntime has no {provider}")
    meter = Meter("cpu") if device == "cpu" else None
    device_before = _device_used_bytes() if device == "cuda" else 0
    start = time.monotonic()
    session = ort.InferenceSession(path, providers=[provider])
    h, w = row["image"]
    pixels = np.random.default_rng(0).standard_normal((row["batch"], 3, h, w), dtype=np.float32)
    session.run(None, {"pixel_values": pixels})
    if meter:
        peak, after = meter.peak(), meter.after()
        baseline = meter.baseline
    else:
        # onnxruntime's CUDA arena keeps what it took: the process's memory now is its peak.
        peak = _process_gpu_bytes(device_before)
        after, baseline = {"gpuAfterBytes": peak}, 0
    seconds = time.monotonic() - start
    import onnx
    sizes = {onnx.TensorProto.FLOAT: 4, onnx.TensorProto.FLOAT16: 2, onnx.TensorProto.BFLOAT16: 2,
             onnx.TensorProto.DOUBLE: 8, onnx.TensorProto.INT64: 8, onnx.TensorProto.INT32: 4,
             onnx.TensorProto.INT8: 1, onnx.TensorProto.UINT8: 1, onnx.TensorProto.BOOL: 1}
    graph = onnx.load(path, load_external_data=False).graph
    weights = sum(int(np.prod(t.dims)) * sizes[t.data_type] for t in graph.initializer)
    return dict(peakBytes=peak, firstStepPeakBytes=None, weightsBytes=weights, seconds=round(seconds, 2),
                baselineBytes=baseline, **after)


def child(row, models_dir, device):
    measure = _measure_onnx if row["run"] == "onnx" else _measure_torch
    print(json.dumps(measure(row, models_dir, device)), flush=True)


# ---------------------------------------------------------------- parent


def _rss_bytes(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _size(row):
    pixels = row["image"][0] * row["image"][1] if row["image"] else 0
    return (row["batch"], row["sequence"] or 0, pixels, row["newTokens"] or 0)


def _dominated(row, too_large):
    """A row at least as large, in every dimension, as one that was already too large."""
    for other in too_large:
        same = all(row[k] == other[k] for k in ("model", "run", "attention", "dtype"))
        if same and all(a >= b for a, b in zip(_size(row), _size(other))):
            return other
    return None


def run_row(row, models_dir, device, limit, timeout):
    """The child's result merged into the row, or the row with `skipped` and the reason."""
    argv = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(row), models_dir, "--device", device]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start, reason = time.monotonic(), None
    while proc.poll() is None:
        if _rss_bytes(proc.pid) > limit:
            reason = f"over {limit / GIB:g} GiB of RSS"
        elif time.monotonic() - start > timeout:
            reason = f"over {timeout:g} s"
        if reason:
            proc.kill()
            proc.communicate()
            return dict(row, skipped=reason, seconds=round(time.monotonic() - start, 1))
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode != 0:
        last = (err.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return dict(row, skipped=f"failed: {last}", seconds=round(time.monotonic() - start, 1))
    return dict(row, **json.loads(out.strip().splitlines()[-1]))


def machine(device):
    def version(package):
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return None
    ort = version("onnxruntime") or version("onnxruntime-gpu")
    info = dict(device=device, cpuCount=os.cpu_count(), torchThreads=2, python=platform.python_version(),
                torch=version("torch"), transformers=version("transformers"),
                onnxruntime=ort, platform=platform.platform())
    with open("/proc/cpuinfo") as f:
        info["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
    with open("/proc/meminfo") as f:
        info["memoryBytes"] = int(f.readline().split()[1]) * 1024
    if device == "cuda":
        name, total, driver = _nvidia_smi("--query-gpu=name,memory.total,driver_version", "-i", "0")[0]
        info.update(gpu=name, gpuMemoryBytes=int(total) << 20, driver=driver)
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models_dir")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    ap.add_argument("--only", help="comma-separated model names")
    ap.add_argument("--limit-gib", type=float, default=12.0)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(json.loads(args.child), args.models_dir, args.device)
    if not args.out:
        ap.error("OUT.json is required")

    only = set(args.only.split(",")) if args.only else None
    rows = [r for r in ROWS if only is None or r["model"] in only]
    result = {"machine": machine(args.device), "rows": []}
    too_large = []
    for row in rows:
        label = f"{row['model']:18} {row['run']:8} {row['attention'] or '':5} b={row['batch']:<2} " + (
            f"s={row['sequence']}" if row["sequence"] else "img={}x{}".format(*row["image"]))
        other = _dominated(row, too_large)
        if other:
            measured = dict(row, skipped=f"{other['skipped']} at a smaller size", seconds=0)
        else:
            measured = run_row(row, args.models_dir, args.device, args.limit_gib * GIB, args.timeout)
        if "skipped" in measured:
            if measured["skipped"].startswith("over"):
                too_large.append(measured)
            print(f"{label:52} skipped: {measured['skipped']}", flush=True)
        else:
            print(f"{label:52} peak {measured['peakBytes'] / 2**20:9.1f} MiB  weights "
                  f"{measured['weightsBytes'] / 2**20:7.1f} MiB  {measured['seconds']:6.1f} s", flush=True)
        result["rows"].append(measured)
        with open(args.out + ".tmp", "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        os.replace(args.out + ".tmp", args.out)


if __name__ == "__main__":
    main()
