#!/usr/bin/env python3
"""An independent check of the study's distillation result, in PyTorch (no DJL, no project code
but the network definition of trainer-image/bench/torch_train.py).

Trains a teacher (--teacher DEPTH[xWIDTH], default the study's plain-cnn-10 at width 0.5) from
labels, caches its logits on the training set, then trains a student (plain-cnn-2 at
--student-width, default the study's 0.25) from labels alone (NOKD) and by distillation from the
teacher (BLKD) at each --kd T:alpha, with the study's recipe: SGD
(momentum 0.9, weight decay 5e-4), learning rate 0.05 with a cosine schedule stepped per epoch,
batch 128, per-split normalisation, no augmentation, the loss
(1 - a)·CE + a·T²·KL(softmax(t/T) || softmax(s/T)) with batch-mean KL.

If distillation helps or hurts the student here as it does in the DJL trainer, the trainer is not
the reason. Prints one JSON line per model and writes them all to --out.

  python3 experiments/takd-fashion/torch_crosscheck.py --epochs 20 --kd 4:0.9 --kd 4:0.5 --kd 2:0.5
  python3 experiments/takd-fashion/torch_crosscheck.py --teacher 4 --student-width 1   # study.yaml's cc-* stages
"""
import argparse
import json
import os
import pathlib
import sys
import time

import torch
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "trainer-image" / "bench"))
from torch_train import idx, plain_cnn  # noqa: E402  (the same networks as the trainer)


def load(data):
    x = idx(os.path.join(data, "train-images-idx3-ubyte.gz")).float().div_(255)
    y = idx(os.path.join(data, "train-labels-idx1-ubyte.gz"))
    xt = idx(os.path.join(data, "t10k-images-idx3-ubyte.gz")).float().div_(255)
    yt = idx(os.path.join(data, "t10k-labels-idx1-ubyte.gz"))
    mean, std = x.mean().item(), x.std().item()
    return (x - mean) / std, y, (xt - mean) / std, yt


def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], 500):
            correct += (model(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum().item()
    return correct / x.shape[0]


def train(model, x, y, xt, yt, epochs, seed, teacher_logits=None, temperature=4.0, alpha=0.9):
    torch.manual_seed(seed)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    n = x.shape[0]
    curve = []
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(n)
        for i in range(0, n, 128):
            b = perm[i:i + 128]
            if len(b) < 2:
                break
            out = model(x[b])
            loss = F.cross_entropy(out, y[b])
            if teacher_logits is not None:
                kl = F.kl_div(F.log_softmax(out / temperature, 1), F.log_softmax(teacher_logits[b] / temperature, 1),
                              reduction="batchmean", log_target=True)
                loss = (1 - alpha) * loss + alpha * temperature * temperature * kl
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        sched.step()
        curve.append(round(evaluate(model, xt, yt), 4))
    return curve, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--teacher", default="10x0.5", metavar="DEPTH[xWIDTH]", help="the teacher plain CNN (default 10x0.5)")
    ap.add_argument("--student-width", type=float, default=0.25, help="width of the plain-cnn-2 student (default 0.25)")
    ap.add_argument("--kd", action="append", default=[], metavar="T:ALPHA", help="a distilled student (repeatable); default 4:0.9")
    ap.add_argument("--data", default=os.environ.get("DISTILL_DATA", "/usr/share/datasets") + "/fashion-mnist")
    ap.add_argument("--out", help="where to write the results (default results/torch-crosscheck-<teacher>-s<width>.json)")
    a = ap.parse_args()
    a.out = a.out or str(HERE / "results" / f"torch-crosscheck-{a.teacher}-s{a.student_width:g}.json")
    torch.set_num_threads(a.threads)
    fmt = torch.channels_last
    x, y, xt, yt = load(a.data)
    x, xt = x.contiguous(memory_format=fmt), xt.contiguous(memory_format=fmt)
    results = []

    def record(name, curve, seconds, **extra):
        r = {"model": name, "finalTestAccuracy": curve[-1], "bestTestAccuracy": max(curve), "curve": curve,
             "seconds": round(seconds, 1), "epochs": a.epochs, "seed": a.seed, "torch": torch.__version__, **extra}
        print(json.dumps(r), flush=True)
        results.append(r)

    depth, _, width = a.teacher.partition("x")
    depth, width = int(depth), float(width or 1)
    torch.manual_seed(a.seed)
    teacher = plain_cnn(depth, width=width).to(memory_format=fmt)
    curve, secs = train(teacher, x, y, xt, yt, a.epochs, a.seed)
    record(f"teacher plain-cnn-{depth} x{width:g}", curve, secs)
    teacher.eval()
    with torch.no_grad():
        logits = torch.cat([teacher(x[i:i + 500]) for i in range(0, x.shape[0], 500)])

    torch.manual_seed(a.seed)
    sw = a.student_width
    student = plain_cnn(2, width=sw).to(memory_format=fmt)
    curve, secs = train(student, x, y, xt, yt, a.epochs, a.seed)
    record(f"NOKD plain-cnn-2 x{sw:g}", curve, secs)
    for spec in a.kd or ["4:0.9"]:
        t, alpha = (float(v) for v in spec.split(":"))
        torch.manual_seed(a.seed)
        student = plain_cnn(2, width=sw).to(memory_format=fmt)
        curve, secs = train(student, x, y, xt, yt, a.epochs, a.seed, logits, t, alpha)
        record(f"BLKD plain-cnn-2 x{sw:g} T={t:g} alpha={alpha:g}", curve, secs, temperature=t, alpha=alpha)
    pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(a.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
