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
    except (KeyError, json.JSONDecodeError, RecursionError) as error:
        raise CheckpointError(f"{path}: a safetensors file but not an ourdl checkpoint (no readable '{FORMAT}' "
                              "metadata); load plain weights with ourdl.io.load") from error
    state = _parts(path, header, tensors)
    for part, owner in zip(PARTS, (model, optimizer, scheduler)):
        if owner is not None and part not in state:
            raise CheckpointError(f"{path}: the checkpoint holds no {part} state (it has {', '.join(p for p in PARTS if p in state) or 'none'})")
    restored = []  # (owner, its state before): put back if a later part does not fit, so that nothing changes
    try:
        for part, owner in zip(PARTS, (model, optimizer, scheduler)):
            if owner is None:
                continue
            before = _copy(owner.state_dict())
            if part == "model":
                try:
                    owner.load_state_dict(state[part], strict=strict)
                except RuntimeError as error:
                    raise RuntimeError(f"{path}: the checkpoint does not fit the model: {error}") from error
            else:
                owner.load_state_dict(state[part])
            restored.append((owner, before))
        if restore_rng:
            set_rng_state(state["rng_state"])
    except Exception:
        for owner, before in reversed(restored):
            owner.load_state_dict(before)
        raise
    return state


def _parts(path, header, tensors) -> dict:
    """The checkpoint's contents from its JSON header, after checking that it is one this version reads."""
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        found = header.get("format") if isinstance(header, dict) else type(header).__name__
        raise CheckpointError(f"{path}: its metadata claims format {found!r}, not {FORMAT!r}")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise CheckpointError(f"{path}: checkpoint version {version!r}; this ourdl reads versions 1 to {VERSION} "
                              "(saved by a newer ourdl?)")
    try:
        state = {key: value for key, value in header.items() if key not in PARTS and key != "extra"}
        state["extra"] = unflatten(header.get("extra"), tensors)
        for part in PARTS:
            if part in header:
                state[part] = unflatten(header[part], tensors)
    except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as error:
        raise CheckpointError(f"{path}: malformed checkpoint metadata ({type(error).__name__}: {error})") from error
    return state


def _copy(state):
    """A copy of a state dict whose tensors no later change of the owner reaches."""
    found, tree = flatten(state, "")
    return unflatten(tree, {name: array.copy() for name, array in found.items()})
