#!/usr/bin/env python3
"""Reference values for KdLossTest: PyTorch in float64 on the test's numbers."""
import torch, torch.nn.functional as F
torch.set_default_dtype(torch.float64)
# the test feeds float32 logits: round the same decimals to float32 first, then compute in float64
s = torch.tensor([[1.5, -0.3, 0.2, 2.0], [0.1, 0.4, -1.2, 0.0], [3.0, 1.0, -2.0, 0.5]], dtype=torch.float32).double()
t = torch.tensor([[2.5, 0.3, -0.2, 1.0], [-0.5, 1.4, 0.2, 0.3], [1.0, 2.0, -1.0, 0.0]], dtype=torch.float32).double()
y = torch.tensor([3, 1, 0])
for T, a in [(4.0, 0.9), (1.0, 0.5), (2.0, 0.0), (3.0, 1.0), (20.0, 0.7)]:
    ce = F.cross_entropy(s, y)
    kl = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean")
    print(T, a, repr((1 - a) * ce.item() + a * T * T * kl.item()), repr(ce.item()), repr(kl.item()))
