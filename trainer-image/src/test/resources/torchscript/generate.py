"""Writes the small TorchScript networks the trainer's tests load (torch.jit.save).

Run with any PyTorch 2.x (Debian's python3-torch or PyPI's torch):
    python3 trainer-image/src/test/resources/torchscript/generate.py
The weights are seeded, so a run with the same PyTorch version writes the same networks.

  cnn-1x28x28-10.pt   a small CNN with BatchNorm for 1x28x28 images and 10 classes
                      (Fashion-MNIST's shape): the tests' teacher and student
  tiny-1x28x28-10.pt  a two-layer network for the same images: a smaller student
  cnn-3x32x32-10.pt   the first network for 3x32x32 images (CIFAR's shape): refused
                      by a chain on Fashion-MNIST
  mlp-1x28x28-7.pt    a network for 1x28x28 images with 7 outputs: its declared
                      classes are refused, or, declared as 10, its outputs are
"""
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class SmallCnn(nn.Module):
    def __init__(self, channels: int, size: int, classes: int):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(channels, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(16 * (size // 4) * (size // 4), classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.features(x), 1))


class Tiny(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 5, stride=2)
        self.fc = nn.Linear(4 * 12 * 12, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(torch.relu(self.conv(x)), 1))


class Mlp(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.fc = nn.Linear(28 * 28, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(x, 1))


def save(name: str, module: nn.Module) -> None:
    scripted = torch.jit.script(module)
    scripted.save(os.path.join(HERE, name))
    print(name, sum(p.numel() for p in module.parameters()), "parameters")


def main() -> None:
    torch.manual_seed(1)
    save("cnn-1x28x28-10.pt", SmallCnn(1, 28, 10))
    torch.manual_seed(2)
    save("tiny-1x28x28-10.pt", Tiny(10))
    torch.manual_seed(3)
    save("cnn-3x32x32-10.pt", SmallCnn(3, 32, 10))
    torch.manual_seed(4)
    save("mlp-1x28x28-7.pt", Mlp(7))


if __name__ == "__main__":
    main()
