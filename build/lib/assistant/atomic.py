"""Write files so that a reader never sees half of one: temp file beside it, flush, rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (renames) to disk; best effort, not every platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes | Callable[[Path], None], mode: int = 0o644) -> Path:
    """Replace `path` in one step with `data`: bytes, or a function that writes the temporary
    file it is given (for libraries that want a path). The file gets `mode` (mkstemp alone would
    leave it owner-only); on any failure the temporary file is removed and `path` is untouched.
    Portable: os.chmod by name, not os.fchmod (POSIX only); on Windows only the read-only bit
    of `mode` has an effect."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, mode)
        if callable(data):
            os.close(fd)
            data(tmp)
            fd = os.open(tmp, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path
