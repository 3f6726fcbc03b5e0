"""Write the documentation's generated pages into docs/generated/ (not committed): run before sphinx-build.

    python docs/generate.py          # what `make docs` runs first

- tutorials: the example notebooks (examples/*.ipynb), executed by myst-nb when Sphinx builds;
- activations: one page per catalog entry, with formulas, a plot of f, f', f'', the facts, PyTorch's
  counterpart (checked numerically when PyTorch is installed) and an example run now;
- lab: one page per experiment with the report of a quick run made now;
- api: one page per public namespace, from the docstrings;
- images for the engine chapter.
"""

from __future__ import annotations

import importlib
import inspect
import shutil
import sys
import time
from pathlib import Path

import numpy as np

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
OUT = DOCS / "generated"
sys.path.insert(0, str(ROOT))

import ourdl  # noqa: E402  (after the checkout is on the path)
from ourdl import activations, lab, viz  # noqa: E402
from ourdl.activations.display import formula_lines, interval  # noqa: E402
from ourdl.lab import report  # noqa: E402

API = [("ourdl", "Tensors, creation, math, autograd entry points"), ("ourdl.autograd", "The engine, custom Functions"),
       ("ourdl.nn", "Modules and layers"), ("ourdl.nn.functional", "Functional forms"), ("ourdl.nn.init", "Initialisers"),
       ("ourdl.optim", "Optimisers"), ("ourdl.optim.lr_scheduler", "Learning-rate schedules"),
       ("ourdl.data", "Datasets, samplers and loaders"), ("ourdl.models", "Ready networks"),
       ("ourdl.utils.tensorboard", "TensorBoard logs"), ("ourdl.io", "Saving and loading"), ("ourdl.train", "The training loop"),
       ("ourdl.activations", "The activation catalog"), ("ourdl.graph", "The scalar node graph"),
       ("ourdl.viz", "Plots, animations, graph drawings"), ("ourdl.lab", "Experiments")]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def tutorials() -> None:
    """Copy the example notebooks (Sphinx reads sources only below docs/)."""
    names = sorted(p.name for p in (ROOT / "examples").glob("[0-9]*.ipynb"))
    for name in names + ["tour.ipynb"]:
        (OUT / "tutorials").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "examples" / name, OUT / "tutorials" / name)
    toc = "\n".join(Path(n).stem for n in names)
    write(OUT / "tutorials" / "index.md", f"""# Tutorials

Each tutorial is a notebook from the `examples/` folder of the repository, run when this site was built: the
outputs below are what the code printed and drew. Open the same notebook in Jupyter to change it and run it again.
The scripts beside them (`examples/*.py`) teach the same lessons on the command line.

```{{toctree}}
:maxdepth: 1

{toc}
tour
```
""")


def activation_pages() -> None:
    entries = activations.catalog()
    folder = OUT / "activations"
    rows = []
    for entry in entries:
        write(folder / f"{entry.name}.md", activation_page(entry, folder))
        formula = entry.formula.replace("|", r"\vert ")      # a bare | would end the table cell
        rows.append(f"| [{entry.name}]({entry.name}.md) | ${formula}$ | ${interval(entry.range)}$ |")
    write(folder / "index.md", "# The activation catalog\n\n"
          f"{len(entries)} activations, each described once in `ourdl.activations` (formula, derivative, range, "
          "properties, paper); its functional form, Module, scalar and NumPy forms, tests, plots and these pages are "
          "derived from that description; each page below shows f, f′ and f″ drawn large.\n\n"
          "| activation | f(x) | range |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n\n```{toctree}\n:hidden:\n\n"
          + "\n".join(e.name for e in entries) + "\n```\n")


def activation_page(entry, folder: Path) -> str:
    f, derivative = formula_lines(entry)
    settings = {k: v for k, v in entry.parameters.items() if v is not inspect.Parameter.empty}
    parameters = ", ".join(f"`{k}={v!r}`" for k, v in settings.items())
    properties = ", ".join(k.replace("_", " ") for k, v in entry.properties.items() if v) or "none"
    picture = ""
    if entry.elementwise:
        viz.figure.save(viz.plot_activations([entry.name]), folder / f"{entry.name}.png", dpi=90)
        picture = f"![{entry.name}: f, its first derivative f′ and its second derivative f″]({entry.name}.png)\n"
    call, _ = entry.example or (f"F.{entry.name}(ourdl.tensor([-2.0, 0.0, 2.0]))", "")
    output = run_example(call)
    facts = [("Range", f"${interval(entry.range)}$"), ("Parameters", parameters or "none"),
             ("Properties", properties), ("Not differentiable at", ", ".join(f"{k:g}" for k in entry.kinks) or "—"),
             ("Aliases", ", ".join(f"`{a}`" for a in entry.aliases) or "—"),
             ("Paper", f"{entry.paper} ({entry.year})" if entry.paper else "—"), ("PyTorch", torch_equivalent(entry))]
    table = "| | |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in facts)
    module = f"ourdl.nn.{entry.module_name}({', '.join(f'{k}={v!r}' for k, v in settings.items())})"
    return f"""# {entry.name}

`ourdl.nn.functional.{entry.name}{entry.signature}` and the Module `{module}`.

$$
{f}
$$

$$
{derivative}
$$

{picture}
{table}

## Example

```python
import ourdl
import ourdl.activations.functional as F

{call}
```

Output (run when this page was built):

```text
{output}
```

As a layer: `ourdl.nn.Sequential(ourdl.nn.Linear(4, 8), {module}, ourdl.nn.Linear(8, 1))`.
"""


def run_example(call: str) -> str:
    import ourdl.activations.functional as F

    return repr(eval(call, {"ourdl": ourdl, "F": F}))  # the catalog's own example expression


def torch_equivalent(entry) -> str:
    """PyTorch's names for the entry and, when PyTorch is installed, the largest difference on [-5, 5]."""
    try:
        import torch
    except ImportError:
        return "(PyTorch is not installed where these pages were built)"
    functional = getattr(torch.nn.functional, entry.name, None)
    module = getattr(torch.nn, entry.module_name, None)
    if functional is None and module is None:
        return "none: beyond PyTorch"
    names = ", ".join(f"`{n}`" for n, o in ((f"torch.nn.functional.{entry.name}", functional),
                                            (f"torch.nn.{entry.module_name}", module)) if o is not None)
    if functional is None or not entry.elementwise or entry.name in ("rrelu", "prelu"):
        return names
    x = np.linspace(-5.0, 5.0, 1001)
    settings = {k: v for k, v in entry.parameters.items() if v is not inspect.Parameter.empty}
    ours = entry.numpy(x, **settings)
    theirs = functional(torch.from_numpy(x), **settings).numpy()
    return f"{names}; largest difference on [-5, 5] in float64: {np.max(np.abs(ours - theirs)):.1e}"


def lab_pages() -> None:
    folder = OUT / "lab"
    folder.mkdir(parents=True, exist_ok=True)
    items = []
    for experiment in lab.catalog():
        started = time.perf_counter()
        result = experiment.run(seed=0, quick=True)
        seconds = time.perf_counter() - started
        for figure in result.figures:
            figure.figure.savefig(folder / f"{experiment.name}-{figure.name}.png", dpi=90, bbox_inches="tight")
        text = report.markdown(result)
        for figure in result.figures:
            text = text.replace(f"]({figure.name}.png)", f"]({experiment.name}-{figure.name}.png)")
        text = text.replace(f"# {result.title or result.name}", f"# {result.title or result.name}\n\n"
                            f"*The report of a quick run (seed 0, {seconds:.0f} s) made when this page was built. "
                            f"The full run: `ourdl lab run {experiment.name} -o DIR`.*", 1)
        write(folder / f"{experiment.name}.md", text)
        items.append(f"- [{experiment.title}]({experiment.name}.md): {experiment.claim}")
    write(folder / "index.md", "# The lab's experiments\n\nEach experiment states a claim from the literature, "
          "measures it with a seed, and writes a report (tables, figures, the command that reproduces it). "
          "Run one with `ourdl lab run NAME -o DIR` (add `--quick` for a run of seconds), or from Python with "
          "`ourdl.lab.get(NAME).run()`.\n\n" + "\n".join(items) + "\n\n```{toctree}\n:hidden:\n\n"
          + "\n".join(e.name for e in lab.catalog()) + "\n```\n")


def api_pages() -> None:
    folder = OUT / "api"
    for name, title in API:
        module = importlib.import_module(name)
        write(folder / f"{name}.md", f"# `{name}`: {title.lower()}\n\n```{{eval-rst}}\n.. automodule:: {name}\n"
              f"   :members: {', '.join(getattr(module, '__all__', []))}\n   :no-index:\n```\n"
              if name == "ourdl" else
              f"# `{name}`: {title.lower()}\n\n```{{eval-rst}}\n.. automodule:: {name}\n   :members:\n"
              f"   :imported-members:\n   :exclude-members: set\n   :no-index:\n```\n")  # set: matplotlib's, on Figure
    write(folder / "index.md", "# API reference\n\nEvery public name, from its docstring (each carries a runnable "
          "example, checked by the test suite).\n\n" + "\n".join(f"- [`{n}`]({n}.md): {t}" for n, t in API)
          + "\n\n```{toctree}\n:hidden:\n\n" + "\n".join(n for n, _ in API) + "\n```\n")


def engine_images() -> None:
    folder = OUT / "images"
    folder.mkdir(parents=True, exist_ok=True)
    w = ourdl.tensor([1.0, -2.0, 0.5], requires_grad=True)
    x = ourdl.tensor([3.0, 1.0, 2.0])
    loss = ourdl.relu(w * x).sum()
    loss.backward()
    drawing = viz.draw_graph(loss, names={"w": w, "x": x})
    try:
        drawing.save(folder / "engine-graph.svg")
    except viz.GraphvizMissing:   # without Graphviz: a note in place of the picture
        write(folder / "engine-graph.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="420" height="40">'
              '<text x="4" y="24">Install Graphviz (dot) to draw this graph.</text></svg>')
    record = viz.fit_quadratic("leaky_relu", hidden=2, epochs=300, frames=2)
    viz.animate_fit(folder / "fit-units.png", record=record)


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    for step in (tutorials, engine_images, activation_pages, api_pages, lab_pages):
        step()
    print(f"docs/generate.py: wrote {sum(1 for p in OUT.rglob('*') if p.is_file())} files into {OUT}")


if __name__ == "__main__":
    main()
