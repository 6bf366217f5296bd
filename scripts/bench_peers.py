#!/usr/bin/env python3
"""Side-by-side speed benchmark: shufflescope against other CPU runtimes on the same ShuffleNet v1.

Builds ShuffleNet v1 (groups, width, input size; default 1.0x g=3 at 224) in PyTorch with random
weights and BN statistics, saves it as safetensors for shufflescope, exports ONNX (opset 17), then
times batch-1 inference in alternating rounds, on the same input and thread count:

  onnxruntime   intra_op_num_threads = T, one inter-op thread, sequential execution,
                all graph optimisations
  pytorch       eager, torch.set_num_threads(T), inference_mode
  openvino      if importable: CPU, INFERENCE_NUM_THREADS = T, latency hint, one stream
  ncnn          if ncnn and pnnx are importable (pnnx converts the traced model): num_threads = T,
                float32 storage and arithmetic (no fp16/bf16 shortcuts), a new extractor per run
  shufflescope  `shufflescope bench --weights W --input-size N --threads T --runs R --warmup K
                --format json` (prints median_ms, min_ms, max_ms, runs, threads)

Every round runs each runtime's warm-up then R timed runs; the table shows the median of the round
medians, the smallest min and the largest max, and each median's ratio to ONNX Runtime's. Before
timing, the logits of every runtime (shufflescope through `infer --logits`) are checked against
PyTorch in float64: max|a - b| / max|b| <= 1e-4. Exits 1 if any disagree.

    pip install torch safetensors numpy onnx onnxruntime
    pip install openvino        # optional peer
    pip install ncnn pnnx       # optional peer

Usage:
    python3 scripts/bench_peers.py [--groups 3] [--width 1.0] [--input-size 224]
        [--threads 1 2] [--rounds 5] [--runs 30] [--warmup 5]
        [--binary .build/release/shufflescope] [--only onnxruntime,pytorch] [--json OUT.json]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import torch
from safetensors.torch import save_file

from convert_checkpoint import convert_state_dict
from shufflenet_v1 import ShuffleNetV1, conv_multiply_adds, randomize

AGREEMENT_TOLERANCE = 1e-4
RUNTIMES = ("onnxruntime", "pytorch", "openvino", "ncnn", "shufflescope")


def export_onnx(model, image, path):
    example = (torch.from_numpy(image),)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:  # the TorchScript exporter needs no extra packages
            torch.onnx.export(model, example, path, opset_version=17, dynamo=False,
                              input_names=["input"], output_names=["logits"])
        except (TypeError, RuntimeError, ImportError):
            torch.onnx.export(model, example, path, opset_version=17,
                              input_names=["input"], output_names=["logits"])


class OnnxRuntimePeer:
    name = "onnxruntime"

    def __init__(self, onnx_path, image):
        import onnxruntime
        self.ort, self.path, self.image, self.sessions = onnxruntime, onnx_path, image, {}

    def session(self, threads):
        if threads not in self.sessions:
            options = self.ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.execution_mode = self.ort.ExecutionMode.ORT_SEQUENTIAL
            options.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            self.sessions[threads] = self.ort.InferenceSession(
                self.path, options, providers=["CPUExecutionProvider"])
        return self.sessions[threads]

    def runner(self, threads):
        session = self.session(threads)
        feed = {session.get_inputs()[0].name: self.image}
        return lambda: session.run(None, feed)[0]

    def version(self):
        return self.ort.__version__


class PyTorchPeer:
    name = "pytorch"

    def __init__(self, model, image):
        self.model, self.input = model, torch.from_numpy(image)

    def runner(self, threads):
        torch.set_num_threads(threads)

        def run():
            with torch.inference_mode():
                return self.model(self.input).numpy()
        return run

    def version(self):
        return torch.__version__


class OpenVinoPeer:
    name = "openvino"

    def __init__(self, onnx_path, image):
        import openvino
        self.ov, self.core, self.image, self.compiled = openvino, openvino.Core(), image, {}
        self.model = self.core.read_model(onnx_path)

    def runner(self, threads):
        if threads not in self.compiled:
            self.compiled[threads] = self.core.compile_model(self.model, "CPU", {
                "INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 1})
        request = self.compiled[threads].create_infer_request()
        return lambda: np.array(request.infer({0: self.image})[0])

    def version(self):
        return self.ov.__version__ if hasattr(self.ov, "__version__") else self.ov.get_version()


class NcnnPeer:
    name = "ncnn"

    def __init__(self, model, image, work):
        import ncnn
        import pnnx
        self.ncnn = ncnn
        traced = os.path.join(work, "ncnn_model.pt")
        # The converter prints every pass on stdout and stderr; keep that in a log instead.
        with open(os.path.join(work, "pnnx.log"), "w") as log, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.stdout.flush()
            sys.stderr.flush()
            saved = [os.dup(1), os.dup(2)]
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                # fp16=False: keep the weights float32 like every other runtime here.
                pnnx.export(model, traced, (torch.from_numpy(image),), fp16=False)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                for descriptor in saved:
                    os.close(descriptor)
        self.param = os.path.join(work, "ncnn_model.ncnn.param")
        self.bin = os.path.join(work, "ncnn_model.ncnn.bin")
        self.mat = ncnn.Mat(np.ascontiguousarray(image[0])).clone()
        self.nets = {}

    def runner(self, threads):
        if threads not in self.nets:
            net = self.ncnn.Net()
            net.opt.num_threads = threads
            net.opt.use_vulkan_compute = False
            # The other runtimes compute in float32; so must ncnn, for a fair comparison.
            net.opt.use_fp16_storage = False
            net.opt.use_fp16_packed = False
            net.opt.use_fp16_arithmetic = False
            net.opt.use_bf16_storage = False
            net.load_param(self.param)
            net.load_model(self.bin)
            self.nets[threads] = net
        net = self.nets[threads]

        def run():
            with net.create_extractor() as extractor:
                extractor.input("in0", self.mat)
                _, out = extractor.extract("out0")
                return np.array(out)
        return run

    def version(self):
        return self.ncnn.__version__


def time_in_process(run, runs, warmup):
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        run()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return dict(median_ms=statistics.median(samples), min_ms=min(samples), max_ms=max(samples))


def time_shufflescope(binary, weights, size, threads, runs, warmup):
    command = [binary, "bench", "--weights", weights, "--input-size", str(size),
               "--threads", str(threads), "--runs", str(runs), "--warmup", str(warmup),
               "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    report = json.loads(result.stdout)
    return {k: float(report[k]) for k in ("median_ms", "min_ms", "max_ms")}


def shufflescope_logits(binary, weights, input_path, work):
    logits = os.path.join(work, "shufflescope_logits.npy")
    command = [binary, "infer", "--weights", weights, "--input", input_path, "--logits", logits,
               "--format", "json", "--shuffle", "authors"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    return np.load(logits)


def relative_error(actual, expected):
    actual = np.asarray(actual, dtype=np.float64).reshape(-1)
    expected = np.asarray(expected, dtype=np.float64).reshape(-1)
    return float(np.abs(actual - expected).max() / np.abs(expected).max())


def machine_line():
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--input-size", type=int, default=224)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pause", type=float, default=0.2,
                        help="seconds between runtimes, so one's spinning threads go idle")
    parser.add_argument("--binary", default=os.path.join(".build", "release", "shufflescope"))
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(RUNTIMES)}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else set(RUNTIMES)
    unknown = wanted - set(RUNTIMES)
    if unknown:
        parser.error(f"unknown runtimes {sorted(unknown)}")

    model = randomize(ShuffleNetV1(groups=args.groups, width=args.width), seed=args.seed).eval()
    rng = np.random.default_rng(args.seed)
    image = rng.integers(0, 256, (1, 3, args.input_size, args.input_size)).astype(np.float32)
    macs = conv_multiply_adds(model, args.input_size, args.input_size)
    print(f"ShuffleNet v1 {args.width}x g={args.groups} at {args.input_size}x{args.input_size}: "
          f"{macs / 1e6:.1f} M conv multiply-adds; {machine_line()}")

    failed = False
    with tempfile.TemporaryDirectory() as work:
        weights = os.path.join(work, "model.safetensors")
        save_file(convert_state_dict(model.state_dict()), weights, metadata={"format": "pt"})
        input_path = os.path.join(work, "input.npy")
        np.save(input_path, image)
        onnx_path = os.path.join(work, "model.onnx")
        export_onnx(model, image, onnx_path)

        peers = []
        for name, make in (("onnxruntime", lambda: OnnxRuntimePeer(onnx_path, image)),
                           ("pytorch", lambda: PyTorchPeer(model, image)),
                           ("openvino", lambda: OpenVinoPeer(onnx_path, image)),
                           ("ncnn", lambda: NcnnPeer(model, image, work))):
            if name not in wanted:
                continue
            try:
                peers.append(make())
            except ImportError:
                print(f"{name}: not installed, skipped")
        use_binary = "shufflescope" in wanted
        if use_binary and not os.access(args.binary, os.X_OK):
            print(f"shufflescope: {args.binary} is not an executable, skipped")
            use_binary = False

        # Agreement first: a fast wrong answer is not a result.
        with torch.no_grad():
            exact = model.double()(torch.from_numpy(image).double()).numpy()
        model.float()
        outputs = {peer.name: peer.runner(args.threads[0])() for peer in peers}
        if use_binary:
            try:
                outputs["shufflescope"] = shufflescope_logits(args.binary, weights, input_path, work)
            except (RuntimeError, OSError, ValueError) as error:
                print(f"shufflescope infer failed: {error}")
                failed, use_binary = True, False
        for name, logits in outputs.items():
            error = relative_error(logits, exact)
            good = error <= AGREEMENT_TOLERANCE
            failed |= not good
            print(f"agreement {name:<13} max|a-b|/max|b| vs float64 {error:.2e} "
                  f"{'ok' if good else 'MISMATCH'}")

        names = [peer.name for peer in peers] + (["shufflescope"] if use_binary else [])
        samples = {(name, t): [] for name in names for t in args.threads}
        for round_index in range(args.rounds):
            for threads in args.threads:
                for peer in peers:
                    time.sleep(args.pause)
                    samples[(peer.name, threads)].append(
                        time_in_process(peer.runner(threads), args.runs, args.warmup))
                if use_binary:
                    time.sleep(args.pause)
                    try:
                        samples[("shufflescope", threads)].append(time_shufflescope(
                            args.binary, weights, args.input_size, threads, args.runs, args.warmup))
                    except (RuntimeError, OSError, ValueError, KeyError) as error:
                        print(f"shufflescope bench failed: {error}")
                        failed, use_binary = True, False
            print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)

    rows = []
    for threads in args.threads:
        base = samples.get(("onnxruntime", threads))
        base_median = statistics.median(s["median_ms"] for s in base) if base else None
        for name in names:
            rounds = samples[(name, threads)]
            if not rounds:
                continue
            median = statistics.median(s["median_ms"] for s in rounds)
            rows.append(dict(runtime=name, threads=threads, median_ms=median,
                             min_ms=min(s["min_ms"] for s in rounds),
                             max_ms=max(s["max_ms"] for s in rounds),
                             vs_onnxruntime=median / base_median if base_median else None,
                             rounds=len(rounds), runs_per_round=args.runs))
    print(f"\n{'runtime':<13} {'threads':>7} {'median ms':>10} {'min ms':>8} {'max ms':>8} "
          f"{'vs ORT':>7}")
    for row in rows:
        ratio = f"{row['vs_onnxruntime']:.2f}x" if row["vs_onnxruntime"] else "-"
        print(f"{row['runtime']:<13} {row['threads']:>7} {row['median_ms']:>10.2f} "
              f"{row['min_ms']:>8.2f} {row['max_ms']:>8.2f} {ratio:>7}")
    print(f"({args.rounds} rounds x {args.runs} runs after {args.warmup} warm-up runs each; "
          f"versions: " + ", ".join(f"{p.name} {p.version()}" for p in peers) + ")")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(dict(config=dict(groups=args.groups, width=args.width,
                                       input_size=args.input_size), machine=machine_line(),
                           rows=rows), handle, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
