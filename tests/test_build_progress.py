"""The index-build progress line: bar, share, and an estimate only once there is a pace."""

from __future__ import annotations

from assistant.build_progress import BAR_WIDTH, progress_line


def test_a_quarter_done_shows_a_quarter_bar_and_an_estimate() -> None:
    line = progress_line("embedding passages", 120, 480, 10.0)
    assert "120/480" in line and " 25%" in line
    assert "#" * (BAR_WIDTH // 4) + "." in line
    assert "about 30 s left" in line


def test_no_estimate_at_the_start_and_the_duration_at_the_end() -> None:
    assert "left" not in progress_line("writing the index", 0, 1, 0.0)
    done = progress_line("embedding passages", 480, 480, 150.0)
    assert "100%" in done and "in 2 min" in done and "left" not in done


def test_odd_counts_never_break_the_line() -> None:
    assert "0/1" in progress_line("checksumming the index", 0, 0, 0.0)
    assert "1/1" in progress_line("checksumming the index", 5, 1, 3.0)
