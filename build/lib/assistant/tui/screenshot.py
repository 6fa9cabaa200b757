"""Regenerate the README screenshot: a real conversation with the real index, saved as SVG.

Usage: python -m assistant.tui.screenshot [docs/chat.svg] [--size 120x40]
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

QUESTIONS = (
    "My estrogen is normal. Is there any point in me trying anastrozole?",
    "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1, 5'9 and 215 lb. Is my T/E2 ratio low?",
)


async def take(path: Path, size: tuple[int, int], questions: tuple[str, ...] = QUESTIONS) -> Path:
    from .app import make_app
    from .widgets import PromptInput, UserTurn

    app = make_app()
    async with app.run_test(size=size) as pilot:
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.is_idle:
                break
        if app.state != "ready":
            raise SystemExit(f"the index did not load: {app.load_error}")
        for question in questions:
            app.chat.query_one("#prompt", PromptInput).value = question
            await pilot.press("enter")
            for _ in range(100):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if app.is_idle:
                    break
        # Start the view at the first question when the whole exchange cannot fit.
        log = app.chat.query_one("#log")
        first = app.chat.query(UserTurn).first()
        log.scroll_to(y=max(0, min(log.max_scroll_y, first.virtual_region.y - 1)), animate=False)
        await pilot.pause(0.3)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(app.export_screenshot(title="assistant chat"), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="docs/chat.svg", type=Path)
    parser.add_argument("--size", default="120x40", help="columns x rows")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    print(asyncio.run(take(args.path, (cols, rows))))


if __name__ == "__main__":
    main()
