#!/usr/bin/env python3
"""Writes Tests/InspectorTests/Fixtures/focus.json: class activation maps and value statistics
computed with numpy, which the inspector's Swift code must reproduce.

    pip install numpy
    python3 scripts/make_focus_fixture.py

Class activation map (Zhou et al. 2016) of a global-average-pool + fully connected head:
    M_k[y, x] = sum_c W[k, c] * A[c, y, x];  logit_k = W[k] . mean_yx(A) + b[k] = mean(M_k) + b[k].
Statistics: numpy's default (linear) percentiles, mean, min, max, fraction of exact zeros.
"""
import json
from pathlib import Path

import numpy as np

rng = np.random.default_rng(20261207)
channels, height, width, classes = 6, 4, 5, 3
features = rng.standard_normal((channels, height, width)).astype(np.float32)
features[features < -0.8] = 0  # some exact zeros, as after a ReLU
weight = rng.standard_normal((classes, channels)).astype(np.float32)
bias = rng.standard_normal(classes).astype(np.float32)
cams = np.einsum("kc,cyx->kyx", weight.astype(np.float64), features.astype(np.float64))
logits = weight.astype(np.float64) @ features.astype(np.float64).mean(axis=(1, 2)) + bias

values = rng.standard_normal(101).astype(np.float32)
values[::7] = 0
sorted_values = values.astype(np.float64)

fixture = {
    "features": {"shape": [channels, height, width], "values": features.ravel().tolist()},
    "weight": {"shape": [classes, channels], "values": weight.ravel().tolist()},
    "bias": bias.tolist(),
    "cams": cams.reshape(classes, -1).tolist(),
    "logits": logits.tolist(),
    "statistics": {
        "values": values.tolist(),
        "min": float(sorted_values.min()), "max": float(sorted_values.max()), "mean": float(sorted_values.mean()),
        "p1": float(np.percentile(sorted_values, 1)), "median": float(np.percentile(sorted_values, 50)),
        "p99": float(np.percentile(sorted_values, 99)), "zero_fraction": float((values == 0).mean()),
    },
}
out = Path(__file__).resolve().parent.parent / "Tests" / "InspectorTests" / "Fixtures" / "focus.json"
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
