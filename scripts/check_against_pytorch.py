#!/usr/bin/env python3
"""End-to-end acceptance check: shufflescope's outputs against PyTorch, step by step.

For each config (g=3 1.0x at 224, g=8 0.5x at 224 with "module."-prefixed keys, g=3 2.0x at 160)
it makes random weights with random BN statistics, saves them as safetensors, writes a random
0..255 input .npy, and runs

    shufflescope infer --weights W --input X.npy --dump DIR --logits L.npy --format json --shuffle S

for S in authors and paper. The dump folder holds every step's output as .npy and
DIR/index.json = {"steps": [{"name", "source", "file", "shape"}, ...]}. Each step whose source is
first_conv, maxpool, features.N or classifier (or a sub-module of those) is compared with the
PyTorch (float64) tensor of the same shape inside that module: the last step of first_conv, maxpool
and each features.N must equal the module's output, and some classifier step must equal the logits,
as must L.npy. Metric: max|a - b| / max|b| <= 1e-4 per tensor.

Prints one line per config and convention with the worst relative error; exits 1 on any failure.

    pip install torch safetensors numpy

Usage:
    python3 scripts/check_against_pytorch.py [--binary .build/release/shufflescope]
        [--only NAME] [--keep DIR] [--pytorch-only]
--pytorch-only skips the binary and checks the PyTorch half (float32 PyTorch against float64).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

from convert_checkpoint import convert_state_dict
from shufflenet_v1 import ShuffleNetV1, channel_shuffle, randomize

TOLERANCE = 1e-4
CONFIGS = [
    dict(name="g3-1.0x-224", groups=3, width=1.0, size=224, prefix=False, seed=11),
    dict(name="g8-0.5x-224-module", groups=8, width=0.5, size=224, prefix=True, seed=12),
    dict(name="g3-2.0x-160", groups=3, width=2.0, size=160, prefix=False, seed=13),
]
CONVENTIONS = ("authors", "paper")


def relative_error(actual, expected):
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64).reshape(expected.shape)
    return float(np.abs(actual - expected).max() / np.abs(expected).max())


def reference_parts(model, image):
    """{group: ([(part, array)], output)} in float64 for every top-level module.

    The parts are every intermediate a graph with BN folded into the convolutions may expose:
    a conv+BN (with or without ReLU), the shuffle, the shortcut, the sum before the final ReLU.
    """
    groups = {}
    with torch.no_grad():
        x = torch.from_numpy(image).double()
        pre = model.first_conv[:2](x)
        x = F.relu(pre)
        groups["first_conv"] = ([("conv+bn", pre), ("relu", x)], x)
        x = model.maxpool(x)
        groups["maxpool"] = ([("maxpool", x)], x)
        for index, block in enumerate(model.features):
            parts = []
            pw1_bn = block.branch_main_1[:2](x)
            pw1 = F.relu(pw1_bn)
            dw = block.branch_main_1[3:](pw1)
            shuffled = channel_shuffle(dw, block.group, block.shuffle) if block.group > 1 else dw
            pw2 = block.branch_main_2(shuffled)
            parts += [("pw1+bn", pw1_bn), ("pw1+bn+relu", pw1), ("dw+bn", dw),
                      ("shuffle", shuffled), ("pw2+bn", pw2)]
            if block.stride == 1:
                total = pw2 + x
                out = F.relu(total)
                parts += [("add", total), ("add+relu", out)]
            else:
                shortcut = block.branch_proj(x)
                out = torch.cat((shortcut, F.relu(pw2)), 1)
                parts += [("avgpool", shortcut), ("pw2+bn+relu", F.relu(pw2)), ("concat", out)]
            groups[f"features.{index}"] = (parts, out)
            x = out
        pooled = x.mean(dim=(2, 3))
        logits = model.classifier(pooled)
        groups["classifier"] = ([("global pool", pooled), ("logits", logits),
                                 ("softmax", torch.softmax(logits, 1))], logits)
    return {k: ([(n, t.numpy()) for n, t in parts], out.numpy())
            for k, (parts, out) in groups.items()}


def top_level(source):
    """"features.3.branch_main_1.0" -> "features.3"; "first_conv.1" -> "first_conv"."""
    pieces = source.split(".")
    if pieces[0] == "features" and len(pieces) > 1:
        return "features." + pieces[1]
    return pieces[0]


def best_match(array, parts):
    """(error, part name) of the same-sized reference part closest to array, or None."""
    matches = [(relative_error(array, ref), name) for name, ref in parts if ref.size == array.size]
    return min(matches) if matches else None


def compare_dump(dump_dir, logits_path, reference):
    """Returns (worst error, [failure messages], [notes])."""
    failures, notes, worst = [], [], 0.0
    with open(os.path.join(dump_dir, "index.json")) as handle:
        steps = json.load(handle)["steps"]
    by_group = {}
    for step in steps:
        group = top_level(str(step.get("source", "")))
        if group in reference:
            by_group.setdefault(group, []).append(step)
    for group, (parts, output) in reference.items():
        found = by_group.get(group, [])
        if not found:
            failures.append(f"{group}: no dumped step has this source")
            continue
        arrays = []
        for step in found:
            path = step["file"] if os.path.isabs(step["file"]) else os.path.join(dump_dir, step["file"])
            array = np.load(path)
            if list(array.shape) != list(step["shape"]):
                failures.append(f"{step['name']}: index says {step['shape']}, file has {list(array.shape)}")
            arrays.append((step, array))
            match = best_match(array, parts)
            if match is None:
                notes.append(f"{step['name']} ({group}) {list(array.shape)}: no PyTorch counterpart")
                continue
            error, part = match
            worst = max(worst, error)
            if error > TOLERANCE:
                failures.append(f"{step['name']} ({group}) {list(array.shape)}: closest PyTorch "
                                f"part {part} differs by {error:.3g}")
        # The module's own output must be there: the last step of a unit, any classifier step.
        candidates = arrays if group == "classifier" else arrays[-1:]
        errors = [relative_error(a, output) for _, a in candidates if a.size == output.size]
        if not errors or min(errors) > TOLERANCE:
            got = f"{min(errors):.3g}" if errors else f"shape {list(arrays[-1][1].shape)}"
            failures.append(f"{group}: output {list(output.shape)} not matched ({got})")
    logits = np.load(logits_path)
    error = relative_error(logits, reference["classifier"][1])
    worst = max(worst, error)
    if error > TOLERANCE:
        failures.append(f"--logits file differs by {error:.3g}")
    return worst, failures, notes


def prepare(config, work_dir):
    """Writes weights and input; returns (model, image, weights path, input path)."""
    model = ShuffleNetV1(groups=config["groups"], width=config["width"])
    randomize(model, seed=config["seed"])
    tensors = convert_state_dict(model.state_dict(), "f32", strip_prefix=False,
                                 add_prefix=config["prefix"])
    weights = os.path.join(work_dir, f"{config['name']}.safetensors")
    save_file(tensors, weights, metadata={"format": "pt"})
    rng = np.random.default_rng(config["seed"] + 100)
    image = rng.integers(0, 256, (1, 3, config["size"], config["size"])).astype(np.float32)
    input_path = os.path.join(work_dir, f"{config['name']}.input.npy")
    np.save(input_path, image)
    return model.double(), image, weights, input_path


def run_binary(binary, weights, input_path, convention, out_dir):
    dump = os.path.join(out_dir, "dump")
    logits = os.path.join(out_dir, "logits.npy")
    os.makedirs(dump, exist_ok=True)
    command = [binary, "infer", "--weights", weights, "--input", input_path, "--dump", dump,
               "--logits", logits, "--format", "json", "--shuffle", convention]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: "
                           f"{result.stderr.strip() or result.stdout.strip()}")
    return dump, logits


def pytorch_self_check(model, image, reference):
    """float32 PyTorch against the float64 reference: the tolerance must leave it room."""
    single = ShuffleNetV1(groups=model.groups, widths=model.widths, n_class=model.n_class,
                          shuffle=model.shuffle)
    single.load_state_dict(model.state_dict())
    single.float().eval()
    with torch.no_grad():
        steps = single.forward_steps(torch.from_numpy(image))
    steps["classifier"] = steps.pop("logits")
    return max(relative_error(steps[k].numpy(), out) for k, (_, out) in reference.items())


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(".build", "release", "shufflescope"))
    parser.add_argument("--only", help="run only the config with this name")
    parser.add_argument("--keep", help="write files here instead of a temporary folder")
    parser.add_argument("--pytorch-only", action="store_true")
    args = parser.parse_args(argv)
    if not args.pytorch_only and not os.access(args.binary, os.X_OK):
        print(f"error: {args.binary} is not an executable (build with swift build -c release)",
              file=sys.stderr)
        return 2
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    configs = [c for c in CONFIGS if args.only in (None, c["name"])]
    if not configs:
        print(f"error: no config named {args.only}; have {[c['name'] for c in CONFIGS]}",
              file=sys.stderr)
        return 2
    failed = False
    with tempfile.TemporaryDirectory() as temporary:
        work = args.keep or temporary
        os.makedirs(work, exist_ok=True)
        for config in configs:
            model, image, weights, input_path = prepare(config, work)
            for convention in CONVENTIONS:
                model.set_shuffle(convention)
                reference = reference_parts(model, image)
                label = f"{config['name']:<20} {convention:<8}"
                if args.pytorch_only:
                    error = pytorch_self_check(model, image, reference)
                    good = error <= TOLERANCE
                    print(f"{label} float32 PyTorch worst {error:.2e} {'ok' if good else 'FAIL'}")
                    failed |= not good
                    continue
                try:
                    out_dir = os.path.join(work, f"{config['name']}.{convention}")
                    dump, logits = run_binary(args.binary, weights, input_path, convention, out_dir)
                    worst, failures, notes = compare_dump(dump, logits, reference)
                except (RuntimeError, OSError, KeyError, ValueError,
                        subprocess.TimeoutExpired) as error:
                    worst, failures, notes = float("nan"), [str(error)], []
                print(f"{label} worst {worst:.2e} {'ok' if not failures else 'FAIL'}")
                for line in failures[:20] + notes[:5]:
                    print(f"    {line}")
                failed |= bool(failures)
    print("all passed" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
