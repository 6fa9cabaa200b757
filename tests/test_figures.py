"""A question asking for a figure is answered only when a sentence gives one about what it asks."""

from __future__ import annotations

import pytest

from assistant.figures import asked_figure, figure_stated, focus_terms, gives_figure
from assistant.text import terms

ARTICLE_LIKE = [
    "In one retrospective study, while 46% of men experienced a clinically significant "
    "improvement, 12% saw a downgrade in semen quality.",
    "Improvements in semen analysis require time, typically 3-6 months, to reflect a full cycle.",
    "Anastrozole is typically prescribed at a low dose, such as 1 mg daily or every other day.",
]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many men were enrolled in the study?", "sample"),
        ("how many patients did the Zhou study include?", "sample"),
        ("How many guys in the study actually got better?", "count"),
        ("What percentage of couples conceived?", "percent"),
        ("how long did the men in the BMI study take it?", "duration"),
        ("How often should estradiol be rechecked?", "frequency"),
        ("what was the mean BMI of responders?", "average"),
        ("how long until I see results?", None),
        ("What is the T/E2 ratio?", None),
        ("average rise in testosterone?", "average"),
        ("mean T after treatment?", "average"),
        ("What does E2 mean on my lab sheet?", None),  # the verb, not the average
        ("what does that actually mean for me", None),
        ("Target E2 range (pg/mL) on an AI?", "value"),
        ("FSH cutoff above which it is not offered?", "value"),
        ("how many pounds would I need to lose?", "value"),
        ("my T is 9.4 nmol/L, is that low?", None),  # a value given, not asked for
    ],
)
def test_the_kind_of_figure_asked(question: str, kind: str | None) -> None:
    assert asked_figure(question) == kind


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("How many men in the studies got better?", True),  # "46% of men ... improvement"
        ("What percentage of men saw a downgrade in semen quality?", True),
        ("What percentage of couples achieved a pregnancy?", False),
        ("How many men were enrolled in the study?", False),  # a percentage is not a size
        ("How many months until the semen analysis reflects a full cycle?", True),
        ("How many months did the men in the obesity study receive it?", False),
        ("How often is anastrozole prescribed?", True),
        ("How often should estradiol be rechecked?", False),
    ],
)
def test_a_figure_counts_only_when_it_is_about_what_was_asked(question: str, stated: bool) -> None:
    kind = asked_figure(question)
    assert kind is not None
    related = terms("improvement") if "better" in question else []  # as the lexicon expands it
    assert figure_stated(kind, focus_terms(question, related), ARTICLE_LIKE) is stated


def test_numbers_in_words_and_ranges_are_figures() -> None:
    assert gives_figure("duration", "after twelve months of regular intercourse")
    assert gives_figure("duration", "typically 3-6 months")
    assert gives_figure("percent", "about 46 percent improved")
    assert not gives_figure("percent", "most men improved")


def test_a_question_naming_nothing_specific_takes_any_figure_of_its_kind() -> None:
    assert focus_terms("how many men were enrolled?") == frozenset()
    assert figure_stated("percent", frozenset(), ["12% saw a downgrade"])


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("a low T/E2 ratio, often defined as being less than 10", True),
        ("Estradiol (pg/mL) — Typical Baseline 32.0; Typical Post-Treatment 15.9", True),
        ("lower estradiol into a healthier range without suppressing it completely", False),
    ],
)
def test_a_threshold_or_value_is_a_number_with_its_unit_or_comparison(
    sentence: str, stated: bool
) -> None:
    assert figure_stated("value", (), [sentence]) is stated
