"""Whole-process start-up figures of `assistant chat`, median of a few fresh processes.

Each run launches a new Python that imports the chat, runs it headless with the real index, types
one question at once (so it is queued while the index loads) and records, relative to the moment
the parent started the process:

  first paint   the chat screen has been composed and refreshed once
  ready         the loader worker finished: answers can be given
  first answer  the queued question has been answered

Each child gets an empty XDG_CONFIG_HOME, so the user's remembered theme and panel choice
(assistant.settings) neither change the figures nor get written.

Usage: .venv/bin/python scripts/bench_chat_startup.py [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
marks = {}
from assistant.tui.app import ChatScreen, make_app, wait_for_background_threads
marks["imported"] = time.time()
app = make_app()
chat_mounted = ChatScreen.on_mount

def on_mount(screen):
    chat_mounted(screen)
    marks["mounted"] = time.time()
    screen.call_after_refresh(lambda: marks.setdefault("first_paint", time.time()))
    screen.call_later(ask)

async def ask():
    await app.ask("Who is a candidate for anastrozole?")
    app.set_interval(0.002, check)

def check():
    if app.state != "loading":
        marks.setdefault("ready", time.time())
    if app.turns and (app.turns[0].answer is not None or app.turns[0].error):
        marks["first_answer"] = time.time()
        marks["state"] = app.state
        marks["error"] = app.load_error or app.turns[0].error
        app.exit()

ChatScreen.on_mount = on_mount
app.run(headless=True, size=(120, 40))
wait_for_background_threads()
marks["torch_imported"] = "torch" in sys.modules
marks["sentence_transformers_imported"] = "sentence_transformers" in sys.modules
print(json.dumps(marks))
"""


def one_run() -> dict[str, float | bool | str | None]:
    with tempfile.TemporaryDirectory(prefix="bench-chat-config-") as config:
        env = {**os.environ, "XDG_CONFIG_HOME": config}
        start = time.time()
        out = subprocess.run(
            [sys.executable, "-c", CHILD],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            env=env,
        )
    if out.returncode != 0:
        raise SystemExit(f"child failed ({out.returncode}):\n{out.stderr[-2000:]}")
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    result: dict[str, float | bool | str | None] = {
        k: round(marks[k] - start, 3)
        for k in ("imported", "first_paint", "ready", "first_answer")
        if k in marks
    }
    result["state"] = marks.get("state")
    result["error"] = marks.get("error")
    result["torch_imported"] = marks["torch_imported"] or marks["sentence_transformers_imported"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    runs = [one_run() for _ in range(args.runs)]
    keys = ("imported", "first_paint", "ready", "first_answer")
    summary = {
        k: statistics.median(float(r[k]) for r in runs if isinstance(r.get(k), float)) for k in keys
    }
    result = {
        "runs": args.runs,
        "median_seconds": summary,
        "state": runs[-1]["state"],
        "error": runs[-1]["error"],
        "torch_imported": any(r["torch_imported"] for r in runs),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"assistant chat start-up, median of {args.runs} fresh processes (seconds from spawn):")
    labels = {
        "imported": "imports done",
        "first_paint": "first paint",
        "ready": "index loaded, can answer",
        "first_answer": "first (queued) answer shown",
    }
    for k in keys:
        spread = [float(r[k]) for r in runs if isinstance(r.get(k), float)]
        print(
            f"  {labels[k]:<30} {summary[k]:6.3f}   (min {min(spread):.3f}, max {max(spread):.3f})"
        )
    print(
        f"  final state: {result['state']}" + (f" ({result['error']})" if result["error"] else "")
    )
    print(
        f"  torch / sentence-transformers imported: {'yes' if result['torch_imported'] else 'no'}"
    )


if __name__ == "__main__":
    main()
