#!/usr/bin/env python3
"""PyTorch-eager reference for the trainer benchmark: the same networks, data pipeline shape and
KD loss as the DJL trainer, timed the same way (one training epoch, evaluation excluded).

Usage: torch_train.py [--arch plain-cnn|resnet] --depth 2 [--threads 2] [--batch 128] [--samples N]
                      [--mode plain|kd-cached|kd-batch] [--channels-last] [--format idx|cifar10 --data DIR]
                      [--expect-parameters N]
Prints one JSON line: images/s, seconds, loss, test accuracy, parameter count, CPU seconds, peak RSS.
Like `distill train`, it loads the train and test splits, normalises every channel with the training
images' mean and standard deviation, and evaluates on the test split after the epoch.
--expect-parameters (the trainer's count, from its model.json) makes it exit with status 1 before
training when its own network's trainable parameter count differs.
"""
import argparse, gzip, json, math, os, resource, struct, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

PLANS = {
    2: ["C16", "P", "C16", "P", "FC"],
    4: ["C16", "C16", "P", "C32", "C32", "P", "FC"],
    6: ["C16", "C16", "P", "C32", "C32", "P", "C64", "C64", "P", "FC"],
    8: ["C16", "C16", "P", "C32", "C32", "P", "C64", "C64", "P", "C128", "C128", "P", "FC64", "FC"],
    10: ["C32", "C32", "P", "C64", "C64", "P", "C128", "C128", "P", "C256", "C256", "C256", "C256", "P", "FC128", "FC"],
}


def plain_cnn(depth, classes=10, in_ch=1, size=28, width=1.0):
    """The trainer's plain CNN (PlainCnn.java); `width` scales every convolution like Models.scale."""
    layers, c, h = [], in_ch, size
    fc = []
    plan = PLANS[depth]
    for i, l in enumerate(plan):
        if l == "P":
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
            h = (h + 1) // 2
        elif l.startswith("C"):
            n = max(1, int(math.floor(int(l[1:]) * width + 0.5)))
            layers += [nn.Conv2d(c, n, 3, padding=1), nn.BatchNorm2d(n), nn.ReLU(inplace=True)]
            c = n
        else:
            last = i == len(plan) - 1
            n = classes if last else int(l[2:])
            fc.append(nn.Linear(c * h * h if not fc else prev, n))
            if not last:
                fc.append(nn.ReLU(inplace=True))
            prev = n
    return nn.Sequential(*layers, nn.Flatten(), *[m for m in fc])


def cifar_resnet(depth, classes=10, in_ch=3, width=1.0):
    """The trainer's CIFAR ResNet (CifarResNet.java): He et al. (2016) section 4.2, depth 6n+2, option-A shortcuts."""
    if depth < 8 or (depth - 2) % 6:
        raise ValueError(f"resnet depth must be 6n+2 (8, 14, 20, ...), got {depth}")
    n = (depth - 2) // 6
    planes = [max(1, int(math.floor(p * width + 0.5))) for p in (16, 32, 64)]
    layers = [nn.Conv2d(in_ch, planes[0], 3, padding=1, bias=False), nn.BatchNorm2d(planes[0]), nn.ReLU(inplace=True)]
    c = planes[0]
    for stage, p in enumerate(planes):
        for b in range(n):
            layers.append(BasicBlock(c, p, 2 if stage > 0 and b == 0 else 1))
            c = p
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes))


class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN plus the shortcut, then ReLU. The shortcut is parameter-free ("option A"):
    the identity, or every stride-th pixel with the new channels zero-padded, half before and half after."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.stride = stride
        self.before = (c_out - c_in) // 2
        self.after = c_out - c_in - self.before

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)), inplace=True)))
        s = x if self.stride == 1 else x[:, :, ::self.stride, ::self.stride]
        if self.before or self.after:
            s = F.pad(s, (0, 0, 0, 0, self.before, self.after))
        return F.relu(out + s, inplace=True)


def network(arch, depth, classes, in_ch, size):
    return cifar_resnet(depth, classes, in_ch) if arch == "resnet" else plain_cnn(depth, classes, in_ch, size)


def idx(path):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x803:
        r, c = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(n, 1, r, c)
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).long()


def cifar10(path, split):
    """CIFAR-10's binary files (in `path` or in its cifar-10-batches-bin/), as the trainer's CifarReader reads them:
    (images uint8 N x 3 x 32 x 32, labels) of data_batch_1..5.bin for "train", of test_batch.bin for "test"."""
    if not os.path.isfile(os.path.join(path, "test_batch.bin")):
        path = os.path.join(path, "cifar-10-batches-bin")
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] if split == "train" else ["test_batch.bin"]
    xs, ys = [], []
    for name in names:
        with open(os.path.join(path, name), "rb") as f:
            rec = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(-1, 1 + 3 * 32 * 32)
        ys.append(rec[:, 0].long())
        xs.append(rec[:, 1:].reshape(-1, 3, 32, 32))
    return torch.cat(xs), torch.cat(ys)


def load(fmt, data, split):
    """(images, labels) of a split: IDX files (Fashion-MNIST's names) or CIFAR-10's binary files."""
    if fmt == "cifar10":
        return cifar10(data, split)
    prefix = "train" if split == "train" else "t10k"
    return idx(os.path.join(data, prefix + "-images-idx3-ubyte.gz")), idx(os.path.join(data, prefix + "-labels-idx1-ubyte.gz"))


def kd_loss(s, y, t, T, alpha):
    ce = F.cross_entropy(s, y)
    if t is None:
        return ce
    kl = F.kl_div(F.log_softmax(s / T, 1), F.log_softmax(t / T, 1), reduction="batchmean", log_target=True)
    return (1 - alpha) * ce + alpha * T * T * kl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="plain-cnn", choices=["plain-cnn", "resnet"])
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--teacher-depth", type=int, default=10, help="a plain-cnn teacher's depth (KD modes)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--samples", type=int, default=60000)
    ap.add_argument("--mode", default="plain", choices=["plain", "kd-cached", "kd-batch"])
    ap.add_argument("--channels-last", action="store_true",
                    help="model and batches in torch.channels_last memory format (the DJL trainer's CPU layout)")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda for the GPU (bench/gpu-check.sh)")
    ap.add_argument("--format", default="idx", choices=["idx", "cifar10"], help="the dataset's files, as a StageJob's dataset.format")
    ap.add_argument("--data", help="the dataset's folder (default: fashion-mnist/ in $DISTILL_DATA or /usr/share/datasets)")
    ap.add_argument("--expect-parameters", type=int, help="the trainer's parameter count: exit 1 if this network's differs")
    a = ap.parse_args()
    if a.data is None:
        if a.format != "idx":
            ap.error("--data is required with --format " + a.format)
        a.data = os.environ.get("DISTILL_DATA", "/usr/share/datasets") + "/fashion-mnist"
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    x, y = load(a.format, a.data, "train")
    x, y = x[: a.samples], y[: a.samples]
    # per-channel mean/std in chunks, as the trainer does (no float copy of the whole set)
    n_px = x.numel() / x.shape[1]
    s1 = sum(x[i:i + 5000].double().sum((0, 2, 3)) for i in range(0, x.shape[0], 5000)) / 255
    s2 = sum(x[i:i + 5000].double().pow(2).sum((0, 2, 3)) for i in range(0, x.shape[0], 5000)) / 255 / 255
    mean = s1 / n_px
    std = (s2 / n_px - mean * mean).sqrt()
    mean, std = mean.float().reshape(1, -1, 1, 1), std.float().reshape(1, -1, 1, 1)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    dev = torch.device(a.device)
    mean, std = mean.to(dev), std.to(dev)
    classes, in_ch, size = 10, x.shape[1], x.shape[2]
    model = network(a.arch, a.depth, classes, in_ch, size).to(dev, memory_format=fmt)
    parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if a.expect_parameters is not None and parameters != a.expect_parameters:
        print(f"{a.arch}-{a.depth}: PyTorch's network has {parameters} trainable parameters, the trainer's "
              f"{a.expect_parameters}: they are not the same network", file=sys.stderr)
        sys.exit(1)
    # the SGD settings of bench.sh's and gpu-check.sh's jobs
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    teacher, cache = None, None
    if a.mode != "plain":
        teacher = plain_cnn(a.teacher_depth, classes, in_ch, size).to(dev, memory_format=fmt).eval()
        for p in teacher.parameters():
            p.requires_grad_(False)
    n = x.shape[0]
    if a.mode == "kd-cached":  # once per dataset, before the epochs (not timed, as in the DJL trainer)
        with torch.no_grad():
            cache = torch.cat([teacher(x[i:i + 500].to(dev).float().div(255).sub(mean).div(std)) for i in range(0, n, 500)])
    if dev.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    model.train()
    perm = torch.randperm(n)
    total, seen = 0.0, 0
    for i in range(0, n - 1, a.batch):
        idxs = perm[i:i + a.batch]
        if len(idxs) < 2:
            break
        xb = x[idxs].to(dev).float().div_(255).sub_(mean).div_(std).contiguous(memory_format=fmt)
        yb = y[idxs].to(dev)
        t = None
        if a.mode == "kd-cached":
            t = cache[idxs.to(dev)]
        elif a.mode == "kd-batch":
            with torch.no_grad():
                t = teacher(xb)
        out = model(xb)
        loss = kd_loss(out, yb, t, 4.0, 0.9)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.item() * len(idxs)
        seen += len(idxs)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    secs = time.perf_counter() - start
    # evaluate on the test split like the trainer does after every epoch (not timed), so that the
    # process does the same work as `distill train` for CPU time and peak RSS
    xt, yt = load(a.format, a.data, "test")
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, xt.shape[0], 500):
            correct += (model(xt[i:i + 500].to(dev).float().div(255).sub(mean).div(std)).argmax(1).cpu() == yt[i:i + 500]).sum().item()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"engine": "pytorch " + torch.__version__, "device": str(dev), "architecture": a.arch, "depth": a.depth, "mode": a.mode, "channelsLast": a.channels_last, "images": seen,
                      "seconds": round(secs, 2), "imagesPerSecond": round(seen / secs, 1), "loss": round(total / seen, 4), "testAccuracy": correct / xt.shape[0],
                      "parameters": parameters,
                      "cpuSeconds": round(ru.ru_utime + ru.ru_stime, 2), "sysSeconds": round(ru.ru_stime, 2),
                      "peakRssMiB": round(ru.ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
