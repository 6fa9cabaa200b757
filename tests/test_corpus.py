"""The corpus folder: the article verbatim, its references, and the reviewed data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import load_corpus
from assistant.query import load_lexicon, load_scope

CORPUS = load_corpus()
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_91ca585eb040d117.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="shared/seed is not beside the project")
def test_article_is_the_seed_verbatim() -> None:
    assert CORPUS.source == SEED.read_text(encoding="utf-8")


def test_five_references_as_structured_data() -> None:
    refs = {r.id: r for r in CORPUS.references}
    assert list(refs) == [
        "ref-lundy-2023",
        "ref-helo-2019",
        "ref-zhou-2021",
        "ref-chandra-2018",
        "ref-raman-2002",
    ]
    helo = refs["ref-helo-2019"]
    assert (helo.venue, helo.year, helo.volume, helo.issue, helo.pages) == (
        "Translational Andrology and Urology",
        2019,
        "8",
        "6",
        "633-639",
    )
    for ref in refs.values():
        entry = next(p for p in CORPUS.passages if p.id == ref.id)
        assert ref.title in entry.text and str(ref.year) in entry.text


def test_every_discussed_in_quote_names_a_passage() -> None:
    for ref in CORPUS.references:
        for quote in ref.discussed_in:
            assert any(quote in p.text for p in CORPUS.passages), (ref.id, quote)


def test_cleveland_clinic_paragraphs_name_lundy() -> None:
    cleveland = next(p for p in CORPUS.passages if "Cleveland Clinic" in p.text)
    assert "ref-lundy-2023" in cleveland.refs
    normal = next(p for p in CORPUS.passages if "T/E2 ratios below and above 10" in p.text)
    assert "ref-zhou-2021" in normal.refs


def test_lexicon_and_scope_load_and_match() -> None:
    lexicon = load_lexicon()
    assert any("estradiol" in e for e in lexicon.expansions("my estrogen is high"))
    assert any("testosterone" in e for e in lexicon.expansions("my T is 520"))
    assert not any("testosterone" in e for e in lexicon.expansions("the t in tea"))
    # journal abbreviations as clinicians write them name the reference's journal
    assert any("Journal of Urology" in e for e in lexicon.expansions("the J Urol paper?"))
    scope = load_scope()
    assert scope.hits("Letrozole vs anastrozole?") == ["other medicines"]
    assert scope.hits("I always thought estrogen was a women's hormone") == []


def _corpus_copy(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus", folder)
    return folder


def test_missing_or_malformed_corpus_files_are_one_line_usage_errors(tmp_path: Path) -> None:
    import json

    from assistant.corpus import load_corpus
    from assistant.errors import UsageError
    from assistant.query import load_lexicon, load_scope

    folder = _corpus_copy(tmp_path)
    (folder / "lexicon.json").unlink()
    with pytest.raises(UsageError, match=r"lexicon\.json"):
        load_lexicon(folder)
    refs = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    del refs["references"][0]["year"]
    (folder / "references.json").write_text(json.dumps(refs), encoding="utf-8")
    with pytest.raises(UsageError, match="malformed") as info:
        load_corpus(folder)
    assert "\n" not in str(info.value)
    (folder / "scope.json").write_text('{"topics": 3}', encoding="utf-8")
    with pytest.raises(UsageError, match=r"scope\.json"):
        load_scope(folder)


def test_malformed_forum_questions_and_about_him_are_one_line_usage_errors(tmp_path: Path) -> None:
    import json

    from assistant.corpus import forum_questions
    from assistant.errors import UsageError
    from assistant.query import load_scope

    folder = _corpus_copy(tmp_path)
    bank = json.loads((folder / "questions.json").read_text(encoding="utf-8"))
    bank["forum"] = ["not", "a", "table"]
    (folder / "questions.json").write_text(json.dumps(bank), encoding="utf-8")
    with pytest.raises(UsageError, match="malformed") as info:
        forum_questions(folder)
    assert "\n" not in str(info.value)
    scope = json.loads((folder / "scope.json").read_text(encoding="utf-8"))
    scope["about_him"] = {"topics": ["women's health"], "phrases": 7}
    (folder / "scope.json").write_text(json.dumps(scope), encoding="utf-8")
    with pytest.raises(UsageError, match="malformed"):
        load_scope(folder)


def test_which_of_the_references_asks_for_a_reference() -> None:
    from assistant.query import _REFERENCE_ASK

    assert _REFERENCE_ASK.search("ok which of the references is that one?")
    assert _REFERENCE_ASK.search("what one of the studies said BMI matters?")
