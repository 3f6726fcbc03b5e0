"""A training run and a save loop for the fault tests to kill: ``python -m tests.robustness.killable_training``.

``train FOLDER EPOCHS [SNAPSHOTS]``: a dropout MLP trained with Adam and a scheduler on shuffled moons by
:func:`ourdl.train.fit`, checkpointed in FOLDER every epoch and resumed from it when a checkpoint is there; it
prints ``ready`` before training, ``epoch N`` after each epoch's checkpoint and ``done`` once the final weights are
in FOLDER/final.safetensors. With SNAPSHOTS it also copies each epoch's checkpoint there (``epoch-N.safetensors``),
the uninterrupted reference the killed runs are compared with.

``save PATH START``: saves checkpoints of a 4 MB model to PATH without end, the weights of save ``i`` (from START
on) all equal to ``i``, printing ``saved i`` after each.
"""

import shutil
import sys
from pathlib import Path

import ourdl
from ourdl import nn
from ourdl.data import DataLoader, moons
from ourdl.io import save_checkpoint
from ourdl.train import fit


def train(folder: Path, epochs: int, snapshots: Path | None) -> None:
    ourdl.manual_seed(5)
    model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 64), nn.Tanh(),
                          nn.Linear(64, 2))
    loader = DataLoader(moons(n=512, noise=0.2), batch_size=16, shuffle=True,
                        generator=ourdl.Generator().manual_seed(9))
    optimizer = ourdl.optim.Adam(model.parameters(), lr=0.01)
    scheduler = ourdl.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

    def report(epoch, record):
        if snapshots is not None:
            snapshots.mkdir(exist_ok=True)
            shutil.copyfile(folder / "last.safetensors", snapshots / f"epoch-{epoch}.safetensors")
        print(f"epoch {epoch}", flush=True)

    print("ready", flush=True)
    fit(model, nn.CrossEntropyLoss(), optimizer, loader, epochs=epochs, scheduler=scheduler, checkpoint_dir=folder,
        resume=True, progress=False, seed=123, callbacks=[report])
    ourdl.save(model.state_dict(), folder / "final.safetensors")
    print("done", flush=True)


def save_forever(path: Path, start: int) -> None:
    model = nn.Linear(1000, 1000)
    print("ready", flush=True)
    for i in range(start, sys.maxsize):
        with ourdl.no_grad():
            for parameter in model.parameters():
                parameter.fill_(i)
        save_checkpoint(path, model=model, epoch=i)
        print(f"saved {i}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "train":
        train(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]) if len(sys.argv) > 4 else None)
    else:
        save_forever(Path(sys.argv[2]), int(sys.argv[3]))
