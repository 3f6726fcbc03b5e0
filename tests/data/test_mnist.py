"""IDX files and MNIST/Fashion-MNIST: reading, downloading from a local server, bad files."""

import contextlib
import functools
import gzip
import http.server
import threading
from pathlib import Path

import numpy as np
import pytest

import ourdl
from ourdl.data import MNIST, DownloadError, FashionMNIST, IDXError, read_idx, write_idx
from ourdl.data.files import file_digest

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


def test_missing_files_say_where_to_put_them(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"FashionMNIST/raw.*download=True.*put them in that folder"):
        FashionMNIST(tmp_path)


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
