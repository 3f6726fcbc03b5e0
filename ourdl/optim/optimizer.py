"""``Optimizer``: parameter groups, per-parameter state, ``zero_grad`` and PyTorch's ``state_dict`` layout.

A subclass implements ``_update(group, param, grad, state)``, which changes
``param._data`` in place with NumPy ufuncs (``out=``): the parameters keep
their arrays, so nothing else that holds them (a model, a view) goes stale.

>>> import ourdl
>>> from ourdl import nn, optim
>>> model = nn.Linear(2, 1)
>>> opt = optim.SGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.5}], lr=0.1)
>>> [g["lr"] for g in opt.param_groups]
[0.1, 0.5]
"""

from __future__ import annotations

import copy
from collections import defaultdict

import numpy as np

from ..grad_mode import enable_grad
from ..kernels import background_loop
from ..nn.module import clear_grads
from ..nn.module_state import state_array
from ..sparse_rows import rows_of
from ..tensor import Tensor

_REQUIRED = object()


def _axpy_numpy(x: np.ndarray, alpha, y: np.ndarray) -> None:
    y += alpha * x


@background_loop(["void(float32[::1], float32, float32[::1])", "void(float64[::1], float64, float64[::1])"],
                 _axpy_numpy)
def _axpy_loop(x, alpha, y):
    """y += alpha x in one pass, each element's product and sum rounded as NumPy's two passes round them."""
    for i in range(y.size):
        y[i] += alpha * x[i]


def axpy(alpha: float, x: np.ndarray, y: np.ndarray) -> None:
    """``y += alpha * x`` in place: one compiled pass over contiguous float arrays of one dtype (NumPy's ``alpha * x``
    then ``+=`` is two passes and a temporary: a sixth of an MLP's SGD epoch at batch 32), NumPy otherwise.

    SciPy's BLAS ``axpy`` would do the same, but it brings a second OpenBLAS thread pool that spins against
    NumPy's on the same cores: a training epoch on two threads ran 12 times slower with it.

    >>> y = np.ones(3); axpy(2.0, np.arange(3.0), y); y
    array([1., 3., 5.])
    """
    dtype = y.dtype
    if (type(alpha) in (int, float) and type(x) is np.ndarray and type(y) is np.ndarray and x.dtype == dtype
            and x.shape == y.shape
            and dtype in _LOOP_TYPES and x.flags.c_contiguous and y.flags.c_contiguous):
        _axpy_loop(x.reshape(-1), dtype.type(alpha), y.reshape(-1))
    else:
        _axpy_numpy(x, alpha, y)


_LOOP_TYPES = (np.dtype(np.float32), np.dtype(np.float64))


class Optimizer:
    """Base class: ``step()`` updates every parameter that has a gradient, group by group.

    ``params`` is an iterable of tensors or of dicts (parameter groups) with a ``"params"``
    entry and per-group options overriding ``defaults``.

    A new optimiser subclasses it and defines ``_update``, changing ``param`` in place:

    >>> import ourdl
    >>> from ourdl import nn
    >>> class SignDescent(Optimizer):
    ...     def __init__(self, params, lr=0.1):
    ...         super().__init__(params, dict(lr=lr))
    ...     def _update(self, group, param, grad, state):
    ...         param -= group["lr"] * np.sign(grad)
    >>> w = nn.Parameter(ourdl.tensor([1.0, 1.0])); w.grad = ourdl.tensor([3.0, -0.5])
    >>> SignDescent([w]).step(); w.tolist()
    [0.8999999761581421, 1.100000023841858]
    """

    def __init__(self, params, defaults: dict):
        self.defaults = defaults
        self.state: dict = defaultdict(dict)
        self.param_groups: list = []
        self._scratch: dict = {}
        if isinstance(params, (Tensor, set)):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts "
                            "in an ordered collection (the order of a set changes between runs), "
                            f"but got {type(params).__name__}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own options (e.g. a smaller ``lr`` for a pretrained part)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        params = list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        group = dict(param_group, params=params)
        for name, default in self.defaults.items():
            if default is _REQUIRED and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            group.setdefault(name, default)
        if len({id(p) for p in params}) != len(params):
            raise ValueError("optimizer contains a parameter group with duplicate parameters")
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if existing & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)
        self._init_group_state(group)

    def _init_group_state(self, group: dict) -> None:
        """Create state that must exist before the first step (Adagrad's accumulator); none by default."""

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: ``None`` (default), or zeros in place."""
        clear_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure=None):
        """One update of every parameter with a gradient; ``closure`` (re-computes and returns the loss) is optional."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad._data
                refusal = self._gradient_refusal(group, rows_of(grad) is not None)
                if refusal is not None:
                    raise RuntimeError(refusal)
                self._update(group, p._data, grad, self.state[p])
                p._version.value += 1
        return loss

    def _gradient_refusal(self, group: dict, sparse: bool) -> str | None:
        """PyTorch's words when this optimiser, with ``group``'s options, refuses a gradient that is ``sparse``
        (``nn.Embedding(sparse=True)``'s) or dense; None when it takes it, as by default."""
        return None

    def _update(self, group: dict, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        raise NotImplementedError

    def _buffer(self, like: np.ndarray, slot: int = 0) -> np.ndarray:
        """A work array shaped like ``like``, reused from step to step (not part of the state)."""
        key = (like.shape, like.dtype.str, slot)
        buf = self._scratch.get(key)
        if buf is None:
            buf = self._scratch[key] = np.empty_like(like)
        return buf

    def _direction(self, group: dict, param: np.ndarray, grad: np.ndarray, decay: bool = True) -> np.ndarray:
        """The gradient with ``maximize`` and L2 ``weight_decay`` applied, in a work array when either is set."""
        weight_decay = group.get("weight_decay", 0) if decay else 0
        if not (group.get("maximize") or weight_decay):
            return grad
        out = self._buffer(param, 1)
        if group.get("maximize"):
            np.negative(grad, out=out)
        else:
            np.copyto(out, grad)
        if weight_decay:
            axpy(weight_decay, param, out)
        return out

    # -- saving and restoring -------------------------------------------------------------
    def state_dict(self) -> dict:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``, PyTorch's layout.

        Parameters are numbered in the order of the groups; state tensors are ourdl tensors
        (copies), ``step`` counts are numbers.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state and self.state[p]:
                    state[index[id(p)]] = {k: _copy_value(v) for k, v in self.state[p].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what ``state_dict`` returned (also one whose tensors are NumPy arrays or PyTorch tensors)."""
        missing = [key for key in ("state", "param_groups") if key not in state_dict]
        if missing:  # PyTorch's KeyError, with what an optimizer's state dict holds
            raise KeyError(f"{type(self).__name__}.load_state_dict: the state dict has no {' or '.join(map(repr, missing))}; "
                           f"an optimizer's state_dict() holds 'state' and 'param_groups', got keys {sorted(state_dict)}")
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"loaded state dict has a different number of parameter groups ({len(groups)}) than "
                             f"the optimizer ({len(self.param_groups)})")
        for i, (saved, own) in enumerate(zip(groups, self.param_groups)):
            absent = [name for name in own if name not in saved]
            if absent:  # another optimiser's state (SGD's into Adam) would step with its settings, or fail later
                raise ValueError(f"{type(self).__name__}.load_state_dict: parameter group {i} of the loaded state "
                                 f"dict has no {', '.join(map(repr, absent))}: it was saved from another kind of "
                                 f"optimizer (it holds {', '.join(sorted(k for k in saved if k != 'params'))})")
            if len(saved["params"]) != len(own["params"]):
                raise ValueError(f"loaded state dict contains a parameter group that doesn't match the size of "
                                 f"optimizer's group: group {i} has {len(saved['params'])} parameters in the state "
                                 f"dict and {len(own['params'])} in the optimizer")
        by_index = {}
        for saved, own in zip(groups, self.param_groups):
            by_index.update(zip(saved["params"], own["params"]))
        self.state = defaultdict(dict)
        self._scratch = {}
        for key, values in state_dict["state"].items():
            param = by_index.get(int(key))
            if param is None:
                continue
            self.state[param] = {name: _restore_value(name, value, param) for name, value in values.items()}
        for saved, own in zip(groups, self.param_groups):
            own.update({k: copy.deepcopy(v) for k, v in saved.items() if k != "params"})

    def __repr__(self) -> str:
        lines = [type(self).__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        return "\n".join(lines) + "\n)"


def _copy_value(value):
    if isinstance(value, np.ndarray):
        return Tensor._make(value.copy())
    return value


def _restore_value(name: str, value, param: Tensor):
    if name == "step":
        return int(float(value))
    if value is None:
        return None
    array = np.array(state_array(value))
    if array.dtype.kind == "f":
        array = array.astype(param._data.dtype)
    return array
