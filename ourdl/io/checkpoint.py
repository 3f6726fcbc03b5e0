"""Training checkpoints: model, optimiser and scheduler state, epoch and random state, in one safetensors file.

Tensors (weights, optimiser buffers) are safetensors tensors named ``model.<key>``,
``optimizer.<path>``, ``scheduler.<path>``; everything else (hyper-parameters, step
counts, the epoch, the random generator's state, your ``extra`` values) is JSON in the
file's metadata. Saving is atomic (see :func:`ourdl.io.save`); loading runs no code.

>>> import os, tempfile, ourdl
>>> from ourdl import nn
>>> path = os.path.join(tempfile.mkdtemp(), "ckpt.safetensors")
>>> model = nn.Linear(2, 1)
>>> save_checkpoint(path, model=model, epoch=3, extra={"note": "first try"})
>>> state = load_checkpoint(path, model=nn.Linear(2, 1))
>>> state["epoch"], state["extra"]
(3, {'note': 'first try'})
"""

from __future__ import annotations

import json

from ..ops.random import get_rng_state, set_rng_state
from .state_tree import flatten, unflatten
from .weights import CheckpointError, read, save

FORMAT = "ourdl-checkpoint"
VERSION = 1
PARTS = ("model", "optimizer", "scheduler")


def save_checkpoint(path, model=None, optimizer=None, scheduler=None, epoch: int | None = None, extra=None) -> None:
    """Save the state of whatever is given, plus the epoch, ``extra`` and the global random state, to ``path``.

    ``extra`` may hold numbers, strings, lists, dicts and tensors (e.g. a history, a data
    loader's generator state).

    >>> import os, tempfile, ourdl
    >>> from ourdl import nn
    >>> model = nn.Linear(2, 1)
    >>> optimizer = ourdl.optim.Adam(model.parameters())
    >>> save_checkpoint(os.path.join(tempfile.mkdtemp(), "c.safetensors"), model=model, optimizer=optimizer, epoch=1)
    """
    tensors, trees = {}, {}
    for part, owner in zip(PARTS, (model, optimizer, scheduler)):
        if owner is not None:
            found, trees[part] = flatten(owner.state_dict(), part)
            tensors.update(found)
    found, trees["extra"] = flatten(extra, "extra")
    tensors.update(found)
    header = {"format": FORMAT, "version": VERSION, "epoch": epoch, "rng_state": get_rng_state(), **trees}
    save(tensors, path, metadata={FORMAT: json.dumps(header)})


def load_checkpoint(path, model=None, optimizer=None, scheduler=None, strict: bool = True,
                    restore_rng: bool = True) -> dict:
    """Restore into ``model``, ``optimizer`` and ``scheduler`` what :func:`save_checkpoint` saved at ``path``.

    With ``restore_rng`` the global random generator continues where it was when the
    checkpoint was saved. Returns the whole checkpoint as a dict (``epoch``, ``extra``,
    ``model``/``optimizer``/``scheduler`` state dicts, ``rng_state``). A checkpoint of another
    model raises an error naming every missing, unexpected and mis-shaped key, before
    anything is changed; a corrupt file raises :class:`CheckpointError` naming it.

    >>> import os, tempfile
    >>> from ourdl import nn
    >>> path = os.path.join(tempfile.mkdtemp(), "c.safetensors")
    >>> save_checkpoint(path, model=nn.Linear(2, 1), epoch=5)
    >>> load_checkpoint(path, model=nn.Linear(2, 1))["epoch"]
    5
    """
    tensors, metadata = read(path)
    try:
        header = json.loads(metadata[FORMAT])
    except (KeyError, json.JSONDecodeError) as error:
        raise CheckpointError(f"{path}: a safetensors file but not an ourdl checkpoint (no readable '{FORMAT}' "
                              "metadata); load plain weights with ourdl.io.load") from error
    state = {key: value for key, value in header.items() if key not in PARTS and key != "extra"}
    state["extra"] = unflatten(header["extra"], tensors)
    for part in PARTS:
        if part in header:
            state[part] = unflatten(header[part], tensors)
    for part, owner in zip(PARTS, (model, optimizer, scheduler)):
        if owner is not None and part not in state:
            raise CheckpointError(f"{path}: the checkpoint holds no {part} state (it has {', '.join(p for p in PARTS if p in state) or 'none'})")
    if model is not None:
        try:
            model.load_state_dict(state["model"], strict=strict)
        except RuntimeError as error:
            raise RuntimeError(f"{path}: the checkpoint does not fit the model: {error}") from error
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    if restore_rng:
        set_rng_state(state["rng_state"])
    return state
