"""Sparse gradients, side by side with PyTorch: ``nn.Embedding(sparse=True)``'s gradient is sparse (stored dense),
stays sparse when added to another sparse one, turns dense when added to a dense one, has PyTorch's coalesced
indices and values, and the optimisers PyTorch makes refuse it refuse it with its type and words."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, torch

WEIGHT = np.arange(10, dtype=np.float32).reshape(5, 2) / 10


def tables(**options):
    return (ourdl.nn.Embedding(5, 2, sparse=True, _weight=ourdl.tensor(WEIGHT), **options),
            torch.nn.Embedding(5, 2, sparse=True, _weight=torch.tensor(WEIGHT), **options))


def same_sparse(ours, theirs):
    assert ours.is_sparse == theirs.is_sparse
    if theirs.is_sparse:
        theirs = theirs.coalesce()
        assert np.array_equal(ours.coalesce()._indices().numpy(), theirs._indices().numpy())
        assert_same(ours.coalesce()._values(), theirs._values())
        assert ours.is_coalesced() and theirs.is_coalesced()
    assert_same(ours.to_dense(), theirs.to_dense())
    assert not ours.to_dense().is_sparse


@pytest.mark.parametrize("lookups", [[[1, 1, 3]], [[1, 1, 3], [0]], [[4], [4, 2]], [[]]])
@pytest.mark.parametrize("padding_idx", [None, 1])
def test_sparse_gradients_accumulate_as_pytorchs(lookups, padding_idx):
    ours, theirs = tables(padding_idx=padding_idx)
    for rows in lookups:
        (ours(ourdl.tensor(rows, dtype=ourdl.int64)) * 3).sum().backward()
        (theirs(torch.tensor(rows, dtype=torch.int64)) * 3).sum().backward()
        same_sparse(ours.weight.grad, theirs.weight.grad)


@pytest.mark.parametrize("dense_first", [True, False])
def test_a_dense_gradient_added_makes_it_dense(dense_first):
    for table, lib in zip(tables(), (ourdl, torch)):
        steps = [lambda: table(lib.tensor([2])).sum().backward(), lambda: (table.weight * 2).sum().backward()]
        for step in (steps[::-1] if dense_first else steps):
            step()
        assert not table.weight.grad.is_sparse
    ours, theirs = tables()
    assert_same(ours(ourdl.tensor([0])).sum() + (ours.weight * 2).sum(), theirs(torch.tensor([0])).sum() +
                (theirs.weight * 2).sum())


def test_two_lookups_in_one_graph_give_one_sparse_gradient():
    ours, theirs = tables()
    (ours(ourdl.tensor([0])) * ours(ourdl.tensor([3]))).sum().backward()
    (theirs(torch.tensor([0])) * theirs(torch.tensor([3]))).sum().backward()
    same_sparse(ours.weight.grad, theirs.weight.grad)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_an_embedding_bag_gives_a_sparse_gradient_as_pytorchs(mode):
    grads = []
    for lib in (ourdl, torch):
        bag = lib.nn.EmbeddingBag(5, 2, mode=mode, sparse=True, padding_idx=0, _weight=lib.tensor(WEIGHT))
        if mode == "max":
            with pytest.raises(ValueError, match="^max mode does not support sparse weights$"):
                bag(lib.tensor([[1, 0, 3], [3, 3, 4]]))
            continue
        bag(lib.tensor([[1, 0, 3], [3, 3, 4]])).sum().backward()
        grads.append(bag.weight.grad)
    if grads:
        same_sparse(*grads)


def test_zeroing_keeps_a_sparse_gradient_sparse_with_no_rows():
    for clear in (lambda t, o: o.zero_grad(set_to_none=False), lambda t, o: t.weight.grad.zero_()):
        pair = tables()
        for table, lib in zip(pair, (ourdl, torch)):
            table(lib.tensor([1, 2])).sum().backward()
            clear(table, lib.optim.SGD(table.parameters(), lr=0.1))
        same_sparse(pair[0].weight.grad, pair[1].weight.grad)


def test_dense_tensors_have_no_indices_as_pytorch():
    for lib in (ourdl, torch):
        t = lib.ones(2)
        assert not t.is_sparse and t.to_dense() is t
        for method, error in (("coalesce", RuntimeError), ("is_coalesced", RuntimeError),
                              ("_indices", NotImplementedError), ("_values", NotImplementedError)):
            with pytest.raises(error):
                getattr(t, method)()


OPTIMISERS = [("SGD", {}), ("SGD", dict(momentum=0.9)), ("SGD", dict(momentum=0.9, nesterov=True)),
              ("SGD", dict(weight_decay=0.1)), ("Adagrad", {}), ("Adagrad", dict(weight_decay=0.1)),
              ("Adagrad", dict(lr_decay=0.1)), ("Adam", {}), ("AdamW", {}), ("Adam", dict(amsgrad=True)),
              ("RMSprop", {}), ("SparseAdam", {})]


@pytest.mark.parametrize(("name", "options"), OPTIMISERS)
def test_optimisers_take_or_refuse_a_sparse_gradient_as_pytorchs(name, options):
    ours, theirs = tables()
    optimisers = [getattr(lib.optim, name)(table.parameters(), lr=0.1, **options)
                  for lib, table in ((ourdl, ours), (torch, theirs))]
    for step, rows in enumerate(([1, 1, 3], [0, 3], [2])):
        errors = []
        for lib, table, optimiser in zip((ourdl, torch), (ours, theirs), optimisers):
            optimiser.zero_grad()
            (table(lib.tensor(rows)) ** 2).sum().backward()
            try:
                optimiser.step()
                errors.append(None)
            except RuntimeError as error:
                errors.append(str(error))
        assert errors[0] == errors[1]
        if errors[0] is not None:
            return
        assert_same(ours.weight, theirs.weight, rtol=1e-5, atol=1e-6)


def test_sparse_adam_refuses_a_dense_gradient_as_pytorch():
    errors = []
    for lib in (ourdl, torch):
        w = lib.nn.Parameter(lib.zeros(2, 1))
        w.grad = lib.ones(2, 1)
        with pytest.raises(RuntimeError) as raised:
            lib.optim.SparseAdam([w]).step()
        errors.append(str(raised.value))
    assert errors[0] == errors[1] == "SparseAdam does not support dense gradients, please consider Adam instead"
