"""ONNX export of the sentence-transformers model and a torch-free encoder that runs it."""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import write_atomic
from .embed import model_name
from .errors import ModelError

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "onnx_encoder.json"
FORMAT_VERSION = 1
OPSET = 17
MODEL_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"
FIX_HINT = "run `assistant index build` to (re)export it"


def onnx_files_present(out_dir: Path) -> bool:
    """True when the model, tokenizer and settings files of an export exist and are non-empty."""
    files = (Path(out_dir) / name for name in (ONNX_FILE, TOKENIZER_FILE, CONFIG_FILE))
    return all(f.is_file() and f.stat().st_size > 0 for f in files)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from exc


def _query_settings(model_dir: Path) -> dict[str, Any]:
    """What query-time needs, read from the sentence-transformers module configs."""
    modules = {m["type"].rsplit(".", 1)[-1]: m for m in _read_json(model_dir / "modules.json")}
    if "Transformer" not in modules or "Pooling" not in modules:
        raise ModelError(f"{model_dir} is not a Transformer + Pooling sentence-transformers model")
    transformer_dir = model_dir / modules["Transformer"]["path"]
    pooling = _read_json(model_dir / modules["Pooling"]["path"] / "config.json")
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v is True]
    if modes != ["pooling_mode_mean_tokens"] and pooling.get("pooling_mode") != "mean":
        raise ModelError(f"only mean pooling can be exported to ONNX, not {modes}")
    st_config = _read_json(transformer_dir / "sentence_bert_config.json")
    hf_config = _read_json(transformer_dir / "config.json")
    return {
        "transformer_dir": transformer_dir,
        "max_seq_length": int(
            st_config.get("max_seq_length") or hf_config.get("max_position_embeddings", 512)
        ),
        "do_lower_case": bool(st_config.get("do_lower_case", False)),
        "pooling": "mean",
        "normalize": "Normalize" in modules,
        "dim": int(pooling.get("word_embedding_dimension") or hf_config["hidden_size"]),
    }


def export_onnx(model_dir: Path, out_dir: Path) -> Path:
    """Export the model's transformer to `out_dir` with its tokenizer and settings; returns out_dir.

    Imports torch and transformers: for index build time only.
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    settings = _query_settings(model_dir)
    transformer_dir = settings.pop("transformer_dir")

    import torch
    from transformers import AutoModel, AutoTokenizer

    try:
        # Eager attention traces to plain MatMul/Softmax ops that export cleanly.
        model = AutoModel.from_pretrained(
            str(transformer_dir), local_files_only=True, attn_implementation="eager"
        ).eval()
        hf_tokenizer = AutoTokenizer.from_pretrained(str(transformer_dir), local_files_only=True)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the model in {transformer_dir}: {exc}") from exc
    source_tokenizer = transformer_dir / TOKENIZER_FILE
    if not source_tokenizer.is_file():
        raise ModelError(f"{transformer_dir} has no {TOKENIZER_FILE} (a fast tokenizer is needed)")

    batch = hf_tokenizer(
        ["a short one", "a somewhat longer sentence so that the first row gets padding"],
        padding=True,
        return_tensors="pt",
    )
    input_names = [n for n in MODEL_INPUTS if n in batch]

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *args: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(input_names, args, strict=True))).last_hidden_state

    dynamic_axes = {n: {0: "batch", 1: "sequence"} for n in [*input_names, OUTPUT]}

    def write_onnx(path: Path) -> None:
        # The tracer's warnings are about code paths that do not vary with these inputs.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHiddenState(),
                tuple(batch[n] for n in input_names),
                str(path),
                input_names=input_names,
                output_names=[OUTPUT],
                dynamic_axes=dynamic_axes,
                opset_version=OPSET,
                do_constant_folding=True,
                dynamo=False,
            )

    settings |= {
        "format": FORMAT_VERSION,
        "name": model_name(model_dir),
        "opset": OPSET,
        "inputs": input_names,
        "output": OUTPUT,
        "pad_token": hf_tokenizer.pad_token,
        "pad_id": int(hf_tokenizer.pad_token_id),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / ONNX_FILE, write_onnx)
    write_atomic(out_dir / TOKENIZER_FILE, lambda p: p.write_bytes(source_tokenizer.read_bytes()))
    # Written last: its presence marks a complete export.
    write_atomic(
        out_dir / CONFIG_FILE,
        lambda p: p.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8"),
    )
    return out_dir


class OnnxEmbedder:
    """Encodes with onnxruntime + tokenizers, matching the sentence-transformers embeddings."""

    def __init__(self, out_dir: Path, batch_size: int = 32, threads: int = 2) -> None:
        from tokenizers import Tokenizer

        self.path = Path(out_dir)
        self.batch_size = batch_size
        if not onnx_files_present(self.path):
            raise ModelError(f"the ONNX encoder files are missing in {self.path}; {FIX_HINT}.")
        try:
            config = json.loads((self.path / CONFIG_FILE).read_text(encoding="utf-8"))
            if config.get("format") != FORMAT_VERSION:
                raise ValueError(f"export format {config.get('format')!r} is not {FORMAT_VERSION}")
            self.name: str = config["name"]
            self.dim: int = int(config["dim"])
            self._max_len = int(config["max_seq_length"])
            self._lower = bool(config["do_lower_case"])
            self._normalize = bool(config["normalize"])
            self._output = config["output"]
            tokenizer = Tokenizer.from_file(str(self.path / TOKENIZER_FILE))
            tokenizer.enable_truncation(max_length=self._max_len)
            tokenizer.enable_padding(pad_id=int(config["pad_id"]), pad_token=config["pad_token"])
        except Exception as exc:  # tokenizers raises assorted non-standard types
            raise self._unreadable(exc) from exc
        self._tokenizer = tokenizer
        self._threads = threads
        self._session_error: ModelError | None = None
        # Creating the session (~0.1 s) overlaps with the caller's other start-up work.
        self._loader = threading.Thread(target=self._load_session, name="onnx-session")
        self._loader.start()

    def _unreadable(self, exc: Exception) -> ModelError:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return ModelError(f"the ONNX encoder in {self.path} is unreadable ({reason}); {FIX_HINT}.")

    def _load_session(self) -> None:
        import onnxruntime as ort

        try:
            options = ort.SessionOptions()
            options.log_severity_level = 3
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            session = ort.InferenceSession(
                str(self.path / ONNX_FILE), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises assorted non-standard types
            self._session_error = self._unreadable(exc)
            return
        self._inputs = [i.name for i in session.get_inputs()]
        outputs = [o.name for o in session.get_outputs()]
        if not set(self._inputs) <= set(MODEL_INPUTS) or self._output not in outputs:
            self._session_error = ModelError(
                f"the ONNX encoder in {self.path} has unexpected inputs or outputs; {FIX_HINT}."
            )
            return
        self._session = session

    def wait(self) -> None:
        """Block until the session is ready; raise ModelError if it could not be created."""
        self._loader.join()
        if self._session_error is not None:
            raise self._session_error

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.wait()
        texts = [t.lower() for t in texts] if self._lower else list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Length-sorted batches pad less; rows are put back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._encode_batch([texts[i] for i in rows])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        arrays = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self._session.run([self._output], {n: arrays[n] for n in self._inputs})[0]
        mask = arrays["attention_mask"][:, :, None].astype(np.float32)
        vectors = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        if self._normalize:
            vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        return vectors.astype(np.float32, copy=False)
