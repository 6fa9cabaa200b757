"""Scale check: a synthetic corpus of 20,000 passages through the real build and `ask`.

    .venv/bin/python scripts/bench_scale.py [--passages 20000]

Builds a synthetic article (paragraphs recombined from the real article's sentences, with
numbers varied) in a temporary ASSISTANT_CORPUS, indexes it with the real model into a temporary
ASSISTANT_HOME, and reports build time, index size on disk, whole-process `ask` latency and peak
memory. Then compares FAISS index types on the built passage vectors against exact search:
top-5 agreement over 300 queries and per-query latency, to justify the index type shipped.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import ROOT, VENV_BIN, bench, run_process

QUESTIONS = ROOT / "tests" / "data" / "questions_public.jsonl"


def synthetic_corpus(folder: Path, passages: int, seed: int = 7) -> None:
    from assistant.corpus import load_corpus

    rng = random.Random(seed)
    sentences = [s.text for s in load_corpus().parsed.sentences if len(s.text) > 40]
    paragraphs = []
    for _ in range(passages):
        picked = rng.sample(sentences, 2)
        text = " ".join(picked)
        text = re.sub(
            r"\d+(\.\d+)?", lambda m: str(round(float(m.group()) * rng.uniform(0.5, 2), 1)), text
        )
        paragraphs.append(text)
    folder.mkdir(parents=True)
    body = "Fundamentals\n\n" + "\n\n".join(paragraphs) + "\n"
    (folder / "article.txt").write_text(body, encoding="utf-8")
    for source in (ROOT / "corpus").iterdir():  # tables, references, lexicon, exemplar banks
        if source.is_file() and source.name != "article.txt":
            shutil.copy(source, folder / source.name)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def compare_index_types(vectors, queries) -> list[tuple[str, float, float, float]]:
    import faiss
    import numpy as np

    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(queries, 5)
    rows = []
    candidates = {
        "IndexFlatIP (exact, shipped)": lambda: exact,
        "IndexHNSWFlat M=32 efSearch=64": lambda: _hnsw(vectors),
        "IndexIVFFlat nlist=256 nprobe=8": lambda: _ivf(vectors),
    }
    for label, make in candidates.items():
        start = time.perf_counter()
        index = make()
        built = time.perf_counter() - start
        times = []
        for q in queries:
            t = time.perf_counter()
            index.search(q[None, :], 5)
            times.append(time.perf_counter() - t)
        _, found = index.search(queries, 5)
        agree = float(np.mean([set(a) == set(b) for a, b in zip(found, truth, strict=True)]))
        rows.append((label, built, statistics.median(times) * 1000, agree))
    return rows


def _hnsw(vectors):
    import faiss

    index = faiss.IndexHNSWFlat(vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efSearch = 64
    index.add(vectors)
    return index


def _ivf(vectors):
    import faiss

    quantizer = faiss.IndexFlatIP(vectors.shape[1])
    index = faiss.IndexIVFFlat(quantizer, vectors.shape[1], 256, faiss.METRIC_INNER_PRODUCT)
    index.train(vectors)
    index.add(vectors)
    index.nprobe = 8
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=20_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        corpus, home = work / "corpus", work / "home"
        synthetic_corpus(corpus, args.passages)
        env = {"ASSISTANT_CORPUS": str(corpus), "ASSISTANT_HOME": str(home)}
        assistant = str(VENV_BIN / "assistant")
        build_s, build_rss = run_process([assistant, "index", "build"], env)
        build = next((home / "index" / "builds").iterdir())
        manifest = json.loads((build / "manifest.json").read_text())
        vector_bytes = sum(
            (build / n).stat().st_size for n in ("passages.faiss", "sentences.faiss")
        )
        question = "My estrogen is normal. Is there any point in me trying anastrozole?"
        ask_s, ask_rss = bench([assistant, "ask", "--json", question], env=env)
        print(
            f"synthetic corpus: {manifest['counts']['passages']:,} passages, "
            f"{manifest['counts']['sentences']:,} sentences"
        )
        print(f"index build (whole process): {build_s:.1f} s, peak {build_rss:.0f} MiB")
        print(
            f"index size on disk: {folder_size(build) / 2**20:.1f} MiB "
            f"(vectors {vector_bytes / 2**20:.1f} MiB, ONNX encoder included)"
        )
        print(f"ask --json (whole process, median of 5): {ask_s:.2f} s, peak {ask_rss:.0f} MiB")

        import numpy as np

        from assistant.embed.onnx import OnnxEmbedder
        from assistant.faiss_flat import read_flat_ip

        vectors = read_flat_ip(build / "passages.faiss")
        texts = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines()]
        rng = random.Random(1)
        texts += [
            t for t in rng.sample(corpus.joinpath("article.txt").read_text().split("\n\n"), 260)
        ]
        queries = OnnxEmbedder(build / "onnx").encode(texts[:300]).astype(np.float32)
        print(f"\n{'FAISS index type':<34} {'build s':>8} {'query ms':>9} {'top-5 = exact':>14}")
        for label, built, ms, agree in compare_index_types(vectors, queries):
            print(f"{label:<34} {built:>8.2f} {ms:>9.3f} {agree:>14.1%}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
