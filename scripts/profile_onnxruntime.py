#!/usr/bin/env python3
"""ONNX Runtime's own per-node times for the ShuffleNet that bench_peers.py builds, to set beside
`shufflescope profile` layer by layer.

Builds the model exactly as scripts/bench_peers.py does (random weights and BN statistics, seed 0),
exports it to ONNX, runs ONNX Runtime with the same session options as the benchmark
(intra_op_num_threads = T, sequential, all graph optimisations) with its profiler on, and prints
every node's median kernel time over the profiled runs, then the totals per op type. ONNX Runtime
fuses and reorders nodes (NCHWc convolutions, ReorderInput/ReorderOutput), so its rows are its own
graph's, not the PyTorch modules'.

    pip install torch torchvision numpy onnx onnxruntime

Usage:
    python3 scripts/profile_onnxruntime.py [--arch v1|v2-torchvision|v2-authors] [--groups 3]
        [--width 1.0] [--input-size 224] [--threads 1] [--runs 60]
"""
import argparse
import collections
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_peers import build_model, export_onnx  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=["v1", "v2-torchvision", "v2-authors"], default="v1")
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--input-size", type=int, default=224)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    import onnxruntime

    model = build_model(args.arch, args.groups if args.arch == "v1" else None, args.width, args.seed)
    rng = np.random.default_rng(args.seed)
    image = rng.integers(0, 256, (1, 3, args.input_size, args.input_size)).astype(np.float32)
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "model.onnx")
        export_onnx(model, image, path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        warm = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        feed = {warm.get_inputs()[0].name: image}
        for _ in range(20):
            warm.run(None, feed)
        options.enable_profiling = True
        options.profile_file_prefix = os.path.join(work, "profile")
        session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        for _ in range(args.runs):
            session.run(None, feed)
        with open(session.end_profiling()) as handle:
            events = json.load(handle)

    times = collections.defaultdict(list)
    op_type = {}
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            node = event["name"][: -len("_kernel_time")]
            times[node].append(event["dur"])
            op_type[node] = event["args"].get("op_name", "?")
    totals = collections.defaultdict(float)
    print(f"{'node':60s} {'op':16s} {'median µs':>10s}")
    for node, durations in times.items():
        median = float(np.median(durations))
        totals[op_type[node]] += median
        print(f"{node:60s} {op_type[node]:16s} {median:10.1f}")
    print()
    for name, total in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{name:20s} {total:10.1f} µs")
    print(f"{'sum of node medians':20s} {sum(totals.values()):10.1f} µs")


if __name__ == "__main__":
    main(sys.argv[1:])
