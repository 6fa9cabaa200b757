"""A before-and-after change the user quotes finds the table row reporting one of that size."""

from __future__ import annotations

import pytest

from assistant.passages import Passage
from assistant.quoted_changes import quoted_changes, rows_like


def _row(pid: str, text: str, kind: str = "table_row") -> Passage:
    return Passage(pid, kind, ("Table",), 0, len(text), text)


ROWS = [
    _row("t", "Testosterone (ng/dL) 270.6 412.0"),
    _row("e", "Estradiol (pg/mL) 32.0 15.9"),
    _row("c", "Sperm Concentration (million/mL) 7.8 14.2"),
    _row("g", "High T/LH Ratio (≥100) Lower LH & FSH, Higher Testosterone"),
    _row("p", "Testosterone rose from 270.6 to 412.0 in one study.", kind="paragraph"),
]


@pytest.mark.parametrize(
    ("question", "rows"),
    [
        ("my test level went from 262 to roughly 395 after five months, typical?", {"t"}),
        ("E2 30 -> 17, is that the usual drop?", {"e"}),
        ("count 8 to 13.5 million/ml, normal response?", {"c"}),
        ("it took 3 to 6 months for my count to move", set()),
        ("they moved me from 0.5 to 1 mg", set()),
        ("T went from 150 to 900", set()),
        ("what does the table say about testosterone?", set()),
    ],
)
def test_rows_whose_both_figures_are_near_the_quoted_change(question: str, rows: set[str]) -> None:
    assert rows_like(question, ROWS) == rows


def test_a_change_ending_a_sentence_is_read() -> None:
    assert quoted_changes("It went from 7 to 15. Good?") == [(7.0, 15.0)]


def test_two_quoted_changes_also_give_the_change_of_their_ratio() -> None:
    rows = [*ROWS, _row("r", "T/E2 Ratio 9.0 26.5")]
    question = "testosterone 290 to 440 and estradiol 33 to 17 - what about my ratio?"
    assert rows_like(question, rows) == {"t", "e", "r"}


def test_one_starting_number_finds_its_row_only_for_a_question_about_how_much_it_moves() -> None:
    question = "how far does E2 usually fall on it? mine was 31 before I started"
    assert rows_like(question, ROWS, moves=True) == {"e"}
    assert rows_like(question, ROWS) == set()
    assert rows_like("how much will my count move? 3 months in", ROWS, moves=True) == set()
