#!/usr/bin/env python3
"""Writes Tests/ModelTests/Fixtures/pytorch: the same small checkpoints saved by torch.save in
both of its formats (the zip archive of PyTorch >= 1.6 and the legacy single file), bare and
wrapped, with and without the `module.` prefix, in F32 / F16 / BF16, with tensors that share a
storage at an offset, non-contiguous (strided) tensors, untyped storages and nn.Parameters, plus a
safetensors copy of every one holding exactly the same keys and values.

ShuffleNet v1 checkpoints reuse the weights of the golden fixtures (Tests/ModelTests/Fixtures,
made by make_fixtures.py) through scripts/shufflenet_v1.py, so loading one must give those
fixtures' golden outputs. ShuffleNet v2 checkpoints are torchvision's ShuffleNetV2 (the layout of
shufflenet_v2_x0_5 with reduced widths, to keep the files small) with random weights and random
BN statistics. Every file is read back with torch.load(weights_only=True) and compared with its
safetensors copy. Deterministic, except that the legacy format names storages by memory address,
so legacy files differ from run to run in those keys (their tensors do not).

    pip install torch torchvision safetensors numpy

Usage:
    python3 scripts/make_pytorch_fixtures.py [--out Tests/ModelTests/Fixtures/pytorch]
"""

import argparse
import collections
import io
import json
import os
import sys
import zipfile

import torch
import torchvision
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shufflenet_v1 import ShuffleNetV1  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ModelTests", "Fixtures")

# name, golden fixture (v1) or None (v2), options
V1 = [
    # DataParallel training output: {'state_dict': module.*, 'epoch', 'optimizer', ...}.
    dict(name="v1_g3_zip_wrapped", golden="g3_reduced", format="zip", wrap="state_dict", prefix=True, optimizer=True),
    # Bare state dicts with shared storages, strided tensors and Parameters.
    dict(name="v1_g3_zip_bare", golden="g3_reduced", format="zip", prefix=False, shared=True, strided=True,
         parameters=True),
    dict(name="v1_g3_legacy_bare", golden="g3_reduced", format="legacy", prefix=False, shared=True, strided=True),
    # F16 under 'model', legacy with the prefix, and a zip repacked with deflated entries under another root.
    dict(name="v1_g8_f16_zip_model", golden="g8_reduced_f16", format="zip", wrap="model", prefix=False,
         strided=True),
    dict(name="v1_g8_f16_legacy", golden="g8_reduced_f16", format="legacy", prefix=True, shared=True),
    dict(name="v1_g8_f16_zip_deflated", golden="g8_reduced_f16", format="zip", prefix=True, deflate=True,
         strided=True),
    # BF16 on untyped storages (_rebuild_tensor_v3), and legacy under 'net' with an optimizer.
    dict(name="v1_g8_bf16_zip_untyped", golden="g8_reduced_bf16", format="zip", prefix=False, untyped=True,
         shared=True),
    dict(name="v1_g8_bf16_legacy_wrapped", golden="g8_reduced_bf16", format="legacy", wrap="net", prefix=True,
         optimizer=True),
]
V2 = [
    dict(name="v2_zip_bare", format="zip", prefix=False, dtype="f32", strided=True),
    dict(name="v2_legacy_wrapped", format="legacy", wrap="model_state_dict", prefix=True, dtype="f32",
         optimizer=True, shared=True),
    dict(name="v2_zip_f16_module", format="zip", prefix=True, dtype="f16", shared=True),
    dict(name="v2_legacy_bf16", format="legacy", prefix=False, dtype="bf16", strided=True),
    dict(name="v2_zip_f64_untyped", format="zip", prefix=False, dtype="f64", untyped=True),
]
# Pickle protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE), which torch.save writes when asked.
OTHER = [
    dict(name="tiny_zip_protocol4", format="zip", protocol=4, strided=True),
    dict(name="tiny_legacy_protocol4", format="legacy", protocol=4, shared=True),
]
V2_WIDTHS = [4, 8, 16, 32, 64]  # conv1, stage2..4, conv5 (torchvision's 0.5x is 24, 48, 96, 192, 1024)
V2_CLASSES = 10


def v1_state_dict(golden):
    """The golden fixture's weights, loaded strictly into scripts/shufflenet_v1.py and read back."""
    tensors = load_file(os.path.join(GOLDEN, golden + ".safetensors"))
    tensors = {k.removeprefix("module."): v for k, v in tensors.items()}
    manifest = json.load(open(os.path.join(GOLDEN, "manifest.json")))
    fixture = next(f for f in manifest["fixtures"] if f["name"] == golden)
    dtype = next(v.dtype for v in tensors.values() if v.is_floating_point())
    model = ShuffleNetV1(groups=fixture["groups"], widths=fixture["widths"], n_class=fixture["classes"])
    model.to(dtype)
    missing = [k for k in model.state_dict() if k not in tensors]
    for key in missing:  # counters the golden file left out
        tensors[key] = torch.zeros((), dtype=torch.int64)
    model.load_state_dict(tensors, strict=True)
    return model


def v2_model(seed, dtype):
    torch.manual_seed(seed)
    model = torchvision.models.shufflenetv2.ShuffleNetV2([4, 8, 4], V2_WIDTHS, num_classes=V2_CLASSES)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.2)
                module.running_mean.normal_(0, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(seed)
    return model.to(dtype)


class UntypedTensor:
    """Pickles a tensor the way PyTorch does for its newer dtypes: an untyped (byte) storage plus
    the dtype, rebuilt by torch._utils._rebuild_tensor_v3."""

    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce_ex__(self, protocol):
        t = self.tensor
        return (torch._utils._rebuild_tensor_v3,
                (t.untyped_storage(), t.storage_offset(), tuple(t.size()), t.stride(), False,
                 collections.OrderedDict(), t.dtype))


def restructure(state, spec):
    """Shares storages, makes tensors strided, keeps Parameters, as the spec asks; values unchanged."""
    state = collections.OrderedDict((k, v.detach().clone()) for k, v in state.items())
    if spec.get("shared"):
        # Every BN's running_mean and running_var become two views of one storage, the second at an offset.
        for key in [k for k in state if k.endswith("running_mean")]:
            var_key = key.replace("running_mean", "running_var")
            joined = torch.cat([state[key], state[var_key]])
            n = state[key].numel()
            state[key], state[var_key] = joined[:n], joined[n:]
    if spec.get("strided"):
        # Conv weights with more than one input channel and the classifier stored transposed:
        # same values, non-contiguous strides.
        for key, value in state.items():
            if value.dim() >= 2 and value.shape[1] > 1:
                state[key] = value.transpose(0, 1).contiguous().transpose(0, 1)
                assert not state[key].is_contiguous()
    if spec.get("parameters"):
        state = collections.OrderedDict(
            (k, torch.nn.Parameter(v, requires_grad=False) if v.is_floating_point() else v) for k, v in state.items())
    if spec.get("prefix"):
        state = collections.OrderedDict(("module." + k, v) for k, v in state.items())
    return state


def wrapped(state, spec, model_parameters):
    obj = state
    if spec.get("untyped"):
        obj = collections.OrderedDict((k, UntypedTensor(v)) for k, v in state.items())
    if spec.get("wrap"):
        outer = {"epoch": 7, "arch": "shufflenet", "best_prec1": 0.5, spec["wrap"]: obj}
        if spec.get("optimizer"):
            # Momentum buffers for the first few parameters: tensors that must be skipped unread.
            optimizer = torch.optim.SGD(model_parameters, lr=0.1, momentum=0.9)
            for p in model_parameters[:4]:
                optimizer.state[p]["momentum_buffer"] = torch.ones_like(p)
            outer["optimizer"] = optimizer.state_dict()
        obj = outer
    return obj


def save(obj, path, spec):
    protocol = spec.get("protocol", 2)
    if spec["format"] == "legacy":
        torch.save(obj, path, _use_new_zipfile_serialization=False, pickle_protocol=protocol)
        return
    buffer = io.BytesIO()
    torch.save(obj, buffer, pickle_protocol=protocol)
    if not spec.get("deflate"):
        with open(path, "wb") as f:
            f.write(buffer.getvalue())
        return
    # Repack with deflated entries under another root folder name.
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            name = "repacked_model/" + info.filename.split("/", 1)[1]
            entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename), compresslevel=9)


def contiguous_copy(state):
    return {k: v.detach().contiguous().clone() for k, v in state.items()}


def check(path, reference, weights_only=True):
    # torch's weights_only reader does not take protocol 4's FRAME opcode; those files are our own.
    loaded = torch.load(path, weights_only=weights_only)
    for key in ("state_dict", "model", "net", "model_state_dict"):
        if isinstance(loaded, dict) and key in loaded:
            loaded = loaded[key]
    assert sorted(loaded.keys()) == sorted(reference.keys()), path
    for key, value in reference.items():
        other = loaded[key]
        assert other.dtype == value.dtype and other.shape == value.shape, (path, key)
        assert torch.equal(other.contiguous().view(torch.uint8) if other.dim() else other,
                           value.view(torch.uint8) if value.dim() else value), (path, key)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(GOLDEN, "pytorch"))
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    entries = []
    copies, written = {}, {}
    for old in os.listdir(args.out):
        if old.endswith((".pth", ".tar", ".safetensors")) or old == "manifest.json":
            os.remove(os.path.join(args.out, old))
    dtypes = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16, "f64": torch.float64}
    for spec in V1 + V2 + OTHER:
        if "golden" in spec:
            model = v1_state_dict(spec["golden"])
            architecture = "v1"
        elif spec["name"].startswith("tiny"):
            torch.manual_seed(len(entries))
            model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Linear(5, 2))
            with torch.no_grad():
                model[1].running_mean.normal_()
                model[1].running_var.uniform_(0.5, 2)
            architecture = "none"
        else:
            model = v2_model(seed=len(entries) + 1, dtype=dtypes[spec["dtype"]])
            architecture = "v2"
        state = restructure(model.state_dict(), spec)
        reference = contiguous_copy(state)
        extension = ".pth.tar" if spec.get("wrap") else ".pth"
        name = spec["name"] + extension
        path = os.path.join(args.out, name)
        save(wrapped(state, spec, list(model.parameters())), path, spec)
        # Checkpoints with the same keys and values share one safetensors copy.
        copy = copies.setdefault(
            (spec.get("golden", spec["name"]), bool(spec.get("prefix"))), spec["name"] + ".safetensors")
        copy_path = os.path.join(args.out, copy)
        if not os.path.exists(copy_path) or written.get(copy) is None:
            save_file(reference, copy_path, metadata={"format": "pt"})
            written[copy] = True
        trusted = spec.get("protocol", 2) == 2
        check(path, load_file(copy_path), weights_only=trusted)
        check(path, reference, weights_only=trusted)
        entry = dict(name=spec["name"], file=name, safetensors=copy,
                     architecture=architecture, format=spec["format"], wrapper=spec.get("wrap"),
                     prefix="module." if spec.get("prefix") else "",
                     dtype=str(next(v.dtype for v in reference.values() if v.is_floating_point())).removeprefix("torch."),
                     shared=bool(spec.get("shared")), strided=bool(spec.get("strided")),
                     untyped=bool(spec.get("untyped")), parameters=bool(spec.get("parameters")),
                     deflated=bool(spec.get("deflate")), optimizer=bool(spec.get("optimizer")),
                     protocol=spec.get("protocol", 2),
                     keys=len(reference))
        if "golden" in spec:
            entry["golden"] = spec["golden"]
        entries.append(entry)
        print(f"{name}: {os.path.getsize(path)} bytes, {len(reference)} tensors")
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(dict(generator="scripts/make_pytorch_fixtures.py", fixtures=entries), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
