"""Answers are the article's own sentences, cited; abstentions cite nothing (fake embedder)."""

from __future__ import annotations

import pytest

from assistant.answer import NOTICE, validate_question
from assistant.errors import UsageError


def test_answer_quotes_are_verbatim_and_cited(fake_assistant) -> None:
    answer = fake_assistant.ask("How long does it take to see changes in semen parameters?")
    assert not answer.abstained and answer.citations
    cited = {c.n: c.passage for c in answer.citations}
    for quote in answer.quotes:
        passage = cited[quote.n]
        assert quote.text in passage.text
        assert fake_assistant.corpus.source[quote.start : quote.end] == quote.text
        assert f"[{quote.n}]" in answer.text and quote.text in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_json_shape_matches_the_eval_readme(fake_assistant) -> None:
    result = fake_assistant.ask("What is the T/LH ratio?").to_json("q-1")
    assert list(result)[:6] == ["id", "question", "answer", "abstained", "citations", "retrieved"]
    assert {"disclaimer", "safety", "notices", "language", "not_covered"} <= set(result)
    assert len(result["retrieved"]) == 5
    for item in result["citations"] + result["retrieved"]:
        assert list(item) == ["n", "id", "text", "section", "source", "start", "end", "score"]
        assert item["source"] == "corpus/article.txt"
    assert NOTICE not in result["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "How much does a month of anastrozole usually cost?",
        "Letrozole vs anastrozole for semen parameters?",
        "Does it help with menopause symptoms?",
        "qwzx vbnm plokij",
    ],
)
def test_out_of_scope_abstains_without_citations(fake_assistant, question: str) -> None:
    answer = fake_assistant.ask(question)
    assert answer.abstained and not answer.citations
    assert "does not cover" in answer.text or "couldn't find this in the article" in answer.text
    assert "It covers anastrozole for male infertility" in answer.text


def test_a_womens_health_word_beside_his_own_fertility_is_incidental(fake_assistant) -> None:
    answer = fake_assistant.ask("Why would a breast cancer drug help my sperm count?")
    assert not answer.abstained and answer.citations
    still = fake_assistant.ask("Is anastrozole used for breast cancer in women?")
    assert still.abstained and not still.citations


def test_a_man_and_a_term_of_his_fertility_anywhere_make_a_womens_word_incidental(
    fake_assistant,
) -> None:
    answer = fake_assistant.ask("it's a breast cancer pill for women, so why give it to a guy "
                                "whose sperm are slow?")  # fmt: skip
    assert not answer.abstained and answer.citations
    still = fake_assistant.ask("My wife has breast cancer; will anastrozole affect her fertility?")
    assert still.abstained and not still.citations


def test_the_writer_as_the_one_treated_makes_a_womens_word_incidental(fake_assistant) -> None:
    answer = fake_assistant.ask(
        "my urologist started me on it and online it's all breast cancer and women. "
        "how would that help sperm at all?"
    )
    assert not answer.abstained and answer.citations


def test_children_wished_for_are_no_childrens_health_topic(fake_assistant) -> None:
    from assistant.query import load_scope

    scope = load_scope()
    assert scope.hits("we have been trying for a baby for two years") == []
    assert scope.hits("we want kids soon, how does it raise my T?") == []
    assert scope.hits("can my 16 year old son take it?") == ["children and teenagers"]


def test_personal_dose_gets_clinician_line(fake_assistant) -> None:
    answer = fake_assistant.ask("How much anastrozole should I take for my low sperm count?")
    assert answer.text.startswith("The article gives no personal dose")
    assert "clinician" in answer.text


def test_emergency_words_come_first(fake_assistant) -> None:
    answer = fake_assistant.ask("I have chest pain since starting anastrozole, is that normal?")
    assert answer.text.startswith("If this is happening now, get medical help now")
    assert answer.abstained and not answer.citations


def test_followup_carries_the_previous_turn(fake_assistant) -> None:
    answer = fake_assistant.ask(
        "Which paper was that?", ["Did the Cleveland Clinic study look at T/LH?"]
    )
    assert answer.followup
    assert answer.citations[0].passage.id == "ref-lundy-2023"


@pytest.mark.parametrize("bad", ["", "   \n\t ", "x" * 100_000])
def test_bad_questions_raise_one_line_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError) as info:
        validate_question(bad)
    assert "\n" not in str(info.value)


def test_long_history_and_odd_text_do_not_crash(fake_assistant) -> None:
    history = ["what is anastrozole?"] * 50
    for question in ["12345", "?!?!", "🙂🙂🙂", "¿Qué es el anastrozol?", "T 300 E2 40 " * 400]:
        answer = fake_assistant.ask(question, history)
        assert answer.text


def test_a_quoted_before_and_after_change_is_answered_from_its_table_row(fake_assistant) -> None:
    answer = fake_assistant.ask("five months in, my T went from 265 to about 405, is that typical?")
    assert answer.retrieved[0].passage.text.startswith("Testosterone (ng/dL) 270.6 412.0")


def test_a_question_about_the_men_of_the_studies_is_not_about_the_writer() -> None:
    from assistant.answer import asks_about_others

    assert asks_about_others(("what did LH end up at in those trials, on the whole?",))
    assert not asks_about_others(("in the studies, would someone like me have responded?",))
    assert not asks_about_others(("is a ratio under some number what makes a guy a candidate?",))


def test_where_a_figure_ends_up_on_treatment_asks_the_before_and_after_table() -> None:
    from assistant.query import load_lexicon, load_scope, understand

    query = understand(
        "where does estradiol usually end up after three months?", (), load_lexicon(),
        load_scope(), set(),
    )  # fmt: skip
    assert query.asks_comparison


def test_other_men_as_the_subject_of_the_question_make_it_about_others() -> None:
    from assistant.answer import asks_about_others

    assert asks_about_others(("realistically what numbers do most guys reach after 6 months?",))
    assert not asks_about_others(("what numbers do guys like me reach on it, in my case?",))
