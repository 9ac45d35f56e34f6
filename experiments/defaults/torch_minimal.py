#!/usr/bin/env python3
"""The minimal chain of the defaults measurement in plain PyTorch (no project code but the network
definition of trainer-image/bench/torch_train.py, and the data loading and evaluation of
experiments/takd-fashion/torch_crosscheck.py): a plain-cnn-6 teacher from labels, a plain-cnn-4
assistant distilled from it, plain-cnn-2 students distilled from the assistant (TAKD) and from the
teacher (BLKD) and trained from labels alone (NOKD). The recipe is the trainer's: SGD (momentum 0.9,
weight decay 5e-4), batch 128, a cosine schedule stepped per epoch, T = 4, alpha = 0.9, the loss
(1 - a)·CE + a·T²·KL(softmax(t/T) || softmax(s/T)) with batch-mean KL, teacher logits cached once;
plus the variations measured: --lr, --warmup (linear warmup over that many epochs, per step) and
--clip (global gradient-norm clipping).

  python3 experiments/defaults/torch_minimal.py --seed 1 --epochs 1 --lr 0.1
Prints one JSON line per stage.
"""
import argparse
import json
import math
import os
import pathlib
import sys
import time

import torch
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "trainer-image" / "bench"))
sys.path.insert(0, str(HERE.parent / "takd-fashion"))
from torch_train import plain_cnn  # noqa: E402
from torch_crosscheck import evaluate, load  # noqa: E402  (the cross-check's data loading and evaluation)


def logits_of(model, x):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(x[i:i + 500]) for i in range(0, x.shape[0], 500)])


def train(model, x, y, a, teacher_logits=None):
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, weight_decay=5e-4)
    n = x.shape[0]
    steps = n // 128 + (1 if n % 128 >= 2 else 0)
    T, alpha = 4.0, 0.9
    losses = []
    for epoch in range(a.epochs):
        epoch_lr = a.lr * 0.5 * (1 + math.cos(math.pi * epoch / a.epochs))
        model.train()
        perm = torch.randperm(n)
        total = 0.0
        for s in range(steps):
            b = perm[s * 128:(s + 1) * 128]
            out = model(x[b])
            loss = F.cross_entropy(out, y[b])
            if teacher_logits is not None:
                kl = F.kl_div(F.log_softmax(out / T, 1), F.log_softmax(teacher_logits[b] / T, 1),
                              reduction="batchmean", log_target=True)
                loss = (1 - alpha) * loss + alpha * T * T * kl
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if a.clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            lr = epoch_lr
            if a.warmup > 0:
                lr *= min(1.0, (epoch * steps + s + 1) / (a.warmup * steps))
            for g in opt.param_groups:
                g["lr"] = lr
            opt.step()
            total += loss.item() * len(b)
        losses.append(total / n)
    return losses


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--warmup", type=float, default=0.0)
    ap.add_argument("--clip", type=float, default=0.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--recipe", default="")
    ap.add_argument("--data", default=os.environ.get("DISTILL_DATA", "/usr/share/datasets") + "/fashion-mnist")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    x, y, xt, yt = load(a.data)
    fmt = torch.channels_last
    x, xt = x.contiguous(memory_format=fmt), xt.contiguous(memory_format=fmt)
    logits = {}

    def stage(name, depth, teacher):
        torch.manual_seed(a.seed)
        model = plain_cnn(depth).to(memory_format=fmt)
        start = time.perf_counter()
        losses = train(model, x, y, a, logits.get(teacher))
        acc = evaluate(model, xt, yt)
        logits[name] = logits_of(model, x)
        print(json.dumps({"framework": "pytorch " + torch.__version__, "recipe": a.recipe, "seed": a.seed, "epochs": a.epochs,
                          "stage": name, "testAccuracy": round(acc, 4), "trainLoss": [round(v, 4) for v in losses],
                          "seconds": round(time.perf_counter() - start, 1)}), flush=True)

    stage("teacher", 6, None)
    stage("assistant", 4, "teacher")
    stage("student", 2, "assistant")
    stage("student-direct", 2, "teacher")
    stage("student-alone", 2, None)


if __name__ == "__main__":
    main()
