"""The faiss-free reader returns exactly what faiss.read_index stores."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from assistant.faiss_flat import read_flat_ip


@pytest.mark.parametrize("rows,dim", [(0, 8), (1, 3), (68, 384), (500, 17)])
def test_matches_faiss(tmp_path: Path, rows: int, dim: int) -> None:
    vectors = np.random.default_rng(rows).standard_normal((rows, dim)).astype(np.float32)
    index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    path = tmp_path / "x.faiss"
    faiss.write_index(index, str(path))
    got = read_flat_ip(path)
    assert got is not None and got.shape == (rows, dim)
    assert np.array_equal(got, faiss.read_index(str(path)).reconstruct_n(0, rows))


def test_other_layouts_fall_back(tmp_path: Path) -> None:
    l2 = faiss.IndexFlatL2(4)
    l2.add(np.ones((2, 4), dtype=np.float32))
    faiss.write_index(l2, str(tmp_path / "l2.faiss"))
    assert read_flat_ip(tmp_path / "l2.faiss") is None
    (tmp_path / "short").write_bytes(b"IxFI")
    assert read_flat_ip(tmp_path / "short") is None


def test_parse_from_bytes_matches_the_file_reader(tmp_path: Path) -> None:
    from assistant.faiss_flat import parse_flat_ip

    index = faiss.IndexFlatIP(5)
    index.add(np.arange(15, dtype=np.float32).reshape(3, 5))
    data = faiss.serialize_index(index).tobytes()
    (tmp_path / "x.faiss").write_bytes(data)
    assert np.array_equal(parse_flat_ip(data), read_flat_ip(tmp_path / "x.faiss"))
    assert parse_flat_ip(data[:-4]) is None  # truncated: not the flat layout any more


def test_reader_is_bounded(tmp_path: Path) -> None:
    """The file reader refuses what is not a regular file or is larger than its limit."""
    index = faiss.IndexFlatIP(4)
    index.add(np.ones((10, 4), dtype=np.float32))
    faiss.write_index(index, str(tmp_path / "x.faiss"))
    with pytest.raises(OSError, match="larger than"):
        read_flat_ip(tmp_path / "x.faiss", limit=100)
    with pytest.raises(OSError, match="not a regular file"):
        read_flat_ip(tmp_path)
