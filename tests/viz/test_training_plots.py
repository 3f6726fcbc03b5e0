"""Learning curves, confusion matrix, decision boundary and sample grids."""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion

from ourdl.data import moons
from ourdl.train import History
from ourdl.viz import confusion_matrix, plot_confusion_matrix, plot_decision_boundary, plot_history, plot_samples


def test_confusion_matrix_matches_sklearn():
    rng = np.random.default_rng(0)
    labels, predictions = rng.integers(0, 7, 500), rng.integers(0, 7, 500)
    np.testing.assert_array_equal(confusion_matrix(labels, predictions), sklearn_confusion(labels, predictions))
    assert confusion_matrix([0], [0], classes=3).shape == (3, 3)


def test_confusion_plot_counts_and_accuracy():
    fig = plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], class_names=["a", "b", "c"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "0", "0", "1", "1", "0", "0", "1"]
    assert "accuracy 75.00%" in ax.get_title()


def test_history_from_fit_records():
    history = History()
    for epoch, (train, val, acc) in enumerate([(1.0, 1.2, 0.5), (0.6, 0.8, 0.7)], start=1):
        history.append({"epoch": epoch, "train_loss": train, "val_loss": val, "val_accuracy": acc, "lr": 0.1,
                        "seconds": 0.2})
    fig = plot_history(history)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    train_line, val_line = fig.axes[0].get_lines()
    assert list(train_line.get_ydata()) == [1.0, 0.6] and list(val_line.get_ydata()) == [1.2, 0.8]
    with pytest.raises(TypeError, match="expected a History"):
        plot_history([1, 2])


def test_decision_boundary_regions_follow_the_model():
    data = moons(n=100, seed=0)
    fig = plot_decision_boundary(lambda x: x[:, :1] - 0.5, data, resolution=50)
    points, labels = (t.numpy() for t in data.tensors)
    expected = ((points[:, 0] > 0.5) == labels).mean()
    assert f"accuracy {expected:.2%}" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="needs 2-D points"):
        plot_decision_boundary(lambda x: x, (np.zeros((4, 3)), np.zeros(4)))


def test_samples_marked_right_and_wrong():
    fig = plot_samples(np.zeros((2, 8, 8)), [3, 4], [3, 5], class_names=[str(i) for i in range(10)])
    colours = [ax.title.get_color() for ax in fig.axes]
    assert colours == ["#16a34a", "#dc2626"]
    with pytest.raises(ValueError, match="square images"):
        plot_samples(np.zeros((2, 10)), [0, 1])


@pytest.mark.parametrize("epochs", [1, 2, 3, 7, 20, 150])
def test_epoch_ticks_are_whole_numbers(epochs):
    fig = plot_history({"train_loss": list(np.linspace(1, 0.1, epochs))})
    fig.canvas.draw()
    ticks = [t for t in fig.axes[0].get_xticks() if fig.axes[0].get_xlim()[0] <= t <= fig.axes[0].get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks


def test_a_long_title_is_not_clipped():
    fig = plot_decision_boundary(lambda x: x[:, :1] - 0.5, moons(n=50), title="MLP 2-32-32-2 (tanh) on two spirals")
    fig.canvas.draw()
    title = fig.axes[0].title.get_window_extent()
    assert title.x0 >= 0 and title.x1 <= fig.bbox.width
