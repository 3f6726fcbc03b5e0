"""Plots of a trained classifier: learning curves, decision boundary, confusion matrix, samples."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.ticker import MaxNLocator

import ourdl

from .figure import grid, new_figure, save

BOOKKEEPING = ("epoch", "seconds", "lr")  # History columns that are not learning curves


def plot_history(history, path=None):
    """Loss and metrics per epoch, one panel per quantity, train and validation together.

    ``history`` is a :class:`ourdl.train.History` or any mapping of names such
    as ``train_loss``/``val_loss``/``train_accuracy`` to lists of per-epoch values.

    >>> fig = plot_history({"train_loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "val_accuracy": [0.5, 0.8, 0.9]})
    >>> [ax.get_title() for ax in fig.axes]
    ['loss', 'accuracy']
    """
    series = history_series(history)
    panels: dict[str, dict] = {}
    for name, values in series.items():
        if name in BOOKKEEPING:
            continue
        values = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        split, _, quantity = name.partition("_") if name.startswith(("train_", "val_")) else ("train", "", name)
        panels.setdefault(quantity, {})[split] = values
    if not panels:
        raise ValueError("plot_history: the history holds no per-epoch values")
    fig, axes = grid(len(panels), len(panels), panel=(4.2, 3.0))
    for ax, (quantity, splits) in zip(axes, panels.items()):
        for split, values in splits.items():
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, "-o", ms=3, label="validation" if split == "val" else "train")
        ax.set_title(quantity)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))  # epochs are whole: no tick at 2.5
        ax.set_xlim(0.5, max(len(values) for values in splits.values()) + 0.5)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    return save(fig, path)


def history_series(history) -> dict:
    """``{name: [per-epoch values]}`` from a History (``.history``/``as_dict()``) or a mapping.

    >>> history_series({"train_loss": (0.5, 0.25)})
    {'train_loss': [0.5, 0.25]}
    """
    if isinstance(history, Mapping):
        return {k: list(v) for k, v in history.items()}
    for attribute in ("history", "as_dict", "to_dict"):
        value = getattr(history, attribute, None)
        if value is not None:
            return history_series(value() if callable(value) else value)
    raise TypeError(f"plot_history: expected a History or a mapping of name → values, got {type(history).__name__}")


def predict(model, x) -> np.ndarray:
    """Class predictions of ``model`` on inputs ``x`` (argmax of the outputs, or output > 0 for one output).

    >>> import ourdl
    >>> from ourdl import nn
    >>> layer = nn.Linear(2, 2)
    >>> with ourdl.no_grad():
    ...     _ = layer.weight.copy_(ourdl.eye(2)); _ = layer.bias.zero_()
    >>> predict(layer, [[1.0, 0.0], [0.0, 2.0], [3.0, 1.0]])
    array([0, 1, 0])
    >>> predict(lambda x: x[:, :1] - 0.5, [[0.0, 0.0], [1.0, 0.0]])     # one output: class 1 where it is > 0
    array([0, 1])
    """
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    try:
        x = np.asarray(x, dtype=np.float32)
        with ourdl.no_grad():  # in batches: a convolution's working memory grows with the batch
            out = np.concatenate([model(ourdl.as_tensor(x[first:first + 1000])).numpy()
                                  for first in range(0, max(len(x), 1), 1000)])
    finally:
        if was_training:
            model.train()
    return (out[:, 0] > 0).astype(np.int64) if out.ndim == 2 and out.shape[1] == 1 else out.argmax(axis=1)


def plot_decision_boundary(model, dataset, path=None, resolution: int = 200, title: str = ""):
    """The classes ``model`` predicts over the plane, with the points of a 2-D ``dataset`` on top.

    ``dataset`` is a ``TensorDataset`` of (points (n, 2), labels (n,)) or a pair of arrays.

    >>> import ourdl
    >>> from ourdl.data import moons
    >>> fig = plot_decision_boundary(lambda x: x[:, :1] - 0.5, moons(n=50))
    >>> fig.axes[0].get_xlabel()
    'x₁'
    """
    points, labels = _arrays(dataset)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: needs 2-D points, got inputs of shape {list(points.shape)}")
    low, high = points.min(axis=0), points.max(axis=0)
    margin = 0.1 * (high - low)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    regions = predict(model, np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    fig = new_figure(5.0, 4.4)
    ax = fig.subplots()
    classes = int(max(regions.max(), labels.max())) + 1
    ax.contourf(gx, gy, regions, levels=np.arange(classes + 1) - 0.5, cmap="coolwarm", alpha=0.35)
    ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="coolwarm", s=12, edgecolors="black", linewidths=0.3,
               vmin=0, vmax=max(classes - 1, 1))
    accuracy = float((predict(model, points) == labels).mean())
    ax.set_title(f"{title}\naccuracy {accuracy:.2%}" if title else f"accuracy {accuracy:.2%}", fontsize=10)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    return save(fig, path)


def confusion_matrix(labels, predictions, classes: int | None = None) -> np.ndarray:
    """``m[i, j]`` = how many samples of class ``i`` were predicted as ``j``.

    >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
    [[1, 0], [1, 1]]
    """
    labels, predictions = np.asarray(labels, dtype=np.int64), np.asarray(predictions, dtype=np.int64)
    classes = classes or int(max(labels.max(), predictions.max())) + 1
    return np.bincount(labels * classes + predictions, minlength=classes * classes).reshape(classes, classes)


def plot_confusion_matrix(labels, predictions, class_names=None, path=None, title: str = ""):
    """The confusion matrix as a heat map with counts; rows are true classes, columns predictions.

    >>> fig = plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    >>> fig.axes[0].get_ylabel()
    'true class'
    """
    classes = len(class_names) if class_names is not None else None
    matrix = confusion_matrix(labels, predictions, classes)
    n = matrix.shape[0]
    names = [str(c) for c in (class_names if class_names is not None else range(n))]
    fig = new_figure(1.0 + 0.45 * n, 0.8 + 0.45 * n)
    ax = fig.subplots()
    image = ax.imshow(matrix, cmap="Blues")
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if matrix[i, j] > matrix.max() / 2 else "black")
    ax.set_xticks(range(n), names, fontsize=7, rotation=45 if max(map(len, names)) > 2 else 0)
    ax.set_yticks(range(n), names, fontsize=7)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    accuracy = np.trace(matrix) / max(matrix.sum(), 1)
    ax.set_title(f"{title}\naccuracy {accuracy:.2%}" if title else f"accuracy {accuracy:.2%}", fontsize=9)
    fig.colorbar(image, ax=ax, shrink=0.8)
    return save(fig, path)


def plot_samples(images, labels, predictions=None, class_names=None, path=None, columns: int = 8):
    """A grid of images titled with their label (and prediction: green when right, red when wrong).

    ``images`` is (n, h, w), (n, 1, h, w), or (n, h·w) for square images.

    >>> import numpy as np
    >>> fig = plot_samples(np.zeros((3, 16)), [1, 2, 3], [1, 0, 3])
    >>> [ax.get_title() for ax in fig.axes]
    ['1 → 1', '2 → 0', '3 → 3']
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 4 and images.shape[1] == 1:  # (n, 1, h, w): one channel, as a CNN takes them
        images = images[:, 0]
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"plot_samples: cannot make square images of {images.shape[1]} values; pass (n, h, w)")
        images = images.reshape(-1, side, side)
    names = (lambda c: str(class_names[c])) if class_names is not None else str
    fig, axes = grid(len(images), columns, panel=(1.1, 1.25))
    for i, (ax, image) in enumerate(zip(axes, images)):
        ax.imshow(image, cmap="gray_r")
        ax.set_xticks([])
        ax.set_yticks([])
        label = int(labels[i])
        if predictions is None:
            ax.set_title(names(label), fontsize=8)
            continue
        guess = int(predictions[i])
        ax.set_title(f"{names(label)} → {names(guess)}", fontsize=8,
                     color="#16a34a" if guess == label else "#dc2626")
    return save(fig, path)


def _arrays(dataset):
    tensors = getattr(dataset, "tensors", dataset)
    points, labels = tensors[0], tensors[1]
    return np.asarray(points, dtype=np.float64), np.asarray(labels).astype(np.int64).ravel()
