"""Verify and load the current build: pointer, manifest, checksums and staleness, then the data.

Every file is read once, bounded by the size its manifest records, and checked against its
checksum before it is parsed. Loading only reads: a read-only index folder works.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..corpus import corpus_hash
from ..embed import MODEL_ENV, builder_installed, model_fingerprint, model_path
from ..errors import (
    AssistantError,
    IndexCorruptError,
    IndexMissingError,
    IndexStaleError,
    ModelError,
)
from ..passages import PARSER_VERSION, Passage, Sentence
from ..paths import index_to_read
from ..safe_files import inside, parse_json, read_bytes, sha256_of
from ..text import tokenizer_fingerprint
from .manifest import (
    BANKS_FILE,
    MANIFEST_FILE,
    MANIFEST_LIMIT,
    REBUILD_HINT,
    Manifest,
    ModelInfo,
    bank_file,
)
from .store import BUILDS, build_folder, read_current

if TYPE_CHECKING:
    import numpy as np

    from ..embed import Embedder

LOAD_ATTEMPTS = 5
T = TypeVar("T")


@dataclass(frozen=True)
class BankVectors:
    """One exemplar bank: labels and texts in file order, and their unit vectors (one row each)."""

    labels: tuple[str, ...]
    texts: tuple[str, ...]
    vectors: np.ndarray


@dataclass(frozen=True)
class IndexData:
    """A verified, loaded index. `onnx_encoder` is the build's exported query encoder, already
    loading in the background (None when the build has none); use `query_embedder(index)`."""

    folder: Path
    manifest: Manifest
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray
    passage_terms: tuple[tuple[str, ...], ...] | None = None
    question_terms: tuple[tuple[str, ...], ...] | None = None  # the question bank's, in order
    phrase_stems: dict[str, str] | None = None  # the lexicon's phrases -> their stem lines
    banks: dict[str, BankVectors] = field(default_factory=dict)
    onnx_encoder: Embedder | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class IndexStatus:
    state: str  # "current", "missing", "stale", "corrupt"
    detail: str
    folder: Path


def _corrupt(name: str, problem: str) -> IndexCorruptError:
    return IndexCorruptError(f"index file {name} {problem}; {REBUILD_HINT}")


def read_index_bytes(folder: Path, name: str, manifest: Manifest) -> bytes:
    """A file of the build, read once: a regular file inside the build, of exactly the size
    the manifest records (never more is read). Not yet checked: see check_index_bytes."""
    entry = manifest.files.get(name)
    if entry is None:
        raise _corrupt(name, "is not listed in the manifest")
    try:
        data = read_bytes(folder / name, entry.size, within=folder)
    except FileNotFoundError:
        raise _corrupt(name, "is missing") from None
    except OSError as exc:
        raise _corrupt(name, f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) != entry.size:
        raise _corrupt(name, "has the wrong size")
    return data


def check_index_bytes(name: str, data: bytes, manifest: Manifest) -> None:
    """IndexCorruptError unless `data` has the checksum the manifest records for `name`."""
    entry = manifest.files.get(name)
    if entry is None or hashlib.sha256(data).hexdigest() != entry.sha256:
        raise _corrupt(name, "fails its checksum")


def read_index_file(folder: Path, name: str, manifest: Manifest) -> bytes:
    """A file of the build, read once (bounded by its recorded size) and checked against its
    checksum; anything wrong is an IndexCorruptError."""
    data = read_index_bytes(folder, name, manifest)
    check_index_bytes(name, data, manifest)
    return data


def _check_files(folder: Path, manifest: Manifest, *, deep: bool) -> None:
    """Every listed file exists with its recorded size; `deep` also checks every checksum."""
    for name, entry in manifest.files.items():
        try:
            if deep:
                digest, size = sha256_of(folder / name, entry.size, within=folder)
            else:
                digest, size = entry.sha256, os.stat(inside(folder / name, folder)).st_size
        except FileNotFoundError:
            raise _corrupt(name, "is missing") from None
        except OSError as exc:
            raise _corrupt(name, f"cannot be read ({exc.strerror or exc})") from exc
        if size != entry.size:
            raise _corrupt(name, "has the wrong size")
        if digest != entry.sha256:
            raise _corrupt(name, "fails its checksum")


def _load_manifest(root: Path) -> tuple[Path, Manifest]:
    """The current build's folder and its manifest, checked against the pointer's checksum."""
    pointer = read_current(root)
    if pointer is None:
        raise IndexMissingError(f"no index in {root}; {REBUILD_HINT}")
    folder = build_folder(root, pointer.build)
    damaged = f"index manifest in {folder} is damaged; {REBUILD_HINT}"
    try:
        inside(folder, root / BUILDS)
        data = read_bytes(folder / MANIFEST_FILE, MANIFEST_LIMIT, within=folder)
    except FileNotFoundError as exc:
        raise IndexCorruptError(
            f"index build {pointer.build} is missing its manifest; {REBUILD_HINT}"
        ) from exc
    except OSError as exc:
        raise IndexCorruptError(
            f"index manifest in {folder} cannot be read ({exc.strerror or exc}); {REBUILD_HINT}"
        ) from exc
    if hashlib.sha256(data).hexdigest() != pointer.manifest_sha256:
        raise IndexCorruptError(f"index manifest in {folder} fails its checksum; {REBUILD_HINT}")
    try:
        manifest = Manifest.from_json(parse_json(data, folder / MANIFEST_FILE))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(damaged) from exc
    return folder, manifest


def _current_model_fingerprint(recorded: ModelInfo) -> str:
    """The installed model's fingerprint, cheaply when its weights file looks unchanged. A
    missing or unreadable model is a ModelError (exit 7), not a stale index."""
    if recorded.is_fake:
        return recorded.fingerprint
    path = model_path()
    weights = path / "model.safetensors"
    try:
        if recorded.stat and str(path) == recorded.path and weights.is_file():
            stat = weights.stat()
            if (stat.st_size, stat.st_mtime_ns) == recorded.stat:
                return recorded.fingerprint
        return model_fingerprint(path)
    except OSError as exc:
        raise ModelError(f"the embedding model in {path} cannot be read ({exc})") from exc


def _staleness(manifest: Manifest) -> str | None:
    if manifest.parser_version != PARSER_VERSION:
        return "the passage parser changed"
    if manifest.corpus_hash != corpus_hash():
        return "the corpus changed"
    if _model_changed(manifest):
        return "the embedding model changed"
    return None


def _model_changed(manifest: Manifest) -> bool:
    try:
        return _current_model_fingerprint(manifest.model) != manifest.model.fingerprint
    except ModelError:
        # An install without the builder (a wheel with a prebuilt index) has no model package:
        # the index's own ONNX encoder is then the model, and nothing can have changed it.
        if manifest.query_encoder and not os.environ.get(MODEL_ENV) and not builder_installed():
            return False
        raise


def _stale_message(reason: str) -> str:
    return f"index is stale: {reason}; {REBUILD_HINT}"


def _retrying(root: Path, read: Callable[[], T]) -> T:
    """Run `read`; if it fails because a rebuild moved CURRENT on (and pruned the build being
    read), read the new build instead. A damaged index fails the same way every time."""
    for attempt in range(LOAD_ATTEMPTS):
        before = _pointer_or_none(root)
        try:
            return read()
        except (IndexCorruptError, IndexMissingError):
            if attempt == LOAD_ATTEMPTS - 1 or _pointer_or_none(root) == before:
                raise
    raise AssertionError("unreachable")


def _pointer_or_none(root: Path) -> object:
    try:
        return read_current(root)
    except AssistantError:
        return None


def _verified(root: Path) -> tuple[Path, Manifest]:
    folder, manifest = _load_manifest(root)
    _check_files(folder, manifest, deep=True)
    return folder, manifest


def index_status(root: Path | None = None) -> IndexStatus:
    """Whether the index is current, every file checked against its checksum (vectors are not
    loaded). A missing or unreadable embedding model raises ModelError."""
    root = root or index_to_read()
    try:
        folder, manifest = _retrying(root, lambda: _verified(root))
    except IndexMissingError as exc:
        return IndexStatus("missing", str(exc), root)
    except IndexStaleError as exc:
        return IndexStatus("stale", str(exc), root)
    except IndexCorruptError as exc:
        return IndexStatus("corrupt", str(exc), root)
    reason = _staleness(manifest)
    if reason:
        return IndexStatus("stale", _stale_message(reason), root)
    counts = manifest.counts
    detail = (
        f"index is current: {counts['passages']} passages, {counts['sentences']} sentences, "
        f"{sum(manifest.banks.values())} exemplars, model {manifest.model.name}, "
        f"built {manifest.created}"
    )
    return IndexStatus("current", detail, folder)


def load_index(root: Path | None = None, *, check_stale: bool = True) -> IndexData:
    """Load and verify the current index, or raise a one-line IndexMissingError,
    IndexStaleError, IndexCorruptError (or ModelError when the embedding model is missing)."""
    root = root or index_to_read()
    return _retrying(root, lambda: _load_once(root, check_stale))


def _load_once(root: Path, check_stale: bool) -> IndexData:
    folder, manifest = _load_manifest(root)
    encoder = None
    if manifest.query_encoder:
        # Started first: reading, checking and loading the model overlaps with everything else.
        from ..embed.checked import start_onnx_encoder

        encoder = start_onnx_encoder(folder, manifest)
    passages, sentences = manifest.counts["passages"], manifest.counts["sentences"]
    try:
        _check_files(folder, manifest, deep=False)
        if check_stale and (reason := _staleness(manifest)):
            raise IndexStaleError(_stale_message(reason))
        return IndexData(
            folder=folder,
            manifest=manifest,
            **_read_passages(folder, manifest),
            passage_vectors=_read_vectors(folder, manifest, "passages.faiss", passages),
            sentence_vectors=_read_vectors(folder, manifest, "sentences.faiss", sentences),
            banks=_read_banks(folder, manifest),
            onnx_encoder=encoder,
        )
    except BaseException:
        if encoder is not None:
            encoder.cancel()  # type: ignore[attr-defined]
        raise


def _read_passages(folder: Path, manifest: Manifest) -> dict[str, Any]:
    data = read_index_file(folder, "passages.json", manifest)
    try:
        payload = parse_json(data)
        passages = tuple(Passage.from_json(p) for p in payload["passages"])
        sentences = tuple(
            Sentence(str(a), int(b), int(c), str(d)) for a, b, c, d in payload["sentences"]
        )
        stored = payload.get("terms") or {}
        passage_terms = question_terms = phrase_stems = None
        if stored.get("tokenizer") == tokenizer_fingerprint():
            phrases = stored.get("phrases") or {}
            phrase_stems = {str(k): str(v) for k, v in phrases.items()}
            passage_terms = tuple(tuple(map(str, t)) for t in stored["passages"])
            if len(passage_terms) != len(passages):
                raise ValueError("terms do not match passages")
            if stored.get("questions"):
                question_terms = tuple(tuple(map(str, t)) for t in stored["questions"])
                if len(question_terms) != manifest.banks.get("questions", -1):
                    raise ValueError("terms do not match the question bank")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _corrupt("passages.json", "is damaged") from exc
    counts = manifest.counts
    if (len(passages), len(sentences)) != (counts["passages"], counts["sentences"]):
        raise _corrupt("passages.json", "does not match its manifest")
    return {
        "passages": passages,
        "sentences": sentences,
        "passage_terms": passage_terms,
        "question_terms": question_terms,
        "phrase_stems": phrase_stems,
    }


def _read_vectors(folder: Path, manifest: Manifest, name: str, rows: int) -> np.ndarray:
    return parse_vectors(read_index_file(folder, name, manifest), name, rows, manifest.dim)


def parse_vectors(data: bytes, name: str, rows: int, dim: int) -> np.ndarray:
    """The (rows, dim) vectors of a FAISS file's bytes: the flat layout without faiss, any other
    through faiss itself."""
    from ..faiss_flat import parse_flat_ip

    vectors = parse_flat_ip(data)
    if vectors is None:
        import faiss
        import numpy as np

        try:
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
            vectors = np.asarray(index.reconstruct_n(0, index.ntotal), dtype=np.float32)
        except (RuntimeError, ValueError) as exc:
            raise _corrupt(name, "cannot be read") from exc
    if vectors.shape != (rows, dim):
        raise _corrupt(name, "does not match its manifest")
    return vectors


def _read_banks(folder: Path, manifest: Manifest) -> dict[str, BankVectors]:
    if not manifest.banks:
        return {}
    try:
        payload = parse_json(read_index_file(folder, BANKS_FILE, manifest))
        banks = {}
        for name, count in manifest.banks.items():
            entry = payload[name]
            labels = tuple(str(x) for x in entry["labels"])
            texts = tuple(str(x) for x in entry["texts"])
            if len(labels) != count or len(texts) != count:
                raise ValueError(f"bank {name} does not match its manifest")
            vectors = _read_vectors(folder, manifest, bank_file(name), count)
            banks[name] = BankVectors(labels, texts, vectors)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _corrupt(BANKS_FILE, "is damaged") from exc
    return banks
