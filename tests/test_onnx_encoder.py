"""Tests for the ONNX export and the torch-free OnnxEmbedder."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.embed import model_path, set_offline_env
from assistant.embed.onnx import (
    CONFIG_FILE,
    FORMAT_VERSION,
    ONNX_FILE,
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    OnnxEmbedder,
    export_onnx,
    onnx_files_present,
)
from assistant.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (ROOT / "corpus" / "article.txt").read_text(encoding="utf-8")


def parity_texts() -> list[str]:
    short = ["T", "E2", "FSH", "a", "?", "", "   "]
    numbers = [
        "T 9.4 nmol/L, E2 118 pmol/L",
        "LH 3.2 IU/L; FSH 12 IU/L; T/E2 ratio < 10",
        "1 mg twice weekly for 12 weeks",
        "3.14159 2.71828 1e-9",
        "20–40 million/mL (95% CI 1.2–3.4)",
    ]
    unicode = [
        "sperm concentration ≥ 15 million/mL",
        "∞",
        "“quoted” and ‘single’ – dashes — too",
        "café naïve résumé Ångström",
        "emoji 💊🧬👨‍⚕️ in a sentence",
        "中文 测试 日本語のテキスト 한국어",
        "Ελληνικά και кириллица",
        "ANASTROZOLE Aromatase INHIBITOR",
        "tab\tnew\nline\r\nend",
        "zero\u200bwidth and non\u00a0breaking",
    ]
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", ARTICLE)]
    medium = ["Does anastrozole improve sperm count?"]
    medium += [s for s in sentences if 40 <= len(s) <= 300][:20]
    long = [
        ARTICLE[:3000],
        ARTICLE[-4000:],
        "word " * 400,
        "≥ ∞ “é” 💊 中文 " * 120,
        "word " * 253,  # 253 + [CLS] + [SEP] = 255 tokens: just under the limit
        "word " * 254,  # exactly 256
        "word " * 255,  # one token truncated
    ]
    texts = short + numbers + unicode + medium + long
    assert len(texts) == 50
    return texts


@pytest.fixture(scope="session")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_onnx(model_path(), tmp_path_factory.mktemp("onnx_export"))


@pytest.fixture(scope="session")
def onnx_embedder(export_dir: Path) -> OnnxEmbedder:
    return OnnxEmbedder(export_dir)


@pytest.mark.model
def test_export_writes_files_and_settings(export_dir: Path) -> None:
    assert onnx_files_present(export_dir)
    config = json.loads((export_dir / CONFIG_FILE).read_text())
    assert config["max_seq_length"] == 256
    assert config["pooling"] == "mean"
    assert config["normalize"] is True
    assert config["dim"] == 384
    assert config["opset"] >= 14
    assert sorted(p.name for p in export_dir.iterdir()) == sorted(
        [ONNX_FILE, WEIGHTS_FILE, TOKENIZER_FILE, CONFIG_FILE]
    )
    # The graph is small; every weight sits in the weights file, 64-byte aligned, as ONNX
    # external data (so onnxruntime alone could load the pair from disk too).
    assert (export_dir / ONNX_FILE).stat().st_size < 1_000_000
    layout = config["weights"]
    assert len(layout) > 50 and all(offset % 64 == 0 for *_, offset in layout)
    import onnxruntime as ort

    session = ort.InferenceSession(str(export_dir / ONNX_FILE), providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["last_hidden_state"]


@pytest.mark.model
def test_parity_with_sentence_transformers(onnx_embedder: OnnxEmbedder) -> None:
    from assistant.embed import SentenceTransformerEmbedder

    reference = SentenceTransformerEmbedder()
    texts = parity_texts()
    ours, theirs = onnx_embedder.encode(texts), reference.encode(texts)
    assert onnx_embedder.name == reference.name
    assert onnx_embedder.dim == reference.dim
    assert ours.dtype == np.float32 and ours.shape == (50, 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.9999, f"text {worst} {texts[worst][:40]!r}: cos {cosines[worst]}"


@pytest.mark.model
def test_batching_and_truncation(onnx_embedder: OnnxEmbedder) -> None:
    texts = parity_texts()
    batched = onnx_embedder.encode(texts)
    one_by_one = np.vstack([onnx_embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    head = "word " * 300
    a, b = onnx_embedder.encode([head + "alpha", head + "completely different ending"])
    np.testing.assert_array_equal(a, b)
    assert onnx_embedder.encode([]).shape == (0, 384)


@pytest.mark.model
def test_no_torch_in_query_process(export_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from assistant.embed.onnx import OnnxEmbedder; "
        f"v = OnnxEmbedder(Path({str(export_dir)!r})).encode(['does anastrozole help?']); "
        "assert v.shape == (1, 384); "
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') "
        "if m in sys.modules))"
    )
    set_offline_env()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=os.environ, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.model
@pytest.mark.parametrize("name", [ONNX_FILE, WEIGHTS_FILE])
def test_truncated_export_gives_model_error(export_dir: Path, tmp_path: Path, name: str) -> None:
    shutil.copytree(export_dir, tmp_path / "cut")
    data = (export_dir / name).read_bytes()
    (tmp_path / "cut" / name).write_bytes(data[: len(data) // 2])
    encoder = OnnxEmbedder(tmp_path / "cut")  # the session loads in the background
    with pytest.raises(ModelError, match="assistant index build"):
        encoder.encode(["x"])


@pytest.fixture
def fake_export(tmp_path: Path) -> Path:
    """An export folder with real settings and tokenizer but a garbage model file."""
    shutil.copy(model_path() / TOKENIZER_FILE, tmp_path / TOKENIZER_FILE)
    settings = {
        "format": FORMAT_VERSION,
        "name": "x",
        "dim": 384,
        "max_seq_length": 256,
        "do_lower_case": False,
        "normalize": True,
        "pooling": "mean",
        "output": "last_hidden_state",
        "pad_token": "[PAD]",
        "pad_id": 0,
        "weights": [["w", "<f4", [4], 0]],
    }
    (tmp_path / CONFIG_FILE).write_text(json.dumps(settings))
    (tmp_path / ONNX_FILE).write_bytes(b"this is not an onnx model\n" * 10)
    (tmp_path / WEIGHTS_FILE).write_bytes(bytes(16))
    return tmp_path


def test_missing_files_give_model_error(tmp_path: Path) -> None:
    assert not onnx_files_present(tmp_path / "nowhere")
    with pytest.raises(ModelError, match=r"missing.*assistant index build"):
        OnnxEmbedder(tmp_path / "nowhere")


def test_garbage_onnx_gives_model_error(fake_export: Path) -> None:
    assert onnx_files_present(fake_export)
    with pytest.raises(ModelError, match=r"unreadable.*assistant index build") as info:
        OnnxEmbedder(fake_export).wait()
    assert "\n" not in str(info.value)


def test_empty_or_corrupt_settings_give_model_error(fake_export: Path) -> None:
    (fake_export / CONFIG_FILE).write_text("{not json")
    with pytest.raises(ModelError, match="unreadable"):
        OnnxEmbedder(fake_export)
    (fake_export / CONFIG_FILE).write_text("")
    assert not onnx_files_present(fake_export)
    with pytest.raises(ModelError, match="missing"):
        OnnxEmbedder(fake_export)


def test_settings_with_a_bad_weights_layout_give_model_error(fake_export: Path) -> None:
    settings = json.loads((fake_export / CONFIG_FILE).read_text())
    for layout in (None, [["w", "object", [4], 0]], [["w", "<f4", [-1], 0]], [["w"]]):
        settings["weights"] = layout
        (fake_export / CONFIG_FILE).write_text(json.dumps(settings))
        with pytest.raises(ModelError, match="unreadable"):
            OnnxEmbedder(fake_export)
    settings["weights"] = [["w", "<f4", [1000], 0]]  # more than the weights file holds
    (fake_export / CONFIG_FILE).write_text(json.dumps(settings))
    with pytest.raises(ModelError, match="unreadable"):
        OnnxEmbedder(fake_export).wait()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_in_an_export_gives_model_error_at_once(fake_export: Path) -> None:
    (fake_export / WEIGHTS_FILE).unlink()
    os.mkfifo(fake_export / WEIGHTS_FILE)
    with pytest.raises(ModelError, match="missing"):
        OnnxEmbedder(fake_export).wait()
    # Past the presence check (a reader that skips it), the bounded read refuses the FIFO.
    from assistant.safe_files import read_bytes

    def read(name: str) -> bytes:
        try:
            return read_bytes(fake_export / name, 1 << 30, within=fake_export)
        except OSError as exc:
            raise ModelError(f"{name}: {exc.strerror}") from exc

    with pytest.raises(ModelError, match="not a regular file"):
        OnnxEmbedder(fake_export, read=read).wait()


def test_the_model_file_is_read_once_and_handed_over_as_bytes(
    fake_export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the reader returns (checked bytes) is what onnxruntime gets: no second read."""
    import onnxruntime as ort

    reads: list[str] = []
    seen: list[object] = []

    def read(name: str) -> bytes:
        reads.append(name)
        return (fake_export / name).read_bytes()

    def fake_session(model, *args, **kwargs):
        seen.append(model)
        raise RuntimeError("stop here")

    monkeypatch.setattr(ort, "InferenceSession", fake_session)
    with pytest.raises(ModelError, match="stop here"):
        OnnxEmbedder(fake_export, read=read).wait()
    assert sorted(reads) == sorted([CONFIG_FILE, ONNX_FILE, WEIGHTS_FILE, TOKENIZER_FILE])
    assert seen == [(fake_export / ONNX_FILE).read_bytes()]
