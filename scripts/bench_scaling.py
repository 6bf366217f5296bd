#!/usr/bin/env python3
"""How a pass's time and memory grow with input size and batch: the README's scaling tables.

Runs `shufflescope bench --seeded --format json` on one model, once per input size (batch 1) and
once per batch (input 224), each `--repeats` times as separate processes, and prints for each the
median of the runs' median CPU times (the calling thread's; one thread by default), the rate in
multiply-adds per second, and the largest peak resident memory any of the runs reported. Time
should grow with the multiply-adds and memory no faster than the activations.

Needs only Python's standard library and a release build:

    swift build -c release --product shufflescope

Usage:
    python3 scripts/bench_scaling.py [--binary .build/release/shufflescope] [--arch v1] [--groups 3]
        [--width 1.0] [--threads 1] [--sizes 224 320 448 640] [--batches 1 4 16] [--repeats 5]
        [--runs 100]
"""
import argparse
import json
import statistics
import subprocess
import sys


def bench(args, extra):
    command = [args.binary, "bench", "--seeded", "--format", "json", "--arch", args.arch,
               "--width", str(args.width), "--threads", str(args.threads), "--runs", str(args.runs)]
    if args.arch == "v1":
        command += ["--groups", str(args.groups)]
    results = []
    for _ in range(args.repeats):
        run = subprocess.run(command + extra, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"bench_scaling: {' '.join(command + extra)} failed: {run.stderr.strip()}")
        results.append(json.loads(run.stdout))
    cpu = statistics.median(result["cpu_median_ms"] for result in results)
    rss = max(result["peak_rss_mb"] for result in results)
    return cpu, rss, results[0]["macs"], results[0]["kernels"]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/shufflescope")
    parser.add_argument("--arch", choices=["v1", "v2"], default="v1")
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sizes", type=int, nargs="*", default=[224, 320, 448, 640])
    parser.add_argument("--batches", type=int, nargs="*", default=[1, 4, 16])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args(argv)

    model = f"{args.arch} {args.width}x" + (f" g={args.groups}" if args.arch == "v1" else "")
    print(f"{model}, {args.threads} thread(s), median of {args.repeats} runs' medians ({args.runs} passes each), "
          "CPU time of the calling thread; peak RSS the largest of the runs")
    kernels = None
    if args.sizes:
        print("\n| input | multiply-adds | CPU ms | GMAC/s | peak RSS |\n|---|---|---|---|---|")
        for size in args.sizes:
            cpu, rss, macs, kernels = bench(args, ["--input-size", str(size)])
            print(f"| {size} | {macs / 1e6:.0f} M | {cpu:.2f} | {macs / cpu / 1e6:.1f} | {rss:.1f} MB |")
    if args.batches:
        print("\n| batch (224) | CPU ms per pass | per image | peak RSS |\n|---|---|---|---|")
        for batch in args.batches:
            cpu, rss, _, kernels = bench(args, ["--batch", str(batch)])
            print(f"| {batch} | {cpu:.2f} | {cpu / batch:.2f} | {rss:.1f} MB |")
    print(f"\n(kernels: {kernels}; {' '.join(['python3', 'scripts/bench_scaling.py'] + argv)})")


if __name__ == "__main__":
    main(sys.argv[1:])
