"""Lesson 1: what activation functions look like, and their derivatives (computed by autograd).

    python examples/activation_plots.py            # writes activations.png and gallery.png
    python examples/activation_plots.py --quick    # only the first picture
"""

import argparse
from pathlib import Path

from ourdl import activations, viz

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("-o", "--out", default=".", help="folder for the pictures")
parser.add_argument("--quick", action="store_true", help="skip the whole-catalog gallery")
args = parser.parse_args()
out = Path(args.out)

# The scalar form works on plain floats, as one would write it by hand:
relu = activations.get("relu")
print("relu(-1.5) =", relu.scalar(-1.5), "  relu(2.0) =", relu.scalar(2.0))

# f, f' and f'' side by side: ReLU bends at 0, GELU and SiLU are smooth versions of it.
viz.plot_activations(["relu", "leaky_relu", "gelu", "silu", "tanh", "sigmoid"], path=out / "activations.png")
print("wrote", out / "activations.png")
if not args.quick:
    viz.plot_gallery(out / "gallery.png")
    print("wrote", out / "gallery.png")
