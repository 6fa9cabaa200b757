"""Build, verify and load the search index: FAISS vectors, passages as JSON, and a manifest.

Layout under the index folder:

    CURRENT                 {"build": NAME}: which build readers use (replaced atomically)
    .lock                   held while a build runs, so two builds never interleave
    builds/NAME/            one complete build, never changed once in place; NAME is KEY-RANDOM,
                            where KEY hashes corpus, model and parser version
        manifest.json       hashes and sizes of every file, model and corpus identity
        passages.json       passages and sentences with their source offsets
        passages.faiss      inner-product index over unit-length passage vectors
        sentences.faiss     the same for every sentence
        onnx/               the query-time encoder (see onnx_encoder.py)

A build writes into a temporary folder, flushes it to disk, renames it to a name no other build
has used, and only then points CURRENT at it; an interrupted build (SIGKILL, full disk, power
loss) therefore leaves the previous index usable, and a reader never sees a half-written build.
A rebuild keeps the previous build for readers still loading it; a reader whose build is pruned
under it retries with the new pointer. Loading only reads: a read-only index folder works.
Index files hold only the public article and vectors, so they are made readable by all users
(a shared, admin-built index must be readable by everyone).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import fsync_dir, write_atomic
from .corpus import Corpus, corpus_hash, load_corpus
from .embed import Embedder, FakeEmbedder, model_fingerprint, model_path
from .errors import (
    AssistantError,
    IndexCorruptError,
    IndexMissingError,
    IndexStaleError,
    IndexWriteError,
)
from .passages import PARSER_VERSION, Passage, Sentence
from .paths import corpus_dir, index_dir
from .text import tokenizer_fingerprint

if TYPE_CHECKING:
    import numpy as np

FORMAT_VERSION = 2
CANARY_TEXT = "Anastrozole lowers estradiol and can raise testosterone in subfertile men."
REBUILD_HINT = "run `assistant index build`"
REQUIRED_FILES = ("passages.json", "passages.faiss", "sentences.faiss")
LOAD_ATTEMPTS = 5
_BUILD_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,99}")

Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class IndexData:
    """A verified, loaded index."""

    folder: Path
    manifest: dict[str, Any]
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray
    passage_terms: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class IndexStatus:
    state: str  # "current", "missing", "stale", "corrupt"
    detail: str
    folder: Path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_key(corpus_digest: str, model_digest: str) -> str:
    text = f"{FORMAT_VERSION}|{PARSER_VERSION}|{corpus_digest}|{model_digest}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read_current(root: Path) -> str | None:
    """The name of the build CURRENT points at (a plain folder name inside builds/), or None."""
    pointer = root / "CURRENT"
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
        name = data["build"]
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexCorruptError(
            f"index pointer {pointer} cannot be read ({exc.strerror or exc}); {REBUILD_HINT}"
        ) from exc
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise IndexCorruptError(f"index pointer {pointer} is damaged; {REBUILD_HINT}") from exc
    if not isinstance(name, str) or not _BUILD_NAME.fullmatch(name):
        raise IndexCorruptError(f"index pointer {pointer} is damaged; {REBUILD_HINT}")
    return name


def _write_bytes(path: Path, data: bytes) -> None:
    """Write a whole new file and flush it to disk, so write errors (a full disk) surface here."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _model_identity(embedder: Embedder) -> dict[str, Any]:
    if isinstance(embedder, FakeEmbedder):
        return {"name": embedder.name, "fingerprint": f"fake-{embedder.dim}", "stat": None}
    path = model_path()
    weights = path / "model.safetensors"
    stat = weights.stat() if weights.is_file() else None
    return {
        "name": embedder.name,
        "path": str(path),
        "fingerprint": model_fingerprint(path),
        "stat": [stat.st_size, stat.st_mtime_ns] if stat else None,
    }


def _current_model_fingerprint(recorded: dict[str, Any]) -> str:
    """The installed model's fingerprint, cheaply when its weights file looks unchanged."""
    if str(recorded.get("fingerprint", "")).startswith("fake-"):
        return str(recorded["fingerprint"])
    path = model_path()
    weights = path / "model.safetensors"
    if recorded.get("stat") and weights.is_file() and str(path) == recorded.get("path"):
        stat = weights.stat()
        if [stat.st_size, stat.st_mtime_ns] == recorded["stat"]:
            return str(recorded["fingerprint"])
    return model_fingerprint(path)


@contextlib.contextmanager
def build_lock(root: Path, timeout: float = 600.0) -> Iterator[None]:
    """Hold the index folder's build lock; a second build waits for the first to finish."""
    root.mkdir(parents=True, exist_ok=True)
    handle = (root / ".lock").open("a+")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexWriteError(
                        f"another index build holds {root / '.lock'}; try again when it ends"
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        handle.close()


def _write_faiss(vectors: np.ndarray, path: Path) -> None:
    """Serialise in memory, then write from Python: a failing write raises OSError with its errno
    (faiss.write_index would raise a bare RuntimeError from C++)."""
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    _write_bytes(path, faiss.serialize_index(index).tobytes())


def _read_faiss(path: Path, expected_rows: int, dim: int) -> np.ndarray:
    from .faiss_flat import read_flat_ip

    try:
        vectors = read_flat_ip(path)
    except OSError as exc:
        raise IndexCorruptError(
            f"{path.name} cannot be read ({exc.strerror or exc}); {REBUILD_HINT}"
        ) from exc
    if vectors is None:
        import faiss
        import numpy as np

        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(f"{path.name} cannot be read; {REBUILD_HINT}") from exc
        vectors = np.asarray(index.reconstruct_n(0, index.ntotal), dtype=np.float32)
    if vectors.shape != (expected_rows, dim):
        raise IndexCorruptError(f"{path.name} does not match its manifest; {REBUILD_HINT}")
    return vectors


def _export_query_encoder(folder: Path, embedder: Embedder) -> dict[str, Any] | None:
    if isinstance(embedder, FakeEmbedder):
        return None
    from .onnx_encoder import export_onnx

    export_onnx(model_path(), folder / "onnx")
    return {"dir": "onnx"}


def _build_into(
    folder: Path,
    corpus: Corpus,
    embedder: Embedder,
    identity: dict[str, Any],
    progress: Progress,
    corpus_digest: str,
) -> None:
    import numpy as np

    passages, sentences = corpus.passages, corpus.parsed.sentences
    total = len(passages) + len(sentences)
    progress("embedding passages", 0, total)
    vectors = []
    texts = [p.embed_text() for p in passages] + [s.text for s in sentences]
    batch = 32
    for begin in range(0, len(texts), batch):
        vectors.append(embedder.encode(texts[begin : begin + batch]))
        progress("embedding passages", min(begin + batch, total), total)
    matrix = np.vstack(vectors).astype(np.float32)
    passage_vectors, sentence_vectors = matrix[: len(passages)], matrix[len(passages) :]
    progress("writing index", 0, 1)
    _write_faiss(passage_vectors, folder / "passages.faiss")
    _write_faiss(sentence_vectors, folder / "sentences.faiss")
    payload = {
        "source": corpus.source_name,
        "passages": [p.to_json() for p in passages],
        "sentences": [[s.passage_id, s.start, s.end, s.text] for s in sentences],
        # BM25 terms, so a query process does not re-tokenise every passage.
        "terms": {
            "tokenizer": tokenizer_fingerprint(),
            "passages": [p.lexical_terms() for p in passages],
        },
    }
    _write_bytes(folder / "passages.json", json.dumps(payload, ensure_ascii=False).encode())
    progress("exporting query encoder", 0, 1)
    query_encoder = _export_query_encoder(folder, embedder)
    canary = embedder.encode([CANARY_TEXT])[0]
    files = {
        name: {"sha256": _sha256(folder / name), "size": (folder / name).stat().st_size}
        for name in REQUIRED_FILES
    }
    if query_encoder:
        for file in sorted((folder / "onnx").iterdir()):
            files[f"onnx/{file.name}"] = {"sha256": None, "size": file.stat().st_size}
    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus_hash": corpus_digest,
        "parser_version": PARSER_VERSION,
        "model": identity,
        "dim": int(passage_vectors.shape[1]),
        "counts": {"passages": len(passages), "sentences": len(sentences)},
        "files": files,
        "query_encoder": query_encoder,
        "canary": {"text": CANARY_TEXT, "vector": [round(float(x), 7) for x in canary]},
    }
    _write_bytes(folder / "manifest.json", json.dumps(manifest, indent=2).encode())
    progress("writing index", 1, 1)


def _sync_tree(folder: Path) -> None:
    """Flush every file and folder of a finished build before it is renamed into place, so a
    power loss cannot leave a named build with empty files (the query encoder is written by
    onnx_encoder.py without fsync)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            fsync_dir(path)
    fsync_dir(folder)


def _fresh_name(builds: Path, key: str) -> Path:
    """builds/KEY-RANDOM, a name no build has: a rebuild never touches a build a reader may use."""
    while True:
        candidate = builds / f"{key}-{secrets.token_hex(4)}"
        if not candidate.exists():
            return candidate


def build_index(
    embedder_factory: Callable[[], Embedder] | None = None,
    *,
    root: Path | None = None,
    force: bool = False,
    progress: Progress = _no_progress,
) -> tuple[str, Path]:
    """Build the index unless the current one already matches; returns (what happened, folder)."""
    root = root or index_dir()
    try:
        with build_lock(root):
            if not force:
                status = index_status(root)
                if status.state == "current":
                    return "up to date", root
            embedder = (embedder_factory or _default_embedder)()
            # Hash before parsing: if the corpus changes in between, the index reads as stale.
            corpus_folder = corpus_dir()
            digest = corpus_hash(corpus_folder)
            corpus = load_corpus(corpus_folder)
            identity = _model_identity(embedder)
            key = build_key(digest, str(identity["fingerprint"]))
            builds = root / "builds"
            builds.mkdir(parents=True, exist_ok=True)
            previous = _current_or_none(root)
            tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key}-", dir=builds))
            try:
                _build_into(tmp, corpus, embedder, identity, progress, digest)
                _sync_tree(tmp)
                os.chmod(tmp, 0o755)  # mkdtemp makes it owner-only; readers may be other users
                final = _fresh_name(builds, key)
                os.replace(tmp, final)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            fsync_dir(builds)
            write_atomic(root / "CURRENT", json.dumps({"build": final.name}).encode())
            _prune(root, keep=final.name, previous=previous)
            return "built", root
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise IndexWriteError(
            f"cannot write the index in {root} ({reason}); the previous index is unchanged. "
            f"Free space or set ASSISTANT_HOME to a writable folder."
        ) from exc


def _current_or_none(root: Path) -> str | None:
    try:
        return _read_current(root)
    except IndexCorruptError:
        return None


def _prune(root: Path, keep: str, previous: str | None) -> None:
    """Remove builds other than `keep` and `previous` (a reader may still be loading it), and
    what killed builds left behind. Runs under the build lock, so every temporary folder or file
    found is an orphan. Best effort: the new index is already in place."""
    builds = root / "builds"
    with contextlib.suppress(OSError):
        for path in builds.iterdir():
            if path.name in (keep, previous):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.startswith(".tmp-"):
                path.unlink(missing_ok=True)
        for leftover in root.glob(".CURRENT.*"):
            leftover.unlink(missing_ok=True)


def _default_embedder() -> Embedder:
    from .embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def _load_manifest(root: Path) -> tuple[Path, dict[str, Any]]:
    key = _read_current(root)
    if key is None:
        raise IndexMissingError(f"no index in {root}; {REBUILD_HINT} (or scripts/setup.sh)")
    folder = root / "builds" / key
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexCorruptError(
            f"index build {key} is missing its manifest; {REBUILD_HINT}"
        ) from exc
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"index manifest in {folder} is damaged; {REBUILD_HINT}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise IndexStaleError(f"index in {root} has an old format; {REBUILD_HINT}")
    if not _manifest_is_well_formed(manifest):
        raise IndexCorruptError(f"index manifest in {folder} is damaged; {REBUILD_HINT}")
    return folder, manifest


def _manifest_is_well_formed(manifest: dict[str, Any]) -> bool:
    """The fields readers rely on have the right shape (valid JSON can still be damaged)."""
    files, model, counts = manifest.get("files"), manifest.get("model"), manifest.get("counts")
    canary, encoder = manifest.get("canary"), manifest.get("query_encoder")
    return (
        isinstance(files, dict)
        and all(name in files for name in REQUIRED_FILES)
        and all(
            isinstance(meta, dict) and isinstance(meta.get("size"), int) for meta in files.values()
        )
        and all(isinstance(files[name].get("sha256"), str) for name in REQUIRED_FILES)
        and isinstance(model, dict)
        and isinstance(model.get("name"), str)
        and isinstance(model.get("fingerprint"), str)
        and isinstance(counts, dict)
        and type(manifest.get("dim")) is int
        and manifest["dim"] > 0
        and isinstance(canary, dict)
        and isinstance(canary.get("text"), str)
        and isinstance(canary.get("vector"), list)
        and len(canary["vector"]) == manifest["dim"]
        and (encoder is None or (isinstance(encoder, dict) and isinstance(encoder.get("dir"), str)))
    )


def _verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    for name, meta in manifest["files"].items():
        path = folder / name
        if not path.resolve().is_relative_to(folder.resolve()):
            raise IndexCorruptError(f"index manifest in {folder} is damaged; {REBUILD_HINT}")
        try:
            size = path.stat().st_size
        except OSError:
            raise IndexCorruptError(f"index file {name} is missing; {REBUILD_HINT}") from None
        if size != meta.get("size"):
            raise IndexCorruptError(f"index file {name} has the wrong size; {REBUILD_HINT}")
        try:
            digest = _sha256(path) if meta.get("sha256") else None
        except OSError as exc:
            raise IndexCorruptError(
                f"index file {name} cannot be read ({exc.strerror or exc}); {REBUILD_HINT}"
            ) from exc
        if digest is not None and digest != meta["sha256"]:
            raise IndexCorruptError(f"index file {name} fails its checksum; {REBUILD_HINT}")


def _staleness(manifest: dict[str, Any]) -> str | None:
    if manifest.get("parser_version") != PARSER_VERSION:
        return "the passage parser changed"
    if manifest.get("corpus_hash") != corpus_hash():
        return "the corpus changed"
    try:
        if _current_model_fingerprint(manifest["model"]) != manifest["model"]["fingerprint"]:
            return "the embedding model changed"
    except (AssistantError, OSError):
        return "the embedding model cannot be found"
    return None


def _retrying(root: Path, read: Callable[[], Any]) -> Any:
    """Run `read`; if it fails because a rebuild moved CURRENT on (and pruned the build being
    read), read the new build instead. A damaged index fails the same way every time."""
    for attempt in range(LOAD_ATTEMPTS):
        before = _read_current(root)
        try:
            return read()
        except (IndexCorruptError, IndexMissingError):
            if attempt == LOAD_ATTEMPTS - 1 or _current_or_none(root) == before:
                raise


def _verified_manifest(root: Path) -> tuple[Path, dict[str, Any]]:
    """The current build's folder and manifest, its files checked against the manifest."""
    folder, manifest = _load_manifest(root)
    _verify_files(folder, manifest)
    return folder, manifest


def _stale_message(reason: str) -> str:
    return f"index is stale: {reason}; {REBUILD_HINT}"


def index_status(root: Path | None = None) -> IndexStatus:
    """Whether the index is current, without loading vectors into memory."""
    root = root or index_dir()
    try:
        folder, manifest = _retrying(root, lambda: _verified_manifest(root))
    except IndexMissingError as exc:
        return IndexStatus("missing", str(exc), root)
    except IndexStaleError as exc:
        return IndexStatus("stale", str(exc), root)
    except IndexCorruptError as exc:
        return IndexStatus("corrupt", str(exc), root)
    reason = _staleness(manifest)
    if reason:
        return IndexStatus("stale", _stale_message(reason), root)
    counts = manifest.get("counts", {})
    detail = (
        f"index is current: {counts.get('passages')} passages, {counts.get('sentences')} "
        f"sentences, model {manifest['model']['name']}, built {manifest.get('created')}"
    )
    return IndexStatus("current", detail, folder)


def load_index(root: Path | None = None, *, check_stale: bool = True) -> IndexData:
    """Load and verify the current index, or raise a one-line IndexMissingError,
    IndexStaleError or IndexCorruptError."""
    root = root or index_dir()
    return _retrying(root, lambda: _load_once(root, check_stale))


def _load_once(root: Path, check_stale: bool) -> IndexData:
    folder, manifest = _verified_manifest(root)
    if check_stale:
        reason = _staleness(manifest)
        if reason:
            raise IndexStaleError(_stale_message(reason))
    try:
        payload = json.loads((folder / "passages.json").read_text(encoding="utf-8"))
        passages = tuple(Passage.from_json(p) for p in payload["passages"])
        sentences = tuple(
            Sentence(str(a), int(b), int(c), str(d)) for a, b, c, d in payload["sentences"]
        )
        dim = int(manifest["dim"])
        stored = payload.get("terms") or {}
        passage_terms = None
        if stored.get("tokenizer") == tokenizer_fingerprint():
            passage_terms = tuple(tuple(map(str, t)) for t in stored["passages"])
            if len(passage_terms) != len(passages):
                raise ValueError("terms do not match passages")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexCorruptError(f"passages.json is damaged; {REBUILD_HINT}") from exc
    return IndexData(
        folder=folder,
        manifest=manifest,
        passages=passages,
        sentences=sentences,
        passage_vectors=_read_faiss(folder / "passages.faiss", len(passages), dim),
        sentence_vectors=_read_faiss(folder / "sentences.faiss", len(sentences), dim),
        passage_terms=passage_terms,
    )


class _CheckedEncoder:
    """The exported ONNX encoder, checked on first use against the vector the index builder
    stored for a canary text; if it is unusable or disagrees, sentence-transformers takes over."""

    def __init__(self, primary: Embedder, manifest: dict[str, Any], notice: Callable[[str], None]):
        self.name, self.dim = primary.name, primary.dim
        self._primary: Embedder | None = primary
        self._manifest = manifest
        self._notice = notice
        self._active: Embedder | None = None

    def _choose(self) -> Embedder:
        import numpy as np

        canary = self._manifest["canary"]
        try:
            assert self._primary is not None
            got = self._primary.encode([canary["text"]])[0]
            if float(got @ np.asarray(canary["vector"], dtype=np.float32)) >= 0.999:
                return self._primary
            self._notice(
                "the exported query encoder disagrees with the index; using sentence-transformers"
            )
        except AssistantError as exc:
            self._notice(f"{exc}; falling back to sentence-transformers (slower start)")
        from .embed import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._active is None:
            self._active = self._choose()
        return self._active.encode(texts)


def query_embedder(index: IndexData, notice: Callable[[str], None] = lambda _: None) -> Embedder:
    """The fast encoder that matches the index: ONNX when exported, else sentence-transformers."""
    model = index.manifest["model"]
    if str(model.get("fingerprint", "")).startswith("fake-"):
        return FakeEmbedder(int(index.manifest["dim"]))
    if index.manifest.get("query_encoder"):
        try:
            from .onnx_encoder import OnnxEmbedder

            folder = index.folder / index.manifest["query_encoder"]["dir"]
            return _CheckedEncoder(OnnxEmbedder(folder), index.manifest, notice)
        except AssistantError as exc:
            notice(f"{exc}; falling back to sentence-transformers (slower start)")
    from .embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()
