"""The manifest: a typed, validated record of one build (identity, counts, file checksums)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

FORMAT_VERSION = 3
MANIFEST_FILE = "manifest.json"
MANIFEST_LIMIT = 1 << 20
CANARY_TEXT = "Anastrozole lowers estradiol and can raise testosterone in subfertile men."
REBUILD_HINT = "run `assistant index build`"
REQUIRED_FILES = ("passages.json", "passages.faiss", "sentences.faiss")
BANKS_FILE = "banks.json"
PLAIN_NAME = re.compile(r"[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEYS = {
    "format",
    "created",
    "corpus_hash",
    "parser_version",
    "model",
    "dim",
    "counts",
    "banks",
    "files",
    "query_encoder",
    "canary",
}


def is_plain_name(name: object) -> bool:
    """A single file or folder name: no separator, not '.' or '..', no leading dot."""
    return isinstance(name, str) and PLAIN_NAME.fullmatch(name) is not None and ".." not in name


def bank_file(bank: str) -> str:
    return f"{bank}.faiss"


class FileEntry(NamedTuple):
    sha256: str
    size: int


class ModelInfo(NamedTuple):
    """The embedding model the build used; `path` and `stat` let staleness checks skip hashing."""

    name: str
    fingerprint: str
    path: str | None = None
    stat: tuple[int, int] | None = None

    @property
    def is_fake(self) -> bool:
        return self.fingerprint.startswith("fake-")


@dataclass(frozen=True)
class Manifest:
    """One build's record. `files` maps relative names (`passages.json`, `onnx/model.onnx`) to
    their checksum and size; `banks` maps each exemplar bank to its number of texts."""

    created: str
    corpus_hash: str
    parser_version: str
    model: ModelInfo
    dim: int
    counts: Mapping[str, int]
    banks: Mapping[str, int]
    files: Mapping[str, FileEntry]
    query_encoder: str | None
    canary_text: str
    canary_vector: tuple[float, ...]
    format: int = FORMAT_VERSION

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Validate decoded JSON; any missing, extra or mistyped field raises ValueError."""
        _check(isinstance(data, dict) and set(data) == _KEYS, "unexpected fields")
        _check(data["format"] == FORMAT_VERSION and _is_int(data["format"]), "format")
        dim = data["dim"]
        _check(_is_int(dim) and 0 < dim <= 65536, "dim")
        encoder = data["query_encoder"]
        plain_dir = isinstance(encoder, dict) and set(encoder) == {"dir"}
        _check(encoder is None or (plain_dir and is_plain_name(encoder["dir"])), "query_encoder")
        folder = encoder["dir"] if encoder else None
        files = _files(data["files"], folder)
        counts = _counts(data["counts"])
        _check(set(counts) == {"passages", "sentences"}, "counts")
        banks = _counts(data["banks"])
        _check(all(is_plain_name(b) and "." not in b for b in banks), "bank names")
        needed = [*REQUIRED_FILES, *(bank_file(b) for b in banks), *([BANKS_FILE] if banks else [])]
        _check(all(name in files for name in needed), "files listed")
        canary = data["canary"]
        _check(isinstance(canary, dict) and set(canary) == {"text", "vector"}, "canary")
        vector = canary["vector"]
        _check(isinstance(canary["text"], str) and isinstance(vector, list), "canary")
        _check(len(vector) == dim and all(_is_number(x) for x in vector), "canary vector")
        for key in ("created", "corpus_hash", "parser_version"):
            _check(isinstance(data[key], str), key)
        return cls(
            created=data["created"],
            corpus_hash=data["corpus_hash"],
            parser_version=data["parser_version"],
            model=_model(data["model"]),
            dim=dim,
            counts=counts,
            banks=banks,
            files=files,
            query_encoder=folder,
            canary_text=canary["text"],
            canary_vector=tuple(float(x) for x in vector),
        )

    def to_json(self) -> dict[str, Any]:
        model = self.model
        return {
            "format": self.format,
            "created": self.created,
            "corpus_hash": self.corpus_hash,
            "parser_version": self.parser_version,
            "model": {
                "name": model.name,
                "fingerprint": model.fingerprint,
                "path": model.path,
                "stat": list(model.stat) if model.stat else None,
            },
            "dim": self.dim,
            "counts": dict(self.counts),
            "banks": dict(self.banks),
            "files": {n: {"sha256": e.sha256, "size": e.size} for n, e in self.files.items()},
            "query_encoder": {"dir": self.query_encoder} if self.query_encoder else None,
            "canary": {"text": self.canary_text, "vector": list(self.canary_vector)},
        }


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(f"manifest field {what} is missing or malformed")


def _is_int(value: object) -> bool:
    return type(value) is int


def _is_number(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


def _counts(data: Any) -> Mapping[str, int]:
    _check(isinstance(data, dict), "counts")
    _check(all(isinstance(k, str) and _is_int(v) and v >= 0 for k, v in data.items()), "counts")
    return MappingProxyType(dict(data))


def _files(data: Any, encoder_dir: str | None) -> Mapping[str, FileEntry]:
    """Relative names: a plain name, or `ENCODER_DIR/plain name`; nothing else."""
    _check(isinstance(data, dict), "files")
    files = {}
    for name, meta in data.items():
        parts = name.split("/") if isinstance(name, str) else [None]
        _check(
            (len(parts) == 1 and is_plain_name(parts[0]))
            or (len(parts) == 2 and parts[0] == encoder_dir and is_plain_name(parts[1])),
            "file name",
        )
        _check(isinstance(meta, dict) and set(meta) == {"sha256", "size"}, "file entry")
        digest, size = meta["sha256"], meta["size"]
        _check(isinstance(digest, str) and _SHA256.fullmatch(digest) is not None, "sha256")
        _check(_is_int(size) and size >= 0, "file size")
        files[name] = FileEntry(digest, size)
    return MappingProxyType(files)


def _model(data: Any) -> ModelInfo:
    _check(isinstance(data, dict) and set(data) == {"name", "fingerprint", "path", "stat"}, "model")
    name, fingerprint, path, stat = data["name"], data["fingerprint"], data["path"], data["stat"]
    _check(isinstance(name, str) and isinstance(fingerprint, str) and bool(fingerprint), "model")
    _check(path is None or isinstance(path, str), "model path")
    _check(
        stat is None or (isinstance(stat, list) and len(stat) == 2 and all(map(_is_int, stat))),
        "model stat",
    )
    return ModelInfo(name, fingerprint, path, (stat[0], stat[1]) if stat else None)
