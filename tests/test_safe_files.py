"""Bounded, validated reads: regular files only, inside their folder, size-checked first."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from assistant.safe_files import (
    UnsafeFileError,
    inside,
    parse_json,
    read_bytes,
    read_json,
    sha256_of,
)


def test_reads_a_regular_file_within_its_limit(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"hello")
    assert read_bytes(tmp_path / "a", 5, within=tmp_path) == b"hello"
    assert sha256_of(tmp_path / "a", 5)[1] == 5
    with pytest.raises(UnsafeFileError, match="larger than 4 bytes"):
        read_bytes(tmp_path / "a", 4)
    with pytest.raises(UnsafeFileError, match="larger than 4 bytes"):
        sha256_of(tmp_path / "a", 4)
    with pytest.raises(FileNotFoundError):
        read_bytes(tmp_path / "missing", 5)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    start = time.monotonic()
    for read in (read_bytes, sha256_of, read_json):
        with pytest.raises(UnsafeFileError, match="not a regular file"):
            read(tmp_path / "fifo", 100)
    assert time.monotonic() - start < 2


def test_devices_folders_and_links_out_are_refused(tmp_path: Path) -> None:
    if Path("/dev/zero").exists():
        with pytest.raises(UnsafeFileError, match="not a regular file"):
            read_bytes(Path("/dev/zero"), 100)
        (tmp_path / "zero").symlink_to("/dev/zero")
        with pytest.raises(UnsafeFileError, match="outside"):
            read_bytes(tmp_path / "zero", 100, within=tmp_path)
    with pytest.raises(UnsafeFileError, match="not a regular file"):
        read_bytes(tmp_path, 100)
    outside = tmp_path / "outside"
    outside.write_text("x")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(outside)
    with pytest.raises(UnsafeFileError, match="outside"):
        read_bytes(tmp_path / "in" / "link", 100, within=tmp_path / "in")
    with pytest.raises(UnsafeFileError, match="outside"):
        inside(tmp_path / "in" / ".." / "outside", tmp_path / "in")
    # A link that stays inside is fine.
    (tmp_path / "in" / "real").write_text("y")
    (tmp_path / "in" / "alias").symlink_to(tmp_path / "in" / "real")
    assert read_bytes(tmp_path / "in" / "alias", 1, within=tmp_path / "in") == b"y"


def test_huge_sparse_file_is_refused_before_reading(tmp_path: Path) -> None:
    with (tmp_path / "huge").open("wb") as handle:
        handle.truncate(5 << 30)
    start = time.monotonic()
    with pytest.raises(UnsafeFileError, match="larger than"):
        read_bytes(tmp_path / "huge", 1 << 20)
    with pytest.raises(UnsafeFileError, match="larger than"):
        sha256_of(tmp_path / "huge", 1 << 20)
    assert time.monotonic() - start < 1


@pytest.mark.parametrize(
    "data",
    [b"[" * 100_000 + b"]" * 100_000, b"{", b"\xff", b"", b'{"a": NaN'],
    ids=["deep", "truncated", "not-utf8", "empty", "bad-literal"],
)
def test_bad_json_is_one_error_type(data: bytes) -> None:
    with pytest.raises(UnsafeFileError, match="not valid JSON"):
        parse_json(data)


def test_unsafe_file_error_is_an_oserror_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"xx")
    with pytest.raises(OSError) as info:
        read_bytes(tmp_path / "a", 1)
    assert info.value.strerror == "is larger than 1 bytes"
    assert info.value.filename == str(tmp_path / "a")
