#!/usr/bin/env python3
"""Writes the golden fixtures of Tests/ModelTests/Fixtures: small ShuffleNet v1 models with random
weights and BN statistics, their inputs, and PyTorch's outputs for every step under both shuffle
conventions. The format is described in Tests/ModelTests/Fixtures/README.md; manifest.json lists
everything a test needs. Deterministic: the same seeds give the same files.

    pip install torch safetensors numpy

Usage:
    python3 scripts/make_fixtures.py [--out Tests/ModelTests/Fixtures]
"""

import argparse
import json
import os
import re
import sys

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from convert_checkpoint import convert_state_dict
from shufflenet_v1 import ShuffleNetV1, randomize

TOLERANCE = 1e-4  # max |actual - expected| / max |expected|, per tensor
DTYPE_NAMES = {"f32": "F32", "f16": "F16", "bf16": "BF16"}

# Each fixture exercises a different part of weight loading and of the graph:
# prefixed DataParallel keys with int64 counters; F16 without prefix; BF16 with counters;
# odd, non-square and square inputs (odd sizes test padding at the right and bottom edges).
FIXTURES = [
    dict(name="g3_reduced", groups=3, widths=[12, 60, 120, 240], classes=10, seed=301,
         dtype="f32", prefix=True, num_batches_tracked=True, height=67, width=93),
    dict(name="g8_reduced_f16", groups=8, widths=[16, 64, 128, 256], classes=7, seed=801,
         dtype="f16", prefix=False, num_batches_tracked=False, height=64, width=64),
    dict(name="g8_reduced_bf16", groups=8, widths=[16, 64, 128, 256], classes=5, seed=802,
         dtype="bf16", prefix=False, num_batches_tracked=True, height=33, width=40),
]
CONVENTIONS = ("authors", "paper")


def make_input(seed, height, width):
    """[1, 3, H, W] float32 whole numbers 0..255, like raw pixels."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (1, 3, height, width)).astype(np.float32)


def rounded_state_dict(tensors):
    """The weights exactly as a reader of the file sees them, widened back to float32."""
    stripped = {k.removeprefix("module."): v for k, v in tensors.items()}
    return {k: (v.float() if v.is_floating_point() else v) for k, v in stripped.items()}


def run_steps(model, image, dtype):
    """Every step's output; casting float32 weights to float64 (and back) is exact."""
    model.to(dtype)
    with torch.no_grad():
        return model.forward_steps(torch.from_numpy(image).to(dtype))


def worst_relative_error(actual, expected):
    worst = 0.0
    for name, b in expected.items():
        a = actual[name].double()
        b = b.double()
        worst = max(worst, float((a - b).abs().max() / b.abs().max()))
    return worst


def make_fixture(spec, out_dir):
    name = spec["name"]
    model = ShuffleNetV1(groups=spec["groups"], widths=spec["widths"], n_class=spec["classes"])
    randomize(model, seed=spec["seed"])
    tensors = convert_state_dict(model.state_dict(), spec["dtype"], strip_prefix=False,
                                 keep_num_batches_tracked=spec["num_batches_tracked"],
                                 add_prefix=spec["prefix"])
    weights_file = f"{name}.safetensors"
    save_file(tensors, os.path.join(out_dir, weights_file), metadata={"format": "pt"})

    # Reload what was written so the reference uses the file's rounded weights, not the originals.
    model.load_state_dict(rounded_state_dict(load_file(os.path.join(out_dir, weights_file))),
                          strict=spec["num_batches_tracked"])
    image = make_input(spec["seed"] + 1, spec["height"], spec["width"])
    input_file = f"{name}.input.npy"
    np.save(os.path.join(out_dir, input_file), image)

    entry = dict(name=name, weights=weights_file, weights_dtype=DTYPE_NAMES[spec["dtype"]],
                 key_prefix="module." if spec["prefix"] else "",
                 has_num_batches_tracked=spec["num_batches_tracked"],
                 groups=spec["groups"], widths=spec["widths"], classes=spec["classes"],
                 seed=spec["seed"], input=input_file, input_shape=list(image.shape),
                 expected=[], shapes={}, float32_pytorch_error={})
    outputs = {}
    for convention in CONVENTIONS:
        model.set_shuffle(convention)
        exact = run_steps(model, image, torch.float64)
        single = run_steps(model, image, torch.float32)
        expected = {k: v.to(torch.float32).contiguous() for k, v in exact.items()}
        expected_file = f"{name}.expected.{convention}.safetensors"
        save_file(expected, os.path.join(out_dir, expected_file), metadata={"format": "pt"})
        entry["expected"].append(dict(file=expected_file, shuffle=convention))
        entry["shapes"] = {k: list(v.shape) for k, v in expected.items()}
        entry["float32_pytorch_error"][convention] = worst_relative_error(single, exact)
        outputs[convention] = exact
    # The two conventions must differ by far more than the tolerance, or the test can't tell them.
    entry["authors_vs_paper_logits_difference"] = worst_relative_error(
        {"logits": outputs["paper"]["logits"]}, {"logits": outputs["authors"]["logits"]})
    entry["keys"] = list(entry["shapes"])
    return entry


def compact_json(value):
    """Indented JSON with lists of numbers (shapes, widths) kept on one line."""
    text = json.dumps(value, indent=2)
    return re.sub(r"\[\s*([-0-9.e, \n]+?)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join("Tests", "ModelTests", "Fixtures"))
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # one thread: the float64 sums are then summed in a fixed order
    entries = [make_fixture(spec, args.out) for spec in FIXTURES]
    manifest = dict(
        format_version=1,
        tolerance=dict(metric="max_abs_difference_over_max_abs_expected", value=TOLERANCE),
        batch_norm_epsilon=1e-5,
        generator="scripts/make_fixtures.py",
        fixtures=entries)
    with open(os.path.join(args.out, "manifest.json"), "w") as handle:
        handle.write(compact_json(manifest) + "\n")
    total = 0
    for entry in entries:
        files = [entry["weights"], entry["input"]] + [e["file"] for e in entry["expected"]]
        size = sum(os.path.getsize(os.path.join(args.out, f)) for f in files)
        total += size
        errors = ", ".join(f"{c} {e:.2e}" for c, e in entry["float32_pytorch_error"].items())
        print(f"{entry['name']}: {size:,} bytes; float32 PyTorch vs float64: {errors}; "
              f"authors vs paper logits differ by {entry['authors_vs_paper_logits_difference']:.2f}")
    print(f"total {total:,} bytes in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
