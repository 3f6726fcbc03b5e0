"""IDX files and MNIST/Fashion-MNIST: reading, the system's Fashion-MNIST files, transforms, downloading from a
local server, bad files."""

import contextlib
import functools
import gzip
import http.server
import os
import threading
from pathlib import Path

import numpy as np
import pytest

import ourdl
from ourdl.data import MNIST, DataLoader, DownloadError, FashionMNIST, IDXError, read_idx, write_idx
from ourdl.data import transforms as T
from ourdl.data.files import file_digest

SYSTEM = FashionMNIST.system_folders[0]
HAS_SYSTEM_FILES = all(os.path.exists(f"{SYSTEM}/{name}") for name in (
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))

FILES = {"train-images-idx3-ubyte.gz": (6, 28, 28), "train-labels-idx1-ubyte.gz": (6,),
         "t10k-images-idx3-ubyte.gz": (4, 28, 28), "t10k-labels-idx1-ubyte.gz": (4,)}


def _write_set(folder):
    """Small MNIST-shaped IDX files in ``folder``; returns their SHA-256 checksums."""
    rng = np.random.default_rng(0)
    for name, shape in FILES.items():
        high = 10 if "labels" in name else 256
        write_idx(folder / name, rng.integers(0, high, shape).astype(np.uint8))
    return {name: "sha256:" + file_digest(folder / name) for name in FILES}


@contextlib.contextmanager
def _serve(folder, handler_class=None):
    handler = functools.partial(handler_class or _QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _CutShortHandler(_QuietHandler):
    """Announces a file's full length, sends half of it and closes: a download interrupted mid-file."""

    def do_GET(self):
        body = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("name", ["a-idx", "a-idx.gz"])
def test_idx_round_trip(tmp_path, dtype, name):
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    write_idx(tmp_path / name, array)
    back = read_idx(tmp_path / name)
    assert back.dtype == dtype
    np.testing.assert_array_equal(back, array)


def test_idx_header_is_the_published_format(tmp_path):
    write_idx(tmp_path / "l", np.array([7, 2], dtype=np.uint8))
    assert (tmp_path / "l").read_bytes() == bytes.fromhex("00000801 00000002 0702")


def test_corrupt_header_names_the_file(tmp_path):
    path = tmp_path / "bad-idx1-ubyte"
    path.write_bytes(b"\x12\x34\x08\x01\x00\x00\x00\x01\x05")
    with pytest.raises(IDXError, match="bad-idx1-ubyte: not an IDX file"):
        read_idx(path)


@pytest.mark.parametrize("name", ["cut-idx3-ubyte", "cut-idx3-ubyte.gz"])
def test_truncated_file_names_the_file(tmp_path, name):
    write_idx(tmp_path / "full", np.zeros((3, 28, 28), np.uint8), compress=False)
    raw = (tmp_path / "full").read_bytes()[:-100]
    (tmp_path / name).write_bytes(gzip.compress(raw) if name.endswith(".gz") else raw)
    with pytest.raises(IDXError, match=f"{name}: IDX file is truncated"):
        read_idx(tmp_path / name)


def test_truncated_gzip_stream_names_the_file(tmp_path):
    write_idx(tmp_path / "x.gz", np.zeros((50, 28, 28), np.uint8))
    (tmp_path / "y.gz").write_bytes((tmp_path / "x.gz").read_bytes()[:-20])
    with pytest.raises(IDXError, match="y.gz: corrupt or truncated gzip"):
        read_idx(tmp_path / "y.gz")


def test_mnist_reads_a_folder(tmp_path):
    _write_set(tmp_path / "MNIST" / "raw")
    train, test = MNIST(tmp_path), MNIST(tmp_path, train=False, flatten=True)
    assert len(train) == 6 and len(test) == 4
    image, label = train[0]
    assert tuple(image.shape) == (1, 28, 28) and image.dtype == ourdl.float32 and label.dtype == ourdl.int64
    assert tuple(test[0][0].shape) == (784,)
    raw = read_idx(tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte.gz")
    np.testing.assert_allclose(train.tensors[0].numpy()[:, 0], raw / 255, rtol=1e-6)


def test_missing_files_say_where_it_looked_and_how_to_install_them(tmp_path, monkeypatch):
    monkeypatch.setattr(FashionMNIST, "system_folders", (str(tmp_path / "system"),))
    with pytest.raises(FileNotFoundError) as info:
        FashionMNIST(tmp_path)
    message = str(info.value)
    assert f"looked in {tmp_path}/FashionMNIST/raw, {tmp_path}/system" in message
    assert "apt-get install dataset-fashion-mnist" in message and "download=True" in message
    assert f"put them in {tmp_path}/FashionMNIST/raw" in message
    with pytest.raises(FileNotFoundError, match=r"looked in .*/system\. Install Debian's package"):
        FashionMNIST()
    with pytest.raises(FileNotFoundError, match="looked in nowhere"):
        MNIST()
    with pytest.raises(ValueError, match="download=True needs root="):
        MNIST(download=True)


def test_lookup_order_root_first_then_the_system_folder(tmp_path, monkeypatch):
    system, mine = tmp_path / "system", tmp_path / "mine"
    _write_set(system)
    monkeypatch.setattr(FashionMNIST, "system_folders", (str(system),))
    assert FashionMNIST().raw_folder == system
    assert FashionMNIST(mine).raw_folder == system and len(FashionMNIST(mine, train=False)) == 4  # root lacks them
    write_idx(mine / "FashionMNIST" / "raw" / "train-images-idx3-ubyte", np.zeros((2, 28, 28), np.uint8))
    write_idx(mine / "FashionMNIST" / "raw" / "train-labels-idx1-ubyte", np.zeros(2, np.uint8))
    ds = FashionMNIST(mine)
    assert ds.raw_folder == mine / "FashionMNIST" / "raw" and len(ds) == 2
    assert FashionMNIST(mine, train=False).raw_folder == system     # the test split is only in the system folder


@pytest.mark.skipif(not HAS_SYSTEM_FILES and os.environ.get("CI") != "true",
                    reason="Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)")
def test_the_real_fashion_mnist_from_the_system_package():
    train, test = FashionMNIST(), FashionMNIST(train=False)    # under CI a missing package fails here
    assert str(train.raw_folder) == SYSTEM
    assert (len(train), len(test)) == (60000, 10000)
    np.testing.assert_array_equal(np.bincount(train.targets.numpy()), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(test.targets.numpy()), [1000] * 10)
    assert tuple(train.data.shape) == (60000, 28, 28) and train.data.dtype == ourdl.uint8
    # the standard set's statistics (the values every Fashion-MNIST tutorial normalises with)
    assert train.tensors[0].numpy().mean() == pytest.approx(0.2860, abs=1e-4)
    assert train.tensors[0].numpy().std() == pytest.approx(0.3530, abs=1e-4)
    assert int(train.targets[0]) == 9 and int(test.targets[0]) == 9    # the first images are ankle boots


def _fashion_root(tmp_path, monkeypatch):
    """The real files when installed, generated ones otherwise."""
    if HAS_SYSTEM_FILES:
        return None
    monkeypatch.setattr(FashionMNIST, "system_folders", (str(tmp_path),))
    _write_set(tmp_path)
    return None


def test_transforms_are_applied_per_item_as_torchvision(tmp_path, monkeypatch):
    _fashion_root(tmp_path, monkeypatch)
    plain = FashionMNIST(train=False)
    ds = FashionMNIST(train=False, transform=T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.5,))]),
                      target_transform=T.Lambda(lambda y: y + 100))
    image, label = ds[3]
    assert tuple(image.shape) == (1, 28, 28) and isinstance(label, int)
    assert label == int(plain.targets[3]) + 100
    np.testing.assert_allclose(image.numpy(), (plain[3][0].numpy() - 0.5) / 0.5, rtol=1e-6, atol=1e-6)
    seen = []
    ds = FashionMNIST(train=False, transform=T.Lambda(lambda img: seen.append(img) or T.ToTensor()(img)))
    ds[0]
    assert seen[0].dtype == np.uint8 and seen[0].shape == (28, 28)   # the raw image, as torchvision's PIL image
    assert tuple(FashionMNIST(train=False, transform=T.ToTensor(), flatten=True)[0][0].shape) == (784,)
    only_target = FashionMNIST(train=False, target_transform=float)
    np.testing.assert_array_equal(only_target[1][0].numpy(), plain[1][0].numpy())
    assert only_target[1][1] == float(plain.targets[1])


def test_loader_slices_batches_without_transforms_and_collates_items_with_them(tmp_path, monkeypatch):
    _fashion_root(tmp_path, monkeypatch)
    plain = FashionMNIST(train=False)
    transformed = FashionMNIST(train=False, transform=T.ToTensor())
    assert plain.batches_by_slicing and not transformed.batches_by_slicing
    (a, ya), (b, yb) = next(iter(DataLoader(plain, batch_size=4))), next(iter(DataLoader(transformed, batch_size=4)))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_array_equal(ya.numpy(), yb.numpy())


def test_download_from_local_mirror_and_checksum_failure_falls_through(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    checksums = _write_set(good)
    bad.mkdir()
    for name in FILES:  # same names, wrong bytes: their checksums fail
        (bad / name).write_bytes((good / name).read_bytes()[:-1] + b"\x00")
    root = tmp_path / "data"
    with _serve(bad) as bad_url, _serve(good) as good_url:
        ds = MNIST(root, download=True, mirrors=["http://127.0.0.1:9/", bad_url, good_url], checksums=checksums, timeout=5)
    assert len(ds) == 6
    for name in FILES:
        assert (root / "MNIST" / "raw" / name).read_bytes() == (good / name).read_bytes()
    assert not [p for p in (root / "MNIST" / "raw").iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("dataset", [MNIST, FashionMNIST])
def test_built_in_checksums_are_the_published_sha256_of_all_four_files(dataset):
    assert sorted(dataset.checksums) == sorted(FILES)
    for checksum in dataset.checksums.values():
        algorithm, digest = checksum.split(":")
        assert algorithm == "sha256" and len(digest) == 64 and int(digest, 16) >= 0


def test_md5_checksums_are_accepted_too(tmp_path):
    good = tmp_path / "good"
    checksums = {name: "md5:" + file_digest(good / name, "md5") for name in _write_set(good)}
    with _serve(good) as url:
        assert len(MNIST(tmp_path / "data", download=True, mirrors=[url], checksums=checksums, timeout=5)) == 6


def test_all_mirrors_failing_reports_each_and_leaves_no_partial_file(tmp_path):
    good = tmp_path / "good"
    checksums = {name: "sha256:" + "0" * 64 for name in _write_set(good)}
    root = tmp_path / "data"
    with _serve(good) as url:
        with pytest.raises(DownloadError) as info:
            MNIST(root, download=True, mirrors=[url, "http://127.0.0.1:9/"], checksums=checksums, timeout=5)
    message = str(info.value)
    assert "sha256 checksum" in message and "127.0.0.1:9" in message and "put it in" in message
    assert list((root / "MNIST" / "raw").iterdir()) == []


def test_download_cut_short_moves_on_to_the_next_mirror(tmp_path):
    good = tmp_path / "good"
    checksums = _write_set(good)
    root = tmp_path / "data"
    with _serve(good, _CutShortHandler) as cut_url:
        with pytest.raises(DownloadError) as info:
            MNIST(root, download=True, mirrors=[cut_url], checksums=checksums, timeout=5)
        size = (good / "train-images-idx3-ubyte.gz").stat().st_size
        assert f"cut short: received {size // 2} of {size} bytes" in str(info.value)
        assert list((root / "MNIST" / "raw").iterdir()) == []  # nothing half-written left behind
        with _serve(good) as good_url:
            ds = MNIST(root, download=True, mirrors=[cut_url, good_url], checksums=checksums, timeout=5)
    assert len(ds) == 6
    for name in FILES:
        assert (root / "MNIST" / "raw" / name).read_bytes() == (good / name).read_bytes()


def test_download_keeps_verified_files(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    checksums = _write_set(raw)
    MNIST(tmp_path, download=True, mirrors=["http://127.0.0.1:9/"], checksums=checksums, timeout=5)


def test_mnist_rejects_mismatched_labels(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    _write_set(raw)
    write_idx(raw / "train-labels-idx1-ubyte.gz", np.zeros(5, np.uint8))
    with pytest.raises(IDXError, match="expected 6 labels"):
        MNIST(tmp_path)


@pytest.mark.parametrize("name", ["part-idx3-ubyte", "part-idx3-ubyte.gz"])
def test_a_limit_reads_the_first_entries_only(tmp_path, name):
    images = np.random.default_rng(0).integers(0, 256, (50, 28, 28), dtype=np.uint8)
    write_idx(tmp_path / name, images)
    np.testing.assert_array_equal(read_idx(tmp_path / name, limit=7), images[:7])
    np.testing.assert_array_equal(read_idx(tmp_path / name, limit=500), images)
    assert read_idx(tmp_path / name, limit=0).shape == (0, 28, 28)
    labels = np.arange(50, dtype=np.int32) * 1000  # a multi-byte type is still swapped to the native order
    write_idx(tmp_path / ("l" + name), labels)
    np.testing.assert_array_equal(read_idx(tmp_path / ("l" + name), limit=3), labels[:3])
    with pytest.raises(ValueError, match="read_idx: limit must be a non-negative integer"):
        read_idx(tmp_path / name, limit=-1)


def test_a_limit_never_holds_the_whole_file_and_keeps_the_one_byte_images_uncopied(tmp_path):
    import tracemalloc

    write_idx(tmp_path / "big-idx3-ubyte.gz", np.ones((20_000, 28, 28), np.uint8))  # 15.7 MB unpacked
    tracemalloc.start()
    try:
        part = read_idx(tmp_path / "big-idx3-ubyte.gz", limit=100)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert part.shape == (100, 28, 28) and part.flags.writeable
    assert peak < 2 * part.nbytes + 300_000  # the 78 kB kept, once, and the decompressor's buffers


@pytest.mark.skipif(not HAS_SYSTEM_FILES and os.environ.get("CI") != "true",
                    reason="Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)")
def test_the_first_samples_of_the_real_fashion_mnist_with_a_limit():
    part, whole = FashionMNIST(train=False, limit=300), FashionMNIST(train=False)
    assert len(part) == 300
    for mine, full in zip(part.tensors, whole.tensors):
        np.testing.assert_array_equal(mine.numpy(), full.numpy()[:300])
