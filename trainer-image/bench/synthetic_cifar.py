#!/usr/bin/env python3
"""Synthetic CIFAR-10 in the binary format (cifar-10-batches-bin): random labels and noisy pixels whose brightness follows the label,
the same for the same seed, for benchmarks that need CIFAR-shaped data (3x32x32, 10 classes) but
not its content.

Usage: synthetic_cifar.py DIR [--train 50000] [--test 10000] [--seed 1]
Writes DIR/data_batch_1.bin .. data_batch_5.bin (the training images split evenly over the five
files, as the real set is) and DIR/test_batch.bin; each record is one label byte and 3072 pixel
bytes (1024 red, 1024 green, 1024 blue). Standard library only.
"""
import argparse
import os
import random

PIXELS = 3 * 32 * 32


# Pixels are noise around a brightness that grows with the label (class c: 0..127 + 12c), so a
# network learns something in one epoch: on pure noise with random labels it stays at chance, and
# the trainer stops such a run as collapsed. The speed of a step does not depend on the pixels.
BRIGHTNESS = [bytes(b // 2 + 12 * c for b in range(256)) for c in range(10)]


def records(rng, n):
    """n records: a label byte (0..9) then 3072 pixel bytes each."""
    out = bytearray()
    for _ in range(n):
        label = rng.randrange(10)
        out.append(label)
        out += rng.randbytes(PIXELS).translate(BRIGHTNESS[label])
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--train", type=int, default=50000, help="training images (at least 5: one per data_batch file)")
    ap.add_argument("--test", type=int, default=10000, help="test images (at least 1)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.train < 5 or a.test < 1:
        ap.error(f"--train must be at least 5 and --test at least 1, got {a.train} and {a.test}")
    os.makedirs(a.dir, exist_ok=True)
    rng = random.Random(a.seed)
    files = [(f"data_batch_{i + 1}.bin", a.train // 5 + (1 if i < a.train % 5 else 0)) for i in range(5)]
    files.append(("test_batch.bin", a.test))
    for name, n in files:
        with open(os.path.join(a.dir, name), "wb") as f:
            f.write(records(rng, n))


if __name__ == "__main__":
    main()
