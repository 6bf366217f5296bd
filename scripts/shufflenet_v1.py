#!/usr/bin/env python3
"""ShuffleNet v1 in PyTorch, state-dict compatible with the authors' released training code.

The module names and nn.Sequential indices match the released checkpoints exactly
(first_conv.0/1, features.N.branch_main_1.0/1/3/4, features.N.branch_main_2.0/1, classifier.0),
so a released state_dict loads with load_state_dict(strict=True). The channel shuffle convention
is a constructor option because the released code and the paper use inverse permutations:

  "authors"  reshape(b, C/g, g, h, w).permute(0, 2, 1, 3, 4)   (the released code)
  "paper"    reshape(b, g, C/g, h, w).transpose(1, 2)          (the paper, torchvision)
  "disabled" no shuffle at all (the paper's ablation)

Other scripts import this file: make_fixtures.py, check_against_pytorch.py, bench_peers.py.

    pip install torch safetensors numpy

Usage:
    python3 scripts/shufflenet_v1.py --selftest
"""

import argparse
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SHUFFLE_CONVENTIONS = ("authors", "paper", "disabled")

# [conv1, stage2, stage3, stage4] output channels of the released checkpoints.
RELEASED_WIDTHS = {
    3: {0.5: [12, 120, 240, 480], 1.0: [24, 240, 480, 960],
        1.5: [24, 360, 720, 1440], 2.0: [48, 480, 960, 1920]},
    8: {0.5: [16, 192, 384, 768], 1.0: [24, 384, 768, 1536],
        1.5: [24, 576, 1152, 2304], 2.0: [48, 768, 1536, 3072]},
}

# (conv multiply-adds at 224x224, PyTorch parameter count with 1000 classes), computed from the
# architecture and consistent with the paper's Table 1.
REFERENCE_COUNTS = {
    (3, 0.5): (37_109_856, 717_324), (3, 1.0): (136_500_672, 1_864_728),
    (3, 1.5): (291_003_552, 3_441_168), (3, 2.0): (522_125_184, 5_449_776),
    (8, 0.5): (39_701_760, 1_010_448), (8, 1.0): (136_829_952, 2_433_768),
    (8, 1.5): (287_884_800, 4_268_952), (8, 2.0): (518_870_016, 6_521_232),
}

STAGE_REPEATS = (4, 8, 4)


def channel_shuffle(x, groups, convention):
    """Permutes the channels of x [b, C, h, w] so every group feeds every next group."""
    if convention == "disabled" or groups == 1:
        return x
    b, c, h, w = x.shape
    if c % groups != 0:
        raise ValueError(f"channel shuffle: {c} channels are not divisible by {groups} groups")
    if convention == "authors":
        x = x.reshape(b, c // groups, groups, h, w).permute(0, 2, 1, 3, 4)
    elif convention == "paper":
        x = x.reshape(b, groups, c // groups, h, w).transpose(1, 2)
    else:
        raise ValueError(f"unknown shuffle convention {convention!r}")
    return x.reshape(b, c, h, w)


class ShuffleV1Block(nn.Module):
    """One ShuffleNet v1 unit; stride 2 units concatenate an average-pooled shortcut."""

    def __init__(self, inp, oup, *, group, first_group, mid_channels, stride, shuffle):
        super().__init__()
        if stride not in (1, 2):
            raise ValueError(f"stride must be 1 or 2, got {stride}")
        self.stride = stride
        self.group = group
        self.shuffle = shuffle
        # A stride-2 unit's branch only produces the channels the pooled shortcut does not.
        outputs = oup - inp if stride == 2 else oup
        for what, value in (("mid", mid_channels), ("branch outputs", outputs)):
            if value % group != 0:
                raise ValueError(f"{what} {value} not divisible by groups {group} (in {inp}, out {oup})")
        self.branch_main_1 = nn.Sequential(
            nn.Conv2d(inp, mid_channels, 1, 1, 0, groups=1 if first_group else group, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, mid_channels, 3, stride, 1, groups=mid_channels, bias=False),
            nn.BatchNorm2d(mid_channels),
        )
        self.branch_main_2 = nn.Sequential(
            nn.Conv2d(mid_channels, outputs, 1, 1, 0, groups=group, bias=False),
            nn.BatchNorm2d(outputs),
        )
        if stride == 2:
            self.branch_proj = nn.AvgPool2d(kernel_size=3, stride=2, padding=1)

    def forward(self, old_x):
        x = self.branch_main_1(old_x)
        if self.group > 1:
            x = channel_shuffle(x, self.group, self.shuffle)
        x = self.branch_main_2(x)
        if self.stride == 1:
            return F.relu(x + old_x)
        return torch.cat((self.branch_proj(old_x), F.relu(x)), 1)


class ShuffleNetV1(nn.Module):
    """ShuffleNet v1 for input [b, 3, H, W] (H, W >= 32), logits [b, n_class]."""

    def __init__(self, groups=3, width=1.0, widths=None, n_class=1000, shuffle="authors"):
        super().__init__()
        if shuffle not in SHUFFLE_CONVENTIONS:
            raise ValueError(f"shuffle must be one of {SHUFFLE_CONVENTIONS}, got {shuffle!r}")
        if widths is None:
            if groups not in RELEASED_WIDTHS or width not in RELEASED_WIDTHS[groups]:
                raise ValueError(f"no released widths for groups {groups} width {width}; pass widths")
            widths = RELEASED_WIDTHS[groups][width]
        if len(widths) != 4:
            raise ValueError(f"widths must be [conv1, stage2, stage3, stage4], got {widths}")
        self.groups = groups
        self.widths = list(widths)
        self.n_class = n_class
        self.shuffle = shuffle

        input_channel = widths[0]
        self.first_conv = nn.Sequential(
            nn.Conv2d(3, input_channel, 3, 2, 1, bias=False),
            nn.BatchNorm2d(input_channel),
            nn.ReLU(inplace=True),
        )
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        blocks = []
        for stage, repeats in enumerate(STAGE_REPEATS):
            output_channel = widths[stage + 1]
            for i in range(repeats):
                blocks.append(ShuffleV1Block(
                    input_channel, output_channel, group=groups,
                    first_group=(stage == 0 and i == 0), mid_channels=output_channel // 4,
                    stride=2 if i == 0 else 1, shuffle=shuffle))
                input_channel = output_channel
        self.features = nn.Sequential(*blocks)
        self.classifier = nn.Sequential(nn.Linear(widths[-1], n_class, bias=False))

    def set_shuffle(self, convention):
        """Switches the shuffle convention of every unit without touching the weights."""
        if convention not in SHUFFLE_CONVENTIONS:
            raise ValueError(f"shuffle must be one of {SHUFFLE_CONVENTIONS}, got {convention!r}")
        self.shuffle = convention
        for block in self.features:
            block.shuffle = convention

    def forward(self, x):
        return self.forward_steps(x)["logits"]

    def forward_steps(self, x):
        """Returns {"first_conv", "maxpool", "features.0" .. "features.15", "logits"} in order."""
        steps = {}
        x = self.first_conv(x)
        steps["first_conv"] = x
        x = self.maxpool(x)
        steps["maxpool"] = x
        for index, block in enumerate(self.features):
            x = block(x)
            steps[f"features.{index}"] = x
        # A mean over H and W equals the released AvgPool2d(7) at 224 and works at any size.
        x = x.mean(dim=(2, 3))
        steps["logits"] = self.classifier(x)
        return steps


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def conv_multiply_adds(model, height=224, width=224):
    """Multiply-adds of the convolutions only (the papers' "FLOPs") for one [1, 3, H, W] input."""
    total = 0

    def hook(module, _inputs, output):
        nonlocal total
        k = module.weight.shape  # [out, in / groups, kh, kw]
        total += output.numel() * k[1] * k[2] * k[3]

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, height, width, dtype=next(model.parameters()).dtype))
    finally:
        for h in handles:
            h.remove()
    return total


def randomize(model, seed, calibration_size=96, input_scale=255.0):
    """Gives model random weights and random BN statistics that keep activations well scaled.

    Conv and FC weights are He-normal (the first conv is scaled down by input_scale / 2 because
    its input is raw 0..input_scale pixels). BN gamma ~ U(0.5, 1.5), beta ~ N(0, 0.2). The running
    statistics are set in one eval-mode pass over a random calibration batch: each BN, just before
    it runs, measures its own input and takes running_mean = mean + N(0, 0.2) * std and
    running_var = var * U(0.5, 2). So the stats are random but never far from what the layer sees,
    and every unit's output keeps a standard deviation of order one on inputs like the calibration
    images (uniform 0..input_scale). Deterministic for a given seed. Leaves the model in eval mode.
    """
    rng = np.random.default_rng(seed)

    def tensor(array, like):
        return torch.from_numpy(np.asarray(array)).to(dtype=like.dtype).reshape(like.shape)

    # The stem: the first convolution in module order (first_conv[0] here, conv1[0] in torchvision's v2).
    first = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Conv2d):
                fan_in = module.weight[0].numel()
                std = np.sqrt(2.0 / fan_in)
                if module is first:
                    std /= input_scale / 2
                module.weight.copy_(tensor(rng.normal(0, std, module.weight.shape), module.weight))
            elif isinstance(module, nn.Linear):
                std = 1.0 / np.sqrt(module.in_features)
                module.weight.copy_(tensor(rng.normal(0, std, module.weight.shape), module.weight))
            elif isinstance(module, nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(tensor(rng.uniform(0.5, 1.5, n), module.weight))
                module.bias.copy_(tensor(rng.normal(0, 0.2, n), module.bias))
                module.num_batches_tracked.fill_(int(rng.integers(1000, 500000)))

    def calibrate(module, inputs):
        x = inputs[0].detach().double()
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False).clamp_min(1e-6)
        n = module.num_features
        noise = torch.from_numpy(rng.normal(0, 0.2, n))
        scale = torch.from_numpy(rng.uniform(0.5, 2.0, n))
        module.running_mean.copy_((mean + noise * var.sqrt()).to(module.running_mean.dtype))
        module.running_var.copy_((var * scale).to(module.running_var.dtype))

    batch = rng.uniform(0, input_scale, (2, 3, calibration_size, calibration_size))
    model.eval()
    handles = [m.register_forward_pre_hook(calibrate)
               for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    try:
        with torch.no_grad():
            model(torch.from_numpy(batch).to(next(model.parameters()).dtype))
    finally:
        for h in handles:
            h.remove()
    return model


def selftest():
    ok = True
    print("config      params     reference  conv MACs    reference")
    for (groups, width), (macs_expected, params_expected) in sorted(REFERENCE_COUNTS.items()):
        model = ShuffleNetV1(groups=groups, width=width)
        params = parameter_count(model)
        macs = conv_multiply_adds(model)
        good = params == params_expected and macs == macs_expected
        ok &= good
        print(f"g={groups} {width:.1f}x  {params:>9,}  {params_expected:>9,}  {macs:>11,}  "
              f"{macs_expected:>11,}  {'ok' if good else 'MISMATCH'}")

    # Both conventions move channel j*g+i / i*n+j as REFERENCE.md states (g=2, C=6).
    x = torch.arange(6.0).reshape(1, 6, 1, 1)
    paper = channel_shuffle(x, 2, "paper").flatten().tolist()
    authors = channel_shuffle(x, 2, "authors").flatten().tolist()
    good = paper == [0, 3, 1, 4, 2, 5] and authors == [0, 2, 4, 1, 3, 5]
    ok &= good
    print(f"shuffle g=2 C=6: paper {paper} authors {authors} {'ok' if good else 'MISMATCH'}")

    # Random weights keep every step well scaled at several input sizes.
    for groups, width, size in ((3, 1.0, 224), (8, 0.5, 224), (3, 2.0, 160), (3, 0.5, 67)):
        model = randomize(ShuffleNetV1(groups=groups, width=width).double(), seed=groups * 10 + 1)
        image = torch.from_numpy(np.random.default_rng(5).uniform(0, 255, (1, 3, size, size)))
        with torch.no_grad():
            steps = model.forward_steps(image)
        stds = {name: float(t.std()) for name, t in steps.items()}
        low, high = min(stds, key=stds.get), max(stds, key=stds.get)
        good = all(0.1 <= s <= 10 for s in stds.values())
        ok &= good
        print(f"random g={groups} {width}x @{size}: std min {stds[low]:.3f} ({low}) "
              f"max {stds[high]:.3f} ({high}) {'ok' if good else 'OUT OF RANGE'}")
    print("selftest", "passed" if ok else "FAILED")
    return ok


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--selftest", action="store_true", help="check counts, shuffle, scaling")
    args = parser.parse_args(argv)
    if args.selftest:
        return 0 if selftest() else 1
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
