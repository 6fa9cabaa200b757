"""Whole-process timing for the benchmark scripts: wall time and the child's own peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def run_process(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one fresh process."""
    # stderr goes to a file: a pipe nobody reads would block a chatty child (build progress).
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(
            list(argv),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, **(env or {})},
        )
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN is the max over all children).
        # Linux counts the parent's RSS at fork into the child's peak: keep the parent light.
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit(f"child failed: {' '.join(argv)}\n{errors.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is KiB on Linux


def bench(
    argv: Sequence[str], runs: int = 5, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Median wall seconds over `runs` after one warm-up, and the largest peak RSS (MiB)."""
    run_process(argv, env)
    results = [run_process(argv, env) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def python_code(code: str) -> list[str]:
    return [sys.executable, "-c", code]
