#!/usr/bin/python3
"""Regenerate QuantLens's bundled sample models, calibration/evaluation data and teaching tensors.

Everything here is deterministic: fixed seeds, two CPU threads, deterministic torch algorithms.
Run from anywhere with Debian's interpreter (the packages below are Debian's, not pip's):

    apt-get install -y python3-torch python3-sklearn python3-pil python3-onnx
    /usr/bin/python3 sample-models/make_samples.py

Data: the UCI "Optical Recognition of Handwritten Digits" set as shipped by scikit-learn
(sklearn.datasets.load_digits: 1797 images of 8x8 pixels, values 0..16, labels 0..9),
CC BY 4.0, E. Alpaydin and C. Kaynak (1998).

Image pipeline, identical for training, calibration PNGs and the .npy files, so that the PNGs plus
preprocess.json reproduce exactly what the model was trained on:
    v in 0..16  ->  v/16 in [0,1]  ->  bilinear upscale (torch, align_corners=False) to the model's size
    ->  u8 = round(255*x)  (this is the PNG)  ->  model input = (u8 * (1/255) - mean) / std.
mean/std are measured on the training split (rounded to 4 decimals) and written to preprocess.json.

No ONNX Runtime is available from Debian, so the exported graphs are checked with onnx.checker and run
by a small numpy interpreter below (only the operators these samples use); its logits must match
PyTorch's and its accuracy on eval.npy is the one reported.
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 20260127
TEST_SIZE = 360          # 20% of 1797, stratified; kept small so that the folder stays under ~10 MB
CALIB_COUNT = 128
OPSET = 13
PIXEL_SCALE = 1.0 / 255.0
HERE = os.path.dirname(os.path.abspath(__file__))


def set_determinism(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)


# ---------------------------------------------------------------- data

def load_split():
    digits = load_digits()
    images = digits.images.astype(np.float64) / 16.0          # [1797, 8, 8] in [0, 1]
    labels = digits.target.astype(np.int64)
    idx = np.arange(len(labels))
    train_idx, test_idx = train_test_split(idx, test_size=TEST_SIZE, random_state=0, stratify=labels)
    return images, labels, np.sort(train_idx), np.sort(test_idx)


def to_uint8_images(images, size):
    """[N,8,8] floats in [0,1] -> [N,size,size] uint8, bilinearly upscaled, rounded half to even."""
    x = torch.from_numpy(images).unsqueeze(1)                 # float64 [N,1,8,8]
    if size != 8:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    u8 = np.clip(np.rint(x.squeeze(1).numpy() * 255.0), 0, 255)
    return u8.astype(np.uint8)


def normalise(u8, channels, mean, std):
    """uint8 [N,H,W] -> float32 [N,C,H,W] = (u8/255 - mean)/std, gray replicated to C channels."""
    x = (u8.astype(np.float64) * PIXEL_SCALE - mean) / std
    x = np.repeat(x[:, None, :, :], channels, axis=1)
    return x.astype(np.float32)


# ---------------------------------------------------------------- models

class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(),
                                 nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.net(x)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),     # 16 -> 8
            nn.Conv2d(6, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2))    # 8 -> 4
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * 4 * 4, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def conv_bn_relu6(cin, cout, kernel, stride, groups=1):
    return [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU6()]


class MobileNetV1(nn.Module):
    """Stem 3x3 conv + 5 depthwise-separable pairs = 11 conv layers, each Conv -> BN -> ReLU6."""
    PAIRS = [(16, 32, 1), (32, 64, 2), (64, 64, 1), (64, 128, 2), (128, 128, 1)]

    def __init__(self):
        super().__init__()
        layers = conv_bn_relu6(3, 16, 3, 2)                             # 32 -> 16
        for cin, cout, stride in self.PAIRS:
            layers += conv_bn_relu6(cin, cin, 3, stride, groups=cin)    # depthwise
            layers += conv_bn_relu6(cin, cout, 1, 1)                    # pointwise
        self.features = nn.Sequential(*layers)                           # 16 -> 8 -> 4
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.pool(self.features(x)))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None    # identity; no Identity node in the exported graph
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    """Stem conv + three basic blocks (16, 32, 64 channels) with residual Add, on [N,1,16,16]."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = BasicBlock(16, 16, 1)     # 16x16
        self.layer2 = BasicBlock(16, 32, 2)     # 8x8
        self.layer3 = BasicBlock(32, 64, 2)     # 4x4
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        return self.classifier(self.pool(x))


SPECS = [
    # name, class, size, channels, color, epochs, learning rate, default
    dict(name="mlp", cls=Mlp, size=8, channels=1, color="GRAY", epochs=60, lr=2e-3, default=False),
    dict(name="lenet", cls=LeNet, size=16, channels=1, color="GRAY", epochs=40, lr=2e-3, default=False),
    dict(name="mobilenet_v1", cls=MobileNetV1, size=32, channels=3, color="RGB", epochs=40, lr=3e-3, default=True),
    dict(name="resnet", cls=ResNet, size=16, channels=1, color="GRAY", epochs=30, lr=3e-3, default=False),
]


# ---------------------------------------------------------------- training

def train(model, x, y, epochs, lr, seed):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(yt), generator=gen)
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            opt.zero_grad()
            loss = F.cross_entropy(model(xt[batch]), yt[batch])
            loss.backward()
            opt.step()
        sched.step()
    model.eval()
    return model


def torch_logits(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


# ---------------------------------------------------------------- export and a tiny numpy ONNX interpreter

def export(model, size, channels, path):
    dummy = torch.zeros(1, channels, size, size)
    torch.onnx.export(model, dummy, path, opset_version=OPSET, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    proto = onnx.load(path)
    if inline_initializer_identities(proto):
        onnx.save(proto, path)
    onnx.checker.check_model(proto, full_check=True)
    return proto


def inline_initializer_identities(proto):
    """Replace Identity(initializer) nodes by a copy of the initializer under the output's name.

    torch.onnx deduplicates initializers with equal values and re-creates the duplicates through Identity nodes.
    In the ResNet the bias of each block's last BN and of its shortcut BN receive identical gradients (both are
    added before the same ReLU), so they stay equal and would show up as Identity nodes in the app.
    """
    inits = {t.name: t for t in proto.graph.initializer}
    identities = [n for n in proto.graph.node if n.op_type == "Identity" and n.input[0] in inits]
    for node in identities:
        copy = onnx.TensorProto()
        copy.CopyFrom(inits[node.input[0]])
        copy.name = node.output[0]
        proto.graph.initializer.append(copy)
        proto.graph.node.remove(node)
    return len(identities)


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _windows(x, kh, kw, strides, pads, fill):
    """[N,C,H,W] -> strided windows [N,C,Ho,Wo,kh,kw] after padding (top, left, bottom, right)."""
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])), constant_values=fill)
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    return win[:, :, ::strides[0], ::strides[1]]


def _conv(x, w, b, at):
    groups = at.get("group", 1)
    assert at.get("dilations", [1, 1]) == [1, 1]
    cout, cin_g, kh, kw = w.shape
    win = _windows(x, kh, kw, at.get("strides", [1, 1]), at.get("pads", [0, 0, 0, 0]), 0.0)
    n, c, ho, wo = win.shape[:4]
    win = win.reshape(n, groups, c // groups, ho, wo, kh, kw)
    y = np.einsum("ngchwij,gocij->ngohw", win, w.reshape(groups, cout // groups, cin_g, kh, kw))
    y = y.reshape(n, cout, ho, wo)
    return y if b is None else y + b[None, :, None, None]


def run_onnx(proto, x):
    """Evaluate the graph in float64 with numpy; supports only the operators these samples export."""
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in proto.graph.initializer}
    env[proto.graph.input[0].name] = x.astype(np.float64)
    for node in proto.graph.node:
        i = [env[name] if name else None for name in node.input]
        at = _attrs(node)
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(at["value"]).astype(np.float64)
        elif op == "Flatten":
            axis = at.get("axis", 1)
            out = i[0].reshape(int(np.prod(i[0].shape[:axis])), -1)
        elif op == "Gemm":
            a = i[0].T if at.get("transA", 0) else i[0]
            b = i[1].T if at.get("transB", 0) else i[1]
            out = at.get("alpha", 1.0) * (a @ b) + at.get("beta", 1.0) * (i[2] if len(i) > 2 else 0.0)
        elif op == "Relu":
            out = np.maximum(i[0], 0.0)
        elif op == "Clip":
            lo = i[1] if len(i) > 1 and i[1] is not None else -np.inf
            hi = i[2] if len(i) > 2 and i[2] is not None else np.inf
            out = np.clip(i[0], lo, hi)
        elif op == "Add":
            out = i[0] + i[1]
        elif op == "Conv":
            out = _conv(i[0], i[1], i[2] if len(i) > 2 else None, at)
        elif op == "MaxPool":
            kh, kw = at["kernel_shape"]
            win = _windows(i[0], kh, kw, at.get("strides", [1, 1]), at.get("pads", [0, 0, 0, 0]), -np.inf)
            out = win.max(axis=(4, 5))
        elif op == "GlobalAveragePool":
            out = i[0].mean(axis=(2, 3), keepdims=True)
        elif op == "BatchNormalization":
            scale, bias, mean, var = (v[None, :, None, None] for v in i[1:5])
            out = (i[0] - mean) / np.sqrt(var + at.get("epsilon", 1e-5)) * scale + bias
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = out
    return env[proto.graph.output[0].name]


def op_counts(proto):
    counts = {}
    for node in proto.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return counts


# ---------------------------------------------------------------- writing one sample

def write_sample(spec, images, labels, train_idx, test_idx):
    name, size, channels = spec["name"], spec["size"], spec["channels"]
    out_dir = os.path.join(HERE, name)
    os.makedirs(os.path.join(out_dir, "calib_images"), exist_ok=True)
    u8 = to_uint8_images(images, size)
    train_px = u8[train_idx].astype(np.float64) * PIXEL_SCALE
    mean, std = round(float(train_px.mean()), 4), round(float(train_px.std()), 4)

    set_determinism(SEED)
    model = spec["cls"]()
    x_train = normalise(u8[train_idx], channels, mean, std)
    model = train(model, x_train, labels[train_idx], spec["epochs"], spec["lr"], SEED)

    x_eval, y_eval = normalise(u8[test_idx], channels, mean, std), labels[test_idx]
    proto = export(model, size, channels, os.path.join(out_dir, "model.onnx"))
    ref = torch_logits(model, x_eval)
    got = run_onnx(proto, x_eval)
    max_err = float(np.abs(got - ref).max())
    assert max_err < 1e-3, f"{name}: ONNX graph disagrees with PyTorch by {max_err}"
    torch_acc = float((ref.argmax(1) == y_eval).mean())
    onnx_acc = float((got.argmax(1) == y_eval).mean())
    assert torch_acc == onnx_acc, f"{name}: accuracy torch {torch_acc} vs onnx {onnx_acc}"
    np.save(os.path.join(out_dir, "eval.npy"), x_eval)
    np.save(os.path.join(out_dir, "eval_labels.npy"), y_eval.astype(np.int64))

    # Calibration: the first 128 training samples of a fixed permutation of the training split.
    calib_idx = train_idx[np.random.default_rng(SEED).permutation(len(train_idx))[:CALIB_COUNT]]
    np.save(os.path.join(out_dir, "calib.npy"), normalise(u8[calib_idx], channels, mean, std))
    for k, j in enumerate(calib_idx):
        img = Image.fromarray(u8[j], mode="L")
        (img if channels == 1 else img.convert("RGB")).save(os.path.join(out_dir, "calib_images", f"{k:03d}.png"))
    preprocess = {"layout": "NCHW", "color": spec["color"], "scale": PIXEL_SCALE,
                  "mean": [mean] * channels, "std": [std] * channels}
    with open(os.path.join(out_dir, "preprocess.json"), "w") as f:
        json.dump(preprocess, f, indent=2)
        f.write("\n")
    png_err = check_pngs_reproduce_calib(out_dir)

    counts = op_counts(proto)
    params = sum(p.numel() for p in model.parameters())
    size_bytes = os.path.getsize(os.path.join(out_dir, "model.onnx"))
    print(f"{name}: acc={onnx_acc:.4f} onnx-vs-torch={max_err:.2e} png-vs-calib={png_err:.2e} "
          f"params={params} size={size_bytes} ops={counts}", flush=True)


def check_pngs_reproduce_calib(out_dir):
    """Apply preprocess.json to the PNGs as a consumer would (float32) and compare with calib.npy."""
    with open(os.path.join(out_dir, "preprocess.json")) as f:
        spec = json.load(f)
    mode = {"GRAY": "L", "RGB": "RGB"}[spec["color"]]
    names = sorted(os.listdir(os.path.join(out_dir, "calib_images")))
    batch = []
    for n in names:
        px = np.asarray(Image.open(os.path.join(out_dir, "calib_images", n)).convert(mode), dtype=np.float32)
        px = px[:, :, None] if px.ndim == 2 else px                     # HWC
        mean = np.asarray(spec["mean"], np.float32)
        std = np.asarray(spec["std"], np.float32)
        batch.append(((px * np.float32(spec["scale"]) - mean) / std).transpose(2, 0, 1))
    from_png = np.stack(batch)
    calib = np.load(os.path.join(out_dir, "calib.npy"))
    assert from_png.shape == calib.shape, (from_png.shape, calib.shape)
    err = float(np.abs(from_png - calib).max())
    # Same uint8 source on both sides, so only float32 rounding may differ: far below one pixel step (1/255/std).
    assert err <= 1e-5, f"{out_dir}: PNG + preprocess.json differs from calib.npy by {err}"
    return err


# ---------------------------------------------------------------- teaching tensors

def write_teaching():
    out_dir = os.path.join(HERE, "teaching")
    os.makedirs(out_dir, exist_ok=True)
    n = 100_000
    rng = np.random.default_rng(SEED)
    tensors = {
        "gaussian": rng.normal(0.0, 1.0, n),
        "laplace": rng.laplace(0.0, 1.0, n),
        "relu_halfnormal": np.maximum(rng.normal(0.0, 1.0, n), 0.0),
        "bimodal": np.where(rng.random(n) < 0.5, rng.normal(-2.0, 0.5, n), rng.normal(2.0, 0.5, n)),
    }
    outliers = rng.normal(0.0, 1.0, n)
    where = rng.choice(n, size=n // 1000, replace=False)
    outliers[where] = 20.0 * rng.choice([-1.0, 1.0], size=where.size)
    tensors["gaussian_outliers"] = outliers
    for name, values in tensors.items():
        np.save(os.path.join(out_dir, f"{name}.npy"), values.astype(np.float32))


def manifest_entry(spec):
    """Re-evaluate a model folder on disk (numpy interpreter, eval.npy) and describe it for manifest.json."""
    out_dir = os.path.join(HERE, spec["name"])
    logits = run_onnx(onnx.load(os.path.join(out_dir, "model.onnx")), np.load(os.path.join(out_dir, "eval.npy")))
    accuracy = float((logits.argmax(1) == np.load(os.path.join(out_dir, "eval_labels.npy"))).mean())
    return {"name": spec["name"], "dir": spec["name"],
            "input_shape": [-1, spec["channels"], spec["size"], spec["size"]], "classes": 10,
            "fp32_accuracy": round(accuracy, 4), "default": spec["default"],
            "input": "input", "output": "logits", "model": "model.onnx", "preprocess": "preprocess.json",
            "calib_images": "calib_images", "calib": "calib.npy", "eval": "eval.npy", "eval_labels": "eval_labels.npy"}


def main():
    """Arguments: model names to retrain (default: all). The manifest is rebuilt from every folder on disk."""
    only = set(sys.argv[1:])
    images, labels, train_idx, test_idx = load_split()
    print(f"train {len(train_idx)} / test {len(test_idx)}", flush=True)
    for spec in SPECS:
        if not only or spec["name"] in only:
            write_sample(spec, images, labels, train_idx, test_idx)
    write_teaching()
    manifest = {"dataset": "UCI optical handwritten digits (sklearn load_digits), CC BY 4.0, Alpaydin & Kaynak 1998",
                "input_shape_note": "-1 marks the dynamic batch axis N",
                "models": [manifest_entry(s) for s in SPECS if os.path.exists(os.path.join(HERE, s["name"], "eval.npy"))]}
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
