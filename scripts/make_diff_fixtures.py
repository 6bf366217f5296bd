#!/usr/bin/env python3
"""Writes the fixtures of `shufflescope diff` into Tests/ModelTests/Fixtures/diff:

- rounding.*.npy: float32 values (random over many scales, halfway cases, subnormals, overflow)
  and the same rounded to float16 by numpy (`astype(np.float16)`) and to bfloat16 by ml_dtypes'
  numpy type (`astype(ml_dtypes.bfloat16)`), read back as float32.
- int8.*.npy: a weight tensor and an activation tensor with a calibration range, and their
  quantize-dequantize by the numpy reference below of the scheme in Sources/ShuffleModel/Diff/
  Int8Quantization.swift (float32 arithmetic throughout, np.rint = ties to even).
- pytorch_<fixture>/: the PyTorch dump (scripts/dump_pytorch_steps.py) of three golden fixtures,
  ShuffleNet v1 g=3 and v2 in torchvision's and the authors' layout.

Deterministic.

    pip install torch torchvision safetensors numpy ml_dtypes

Usage:
    python3 scripts/make_diff_fixtures.py [--out Tests/ModelTests/Fixtures/diff]
"""

import argparse
import os
import subprocess
import sys

import ml_dtypes
import numpy as np

F32 = np.float32


def quantize_weights(w):
    """Per output channel (axis 0) symmetric int8, dequantized: q = clip(rint(w / s), -127, 127) * s."""
    rows = w.reshape(w.shape[0], -1)
    largest = np.abs(rows).max(axis=1)
    scale = np.where(largest > 0, largest / F32(127), F32(1)).astype(F32)
    q = np.clip(np.rint(rows / scale[:, None]), F32(-127), F32(127)).astype(F32)
    return (q * scale[:, None]).astype(F32).reshape(w.shape)


def quantize_activations(x, lo, hi):
    """Per tensor affine uint8 with range [lo, hi] widened to hold 0, dequantized."""
    lo, hi = min(F32(lo), F32(0)), max(F32(hi), F32(0))
    scale = F32((hi - lo) / F32(255))
    if scale == 0:
        scale = F32(1)
    zero = F32(np.clip(np.rint(-lo / scale), F32(0), F32(255)))
    q = np.clip(np.rint(x / scale) + zero, F32(0), F32(255)).astype(F32)
    return ((q - zero) * scale).astype(F32)


def rounding_values(rng):
    parts = [
        (rng.standard_normal(2000) * np.exp(rng.uniform(-20, 12, 2000))).astype(F32),
        rng.standard_normal(500).astype(F32),
        # Halfway cases: exactly between two halves / two bfloat16 values, both parities.
        np.array([1 + 2**-11, 1 + 3 * 2**-11, 1 + 2**-8, 1 + 3 * 2**-8, -(1 + 2**-11), 2049, 2051], F32),
        # Half subnormals, the largest half, its overflow threshold and beyond.
        np.array([6e-8, 3e-8, 2.98e-8, 1e-5, 6.1e-5, 65504, 65519, 65520, 1e5, -1e6], F32),
        np.array([0.0, -0.0, 3.4e38, -3.4e38, 1e-40, np.inf, -np.inf], F32),
    ]
    return np.concatenate(parts).astype(F32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="Tests/ModelTests/Fixtures/diff")
    arguments = parser.parse_args()
    out = arguments.out
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(1201)

    values = rounding_values(rng)
    with np.errstate(over="ignore"):
        np.save(os.path.join(out, "rounding.input.npy"), values)
        np.save(os.path.join(out, "rounding.f16.npy"), values.astype(np.float16).astype(F32))
        np.save(os.path.join(out, "rounding.bf16.npy"), values.astype(ml_dtypes.bfloat16).astype(F32))

    weights = (rng.standard_normal((8, 3, 3, 3)) * 0.2).astype(F32)
    weights[5] = 0  # a channel of zeros keeps scale 1 and stays zero
    weights[2, 0, 0, 0] = 3.0  # one outlier channel
    np.save(os.path.join(out, "int8.weights.npy"), weights)
    np.save(os.path.join(out, "int8.weights.expected.npy"), quantize_weights(weights))

    activations = (rng.standard_normal((1, 6, 5, 7)) * 2 + 0.5).astype(F32)
    # The range comes from calibration, so values outside it clamp.
    calibration = np.array([-1.75, 3.25], F32)
    np.save(os.path.join(out, "int8.activations.npy"), activations)
    np.save(os.path.join(out, "int8.range.npy"), calibration)
    np.save(os.path.join(out, "int8.activations.expected.npy"),
            quantize_activations(activations, calibration[0], calibration[1]))
    positive = np.abs(activations)
    np.save(os.path.join(out, "int8.relu.npy"), positive)
    np.save(os.path.join(out, "int8.relu.expected.npy"), quantize_activations(positive, positive.min(), positive.max()))

    here = os.path.dirname(os.path.abspath(__file__))
    fixtures = os.path.join(os.path.dirname(out.rstrip("/")), "")
    for name in ["g3_reduced", "v2/tv_f32", "v2/authors_f32"]:
        base = os.path.join(fixtures, name)
        subprocess.run([sys.executable, os.path.join(here, "dump_pytorch_steps.py"), base + ".safetensors",
                        base + ".input.npy", os.path.join(out, "pytorch_" + os.path.basename(name))], check=True)


if __name__ == "__main__":
    main()
