#!/usr/bin/env python3
"""Writes the ShuffleNet v2 golden fixtures of Tests/ModelTests/Fixtures/v2: small v2 models in
torchvision's layout (torchvision's own `ShuffleNetV2` class with reduced widths) and in the
authors' layout (scripts/shufflenet_v2_authors.py), random weights and BN statistics, an input for
each, and PyTorch's float64 output of every checkpoint module (conv1/first_conv, maxpool, each
unit, conv5/conv_last, fc/classifier). Deterministic.

    pip install torch torchvision safetensors numpy

Usage:
    python3 scripts/make_v2_fixtures.py [--out Tests/ModelTests/Fixtures/v2]
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file
from torchvision.models.shufflenetv2 import ShuffleNetV2 as TorchvisionShuffleNetV2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shufflenet_v2_authors import ShuffleNetV2 as AuthorsShuffleNetV2  # noqa: E402

# name, layout, widths [conv1, s2, s3, s4, conv5], classes, dtype, prefix, input [H, W], seed
FIXTURES = [
    ("tv_f32", "torchvision", [24, 16, 32, 64, 48], 10, torch.float32, "module.", [67, 93], 2001),
    ("tv_bf16", "torchvision", [16, 24, 48, 96, 40], 6, torch.bfloat16, "", [40, 40], 2002),
    ("authors_f16", "authors", [12, 24, 48, 96, 64], 9, torch.float16, "module.", [59, 71], 2003),
    ("authors_f32", "authors", [16, 40, 80, 160, 32], 5, torch.float32, "", [33, 47], 2004),
]


def build(layout, widths, classes):
    if layout == "torchvision":
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
                module.num_batches_tracked.fill_(int(torch.randint(0, 1000, (1,), generator=generator)))
            elif isinstance(module, torch.nn.Linear):
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) / module.in_features ** 0.5)
                if module.bias is not None:
                    module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=generator))


def checkpoint_modules(model, layout):
    """(name, module) whose outputs are compared: the stem, max pool, every unit, conv5 and the FC."""
    if layout == "torchvision":
        names = ["conv1", "maxpool"]
        names += [f"stage{s}.{k}" for s, repeats in zip([2, 3, 4], [4, 8, 4]) for k in range(repeats)]
        names += ["conv5", "fc"]
    else:
        names = ["first_conv", "maxpool"] + [f"features.{i}" for i in range(16)] + ["conv_last", "classifier"]
    modules = dict(model.named_modules())
    return [(name, modules[name]) for name in names]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="Tests/ModelTests/Fixtures/v2")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    manifest = {"tolerance": 1e-4, "fixtures": []}
    for name, layout, widths, classes, dtype, prefix, size, seed in FIXTURES:
        torch.manual_seed(seed)
        model = build(layout, widths, classes).eval()
        randomize(model, seed)
        # The stored (possibly half-precision) values are the ones both sides must use.
        state = {key: (value.to(dtype) if value.is_floating_point() else value) for key, value in model.state_dict().items()}
        save_file({prefix + key: value.contiguous() for key, value in state.items()},
                  os.path.join(arguments.out, f"{name}.safetensors"), metadata={"format": "pt"})
        model.load_state_dict({key: value.to(torch.float32) if value.is_floating_point() else value
                               for key, value in state.items()})
        model = model.double()
        generator = torch.Generator().manual_seed(seed + 1)
        image = torch.randn([1, 3] + size, generator=generator, dtype=torch.float64)
        np.save(os.path.join(arguments.out, f"{name}.input.npy"), image.numpy().astype(np.float32))
        image = torch.from_numpy(np.load(os.path.join(arguments.out, f"{name}.input.npy"))).double()
        outputs = {}
        hooks = [module.register_forward_hook(lambda _m, _i, out, key=key: outputs.__setitem__(key, out.detach().clone()))
                 for key, module in checkpoint_modules(model, layout)]
        with torch.no_grad():
            logits = model(image)
        for hook in hooks:
            hook.remove()
        assert torch.equal(outputs[checkpoint_modules(model, layout)[-1][0]], logits)
        save_file({key: value.to(torch.float32).contiguous() for key, value in outputs.items()},
                  os.path.join(arguments.out, f"{name}.expected.safetensors"))
        manifest["fixtures"].append({
            "name": name, "layout": layout, "widths": widths, "classes": classes,
            "dtype": str(dtype).replace("torch.", ""), "prefix": prefix, "input_shape": [1, 3] + size,
            "weights": f"{name}.safetensors", "input": f"{name}.input.npy", "expected": f"{name}.expected.safetensors",
            "modules": [key for key, _ in checkpoint_modules(model, layout)],
            "params": sum(p.numel() for p in model.parameters()),
        })
        print(f"{name}: {layout} {widths} {classes} classes, {dtype}, input {size}")
    with open(os.path.join(arguments.out, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
