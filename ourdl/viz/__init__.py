"""Seeing it work: plots of activations and training, the fitting animation, computation-graph drawings.

Every plotting function returns a :class:`matplotlib.figure.Figure` and,
given ``path``, saves it as PNG, SVG or PDF by the file's extension
(``animate_fit`` writes GIF or MP4; ``draw_graph`` writes DOT, SVG or PNG).

>>> from ourdl import viz
>>> fig = viz.plot_activations(["relu", "gelu"], derivatives=(0, 1))
"""

from .activations import curves, plot_activations, plot_gallery, plot_tile, tile_caption
from .quadratic_fit import FitRecord, animate_fit, explain_fit, fit_quadratic
from .graph import GraphDrawing, GraphvizMissing, draw_graph
from .graph_fit import fit_quadratic_graph
from .page import Page
from .training import confusion_matrix, plot_confusion_matrix, plot_decision_boundary, plot_history, plot_samples, predict

__all__ = ["FitRecord", "GraphDrawing", "GraphvizMissing", "Page", "animate_fit", "confusion_matrix", "curves",
           "draw_graph", "explain_fit", "fit_quadratic", "fit_quadratic_graph", "plot_activations", "plot_confusion_matrix", "plot_decision_boundary",
           "plot_gallery", "plot_history", "plot_samples", "plot_tile", "predict", "tile_caption"]
