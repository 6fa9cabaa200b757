"""Index build, staleness, corruption and atomic replacement (fake embedder: fast)."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from index_tools import current_build, edited_manifest, write_manifest

from assistant.corpus import load_banks, load_corpus
from assistant.embed import FakeEmbedder
from assistant.errors import IndexCorruptError, IndexMissingError, IndexStaleError, IndexWriteError
from assistant.index import Manifest, build_index, index_status, load_index
from assistant.index import build as build_module
from assistant.index.manifest import MANIFEST_LIMIT

ROOT = Path(__file__).resolve().parent.parent
BANK_FILES = {"banks.json", "questions.faiss", "safety.faiss", "scope.faiss"}


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    build_index(FakeEmbedder, root=tmp_path / "index")
    return tmp_path / "index"


def test_build_writes_manifest_and_is_current(root: Path) -> None:
    manifest = json.loads((current_build(root) / "manifest.json").read_text())
    assert manifest["parser_version"] and manifest["corpus_hash"]
    assert manifest["model"]["name"] == FakeEmbedder.name and manifest["dim"] == 64
    assert set(manifest["files"]) == {"passages.json", "passages.faiss", "sentences.faiss"} | (
        BANK_FILES
    )
    assert all(len(meta["sha256"]) == 64 for meta in manifest["files"].values())
    pointer = json.loads((root / "CURRENT").read_text())
    assert pointer["format"] == manifest["format"] == 3
    status = index_status(root)
    assert status.state == "current", status.detail
    data = load_index(root)
    assert len(data.passages) == len(load_corpus().passages)
    assert data.passage_vectors.shape == (len(data.passages), 64)
    assert data.manifest.dim == 64 and data.manifest.model.is_fake


def test_build_embeds_every_exemplar_bank(root: Path) -> None:
    import numpy as np

    data = load_index(root)
    banks = load_banks()
    assert set(data.banks) == set(banks) == {"questions", "safety", "scope"}
    embedder = FakeEmbedder(64)
    for name, bank in banks.items():
        stored = data.banks[name]
        assert stored.labels == bank.labels and stored.texts == bank.texts
        assert stored.vectors.shape == (len(bank.texts), 64)
        np.testing.assert_allclose(np.linalg.norm(stored.vectors, axis=1), 1.0, atol=1e-5)
        np.testing.assert_allclose(stored.vectors[:5], embedder.encode(bank.texts[:5]), atol=1e-6)
        assert data.manifest.banks[name] == len(bank.texts)


def test_lexical_terms_are_stored_so_a_query_process_does_not_retokenise(root: Path) -> None:
    from assistant.retrieve import Retriever
    from assistant.text import terms

    data = load_index(root)
    bank = load_banks()["questions"]
    assert data.passage_terms == tuple(tuple(p.lexical_terms()) for p in data.passages)
    assert data.question_terms == tuple(tuple(terms(t)) for t in bank.texts)
    stored = Retriever(data, FakeEmbedder(64))
    computed = Retriever(dataclasses.replace(data, question_terms=None), FakeEmbedder(64))
    assert stored.bank_bm25 is not None and computed.bank_bm25 is not None
    assert stored.bank_bm25.scores({"estradiol": 1.0, "ratio": 1.0}) == pytest.approx(
        computed.bank_bm25.scores({"estradiol": 1.0, "ratio": 1.0})
    )


def test_progress_reports_every_stage_from_zero_to_total(tmp_path: Path) -> None:
    """Each stage starts at 0 when its work starts and ends at its total; the embedding stage
    counts texts, one call per batch, so a caller can show a percentage and time left."""
    calls: list[tuple[str, int, int]] = []
    build_index(FakeEmbedder, root=tmp_path / "index", progress=lambda *a: calls.append(a))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages[0] == build_module.STAGE_MODEL and build_module.STAGE_EMBED in stages
    # One stage after another: a stage's calls are contiguous.
    assert [s for s, _ in itertools.groupby(stage for stage, _, _ in calls)] == stages
    for stage in stages:
        seen = [(done, total) for s, done, total in calls if s == stage]
        assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1], (stage, seen)
        assert [d for d, _ in seen] == sorted(d for d, _ in seen)
        assert len({t for _, t in seen}) == 1
    embedded = [done for s, done, _ in calls if s == build_module.STAGE_EMBED]
    data = load_index(tmp_path / "index")
    texts = len(data.passages) + len(data.sentences) + sum(data.manifest.banks.values())
    assert embedded[-1] == texts and len(embedded) == 1 + -(-texts // build_module.BATCH)
    steps = {b - a for a, b in itertools.pairwise(embedded)}
    assert max(steps) == build_module.BATCH


def test_embedding_order_does_not_change_vectors(tmp_path: Path) -> None:
    """Length-sorted, shuffled batches put every row back in input order."""
    texts = [f"text number {i} " + "word " * (i % 7) for i in range(100)]
    got = build_module.embed_texts(FakeEmbedder(16), texts, lambda *a: None)
    assert (got == FakeEmbedder(16).encode(texts)).all()


def test_second_build_is_skipped_when_nothing_changed(root: Path) -> None:
    what, _ = build_index(FakeEmbedder, root=root)
    assert what == "up to date"
    what, _ = build_index(FakeEmbedder, root=root, force=True)
    assert what == "built"


def test_missing_index(tmp_path: Path) -> None:
    assert index_status(tmp_path / "none").state == "missing"
    with pytest.raises(IndexMissingError, match="assistant index build"):
        load_index(tmp_path / "none")


@pytest.mark.parametrize(
    "name", ["passages.json", "passages.faiss", "sentences.faiss", "manifest.json"]
)
def test_truncated_file_is_detected(root: Path, name: str) -> None:
    path = current_build(root) / name
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError):
        load_index(root)


def test_bit_flip_is_detected(root: Path) -> None:
    path = current_build(root) / "passages.faiss"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match="checksum"):
        load_index(root)


def test_deleted_file_and_garbage_pointer(root: Path) -> None:
    (current_build(root) / "sentences.faiss").unlink()
    with pytest.raises(IndexCorruptError, match="missing"):
        load_index(root)
    (root / "CURRENT").write_text("garbage")
    with pytest.raises(IndexCorruptError):
        load_index(root)


def test_changed_corpus_makes_the_index_stale(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    with (corpus / "article.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nA new closing paragraph.\n")
    monkeypatch.setenv("ASSISTANT_CORPUS", str(corpus))
    assert index_status(root).state == "stale"
    with pytest.raises(IndexStaleError, match="corpus changed"):
        load_index(root)


def test_interrupted_build_leaves_the_previous_index_usable(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (root / "CURRENT").read_text()

    def explode(folder: Path, *args: object) -> None:
        (folder / "passages.json").write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "_build_into", explode)
    with pytest.raises(IndexWriteError, match="disk full"):
        build_index(FakeEmbedder, root=root, force=True)
    assert (root / "CURRENT").read_text() == before
    assert index_status(root).state == "current"
    assert not list((root / "builds").glob(".tmp-*"))


def test_unwritable_folder_gives_a_write_error(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores permission bits, so the refusal is simulated where the build first writes."""
    before = (root / "CURRENT").read_text()

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(build_module.tempfile, "mkdtemp", refuse)
    with pytest.raises(IndexWriteError, match="Permission denied"):
        build_index(FakeEmbedder, root=root, force=True)
    assert (root / "CURRENT").read_text() == before


def test_unusable_exported_encoder_falls_back_with_a_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A query encoder that disagrees with the index's canary vector is replaced, with a notice."""
    from assistant.embed.checked import _CheckedEncoder

    class Wrong:
        name, dim = "wrong", 4

        def encode(self, texts):
            import numpy as np

            return np.tile(np.array([1, 0, 0, 0], dtype=np.float32), (len(texts), 1))

    class Reference(Wrong):
        def encode(self, texts):
            import numpy as np

            return np.tile(np.array([0, 1, 0, 0], dtype=np.float32), (len(texts), 1))

    monkeypatch.setattr("assistant.embed.SentenceTransformerEmbedder", Reference)
    notes: list[str] = []
    encoder = _CheckedEncoder(Wrong(), "c", [0.0, 1.0, 0.0, 0.0], notes.append)
    assert encoder.encode(["q"])[0][1] == 1.0
    assert notes and "disagrees" in notes[0]


def test_any_change_to_the_manifest_is_corrupt_not_stale(root: Path) -> None:
    """CURRENT records the manifest's sha256: a bit flip reads as corrupt (5), even one that
    leaves valid JSON naming another corpus (which would otherwise read as stale)."""
    path = current_build(root) / "manifest.json"
    text = path.read_text()
    manifest = json.loads(text)
    path.write_text(text.replace(manifest["corpus_hash"], "0" * 64))
    status = index_status(root)
    assert status.state == "corrupt" and "checksum" in status.detail
    with pytest.raises(IndexCorruptError, match="checksum"):
        load_index(root)


def test_old_format_pointer_reads_as_stale(root: Path) -> None:
    pointer = json.loads((root / "CURRENT").read_text())
    (root / "CURRENT").write_text(json.dumps({"build": pointer["build"]}))
    assert index_status(root).state == "stale"
    with pytest.raises(IndexStaleError, match="old format"):
        load_index(root)


MANIFEST_EDITS: dict[str, Callable[[dict], object]] = {
    "canary-int": lambda m: m.__setitem__("canary", 7),
    "canary-short": lambda m: m["canary"].__setitem__("vector", m["canary"]["vector"][:3]),
    "canary-nan": lambda m: m["canary"]["vector"].__setitem__(0, float("nan")),
    "canary-strings": lambda m: m["canary"].__setitem__("vector", ["1"] * m["dim"]),
    "query-encoder-int": lambda m: m.__setitem__("query_encoder", 7),
    "encoder-dir-parent": lambda m: m.__setitem__("query_encoder", {"dir": "../x"}),
    "encoder-dir-absolute": lambda m: m.__setitem__("query_encoder", {"dir": "/tmp"}),
    "encoder-dir-dot": lambda m: m.__setitem__("query_encoder", {"dir": "."}),
    "encoder-dir-nested": lambda m: m.__setitem__("query_encoder", {"dir": "a/b"}),
    "file-outside": lambda m: m["files"].__setitem__("../x", m["files"]["passages.json"]),
    "file-nested": lambda m: m["files"].__setitem__("a/b", m["files"]["passages.json"]),
    "file-absolute": lambda m: m["files"].__setitem__(
        "/etc/passwd", {"sha256": "0" * 64, "size": 1}
    ),
    "size-bool": lambda m: m["files"]["passages.json"].__setitem__("size", True),
    "size-negative": lambda m: m["files"]["passages.json"].__setitem__("size", -1),
    "size-float": lambda m: m["files"]["passages.json"].__setitem__("size", 1.0),
    "sha-int": lambda m: m["files"]["passages.json"].__setitem__("sha256", 7),
    "sha-short": lambda m: m["files"]["passages.json"].__setitem__("sha256", "abc"),
    "dim-bool": lambda m: m.__setitem__("dim", True),
    "dim-zero": lambda m: m.__setitem__("dim", 0),
    "dim-huge": lambda m: m.__setitem__("dim", 10**9),
    "counts-negative": lambda m: m["counts"].__setitem__("passages", -1),
    "counts-extra": lambda m: m["counts"].__setitem__("x", 1),
    "bank-name": lambda m: m["banks"].__setitem__("../x", 1),
    "bank-file-missing": lambda m: m["files"].pop("safety.faiss"),
    "banks-list": lambda m: m.__setitem__("banks", []),
    "model-path-int": lambda m: m["model"].__setitem__("path", 7),
    "model-stat": lambda m: m["model"].__setitem__("stat", [1, "x"]),
    "format-string": lambda m: m.__setitem__("format", "3"),
    "extra-field": lambda m: m.__setitem__("surprise", 1),
    "missing-field": lambda m: m.pop("created"),
    "empty-object": lambda m: m.clear(),
}


@pytest.mark.parametrize("name", list(MANIFEST_EDITS))
def test_manifest_with_wrong_types_or_shapes_is_refused(root: Path, name: str) -> None:
    data = edited_manifest(root, MANIFEST_EDITS[name])
    with pytest.raises(ValueError):
        Manifest.from_json(json.loads(data))
    write_manifest(root, data)
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError, match="damaged"):
        load_index(root)


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 200_000 + b"]" * 200_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b"\xff\xfe{}",
        b"",
    ],
    ids=["deep-list", "deep-dict", "not-utf8", "empty"],
)
def test_deeply_nested_or_undecodable_manifest_is_corrupt(root: Path, data: bytes) -> None:
    write_manifest(root, data)
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError):
        load_index(root)


def test_manifest_round_trips(root: Path) -> None:
    data = json.loads((current_build(root) / "manifest.json").read_text())
    manifest = Manifest.from_json(data)
    assert manifest.to_json() == data
    with pytest.raises(dataclasses.FrozenInstanceError):
        manifest.dim = 3  # type: ignore[misc]


def test_oversized_manifest_is_refused_before_reading(root: Path) -> None:
    write_manifest(root, b" " * (MANIFEST_LIMIT + 1))
    with pytest.raises(IndexCorruptError, match="larger than"):
        load_index(root)


@pytest.mark.parametrize("name", ["passages.json", "banks.json"])
def test_deeply_nested_data_file_is_corrupt(root: Path, name: str) -> None:
    """A data file rewritten with a matching checksum (a crafted build) still fails cleanly."""
    data = b"[" * 100_000 + b"]" * 100_000
    (current_build(root) / name).write_bytes(data)
    entry = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    write_manifest(root, edited_manifest(root, lambda m: m["files"].__setitem__(name, entry)))
    with pytest.raises(IndexCorruptError, match="damaged"):
        load_index(root)
