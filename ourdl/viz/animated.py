"""Figures that move: an :class:`AnimatedFigure` redraws itself frame by frame, saves GIF or MP4, plays in Jupyter.

A still of the last frame is what the figure holds between uses, so saving
it as PNG or showing it where animations cannot play still tells the story.
In a notebook it plays inline: an HTML5 video when ffmpeg is installed, an
animated GIF (Pillow only) otherwise.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from pathlib import Path

from matplotlib import animation

from ..progress import progress_bar
from .figure import Figure

__all__ = ["AnimatedFigure"]
ANIMATION_FORMATS = (".gif", ".mp4")


class AnimatedFigure(Figure):
    """A figure with ``frames`` states: ``draw_frame(i)`` updates its artists to frame ``i``; ``fps`` frames a second.

    >>> from ourdl.viz.figure import new_figure
    >>> fig = new_figure(2, 1.5, kind=AnimatedFigure)
    >>> line, = fig.subplots().plot([], [])
    >>> fig = fig.animate(lambda i: line.set_data([0, 1], [0, i]), frames=3, fps=4)
    >>> fig.frames, list(line.get_ydata())        # the last frame is drawn
    (3, [0, 2])
    >>> fig._repr_html_().startswith(("<video", "<img"))
    True
    """

    frames = 0
    fps = 8
    draw_frame = None

    def animate(self, draw, frames: int, fps: int = 8) -> "AnimatedFigure":
        """Attach ``draw(i)`` for ``i`` in ``range(frames)``, show the last frame, and return the figure."""
        self.draw_frame, self.frames, self.fps = draw, frames, fps
        draw(frames - 1)
        return self

    def save_animation(self, path, dpi: int = 80, progress: bool = False) -> Path:
        """Write every frame to ``path`` (``.gif`` with Pillow, ``.mp4`` with ffmpeg) and leave the last one drawn."""
        path = Path(path)
        writer = _writer(path, self.fps)
        path.parent.mkdir(parents=True, exist_ok=True)
        with writer.saving(self, str(path), dpi=dpi):
            for i in progress_bar(range(self.frames), desc=f"drawing {path.name}", disable=not progress, leave=False):
                self.draw_frame(i)
                writer.grab_frame()
        return path

    def _repr_html_(self) -> str:
        """The animation, inline: an MP4 ``<video>`` when ffmpeg is there, else an animated GIF ``<img>``."""
        suffix = ".mp4" if shutil.which("ffmpeg") else ".gif"
        with tempfile.TemporaryDirectory() as folder:
            data = base64.b64encode(self.save_animation(Path(folder) / f"animation{suffix}").read_bytes()).decode()
        if suffix == ".mp4":
            return (f'<video controls autoplay loop muted playsinline style="max-width:100%">'
                    f'<source type="video/mp4" src="data:video/mp4;base64,{data}"></video>')
        return f'<img alt="animation" style="max-width:100%" src="data:image/gif;base64,{data}">'


def _writer(path: Path, fps: int):
    if path.suffix == ".gif":
        return animation.PillowWriter(fps=fps)
    if path.suffix == ".mp4":
        if shutil.which("ffmpeg") is None:
            raise RuntimeError("save_animation: writing MP4 needs the ffmpeg program (Debian/Ubuntu: sudo apt-get "
                               "install ffmpeg; macOS: brew install ffmpeg); or save a .gif, which needs only Pillow")
        return animation.FFMpegWriter(fps=fps)
    raise ValueError(f"save_animation: cannot write {path.name!r}; use .gif or .mp4")
