#!/usr/bin/env python3
"""Converts a PyTorch ShuffleNet checkpoint (.pth / .pth.tar) to .safetensors for shufflescope.

Accepts a bare state_dict or a dict holding it under "state_dict" (how the released training code
saves), with keys optionally prefixed "module." (DataParallel). Writes every tensor contiguous, in
the chosen float dtype (integer tensors such as BN num_batches_tracked stay int64). shufflescope
ignores num_batches_tracked and accepts keys with or without the "module." prefix, so the flags
below only change the file, not what shufflescope computes.

    pip install torch safetensors numpy

Usage:
    python3 scripts/convert_checkpoint.py CHECKPOINT.pth.tar OUT.safetensors
        [--dtype f32|f16|bf16]          float dtype of the output (default f32)
        [--keep-prefix]                 keep "module." (default: strip it)
        [--drop-num-batches-tracked]    leave the BN counters out (default: keep them)
        [--unsafe-pickle]               load with full pickle (only for files you trust)
"""

import argparse
import sys

import torch
from safetensors.torch import save_file

DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}
PREFIX = "module."


class ConversionError(Exception):
    pass


def extract_state_dict(loaded, source):
    """Returns the {name: tensor} mapping inside a loaded checkpoint object."""
    if not isinstance(loaded, dict):
        raise ConversionError(f"{source}: expected a dict, found {type(loaded).__name__}")
    if "state_dict" in loaded and isinstance(loaded["state_dict"], dict):
        loaded = loaded["state_dict"]
    bad = [k for k, v in loaded.items() if not isinstance(v, torch.Tensor)]
    if bad:
        raise ConversionError(
            f"{source}: not a state_dict (non-tensor entries {bad[:5]}); "
            f"top-level keys: {list(loaded)[:10]}")
    if not loaded:
        raise ConversionError(f"{source}: the state_dict is empty")
    return loaded


def convert_state_dict(state_dict, dtype="f32", strip_prefix=True, keep_num_batches_tracked=True,
                       add_prefix=False):
    """Returns {name: contiguous tensor} ready for safetensors.save_file.

    Floating tensors are cast to dtype (f32, f16 or bf16); integer tensors are kept as they are.
    strip_prefix removes a leading "module."; add_prefix adds one (used to make test files that
    look like DataParallel checkpoints).
    """
    if dtype not in DTYPES:
        raise ConversionError(f"dtype must be one of {sorted(DTYPES)}, got {dtype!r}")
    target = DTYPES[dtype]
    out = {}
    for name, tensor in state_dict.items():
        if not keep_num_batches_tracked and name.endswith("num_batches_tracked"):
            continue
        if strip_prefix and name.startswith(PREFIX):
            name = name[len(PREFIX):]
        if add_prefix and not name.startswith(PREFIX):
            name = PREFIX + name
        if name in out:
            raise ConversionError(f"two tensors map to the key {name!r} after prefix handling")
        tensor = tensor.detach().cpu()
        if tensor.is_floating_point():
            converted = tensor.to(target)
            if not torch.isfinite(converted).all() and torch.isfinite(tensor).all():
                raise ConversionError(
                    f"{name} {list(tensor.shape)}: max |value| {tensor.abs().max().item():.6g} "
                    f"overflows {dtype}")
            tensor = converted
        # clone() so no two entries share storage (safetensors refuses shared tensors).
        out[name] = tensor.contiguous().clone()
    return out


def load_checkpoint(path, unsafe_pickle=False):
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=not unsafe_pickle)
    except Exception as error:  # torch raises several types; report the file either way
        hint = "" if unsafe_pickle else " (if you trust the file, retry with --unsafe-pickle)"
        raise ConversionError(f"{path}: cannot load: {error}{hint}") from error
    return extract_state_dict(loaded, path)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkpoint")
    parser.add_argument("output")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="f32")
    parser.add_argument("--keep-prefix", action="store_true")
    parser.add_argument("--drop-num-batches-tracked", action="store_true")
    parser.add_argument("--unsafe-pickle", action="store_true")
    args = parser.parse_args(argv)
    try:
        state_dict = load_checkpoint(args.checkpoint, args.unsafe_pickle)
        tensors = convert_state_dict(state_dict, args.dtype, strip_prefix=not args.keep_prefix,
                                     keep_num_batches_tracked=not args.drop_num_batches_tracked)
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    save_file(tensors, args.output, metadata={"format": "pt"})
    size = sum(t.numel() * t.element_size() for t in tensors.values())
    floats = sum(t.numel() for t in tensors.values() if t.is_floating_point())
    print(f"wrote {args.output}: {len(tensors)} tensors, {floats:,} float values "
          f"({args.dtype}), {size:,} bytes of data")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
