"""``ourdl train``: train softmax regression or an MLP on digits, MNIST, Fashion-MNIST or a CSV file, or a
convolutional network (``lenet``: :class:`ourdl.models.LeNet5`, ``resnet``: :class:`ourdl.models.ResNet`) on
MNIST or Fashion-MNIST.

Prints the final test accuracy and writes into ``--out``: the weights
(``<dataset>-<model>.safetensors``), the history (``...-history.json``) and
plots of the learning curves, the confusion matrix and (for images) test
samples with their predictions, the mistakes first.

While it trains, a checkpoint (model, optimiser, random state, history) is kept
in ``--checkpoint-dir`` (by default ``<out>/<dataset>-<model>-checkpoint``)
beside the settings of the run, after every epoch and at Ctrl-C (which ends
the batch in progress, saves, and stops with one line naming the checkpoint).
``--resume`` continues from it exactly: the final weights equal those of a run
that was never stopped. ``--log-dir DIR`` writes TensorBoard logs of the run there.
"""

from __future__ import annotations

import json
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import ourdl

from .. import data, io, models, nn, optim
from ..data.files import atomic_write
from ..train import fit
from ..train import TrainingInterrupted
from ..train.fit import CHECKPOINT
from .common import OUTPUT_DIR, CommandError, Interrupted, add_seed, choose, interactive, layer_activation
from .options import BATCH, EPOCHS, LEARNING_RATE, MAX_UNITS, sizes

DATASETS = ("digits", "mnist", "fashion-mnist", "csv")
MODELS = ("softmax", "mlp", "lenet", "resnet")
CONVOLUTIONAL = ("lenet", "resnet")  # they take (1, 28, 28) images
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


def load(dataset: str, data_dir=None, csv=None, target=None, seed: int = 0, download: bool = False,
         flatten: bool = True):
    """(train set, test set, class names) for a dataset name, with errors that say how to fix the input.

    MNIST's images come as vectors of 784 values, or with ``flatten=False`` as ``(1, 28, 28)`` images."""
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
        return (kind(root, train=True, flatten=flatten, download=download),
                kind(root, train=False, flatten=flatten), kind.classes)
    except FileNotFoundError as error:
        raise CommandError(f"{error}\nOr run again with --download (needs a network), or point --data-dir at the "
                           f"folder that holds {kind.folder}/raw.") from None


def _generator(seed: int):
    return ourdl.Generator().manual_seed(seed)


def build_model(kind: str, shape, classes: int, hidden=(128, 64), activation_name: str = "relu"):
    """Softmax regression (one Linear layer; the softmax is in the cross-entropy loss), an MLP, LeNet-5 or a small
    ResNet, for samples of ``shape`` (``(features,)``, or ``(channels, 28, 28)`` for the convolutional ones)."""
    choose("model", kind, MODELS)
    name = layer_activation(activation_name).name
    if kind == "lenet":
        return models.LeNet5(name, classes=classes, channels=shape[0])
    if kind == "resnet":
        return models.ResNet(name, classes=classes, channels=shape[0], blocks=1)
    inputs = int(np.prod(shape))
    if kind == "softmax":
        return nn.Linear(inputs, classes)
    return nn.MLP([inputs, *hidden, classes], activation=name)


def train_classifier(train_set, test_set, classes, model: str = "mlp", hidden=(128, 64), activation_name="relu",
                     optimizer: str = "adam", lr: float = 1e-3, epochs: int = 10, batch_size: int = 64,
                     seed: int = 0, checkpoint_dir=None, progress: bool = True, resume: bool = False,
                     callbacks=(), log_dir=None) -> Trained:
    """Train with :func:`ourdl.train.fit` (cross-entropy), then predict the test set.

    With ``checkpoint_dir`` every epoch is checkpointed there; ``resume`` continues from its checkpoint.
    ``log_dir`` gets the run's TensorBoard logs."""
    from ..viz import predict

    ourdl.manual_seed(seed)
    first = train_set[0][0]
    net = build_model(model, tuple(first.shape), len(classes), hidden, activation_name)
    choose("optimizer", optimizer, OPTIMIZERS)
    make = optim.Adam if optimizer == "adam" else optim.SGD
    train_loader = data.DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=_generator(seed))
    test_loader = data.DataLoader(test_set, batch_size=512)
    history = fit(net, nn.CrossEntropyLoss(), make(net.parameters(), lr=lr), train_loader, epochs=epochs,
                  val_loader=test_loader, metrics=["accuracy"], checkpoint_dir=checkpoint_dir, resume=resume,
                  progress=progress, callbacks=callbacks, log_dir=log_dir)
    images, labels = _stack(test_set)
    return Trained(net, history, labels, predict(net, images), images, list(classes))


def _stack(dataset):
    """All samples of a dataset (or a Subset of one) as two arrays."""
    x, y = next(iter(data.DataLoader(dataset, batch_size=len(dataset))))
    return x.numpy(), y.numpy()


def save_results(trained: Trained, out, name: str, images: bool) -> dict:
    """Write weights, history and plots into ``out``; returns {what: path}."""
    from ..viz import plot_confusion_matrix, plot_history, plot_samples
    from ..viz.training import history_series

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "weights": out / f"{name}.safetensors",
        "history": out / f"{name}-history.json",
        "curves": out / f"{name}-curves.png",
        "confusion": out / f"{name}-confusion.png",
    }
    io.save(trained.model.state_dict(), files["weights"])
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


SETTINGS = ("dataset", "csv", "target", "model", "hidden", "activation", "optimizer", "lr", "batch_size", "seed")
SETTINGS_FILE = "settings.json"


def checkpoint_settings(args, dataset: str, folder: Path) -> None:
    """Keep the run's settings beside its checkpoint; with ``--resume`` check that they are the same."""
    settings = {key: getattr(args, key, None) for key in SETTINGS} | {"dataset": dataset, "hidden": list(args.hidden)}
    path = folder / SETTINGS_FILE
    if args.resume:
        if not (folder / CHECKPOINT).is_file():
            raise CommandError(f"--resume: no checkpoint to continue in {folder} (expected {CHECKPOINT}); "
                               "run without --resume to start, or point --checkpoint-dir at the run's folder")
        saved = json.loads(path.read_text()) if path.is_file() else settings
        changed = [f"--{k.replace('_', '-')} {saved.get(k)} (now {v})" for k, v in settings.items() if saved.get(k) != v]
        if changed:
            raise CommandError(f"--resume: the checkpoint in {folder} was trained with {', '.join(changed)}; "
                               "resume with the same settings (only --epochs may change)")
    with atomic_write(path) as stream:  # a run killed while writing it must leave --resume a readable file
        stream.write(json.dumps(settings, indent=1).encode())


def _epoch_line(epochs: int):
    """A callback printing one line per epoch: what a log gets instead of progress bars."""

    def report(epoch: int, record: dict) -> None:
        shown = "  ".join(f"{k} {v:.4g}" for k, v in record.items() if k not in ("epoch", "lr", "seconds"))
        print(f"epoch {epoch}/{epochs}  {shown}  ({record['seconds']:.1f} s)", flush=True)

    return report


def _stopped(checkpoint_dir: Path, argv, started: float, resumed: bool, stop=None) -> Interrupted:
    """What Ctrl-C left: the checkpoint that ``stop`` (a :class:`TrainingInterrupted`) names, else the last finished
    epoch's, and the command that continues it; or nothing.

    A checkpoint older than a fresh run (``started``) is another run's: this one left none."""
    path = checkpoint_dir / CHECKPOINT
    if stop is not None:
        where = f"epoch {stop.epoch}" + (f" after step {stop.step}" if stop.step is not None else "")
    elif not path.is_file() or (not resumed and path.stat().st_mtime < started):
        return Interrupted("no epoch had finished, so there is no checkpoint to resume")
    else:
        where = f"epoch {io.load_checkpoint(path, restore_rng=False)['epoch']}"
    again = " ".join(shlex.quote(a) for a in argv if a != "--resume")
    return Interrupted(f"checkpoint saved in {where}: {path}; continue with: ourdl {again} --resume")


def run(args) -> int:
    dataset = "csv" if args.csv and args.dataset is None else (args.dataset or "digits")
    choose("model", args.model, MODELS)
    choose("optimizer", args.optimizer, OPTIMIZERS)
    layer_activation(args.activation)  # every mistake in the command line is found before the data is read
    if args.model in CONVOLUTIONAL and dataset not in ("mnist", "fashion-mnist"):
        raise CommandError(f"--model {args.model} takes 28x28 images: train it on mnist or fashion-mnist, "
                           f"or choose --model mlp for {dataset}")
    train_set, test_set, classes = load(dataset, args.data_dir, args.csv, args.target, args.seed, args.download,
                                        flatten=args.model not in CONVOLUTIONAL)
    name = f"{dataset}-{args.model}"
    checkpoint_dir = Path(args.checkpoint_dir or Path(args.out) / f"{name}-checkpoint")
    checkpoint_settings(args, dataset, checkpoint_dir)
    callbacks = () if interactive() else (_epoch_line(args.epochs),)
    started = time.time()
    try:
        trained = train_classifier(train_set, test_set, classes, args.model, args.hidden, args.activation,
                                   args.optimizer, args.lr, args.epochs, args.batch_size, args.seed, checkpoint_dir,
                                   progress=interactive(), resume=args.resume, callbacks=callbacks,
                                   log_dir=args.log_dir)
    except TrainingInterrupted as stop:  # the batch in progress ended and a checkpoint was saved
        raise _stopped(checkpoint_dir, args.argv, started, args.resume, stop) from None
    except KeyboardInterrupt:  # a second Ctrl-C, or one outside the training loop
        raise _stopped(checkpoint_dir, args.argv, started, args.resume) from None
    print(f"{args.model} on {dataset}: test accuracy {trained.accuracy:.2%} ({len(trained.labels)} samples)")
    files = save_results(trained, args.out, name, images=dataset != "csv")
    files["checkpoint"] = checkpoint_dir / CHECKPOINT
    for what, path in files.items():
        print(f"{what:>10}: {path.resolve()}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "train", help="train softmax regression, an MLP, LeNet-5 or a ResNet on digits, MNIST, Fashion-MNIST or your CSV",
        description="Train a classifier with cross-entropy; prints the test accuracy, saves the weights, the "
                    "history and plots. digits works out of the box; mnist and fashion-mnist read the IDX files "
                    "from --data-dir (DIR/MNIST/raw, DIR/FashionMNIST/raw); --csv FILE --target COLUMN trains on "
                    "your own table. Every epoch is checkpointed: Ctrl-C stops cleanly and --resume continues.")
    parser.add_argument("dataset", nargs="?", help=f"one of {', '.join(DATASETS)} (default digits)")
    parser.add_argument("--model", default="mlp",
                        help="softmax, mlp, lenet (LeNet-5) or resnet (a small ResNet); the last two on mnist or "
                             "fashion-mnist (default mlp)")
    parser.add_argument("--hidden", type=sizes(1, MAX_UNITS), default=(128, 64),
                        help=f"MLP hidden sizes, comma-separated, each 1 to {MAX_UNITS} (default 128,64)")
    parser.add_argument("--activation", default="relu", help="the activation from the catalog, at every place of the model (default relu)")
    parser.add_argument("--optimizer", default="adam", help="adam or sgd (default adam)")
    parser.add_argument("--lr", type=LEARNING_RATE, default=1e-3, help="learning rate, in (0, 100] (default 0.001)")
    parser.add_argument("--epochs", type=EPOCHS, default=10,
                        help="passes over the training set, at least 1, counting those of a resumed run (default 10)")
    parser.add_argument("--batch-size", type=BATCH, default=64, help="samples per step, at least 1 (default 64)")
    parser.add_argument("--data-dir", help="folder holding the IDX files for mnist/fashion-mnist (default ./data; "
                                           "fashion-mnist falls back to Debian's dataset-fashion-mnist)")
    parser.add_argument("--download", action="store_true", help="download missing MNIST/Fashion-MNIST files")
    parser.add_argument("--csv", metavar="FILE", help="train on this CSV table")
    parser.add_argument("--target", metavar="COLUMN", help="the CSV column to predict")
    parser.add_argument("-o", "--out", default=OUTPUT_DIR.as_posix(),
                        help=f"folder for weights, history and plots (default {OUTPUT_DIR.as_posix()})")
    parser.add_argument("--checkpoint-dir", metavar="DIR",
                        help="folder for the checkpoint of every epoch and the run's settings "
                             "(default OUT/DATASET-MODEL-checkpoint)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run checkpointed in --checkpoint-dir, with the same settings")
    parser.add_argument("--log-dir", metavar="DIR",
                        help="write TensorBoard logs there: per step the loss, accuracy, learning rate, gradient norms "
                             "and dead units; per epoch the record and histograms (tensorboard --logdir DIR shows "
                             "them; needs tensorboardX)")
    add_seed(parser)
    parser.set_defaults(run=run)
