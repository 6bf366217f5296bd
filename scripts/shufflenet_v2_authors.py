#!/usr/bin/env python3
"""ShuffleNet v2 in the layout of the authors' release (ShuffleNet-Series, ShuffleNetV2), with
configurable widths, so its state dicts load into the released checkpoints' keys:

    first_conv.{0,1}, features.N.branch_main.{0,1,3,4,5,6}, features.N.branch_proj.{0,1,2,3}
    (stride-2 units), conv_last.{0,1}, classifier.0 (no bias)

Every stride-1 unit splits even and odd channels (their `channel_shuffle`), passes the even ones
through and runs `branch_main` on the odd ones. The released model ends with `nn.AvgPool2d(7)`,
which is the global mean at 224×224; here the head takes the global mean over H and W at any size
(as shufflescope does), so other input sizes stay comparable. Dropout (2.0× only) is the identity
at inference and is left out.

    pip install torch
"""

import torch
import torch.nn as nn


class ShuffleV2Block(nn.Module):
    def __init__(self, inp, oup, mid_channels, ksize, stride):
        super().__init__()
        self.stride = stride
        pad = ksize // 2
        outputs = oup - inp
        self.branch_main = nn.Sequential(
            nn.Conv2d(inp, mid_channels, 1, 1, 0, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, mid_channels, ksize, stride, pad, groups=mid_channels, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.Conv2d(mid_channels, outputs, 1, 1, 0, bias=False),
            nn.BatchNorm2d(outputs),
            nn.ReLU(inplace=True),
        )
        if stride == 2:
            self.branch_proj = nn.Sequential(
                nn.Conv2d(inp, inp, ksize, stride, pad, groups=inp, bias=False),
                nn.BatchNorm2d(inp),
                nn.Conv2d(inp, inp, 1, 1, 0, bias=False),
                nn.BatchNorm2d(inp),
                nn.ReLU(inplace=True),
            )
        else:
            self.branch_proj = None

    def forward(self, old_x):
        if self.stride == 1:
            x_proj, x = self.channel_shuffle(old_x)
            return torch.cat((x_proj, self.branch_main(x)), 1)
        return torch.cat((self.branch_proj(old_x), self.branch_main(old_x)), 1)

    @staticmethod
    def channel_shuffle(x):
        batchsize, num_channels, height, width = x.data.size()
        assert num_channels % 4 == 0
        x = x.reshape(batchsize * num_channels // 2, 2, height * width)
        x = x.permute(1, 0, 2)
        x = x.reshape(2, -1, num_channels // 2, height, width)
        return x[0], x[1]


class ShuffleNetV2(nn.Module):
    """`widths` = [conv1, stage2, stage3, stage4, conv_last] (1.0×: [24, 116, 232, 464, 1024])."""

    def __init__(self, widths, n_class=1000):
        super().__init__()
        self.stage_repeats = [4, 8, 4]
        self.stage_out_channels = [-1] + list(widths)
        input_channel = self.stage_out_channels[1]
        self.first_conv = nn.Sequential(
            nn.Conv2d(3, input_channel, 3, 2, 1, bias=False),
            nn.BatchNorm2d(input_channel),
            nn.ReLU(inplace=True),
        )
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        features = []
        for idxstage, numrepeat in enumerate(self.stage_repeats):
            output_channel = self.stage_out_channels[idxstage + 2]
            for i in range(numrepeat):
                if i == 0:
                    features.append(ShuffleV2Block(input_channel, output_channel, output_channel // 2, 3, 2))
                else:
                    features.append(ShuffleV2Block(input_channel // 2, output_channel, output_channel // 2, 3, 1))
                input_channel = output_channel
        self.features = nn.Sequential(*features)
        self.conv_last = nn.Sequential(
            nn.Conv2d(input_channel, self.stage_out_channels[-1], 1, 1, 0, bias=False),
            nn.BatchNorm2d(self.stage_out_channels[-1]),
            nn.ReLU(inplace=True),
        )
        self.classifier = nn.Sequential(nn.Linear(self.stage_out_channels[-1], n_class, bias=False))

    def forward(self, x):
        x = self.first_conv(x)
        x = self.maxpool(x)
        x = self.features(x)
        x = self.conv_last(x)
        x = x.mean([2, 3])
        return self.classifier(x)
