"""The pieces of understanding and retrieval, each on its own (fake embedder; no model):
follow-up detection, spelling, lexicon matching, question parts and kinds, BM25 (checked against
rank_bm25), structure boosts, coverage, the Evidence object, scope by subject, and composition."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from assistant import compose, scope
from assistant.lexical import BM25
from assistant.query import (
    correct_spelling,
    is_followup,
    load_lexicon,
    part_contexts,
    question_kind,
    question_parts,
    understand,
)
from assistant.retrieve import Hit, Retriever
from assistant.scope_words import WordOdds, features

# -- understanding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        ("and FSH?", ["What is the T/LH ratio?"], True),
        ("which paper was that?", ["Does BMI matter?"], True),
        (
            "What does the article say about oligospermia and sperm count?",
            ["Does BMI matter?"],
            False,
        ),
        ("and FSH?", [], False),
        ("what about it?", ["How long does it take?"], True),
        # another thing of the same kind, named in its own words: its own subject
        (
            "is there another paper on obese men in a urology journal? who wrote it?",
            ["Which study looked at BMI over 25?"],
            False,
        ),
        ("any other studies on it?", ["Which study looked at BMI over 25?"], True),
        ("was there also a shorter abstract on that same group of men?", ["Which study?"], True),
    ],
)
def test_followup_detection(question: str, history: list[str], expected: bool) -> None:
    assert is_followup(question, history) is expected


def test_spelling_is_corrected_to_the_closest_corpus_word() -> None:
    vocabulary = {"estradiol", "testosterone", "aromatase", "sperm"}
    fixes = correct_spelling(
        ["estrodial", "testostrone", "aromatse", "spern", "zzzzzz"], vocabulary
    )
    assert fixes == {
        "estrodial": "estradiol",
        "testostrone": "testosterone",
        "aromatse": "aromatase",
        "spern": "sperm",
    }


def test_a_clipped_medical_word_reads_as_the_word_it_cuts() -> None:
    vocabulary = {"cryptozoospermia", "oligospermia", "signific", "azoospermia", "bloodstream"}
    fixes = correct_spelling(["crypto", "oligo", "sign", "azoo", "blood"], vocabulary)
    # "sign" and "blood" are words of their own, not clipped forms
    assert fixes == {"crypto": "cryptozoospermia", "oligo": "oligospermia", "azoo": "azoospermia"}
    # two corpus words start the same way: no guess
    assert correct_spelling(["hypo"], {"hypogonadism", "hypothalamus"}) == {}


def test_a_dictionary_word_is_no_typo_of_a_corpus_word() -> None:
    vocabulary = {"form", "chang", "estradiol"}
    fixes = correct_spelling(["forum", "chanc", "estrodial"], vocabulary, {"forum", "chanc"})
    assert fixes == {"estrodial": "estradiol"}


def test_the_question_keeps_a_correctly_spelled_word_it_uses(fake_assistant) -> None:
    retriever = fake_assistant.retriever
    plain = understand(
        "what do forum guys say", (), retriever.lexicon, retriever.scope, retriever.vocabulary
    )
    spelled = understand(
        "what do forum guys say",
        (),
        retriever.lexicon,
        retriever.scope,
        retriever.vocabulary,
        {"forum", "guys", "say"},
    )
    assert "forum" not in plain.weights
    assert "forum" in spelled.weights


def test_bank_questions_words_order_the_passages(fake_assistant) -> None:
    index = fake_assistant.index
    retriever = fake_assistant.retriever
    without = Retriever(
        index,
        retriever.embedder,
        config=dataclasses.replace(retriever.config, bank_words_weight=0.0),
    )
    question = "is it guaranteed?"

    def rank(r: Retriever) -> int:
        ids = [h.passage.id for h in r.rank(r.understand(question))]
        return ids.index("academic-p12")

    # only a bank question of that passage says "guaranteed"; the article never does
    assert rank(retriever) < rank(without)
    assert rank(retriever) == 0


def test_idioms_and_subjects_keep_lexicon_terms_to_their_meaning() -> None:
    lexicon = load_lexicon()
    # "worth a shot" asks whether to try it, not about injections
    assert not any("oral" in e for e in lexicon.expansions("is it worth a shot for me?"))
    assert any("oral" in e for e in lexicon.expansions("is it a shot or a tablet?"))
    # "zero" and "too low" point at over-suppressed estradiol only when said of estradiol
    assert not any("suppress" in e for e in lexicon.expansions("my count is basically zero"))
    assert any("suppress" in e for e in lexicon.expansions("can my E2 crash to zero on it?"))


def test_lexicon_matches_by_stem_and_case_sensitive_abbreviations() -> None:
    lexicon = load_lexicon()
    found = " ".join(lexicon.expansions("my T is low and I'm rechecking my E2"))
    assert "testosterone" in found.lower() and "estradiol" in found.lower()
    # "t" in the middle of a word or in lower case is no abbreviation
    assert not any("testosterone" in e.lower() for e in lexicon.expansions("that's it"))
    # forum shorthand for the semen analysis, in capitals only ("sa" is no abbreviation)
    assert "semen analysis" in " ".join(lexicon.expansions("my last SA was bad"))
    assert not any("semen" in e for e in lexicon.expansions("que sa"))
    # how a medicine is taken, in lay words, points at the article's "oral medication"
    assert "oral" in " ".join(lexicon.expansions("is it an injection or do you swallow it?"))


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Does anastrozole raise T, and will it hurt my liver?",
         ("Does anastrozole raise T", "will it hurt my liver?")),
        ("My wife is pregnant. How long until results show?", ("How long until results show?",)),
        ("I'm on testosterone shots. Will those boost my count?",
         ("I'm on testosterone shots. Will those boost my count?",)),
        ("what is oligospermia", ("what is oligospermia",)),
        # a question the writer left without its mark still asks
        ("They gave me a pill for women?? why would that fix my sperm count lol",
         ("They gave me a pill for women??", "why would that fix my sperm count lol")),
        ("Was told to wait. What I know is that it was 4 million. So what now?",
         ("So what now?",)),
        # a check of what was said, then a question of its own
        ("my GP said it lowers estrogen?? is that true, what does it do to LH",
         ("my GP said it lowers estrogen??", "what does it do to LH")),
    ],
)  # fmt: skip
def test_question_parts(text: str, parts: tuple[str, ...]) -> None:
    assert question_parts(text) == parts


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("How long until my count goes up?", "how_long"),
        ("Who benefits most from anastrozole?", "who"),
        ("T/LH cutoff for response?", "number"),
        ("What is oligospermia?", "definition"),
        ("Why does BMI matter?", "why"),
        ("How does anastrozole work?", "how"),
        ("Is it safe for everyone?", "yes_no"),
        ("two months in, when do we retest my semen?", "how_long"),
        ("Time before re-check of sperm count on an AI?", "how_long"),
        ("when did the Cleveland study come out?", "other"),
    ],
)
def test_question_kind(text: str, kind: str) -> None:
    assert question_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("which references back that up?", True),
        ("what papers is this based on", True),
        ("which institution did that research?", True),
        ("is there published research on this or is it bro science?", True),
        ("what journal was it in", True),
        ("does it back up my T numbers?", False),
        ("which men benefit the most?", False),
        ("source?", True),
        ("refs pls", True),
        ("is there a source of estrogen in fat?", False),
        ("source for the T/LH >= 100 finding?", True),
        ("refs on the BMI subgroup?", True),
        ("cut-off for T/E2 - value and source?", True),
        ("JCEM 2019 paper on T/LH: authors / year?", True),
        ("so what's the source for that 46%?", True),
        ("what did the authors find about BMI?", False),
    ],
)
def test_source_questions_are_recognised(fake_assistant, text: str, asks: bool) -> None:
    assert fake_assistant.retriever.understand(text).asks_reference is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("how far could my LH climb on this?", True),
        ("what sort of improvement do men get in motility", True),
        ("my count dropped from 12 to 9, is that expected?", True),
        ("baseline vs post-treatment estradiol?", True),
        ("what kind of numbers could I expect after six months?", True),
        ("how much anastrozole is in one tablet?", False),
        ("what does the T/E2 ratio mean?", False),
        # a comparison told in the story is not asked
        ("My T was 300 vs 450 a year ago. Does anastrozole raise testosterone?", False),
    ],
)
def test_questions_about_how_much_a_figure_moves_read_the_before_after_rows(
    fake_assistant, text: str, asks: bool
) -> None:
    assert fake_assistant.retriever.understand(text).asks_comparison is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("define oligospermia", True),
        ("how is a low T/E2 ratio defined?", True),
        ("which cut-off was used to define an abnormal T/E2 ratio?", False),
        ("what threshold defines a high T/LH ratio?", False),
    ],
)
def test_a_figure_that_defines_a_term_is_no_request_for_its_definition(
    fake_assistant, text: str, asks: bool
) -> None:
    assert fake_assistant.retriever.understand(text).asks_definition is asks


# -- BM25 --------------------------------------------------------------------------------------


def test_bm25_matches_rank_bm25_with_the_same_idf() -> None:
    rank_bm25 = pytest.importorskip("rank_bm25")

    class SameIdf(rank_bm25.BM25Okapi):  # rank_bm25's Okapi with our (never negative) idf
        def _calc_idf(self, nd: dict[str, int]) -> None:
            self.idf = {w: math.log(1 + (self.corpus_size - n + 0.5) / (n + 0.5)) for w, n in
                        nd.items()}  # fmt: skip

    docs = [
        ["anastrozole", "lowers", "estradiol"],
        ["estradiol", "estradiol", "signals", "the", "brain"],
        ["sperm", "count", "and", "motility", "improve", "over", "months"],
        ["the", "t", "e2", "ratio", "below", "10"],
    ]
    ours = BM25(docs).scores({"estradiol": 1.0, "brain": 1.0})
    theirs = SameIdf(docs, k1=1.2, b=0.75).get_scores(["estradiol", "brain"])
    assert ours == pytest.approx(list(theirs))


def test_bm25_weights_scale_a_terms_contribution() -> None:
    bm25 = BM25([["estradiol"], ["sperm"]])
    full, half = bm25.scores({"estradiol": 1.0}), bm25.scores({"estradiol": 0.5})
    assert half[0] == pytest.approx(full[0] / 2) and full[1] == 0


# -- ranking and evidence (fake index) ---------------------------------------------------------


def test_structure_boosts(fake_assistant) -> None:
    retriever = fake_assistant.retriever
    reference = retriever.retrieve(retriever.understand("Which paper did Raman publish?"))
    assert reference.hits[0].passage.kind == "reference"
    defined = retriever.retrieve(retriever.understand("define oligospermia"))
    assert defined.hits[0].passage.kind == "glossary"
    plain = retriever.retrieve(retriever.understand("how do the typical changes look"))
    assert plain.hits[0].passage.kind != "table_intro"  # an introduction always yields


def test_evidence_carries_everything_the_answer_reads(fake_assistant) -> None:
    retriever = fake_assistant.retriever
    evidence = retriever.retrieve(retriever.understand("and FSH?", ["What is the T/LH ratio?"]))
    assert evidence.topic is not None and evidence.topic.topic is None
    assert len(evidence.sentence_scores) == len(retriever.sentences)
    assert 0.0 <= evidence.coverage <= 1.0
    top = evidence.hits[0].passage
    assert all(s.passage_id == top.id for _, s in evidence.sentences_of(top.id))


def test_coverage_counts_the_questions_own_words(fake_assistant) -> None:
    retriever = fake_assistant.retriever
    inside = retriever.retrieve(retriever.understand("anastrozole estradiol aromatase"))
    outside = retriever.retrieve(retriever.understand("quantum chromodynamics lattice gauge"))
    assert inside.coverage > 0.9 and outside.coverage == 0.0


# -- scope by subject --------------------------------------------------------------------------


class _Scope:
    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    def hits(self, text: str) -> list[str]:
        return [topic for word, topic in self.words.items() if word in text.lower()]

    def incidental(self, topic: str, text: str) -> bool:
        return False


def _banks(inside: list[list[float]], outside: list[list[float]]) -> scope.Banks:
    norm = lambda rows: np.array(rows, dtype=np.float32) / np.linalg.norm(rows, axis=1)[:, None]  # noqa: E731
    return scope.Banks(norm(inside), norm(outside), tuple("t" for _ in outside), {"t": "topic t"})


def test_a_topic_word_decides_only_when_it_is_the_subject() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])
    vectors = {"subject": [0.2, 1.0], "incidental": [1.0, 0.1]}

    def encode(texts):  # type: ignore[no-untyped-def]
        rows = [vectors["subject" if "liver" in t else "incidental"] for t in texts]
        return np.array(rows, dtype=np.float32) / np.linalg.norm(rows, axis=1)[:, None]

    words = _Scope({"wife": "women's health", "liver": "side effects"})
    decision = scope.judge(["my wife and I want a baby, does it raise T", "will it hurt my liver"],
                           words, banks, encode)  # fmt: skip
    assert decision.partial and decision.uncovered == ("side effects",)
    assert decision.covered_text.startswith("my wife")


def test_word_odds_weigh_words_only_the_out_of_scope_bank_uses() -> None:
    inside = ["does anastrozole raise testosterone", "what is the T/E2 ratio",
              "how long before my sperm count improves"]  # fmt: skip
    outside = ["does it lower sperm DNA fragmentation", "can it cause birth defects",
               "what is the DNA fragmentation index", "how much does it cost"]  # fmt: skip
    odds = WordOdds.from_texts(inside, outside)
    assert features("Fragmentation, fragmented!") == frozenset({"fragme"})
    assert odds.log_odds("sperm DNA fragmentation?") > odds.log_odds("sperm count?")
    assert odds.log_odds("zzzz qqqq") == 0.0  # words of neither bank say nothing
    left_out = odds.log_odds(outside[1], leave_out=outside[1], side="outside")
    assert left_out < odds.log_odds(outside[1])


def _banks_decided_by_words():  # type: ignore[no-untyped-def]
    """Banks whose embeddings always favour the in-scope side, with word odds that know "dna
    fragmentation" only from the out-of-scope side, and an encoder to match."""
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])
    odds = WordOdds.from_texts(["does it raise testosterone"] * 50,
                               ["does it lower sperm dna fragmentation"] * 50)  # fmt: skip

    def encode(texts):  # type: ignore[no-untyped-def]
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)

    return dataclasses.replace(banks, words=odds), encode


def test_a_part_whose_words_only_the_out_of_scope_bank_uses_is_not_covered() -> None:
    # The embeddings favour the in-scope bank; the words alone decide.
    banks, encode = _banks_decided_by_words()

    decision = scope.judge(["does it raise testosterone", "and my dna fragmentation?"],
                           _Scope({}), banks, encode)  # fmt: skip
    assert decision.partial and decision.uncovered == ("topic t",)
    assert decision.covered_text == "does it raise testosterone"


@pytest.mark.parametrize(
    ("text", "contexts"),
    [
        (
            "My count was 4 after the op. Will anastrozole fix that?",
            ("My count was 4 after the op.",),
        ),
        ("Can it cause acne? How often does that happen?", ("", "Can it cause acne?")),
        ("I am 34. What does the T/E2 ratio mean for fertility in men?", ("",)),  # own subject
    ],
)
def test_a_short_part_that_points_back_reads_the_sentence_before(
    text: str, contexts: tuple[str, ...]
) -> None:
    assert part_contexts(text, question_parts(text)) == contexts


def test_the_sentence_pointed_back_to_counts_in_the_banks_and_odds_not_its_topic_words() -> None:
    banks, encode = _banks_decided_by_words()

    part = "will anastrozole bring that down?"
    alone = scope.judge([part], _Scope({}), banks, encode)
    assert not alone.uncovered
    told = scope.judge([part], _Scope({}), banks, encode, ["my dna fragmentation was 35%."])
    assert told.out_of_scope
    # a topic word in the story is not what is asked
    story = scope.judge(
        [part], _Scope({"wife": "women's health"}), banks, encode, ["my wife left."]
    )
    assert not story.uncovered


# -- composition -------------------------------------------------------------------------------


def test_table_rows_render_with_their_headers(fake_assistant) -> None:
    row = next(p for p in fake_assistant.index.passages if p.id == "intermediate-t1-r1")
    text = compose.render_row(row, fake_assistant.corpus.tables)
    assert "Testosterone (ng/dL) — Typical Baseline 270.6; Typical Post-Treatment 412.0" in text
    assert "not a prediction for you" in text


@pytest.mark.parametrize(
    ("question", "whole"),
    [
        ("Typical baseline vs post-tx total T?", False),
        ("Baseline and post-tx T/E2 in the parameter table?", False),
        ("how do the numbers change before and after treatment?", True),
    ],
)
def test_whole_table_only_when_no_row_is_named(fake_assistant, question: str, whole: bool) -> None:
    retriever = fake_assistant.retriever
    evidence = retriever.retrieve(retriever.understand(question))
    if not any(h.passage.kind == "table_row" for h in evidence.hits[:3]):
        pytest.skip("the fake embedder did not rank a table row near the top")
    assert compose.whole_table_wanted(evidence, fake_assistant.corpus.tables) is whole


def test_a_part_about_they_or_she_is_about_the_uncovered_subject_before_it() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        # the part naming women reads as uncovered; "what dose do they use?" as covered
        rows = [[0.0, 1.0] if "women" in t else [1.0, 0.0] for t in texts]
        return np.array(rows, dtype=np.float32)

    words = _Scope({"women": "use in women"})
    decision = scope.judge(["how does it work for women", "what dose do they use?"], words, banks,
                           encode)  # fmt: skip
    assert decision.out_of_scope and decision.uncovered == ("use in women",)
    mixed = scope.judge(["how does it work for women", "what did the men's studies find?"], words,
                        banks, encode)  # fmt: skip
    assert mixed.partial


def test_a_question_naming_no_woman_takes_the_nearest_topic_it_can_be_about() -> None:
    norm = lambda rows: np.array(rows, dtype=np.float32) / np.linalg.norm(rows, axis=1)[:, None]  # noqa: E731
    banks = scope.Banks(
        norm([[1, 0, 0]]),
        norm([[0, 1, 0.1], [0, 1, 0.3]]),  # the nearer a women's-health question
        ("womens_health", "side_effects"),
        {"womens_health": "women's health", "side_effects": "side effects"},
    )
    vector = norm([[0, 1, 0.05]])
    assert banks.closeness(vector, ["will it thin my bones?"])[2] == ["side_effects"]
    assert banks.closeness(vector, ["will it thin her bones?"])[2] == ["womens_health"]


def test_a_followups_own_words_can_match_a_bank_question_better(fake_assistant) -> None:
    retriever = fake_assistant.retriever
    own, earlier = retriever.encode(["and who does not respond?", "what is the T/E2 ratio?"])
    vectors = [(own, 1.0), (earlier, 0.5)]
    mixed, _ = retriever._bank_scores(vectors)
    either, _ = retriever._bank_scores(vectors, own_too=True)
    alone, _ = retriever._bank_scores([(own, 1.0)])
    assert np.all(either >= mixed - 1e-6)
    assert np.allclose(either, np.maximum(mixed, alone), atol=1e-6)


def test_a_part_that_picks_between_or_matches_the_uncovered_subject_is_about_it() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        rows = [[0.0, 1.0] if "clomid" in t else [1.0, 0.0] for t in texts]
        return np.array(rows, dtype=np.float32)

    words = _Scope({"clomid": "other medicines"})
    for follow in ("which one do urologists try first?", "what dose would be equivalent?"):
        decision = scope.judge(["is clomid better than anastrozole", follow], words, banks, encode)
        assert decision.out_of_scope, follow
    mixed = scope.judge(["is clomid better than anastrozole", "how long until my count rises?"],
                        words, banks, encode)  # fmt: skip
    assert mixed.partial


def test_another_medicine_given_as_an_example_of_what_anastrozole_is_is_no_subject() -> None:
    words = _Scope({"hcg": "other medicines"})
    assert scope.judge(["is anastrozole an injection like hcg or a tablet?"], words).uncovered == ()
    assert scope.judge(["is hcg better than anastrozole?"], words).uncovered == ("other medicines",)


def test_what_a_which_question_asks_for_is_its_subject_however_close_the_article() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)  # all near the article

    words = _Scope({"peptide": "other medicines"})
    asked = scope.judge(["which peptide stacks raise sperm count with anastrozole?"], words,
                        banks, encode)  # fmt: skip
    assert asked.out_of_scope
    aside = scope.judge(["does anastrozole raise sperm count more than a peptide would?"], words,
                        banks, encode)  # fmt: skip
    assert not aside.out_of_scope


def test_a_part_about_the_combination_is_about_the_uncovered_medicine_before_it() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        rows = [[0.0, 1.0] if "tamoxifen" in t else [1.0, 0.0] for t in texts]
        return np.array(rows, dtype=np.float32)

    words = _Scope({"tamoxifen": "other medicines"})
    parts = ["could i add tamoxifen to my anastrozole", "is that combination ok for sperm?"]
    assert scope.judge(parts, words, banks, encode).out_of_scope


def test_a_part_opening_on_is_it_asks_about_what_the_part_before_asked_about() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)  # all read as covered

    words = _Scope({"tamoxifen": "other medicines"})
    asked = scope.judge(["what dose of tamoxifen do men take", "is it every day?"], words, banks,
                        encode)  # fmt: skip
    assert asked.out_of_scope
    # a medicine only compared with ("a pill like tamoxifen?") leaves the next part its own
    compared = scope.judge(["is anastrozole a shot like tamoxifen", "is it a daily pill?"], words,
                           banks, encode)  # fmt: skip
    assert not compared.out_of_scope


def test_who_is_to_take_it_decides_even_beside_his_own_results() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)  # all read as covered

    class _Incidental(_Scope):
        def incidental(self, topic: str, text: str) -> bool:
            return "my sperm" in text  # a topic word beside his own results

    words = _Incidental({"she take": "use in women", "girlfriend": "use in women"})
    she = scope.judge(["my girlfriend has irregular cycles, should she take it too as I do for "
                       "my sperm?"], words, banks, encode)  # fmt: skip
    assert she.out_of_scope
    beside = scope.judge(["my girlfriend and I are trying, will it help my sperm?"], words, banks,
                         encode)  # fmt: skip
    assert not beside.uncovered


def test_a_part_the_chosen_sentences_answer_poorly_gets_a_sentence_of_another_passage(
    fake_assistant,
) -> None:
    retriever = fake_assistant.retriever
    question = "does it act inside the testes, or is it all through the brain?"
    evidence = retriever.retrieve(retriever.understand(question))
    assert len(evidence.query.parts) == 2 and len(evidence.part_scores) == 2
    chosen = compose.choose_sentences(dataclasses.replace(evidence, part_scores=()))
    shown = {pick.passage.id for pick in chosen}
    other = next(
        h.passage
        for h in evidence.hits[: compose.PART_PASSAGES]
        if h.passage.id not in shown and h.passage.kind in compose.QUOTABLE_RUNNERS
    )
    i, sentence = evidence.sentences_of(other.id)[0]
    answered = np.full(len(evidence.sentence_scores), 0.9, dtype=np.float32)
    first = np.zeros(len(evidence.sentence_scores), dtype=np.float32)
    first[i] = 0.8  # the first part: only a sentence of another passage answers it

    def picks(scores: np.ndarray) -> list[tuple[str, int]]:
        parts = dataclasses.replace(evidence, part_scores=(scores, answered))
        return [(p.passage.id, p.start) for p in compose.choose_sentences(parts)]

    assert (other.id, sentence.start) in picks(first)
    assert (other.id, sentence.start) not in picks(first * 0.4)  # below the floor: nothing added


def test_what_it_would_do_for_a_relative_is_another_person_s_health() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)  # all read as covered

    whole = "my uncle is 70 and has heart failure. would anastrozole help his energy?"
    other = scope.judge(["would anastrozole help his energy?"], _Scope({}), banks, encode,
                        whole=whole)  # fmt: skip
    assert other.uncovered == (scope.ANOTHER_PERSON,)
    both = "my uncle and I both have low T, would it help his levels and mine?"
    assert not scope.judge([both], _Scope({}), banks, encode, whole=both).uncovered


def test_a_part_naming_a_topic_beside_his_own_fertility_asked_elsewhere_is_an_aside() -> None:
    banks = _banks([[1, 0], [1, 0.1], [1, -0.1]], [[0, 1], [0.1, 1], [-0.1, 1]])

    def encode(texts):  # type: ignore[no-untyped-def]
        # the part naming breast cancer reads as out of scope, on its own
        rows = [[0.0, 1.0] if "breast" in t and "swimmers" not in t else [1.0, 0.0] for t in texts]
        return np.array(rows, dtype=np.float32)

    class _AboutHim(_Scope):
        def incidental(self, topic: str, text: str) -> bool:
            return "my swimmers" in text

    words = _AboutHim({"breast cancer": "women's health"})
    parts = ["it's a breast cancer pill, isn't it?", "how would that help my swimmers?"]
    whole = " ".join(parts)
    decision = scope.judge(parts, words, banks, encode, whole=whole)
    assert not decision.uncovered  # no "the article does not cover women" for an aside
    assert decision.narrowed and decision.covered_text == parts[1]  # the question is answered


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("typical dose (e.g. 1 mg daily) in the studies? and for how long?", 2),
        ("is it safe (i.e. no bone loss) over a year?", 1),
    ],
)
def test_an_abbreviation_with_a_full_stop_ends_no_sentence(text: str, parts: int) -> None:
    found = question_parts(text)
    assert len(found) == parts and "1 mg daily" in found[0] if parts == 2 else len(found) == 1


def test_which_of_the_listed_references_asks_for_a_reference(fake_assistant) -> None:
    query = fake_assistant.retriever.understand("which of the listed references is it?")
    assert query.asks_reference


@pytest.mark.parametrize(("question", "yields"), [("why does weight matter so much?", True),
                                                  ("what is BMI?", False)])  # fmt: skip
def test_a_definition_ranked_first_yields_to_a_paragraph_for_a_why_question(
    fake_assistant, question: str, yields: bool
) -> None:
    retriever = fake_assistant.retriever
    evidence = retriever.retrieve(retriever.understand(question))
    passages = {p.id: p for p in fake_assistant.index.passages}
    glossary = next(p for p in passages.values() if p.kind == "glossary")
    paragraph = next(p for p in passages.values() if p.kind == "paragraph")
    hits = (
        Hit(glossary, 0.6, 0.6, 0.6, 0.6, relevance=0.6),
        Hit(paragraph, 0.45, 0.45, 0.45, 0.45, relevance=0.45),
    )
    lead = compose.lead_passage(dataclasses.replace(evidence, hits=hits))
    assert lead.id == (paragraph.id if yields else glossary.id)


def test_a_question_of_place_is_its_own_kind() -> None:
    assert question_kind("which clinic did that study come out of?") == "where"
    assert question_kind("where was the T/LH study done?") == "where"
    assert question_kind("which men respond best?") == "who"


def test_the_asking_sentences_of_a_story_are_its_questions_alone() -> None:
    from assistant.query import asking_sentences

    text = "My gym mate says it's a steroid. I lift a lot. is it a steroid? what kind of drug is it"
    assert asking_sentences(text) == ["is it a steroid?", "what kind of drug is it"]


def test_blanking_a_unit_that_ends_a_sentence_keeps_its_full_stop() -> None:
    from assistant.lab_answers import without_spans

    text = "my count is 11 mil. is that bad?"
    start = text.index("11")
    assert without_spans(text, [(start, start + len("11 mil."))]) == (
        "my count is " + " " * 6 + ". is that bad?"
    )
