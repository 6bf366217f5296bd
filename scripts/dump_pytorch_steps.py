#!/usr/bin/env python3
"""Runs a ShuffleNet checkpoint in PyTorch (float32) and writes the output of every checkpoint
module in the layout `shufflescope infer --dump` writes, so `shufflescope diff` can compare the
two runs module by module:

    DIR/NNN_<module>.npy          float32, the module's output as PyTorch shapes it
    DIR/index.json                {"steps": [{"name", "source", "file", "shape"}], "producer": ...}

`name` and `source` are both the module path (`first_conv`, `features.3`, `stage2.0`, `fc`),
which is what the engine's steps carry as `source`. The architecture and widths are read from the
checkpoint's keys and shapes: ShuffleNet v1 (scripts/shufflenet_v1.py), ShuffleNet v2 in
torchvision's layout (torchvision's ShuffleNetV2 class) or in the authors' layout
(scripts/shufflenet_v2_authors.py).

    pip install torch torchvision safetensors numpy

Usage:
    python3 scripts/dump_pytorch_steps.py WEIGHTS.safetensors INPUT.npy OUT_DIR [--shuffle authors|paper]
--shuffle is for v1 only (default authors, the convention the released v1 weights were trained with).
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shufflenet_v1 import ShuffleNetV1  # noqa: E402
from shufflenet_v2_authors import ShuffleNetV2 as AuthorsShuffleNetV2  # noqa: E402


def stage_starts(repeats):
    starts, index = [], 0
    for count in repeats:
        starts.append(index)
        index += count
    return starts


def build(state, shuffle):
    """(model, [module names in execution order]) for the checkpoint `state` (prefix removed)."""
    if "conv1.0.weight" in state:
        from torchvision.models.shufflenetv2 import ShuffleNetV2
        repeats = [len({k.split(".")[1] for k in state if k.startswith(f"stage{s}.")}) for s in (2, 3, 4)]
        widths = [state["conv1.0.weight"].shape[0]]
        widths += [2 * state[f"stage{s}.0.branch1.2.weight"].shape[0] for s in (2, 3, 4)]
        widths.append(state["conv5.0.weight"].shape[0])
        model = ShuffleNetV2(repeats, widths, num_classes=state["fc.weight"].shape[0])
        names = ["conv1", "maxpool"] + [f"stage{s}.{k}" for s, r in zip((2, 3, 4), repeats) for k in range(r)]
        return model, names + ["conv5", "fc"]
    if "conv_last.0.weight" in state:
        widths = [state["first_conv.0.weight"].shape[0]]
        for start in stage_starts([4, 8, 4]):
            widths.append(state[f"features.{start}.branch_main.5.weight"].shape[0]
                          + state[f"features.{start}.branch_proj.2.weight"].shape[0])
        widths.append(state["conv_last.0.weight"].shape[0])
        model = AuthorsShuffleNetV2(widths, n_class=state["classifier.0.weight"].shape[0])
        names = ["first_conv", "maxpool"] + [f"features.{i}" for i in range(16)] + ["conv_last", "classifier"]
        return model, names
    widths = [state["first_conv.0.weight"].shape[0]]
    for start in stage_starts([4, 8, 4]):
        widths.append(state[f"features.{start + 1}.branch_main_2.0.weight"].shape[0])
    mid, per_group = state["features.1.branch_main_1.0.weight"].shape[:2]
    groups = widths[1] // per_group
    model = ShuffleNetV1(groups=groups, widths=widths, n_class=state["classifier.0.weight"].shape[0], shuffle=shuffle)
    names = ["first_conv", "maxpool"] + [f"features.{i}" for i in range(16)] + ["classifier"]
    return model, names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights")
    parser.add_argument("input", help="float32 .npy input [1, 3, H, W], already preprocessed")
    parser.add_argument("out")
    parser.add_argument("--shuffle", default="authors", choices=["authors", "paper"])
    arguments = parser.parse_args()
    state = {}
    for key, value in load_file(arguments.weights).items():
        key = key[len("module."):] if key.startswith("module.") else key
        state[key] = value.to(torch.float32) if value.is_floating_point() else value
    model, names = build(state, arguments.shuffle)
    model.load_state_dict(state)
    model.eval()
    modules = dict(model.named_modules())
    outputs = []
    hooks = [modules[name].register_forward_hook(
        lambda _m, _i, out, name=name: outputs.append((name, out.detach().numpy().astype(np.float32).copy())))
        for name in names]
    image = torch.from_numpy(np.load(arguments.input).astype(np.float32))
    if image.dim() == 3:
        image = image.unsqueeze(0)
    with torch.no_grad():
        model(image)
    for hook in hooks:
        hook.remove()
    os.makedirs(arguments.out, exist_ok=True)
    entries = []
    for index, (name, array) in enumerate(outputs):
        file = f"{index:03d}_{name}.npy"
        np.save(os.path.join(arguments.out, file), array)
        entries.append({"name": name, "source": name, "file": file, "shape": list(array.shape)})
    producer = f"PyTorch {torch.__version__} float32, scripts/dump_pytorch_steps.py"
    with open(os.path.join(arguments.out, "index.json"), "w") as handle:
        json.dump({"steps": entries, "producer": producer}, handle, indent=1)
        handle.write("\n")
    print(f"{arguments.out}: {len(entries)} module outputs")


if __name__ == "__main__":
    main()
