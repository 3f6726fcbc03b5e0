"""The plotted curves are the activations and their derivatives: checked against PyTorch's autograd."""

import numpy as np
import pytest
import torch

import ourdl
from ourdl.viz import plot_activations, plot_gallery

TORCH = {
    "relu": torch.relu, "leaky_relu": torch.nn.functional.leaky_relu, "elu": torch.nn.functional.elu,
    "gelu": torch.nn.functional.gelu, "silu": torch.nn.functional.silu, "tanh": torch.tanh,
    "sigmoid": torch.sigmoid, "softplus": torch.nn.functional.softplus, "mish": torch.nn.functional.mish,
    "hardswish": torch.nn.functional.hardswish, "selu": torch.nn.functional.selu,
}


def plotted(fig, name, order):
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_gid() == f"{name}:{order}":
                return np.asarray(line.get_xdata(), dtype=np.float64), np.asarray(line.get_ydata(), dtype=np.float64)
    raise AssertionError(f"no curve {name}:{order} in the figure")


def torch_derivatives(fn, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(t)
    (d1,) = torch.autograd.grad(y.sum(), t, create_graph=True)
    d2 = torch.autograd.grad(d1.sum(), t, allow_unused=True)[0] if d1.requires_grad else None
    d2 = torch.zeros_like(t) if d2 is None else d2
    return [y.detach().numpy(), d1.detach().numpy(), d2.detach().numpy()]


@pytest.mark.parametrize("name", sorted(TORCH))
def test_curves_equal_pytorchs_derivatives(name):
    fig = plot_activations([name], points=201)
    x = plotted(fig, name, 0)[0]
    # Skip the kinks, where the derivative is a choice of one side, checked against PyTorch by the catalog's tests.
    kinks = np.array([*ourdl.activations.get(name).kinks, np.inf])
    for order, expected in enumerate(torch_derivatives(TORCH[name], x)):
        away = np.all(np.abs(x[:, None] - kinks) > 1e-9, axis=1)
        xs, ys = plotted(fig, name, order)
        np.testing.assert_array_equal(xs, x)
        np.testing.assert_allclose(ys[away], expected[away], rtol=1e-6, atol=1e-9, err_msg=f"{name} order {order}")


def test_gallery_curves_are_the_catalogs_derivatives():
    fig = plot_gallery(points=41)
    names = [e.name for e in ourdl.activations.catalog() if e.elementwise]
    assert len([ax for ax in fig.axes if ax.get_visible()]) == len(names)
    for name in names:
        entry = ourdl.activations.get(name)
        x, y = plotted(fig, name, 0)
        np.testing.assert_allclose(y, entry.numpy(x), rtol=1e-12, err_msg=name)
        for order in (1, 2):
            np.testing.assert_allclose(plotted(fig, name, order)[1], entry.derivative(x, order), rtol=1e-12,
                                       err_msg=f"{name} order {order}")


def test_kinks_marked_and_title_has_range_and_formula():
    fig = plot_activations(["relu", "tanh"], derivatives=(0,))
    relu_ax, tanh_ax = fig.axes[:2]
    kinks = [line for line in relu_ax.get_lines() if line.get_label() == "kink"]
    assert len(kinks) == 1 and list(kinks[0].get_xdata()) == [0.0]
    assert not [line for line in tanh_ax.get_lines() if line.get_label() == "kink"]
    assert "range [0, ∞)" in relu_ax.get_title() and "range [-1, 1]" in tanh_ax.get_title()


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_saves_by_extension(tmp_path, suffix, magic):
    plot_activations("gelu", derivatives=(0, 1), path=tmp_path / f"g{suffix}")
    assert (tmp_path / f"g{suffix}").read_bytes().startswith(magic)


def test_bad_requests():
    with pytest.raises(KeyError, match="unknown activation 'nope'"):
        plot_activations(["nope"])
    with pytest.raises(ValueError, match="derivative order 3"):
        plot_activations(["relu"], derivatives=(3,))
    with pytest.raises(ValueError, match=r"use one of \.png, \.svg, \.pdf"):
        plot_activations(["relu"], path="x.jpg")


def test_a_gallery_tile_is_large_enough_to_read_and_its_caption_is_unicode(tmp_path):
    from PIL import Image

    from ourdl.viz import plot_tile, tile_caption

    fig = plot_tile("gelu", tmp_path / "gelu.png")
    assert Image.open(tmp_path / "gelu.png").size == (720, 560)
    assert [line.get_gid() for line in fig.axes[0].get_lines() if line.get_gid()] == ["gelu:0", "gelu:1", "gelu:2"]
    assert tile_caption("gelu") == "<b>gelu</b> · range [-0.169971, ∞)<br>x Φ(x) = x/2 · (1 + erf(x / √2))"
