"""Every loss against PyTorch: values and gradients, float32 and float64, all reductions and options."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
import ourdl.nn.functional as F
from ourdl import nn
from tests.oracle import check, check_double, torch

TF = torch.nn.functional
DTYPES = [np.float32, np.float64]
REDUCTIONS = ["mean", "sum", "none"]
rng = np.random.default_rng(0)


def _pair(dtype, shape=(6, 5)):
    return rng.standard_normal(shape).astype(dtype), rng.standard_normal(shape).astype(dtype)


def _t(array):
    return ourdl.tensor(array), torch.tensor(array)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, options", [("mse_loss", {}), ("l1_loss", {}), ("huber_loss", {"delta": 0.7}),
                                           ("huber_loss", {}), ("smooth_l1_loss", {"beta": 0.5}),
                                           ("smooth_l1_loss", {"beta": 0.0})])
def test_regression_losses(name, options, reduction, dtype):
    x, y = _pair(dtype)
    x[0, :3] = y[0, :3]                    # a kink: equal values
    x[1, 0] = y[1, 0] + 0.7                # exactly at delta
    check(lambda a, b: getattr(F, name)(a, b, reduction=reduction, **options),
          lambda a, b: getattr(TF, name)(a, b, reduction=reduction, **options), x, y)


@pytest.mark.parametrize("name, options", [("mse_loss", {}), ("huber_loss", {"delta": 0.7}),
                                           ("smooth_l1_loss", {"beta": 0.5})])
def test_regression_double_backward(name, options):
    x, y = _pair(np.float64)
    check_double(lambda a, b: getattr(F, name)(a, b, **options), lambda a, b: getattr(TF, name)(a, b, **options), x, y)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_indices(dtype, reduction, smoothing, weighted, ignore):
    logits = (rng.standard_normal((8, 5)) * 3).astype(dtype)
    target = rng.integers(0, 5, 8)
    if ignore:
        target[[1, 4]] = -100
    w = rng.uniform(0.5, 2.0, 5).astype(dtype) if weighted else None
    kwargs = dict(reduction=reduction, label_smoothing=smoothing)
    check(lambda x, t: F.cross_entropy(x, t, None if w is None else ourdl.tensor(w), **kwargs),
          lambda x, t: TF.cross_entropy(x, t, None if w is None else torch.tensor(w), **kwargs), logits, target)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 3, 5), (3,), (2, 4, 2, 3)])
def test_cross_entropy_class_dim_and_unbatched(shape, dtype):
    logits = rng.standard_normal(shape).astype(dtype)
    target_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    target = rng.integers(0, shape[1] if len(shape) > 1 else shape[0], target_shape)
    for reduction in REDUCTIONS:
        check(lambda x, t: F.cross_entropy(x, t, reduction=reduction, label_smoothing=0.1, ignore_index=1),
              lambda x, t: TF.cross_entropy(x, t, reduction=reduction, label_smoothing=0.1, ignore_index=1),
              logits, target)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("logits_shape", [(3,), (4, 3)])
def test_cross_entropy_every_target_ignored(logits_shape, smoothing, dtype):
    logits = np.random.default_rng(7).standard_normal(logits_shape).astype(dtype)
    target = np.full(logits_shape[:-1], 1)
    for reduction in REDUCTIONS:
        check(lambda x, t: F.cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing, ignore_index=1),
              lambda x, t: TF.cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing, ignore_index=1),
              logits, target)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_probabilities(dtype, reduction, smoothing):
    logits = rng.standard_normal((6, 4)).astype(dtype)
    probs = rng.dirichlet(np.ones(4), 6).astype(dtype)
    w = rng.uniform(0.5, 2.0, 4).astype(dtype)
    check(lambda x, p: F.cross_entropy(x, p, ourdl.tensor(w), reduction=reduction, label_smoothing=smoothing),
          lambda x, p: TF.cross_entropy(x, p, torch.tensor(w), reduction=reduction, label_smoothing=smoothing),
          logits, probs)


def test_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e30, 1e30, 5.0]])
    target = np.array([1, 0])
    check(lambda x, t: F.cross_entropy(x, t), lambda x, t: TF.cross_entropy(x, t), logits, target)


@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_double_backward(smoothing):
    logits = rng.standard_normal((5, 4))
    target = ourdl.tensor(rng.integers(0, 4, 5))
    w = rng.uniform(0.5, 2.0, 4)
    check_double(lambda x: F.cross_entropy(x, target, ourdl.tensor(w), label_smoothing=smoothing),
                 lambda x: TF.cross_entropy(x, torch.tensor(target.numpy()), torch.tensor(w),
                                            label_smoothing=smoothing), logits)


def test_cross_entropy_label_out_of_range_names_label_and_classes():
    with pytest.raises(IndexError, match=r"target label 7 is out of range for 5 classes"):
        F.cross_entropy(ourdl.zeros(3, 5), ourdl.tensor([0, 7, 1]))
    with pytest.raises(IndexError, match=r"target label -2"):
        nn.CrossEntropyLoss()(ourdl.zeros(3, 5), ourdl.tensor([0, -2, 1]))


def test_cross_entropy_wrong_target_shape():
    with pytest.raises(ValueError, match=r"expected target of shape \[3\].*got target of shape \[4\]"):
        F.cross_entropy(ourdl.zeros(3, 5), ourdl.tensor([0, 1, 2, 3]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss(dtype, reduction):
    logp = rng.standard_normal((7, 4)).astype(dtype)
    target = rng.integers(0, 4, 7)
    target[2] = 3
    w = rng.uniform(0.5, 2.0, 4).astype(dtype)
    check(lambda x, t: F.nll_loss(x, t, ourdl.tensor(w), ignore_index=3, reduction=reduction),
          lambda x, t: TF.nll_loss(x, t, torch.tensor(w), ignore_index=3, reduction=reduction), logp, target)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(dtype, reduction, weighted):
    p = rng.uniform(0.01, 0.99, (5, 3)).astype(dtype)
    p[0, :] = [0.0, 1.0, 0.5]
    y = rng.uniform(0, 1, (5, 3)).astype(dtype)
    y[0, :] = [0.0, 1.0, 1.0]
    w = rng.uniform(0.5, 2, (3,)).astype(dtype) if weighted else None
    check(lambda a, b: F.binary_cross_entropy(a, b, None if w is None else ourdl.tensor(w), reduction=reduction),
          lambda a, b: TF.binary_cross_entropy(a, b, None if w is None else torch.tensor(w), reduction=reduction),
          p, y)


def test_binary_cross_entropy_clamps_log_at_minus_100():
    p, y = ourdl.tensor([0.0, 1.0]), ourdl.tensor([1.0, 0.0])
    assert F.binary_cross_entropy(p, y, reduction="none").tolist() == [100.0, 100.0]
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(ourdl.tensor([1.5]), ourdl.tensor([1.0]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos", [False, True])
def test_binary_cross_entropy_with_logits(dtype, reduction, pos):
    x = (rng.standard_normal((6, 3)) * 4).astype(dtype)
    x[0] = [0.0, 200.0, -200.0]
    y = rng.uniform(0, 1, (6, 3)).astype(dtype)
    w = rng.uniform(0.5, 2, (6, 1)).astype(dtype)
    pw = rng.uniform(0.5, 3, (3,)).astype(dtype) if pos else None
    check(lambda a, b: F.binary_cross_entropy_with_logits(a, b, ourdl.tensor(w), reduction=reduction,
                                                          pos_weight=None if pw is None else ourdl.tensor(pw)),
          lambda a, b: TF.binary_cross_entropy_with_logits(a, b, torch.tensor(w), reduction=reduction,
                                                           pos_weight=None if pw is None else torch.tensor(pw)),
          x, y)


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides:UserWarning")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(dtype, reduction, log_target):
    logq = np.log(rng.dirichlet(np.ones(4), 5)).astype(dtype)
    p = rng.dirichlet(np.ones(4), 5).astype(dtype)
    target = np.log(p) if log_target else p
    check(lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target),
          lambda a, b: TF.kl_div(a, b, reduction=reduction, log_target=log_target), logq, target)


def test_kl_div_zero_target_contributes_nothing():
    loss = F.kl_div(ourdl.tensor([-1.0, -2.0]), ourdl.tensor([0.0, 1.0]), reduction="sum")
    assert loss.item() == pytest.approx(2.0)


@pytest.mark.parametrize("module, torch_module, make", [
    (nn.MSELoss(reduction="sum"), torch.nn.MSELoss(reduction="sum"), "pair"),
    (nn.L1Loss(), torch.nn.L1Loss(), "pair"),
    (nn.HuberLoss(delta=0.5), torch.nn.HuberLoss(delta=0.5), "pair"),
    (nn.SmoothL1Loss(beta=2.0), torch.nn.SmoothL1Loss(beta=2.0), "pair"),
    (nn.KLDivLoss(reduction="batchmean"), torch.nn.KLDivLoss(reduction="batchmean"), "pair"),
    (nn.BCEWithLogitsLoss(pos_weight=ourdl.tensor([2.0, 1.0, 0.5, 1.0, 3.0])),
     torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 1.0, 0.5, 1.0, 3.0])), "pair"),
    (nn.CrossEntropyLoss(ignore_index=2, label_smoothing=0.1), torch.nn.CrossEntropyLoss(ignore_index=2,
                                                                                         label_smoothing=0.1), "class"),
    (nn.NLLLoss(weight=ourdl.tensor([1.0, 2.0, 3.0, 1.0, 1.0])),
     torch.nn.NLLLoss(weight=torch.tensor([1.0, 2.0, 3.0, 1.0, 1.0])), "class"),
])
def test_loss_modules_match_torch(module, torch_module, make):
    x = rng.standard_normal((6, 5)).astype(np.float32)
    second = rng.uniform(0, 1, (6, 5)).astype(np.float32) if make == "pair" else rng.integers(0, 5, 6)
    check(module, torch_module, x, second)
    assert repr(module) == repr(torch_module)
    assert list(module.state_dict()) == list(torch_module.state_dict())


def test_bce_loss_module():
    p = rng.uniform(0.05, 0.95, (4, 2)).astype(np.float32)
    y = rng.integers(0, 2, (4, 2)).astype(np.float32)
    check(nn.BCELoss(), torch.nn.BCELoss(), p, y)


def test_bad_reduction_is_named():
    with pytest.raises(ValueError, match="'average' is not a valid value for reduction"):
        F.mse_loss(ourdl.zeros(2), ourdl.zeros(2), reduction="average")


@pytest.mark.parametrize("name", ["binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div",
                                  "l1_loss"])
def test_other_losses_double_backward(name):
    x = rng.uniform(0.05, 0.95, (4, 3)) if name == "binary_cross_entropy" else rng.standard_normal((4, 3))
    y = rng.uniform(0.05, 0.95, (4, 3))
    check_double(lambda a, b: getattr(F, name)(a, b, reduction="sum"),
                 lambda a, b: getattr(TF, name)(a, b, reduction="sum"), x, y)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), c=st.integers(1, 6), extra=st.integers(0, 3), seed=st.integers(0, 2**16),
       reduction=st.sampled_from(REDUCTIONS), smoothing=st.sampled_from([0.0, 0.1, 1.0]))
def test_cross_entropy_random_shapes(n, c, extra, seed, reduction, smoothing):
    r = np.random.default_rng(seed)
    shape = (n, c) + ((extra,) if extra else ())
    target = r.integers(0, c, (n,) + ((extra,) if extra else ()))
    check(lambda x, t: F.cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing),
          lambda x, t: TF.cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing),
          r.standard_normal(shape) * 5, target)
