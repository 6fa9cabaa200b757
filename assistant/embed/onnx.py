"""ONNX export of the sentence-transformers model and a torch-free encoder that runs it.

An export is four files: `model.onnx` (the graph, ~100 KB), `model.weights` (every floating-point
initializer, 64-byte aligned, marked as ONNX external data so the pair stays a standard ONNX
model), `tokenizer.json`, and `onnx_encoder.json` (settings and the weights' layout). At query
time the weights are read once and handed to onnxruntime without a copy (external initializers):
a session then costs less time and memory than parsing a 90 MB protobuf. Every file is checked
before use; the weights' checksum is computed while onnxruntime builds the session from those
same bytes (they are plain numbers, and the graph that gives them meaning is checked before it
is parsed), and the session is used only once the checksum matched.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_atomic
from ..errors import AssistantError, ModelError
from ..safe_files import read_bytes
from . import WholeWords, model_name

if TYPE_CHECKING:
    import numpy as np

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "onnx_encoder.json"
WEIGHTS_FILE = "model.weights"
EXPORT_FILES = (ONNX_FILE, WEIGHTS_FILE, TOKENIZER_FILE, CONFIG_FILE)
FORMAT_VERSION = 2
_ALIGN = 64
_DTYPES = ("<f4", "<f2", "<f8")  # plain numbers only: anything else stays in the graph
OPSET = 17
MODEL_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"
FIX_HINT = "run `assistant index build` to (re)export it"
# Bounds for reading an export outside an index (inside one, the manifest's sizes bound reads).
READ_LIMITS = {ONNX_FILE: 64 << 20, WEIGHTS_FILE: 4 << 30, TOKENIZER_FILE: 64 << 20}
READ_LIMITS[CONFIG_FILE] = 16 << 20


def onnx_files_present(out_dir: Path) -> bool:
    """True when the files of an export exist and are non-empty."""
    files = (Path(out_dir) / name for name in EXPORT_FILES)
    return all(f.is_file() and f.stat().st_size > 0 for f in files)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(read_bytes(path, 16 << 20).decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
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

    weights: dict[str, Any] = {}

    def write_graph(path: Path) -> None:
        write_onnx(path)
        graph, weights["data"], weights["layout"] = _split_weights(path)
        path.write_bytes(graph)

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
    write_atomic(out_dir / ONNX_FILE, write_graph)
    write_atomic(out_dir / WEIGHTS_FILE, weights["data"])
    settings["weights"] = weights["layout"]
    write_atomic(out_dir / TOKENIZER_FILE, lambda p: p.write_bytes(source_tokenizer.read_bytes()))
    # Written last: its presence marks a complete export.
    write_atomic(
        out_dir / CONFIG_FILE,
        lambda p: p.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8"),
    )
    return out_dir


def _split_weights(path: Path) -> tuple[bytes, bytes, list[list[Any]]]:
    """Move every initializer's data out of an ONNX file: (graph bytes, weights bytes, layout),
    the layout one [name, dtype, shape, offset] per tensor. The initializers become ONNX
    external data pointing into WEIGHTS_FILE, so onnxruntime alone could still load the pair."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    chunks: list[bytes] = []
    layout: list[list[Any]] = []
    offset = 0
    for tensor in model.graph.initializer:
        array = np.ascontiguousarray(numpy_helper.to_array(tensor))
        array = array.astype(array.dtype.newbyteorder("<"), copy=False)
        if array.dtype.str not in _DTYPES:
            continue  # shapes and indices stay in the graph, checked before it is parsed
        chunks.append(b"\0" * (-offset % _ALIGN))
        offset += len(chunks[-1])
        data = array.tobytes()
        chunks.append(data)
        layout.append([tensor.name, array.dtype.str, list(array.shape), offset])
        for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data"):
            tensor.ClearField(field)
        tensor.data_location = onnx.TensorProto.EXTERNAL
        del tensor.external_data[:]
        for key, value in (("location", WEIGHTS_FILE), ("offset", offset), ("length", len(data))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, str(value)
        offset += len(data)
    return model.SerializeToString(), b"".join(chunks), layout


def _weights_layout(data: Any) -> list[tuple[str, str, tuple[int, ...], int]]:
    """The [name, dtype, shape, offset] rows of an export's settings, checked."""
    if not isinstance(data, list):
        raise ValueError("weights layout is not a list")
    rows = []
    for row in data:
        name, dtype, shape, offset = row
        ok = isinstance(name, str) and dtype in _DTYPES and isinstance(shape, list)
        ok = ok and all(type(n) is int and n >= 0 for n in shape) and type(offset) is int
        if not ok or offset < 0:
            raise ValueError("weights layout is malformed")
        rows.append((name, dtype, tuple(shape), offset))
    return rows


def _error_of(function: Callable[..., object], *args: object) -> BaseException | None:
    """Run `function`; return what it raised (None if nothing)."""
    try:
        function(*args)
    except BaseException as exc:
        return exc
    return None


class OnnxEmbedder:
    """Encodes with onnxruntime + tokenizers, matching the sentence-transformers embeddings.

    `read(name)` returns the bytes of one export file (by default: a bounded read in
    `out_dir`); `check(name, data)` raises if they are not the expected bytes (inside an index:
    IndexCorruptError unless they match the manifest's checksum). The settings are read and
    checked at once; the model is read once and loaded by a background thread, the tokenizer on
    first use, and any error there is raised then.
    """

    def __init__(
        self,
        out_dir: Path,
        batch_size: int = 32,
        threads: int = 2,
        *,
        read: Callable[[str], bytes] | None = None,
        check: Callable[[str, bytes], None] | None = None,
    ) -> None:
        self.path = Path(out_dir)
        self.batch_size = batch_size
        self._threads = threads
        if read is None and not onnx_files_present(self.path):
            raise ModelError(f"the ONNX encoder files are missing in {self.path}; {FIX_HINT}.")
        self._read = read or self._read_local
        self._check = check or (lambda name, data: None)
        settings = self._read_checked(CONFIG_FILE)
        try:
            config = json.loads(settings.decode("utf-8"))
            if config.get("format") != FORMAT_VERSION:
                raise ValueError(f"export format {config.get('format')!r} is not {FORMAT_VERSION}")
            self.name: str = str(config["name"])
            self.dim: int = int(config["dim"])
            self._max_len = int(config["max_seq_length"])
            self._lower = bool(config["do_lower_case"])
            self._normalize = bool(config["normalize"])
            self._output = str(config["output"])
            self._pad = (int(config["pad_id"]), str(config["pad_token"]))
            self._layout = _weights_layout(config["weights"])
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise self._unreadable(exc) from exc
        self._error: AssistantError | None = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        # Reading, checking and loading (~0.3 s) overlap with the caller's other start-up work.
        self._loader = threading.Thread(target=self._load, name="onnx-session")
        self._loader.start()

    def _read_checked(self, name: str) -> bytes:
        data = self._read(name)
        self._check(name, data)
        return data

    def _read_local(self, name: str) -> bytes:
        try:
            return read_bytes(self.path / name, READ_LIMITS[name], within=self.path)
        except OSError as exc:
            raise self._unreadable(exc) from exc

    def _unreadable(self, exc: BaseException) -> ModelError:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return ModelError(f"the ONNX encoder in {self.path} is unreadable ({reason}); {FIX_HINT}.")

    def _load(self) -> None:
        try:
            graph, weights = self._read_checked(ONNX_FILE), self._read(WEIGHTS_FILE)
            if self._cancelled.is_set():
                return
            # The weights' checksum is computed (the GIL released) while the session is built
            # from the same bytes; the session is kept only if the checksum matches.
            checked: list[BaseException | None] = []
            checker = threading.Thread(
                target=lambda: checked.append(_error_of(self._check, WEIGHTS_FILE, weights)),
                name="onnx-check",
            )
            checker.start()
            session, failure = None, None
            try:
                session = self._load_session(graph, weights)
            except Exception as exc:  # reported after the checksum: a mismatch explains it
                failure = exc
            checker.join()
            if checked[0] is not None:
                raise checked[0]
            if failure is not None:
                raise failure
            self._session = session
        except AssistantError as exc:
            self._error = exc
        except Exception as exc:  # onnxruntime raises assorted non-standard types
            self._error = self._unreadable(exc)

    def _load_tokenizer(self) -> None:
        """Load the tokenizer (it holds the GIL: done by the caller while the session loads)."""
        from tokenizers import Tokenizer

        data = self._read_checked(TOKENIZER_FILE)
        try:
            tokenizer = Tokenizer.from_str(data.decode("utf-8"))
            tokenizer.enable_truncation(max_length=self._max_len)
            tokenizer.enable_padding(pad_id=self._pad[0], pad_token=self._pad[1])
        except Exception as exc:  # tokenizers raises assorted non-standard types
            raise self._unreadable(exc) from exc
        self._tokenizer = tokenizer

    def _load_session(self, graph: bytes, weights: bytes) -> Any:
        import numpy as np
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        # Graph optimisation costs about 0.1-0.15 s at every start (measured here) and saves
        # about a millisecond per encoded text; a query encodes a handful, so skip it.
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        names, values = [], []
        for name, dtype, shape, offset in self._layout:
            count = int(np.prod(shape, dtype=np.int64))
            array = np.frombuffer(weights, dtype=dtype, count=count, offset=offset)
            names.append(name)
            values.append(ort.OrtValue.ortvalue_from_numpy(array.reshape(shape)))
        options.add_external_initializers(names, values)
        session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        self._weights = values  # onnxruntime uses their memory for the session's lifetime
        self._inputs = [i.name for i in session.get_inputs()]
        outputs = [o.name for o in session.get_outputs()]
        if not set(self._inputs) <= set(MODEL_INPUTS) or self._output not in outputs:
            raise ModelError(
                f"the ONNX encoder in {self.path} has unexpected inputs or outputs; {FIX_HINT}."
            )
        return session

    def cancel(self) -> None:
        """Skip loading the model if it has not started (the caller will not use this encoder)."""
        self._cancelled.set()

    def wait(self) -> None:
        """Block until the encoder is ready; raise the error that stopped it, if any
        (ModelError, or IndexCorruptError when a file fails its check)."""
        with self._lock:
            if self._tokenizer is None:
                self._load_tokenizer()
        self._loader.join()
        if self._error is not None:
            raise self._error
        if self._cancelled.is_set() and not hasattr(self, "_session"):
            raise ModelError(f"the ONNX encoder in {self.path} was not loaded; {FIX_HINT}.")

    def whole_words(self) -> WholeWords:
        """The tokenizer's whole alphabetic words ("forum", not "##rum"): a list of correctly
        spelled words that ships with the model."""
        with self._lock:
            if self._tokenizer is None:
                self._load_tokenizer()
        return WholeWords(self._tokenizer.token_to_id)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

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
        import numpy as np

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
