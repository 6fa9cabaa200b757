"""The index folder: the CURRENT pointer, the build lock, fresh build names and pruning.

    CURRENT        {"format": 3, "build": NAME, "manifest_sha256": HEX}, replaced atomically
    .lock          held while a build runs (filelock: flock on POSIX, LockFileEx on Windows)
    builds/NAME/   one complete build, never changed once in place (NAME is KEY-RANDOM)

The pointer records the manifest's checksum, so any change to a manifest reads as corrupt.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..errors import IndexCorruptError, IndexStaleError, IndexWriteError
from ..safe_files import read_json
from .manifest import FORMAT_VERSION, REBUILD_HINT

POINTER = "CURRENT"
POINTER_LIMIT = 4096
BUILDS = "builds"
_BUILD_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,99}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class Pointer(NamedTuple):
    build: str
    manifest_sha256: str


def build_folder(root: Path, name: str) -> Path:
    return root / BUILDS / name


def _pointer_json(root: Path) -> object | None:
    """CURRENT decoded, or None when there is none. Any unreadable pointer is corrupt."""
    path = root / POINTER
    try:
        return read_json(path, POINTER_LIMIT, within=root)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexCorruptError(
            f"index pointer {path} cannot be read ({exc.strerror or exc}); {REBUILD_HINT}"
        ) from exc


def read_current(root: Path) -> Pointer | None:
    """The build CURRENT points at and its manifest's checksum, or None if there is no index.
    A pointer from an older index format is stale; a damaged one is corrupt."""
    data = _pointer_json(root)
    if data is None:
        return None
    damaged = IndexCorruptError(f"index pointer {root / POINTER} is damaged; {REBUILD_HINT}")
    if not isinstance(data, dict) or not _is_build_name(data.get("build")):
        raise damaged
    version = data.get("format", 0)
    if version != FORMAT_VERSION:
        if type(version) is int and version < FORMAT_VERSION:
            raise IndexStaleError(f"index in {root} has an old format; {REBUILD_HINT}")
        raise damaged
    digest = data.get("manifest_sha256")
    if set(data) != {"format", "build", "manifest_sha256"} or not (
        isinstance(digest, str) and _SHA256.fullmatch(digest)
    ):
        raise damaged
    return Pointer(data["build"], digest)


def current_name(root: Path) -> str | None:
    """The build CURRENT names (any format), or None: what a new build must not prune."""
    with contextlib.suppress(IndexCorruptError):
        data = _pointer_json(root)
        if isinstance(data, dict) and _is_build_name(data.get("build")):
            return str(data["build"])
    return None


def _is_build_name(name: object) -> bool:
    return isinstance(name, str) and _BUILD_NAME.fullmatch(name) is not None


def write_current(root: Path, build: str, manifest_sha256: str) -> None:
    from ..atomic import write_atomic  # writing is for builds only: `ask` does not import it

    pointer = {"format": FORMAT_VERSION, "build": build, "manifest_sha256": manifest_sha256}
    write_atomic(root / POINTER, json.dumps(pointer).encode())


@contextlib.contextmanager
def build_lock(root: Path, timeout: float = 600.0) -> Iterator[None]:
    """Hold the index folder's build lock; a second build waits for the first to finish."""
    from filelock import FileLock, Timeout

    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(root / ".lock", timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise IndexWriteError(
            f"another index build holds {root / '.lock'}; try again when it ends"
        ) from None
    try:
        yield
    finally:
        lock.release()


def fresh_name(builds: Path, key: str) -> Path:
    """builds/KEY-RANDOM, a name no build has: a rebuild never touches a build a reader may use."""
    import secrets

    while True:
        candidate = builds / f"{key}-{secrets.token_hex(4)}"
        if not candidate.exists():
            return candidate


def prune(root: Path, keep: str, previous: str | None) -> None:
    """Remove builds other than `keep` and `previous` (a reader may still be loading it), and
    what killed builds left behind. Runs under the build lock, so every temporary folder or file
    found is an orphan. Best effort: the new index is already in place."""
    import shutil

    builds = root / BUILDS
    with contextlib.suppress(OSError):
        for path in builds.iterdir():
            if path.name in (keep, previous):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.startswith(".tmp-"):
                path.unlink(missing_ok=True)
        for leftover in root.glob(f".{POINTER}.*"):
            leftover.unlink(missing_ok=True)
