"""Writes tiny PNG and JPEG files whose pixels the image decoder tests state by hand.

Run from the repository root (only needed to recreate the committed files):
    pip install pillow
    python3 Tests/ModelTests/Data/make_image_fixtures.py

PNGs are assembled chunk by chunk here so every colour type, bit depth and interlacing can be
covered. The 5x4 pattern is R = 40x + 10y, G = 200 - 30y, B = 17xy; gray images use 40x + 10y.
"""
import os
import struct
import zlib

from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")
WIDTH, HEIGHT = 5, 4


def rgb(x, y):
    return (40 * x + 10 * y, 200 - 30 * y, 17 * x * y)


def gray(x, y):
    return 40 * x + 10 * y


def chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(samples, bit_depth):
    """Packs one row of integer samples at the given bit depth (filter type 0 prefix added)."""
    if bit_depth == 8:
        data = bytes(samples)
    elif bit_depth == 16:
        data = b"".join(struct.pack(">H", s) for s in samples)
    else:
        per_byte = 8 // bit_depth
        data = bytearray()
        for start in range(0, len(samples), per_byte):
            group = samples[start : start + per_byte]
            value = 0
            for index, sample in enumerate(group):
                value |= sample << (8 - bit_depth * (index + 1))
            data.append(value)
        data = bytes(data)
    return b"\x00" + data


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(name, color_type, bit_depth, pixel, extra_chunks=b"", interlaced=False):
    """pixel(x, y) returns the list of samples of one pixel."""
    raw = b""
    if interlaced:
        for x0, y0, dx, dy in ADAM7:
            xs = range(x0, WIDTH, dx)
            for y in range(y0, HEIGHT, dy):
                if xs:
                    raw += pack_row([s for x in xs for s in pixel(x, y)], bit_depth)
    else:
        for y in range(HEIGHT):
            raw += pack_row([s for x in range(WIDTH) for s in pixel(x, y)], bit_depth)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, bit_depth, color_type, 0, 0, 1 if interlaced else 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra_chunks
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    png("rgb8.png", 2, 8, lambda x, y: list(rgb(x, y)))
    png("rgb8_interlaced.png", 2, 8, lambda x, y: list(rgb(x, y)), interlaced=True)
    # Low bytes 0xAB must be dropped.
    png("rgb16.png", 2, 16, lambda x, y: [s * 256 + 0xAB for s in rgb(x, y)])
    png("rgba8.png", 6, 8, lambda x, y: list(rgb(x, y)) + [50 * x])
    png("gray8.png", 0, 8, lambda x, y: [gray(x, y)])
    png("gray1.png", 0, 1, lambda x, y: [(x + y) % 2])
    png("gray_alpha16.png", 4, 16, lambda x, y: [gray(x, y) * 257, 1000 * y])
    palette = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (9, 99, 199)]
    png("palette2.png", 3, 2, lambda x, y: [(x + y) % 4],
        extra_chunks=chunk(b"PLTE", bytes(v for c in palette for v in c)) + chunk(b"tRNS", bytes([0, 128])))
    # A file with a gamma chunk: the decoder must ignore it (values stay as stored).
    png("rgb8_gamma.png", 2, 8, lambda x, y: list(rgb(x, y)), extra_chunks=chunk(b"gAMA", struct.pack(">I", 100000)))

    flat = Image.new("RGB", (16, 16), (200, 100, 50))
    flat.save(os.path.join(OUT, "flat.jpg"), quality=95)
    flat.save(os.path.join(OUT, "flat_progressive.jpg"), quality=95, progressive=True)
    Image.new("L", (16, 16), 128).save(os.path.join(OUT, "flat_gray.jpg"), quality=95)
    Image.new("CMYK", (16, 16), (0, 50, 100, 0)).save(os.path.join(OUT, "flat_cmyk.jpg"), quality=95)


if __name__ == "__main__":
    main()
