#!/usr/bin/env python3
"""Side-by-side speed benchmark: shufflescope against other CPU runtimes on the same ShuffleNet.

Builds a ShuffleNet (`--arch v1` with --groups/--width, default 1.0x g=3; `--arch v2-torchvision`
with torchvision's own class, or `--arch v2-authors` with scripts/shufflenet_v2_authors.py; input
size default 224) in PyTorch with random weights and BN statistics, saves it as safetensors for
shufflescope, exports ONNX (opset 17), then times batch-1 inference in alternating rounds, on the
same input and thread count. `--sweep` does this for every released v1 configuration (g in {3, 8} x
width in {0.5, 1.0, 1.5, 2.0}) and the four v2 widths in both layouts, and ends with one table. The header names the CPU and the instruction sets it has (and which
of its kernel builds shufflescope picked), since the peers' kernels depend on them too.

  onnxruntime   intra_op_num_threads = T, one inter-op thread, sequential execution,
                all graph optimisations
  pytorch       eager, torch.set_num_threads(T), inference_mode
  openvino      if importable: CPU, INFERENCE_NUM_THREADS = T, latency hint, one stream,
                INFERENCE_PRECISION_HINT = f32 (on CPUs with AVX-512 BF16 or AMX it would
                otherwise compute in bf16); `--openvino-bf16` adds a separate openvino-bf16 row
                whose agreement is checked at 5e-2 instead
  ncnn          if ncnn and pnnx are importable (pnnx converts the traced model): num_threads = T,
                float32 storage and arithmetic (no fp16/bf16 shortcuts), a new extractor per run
  shufflescope  `shufflescope bench --weights W --input-size N --threads T --runs R --warmup K
                --format json` (prints median_ms, min_ms, max_ms, runs, threads)

Every round runs each runtime's warm-up then R timed runs; the table shows the median of the round
medians, the smallest min and the largest max, and each median's ratio to ONNX Runtime's. Before
timing, the logits of every runtime (shufflescope through `infer --logits`) are checked against
PyTorch in float64: max|a - b| / max|b| <= 1e-4. A runtime that disagrees is not timed and has no
row in the table, and the script exits 1.

    pip install torch torchvision safetensors numpy onnx onnxruntime
    pip install openvino        # optional peer
    pip install ncnn pnnx       # optional peer

Usage:
    python3 scripts/bench_peers.py [--arch v1|v2-torchvision|v2-authors] [--groups 3] [--width 1.0] [--input-size 224]
        [--threads 1 2] [--rounds 5] [--runs 30] [--warmup 5] [--sweep] [--openvino-bf16]
        [--kernels portable|avx2|avx512] [--binary .build/release/shufflescope]
        [--only onnxruntime,pytorch] [--json OUT.json]
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
# bf16 keeps 8 bits of mantissa: its logits are checked against this looser bound, and its row says so.
BF16_TOLERANCE = 5e-2
RUNTIMES = ("onnxruntime", "pytorch", "openvino", "openvino-bf16", "ncnn", "shufflescope")
# Instruction sets worth naming in the header (the flags of /proc/cpuinfo).
NAMED_FLAGS = ("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl",
               "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "avx_vnni")

# The models a sweep covers: (family, groups, width); v2 has no groups (its shuffles have 2).
RELEASED_V1 = [("v1", g, w) for g in (3, 8) for w in (0.5, 1.0, 1.5, 2.0)]
RELEASED_V2 = [(f"v2-{layout}", None, w) for layout in ("torchvision", "authors") for w in (0.5, 1.0, 1.5, 2.0)]
SWEEP_MODELS = RELEASED_V1 + RELEASED_V2
# [conv1, stage2, stage3, stage4, conv5] of the released v2 widths.
V2_WIDTHS = {0.5: [24, 48, 96, 192, 1024], 1.0: [24, 116, 232, 464, 1024], 1.5: [24, 176, 352, 704, 1024],
             2.0: [24, 244, 488, 976, 2048]}


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
    """OpenVINO on the CPU, pinned to float32 arithmetic unless `precision` is "bf16"."""

    def __init__(self, onnx_path, image, precision="f32"):
        import openvino
        self.ov, self.core, self.image, self.compiled = openvino, openvino.Core(), image, {}
        self.model = self.core.read_model(onnx_path)
        self.precision = precision
        self.name = "openvino" if precision == "f32" else f"openvino-{precision}"
        self.tolerance = AGREEMENT_TOLERANCE if precision == "f32" else BF16_TOLERANCE

    def runner(self, threads):
        if threads not in self.compiled:
            self.compiled[threads] = self.core.compile_model(self.model, "CPU", {
                "INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 1,
                "INFERENCE_PRECISION_HINT": self.precision})
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
    """Wall time per run, and the process's CPU time per run: on one thread the run's own time,
    which time spent descheduled on a busy machine does not inflate."""
    for _ in range(warmup):
        run()
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
        run()
        samples.append((time.perf_counter_ns() - start) / 1e6)
        cpu.append((time.process_time_ns() - start_cpu) / 1e6)
    return dict(median_ms=statistics.median(samples), min_ms=min(samples), max_ms=max(samples),
                cpu_median_ms=statistics.median(cpu))


def binary_environment(kernels):
    """The environment for shufflescope: SHUFFLESCOPE_KERNELS narrows its kernel build."""
    environment = dict(os.environ)
    if kernels:
        environment["SHUFFLESCOPE_KERNELS"] = kernels
    return environment


def time_shufflescope(binary, weights, size, threads, runs, warmup, kernels=None):
    command = [binary, "bench", "--weights", weights, "--input-size", str(size),
               "--threads", str(threads), "--runs", str(runs), "--warmup", str(warmup),
               "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                            env=binary_environment(kernels))
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    report = json.loads(result.stdout)
    timing = {k: float(report[k]) for k in ("median_ms", "min_ms", "max_ms", "cpu_median_ms")}
    timing["kernels"] = report.get("kernels", "?")
    timing["peak_rss_mb"] = float(report.get("peak_rss_mb", 0))
    return timing


def shufflescope_logits(binary, weights, input_path, work, kernels=None, family="v1"):
    logits = os.path.join(work, "shufflescope_logits.npy")
    # scripts/shufflenet_v1.py shuffles in the authors' convention; v2 files carry their own.
    shuffle = ["--shuffle", "authors"] if family == "v1" else []
    command = [binary, "infer", "--weights", weights, "--input", input_path, "--logits", logits,
               "--format", "json"] + shuffle
    result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                            env=binary_environment(kernels))
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


def instruction_sets_line():
    """The named instruction sets among the first CPU's /proc/cpuinfo flags."""
    try:
        with open("/proc/cpuinfo") as handle:
            flags = next((line.split(":", 1)[1].split() for line in handle if line.startswith("flags")), [])
    except OSError:
        flags = []
    present = [flag for flag in NAMED_FLAGS if flag in flags]
    absent = [flag for flag in ("avx2", "avx512f") if flag not in flags]
    return ("instruction sets: " + (" ".join(present) if present else "unknown")
            + (f" (no {', '.join(absent)})" if absent else ""))


def build_model(family, groups, width, seed):
    """A PyTorch model with random weights and BN statistics."""
    if family == "v1":
        model = ShuffleNetV1(groups=groups, width=width)
    elif family == "v2-torchvision":
        from torchvision.models.shufflenetv2 import ShuffleNetV2
        model = ShuffleNetV2([4, 8, 4], V2_WIDTHS[width])
    elif family == "v2-authors":
        from shufflenet_v2_authors import ShuffleNetV2
        model = ShuffleNetV2(V2_WIDTHS[width])
    else:
        raise ValueError(f"unknown family {family}")
    return randomize(model, seed=seed).eval()


def model_label(family, groups, width):
    return f"{family} {width}x" + (f" g={groups}" if groups else "")


def make_peers(wanted, args, model, image, onnx_path, work):
    peers = []
    makers = (("onnxruntime", lambda: OnnxRuntimePeer(onnx_path, image)),
              ("pytorch", lambda: PyTorchPeer(model, image)),
              ("openvino", lambda: OpenVinoPeer(onnx_path, image, "f32")),
              ("openvino-bf16", lambda: OpenVinoPeer(onnx_path, image, "bf16")),
              ("ncnn", lambda: NcnnPeer(model, image, work)))
    for name, make in makers:
        if name not in wanted:
            continue
        try:
            peers.append(make())
        except ImportError:
            print(f"{name}: not installed, skipped")
    return peers


def benchmark(args, wanted, family, groups, width):
    """Checks agreement, then times every runtime that agrees. Returns (rows, failed, notes)."""
    model = build_model(family, groups, width, args.seed)
    rng = np.random.default_rng(args.seed)
    image = rng.integers(0, 256, (1, 3, args.input_size, args.input_size)).astype(np.float32)
    macs = conv_multiply_adds(model, args.input_size, args.input_size)
    label = model_label(family, groups, width)
    print(f"\nShuffleNet {label} at {args.input_size}x{args.input_size}: "
          f"{macs / 1e6:.1f} M conv multiply-adds")

    failed = False
    kernels_used = set()
    with tempfile.TemporaryDirectory() as work:
        weights = os.path.join(work, "model.safetensors")
        save_file(convert_state_dict(model.state_dict()), weights, metadata={"format": "pt"})
        input_path = os.path.join(work, "input.npy")
        np.save(input_path, image)
        onnx_path = os.path.join(work, "model.onnx")
        export_onnx(model, image, onnx_path)

        peers = make_peers(wanted, args, model, image, onnx_path, work)
        use_binary = "shufflescope" in wanted
        if use_binary and not os.access(args.binary, os.X_OK):
            print(f"shufflescope: {args.binary} is not an executable, skipped")
            use_binary = False

        # Agreement first: a fast wrong answer is not a result, so a runtime that disagrees is
        # neither timed nor shown, and the run fails.
        with torch.no_grad():
            exact = model.double()(torch.from_numpy(image).double()).numpy()
        model.float()
        outputs = {peer.name: peer.runner(args.threads[0])() for peer in peers}
        tolerances = {peer.name: getattr(peer, "tolerance", AGREEMENT_TOLERANCE) for peer in peers}
        if use_binary:
            try:
                outputs["shufflescope"] = shufflescope_logits(
                    args.binary, weights, input_path, work, args.kernels, family)
                tolerances["shufflescope"] = AGREEMENT_TOLERANCE
            except (RuntimeError, OSError, ValueError) as error:
                print(f"shufflescope infer failed: {error}")
                failed, use_binary = True, False
        agreeing = set()
        for name, logits in outputs.items():
            error = relative_error(logits, exact)
            good = error <= tolerances[name]
            failed |= not good
            if good:
                agreeing.add(name)
            print(f"agreement {name:<13} max|a-b|/max|b| vs float64 {error:.2e} "
                  f"(limit {tolerances[name]:.0e}) {'ok' if good else 'MISMATCH: left out of the table'}")
        peers = [peer for peer in peers if peer.name in agreeing]
        use_binary = use_binary and "shufflescope" in agreeing

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
                        timing = time_shufflescope(args.binary, weights, args.input_size, threads,
                                                   args.runs, args.warmup, args.kernels)
                        kernels_used.add(timing["kernels"])
                        samples[("shufflescope", threads)].append(timing)
                    except (RuntimeError, OSError, ValueError, KeyError) as error:
                        print(f"shufflescope bench failed: {error}")
                        failed, use_binary = True, False
            print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)
        versions = ", ".join(f"{p.name} {p.version()}" for p in peers)

    rows = []
    for threads in args.threads:
        base = samples.get(("onnxruntime", threads))
        base_median = statistics.median(s["median_ms"] for s in base) if base else None
        for name in names:
            rounds = samples[(name, threads)]
            if not rounds:
                continue
            median = statistics.median(s["median_ms"] for s in rounds)
            cpu = statistics.median(s["cpu_median_ms"] for s in rounds)
            base_cpu = statistics.median(s["cpu_median_ms"] for s in base) if base else None
            rows.append(dict(model=label, cpu_median_ms=cpu,
                             cpu_vs_onnxruntime=cpu / base_cpu if base_cpu and threads == 1 else None, family=family, groups=groups, width=width,
                             runtime=name, threads=threads, median_ms=median,
                             min_ms=min(s["min_ms"] for s in rounds),
                             max_ms=max(s["max_ms"] for s in rounds),
                             vs_onnxruntime=median / base_median if base_median else None,
                             rounds=len(rounds), runs_per_round=args.runs))
    # CPU time is the process's (peers) or the calling thread's (shufflescope): the run's own
    # time on one thread only, so it is shown for one thread.
    print(f"\n{'runtime':<13} {'threads':>7} {'median ms':>10} {'min ms':>8} {'max ms':>8} "
          f"{'vs ORT':>7} {'cpu ms':>7} {'cpu vs ORT':>10}")
    for row in rows:
        ratio = f"{row['vs_onnxruntime']:.2f}x" if row["vs_onnxruntime"] else "-"
        cpu = f"{row['cpu_median_ms']:.2f}" if row["threads"] == 1 else "-"
        cpu_ratio = f"{row['cpu_vs_onnxruntime']:.2f}x" if row["cpu_vs_onnxruntime"] else "-"
        print(f"{row['runtime']:<13} {row['threads']:>7} {row['median_ms']:>10.2f} "
              f"{row['min_ms']:>8.2f} {row['max_ms']:>8.2f} {ratio:>7} {cpu:>7} {cpu_ratio:>10}")
    print(f"({args.rounds} rounds x {args.runs} runs after {args.warmup} warm-up runs each; "
          f"versions: {versions}"
          + (f"; shufflescope kernels: {', '.join(sorted(kernels_used))}" if kernels_used else "") + ")")
    return rows, failed, kernels_used


def print_sweep(rows, threads_list):
    """One line per model and thread count: each runtime's median and fastest run, as ratios to
    ONNX Runtime's, and on one thread the ratio of median CPU times (the figures a busy machine
    disturbs least)."""
    runtimes = [name for name in RUNTIMES if any(row["runtime"] == name for row in rows)]
    header = f"{'model':<20} {'threads':>7} " + " ".join(f"{name:>38}" for name in runtimes)
    print("\nsweep: median ms (ratio to ONNX Runtime) / min ms (ratio) / median CPU time ratio\n" + header)
    for label in dict.fromkeys(row["model"] for row in rows):
        for threads in threads_list:
            found = {r["runtime"]: r for r in rows if r["model"] == label and r["threads"] == threads}
            base = found.get("onnxruntime")
            cells = []
            for name in runtimes:
                row = found.get(name)
                if row is None:
                    cells.append(f"{'-':>38}")
                elif base:
                    cpu = (f" / cpu {row['cpu_median_ms'] / base['cpu_median_ms']:.2f}x"
                           if threads == 1 and base.get("cpu_median_ms") else "")
                    cells.append(f"{row['median_ms']:6.2f} ({row['median_ms'] / base['median_ms']:.2f}x) / "
                                 f"{row['min_ms']:5.2f} ({row['min_ms'] / base['min_ms']:.2f}x){cpu}")
                else:
                    cells.append(f"{row['median_ms']:6.2f} / {row['min_ms']:5.2f}".rjust(38))
            print(f"{label:<20} {threads:>7} " + " ".join(cells))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", choices=("v1", "v2-torchvision", "v2-authors"), default="v1")
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--sweep", action="store_true",
                        help="every released v1 configuration (g 3 and 8 x widths 0.5-2.0) in turn")
    parser.add_argument("--input-size", type=int, default=224)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pause", type=float, default=0.2,
                        help="seconds between runtimes, so one's spinning threads go idle")
    parser.add_argument("--binary", default=os.path.join(".build", "release", "shufflescope"))
    parser.add_argument("--kernels", choices=("portable", "avx2", "avx512"),
                        help="shufflescope's kernel build (default: the widest this CPU runs)")
    parser.add_argument("--openvino-bf16", action="store_true",
                        help="also time OpenVINO in bf16, as its own row (checked at 5e-2)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(RUNTIMES)}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else set(RUNTIMES) - {"openvino-bf16"}
    if args.openvino_bf16:
        wanted.add("openvino-bf16")
    unknown = wanted - set(RUNTIMES)
    if unknown:
        parser.error(f"unknown runtimes {sorted(unknown)}")

    print(machine_line())
    print(instruction_sets_line())
    single = (args.arch, args.groups if args.arch == "v1" else None, args.width)
    models = SWEEP_MODELS if args.sweep else [single]
    rows, failed, kernels = [], False, set()
    for family, groups, width in models:
        model_rows, model_failed, model_kernels = benchmark(args, wanted, family, groups, width)
        rows += model_rows
        failed |= model_failed
        kernels |= model_kernels
    if args.sweep:
        print_sweep(rows, args.threads)
        print(f"(python3 scripts/bench_peers.py {' '.join(argv)}; {instruction_sets_line()}; "
              f"shufflescope kernels: {', '.join(sorted(kernels)) or '-'})")
    if failed:
        print("\nFAILED: a runtime disagreed with float64 or did not run; it is left out above.")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(dict(input_size=args.input_size, machine=machine_line(),
                           instruction_sets=instruction_sets_line(),
                           shufflescope_kernels=sorted(kernels), rows=rows), handle, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
