"""Synthetic datasets, Digits and CSVDataset."""

import numpy as np
import pytest

import ourdl
from ourdl.data import CSVDataset, Digits, circles, gaussians, moons, quadratic, sine, spirals, xor

CLASSIFICATION = [moons, circles, xor, gaussians, spirals]


@pytest.mark.parametrize("make", CLASSIFICATION + [quadratic, sine])
def test_synthetic_sets_are_seeded_and_shaped(make):
    x, y = make(n=101, seed=4).tensors
    x2, y2 = make(n=101, seed=4).tensors
    x3, _ = make(n=101, seed=5).tensors
    np.testing.assert_array_equal(x.numpy(), x2.numpy())
    np.testing.assert_array_equal(y.numpy(), y2.numpy())
    assert not np.array_equal(x.numpy(), x3.numpy())
    assert x.dtype == ourdl.float32 and x.shape[0] == 101
    state = ourdl.get_rng_state()
    make(n=5)
    assert ourdl.get_rng_state() == state, "synthetic sets use their own generator"


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_sets_have_two_balanced_classes(make):
    x, y = make(n=200, seed=0).tensors
    assert tuple(x.shape) == (200, 2) and y.dtype == ourdl.int64
    assert np.bincount(y.numpy()).tolist() == [100, 100]


def test_noise_free_sets_follow_their_formula():
    x, y = quadratic(n=50, seed=1).tensors
    assert x.numpy().min() >= 0 and x.numpy().max() <= 2
    np.testing.assert_allclose(y.numpy(), x.numpy() ** 2, rtol=1e-6)
    x, y = sine(n=50, seed=1).tensors
    np.testing.assert_allclose(y.numpy(), np.sin(x.numpy()), atol=1e-6)
    x, y = circles(n=40, noise=0.0, factor=0.3).tensors
    radius = np.hypot(*x.numpy().T)
    np.testing.assert_allclose(radius, np.where(y.numpy() == 0, 1.0, 0.3), rtol=1e-6)
    x, y = xor(n=40, noise=0.0).tensors
    np.testing.assert_array_equal(y.numpy(), (x.numpy()[:, 0] * x.numpy()[:, 1] < 0).astype(np.int64))


def test_noise_changes_the_points():
    assert not np.allclose(quadratic(n=20, noise=0.1).tensors[1].numpy(), quadratic(n=20).tensors[1].numpy())


def test_bad_n_is_refused():
    with pytest.raises(ValueError, match="moons: n should be a positive integer"):
        moons(n=0)


def test_digits_split_is_fixed_and_disjoint():
    pytest.importorskip("sklearn")
    from sklearn.datasets import load_digits

    train, test = Digits(), Digits(train=False, normalize=False, flatten=False)
    assert (len(train), len(test)) == (1437, 360)
    assert tuple(test[0][0].shape) == (1, 8, 8)
    bunch = load_digits()
    np.testing.assert_array_equal(test.tensors[0].numpy().reshape(360, 64), bunch.data[::5])
    np.testing.assert_array_equal(train.targets.numpy(), np.delete(bunch.target, np.s_[::5]))
    assert 0 <= train.tensors[0].numpy().min() and train.tensors[0].numpy().max() == 1.0


def test_digits_without_scikit_learn_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        Digits()


def _csv(tmp_path, text):
    path = tmp_path / "table.csv"
    path.write_text(text)
    return path


def test_csv_features_and_targets(tmp_path):
    path = _csv(tmp_path, "a,b,label,price\n1,2,0,1.5\n3,4,2,2.5\n\n")
    ds = CSVDataset(path, target="label")
    x, y = ds.tensors
    np.testing.assert_array_equal(x.numpy(), [[1, 2, 1.5], [3, 4, 2.5]])
    assert y.dtype == ourdl.int64 and y.tolist() == [0, 2]
    ds = CSVDataset(path, target="price", features=["b"])
    assert ds.tensors[1].dtype == ourdl.float32 and tuple(ds.tensors[0].shape) == (2, 1)
    assert CSVDataset(path, target="label", target_dtype="float32").tensors[1].dtype == ourdl.float32


def test_csv_errors_name_the_problem(tmp_path):
    path = _csv(tmp_path, "a,b,label\n1,2,0\n3,x,1\n")
    with pytest.raises(KeyError, match="no column 'target'"):
        CSVDataset(path, target="target")
    with pytest.raises(ValueError, match=r"line 3, column 'b': 'x' is not a number"):
        CSVDataset(path, target="label")
    with pytest.raises(ValueError, match="line 2 has 2 fields"):
        CSVDataset(_csv(tmp_path, "a,b,c\n1,2\n"), target="c")
