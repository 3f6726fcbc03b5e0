"""``ourdl train``: train softmax regression or an MLP on digits, MNIST, Fashion-MNIST or a CSV file.

Prints the final test accuracy and writes into ``--out``: the checkpoint
(``<dataset>-<model>.safetensors``), the history (``...-history.json``) and
plots of the learning curves, the confusion matrix and (for images) test
samples with their predictions, the mistakes first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import ourdl

from .. import data, io, nn, optim
from ..train import fit
from .common import CommandError, activation, add_seed, choose, integers

DATASETS = ("digits", "mnist", "fashion-mnist", "csv")
MODELS = ("softmax", "mlp")
OPTIMIZERS = ("adam", "sgd")

# viz loads matplotlib, which takes a second: it is imported inside the commands
# that plot, so that the others start fast.


@dataclass
class Trained:
    """A trained classifier, its history and its test predictions."""

    model: object
    history: object
    labels: np.ndarray
    predictions: np.ndarray
    test_images: np.ndarray
    classes: list

    @property
    def accuracy(self) -> float:
        return float((self.labels == self.predictions).mean())


def load(dataset: str, data_dir=None, csv=None, target=None, seed: int = 0, download: bool = False):
    """(train set, test set, class names) for a dataset name, with errors that say how to fix the input."""
    choose("dataset", dataset, DATASETS)
    if dataset == "digits":
        return data.Digits(train=True), data.Digits(train=False), data.Digits.classes
    if dataset == "csv":
        if not csv or not target:
            raise CommandError("the csv dataset needs --csv FILE and --target COLUMN")
        try:
            table = data.CSVDataset(csv, target=target)
        except FileNotFoundError:
            raise CommandError(f"no such CSV file: {csv}") from None
        except (KeyError, ValueError) as error:
            raise CommandError(str(error).strip("\"'")) from None
        train, test = data.random_split(table, [0.8, 0.2], generator=_generator(seed))
        labels = table.tensors[1].numpy()
        classes = table.classes or [str(c) for c in range(int(labels.max()) + 1)]
        return train, test, classes
    kind = data.MNIST if dataset == "mnist" else data.FashionMNIST
    root = Path(data_dir or "data")
    try:
        return (kind(root, train=True, flatten=True, download=download),
                kind(root, train=False, flatten=True), kind.classes)
    except FileNotFoundError as error:
        raise CommandError(f"{error}\nOr run again with --download (needs a network), or point --data-dir at the "
                           f"folder that holds {kind.folder}/raw.") from None


def _generator(seed: int):
    return ourdl.Generator().manual_seed(seed)


def build_model(kind: str, inputs: int, classes: int, hidden=(128, 64), activation_name: str = "relu"):
    """Softmax regression (one Linear layer; the softmax is in the cross-entropy loss) or an MLP."""
    choose("model", kind, MODELS)
    if kind == "softmax":
        return nn.Linear(inputs, classes)
    return nn.MLP([inputs, *hidden, classes], activation=activation(activation_name).name)


def train_classifier(train_set, test_set, classes, model: str = "mlp", hidden=(128, 64), activation_name="relu",
                     optimizer: str = "adam", lr: float = 1e-3, epochs: int = 10, batch_size: int = 64,
                     seed: int = 0, checkpoint_dir=None, progress: bool = True) -> Trained:
    """Train with :func:`ourdl.train.fit` (cross-entropy), then predict the test set."""
    from ..viz import predict

    ourdl.manual_seed(seed)
    first = train_set[0][0]
    net = build_model(model, int(np.prod(first.shape)), len(classes), hidden, activation_name)
    choose("optimizer", optimizer, OPTIMIZERS)
    make = optim.Adam if optimizer == "adam" else optim.SGD
    train_loader = data.DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=_generator(seed))
    test_loader = data.DataLoader(test_set, batch_size=512)
    history = fit(net, nn.CrossEntropyLoss(), make(net.parameters(), lr=lr), train_loader, epochs=epochs,
                  val_loader=test_loader, metrics=["accuracy"], checkpoint_dir=checkpoint_dir, progress=progress)
    images, labels = _stack(test_set)
    return Trained(net, history, labels, predict(net, images), images, list(classes))


def _stack(dataset):
    """All samples of a dataset (or a Subset of one) as two arrays."""
    x, y = next(iter(data.DataLoader(dataset, batch_size=len(dataset))))
    return x.numpy(), y.numpy()


def save_results(trained: Trained, out, name: str, images: bool) -> dict:
    """Write history, plots and checkpoint into ``out``; returns {what: path}."""
    from ..viz import plot_confusion_matrix, plot_history, plot_samples
    from ..viz.training import history_series

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "checkpoint": out / f"{name}.safetensors",
        "history": out / f"{name}-history.json",
        "curves": out / f"{name}-curves.png",
        "confusion": out / f"{name}-confusion.png",
    }
    io.save(trained.model.state_dict(), files["checkpoint"])
    files["history"].write_text(json.dumps(history_series(trained.history), indent=1))
    plot_history(trained.history, files["curves"])
    plot_confusion_matrix(trained.labels, trained.predictions, trained.classes, files["confusion"],
                          title=f"{name}, test set")
    if images:
        files["samples"] = out / f"{name}-samples.png"
        wrong_first = np.argsort(trained.labels == trained.predictions, kind="stable")[:24]
        plot_samples(trained.test_images[wrong_first], trained.labels[wrong_first], trained.predictions[wrong_first],
                     trained.classes, files["samples"])
    return files


def run(args) -> int:
    dataset = "csv" if args.csv and args.dataset is None else (args.dataset or "digits")
    train_set, test_set, classes = load(dataset, args.data_dir, args.csv, args.target, args.seed, args.download)
    trained = train_classifier(train_set, test_set, classes, args.model, tuple(integers(args.hidden, "--hidden")),
                               args.activation, args.optimizer, args.lr, args.epochs, args.batch_size, args.seed)
    print(f"{args.model} on {dataset}: test accuracy {trained.accuracy:.2%} ({len(trained.labels)} samples)")
    files = save_results(trained, args.out, f"{dataset}-{args.model}", images=dataset != "csv")
    for what, path in files.items():
        print(f"{what:>10}: {path.resolve()}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "train", help="train softmax regression or an MLP on digits, MNIST, Fashion-MNIST or your CSV",
        description="Train a classifier with cross-entropy; prints the test accuracy, saves the checkpoint, the "
                    "history and plots. digits works out of the box; mnist and fashion-mnist read the IDX files "
                    "from --data-dir (DIR/MNIST/raw, DIR/FashionMNIST/raw); --csv FILE --target COLUMN trains on "
                    "your own table.")
    parser.add_argument("dataset", nargs="?", help=f"one of {', '.join(DATASETS)} (default digits)")
    parser.add_argument("--model", default="mlp", help="softmax or mlp (default mlp)")
    parser.add_argument("--hidden", default="128,64", help="MLP hidden sizes, comma-separated (default 128,64)")
    parser.add_argument("--activation", default="relu", help="MLP activation from the catalog (default relu)")
    parser.add_argument("--optimizer", default="adam", help="adam or sgd (default adam)")
    parser.add_argument("--lr", type=float, default=1e-3, help="learning rate (default 0.001)")
    parser.add_argument("--epochs", type=int, default=10, help="passes over the training set (default 10)")
    parser.add_argument("--batch-size", type=int, default=64, help="samples per step (default 64)")
    parser.add_argument("--data-dir", help="folder holding the IDX files for mnist/fashion-mnist (default ./data)")
    parser.add_argument("--download", action="store_true", help="download missing MNIST/Fashion-MNIST files")
    parser.add_argument("--csv", metavar="FILE", help="train on this CSV table")
    parser.add_argument("--target", metavar="COLUMN", help="the CSV column to predict")
    parser.add_argument("-o", "--out", default="runs", help="folder for checkpoint, history and plots (default runs)")
    add_seed(parser)
    parser.set_defaults(run=run)
