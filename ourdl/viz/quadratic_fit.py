"""The seed's experiment made visible: a tiny network bending lines into y = x².

``fit_quadratic`` trains input → Linear(1, h) → activation → Linear(h, 1) on
y = x² over [0, 2] and keeps snapshots of its weights; ``animate_fit`` turns
the snapshots into a GIF (Pillow) or MP4 (ffmpeg) where each frame shows the
target, the network's output, each hidden unit's own bent line
w2_j · act(w1_j x + b1_j), and the loss so far.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib import animation
from tqdm.auto import tqdm

import ourdl

from .. import activations, nn, optim
from ..data import quadratic
from .figure import FORMATS, new_figure, save

UNIT_COLORS = ("#ea580c", "#16a34a", "#9333ea", "#0891b2", "#db2777", "#ca8a04", "#4b5563", "#65a30d")


@dataclass
class FitRecord:
    """What ``fit_quadratic`` saw: the snapshots (epoch, loss, unit curves, output) and every epoch's loss.

    >>> record = fit_quadratic("relu", hidden=2, epochs=10, frames=3)
    >>> record.activation, record.grid.shape, len(record.losses)
    ('relu', (200,), 10)
    >>> [frame[0] for frame in record.frames]          # the epoch of each snapshot
    [0, 5, 10]
    >>> record.losses[-1] < record.losses[0]
    True
    """

    activation: str
    grid: np.ndarray
    losses: list = field(default_factory=list)
    frames: list = field(default_factory=list)  # (epoch, loss, units (h, n), bias, output (n,))
    model: object = None


def fit_quadratic(activation: str = "relu", hidden: int = 2, epochs: int = 600, lr: float = 0.05,
                  samples: int = 64, frames: int = 40, seed: int = 0, progress: bool = False) -> FitRecord:
    """Train input → Linear(1, hidden) → activation → Linear(hidden, 1) on y = x², x in [0, 2], with Adam.

    Full-batch, mean squared error; ``frames`` snapshots are taken evenly
    over the epochs (the first before any step, the last after the last).

    >>> record = fit_quadratic("relu", hidden=2, epochs=20, frames=5)
    >>> len(record.frames), len(record.losses)
    (5, 20)
    """
    entry = activations.get(activation)
    ourdl.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, hidden), entry.module(), nn.Linear(hidden, 1))
    x, y = quadratic(n=samples, seed=seed).tensors
    optimizer = optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    record = FitRecord(entry.name, np.linspace(0.0, 2.0, 200), model=model)
    snapshot_at = set(np.linspace(0, epochs, frames).round().astype(int).tolist())
    for epoch in tqdm(range(epochs + 1), desc=f"fit x² ({entry.name})", disable=not progress, leave=False):
        if epoch in snapshot_at:
            record.frames.append((epoch, record.losses[-1] if record.losses else float("nan"),
                                  *_units(model, record.grid)))
        if epoch == epochs:
            break
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        record.losses.append(loss.item())
    return record


def explain_fit(record: FitRecord) -> str:
    """One line on what a fit did, true to the run: where its folds are, or which hidden units died.

    >>> print(explain_fit(fit_quadratic("leaky_relu", epochs=5, frames=2)))   # doctest: +ELLIPSIS
    Each hidden unit is one bent line w₂·leaky_relu(w₁x + b₁)...
    """
    units = record.frames[-1][2]
    dead = [str(j + 1) for j, unit in enumerate(units) if not unit.any()]
    name = record.activation
    if dead:
        it, recovers = ("them", "they never recover") if len(dead) > 1 else ("it", "it never recovers")
        return (f"Here unit{'s' if len(dead) > 1 else ''} {' and '.join(dead)} died: w₁x + b₁ < 0 on all of [0, 2], "
                f"so {name} passes {it} no gradient and {recovers}; the fit ends at loss {record.losses[-1]:.4f}. "
                "A small negative slope (leaky_relu) keeps every unit alive.")
    first = record.model[0]
    w, b = first.weight.detach().numpy()[:, 0], first.bias.detach().numpy()
    folds = sorted(float(x) for x in -b / np.where(w == 0, np.inf, w) if 0 < x < 2)
    where = f" (at x = {', '.join(f'{x:.2f}' for x in folds)})" if folds else ""
    return (f"Each hidden unit is one bent line w₂·{name}(w₁x + b₁) (coloured); the output (blue) is their sum plus "
            f"a bias. {len(folds)} fold{'' if len(folds) == 1 else 's'} fall inside [0, 2]{where}, so the network "
            f"draws a polyline of {len(folds) + 1} pieces through the parabola.")


def _units(model, grid: np.ndarray):
    """Each hidden unit's weighted activation w2_j · act(w1_j x + b1_j) on ``grid``, the output bias, the output."""
    first, act, last = model[0], model[1], model[2]
    with ourdl.no_grad():
        hidden = act(first(ourdl.tensor(grid[:, None], dtype=ourdl.float32))).numpy()
        w2 = last.weight.detach().numpy()[0]
        b2 = float(last.bias.detach().numpy()[0])
    units = (hidden * w2).T.astype(np.float64)
    return units, b2, units.sum(axis=0) + b2


def animate_fit(path=None, activation: str = "relu", hidden: int = 2, epochs: int = 600, lr: float = 0.05,
                frames: int = 40, fps: int = 8, seed: int = 0, record: FitRecord | None = None,
                progress: bool = False):
    """Train (or take ``record``) and draw the fit frame by frame; saves a ``.gif`` or ``.mp4`` at ``path``.

    Returns the figure showing the last frame; a ``.png``/``.svg``/``.pdf``
    ``path`` saves that last frame alone. ``progress=True`` shows progress bars.

    >>> import tempfile, os
    >>> out = os.path.join(tempfile.mkdtemp(), "fit.gif")
    >>> fig = animate_fit(out, epochs=10, frames=3)
    >>> from PIL import Image; Image.open(out).n_frames
    3
    """
    if record is None:
        record = fit_quadratic(activation, hidden, epochs, lr, frames=frames, seed=seed, progress=progress)
    fig, draw = _frame_drawer(record)
    if path is None or Path(path).suffix.lower() in FORMATS:
        draw(len(record.frames) - 1)
        return save(fig, path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = _writer(path, fps)
    with writer.saving(fig, str(path), dpi=100):  # the legend stays legible in the page
        for i in tqdm(range(len(record.frames)), desc=f"drawing {path.name}", disable=not progress, leave=False):
            draw(i)
            writer.grab_frame()
    return fig


def _writer(path: Path, fps: int):
    if path.suffix == ".gif":
        return animation.PillowWriter(fps=fps)
    if path.suffix == ".mp4":
        if shutil.which("ffmpeg") is None:
            raise RuntimeError("animate_fit: writing MP4 needs the ffmpeg program (Debian/Ubuntu: sudo apt-get "
                               "install ffmpeg; macOS: brew install ffmpeg); or save a .gif, which needs only Pillow")
        return animation.FFMpegWriter(fps=fps)
    raise ValueError(f"animate_fit: cannot write {path.name!r}; use .gif or .mp4")


def _frame_drawer(record: FitRecord):
    """A figure and ``draw(i)`` that updates it to snapshot ``i`` (artists are reused, not redrawn)."""
    fig = new_figure(8.4, 3.6)
    ax, loss_ax = fig.subplots(1, 2, width_ratios=(2.2, 1))
    grid = record.grid
    hidden = record.frames[0][2].shape[0]
    everything = np.concatenate([np.concatenate([f[2].ravel(), f[4]]) for f in record.frames] + [grid**2])
    ax.set_ylim(max(everything.min(), -4.0) - 0.3, min(everything.max(), 8.0) + 0.3)
    ax.set_xlim(grid[0], grid[-1])
    ax.plot(grid, grid**2, color="black", lw=2, ls="--", label="target y = x²")
    unit_lines = [ax.plot([], [], color=UNIT_COLORS[j % len(UNIT_COLORS)], lw=1.2, alpha=0.9,
                          label=f"unit {j + 1}: w₂·act(w₁x + b₁)" if hidden <= 4 else None)[0] for j in range(hidden)]
    (output_line,) = ax.plot([], [], color="#2563eb", lw=2.5, label="network = Σ units + b₂")
    ax.axhline(0, color="#9ca3af", lw=0.6)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_xlabel("x")
    title = ax.set_title("")
    losses = np.asarray(record.losses, dtype=np.float64)
    loss_ax.set_xlim(0, max(len(losses), 1))
    finite = losses[np.isfinite(losses) & (losses > 0)]
    if finite.size:
        loss_ax.set_yscale("log")
        loss_ax.set_ylim(finite.min() * 0.7, finite.max() * 1.5)
    (loss_line,) = loss_ax.plot([], [], color="#dc2626", lw=1.5)
    loss_ax.set_title("training loss (MSE)", fontsize=9)
    loss_ax.set_xlabel("epoch")
    loss_ax.grid(alpha=0.3)

    def draw(i: int) -> None:
        epoch, loss, units, bias, output = record.frames[i]
        for line, unit in zip(unit_lines, units):
            line.set_data(grid, unit)
        output_line.set_data(grid, output)
        loss_line.set_data(np.arange(1, epoch + 1), losses[:epoch])
        shown = "—" if np.isnan(loss) else f"{loss:.4f}"
        title.set_text(f"{record.activation}, {hidden} hidden units: epoch {epoch}, loss {shown}")

    return fig, draw
