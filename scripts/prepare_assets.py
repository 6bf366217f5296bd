"""Rebuilds the bundled sample photos and the ImageNet class list under assets/.

Run from the repository root (only needed to recreate the committed files):
    pip install scikit-image==0.26.0 pillow torchvision
    python3 scripts/prepare_assets.py
    python3 scripts/embed_assets.py

The photos come from the sample data inside the scikit-image package (see assets/README.md for
their authors and licences); they are scaled so the short side is 256 to 300 pixels. The class
names come from torchvision's ImageNet-1k metadata, in index order.
"""
import os

from PIL import Image
from skimage import data
from torchvision.models._meta import _IMAGENET_CATEGORIES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = os.path.join(ROOT, "assets")


def scaled(array, short_side):
    image = Image.fromarray(array)
    width, height = image.size
    factor = short_side / min(width, height)
    if factor >= 1:
        return image
    size = (round(width * factor), round(height * factor))
    return image.resize(size, Image.LANCZOS)


def main():
    os.makedirs(ASSETS, exist_ok=True)
    # chelsea is 451x300 already: re-encoded only. Baseline JPEG, 4:2:0 sampling.
    scaled(data.chelsea(), 300).save(os.path.join(ASSETS, "chelsea.jpg"), quality=90, optimize=True)
    scaled(data.coffee(), 256).save(os.path.join(ASSETS, "coffee.png"), optimize=True)
    scaled(data.rocket(), 256).save(os.path.join(ASSETS, "rocket.jpg"), quality=90, optimize=True)

    assert len(_IMAGENET_CATEGORIES) == 1000
    with open(os.path.join(ASSETS, "imagenet_classes.txt"), "w", encoding="utf-8") as f:
        for name in _IMAGENET_CATEGORIES:
            assert "\n" not in name
            f.write(name + "\n")


if __name__ == "__main__":
    main()
