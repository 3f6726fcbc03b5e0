"""``ourdl demo``: the main tour, written as one page (``index.html``) with its images.

It shows the activation gallery with derivatives, a tiny network bending
lines into y = x² with ReLU and with LeakyReLU, softmax regression and an
MLP trained on the digits (curves, accuracy, confusion matrix, samples), LeNet-5
trained on real Fashion-MNIST (where the system's ``dataset-fashion-mnist`` or
``data/FashionMNIST/raw`` holds it), the computation graph of a small network's loss, and a decision boundary on the
spirals. ``--quick`` cuts every training short, for tests.
"""

from __future__ import annotations

import time
from pathlib import Path

import ourdl

from .. import nn, optim
from ..data import DataLoader, Digits, FashionMNIST, Subset, spirals as make_spirals
from ..train import fit
from .common import add_seed, default_out, interactive
from .graph import model_loss
from .train import save_results, train_classifier

# Every part of the demo draws with viz, which loads matplotlib (a second to import): viz is imported inside the
# parts, so that the other commands start fast.

SETTINGS = {  # full demo / --quick
    "fit_epochs": (600, 40),
    "fit_frames": (40, 4),
    "digits_epochs": (20, 1),
    "fashion_epochs": (2, 1),
    "fashion_samples": (None, 1000),  # None: the whole set (60,000 training and 10,000 test images)
    "spiral_epochs": (150, 3),
}


def _step(title: str) -> None:
    print(f"· {title}", flush=True)


def gallery(out: Path, page) -> None:
    from ..progress import progress_bar
    from ..viz import plot_tile, tile_caption

    _step("activation gallery")
    names = [entry.name for entry in ourdl.activations.catalog() if entry.elementwise]
    (out / "gallery").mkdir(exist_ok=True)
    for name in progress_bar(names, desc="activations", disable=not interactive(), leave=False):
        plot_tile(name, out / "gallery" / f"{name}.png")
    page.add("The activation catalog",
             "Every elementwise activation with its first and second derivatives, computed by autograd: f solid blue, "
             "f′ dashed orange, f″ dotted green; a red circle marks a kink, where f′ jumps. Click a tile for its "
             "large view.", tiles=[(f"gallery/{name}.png", tile_caption(name)) for name in names])


def quadratic(out: Path, page, epochs: int, frames: int, seed: int) -> None:
    from ..viz import animate_fit, explain_fit, fit_quadratic

    marks = ("Left: the dashed black curve is the target y = x²; each thin coloured line is one hidden unit's "
             "contribution w₂·act(w₁x + b₁); the thick blue line, the network's output, is their sum plus b₂. "
             "Right: the training loss (mean squared error) after each epoch, on a log scale. The title gives the "
             "frame's epoch and loss.")
    for name, label in (("relu", "ReLU"), ("leaky_relu", "LeakyReLU")):
        _step(f"fitting y = x² with {label}")
        record = fit_quadratic(name, hidden=2, epochs=epochs, frames=frames, seed=seed, progress=interactive())
        animate_fit(out / f"fit-{name}.gif", record=record, progress=interactive())
        page.add(f"Fitting y = x² with two {label} units", explain_fit(record), [(f"fit-{name}.gif", marks)],
                 {"final loss (MSE)": f"{record.losses[-1]:.4f}", "epochs": epochs, "seed": seed})


CAPTIONS = {
    "curves": "The loss and the accuracy after each epoch: blue on the training set (the mean over the epoch's "
              "batches, while the weights still moved), orange on the test set (with the weights at the epoch's end). "
              "The last orange accuracy is the test accuracy above.",
    "confusion": "Each row is a true digit, each column the digit predicted; a cell counts the test images of that "
                 "pair, darker for more. The diagonal holds the right answers; the title's accuracy is their share.",
    "samples": "Test digits titled true → predicted: red where the network was wrong (shown first), green where it was "
               "right; \"5 → 9\" is a 5 that it took for a 9.",
}


def digits(out: Path, page, epochs: int, seed: int) -> None:
    train_set, test_set = Digits(train=True), Digits(train=False)
    runs = (("softmax", "Softmax regression on the digits",
             "One linear layer and a softmax: a linear classifier on the 64 pixels.", 0.05),
            ("mlp", "An MLP on the digits", "64 → 128 → 64 → 10 with ReLU and Adam: hidden layers can bend the "
             "decision boundaries; on these small 8x8 images a linear model is already strong, so compare the two.",
             1e-3))
    for kind, title, line, lr in runs:
        _step(f"training {kind} on the digits")
        trained = train_classifier(train_set, test_set, Digits.classes, kind, (128, 64), "relu", "adam", lr,
                                   epochs, 32, seed, progress=interactive())
        files = save_results(trained, out, f"digits-{kind}", images=kind == "mlp")
        images = [(files[k].name, CAPTIONS[k]) for k in ("curves", "confusion", "samples") if k in files]
        page.add(title, line, images, {"test accuracy": f"{trained.accuracy:.2%}", "epochs": epochs,
                                       "weights": files["weights"].name})


def fashion(out: Path, page, epochs: int, samples, seed: int) -> None:
    """LeNet-5 on real Fashion-MNIST; without the files, a section saying how to get them."""
    title = "LeNet-5 on real Fashion-MNIST"
    try:
        train_set, test_set = FashionMNIST("data", train=True), FashionMNIST("data", train=False)
    except FileNotFoundError:
        page.add(title, "Fashion-MNIST is not on this machine: install it with `sudo apt-get install "
                        "dataset-fashion-mnist` (or put its four files in data/FashionMNIST/raw) and run the demo again.")
        return
    if samples is not None:
        train_set, test_set = Subset(train_set, range(samples)), Subset(test_set, range(samples))
    _step(f"training LeNet-5 on Fashion-MNIST ({len(train_set):,} images)")
    trained = train_classifier(train_set, test_set, FashionMNIST.classes, "lenet", (), "relu", "adam", 2e-3,
                               epochs, 128, seed, progress=interactive())
    files = save_results(trained, out, "fashion-mnist-lenet", images=True)
    captions = dict(CAPTIONS, confusion=CAPTIONS["confusion"].replace("digit", "class"),
                    samples="Test images titled true → predicted: red where the network was wrong (shown first), "
                            "green where it was right; \"Shirt → T-shirt/top\" is a shirt it took for a T-shirt.")
    page.add(title, f"Two convolutions with max pooling, then three dense layers (61,706 weights), ReLU and Adam, "
                    f"trained on {len(train_set):,} of Zalando's 28x28 photographs of clothing in 10 classes.",
             [(files[k].name, captions[k]) for k in ("curves", "confusion", "samples")],
             {"test accuracy": f"{trained.accuracy:.2%}", "epochs": epochs, "weights": files["weights"].name})


def graph(out: Path, page, seed: int) -> None:
    from ..viz import GraphvizMissing, draw_graph

    _step("computation graph of a small network's loss")
    loss, names = model_loss("mlp:2,3,1", seed, batch=2)
    try:
        draw_graph(loss, out / "graph.svg", names=names, direction="TB")
    except GraphvizMissing as missing:
        print(f"  {missing}")
        page.add("The computation graph", "Graphviz is not installed, so only graph.dot was written.",
                 facts={"how to see it": "install Graphviz (apt-get install graphviz) and run ourdl demo again"})
        return
    page.add("The computation graph of a loss", "What backward() walks for a 2 → 3 → 1 MLP's MSE loss.",
             [("graph.svg", "Blue boxes are parameters (shape, dtype, value and gradient), yellow ellipses operations, "
                            "white boxes their results, grey dashed boxes the data (no gradient); each arrow runs from "
                            "a value to the operation that uses it, and backward() follows them in reverse.")])


def spirals(out: Path, page, epochs: int, seed: int) -> None:
    from ..viz import plot_decision_boundary, predict

    _step("decision boundary on the spirals")
    ourdl.manual_seed(seed)
    data = make_spirals(n=400, noise=0.05, seed=seed)
    model = nn.MLP([2, 32, 32, 2], activation="tanh")
    loader = DataLoader(data, batch_size=32, shuffle=True, generator=ourdl.Generator().manual_seed(seed))
    # 150 short epochs: one summary line instead of one per epoch.
    fit(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.01), loader, epochs=epochs, progress=False)
    points, labels = data.tensors
    accuracy = float((predict(model, points.numpy()) == labels.numpy()).mean())  # the figure's number, exactly
    print(f"  {epochs} epochs, accuracy {accuracy:.2%} on the training points")
    plot_decision_boundary(model, data, out / "spirals.png", title="MLP 2-32-32-2 (tanh) on two spirals")
    page.add("A decision boundary on the spirals",
             "A straight line cannot separate two interleaved spirals; two tanh layers bend the plane until it can.",
             [("spirals.png", "Dots: the 400 training points, coloured by their spiral; background: the spiral the "
                              "network predicts at each point of the plane. The accuracy is the share of dots whose "
                              "colour matches the background.")],
             {"accuracy on the training points": f"{accuracy:.2%}", "epochs": epochs, "seed": seed})


def build(out, quick: bool = False, seed: int = 8) -> Path:
    """Write the demo into ``out`` and return the path of its ``index.html``."""
    from ..viz import Page

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pick = {key: value[1 if quick else 0] for key, value in SETTINGS.items()}
    page = Page("ourdl: seeing a network learn",
                "Everything on this page was computed by ourdl, a deep learning framework on NumPy, just now.")
    start = time.perf_counter()
    gallery(out, page)
    quadratic(out, page, pick["fit_epochs"], pick["fit_frames"], seed)
    digits(out, page, pick["digits_epochs"], seed)
    fashion(out, page, pick["fashion_epochs"], pick["fashion_samples"], seed)
    graph(out, page, seed)
    spirals(out, page, pick["spiral_epochs"], seed)
    page.add("Live: watch a network learn in the playground",
             "Run `ourdl playground` and this link opens it: TF Playground's controls with ourdl training behind "
             "them, every activation of the catalog per layer, each unit's activation curve with its pre-activations, "
             "dead units, and gradient norms layer by layer.",
             links={"open the playground (after starting ourdl playground)": "http://127.0.0.1:8765/"})
    index = page.write(out)
    print(f"demo finished in {time.perf_counter() - start:.0f} s")
    return index


def run(args) -> int:
    index = build(args.out, args.quick, args.seed)
    print(f"open {index.resolve().as_uri()}")
    print("watch a network learn live: ourdl playground (serves http://127.0.0.1:8765/)")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="the tour: write a page of plots, animations and trained models",
                                   description="Write a folder with index.html: the activation gallery, the x² fit "
                                               "animated, digits classifiers, LeNet-5 on Fashion-MNIST, a computation graph, a "
                                               "decision boundary.")
    parser.add_argument("-o", "--out", default=default_out("demo"), help=f"folder to write (default {default_out('demo')})")
    parser.add_argument("--quick", action="store_true", help="tiny training runs, to check that everything works")
    add_seed(parser, 8, ": the x² fit finds two folds with LeakyReLU, one with ReLU; with 0 both ReLU units die")
    parser.set_defaults(run=run)
