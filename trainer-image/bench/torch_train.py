#!/usr/bin/env python3
"""PyTorch-eager reference for the trainer benchmark: the same networks, data pipeline shape and
KD loss as the DJL trainer, timed the same way (one training epoch, evaluation excluded).

Usage: torch_train.py --depth 2 [--threads 2] [--batch 128] [--samples N] [--mode plain|kd-cached|kd-batch] [--channels-last]
Prints one JSON line: images/s, seconds, loss, test accuracy, CPU seconds, peak RSS.
Like `distill train`, it loads the train and test splits and evaluates on the test split after the epoch.
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


def idx(path):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x803:
        r, c = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(n, 1, r, c)
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).long()


def kd_loss(s, y, t, T, alpha):
    ce = F.cross_entropy(s, y)
    if t is None:
        return ce
    kl = F.kl_div(F.log_softmax(s / T, 1), F.log_softmax(t / T, 1), reduction="batchmean", log_target=True)
    return (1 - alpha) * ce + alpha * T * T * kl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--teacher-depth", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--samples", type=int, default=60000)
    ap.add_argument("--mode", default="plain", choices=["plain", "kd-cached", "kd-batch"])
    ap.add_argument("--channels-last", action="store_true",
                    help="model and batches in torch.channels_last memory format (the DJL trainer's CPU layout)")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda for the GPU (bench/gpu-check.sh)")
    ap.add_argument("--data", default=os.environ.get("DISTILL_DATA", "/usr/share/datasets") + "/fashion-mnist")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    x = idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"))[: a.samples]
    y = idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz"))[: a.samples]
    # mean/std in chunks, as the trainer does (no float copy of the whole set)
    n_px = x.numel()
    s1 = sum(x[i:i + 5000].double().sum().item() for i in range(0, x.shape[0], 5000)) / 255
    s2 = sum(x[i:i + 5000].double().pow(2).sum().item() for i in range(0, x.shape[0], 5000)) / 255 / 255
    mean = s1 / n_px
    std = math.sqrt(s2 / n_px - mean * mean)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    dev = torch.device(a.device)
    model = plain_cnn(a.depth).to(dev, memory_format=fmt)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    teacher, cache = None, None
    if a.mode != "plain":
        teacher = plain_cnn(a.teacher_depth).to(dev, memory_format=fmt).eval()
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
    xt = idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"))
    yt = idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz"))
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, xt.shape[0], 500):
            correct += (model(xt[i:i + 500].to(dev).float().div(255).sub(mean).div(std)).argmax(1).cpu() == yt[i:i + 500]).sum().item()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"engine": "pytorch " + torch.__version__, "device": str(dev), "depth": a.depth, "mode": a.mode, "channelsLast": a.channels_last, "images": seen,
                      "seconds": round(secs, 2), "imagesPerSecond": round(seen / secs, 1), "loss": round(total / seen, 4), "testAccuracy": correct / xt.shape[0],
                      "cpuSeconds": round(ru.ru_utime + ru.ru_stime, 2), "sysSeconds": round(ru.ru_stime, 2),
                      "peakRssMiB": round(ru.ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
