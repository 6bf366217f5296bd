"""Writes the golden preprocessing fixtures: inputs and what the reference pipelines make of them.

Run from the repository root (only needed to recreate the committed files):
    pip install numpy pillow torch torchvision opencv-python-headless
    python3 Tests/ModelTests/Data/make_preprocess_fixtures.py

"authors" is the ShuffleNet authors' evaluation transform (an OpenCV INTER_LINEAR resize of the
short side, torchvision CenterCrop, BGR float 0-255); "torchvision" is torchvision's ImageNet
evaluation transform on a PIL image (generated with Pillow 13.0, OpenCV 5.0, torchvision 0.29). Each fixture is a float32 [1, 3, crop, crop] array named
<input>_<preset>_<resize>_<crop>.npy.
"""
import os

import cv2
import numpy as np
import torch
from PIL import Image
from torchvision import transforms

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "preprocess")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


class OpencvResize:
    """The authors' resize: short side to `size`, long side rounded, OpenCV INTER_LINEAR."""

    def __init__(self, size):
        self.size = size

    def __call__(self, img):
        img = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
        H, W, _ = img.shape
        target = (int(self.size / H * W + 0.5), self.size) if H < W else (self.size, int(self.size / W * H + 0.5))
        img = cv2.resize(img, target, interpolation=cv2.INTER_LINEAR)
        return Image.fromarray(np.ascontiguousarray(img[:, :, ::-1]))


class ToBGRTensor:
    def __call__(self, img):
        img = np.ascontiguousarray(np.transpose(np.asarray(img)[:, :, ::-1], [2, 0, 1]))
        return torch.from_numpy(img).float()


def pipelines(resize, crop):
    return {
        "authors": transforms.Compose([OpencvResize(resize), transforms.CenterCrop(crop), ToBGRTensor()]),
        "torchvision": transforms.Compose([
            transforms.Resize(resize),
            transforms.CenterCrop(crop),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
        ]),
    }


def write_ppm(path, array):
    height, width, _ = array.shape
    with open(path, "wb") as f:
        f.write(b"P6\n# seeded random pixels\n%d %d\n255\n" % (width, height))
        f.write(array.astype(np.uint8).tobytes())


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20180701)
    cases = []
    # (width, height, resize, crop): enlarging, shrinking by ~2.2, a portrait image more than
    # twice as tall as wide (Pillow 13 then runs its vertical pass first), one pixel, extreme
    # aspect ratios and a square.
    sizes = [(7, 5, 16, 12), (61, 43, 20, 16), (40, 97, 24, 20), (1, 1, 16, 12), (3, 100, 20, 16),
             (100, 3, 20, 16), (33, 33, 20, 16)]
    for width, height, resize, crop in sizes:
        name = f"random_{width}x{height}.ppm"
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        write_ppm(os.path.join(OUT, name), pixels)
        cases.append((name, Image.fromarray(pixels), resize, crop))
    for asset in ["chelsea.jpg", "coffee.png"]:
        image = Image.open(os.path.join(ROOT, "assets", asset)).convert("RGB")
        cases.append((asset, image, 64, 56))

    for name, image, resize, crop in cases:
        for preset, pipeline in pipelines(resize, crop).items():
            tensor = pipeline(image).unsqueeze(0).numpy().astype("<f4")
            stem = os.path.splitext(name)[0]
            np.save(os.path.join(OUT, f"{stem}_{preset}_{resize}_{crop}.npy"), tensor)


if __name__ == "__main__":
    main()
