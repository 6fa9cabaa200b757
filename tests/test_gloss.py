"""The English gloss of messages in the other languages (gloss.py) and what the safety rules
read through it."""

from __future__ import annotations

import pytest

from assistant.gloss import Glossary, load_glossary
from assistant.safety import check

TINY = Glossary.from_json(
    {"es": {"me duele": "it hurts", "me": "me", "el pecho": "the chest", "ya no": "no longer"}}
)


def test_longest_phrase_first_and_unknown_words_kept() -> None:
    assert TINY.english("Me duele el pecho, ya no aguanto", "es") == (
        "it hurts the chest, no longer aguanto"
    )
    assert TINY.english("Me duele", "de") == ""  # no glossary for the language: no gloss


def test_accents_and_curly_apostrophes_are_folded() -> None:
    g = Glossary.from_json({"fr": {"j'ai avalé": "I swallowed", "à": "to"}})
    assert g.english("J\u2019ai AVALÉ à", "fr") == "I swallowed to"


def test_a_malformed_glossary_is_refused() -> None:
    with pytest.raises(ValueError):
        Glossary.from_json(["not", "a", "table"])


@pytest.mark.parametrize(
    ("cls", "question"),
    [
        (
            "dose",
            "un amigo del gym me pasó unas pastillas de anastrozol, ¿puedo empezar ya?",
        ),
        ("dose", "et si je prends 2 mg au lieu de 1, ça marche plus vite ?"),
        ("emergency", "ho un dolore fortissimo al petto e non riesco a respirare"),
        ("self_harm", "não aguento mais, quero sumir de vez"),
        ("exposure", "mijn dochtertje heeft twee tabletten ingeslikt"),
        ("dose", "posso raddoppiare la dose da solo?"),
    ],
)
def test_the_english_rules_read_the_gloss(cls: str, question: str) -> None:
    glossary = load_glossary()
    assert glossary is not None
    assert cls in check(question, glossary=glossary).lines


def test_an_english_message_is_never_glossed() -> None:
    glossary = load_glossary()
    assert glossary is not None
    plain = check("what is the T/E2 ratio?", glossary=glossary)
    assert plain.lines == () and plain.language == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Servus zamm, wie lang dauert des bis des Anastrozol wirkt?", "de"),
        ("ya no le encuentro sentido a nada y mi esposa merece algo mejor", "es"),
        ("what does the article say about the T/E2 ratio?", "en"),
        ("is anastrozole a pill?", "en"),
        ("quanto tempo ci vuole perché faccia effetto?", "it"),
        ("quanto tempo demora para fazer efeito?", "pt"),
        ("hoe lang duurt het voordat het werkt?", "nl"),
        ("I want to die, come on, 1 mg per day is nothing", "en"),
        ("do the men in the studies take it as a pill or not?", "en"),
    ],
)
def test_the_glossary_corrects_a_language_the_word_count_misread(text: str, language: str) -> None:
    glossary = load_glossary()
    assert glossary is not None
    assert check(text, glossary=glossary).language == language


def test_a_malformed_glossary_file_is_one_plain_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.errors import UsageError

    (tmp_path / "gloss.json").write_text('["not", "a", "table"]', encoding="utf-8")
    with pytest.raises(UsageError, match="malformed"):
        load_glossary(tmp_path)
    assert load_glossary(tmp_path / "nowhere") is None  # a corpus without a glossary: no gloss


def test_a_pet_that_chewed_the_pill_box_reads_as_an_exposure_in_german() -> None:
    found = check(
        "Meine Katze hat an der Pillendose gekaut, eine Tablette fehlt", glossary=load_glossary()
    )
    assert "exposure" in found.lines


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("sperm 12 mil/ml, no flag, no note, nurse never called. low?", "en"),
        ("no tengo idea, no sé qué hacer con el resultado", "es"),
        ("moet ik nu stoppen met de pillen of is het over", "nl"),
    ],
)
def test_words_english_shares_do_not_make_a_message_foreign(text: str, lang: str) -> None:
    from assistant.language import detect

    assert load_glossary().language(text, detect(text)) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Cos'è l'FSH, in breve?", "it"),
        ("Wat staat er in de tabel?", "nl"),
        ("is the dose in the article?", "en"),
        ("side effects in men?", "en"),
    ],
)
def test_in_is_a_function_word_of_several_languages(text: str, lang: str) -> None:
    from assistant.language import detect

    assert detect(text) == lang


def test_a_question_in_statement_order_is_glossed_in_question_order() -> None:
    glossary = load_glossary()
    assert glossary is not None
    english = glossary.english("Il me reste 2 comprimés, je peux les prendre demain ?", "fr")
    assert "can I take them" in english
    assert "I can" in glossary.english("Je peux dormir.", "fr")


@pytest.mark.parametrize(
    ("text", "language", "gloss"),
    [
        ("Neem ik vanavond nog eentje?", "nl", "do I take"),
        ("Nehme ich heute noch eine Tablette?", "de", "do I take"),
        ("Mijn zoontje heeft een pilletje gepakt", "nl", "pill"),
    ],
)
def test_verb_first_questions_and_diminutives_are_glossed(
    text: str, language: str, gloss: str
) -> None:
    glossary = load_glossary()
    assert glossary is not None
    assert gloss in glossary.english(text, language)


def test_a_dutch_take_another_one_is_a_dose_question() -> None:
    assert "dose" in check("Neem ik vanavond nog eentje?", glossary=load_glossary()).lines


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Posso trocar o anastrozol por letrozol sozinho?", "pt"),
        ("Kann ich das Anastrozol durch Zink ersetzen?", "de"),
        ("Kann ich auf Letrozol umsteigen, ohne den Arzt zu fragen?", "de"),
        ("¿Puedo reemplazar la anastrozol por un suplemento natural?", "es"),
        ("Je peux remplacer l'anastrozole par du zinc ?", "fr"),
    ],
)
def test_switching_or_replacing_the_tablets_is_a_dose_question_in_every_language(
    text: str, language: str
) -> None:
    glossary = load_glossary()
    assert glossary is not None and glossary.language(text, language) == language
    assert "dose" in check(text, glossary=glossary).lines


def test_a_spanish_question_mark_does_not_hide_the_question_order() -> None:
    glossary = load_glossary()
    assert glossary is not None
    assert glossary.english("¿Puedo tomar una pastilla extra?", "es").startswith("¿ can I")


def test_an_elided_word_in_the_glossary_is_found_as_a_message_writes_it() -> None:
    glossary = load_glossary()
    assert glossary is not None
    assert glossary.english("J'ai pris deux comprimés", "fr").startswith("I ")
    assert "the anastrozole" in glossary.english("remplacer l'anastrozole", "fr")


def test_portuguese_saved_up_tablets_and_ending_it_read_as_a_crisis() -> None:
    glossary = load_glossary()
    text = "guardei remédio suficiente, se der errado de novo eu acabo com tudo"
    assert "self_harm" in check(text, glossary=glossary).lines


def test_twins_in_spanish_and_portuguese_are_twins_not_calves() -> None:
    glossary = load_glossary()
    assert glossary is not None
    assert "twins" in glossary.english("mi hermano ahora tiene gemelos", "es")
    assert "twins" in glossary.english("meu irmão teve gêmeos", "pt")
    assert "calves" in glossary.english("me duelen los gemelos y tengo la pierna hinchada", "es")


def test_a_pregnant_partner_crushing_the_tablets_in_spanish_is_an_exposure() -> None:
    text = "mi novia está embarazada y me tritura las pastillas para tomarlas con zumo"
    assert "exposure" in check(text, glossary=load_glossary()).lines


def test_a_german_child_who_keeps_vomiting_after_tablets_needs_the_emergency_line() -> None:
    text = "unsere Tochter hat drei Tabletten genommen und erbricht jetzt ständig"
    assert "emergency" in check(text, glossary=load_glossary()).lines


def test_a_short_message_whose_only_english_looking_word_is_shared_is_read_in_its_language() -> (
    None
):
    glossary = load_glossary()
    assert glossary is not None
    text = "muchas gracias, me quedó todo muy claro"
    assert glossary.language(text, "en") == "es"
    assert glossary.language("is IVF mentioned at all", "en") == "en"


def test_a_portuguese_stroke_some_years_ago_is_history() -> None:
    text = "minha mãe teve um AVC faz uns anos, isso importa para o tratamento?"
    assert "emergency" not in check(text, glossary=load_glossary()).lines


def test_dutch_may_i_break_the_tablets_in_four_is_a_dose_question() -> None:
    text = "mag ik de pillen in vieren breken?"
    assert "dose" in check(text, glossary=load_glossary()).lines


def test_a_dutch_verb_and_its_particle_at_the_clause_end_are_glossed_together() -> None:
    glossary = load_glossary()
    assert glossary is not None
    assert "skip" in glossary.english("ik sla mijn tablet morgen over omdat ik ziek ben", "nl")
    text = "ik sla de pillen twee weken over en neem daarna dubbel om het in te halen"
    assert "dose" in check(text, glossary=glossary).lines


def test_french_drooping_mouth_and_lost_speech_in_spoken_french_need_the_emergency_line() -> None:
    text = "mon père a la bouche qui tombe et il arrive plus à parler depuis 5 minutes"
    assert "emergency" in check(text, glossary=load_glossary()).lines


def test_an_italian_gym_idiom_and_a_german_price_idiom_fire_nothing() -> None:
    glossary = load_glossary()
    assert (
        check("mi sto ammazzando di palestra, serve per l'aromatasi?", glossary=glossary).lines
        == ()
    )
    text = "fast einen herzinfarkt bekommen beim preis, steht was zu kosten drin?"
    assert check(text, glossary=glossary).lines == ()


def test_a_german_stop_verb_split_around_its_object_is_a_dose_question() -> None:
    text = "ich setz die tabletten einfach ab ohne mit dem arzt zu reden"
    assert "dose" in check(text, glossary=load_glossary()).lines
