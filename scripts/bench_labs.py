"""Benchmark (not a test): time `assistant.labs.analyse` on a 50,000-character message.

The message is a realistic pasted lab report (hormones with reference ranges, a semen analysis,
weight and height, a few sentences) repeated to 50,000 characters. Prints the median of several
runs in milliseconds (wall clock, and CPU time, which other busy processes disturb less); the
target is well under 100 ms. Every cache of the package is emptied before each run, so a run
costs what the first paste of that text costs (repeats inside the one text still profit).

    .venv/bin/python scripts/bench_labs.py [--runs 15] [--chars 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import assistant.labs
from assistant.labs import analyse


def clear_caches() -> None:
    """Empty every functools cache of the labs package (a cold start for the next run)."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith(assistant.labs.__name__):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


REPORT = """Patient lab report 2024-03-12 08:30 (fasting)
Testosterone, Total, LC/MS 9.4 nmol/L (8.6 - 29.0)
Estradiol, Sensitive 118 pmol/L ref 40-160
LH 2.1 IU/L (1.7-8.6); FSH 3.4 mIU/mL (1.5-12.4)
SHBG 30 nmol/L. Free T 65 pg/mL. Prolactin 12 ng/mL
Semen analysis: volume 2.5 ml, concentration 8 million/ml, 40% motile, progressive 25%,
morphology 4%. Weight 95 kg, height 178 cm. I'm 34 and we have been trying for 12 months;
my T was 250 before anastrozole 1 mg and now it is 410 ng/dL. E2 is high?
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--chars", type=int, default=50_000)
    args = ap.parse_args()
    text = (REPORT * (args.chars // len(REPORT) + 1))[: args.chars]
    analyse(text)  # warm-up: compiles nothing new, but fills caches
    wall, cpu = [], []
    for _ in range(args.runs):
        clear_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        report = analyse(text)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    median = statistics.median(wall)
    print(
        f"analyse(): {len(text):,} characters, {args.runs} runs: median {median:.1f} ms wall "
        f"(min {min(wall):.1f}, max {max(wall):.1f}), median "
        f"{statistics.median(cpu):.1f} ms CPU; {len(report.measurements)} measurements kept, "
        f"{len(report.ratios)} ratios"
    )


if __name__ == "__main__":
    main()
