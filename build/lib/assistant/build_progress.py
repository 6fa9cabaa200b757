"""One line of index-build progress: stage, a bar, the share done and the time left."""

from __future__ import annotations

BAR_WIDTH = 24


def progress_line(stage: str, done: int, total: int, elapsed: float) -> str:
    """e.g. "  embedding passages [#########...............] 120/480  25%  about 40 s left".
    The estimate assumes the rest of the stage goes at the pace so far; it is left out until
    there is a pace to go by."""
    total = max(total, 1)
    done = min(max(done, 0), total)
    filled = BAR_WIDTH * done // total
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    line = f"  {stage} [{bar}] {done}/{total} {100 * done // total:3d}%"
    if 0 < done < total and elapsed >= 1.0:
        left = elapsed * (total - done) / done
        line += f"  about {_duration(left)} left"
    elif done >= total and elapsed >= 1.0:
        line += f"  in {_duration(elapsed)}"
    return line


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"
