"""Compares `headroom plan`'s estimates with measured peaks (measure.py's output).

    python compare.py MEASURED.json MODELS_DIR --headroom BIN [--device cpu|gpu]
                      [--bar 20] [--json OUT.json] [--strict]

For each measured row it runs
    BIN plan MODELS_DIR/NAME --json --device DEVICE --batch-size B --mode forward|generate|training
        [--sequence-length S] [--new-tokens N] [--image-size HxW] [--attention sdpa|eager]
        [--optimizer adamw]
(an ONNX row: BIN plan MODELS_DIR/NAME/model.onnx --json --device DEVICE --batch-size B
--image-size HxW), reads estimate.totalBytes, and prints measured and planned MiB with the
ratio planned/measured. Then: the worst ratio (farthest from 1 in log terms), the median
absolute error in %, and how many rows are within ±BAR %. A plan that fails or answers
without estimate.totalBytes is a failure, its error shown in its row; rows the
measurement skipped are listed and left out of the figures. With --strict the exit
status is 1 when any row fails or falls outside the bar. Standard library only.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys

MIB = 1 << 20
MODES = {"forward": "forward", "generate": "generate", "train": "training"}


def plan_command(binary, models_dir, row, device):
    if row["run"] == "onnx":
        argv = [binary, "plan", os.path.join(models_dir, row["model"], "model.onnx"), "--json",
                "--device", device, "--batch-size", str(row["batch"])]
    else:
        argv = [binary, "plan", os.path.join(models_dir, row["model"]), "--json", "--device", device,
                "--batch-size", str(row["batch"]), "--mode", MODES[row["run"]]]
    if row.get("sequence"):
        argv += ["--sequence-length", str(row["sequence"])]
    if row.get("newTokens"):
        argv += ["--new-tokens", str(row["newTokens"])]
    if row.get("image"):
        argv += ["--image-size", "{}x{}".format(*row["image"])]
    if row.get("attention"):
        argv += ["--attention", row["attention"]]
    if row.get("optimizer"):
        argv += ["--optimizer", row["optimizer"]]
    return argv


def planned_bytes(argv):
    """(estimate.totalBytes, the estimate, None) or (None, None, the error in one line)."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, None, str(e)
    if proc.returncode != 0:
        lines = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        return None, None, f"exit {proc.returncode}: " + (lines[-1] if lines else "no output")
    try:
        estimate = json.loads(proc.stdout)["estimate"]
        return int(estimate["totalBytes"]), estimate, None
    except (ValueError, KeyError, TypeError) as e:
        return None, None, f"no estimate.totalBytes in the JSON ({type(e).__name__}: {e})"


def shape(row):
    if row.get("sequence"):
        return f"s={row['sequence']}" + (f"+{row['newTokens']}" if row.get("newTokens") else "")
    return "{}x{}".format(*row["image"])


def run_label(row):
    return row["run"] + (f"/{row['attention']}" if row.get("attention") and row["attention"] != "sdpa" else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("measured")
    ap.add_argument("models_dir")
    ap.add_argument("--headroom", required=True, help="the headroom binary")
    ap.add_argument("--device", default="cpu", help="headroom plan's --device (cpu or gpu)")
    ap.add_argument("--bar", type=float, default=20.0, help="the tolerance, in percent")
    ap.add_argument("--json", dest="json_out", help="also write the comparison here")
    ap.add_argument("--strict", action="store_true", help="exit 1 on a failure or a row outside the bar")
    args = ap.parse_args()

    with open(args.measured) as f:
        measured = json.load(f)
    results = []
    print(f"{'model':18} {'run':14} {'batch':>5} {'seq/image':>10} {'measured MiB':>13} "
          f"{'planned MiB':>12} {'ratio':>6}")
    for row in measured["rows"]:
        out = {k: row.get(k) for k in ("model", "run", "attention", "batch", "sequence", "newTokens", "image",
                                       "dtype", "optimizer")}
        head = f"{row['model']:18} {run_label(row):14} {row['batch']:>5} {shape(row):>10}"
        if row.get("skipped"):
            out["skipped"] = row["skipped"]
            print(f"{head} {'not measured: ' + row['skipped']:>13}")
            results.append(out)
            continue
        argv = plan_command(args.headroom, args.models_dir, row, args.device)
        planned, estimate, error = planned_bytes(argv)
        out.update(measuredBytes=row["peakBytes"], plannedBytes=planned, command=argv[1:])
        if error:
            out["error"] = error
            print(f"{head} {row['peakBytes'] / MIB:13.1f} {'FAILED':>12}  {error}")
        else:
            out.update(ratio=planned / row["peakBytes"], estimate=estimate)
            print(f"{head} {row['peakBytes'] / MIB:13.1f} {planned / MIB:12.1f} {out['ratio']:6.2f}")
        results.append(out)

    compared = [r for r in results if "ratio" in r]
    failures = [r for r in results if "error" in r]
    within = [r for r in compared if abs(r["ratio"] - 1) <= args.bar / 100]
    summary = {"rows": len(results), "compared": len(compared), "failed": len(failures),
               "skipped": len(results) - len(compared) - len(failures), "bar": args.bar,
               "withinBar": len(within)}
    print()
    if compared:
        worst = max(compared, key=lambda r: abs(math.log(r["ratio"])))
        summary.update(worstRatio=worst["ratio"],
                       worstRow={k: worst[k] for k in ("model", "run", "attention", "batch", "sequence", "image")},
                       medianAbsoluteErrorPercent=statistics.median(abs(r["ratio"] - 1) * 100 for r in compared))
        print(f"worst ratio: {worst['ratio']:.2f} ({worst['model']} {run_label(worst)} "
              f"batch {worst['batch']} {shape(worst)})")
        print(f"median absolute error: {summary['medianAbsoluteErrorPercent']:.1f}%")
    print(f"within ±{args.bar:g}%: {len(within)} of {len(compared)} compared; {len(failures)} failed; "
          f"{summary['skipped']} not measured")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"machine": measured.get("machine"), "headroom": args.headroom, "device": args.device,
                       "summary": summary, "rows": results}, f, indent=1)
            f.write("\n")
    if args.strict and (failures or len(within) < len(compared)):
        sys.exit(1)


if __name__ == "__main__":
    main()
