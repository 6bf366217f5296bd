#!/usr/bin/env python3
"""Writes the ONNX fixtures of Tests/ModelTests/Fixtures/onnx: small ShuffleNets exported with
torch.onnx.export (the TorchScript exporter, `dynamo=False`), each with an input and ONNX Runtime's
logits for it.

Models (random weights and BN statistics, reduced widths so the files stay small):
  v1 g=3 and g=8        scripts/shufflenet_v1.py, the authors' shuffle (view (n, g), transpose)
  v2 torchvision        torchvision's own ShuffleNetV2 class with reduced stages_out_channels
  v2 authors            scripts/shufflenet_v2_authors.py (the even/odd split through a reshape)
each at two opsets (11 and 17), some with a static batch of 1 and some with a dynamic batch
(`dynamic_axes`), so the Reshape shapes are constants in some files and Shape/Gather/Unsqueeze/
Concat chains in others. Deterministic for the given seeds (up to the exporter's node names).

    pip install torch torchvision onnx onnxruntime numpy

Usage:
    python3 scripts/make_onnx_fixtures.py [--out Tests/ModelTests/Fixtures/onnx]
    python3 scripts/make_onnx_fixtures.py --full shufflenet_v2_x1_0.onnx   # torchvision's 1.0×, untrained
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime
import torch
from torchvision.models import shufflenet_v2_x1_0
from torchvision.models.shufflenetv2 import ShuffleNetV2 as TorchvisionShuffleNetV2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shufflenet_v1 import ShuffleNetV1  # noqa: E402
from shufflenet_v2_authors import ShuffleNetV2 as AuthorsShuffleNetV2  # noqa: E402

# Every shuffle must permute: v1 g=8 needs 16 or more bottleneck channels (with 8 it is the identity).
# name, family, widths, classes, opset, dynamic batch, constant folding, input [H, W], seed.
# With constant folding the exporter folds each batch norm into its Conv (which gains a bias) and,
# for a static batch, most shape chains; without it the BatchNormalization nodes stay.
FIXTURES = [
    ("v1_g3_op11_static", "v1-g3", [12, 24, 48, 96], 10, 11, False, True, [48, 48], 3101),
    ("v1_g8_op17_dynamic_bn", "v1-g8", [8, 64, 128, 256], 7, 17, True, False, [40, 40], 3102),
    ("v2_tv_op11_dynamic", "v2-torchvision", [8, 8, 16, 32, 32], 10, 11, True, True, [48, 48], 3103),
    ("v2_tv_op17_static", "v2-torchvision", [16, 16, 32, 64, 48], 6, 17, False, True, [40, 40], 3104),
    ("v2_authors_op11_static_bn", "v2-authors", [8, 16, 32, 64, 32], 9, 11, False, False, [48, 48], 3105),
    ("v2_authors_op17_dynamic", "v2-authors", [8, 24, 48, 96, 32], 5, 17, True, True, [40, 40], 3106),
]


def build(family, widths, classes):
    if family.startswith("v1-g"):
        return ShuffleNetV1(groups=int(family[4:]), widths=widths, n_class=classes, shuffle="authors")
    if family == "v2-torchvision":
        return TorchvisionShuffleNetV2([4, 8, 4], widths, num_classes=classes)
    return AuthorsShuffleNetV2(widths, n_class=classes)


def randomize(model, seed):
    """Random weights with well-scaled activations and random BN statistics."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.Conv2d):
                fan_in = module.weight[0].numel()
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * (2.0 / fan_in) ** 0.5)
            elif isinstance(module, torch.nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(0.5 + torch.rand(n, generator=generator))
                module.bias.copy_(0.2 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.2 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
            elif isinstance(module, torch.nn.Linear):
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) / module.in_features ** 0.5)
                if module.bias is not None:
                    module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=generator))


def export(model, path, size, opset, dynamic, fold=True):
    dummy = torch.zeros([1, 3] + size)
    axes = {"input": {0: "batch"}, "logits": {0: "batch"}} if dynamic else None
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["logits"], opset_version=opset,
                      dynamic_axes=axes, do_constant_folding=fold, dynamo=False)
    onnx.checker.check_model(onnx.load(path))


def run_onnxruntime(path, image):
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: image})[0]


def write_uncounted_pool(folder):
    """The v1 g=3 fixture with its shortcut pools dividing by real cells only (count_include_pad 0)."""
    model = onnx.load(os.path.join(folder, "v1_g3_op11_static.onnx"))
    changed = 0
    for node in model.graph.node:
        if node.op_type != "AveragePool":
            continue
        for attribute in node.attribute:
            if attribute.name == "count_include_pad":
                attribute.i = 0
                changed += 1
    assert changed > 0, "the v1 fixture has AveragePools with count_include_pad"
    path = os.path.join(folder, "v1_g3_uncounted_pool.onnx")
    onnx.save(model, path)
    onnx.checker.check_model(onnx.load(path))
    image = np.load(os.path.join(folder, "v1_g3_op11_static.input.npy"))
    counted = run_onnxruntime(os.path.join(folder, "v1_g3_op11_static.onnx"), image)
    logits = run_onnxruntime(path, image)
    assert not np.allclose(logits, counted), "leaving padding out of the divisor must change the logits"
    np.save(os.path.join(folder, "v1_g3_uncounted_pool.expected.npy"), logits.astype(np.float32))
    print(f"v1_g3_uncounted_pool: {changed} AveragePools without padded cells, {os.path.getsize(path)} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="Tests/ModelTests/Fixtures/onnx")
    parser.add_argument("--full", help="instead: export torchvision's shufflenet_v2_x1_0 (untrained) to this path")
    parser.add_argument("--uncounted-pool", action="store_true",
                        help="instead: write v1_g3_uncounted_pool.onnx, the v1 g=3 fixture with every AveragePool's "
                             "count_include_pad set to 0, and ONNX Runtime's logits for it (the other fixtures are kept)")
    arguments = parser.parse_args()
    if arguments.uncounted_pool:
        write_uncounted_pool(arguments.out)
        return
    if arguments.full:
        model = shufflenet_v2_x1_0(weights=None).eval()
        export(model, arguments.full, [224, 224], 17, True)
        print(f"wrote {arguments.full}")
        return
    os.makedirs(arguments.out, exist_ok=True)
    manifest = {"tolerance": 1e-4, "fixtures": []}
    for name, family, widths, classes, opset, dynamic, fold, size, seed in FIXTURES:
        torch.manual_seed(seed)
        model = build(family, widths, classes).eval()
        randomize(model, seed)
        path = os.path.join(arguments.out, f"{name}.onnx")
        export(model, path, size, opset, dynamic, fold)
        generator = torch.Generator().manual_seed(seed + 1)
        image = torch.randn([1, 3] + size, generator=generator).numpy().astype(np.float32)
        np.save(os.path.join(arguments.out, f"{name}.input.npy"), image)
        logits = run_onnxruntime(path, image)
        with torch.no_grad():
            torch_logits = model(torch.from_numpy(image)).numpy()
        assert np.allclose(logits, torch_logits, rtol=1e-4, atol=1e-4), f"{name}: ONNX Runtime disagrees with PyTorch"
        np.save(os.path.join(arguments.out, f"{name}.expected.npy"), logits.astype(np.float32))
        manifest["fixtures"].append({
            "name": name, "family": family, "widths": widths, "classes": classes, "opset": opset,
            "dynamic_batch": dynamic, "constant_folding": fold, "input_shape": [1, 3] + size, "units": 16,
            # The authors' v2 shuffles only in its stride-1 units (its split); the others in every unit.
            "shuffles": 13 if family == "v2-authors" else 16,
            "model": f"{name}.onnx", "input": f"{name}.input.npy", "expected": f"{name}.expected.npy",
        })
        print(f"{name}: {family} {widths}, opset {opset}, {'dynamic' if dynamic else 'static'} batch, "
              f"{os.path.getsize(path)} bytes")
    with open(os.path.join(arguments.out, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
