"""Bounded reads of files that must be regular files inside a known folder.

A FIFO, device or socket in place of a file, a symlink that leaves its folder, or a file far
larger than expected costs one quick OSError here (UnsafeFileError, or FileNotFoundError when
nothing is there), never a hang or gigabytes of memory: files are opened with O_NONBLOCK (opening
a FIFO does not wait for a writer), checked with fstat, and their size is compared with the limit
before a byte is read. Works on Windows too (no POSIX-only call).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


class UnsafeFileError(OSError):
    """Not a regular file, outside its folder, too large, or (read_json) not valid JSON."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))


def inside(path: Path | str, folder: Path | str) -> Path:
    """`path` with every symlink resolved, if that lies inside `folder` (also resolved)."""
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(os.path.realpath(folder)):
        raise UnsafeFileError(path, f"leads outside {folder}")
    return resolved


def open_regular(path: Path | str, *, within: Path | str | None = None) -> tuple[int, int]:
    """Open a regular file for reading: (descriptor, size). The caller closes the descriptor."""
    target = inside(path, within) if within is not None else path
    fd = os.open(target, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(path, "is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_bytes(path: Path | str, limit: int, *, within: Path | str | None = None) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes (checked before reading,
    and again while reading, in case it grows)."""
    fd, size = open_regular(path, within=within)
    try:
        if size > limit:
            raise UnsafeFileError(path, f"is larger than {limit} bytes")
        chunks: list[bytes] = []
        total, want = 0, size + 1  # one read for the whole file; the extra byte sees growth
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UnsafeFileError(path, f"is larger than {limit} bytes")
            want = min(limit + 1 - total, _CHUNK)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def parse_json(data: bytes, path: Path | str = "<data>") -> Any:
    """UTF-8 JSON; malformed, mis-encoded or absurdly nested text raises UnsafeFileError."""
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise UnsafeFileError(path, f"is not valid JSON ({type(exc).__name__})") from None


def read_json(path: Path | str, limit: int, *, within: Path | str | None = None) -> Any:
    """read_bytes, then parse_json."""
    return parse_json(read_bytes(path, limit, within=within), path)


def sha256_of(path: Path | str, limit: int, *, within: Path | str | None = None) -> tuple[str, int]:
    """(sha256 hex digest, size) of a regular file of at most `limit` bytes, read in blocks."""
    fd, size = open_regular(path, within=within)
    digest, total = hashlib.sha256(), 0
    try:
        if size > limit:
            raise UnsafeFileError(path, f"is larger than {limit} bytes")
        while block := os.read(fd, _CHUNK):
            total += len(block)
            if total > limit:
                raise UnsafeFileError(path, f"is larger than {limit} bytes")
            digest.update(block)
    finally:
        os.close(fd)
    return digest.hexdigest(), total
