"""``ourdl activations``: the catalog as a table, one entry in full, plots of f, f' and f''."""

from __future__ import annotations

from pathlib import Path

from .. import activations
from ..formula_text import to_unicode
from .common import CommandError, activation, add_out, add_seed, default_out, integers, interactive, output
from .options import real

# viz (and whatever draws with it) loads matplotlib, which takes a second: it is imported inside the commands
# that plot, so that the others start fast.


def properties_text(entry) -> str:
    """The entry's properties as words: ``monotonic, smooth, ...``."""
    properties = entry.properties
    if isinstance(properties, dict):
        return ", ".join(name.replace("_", " ") for name, value in properties.items() if value)
    return ", ".join(str(p).replace("_", " ") for p in properties)


def table(entries) -> str:
    """A plain-text table of name, formula (as Unicode, whole), range and properties."""
    from ..viz.activations import format_range

    rows = [("name", "formula", "range", "properties")]
    rows += [(e.name, to_unicode(e.formula), format_range(e.range), properties_text(e)) for e in entries]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[3])
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def describe(entry) -> str:
    """Every field of a catalog entry, one per line."""
    from ..viz.activations import format_range

    fields = {
        "name": entry.name,
        "parameters": ", ".join(f"{k}={v!r}" for k, v in dict(entry.parameters).items()) or "none",
        "formula": to_unicode(entry.formula),
        "derivative": to_unicode(entry.derivative_formula),
        "range": format_range(entry.range),
        "properties": properties_text(entry),
        "kinks": ", ".join(f"{k:g}" for k in (entry.kinks or ())) or "none (smooth)",
    }
    for extra in ("reference", "paper", "year"):
        value = getattr(entry, extra, None)
        if value:
            fields[extra] = str(value)
    return "\n".join(f"{key:>11}: {value}" for key, value in fields.items())


def run_list(args) -> int:
    print(table(activations.catalog()))
    return 0


def run_show(args) -> int:
    from ..viz import plot_activations
    from ..viz.figure import FORMATS

    entry = activation(args.name)
    out = output(args.out or default_out(f"{entry.name}.png"), FORMATS)
    print(describe(entry))
    plot_activations([entry.name], path=out, columns=1)
    print(f"plot written to {Path(out).resolve()}")
    return 0


def run_plot(args) -> int:
    from ..viz import plot_activations
    from ..viz.activations import STYLES
    from ..viz.figure import FORMATS

    names = [activation(name).name for name in args.names]
    orders = tuple(integers(args.derivatives, "--derivatives"))
    if not set(orders) <= set(STYLES):
        raise CommandError(f"--derivatives {args.derivatives}: orders 0 (f), 1 (f') and 2 (f'') can be drawn")
    output(args.out, FORMATS)
    if args.xmin >= args.xmax:
        raise CommandError(f"--xmin {args.xmin:g} must be less than --xmax {args.xmax:g}")
    plot_activations(names, derivatives=orders, x_range=(args.xmin, args.xmax), path=args.out, progress=interactive())
    print(f"plot written to {Path(args.out).resolve()}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("activations", help="list, show and plot the activation catalog",
                                   description="The activation catalog: list it, show one entry, plot f, f' and f''.")
    commands = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="a table of every activation: name, formula, range, properties")
    add_seed(listing)
    listing.set_defaults(run=run_list)

    show = commands.add_parser("show", help="one activation in full, and a plot of it with its derivatives")
    show.add_argument("name", help="an activation name, as in `ourdl activations list`")
    show.add_argument("-o", "--out", help=f"where to save the plot (default {default_out('NAME.png')}; "
                                          ".png, .svg or .pdf)")
    add_seed(show)
    show.set_defaults(run=run_show)

    plot = commands.add_parser("plot", help="plot activations with their derivatives (from autograd)")
    plot.add_argument("names", nargs="+", metavar="NAME", help="activation names")
    plot.add_argument("--derivatives", default="0,1,2", help="orders to draw, comma-separated (default 0,1,2)")
    plot.add_argument("--xmin", type=real(-1e6, 1e6), default=-5.0,
                      help="left end of the x axis, from -1e6 to 1e6 (default -5)")
    plot.add_argument("--xmax", type=real(-1e6, 1e6), default=5.0,
                      help="right end of the x axis, from -1e6 to 1e6 (default 5)")
    add_out(plot, "activations.png", "the image to write: .png, .svg or .pdf")
    add_seed(plot)
    plot.set_defaults(run=run_plot)
