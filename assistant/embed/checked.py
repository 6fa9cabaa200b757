"""The query encoder that matches a loaded index: its ONNX export, checked against a canary."""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AssistantError, IndexCorruptError, ModelError
from . import Embedder, FakeEmbedder, whole_words

if TYPE_CHECKING:
    import numpy as np

    from ..index.load import IndexData
    from ..index.manifest import Manifest

Notice = Callable[[str], None]


class _Unusable:
    """An export that cannot be used (ModelError): encoding raises it, so the caller falls back."""

    def __init__(self, error: ModelError, name: str, dim: int) -> None:
        self.error, self.name, self.dim = error, name, dim

    def cancel(self) -> None:
        return None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise self.error


def start_onnx_encoder(folder: Path, manifest: Manifest) -> Embedder:
    """Start loading a build's ONNX export, every file checked against the manifest. A file that
    fails its check raises IndexCorruptError (now or on first use); an export onnxruntime cannot
    use gives an encoder whose first use raises ModelError."""
    from ..index.load import check_index_bytes, read_index_bytes
    from .onnx import OnnxEmbedder

    sub = manifest.query_encoder
    assert sub is not None
    try:
        return OnnxEmbedder(
            folder / sub,
            read=lambda name: read_index_bytes(folder, f"{sub}/{name}", manifest),
            check=lambda name, data: check_index_bytes(f"{sub}/{name}", data, manifest),
        )
    except ModelError as exc:
        return _Unusable(exc, manifest.model.name, manifest.dim)


class _CheckedEncoder:
    """The exported ONNX encoder, checked on first use against the vector the index builder
    stored for a canary text; if it is unusable or disagrees, sentence-transformers takes over.
    A damaged index file is not a reason to fall back: IndexCorruptError propagates."""

    def __init__(
        self,
        primary: Embedder,
        canary_text: str,
        canary_vector: Sequence[float],
        notice: Notice,
        *,
        name: str | None = None,
        dim: int | None = None,
    ) -> None:
        self.name = name or primary.name
        self.dim = dim or primary.dim
        self._primary = primary
        self._canary = (canary_text, tuple(canary_vector))
        self._notice = notice
        self._active: Embedder | None = None

    def _choose(self) -> Embedder:
        import numpy as np

        text, vector = self._canary
        try:
            got = self._primary.encode([text])[0]
            if float(got @ np.asarray(vector, dtype=np.float32)) >= 0.999:
                return self._primary
            self._notice(
                "the exported query encoder disagrees with the index; using sentence-transformers"
            )
        except IndexCorruptError:
            raise
        except AssistantError as exc:
            self._notice(f"{exc}; falling back to sentence-transformers (slower start)")
        from . import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._active is None:
            self._active = self._choose()
        return self._active.encode(texts)

    def whole_words(self) -> Container[str]:
        try:
            return whole_words(self._active or self._primary)
        except AssistantError:
            return frozenset()  # the encoder's own error is raised where it encodes


def query_embedder(index: IndexData, notice: Notice = lambda _: None) -> Embedder:
    """The fast encoder that matches the index: ONNX when exported, else sentence-transformers."""
    manifest = index.manifest
    if manifest.model.is_fake:
        return FakeEmbedder(manifest.dim)
    encoder = index.onnx_encoder
    if encoder is None and manifest.query_encoder:
        encoder = start_onnx_encoder(index.folder, manifest)
    if encoder is not None:
        return _CheckedEncoder(
            encoder,
            manifest.canary_text,
            manifest.canary_vector,
            notice,
            name=manifest.model.name,
            dim=manifest.dim,
        )
    from . import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()
