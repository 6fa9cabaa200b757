"""Index build, staleness, corruption and atomic replacement (fake embedder: fast)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant import index as index_module
from assistant.corpus import load_corpus
from assistant.embed import FakeEmbedder
from assistant.errors import IndexCorruptError, IndexMissingError, IndexStaleError, IndexWriteError
from assistant.index import build_index, index_status, load_index


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    build_index(FakeEmbedder, root=tmp_path / "index")
    return tmp_path / "index"


def current_build(root: Path) -> Path:
    return root / "builds" / json.loads((root / "CURRENT").read_text())["build"]


def test_build_writes_manifest_and_is_current(root: Path) -> None:
    manifest = json.loads((current_build(root) / "manifest.json").read_text())
    assert manifest["parser_version"] and manifest["corpus_hash"]
    assert manifest["model"]["name"] == FakeEmbedder.name and manifest["dim"] == 64
    assert set(manifest["files"]) == {"passages.json", "passages.faiss", "sentences.faiss"}
    status = index_status(root)
    assert status.state == "current", status.detail
    data = load_index(root)
    assert len(data.passages) == len(load_corpus().passages)
    assert data.passage_vectors.shape == (len(data.passages), 64)


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
    shutil.copytree(Path(index_module.__file__).parent.parent / "corpus", corpus)
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

    monkeypatch.setattr(index_module, "_build_into", explode)
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

    monkeypatch.setattr(index_module.tempfile, "mkdtemp", refuse)
    with pytest.raises(IndexWriteError, match="Permission denied"):
        build_index(FakeEmbedder, root=root, force=True)
    assert (root / "CURRENT").read_text() == before


def test_unusable_exported_encoder_falls_back_with_a_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A query encoder that disagrees with the index's canary vector is replaced, with a notice."""
    from assistant.index import _CheckedEncoder

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
    manifest = {"canary": {"text": "c", "vector": [0.0, 1.0, 0.0, 0.0]}}
    encoder = _CheckedEncoder(Wrong(), manifest, notes.append)
    assert encoder.encode(["q"])[0][1] == 1.0
    assert notes and "disagrees" in notes[0]


@pytest.mark.parametrize("field", ["canary", "query_encoder"])
def test_manifest_missing_or_mistyped_fields_read_as_corrupt(root: Path, field: str) -> None:
    path = current_build(root) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest[field] = 7
    path.write_text(json.dumps(manifest))
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError):
        load_index(root)
