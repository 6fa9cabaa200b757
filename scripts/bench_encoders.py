"""Compare start-up time, query latency and peak memory of the ST and ONNX encoders."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.embed import Embedder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import bench, python_code, run_process

QUERY = "Can anastrozole improve sperm count in men with low testosterone?"
RUNS = 5


def run_child(code: str) -> tuple[float, float]:
    return run_process(python_code(code))


def bench_child(code: str) -> tuple[float, float]:
    return bench(python_code(code), RUNS)


def encode_latency(embedder: Embedder) -> float:
    embedder.encode([QUERY])
    times = []
    for _ in range(20):
        start = time.perf_counter()
        embedder.encode([QUERY])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    os.environ.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    with tempfile.TemporaryDirectory() as tmp:
        export = (
            "from pathlib import Path; from assistant.embed import model_path; "
            "from assistant.embed.onnx import export_onnx; "
            f"export_onnx(model_path(), Path({tmp!r}))"
        )
        export_s, _ = run_child(export)
        print(f"export (fresh process): {export_s:.1f} s")
        onnx_load = (
            "from pathlib import Path; from assistant.embed.onnx import OnnxEmbedder; "
            f"OnnxEmbedder(Path({tmp!r})).encode([{QUERY!r}])"
        )
        st_load = (
            "from assistant.embed import SentenceTransformerEmbedder; "
            f"SentenceTransformerEmbedder().encode([{QUERY!r}])"
        )
        children = {
            "import sentence_transformers": "import sentence_transformers",
            "ST: load + encode 1 query": st_load,
            "ONNX: import + load + encode 1 query": onnx_load,
        }
        results = {label: bench_child(code) for label, code in children.items()}

        from assistant.embed import SentenceTransformerEmbedder
        from assistant.embed.onnx import OnnxEmbedder

        st_ms = encode_latency(SentenceTransformerEmbedder()) * 1000
        onnx_ms = encode_latency(OnnxEmbedder(Path(tmp))) * 1000

    print(
        f"\n{'fresh process (median of ' + str(RUNS) + ')':<40} {'wall s':>8} {'peak RSS MiB':>13}"
    )
    for label, (wall, rss) in results.items():
        print(f"{label:<40} {wall:>8.2f} {rss:>13.0f}")
    print(f"\n{'in-process, 1 query (median of 20)':<40} {'ms':>8}")
    print(f"{'SentenceTransformerEmbedder':<40} {st_ms:>8.1f}")
    print(f"{'OnnxEmbedder':<40} {onnx_ms:>8.1f}")


if __name__ == "__main__":
    main()
