"""Build the index: embed passages, sentences and exemplar banks, write and checksum every file.

A build writes into a temporary folder, flushes it to disk, renames it to a name no other build
has used, and only then points CURRENT at it (recording the manifest's checksum); an interrupted
build (SIGKILL, full disk, power loss) therefore leaves the previous index usable. Index files
hold only the public article, exemplars and vectors, so they are readable by all users.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import fsync_dir
from ..corpus import Bank, Corpus, corpus_hash, load_banks, load_corpus
from ..embed import Embedder, FakeEmbedder, model_fingerprint, model_path
from ..errors import IndexWriteError
from ..passages import PARSER_VERSION
from ..paths import corpus_dir, index_dir
from ..query import load_lexicon, stem_line
from ..text import terms, tokenizer_fingerprint
from .load import index_status
from .manifest import (
    BANKS_FILE,
    CANARY_TEXT,
    FORMAT_VERSION,
    MANIFEST_FILE,
    FileEntry,
    Manifest,
    ModelInfo,
    bank_file,
)
from .store import BUILDS, build_lock, current_name, fresh_name, prune, write_current

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stages run one after another; each starts with done=0 when its
work starts and ends with done=total. In between, `done` counts units of about equal cost (texts,
in batches whose order is shuffled), so elapsed / done * (total - done) estimates the time left
in the stage. Embedding is nearly all of a build's time after the model has loaded."""

BATCH = 32
STAGE_MODEL = "loading the embedding model"
STAGE_EMBED = "embedding passages, sentences and exemplars"
STAGE_EXPORT = "exporting the query encoder"
STAGE_WRITE = "writing the index"
STAGE_CHECK = "checksumming the index"


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def build_key(corpus_digest: str, model_digest: str) -> str:
    text = f"{FORMAT_VERSION}|{PARSER_VERSION}|{corpus_digest}|{model_digest}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_bytes(path: Path, data: bytes) -> None:
    """Write a whole new file and flush it to disk, so write errors (a full disk) surface here."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _model_identity(embedder: Embedder) -> ModelInfo:
    if isinstance(embedder, FakeEmbedder):
        return ModelInfo(embedder.name, f"fake-{embedder.dim}")
    path = model_path()
    weights = path / "model.safetensors"
    stat = weights.stat() if weights.is_file() else None
    return ModelInfo(
        embedder.name,
        model_fingerprint(path),
        str(path),
        (stat.st_size, stat.st_mtime_ns) if stat else None,
    )


def _write_faiss(vectors: np.ndarray, path: Path) -> None:
    """Serialise in memory, then write from Python: a failing write raises OSError with its errno
    (faiss.write_index would raise a bare RuntimeError from C++)."""
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    _write_bytes(path, faiss.serialize_index(index).tobytes())


def _export_query_encoder(folder: Path, embedder: Embedder) -> str | None:
    if isinstance(embedder, FakeEmbedder):
        return None
    from ..embed.onnx import export_onnx

    export_onnx(model_path(), folder / "onnx")
    return "onnx"


def embed_texts(embedder: Embedder, texts: Sequence[str], progress: Progress) -> np.ndarray:
    """Unit vectors for `texts`, in order. Batches hold texts of similar length (less padding)
    and run in a shuffled order, so every batch costs about the same on average and progress
    counted in texts advances steadily in time."""
    import numpy as np

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    random.Random(0).shuffle(batches)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    done = 0
    progress(STAGE_EMBED, 0, len(texts))
    for rows in batches:
        out[rows] = embedder.encode([texts[i] for i in rows])
        done += len(rows)
        progress(STAGE_EMBED, done, len(texts))
    return out


def _build_into(
    folder: Path,
    corpus: Corpus,
    banks: dict[str, Bank],
    embedder: Embedder,
    identity: ModelInfo,
    progress: Progress,
    corpus_digest: str,
) -> str:
    """Write a complete build into `folder`; returns the sha256 of its manifest."""
    passages, sentences = corpus.passages, corpus.parsed.sentences
    texts = [p.embed_text() for p in passages] + [s.text for s in sentences]
    for bank in banks.values():
        texts += bank.texts
    matrix = embed_texts(embedder, texts, progress)
    progress(STAGE_WRITE, 0, 1)
    split = len(passages) + len(sentences)
    _write_faiss(matrix[: len(passages)], folder / "passages.faiss")
    _write_faiss(matrix[len(passages) : split], folder / "sentences.faiss")
    for name, bank in banks.items():
        _write_faiss(matrix[split : split + len(bank.texts)], folder / bank_file(name))
        split += len(bank.texts)
    questions = banks.get("questions")
    payload = {
        "source": corpus.source_name,
        "passages": [p.to_json() for p in passages],
        "sentences": [[s.passage_id, s.start, s.end, s.text] for s in sentences],
        # BM25 terms, so a query process does not re-tokenise every passage.
        "terms": {
            "tokenizer": tokenizer_fingerprint(),
            "passages": [p.lexical_terms() for p in passages],
            "questions": [terms(t) for t in questions.texts] if questions else [],
            # the lexicon's phrases as stem lines, so a query does not stem them all again
            "phrases": {p: stem_line(p) for p in load_lexicon().phrases()},
        },
    }
    _write_bytes(folder / "passages.json", json.dumps(payload, ensure_ascii=False).encode())
    stored = {n: {"labels": list(b.labels), "texts": list(b.texts)} for n, b in banks.items()}
    _write_bytes(folder / BANKS_FILE, json.dumps(stored, ensure_ascii=False).encode())
    progress(STAGE_WRITE, 1, 1)
    progress(STAGE_EXPORT, 0, 1)
    encoder_dir = _export_query_encoder(folder, embedder)
    progress(STAGE_EXPORT, 1, 1)
    progress(STAGE_CHECK, 0, 1)
    canary = embedder.encode([CANARY_TEXT])[0]
    manifest = Manifest(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        corpus_hash=corpus_digest,
        parser_version=PARSER_VERSION,
        model=identity,
        dim=int(matrix.shape[1]),
        counts={"passages": len(passages), "sentences": len(sentences)},
        banks={name: len(bank.texts) for name, bank in banks.items()},
        files=_checksums(folder, encoder_dir),
        query_encoder=encoder_dir,
        canary_text=CANARY_TEXT,
        canary_vector=tuple(round(float(x), 7) for x in canary),
    )
    data = json.dumps(manifest.to_json(), indent=2).encode()
    Manifest.from_json(json.loads(data))  # what readers will accept, or fail here
    _write_bytes(folder / MANIFEST_FILE, data)
    progress(STAGE_CHECK, 1, 1)
    return hashlib.sha256(data).hexdigest()


def _checksums(folder: Path, encoder_dir: str | None) -> dict[str, FileEntry]:
    """Every file of the build (the encoder's folder included), by relative name."""
    paths = [p for p in folder.iterdir() if p.is_file()]
    if encoder_dir:
        paths += sorted((folder / encoder_dir).iterdir())
    return {
        p.relative_to(folder).as_posix(): FileEntry(_sha256(p), p.stat().st_size)
        for p in sorted(paths)
    }


def _sync_tree(folder: Path) -> None:
    """Flush every file and folder of a finished build before it is renamed into place, so a
    power loss cannot leave a named build with empty files (the query encoder is written by
    embed/onnx.py without fsync)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            fsync_dir(path)
    fsync_dir(folder)


def _default_embedder() -> Embedder:
    from ..embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def build_index(
    embedder_factory: Callable[[], Embedder] | None = None,
    *,
    root: Path | None = None,
    force: bool = False,
    progress: Progress = _no_progress,
) -> tuple[str, Path]:
    """Build the index unless the current one already matches; returns (what happened, folder).
    A current index is recognised before the lock is taken, so a read-only one is "up to date"."""
    root = root or index_dir()
    if not force and index_status(root).state == "current":
        return "up to date", root
    if embedder_factory is None:
        model_path()  # a missing model is a ModelError now, before any progress or folder
    try:
        with build_lock(root):
            if not force and index_status(root).state == "current":
                return "up to date", root
            _build(root, embedder_factory or _default_embedder, progress)
            return "built", root
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise IndexWriteError(
            f"cannot write the index in {root} ({reason}); the previous index is unchanged. "
            f"Free space or set ASSISTANT_HOME to a writable folder."
        ) from exc


def _build(root: Path, embedder_factory: Callable[[], Embedder], progress: Progress) -> None:
    progress(STAGE_MODEL, 0, 1)
    embedder = embedder_factory()
    progress(STAGE_MODEL, 1, 1)
    # Hash before parsing: if the corpus changes in between, the index reads as stale.
    corpus_folder = corpus_dir()
    digest = corpus_hash(corpus_folder)
    corpus = load_corpus(corpus_folder)
    banks = load_banks(corpus_folder)
    identity = _model_identity(embedder)
    key = build_key(digest, identity.fingerprint)
    builds = root / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    previous = current_name(root)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key}-", dir=builds))
    try:
        manifest_sha = _build_into(tmp, corpus, banks, embedder, identity, progress, digest)
        _sync_tree(tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes it owner-only; readers may be other users
        final = fresh_name(builds, key)
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fsync_dir(builds)
    write_current(root, final.name, manifest_sha)
    prune(root, keep=final.name, previous=previous)
