"""A whole training loop (MLP with BatchNorm, cross-entropy with label smoothing, clipping, AdamW, a schedule)
follows PyTorch's trajectory in float64 from the same weights.

No bias before BatchNorm: its true gradient is zero, so Adam would amplify rounding noise into steps of size lr.
"""

import numpy as np

import ourdl
import ourdl.nn.functional as F
from ourdl import nn, optim
from tests.oracle import torch


def test_training_trajectory_equals_torch():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((64, 6)), rng.integers(0, 4, 64)
    ours = nn.Sequential(nn.Linear(6, 16, bias=False), nn.BatchNorm1d(16), nn.GELU(), nn.Linear(16, 16), nn.Tanh(),
                         nn.Linear(16, 4)).double()
    theirs = torch.nn.Sequential(torch.nn.Linear(6, 16, bias=False), torch.nn.BatchNorm1d(16), torch.nn.GELU(),
                                 torch.nn.Linear(16, 16), torch.nn.Tanh(), torch.nn.Linear(16, 4)).double()
    ours.load_state_dict(theirs.state_dict())
    opt = optim.AdamW(ours.parameters(), lr=0.01, amsgrad=True)
    topt = torch.optim.AdamW(theirs.parameters(), lr=0.01, amsgrad=True)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5)
    tsched = torch.optim.lr_scheduler.CosineAnnealingLR(topt, T_max=5)
    for step in range(20):
        batch = slice(16 * (step % 4), 16 * (step % 4 + 1))
        loss = F.cross_entropy(ours(ourdl.tensor(x[batch])), ourdl.tensor(y[batch]), label_smoothing=0.1)
        tloss = torch.nn.functional.cross_entropy(theirs(torch.tensor(x[batch])), torch.tensor(y[batch]),
                                                  label_smoothing=0.1)
        opt.zero_grad(), topt.zero_grad()
        loss.backward(), tloss.backward()
        norm = nn.utils.clip_grad_norm_(ours.parameters(), 0.5)
        tnorm = torch.nn.utils.clip_grad_norm_(theirs.parameters(), 0.5)
        assert abs(norm.item() - tnorm.item()) <= 1e-10 * tnorm.item()
        opt.step(), topt.step()
        sched.step(), tsched.step()
        assert abs(loss.item() - tloss.item()) <= 1e-10
    for (name, a), b in zip(ours.state_dict().items(), theirs.state_dict().values()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)
