"""Fuzzing (hypothesis): `Assistant.ask`, the article parser and the lab-values parser.

Promises held here, for any input text:
  * nothing but an `AssistantError` subclass escapes, and its message is one line;
  * a question over 20,000 characters (up to 1 MB) gets the one-line UsageError, nothing else;
  * every `ask` returns within ASK_BOUND seconds (fake embedder; generous, so CI does not flake);
  * every quoted sentence is verbatim in its cited passage and in the source at its offsets, and
    the answer says nothing beyond safety templates, lab-arithmetic lines and those quotes.

Runs are derandomised with no example database, so CI sees the same examples every time.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import answer as answer_module
from assistant.answer import MAX_QUESTION_CHARS, Answer
from assistant.corpus import load_corpus, load_tables
from assistant.errors import UsageError
from assistant.passages import parse_article
from assistant.text import clean

ASK_BOUND = 2.0  # seconds per ask with the fake embedder (typically ~2 ms)
PARSE_BOUND = 5.0
LABS_BOUND = 5.0

_FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def fuzz(examples: int) -> settings:
    return settings(_FUZZ, max_examples=examples)


CORPUS = load_corpus()
ARTICLE = CORPUS.source
_ARTICLE_WORDS = sorted(set(re.findall(r"[A-Za-z][A-Za-z/0-9-]+", ARTICLE)))
_PHRASES = [
    "I have chest pain",
    "sudden vision loss",
    "I've been having suicidal thoughts",
    "should I stop taking anastrozole?",
    "how many mg should I take?",
    "which paper was that?",
    "and FSH?",
    "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1",
    "testosterone 300 ng/dL estradiol 40 pg/mL",
    "BMI 31",
    "sperm count 5 million/mL",
    "T/E2 ratio < 10",
    "what is the T/LH ratio?",
    "1 mg twice a week",
    "Table",
    "[1]",
    "“quoted”",
    "e.g.",
    "et al.",
]
_ODD = [
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\r\n",
    "\t",
    "\u2028",
    "🙂",
    "ﬁ",
    "Ⅻ",
    "ｔｅｓｔｏｓｔｅｒｏｎｅ",
    "%s%n",
    "{0}",
    "\\",
    "' OR 1=1 --",
    "<script>",
    "../../etc/passwd",
    "ⁱⁿ",
    "𝐓/𝐄𝟐",
]

ALL_TEXT = st.text(max_size=400)  # every code point but lone surrogates
CONTROLS = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=200
)
DOMAIN = st.lists(st.sampled_from(_ARTICLE_WORDS + _PHRASES + _ODD), max_size=40).map(" ".join)
NOISY_DOMAIN = st.lists(
    st.one_of(st.sampled_from(_ARTICLE_WORDS + _PHRASES), st.text(max_size=8)), max_size=30
).map("".join)
RAW_BYTES = st.binary(max_size=600)
FROM_BYTES = st.one_of(
    RAW_BYTES.map(lambda b: b.decode("utf-8", errors="replace")),
    RAW_BYTES.map(lambda b: b.decode("utf-8", errors="surrogateescape")),
    RAW_BYTES.map(lambda b: b.decode("latin-1")),
)
QUESTIONS = st.one_of(ALL_TEXT, CONTROLS, DOMAIN, NOISY_DOMAIN, FROM_BYTES)
HISTORY = st.lists(st.one_of(DOMAIN, ALL_TEXT, FROM_BYTES), max_size=4)


@st.composite
def huge(draw: st.DrawFn) -> str:
    """Between 20,001 characters and 1 MB, built by repeating a drawn piece (fast to generate)."""
    piece = draw(st.one_of(DOMAIN, ALL_TEXT, FROM_BYTES).filter(bool))
    size = draw(st.integers(MAX_QUESTION_CHARS + 1, 1_048_576))
    return (piece * (size // len(piece) + 1))[:size]


# -- checks shared with tests/test_safety.py ----------------------------------------------------

_DIRECTIVE = re.compile(
    r"\byou (should|must|need to|ought to|can safely|have to) "
    r"(take|start|stop|increase|decrease|double|skip|quit|continue)\b",
    re.IGNORECASE,
)


def check_answer(assistant, answer: Answer, question: str, history: Sequence[str] = ()) -> None:
    """The answer is the safety lines, then lab lines, then verbatim quotes, each cited."""
    source = assistant.corpus.source
    cited = {c.n: c for c in answer.citations}
    assert sorted(cited) == list(range(1, len(cited) + 1))
    known = {p.id for p in assistant.index.passages}
    assert {c.passage.id for c in answer.citations} <= known
    assert {c.passage.id for c in answer.retrieved} <= known
    text = answer.text
    prefix = " ".join(answer.safety)
    assert text.startswith(prefix)
    rest = text[len(prefix) :].strip()
    assert not _DIRECTIVE.search(text), text
    if answer.abstained:  # fixed templates only (their wording is answer.py's business)
        assert not answer.citations and not answer.quotes
        return
    rendered = []
    passages = [cited[quote.n].passage for quote in answer.quotes]
    for i, quote in enumerate(answer.quotes):
        citation = cited[quote.n]
        passage = citation.passage
        assert passage.id == quote.passage_id
        assert source[quote.start : quote.end] == quote.text
        assert passage.start <= quote.start < quote.end <= passage.end
        assert quote.text in passage.text
        # rows of one table quoted together name it once and end with ";" but the last
        opens = not (i and answer_module.same_table(passages[i - 1], passage))
        closes = not (i + 1 < len(passages) and answer_module.same_table(passage, passages[i + 1]))
        shown = answer_module._frame(
            passage, quote.text, assistant.corpus.tables, opens=opens, closes=closes
        )
        if shown.endswith(";"):
            rendered.append(f"{quote.lead}{shown[:-1]} [{quote.n}];")
        else:
            rendered.append(f"{quote.lead}{shown} [{quote.n}]")
    # The quotes appear in order; what is left must be our fixed lines: lab arithmetic (the
    # explanations and issues of the lab report the answer carries) and the partial-scope line.
    middle, pos = "", 0
    for piece in rendered:
        found = rest.find(piece, pos)
        assert found >= 0, f"quote not rendered in order: {piece!r}"
        middle += rest[pos:found] + " "
        pos = found + len(piece)
    middle += rest[pos:]
    report = answer.labs
    lab_texts = [g.explanation for g in getattr(report, "groups", ()) if g.explanation]
    lab_texts += [str(issue) for issue in getattr(report, "issues", ())]
    lab_texts += [line.removeprefix("From your numbers: ") for line in answer.lab_lines]
    if answer.uncovered:
        lab_texts.append(answer_module.PARTIAL_LINE.format(
            topic=answer_module._topic_text(answer.uncovered)))  # fmt: skip
    middle = middle.replace("From your numbers:", "")
    for line in sorted(set(lab_texts), key=len, reverse=True):
        middle = middle.replace(line, "")
    assert not re.sub(r"\[\d+\]|\s", "", middle), f"unsourced text in the answer: {middle!r}"


def ask_checked(assistant, question: str, history: Sequence[str] = ()) -> Answer | None:
    """Ask; only a one-line AssistantError may escape, within ASK_BOUND; check the answer."""
    start = time.monotonic()
    try:
        answer = assistant.ask(question, list(history))
    except UsageError as exc:
        assert "\n" not in str(exc)
        assert len(question) > MAX_QUESTION_CHARS or not clean(question), str(exc)
        return None
    finally:
        elapsed = time.monotonic() - start
        assert elapsed < ASK_BOUND, f"ask took {elapsed:.2f}s for {question[:80]!r}"
    check_answer(assistant, answer, question, history)
    json.dumps(answer.to_json())
    return answer


# -- Assistant.ask -------------------------------------------------------------------------------


@fuzz(1000)
@given(question=QUESTIONS, history=HISTORY)
def test_ask_any_text(fake_assistant, question: str, history: list[str]) -> None:
    ask_checked(fake_assistant, question, history)


@fuzz(500)
@given(question=DOMAIN, history=st.lists(DOMAIN, max_size=3))
def test_ask_article_vocabulary_answers_are_verbatim(
    fake_assistant, question: str, history: list[str]
) -> None:
    """Questions made of the article's own words and lab phrases reach the answering path."""
    ask_checked(fake_assistant, question, history)


@fuzz(25)
@given(question=huge())
def test_ask_oversized_question_is_one_usage_error(fake_assistant, question: str) -> None:
    start = time.monotonic()
    with pytest.raises(UsageError) as info:
        fake_assistant.ask(question)
    assert time.monotonic() - start < ASK_BOUND
    message = str(info.value)
    assert "\n" not in message
    assert f"{MAX_QUESTION_CHARS:,}" in message or "empty" in message


def test_ask_exactly_at_the_limit(fake_assistant) -> None:
    piece = "T 300 ng/dL E2 40 pg/mL what is my ratio? "
    at_limit = (piece * 1000)[:MAX_QUESTION_CHARS]
    ask_checked(fake_assistant, at_limit)
    with pytest.raises(UsageError, match="20,000"):
        fake_assistant.ask(at_limit + "x")
    with pytest.raises(UsageError, match="1,048,576"):
        fake_assistant.ask("x" * 1_048_576)


@fuzz(150)
@given(question=QUESTIONS)
def test_ask_rejects_non_text_history_items_quietly(fake_assistant, question: str) -> None:
    history = [None, 7, b"bytes", "", "  ", "what is anastrozole?"]
    ask_checked(fake_assistant, question, history)  # type: ignore[arg-type]


# -- the article parser --------------------------------------------------------------------------


def check_parsed(source: str) -> None:
    start = time.monotonic()
    parsed = parse_article(source, load_tables())
    assert time.monotonic() - start < PARSE_BOUND
    owners = {}
    for passage in parsed.passages:
        assert 0 <= passage.start <= passage.end <= len(source)
        assert source[passage.start : passage.end] == passage.text
        assert passage.text.strip()
        owners.setdefault(passage.id, []).append(passage)
    for sentence in parsed.sentences:
        assert source[sentence.start : sentence.end] == sentence.text
        assert sentence.text.strip()
        assert any(
            p.start <= sentence.start < sentence.end <= p.end for p in owners[sentence.passage_id]
        )
    for dropped in parsed.dropped:
        assert source[dropped.start : dropped.end] == dropped.text


@fuzz(500)
@given(source=st.one_of(ALL_TEXT, DOMAIN, NOISY_DOMAIN, FROM_BYTES, CONTROLS))
def test_parse_any_text(source: str) -> None:
    check_parsed(source)


@st.composite
def mutated_article(draw: st.DrawFn) -> str:
    """The real article with a few random insertions, deletions and line-break changes."""
    text = ARTICLE
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "newline", "bullet"]))
        if kind == "insert":
            text = text[:at] + draw(st.one_of(ALL_TEXT, DOMAIN, CONTROLS)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 400)) :]
        elif kind == "newline":
            text = text[:at] + draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"])) + text[at:]
        else:
            text = text[:at] + "\n• " + text[at:]
    return text


@fuzz(100)
@given(source=mutated_article())
def test_parse_mutated_article(source: str) -> None:
    check_parsed(source)


# -- the lab-values parser -----------------------------------------------------------------------

LAB_TEXT = st.one_of(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "T",
                    "TT",
                    "testosterone",
                    "E2",
                    "estradiol",
                    "LH",
                    "FSH",
                    "BMI",
                    "SHBG",
                    "ng/dL",
                    "nmol/L",
                    "pg/mL",
                    "pmol/L",
                    "IU/L",
                    "mIU/mL",
                    "kg",
                    "cm",
                    "lb",
                    "million/mL",
                    "sperm",
                    "count",
                    "<",
                    ">",
                    "≤",
                    "=",
                    ":",
                    ",",
                    "-",
                    "to",
                    "was",
                    "is",
                    "before",
                    "after",
                    "1 mg",
                    "twice a week",
                    "age 34",
                    "2021",
                ]
            ),
            st.floats(allow_nan=True, allow_infinity=True).map(str),
            st.integers(-(10**12), 10**12).map(str),
            st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        ),
        max_size=40,
    ).map(" ".join),
    ALL_TEXT,
    FROM_BYTES,
    CONTROLS,
)


def _labs():
    try:
        from assistant.labs import analyse, analyse_turns, render_text
    except ImportError:  # the package was being written alongside these tests
        pytest.skip("assistant.labs (analyse) is not available yet")
    return analyse, analyse_turns, render_text


def check_labs(text: str) -> None:
    analyse, _, render_text = _labs()
    start = time.monotonic()
    report = analyse(text)  # "never raises on any string"
    elapsed = time.monotonic() - start
    assert elapsed < LABS_BOUND, f"analyse took {elapsed:.2f}s"
    json.dumps(report.to_json(), allow_nan=False)
    assert isinstance(render_text(report), str)
    for measurement in report.measurements:
        begin, end = measurement.span
        assert 0 <= begin <= end <= len(text)


@fuzz(500)
@given(text=LAB_TEXT)
def test_labs_any_text(text: str) -> None:
    check_labs(text)


@fuzz(5)
@given(text=huge())
def test_labs_huge_text(text: str) -> None:
    check_labs(text)


@fuzz(100)
@given(turns=st.lists(LAB_TEXT, max_size=5))
def test_labs_conversations(turns: list[str]) -> None:
    _, analyse_turns, render_text = _labs()
    report = analyse_turns(turns)
    json.dumps(report.to_json(), allow_nan=False)
    assert isinstance(render_text(report), str)


# -- the real ONNX query path (built index, no torch) --------------------------------------------


REAL_QUESTIONS = st.one_of(
    ALL_TEXT, DOMAIN, CONTROLS, RAW_BYTES.map(lambda b: b.decode("utf-8", errors="replace"))
)


@fuzz(100)
@given(question=REAL_QUESTIONS, history=st.lists(DOMAIN, max_size=2))
def test_ask_real_encoder_any_text(real_assistant, question: str, history: list[str]) -> None:
    """Same promises with the ONNX encoder and the real index (bound x3: a real model)."""
    start = time.monotonic()
    try:
        answer = real_assistant.ask(question, history)
    except UsageError as exc:
        assert "\n" not in str(exc)
        return
    assert time.monotonic() - start < 3 * ASK_BOUND
    check_answer(real_assistant, answer, question, history)


def test_ask_real_encoder_lone_surrogate(real_assistant) -> None:
    """`assistant ask $'what is \\xff anastrozole'` crashes with a TypeError traceback."""
    ask_checked(real_assistant, "what is \udcff anastrozole?")


def test_ask_bounds_the_history_it_reads(fake_assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed (deterministic): the text handed to the labs parser stays bounded."""
    labs = pytest.importorskip("assistant.labs")
    seen: list[int] = []
    real = labs.analyse_turns

    def counting(texts):
        seen.append(sum(len(t) for t in texts))
        return real([t[:10] for t in texts])  # keep the test itself fast

    monkeypatch.setattr(labs, "analyse_turns", counting)
    history = ["T 300 ng/dL, E2 40 pg/mL. " * 40_000] * 10  # ten turns of ~1 MB
    try:
        fake_assistant.ask("and my T/E2 300 40?", history)
    except UsageError:
        return  # refusing an oversized history is fine too
    assert max(seen, default=0) <= 20 * MAX_QUESTION_CHARS


def test_passage_ids_are_unique_for_any_article() -> None:
    source = (
        "Intro\n\nReferences\n\n"
        "• Smith, J. et al. “A first study.” Journal A, 2020.\n"
        "• Smith, A. et al. “A second study.” Journal B, 2020.\n"
    )
    ids = [p.id for p in parse_article(source).passages]
    assert len(ids) == len(set(ids)), ids


def test_parser_is_linear_on_long_numeric_lines() -> None:
    source = "Title\nheader\n" + "1 " * 6_000 + "x\n"
    start = time.monotonic()
    parse_article(source, load_tables())
    assert time.monotonic() - start < 0.2  # linear: a few milliseconds
