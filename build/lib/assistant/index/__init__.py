"""The search index: build it, verify and load it (see store, manifest, build and load).

Layout under the index folder (`store.py`):

    CURRENT                 {"format", "build": NAME, "manifest_sha256"}: the build readers use
    .lock                   held while a build runs, so two builds never interleave
    builds/NAME/            one complete build, never changed once in place
        manifest.json       identity, counts, and the sha256 and size of every other file
        passages.json       passages and sentences with their source offsets, BM25 terms
        passages.faiss      inner-product index over unit-length passage vectors
        sentences.faiss     the same for every sentence
        banks.json          labels and texts of the exemplar banks (corpus.load_banks)
        NAME.faiss          one per bank: questions, safety, scope
        onnx/               the query-time encoder (embed/onnx.py)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..embed.checked import query_embedder
from .load import BankVectors, IndexData, IndexStatus, index_status, load_index, read_index_file
from .manifest import CANARY_TEXT, FORMAT_VERSION, REBUILD_HINT, Manifest
from .store import build_lock

if TYPE_CHECKING:
    from .build import Progress, build_index, build_key

_FROM_BUILD = ("Progress", "build_index", "build_key")


def __getattr__(name: str) -> Any:
    """The builder loads on first use: `ask` never needs it (nor its imports)."""
    if name in _FROM_BUILD:
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CANARY_TEXT",
    "FORMAT_VERSION",
    "REBUILD_HINT",
    "BankVectors",
    "IndexData",
    "IndexStatus",
    "Manifest",
    "Progress",
    "build_index",
    "build_key",
    "build_lock",
    "index_status",
    "load_index",
    "query_embedder",
    "read_index_file",
]
