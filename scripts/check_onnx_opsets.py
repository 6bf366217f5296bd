#!/usr/bin/env python3
"""Checks `shufflescope infer` on ONNX exports across opsets: small v1 (g=3), torchvision v2 and
the authors' v2 exported with torch.onnx.export at each opset, static and dynamic batch, with
and without the exporter's constant folding; the logits must match ONNX Runtime's to 1e-4 relative.

    pip install torch torchvision onnx onnxruntime numpy

Usage:
    swift build --product shufflescope
    python3 scripts/check_onnx_opsets.py --binary .build/debug/shufflescope [--opsets 9 11 13 15 17 18]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_onnx_fixtures as fixtures  # noqa: E402

MODELS = [("v1-g3", [12, 24, 48, 96]), ("v2-torchvision", [8, 8, 16, 32, 32]), ("v2-authors", [8, 16, 32, 64, 32])]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/debug/shufflescope")
    parser.add_argument("--opsets", type=int, nargs="+", default=[9, 11, 13, 15, 17, 18])
    arguments = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for family, widths in MODELS:
            for opset in arguments.opsets:
                for dynamic in (False, True):
                    fold = dynamic
                    model = fixtures.build(family, widths, 5).eval()
                    fixtures.randomize(model, 7)
                    path = os.path.join(folder, f"{family}_{opset}_{dynamic}.onnx")
                    fixtures.export(model, path, [40, 40], opset, dynamic, fold)
                    image = np.random.default_rng(opset).standard_normal((1, 3, 40, 40)).astype(np.float32)
                    np.save(path + ".input.npy", image)
                    expected = fixtures.run_onnxruntime(path, image).ravel()
                    run = subprocess.run([arguments.binary, "infer", "--weights", path, "--input", path + ".input.npy",
                                          "--logits", path + ".logits.npy"], capture_output=True, text=True)
                    label = f"{family} opset {opset} {'dynamic' if dynamic else 'static'} batch"
                    if run.returncode != 0:
                        print(f"FAIL {label}: {run.stderr.strip()}")
                        failures += 1
                        continue
                    logits = np.load(path + ".logits.npy").ravel()
                    error = float(np.abs(logits - expected).max() / np.abs(expected).max())
                    verdict = "ok  " if error <= 1e-4 else "FAIL"
                    failures += verdict == "FAIL"
                    print(f"{verdict} {label}: max|a-b|/max|b| = {error:.2e}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
