"""The article becomes passages that follow its structure, with exact offsets."""

from __future__ import annotations

from assistant.corpus import load_corpus, load_tables
from assistant.passages import is_caption, parse_article, split_sentences

CORPUS = load_corpus()


def test_every_passage_is_its_exact_source_span() -> None:
    for passage in CORPUS.passages:
        assert CORPUS.source[passage.start : passage.end] == passage.text, passage.id


def test_every_sentence_is_its_exact_source_span_inside_its_passage() -> None:
    owners = {p.id: p for p in CORPUS.passages}
    for sentence in CORPUS.parsed.sentences:
        owner = owners[sentence.passage_id]
        assert CORPUS.source[sentence.start : sentence.end] == sentence.text
        assert owner.start <= sentence.start < sentence.end <= owner.end


def test_ids_are_unique_and_stable() -> None:
    ids = [p.id for p in CORPUS.passages]
    assert len(ids) == len(set(ids))
    again = parse_article(CORPUS.source, load_tables()).passages
    assert [p.id for p in again] == ids
    assert {
        "fundamentals-p5",
        "intermediate-t1-r1",
        "academic-t1-r4",
        "academic-b2",
        "glossary-subfertile-men",
        "ref-lundy-2023",
        "ref-raman-2002",
    } <= set(ids)


def test_sections_follow_the_document() -> None:
    tops = {p.section[0] for p in CORPUS.passages}
    assert tops == {
        "Fundamentals",
        "Intermediate",
        "Academic",
        "References",
        "Reflection",
        "Glossary",
    }
    by_id = {p.id: p for p in CORPUS.passages}
    assert (
        by_id["intermediate-p3"].section_path
        == "Intermediate > Who Is a Candidate for Anastrozole Therapy?"
    )
    assert (
        by_id["academic-p7"].section[-1] == "Does Anastrozole Help Men with Normal Estrogen Levels?"
    )


def test_kinds_and_counts() -> None:
    kinds: dict[str, int] = {}
    for p in CORPUS.passages:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    assert kinds == {
        "paragraph": 32,
        "table_intro": 2,
        "table_row": 9,
        "bullet": 3,
        "reference": 5,
        "glossary": 17,
    }


def test_table_rows_carry_title_and_column_meaning() -> None:
    row = next(p for p in CORPUS.passages if p.text == "Testosterone (ng/dL) 270.6 412.0")
    assert row.kind == "table_row"
    assert "Biochemical and Semen Parameter Changes with Anastrozole" in row.context
    assert "Typical Baseline 270.6" in row.context and "Typical Post-Treatment 412.0" in row.context
    comparative = next(p for p in CORPUS.passages if p.text.startswith("High T/LH Ratio"))
    assert "Key Baseline Markers Lower LH & FSH, Higher Testosterone" in comparative.context
    assert "Observed Outcome Clinically significant improvement" in comparative.context


def test_glossary_entry_is_term_plus_meaning() -> None:
    entry = next(p for p in CORPUS.passages if p.id == "glossary-subfertile-men")
    assert (
        entry.text.startswith("subfertile men")
        and "distinct from absolute infertility" in entry.text
    )
    assert entry.context == "subfertile men"


def test_dropped_text_is_listed_for_review() -> None:
    """Everything kept out of the index: page chrome and the 25 decorative image captions."""
    dropped = CORPUS.parsed.dropped
    assert [d.text for d in dropped if d.reason == "page chrome"] == ["Skip to main content"]
    captions = [d.text.split()[0:3] for d in dropped if d.reason == "image caption"]
    assert len(captions) == 25
    assert captions[0] == ["Crystalline", "structures,", "representing"]
    assert captions[-1] == ["A", "delicate,", "networked"]
    for d in dropped:
        assert CORPUS.source[d.start : d.end] == d.text
        assert not any(d.text in p.text for p in CORPUS.passages)


def test_article_prose_is_never_taken_for_a_caption() -> None:
    for passage in CORPUS.passages:
        assert not is_caption(passage.text), passage.id


def test_sentence_splitter_keeps_abbreviations_and_offsets() -> None:
    text = "Lundy et al. found it. Second, it worked! Then e.g. this."
    pieces = list(split_sentences(text, 100))
    assert [p[2] for p in pieces] == [
        "Lundy et al. found it.",
        "Second, it worked!",
        "Then e.g. this.",
    ]
    for start, end, sentence in pieces:
        assert text[start - 100 : end - 100] == sentence


def test_parser_survives_odd_input() -> None:
    for text in ("", "\n\n\n", "•", "Meaning ∞", "a\nb\nc\nd", "Glossary\n\nterm\n\nMeaning ∞ x"):
        parsed = parse_article(text)
        for p in parsed.passages:
            assert text[p.start : p.end] == p.text
