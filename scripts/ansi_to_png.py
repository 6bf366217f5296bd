#!/usr/bin/env python3
"""Draw an ANSI frame from `shufflescope render --color 256|truecolor|16|8` as a PNG, to look at it.

    pip install pillow
    shufflescope render --step stem.conv --color 256 > frame.ans
    python3 scripts/ansi_to_png.py frame.ans frame.png [--font PATH.ttf] [--size 14]

Half blocks (▀) are drawn as two exact rectangles, so heatmaps show their true colours; other
text uses the given monospace font (default: DejaVu Sans Mono if present). Understands SGR 0, 1,
2, 4, 7, 27, 39, 49, 30–37, 40–47, 90–97, 100–107, 38;5;n / 48;5;n and 38;2;r;g;b / 48;2;r;g;b, with xterm's
default palette.
"""
import argparse
import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ANSI16 = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
          (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
          (255, 0, 255), (0, 255, 255), (255, 255, 255)]
CUBE = [0, 95, 135, 175, 215, 255]
DEFAULT_FG, DEFAULT_BG = (220, 220, 220), (24, 24, 24)


def palette(index):
    if index < 16:
        return ANSI16[index]
    if index >= 232:
        level = 8 + 10 * (index - 232)
        return (level, level, level)
    cube = index - 16
    return (CUBE[cube // 36], CUBE[(cube // 6) % 6], CUBE[cube % 6])


def parse(text):
    """Rows of (character, foreground, background, bold, reverse)."""
    rows = []
    for line in text.split("\n"):
        cells, fg, bg, bold, reverse = [], None, None, False, False
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                params = [int(p) if p else 0 for p in token[2:-1].split(";")]
                i = 0
                while i < len(params):
                    p = params[i]
                    if p == 0:
                        fg, bg, bold, reverse = None, None, False, False
                    elif p == 1:
                        bold = True
                    elif p == 7:
                        reverse = True
                    elif p == 27:
                        reverse = False
                    elif p == 39:
                        fg = None
                    elif p == 49:
                        bg = None
                    elif 30 <= p <= 37:
                        fg = ANSI16[p - 30]
                    elif 40 <= p <= 47:
                        bg = ANSI16[p - 40]
                    elif 90 <= p <= 97:
                        fg = ANSI16[p - 90 + 8]
                    elif 100 <= p <= 107:
                        bg = ANSI16[p - 100 + 8]
                    elif p in (38, 48) and params[i + 1] == 5:
                        color = palette(params[i + 2])
                        fg, bg = (color, bg) if p == 38 else (fg, color)
                        i += 2
                    elif p in (38, 48) and params[i + 1] == 2:
                        color = tuple(params[i + 2:i + 5])
                        fg, bg = (color, bg) if p == 38 else (fg, color)
                        i += 4
                    i += 1
            else:
                for ch in token:
                    cells.append((ch, fg, bg, bold, reverse))
        rows.append(cells)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("frame")
    parser.add_argument("output")
    parser.add_argument("--font", default="/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    parser.add_argument("--size", type=int, default=14)
    args = parser.parse_args()
    rows = parse(Path(args.frame).read_text(encoding="utf-8"))
    font = ImageFont.truetype(args.font, args.size) if Path(args.font).exists() else ImageFont.load_default()
    cw, ch = int(args.size * 0.6 + 0.5), int(args.size * 1.25 + 0.5)
    width = max((len(r) for r in rows), default=1)
    image = Image.new("RGB", (width * cw, len(rows) * ch), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        for x, (char, fg, bg, bold, reverse) in enumerate(row):
            fg, bg = fg or DEFAULT_FG, bg or DEFAULT_BG
            if reverse:
                fg, bg = bg, fg
            box = (x * cw, y * ch, (x + 1) * cw - 1, (y + 1) * ch - 1)
            draw.rectangle(box, fill=bg)
            if char == "▀":
                draw.rectangle((box[0], box[1], box[2], box[1] + ch // 2 - 1), fill=fg)
            elif char == "█":
                draw.rectangle(box, fill=fg)
            elif char != " ":
                draw.text((x * cw, y * ch), char, font=font, fill=fg)
    image.save(args.output)


if __name__ == "__main__":
    main()
