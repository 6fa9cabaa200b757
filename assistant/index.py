"""Build, verify and load the search index: FAISS vectors, passages as JSON, and a manifest.

Layout under the index folder:

    CURRENT                 {"build": KEY}: which build readers use (replaced atomically)
    .lock                   held while a build runs, so two builds never interleave
    builds/KEY/             one complete build; KEY hashes corpus, model and parser version
        manifest.json       hashes and sizes of every file, model and corpus identity
        passages.json       passages and sentences with their source offsets
        passages.faiss      inner-product index over unit-length passage vectors
        sentences.faiss     the same for every sentence
        onnx/               the query-time encoder (see onnx_encoder.py)

A build writes into a temporary folder, renames it into place, and only then points CURRENT at
it; an interrupted build therefore leaves the previous index usable.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from .paths import index_dir

if TYPE_CHECKING:
    import numpy as np

FORMAT_VERSION = 1
CANARY_TEXT = "Anastrozole lowers estradiol and can raise testosterone in subfertile men."
REBUILD_HINT = "run `assistant index build`"

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

    @property
    def model_name(self) -> str:
        return str(self.manifest["model"]["name"])


@dataclass(frozen=True)
class IndexStatus:
    state: str  # "current", "missing", "stale", "corrupt"
    detail: str
    folder: Path
    manifest: dict[str, Any] | None = None


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
    try:
        data = json.loads((root / "CURRENT").read_text(encoding="utf-8"))
        return str(data["build"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorruptError(
            f"index pointer {root / 'CURRENT'} is damaged; {REBUILD_HINT}"
        ) from exc


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    faiss.write_index(index, str(path))


def _read_faiss(path: Path, expected_rows: int, dim: int) -> np.ndarray:
    import faiss
    import numpy as np

    try:
        index = faiss.read_index(str(path))
    except RuntimeError as exc:
        raise IndexCorruptError(f"{path.name} cannot be read; {REBUILD_HINT}") from exc
    if index.ntotal != expected_rows or index.d != dim:
        raise IndexCorruptError(f"{path.name} does not match its manifest; {REBUILD_HINT}")
    return np.asarray(index.reconstruct_n(0, index.ntotal), dtype=np.float32)


def _export_query_encoder(folder: Path, embedder: Embedder) -> dict[str, Any] | None:
    if isinstance(embedder, FakeEmbedder):
        return None
    from .onnx_encoder import export_onnx

    export_onnx(model_path(), folder / "onnx")
    return {"dir": "onnx"}


def _build_into(
    folder: Path, corpus: Corpus, embedder: Embedder, identity: dict[str, Any], progress: Progress
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
    }
    (folder / "passages.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    progress("exporting query encoder", 0, 1)
    query_encoder = _export_query_encoder(folder, embedder)
    canary = embedder.encode([CANARY_TEXT])[0]
    files = {
        name: {"sha256": _sha256(folder / name), "size": (folder / name).stat().st_size}
        for name in ("passages.json", "passages.faiss", "sentences.faiss")
    }
    if query_encoder:
        for file in sorted((folder / "onnx").iterdir()):
            files[f"onnx/{file.name}"] = {"sha256": None, "size": file.stat().st_size}
    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus_hash": corpus_hash(),
        "parser_version": PARSER_VERSION,
        "model": identity,
        "dim": int(passage_vectors.shape[1]),
        "counts": {"passages": len(passages), "sentences": len(sentences)},
        "files": files,
        "query_encoder": query_encoder,
        "canary": {"text": CANARY_TEXT, "vector": [round(float(x), 7) for x in canary]},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    progress("writing index", 1, 1)


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
            corpus = load_corpus()
            identity = _model_identity(embedder)
            key = build_key(corpus_hash(), str(identity["fingerprint"]))
            builds = root / "builds"
            builds.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key}-", dir=builds))
            try:
                _build_into(tmp, corpus, embedder, identity, progress)
                final = builds / key
                if final.exists():
                    shutil.rmtree(final)
                os.replace(tmp, final)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            _write_atomic(root / "CURRENT", json.dumps({"build": key}).encode())
            _prune(builds, keep=key)
            return "built", root
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise IndexWriteError(
            f"cannot write the index in {root} ({reason}); the previous index is unchanged. "
            f"Free space or set ASSISTANT_HOME to a writable folder."
        ) from exc


def _prune(builds: Path, keep: str) -> None:
    """Remove finished builds other than `keep` and the one before it (a reader may be on it)."""
    done = sorted(
        (
            p
            for p in builds.iterdir()
            if p.is_dir() and p.name != keep and not p.name.startswith(".")
        ),
        key=lambda p: p.stat().st_mtime,
    )
    for old in done[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    for leftover in builds.glob(".tmp-*"):
        if time.time() - leftover.stat().st_mtime > 3600:
            shutil.rmtree(leftover, ignore_errors=True)


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
    return folder, manifest


def _verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    for name, meta in manifest.get("files", {}).items():
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            raise IndexCorruptError(f"index file {name} is missing; {REBUILD_HINT}") from None
        if size != meta.get("size"):
            raise IndexCorruptError(f"index file {name} has the wrong size; {REBUILD_HINT}")
        if meta.get("sha256") and _sha256(path) != meta["sha256"]:
            raise IndexCorruptError(f"index file {name} fails its checksum; {REBUILD_HINT}")


def _staleness(manifest: dict[str, Any]) -> str | None:
    if manifest.get("parser_version") != PARSER_VERSION:
        return "the passage parser changed"
    if manifest.get("corpus_hash") != corpus_hash():
        return "the corpus changed"
    try:
        if _current_model_fingerprint(manifest["model"]) != manifest["model"]["fingerprint"]:
            return "the embedding model changed"
    except AssistantError:
        return "the embedding model cannot be found"
    return None


def index_status(root: Path | None = None) -> IndexStatus:
    """Whether the index is current, without loading vectors into memory."""
    root = root or index_dir()
    try:
        folder, manifest = _load_manifest(root)
        _verify_files(folder, manifest)
    except IndexMissingError as exc:
        return IndexStatus("missing", str(exc), root)
    except IndexStaleError as exc:
        return IndexStatus("stale", str(exc), root)
    except IndexCorruptError as exc:
        return IndexStatus("corrupt", str(exc), root)
    reason = _staleness(manifest)
    if reason:
        return IndexStatus("stale", f"index is stale: {reason}; {REBUILD_HINT}", root, manifest)
    counts = manifest.get("counts", {})
    detail = (
        f"index is current: {counts.get('passages')} passages, {counts.get('sentences')} "
        f"sentences, model {manifest['model']['name']}, built {manifest.get('created')}"
    )
    return IndexStatus("current", detail, folder, manifest)


def load_index(root: Path | None = None, *, check_stale: bool = True) -> IndexData:
    """Load and verify the current index, or raise a one-line IndexError subclass."""
    root = root or index_dir()
    folder, manifest = _load_manifest(root)
    _verify_files(folder, manifest)
    if check_stale:
        reason = _staleness(manifest)
        if reason:
            raise IndexStaleError(f"index is stale: {reason}; {REBUILD_HINT}")
    try:
        payload = json.loads((folder / "passages.json").read_text(encoding="utf-8"))
        passages = tuple(Passage.from_json(p) for p in payload["passages"])
        sentences = tuple(
            Sentence(str(a), int(b), int(c), str(d)) for a, b, c, d in payload["sentences"]
        )
        dim = int(manifest["dim"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorruptError(f"passages.json is damaged; {REBUILD_HINT}") from exc
    return IndexData(
        folder=folder,
        manifest=manifest,
        passages=passages,
        sentences=sentences,
        passage_vectors=_read_faiss(folder / "passages.faiss", len(passages), dim),
        sentence_vectors=_read_faiss(folder / "sentences.faiss", len(sentences), dim),
    )


def query_embedder(index: IndexData, notice: Callable[[str], None] = lambda _: None) -> Embedder:
    """The fast encoder that matches the index: ONNX when exported, else sentence-transformers."""
    import numpy as np

    model = index.manifest["model"]
    if str(model.get("fingerprint", "")).startswith("fake-"):
        return FakeEmbedder(int(index.manifest["dim"]))
    encoder: Embedder | None = None
    if index.manifest.get("query_encoder"):
        try:
            from .onnx_encoder import OnnxEmbedder

            encoder = OnnxEmbedder(index.folder / index.manifest["query_encoder"]["dir"])
            canary = np.asarray(index.manifest["canary"]["vector"], dtype=np.float32)
            if float(encoder.encode([index.manifest["canary"]["text"]])[0] @ canary) < 0.999:
                notice(
                    "the exported query encoder disagrees with the index; "
                    "using sentence-transformers"
                )
                encoder = None
        except AssistantError as exc:
            notice(f"{exc}; falling back to sentence-transformers (slower start)")
            encoder = None
    if encoder is None:
        from .embed import SentenceTransformerEmbedder

        encoder = SentenceTransformerEmbedder()
    return encoder


def passages_by_id(passages: Sequence[Passage]) -> dict[str, Passage]:
    return {p.id: p for p in passages}
