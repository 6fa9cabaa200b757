"""Whole-process `assistant ask --json` against `import sentence_transformers`, in the same run.

    .venv/bin/python scripts/bench_ask.py

Prints medians of 5 runs after a warm-up, the ratio, peak memory, `assistant --help` time, and
index build times (from scratch with the ONNX export, and when nothing changed) into a
temporary ASSISTANT_HOME so the project's own index is untouched.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import VENV_BIN, bench, python_code, run_process

QUESTION = "My estrogen is normal. Is there any point in me trying anastrozole?"


def main() -> None:
    assistant = str(VENV_BIN / "assistant")
    st_import, st_rss = bench(python_code("import sentence_transformers"))
    ask, ask_rss = bench([assistant, "ask", "--json", QUESTION])
    help_s, help_rss = bench([assistant, "--help"])
    print(f"{'whole process (median of 5 after warm-up)':<44} {'wall s':>7} {'peak MiB':>9}")
    label = 'python -c "import sentence_transformers"'
    print(f"{label:<44} {st_import:>7.2f} {st_rss:>9.0f}")
    print(f"{'assistant ask --json QUESTION':<44} {ask:>7.2f} {ask_rss:>9.0f}")
    print(f"{'assistant --help':<44} {help_s:>7.2f} {help_rss:>9.0f}")
    print(f"ask / import ratio: {ask / st_import:.3f}")
    home = Path(tempfile.mkdtemp(prefix="bench-home-"))
    try:
        env = {"ASSISTANT_HOME": str(home)}
        scratch, scratch_rss = run_process([assistant, "index", "build"], env)
        unchanged, _ = bench([assistant, "index", "build"], env=env)
        label = "index build from scratch (ONNX export incl.)"
        print(f"{label:<44} {scratch:>7.2f} {scratch_rss:>9.0f}")
        print(f"{'index build, nothing changed (median of 5)':<44} {unchanged:>7.2f}")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
