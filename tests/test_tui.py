"""The chat app driven with Pilot: a fake answerer built from real passages, one real-index test."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.widgets import Markdown

from assistant.answer import Answer, Citation, Quote
from assistant.corpus import load_corpus
from assistant.errors import IndexMissingError
from assistant.tui.app import ChatApp, make_app
from assistant.tui.screens import ArticleScreen, EvidenceScreen, HelpScreen
from assistant.tui.widgets import AnswerTurn, CitationList, LabPanel, PromptInput, StatusLine

SIZE = (120, 40)


class FakeAnswerer:
    """Answers every question with real passages: the normal-estrogen paragraph and a table row."""

    def __init__(self) -> None:
        self.corpus = load_corpus()
        self.calls: list[tuple[str, tuple[str, ...]]] = []
        by_id = {p.id: p for p in self.corpus.passages}
        self.first = next(p for p in self.corpus.passages if "normal baseline estradiol" in p.text)
        self.second = by_id["intermediate-t1-r1"]

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        self.calls.append((question, tuple(history)))
        source = self.corpus.source_name
        if "weather" in question:
            return Answer(question, "The article does not cover this.", True, (), ())
        sentence = self.first.text.split(". ")[0] + "."
        start = self.first.start
        cites = (
            Citation(1, self.first, 0.9, source),
            Citation(2, self.second, 0.5, source),
        )
        quote = Quote(1, self.first.id, start, start + len(sentence), sentence)
        text = f"{sentence} [1] In the table: {self.second.text}. [2]"
        return Answer(question, text, False, cites, cites, quotes=(quote,))


def fake_app(tmp_path: Path | None = None, answerer: FakeAnswerer | None = None) -> ChatApp:
    fake = answerer or FakeAnswerer()
    return make_app(lambda: fake, export_dir=tmp_path)


async def settle(app: ChatApp, pilot) -> None:
    """Wait until the loader and every queued answer are done."""
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.is_idle:
            return
    raise AssertionError("the chat did not settle")


async def ask(app: ChatApp, pilot, question: str) -> AnswerTurn:
    prompt = app.chat.query_one("#prompt", PromptInput)
    prompt.value = question
    await pilot.press("enter")
    await settle(app, pilot)
    return list(app.chat.query(AnswerTurn).results(AnswerTurn))[-1]


async def test_question_gets_answer_with_citations(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"Does it help with normal estrogen?", "enter")
        await settle(app, pilot)
        turn = app.chat.query_one(AnswerTurn)
        assert turn.answer is not None and not turn.answer.abstained
        body = turn.query_one(".answer-text").source
        assert "[\\[1\\]](cite:1)" in body and "cite:2" in body
        labels = [str(o.prompt) for o in turn.query_one(CitationList).options]
        assert labels[0].startswith("[1] Academic") and "chars" in labels[0]
        assert labels[1].startswith("[2] Intermediate")
        assert "Ready" in str(app.chat.query_one("#app-state").content)


async def test_followup_passes_previous_user_turn_as_history(tmp_path: Path) -> None:
    fake = FakeAnswerer()
    app = fake_app(tmp_path, fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "Who is a candidate for anastrozole?")
        await ask(app, pilot, "What dose did they use?")
        assert fake.calls == [
            ("Who is a candidate for anastrozole?", ()),
            ("What dose did they use?", ("Who is a candidate for anastrozole?",)),
        ]
        # Up recalls the last question in the box.
        await pilot.press("up")
        assert app.chat.query_one("#prompt", PromptInput).value == "What dose did they use?"


async def test_questions_typed_while_loading_are_queued() -> None:
    import threading

    release = threading.Event()
    fake = FakeAnswerer()

    def slow_factory() -> FakeAnswerer:
        release.wait(5)
        return fake

    app = make_app(slow_factory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.state == "loading"
        assert "Loading" in str(app.chat.query_one("#app-state").content)
        app.chat.query_one("#prompt", PromptInput).value = "first question"
        await pilot.press("enter")
        app.chat.query_one("#prompt", PromptInput).value = "second question"
        await pilot.press("enter")
        await pilot.pause()
        assert fake.calls == []
        assert "Queued" in str(app.chat.query_one(".working-text").content)
        release.set()
        await settle(app, pilot)
        assert [q for q, _ in fake.calls] == ["first question", "second question"]
        assert all(t.answer is not None for t in app.chat.query(AnswerTurn).results(AnswerTurn))


async def test_lab_values_fill_the_panel(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "my T is 300 ng/dL and E2 40 pg/mL")
        panel = app.chat.query_one("#labs-body").source
        assert "T/E2 = 7.5" in panel
        assert "applies" in panel and "10" in panel
        low = next(g for g in app.labs_report.groups if g.status == "applies")
        assert "T/E2" in low.label or "T/E2" in low.criterion_quote
        assert "300" in panel and "ng/dL" in panel
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "T/E2 = 7.5" not in app.chat.query_one("#labs-body").source
        assert app.labs_report is None
        await pilot.press("f2")
        await pilot.pause()
        assert not app.chat.query_one(LabPanel).display


async def test_citation_opens_evidence_and_copies(tmp_path: Path) -> None:
    fake = FakeAnswerer()
    app = fake_app(tmp_path, fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "Does it help with normal estrogen?")
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        cited = screen.query_one(".-cited")
        assert fake.first.text[:60] in str(cited.content)
        meta = str(screen.query_one("#ev-meta").content)
        assert f"chars {fake.first.start}–{fake.first.end}" in meta
        assert "Academic" in meta
        assert screen.query(".ev-reference"), "the passage discusses a study: show its reference"
        await pilot.press("c")
        assert fake.first.text.split(". ")[0] in app.clipboard
        assert f"chars {fake.first.start}" in app.clipboard and "Reference:" in app.clipboard
        await pilot.press("2")
        await pilot.pause()
        assert "Testosterone (ng/dL)" in str(screen.query_one(".-cited").content)
        await pilot.press("a")
        await pilot.pause()
        article = app.screen
        assert isinstance(article, ArticleScreen)
        await pilot.press(*"aromatase")
        await pilot.pause()
        assert article.matches and "match 1 of" in str(article.query_one("#find-status").content)
        await pilot.press("enter")
        assert article.current == 1 % len(article.matches)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is app.chat
        # Number keys on the focused source list open that source.
        app.chat.query_one(CitationList).focus()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen) and app.screen.item.n == 2


async def test_export_writes_private_markdown_with_citations(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+s")  # nothing to export yet: no file
        assert list(tmp_path.iterdir()) == []
        await ask(app, pilot, "Does it help with normal estrogen?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        files = list(tmp_path.glob("*.md"))
        assert files == [app.last_export]
        text = files[0].read_text(encoding="utf-8")
        assert "Does it help with normal estrogen?" in text
        assert "1. **Academic" in text and "2. **Intermediate" in text
        assert "Not medical advice" in text
        assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
        assert not list(tmp_path.glob(".*.tmp"))


async def test_failing_loader_shows_message_not_traceback() -> None:
    def broken() -> FakeAnswerer:
        raise IndexMissingError("no index in /nowhere; run `assistant index build`")

    app = make_app(broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.state == "failed"
        error = app.chat.query_one(".load-error").source
        assert "no index in /nowhere" in error and "assistant index build" in error
        assert "Not ready" in str(app.chat.query_one(StatusLine).query_one("#app-state").content)
        await ask(app, pilot, "Who is a candidate?")
        turn = app.chat.query_one(AnswerTurn)
        assert turn.has_class("-error") and app.turns[0].error
    assert app.return_code in (None, 0)


async def test_abstention_new_conversation_help_and_theme(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        turn = await ask(app, pilot, "What is the weather?")
        assert turn.has_class("-abstained") and not turn.query(CitationList)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.turns == [] and not app.chat.query(AnswerTurn)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"New conversation", "Export conversation", "Open the article"} <= set(titles)


async def test_marker_and_panel_links_open_evidence(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        turn = await ask(app, pilot, "my T is 300 ng/dL and E2 40 pg/mL")
        text = turn.query_one(".answer-text", Markdown)
        text.post_message(Markdown.LinkClicked(text, "cite:2"))
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen) and app.screen.item.n == 2
        await pilot.press("escape")
        await pilot.pause()
        body = app.chat.query_one("#labs-body", Markdown)
        match = re.search(r"\(passage:([^)]+)\)", body.source)
        assert match, "each group in the panel links to the passage that defines it"
        body.post_message(Markdown.LinkClicked(body, f"passage:{match[1]}"))
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
        assert app.screen.item.passage.id == match[1]
        await pilot.press("escape")
        await pilot.pause()
        # shift+tab from the question box reaches the newest source list.
        await pilot.press("shift+tab")
        assert isinstance(app.focused, CitationList) and app.focused.answer is turn.answer


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_layout_sizes(tmp_path: Path, size: tuple[int, int]) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "my T is 300 ng/dL and E2 40 pg/mL")
        panel = app.chat.query_one(LabPanel)
        assert panel.display is (size[0] >= 100)
        await pilot.press("f2")
        await pilot.pause()
        assert panel.display is (size[0] < 100)
        await pilot.resize_terminal(*size)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)


@pytest.mark.model
async def test_real_index_end_to_end(tmp_path: Path) -> None:
    from assistant.index import index_status

    status = index_status()
    if status.state != "current":
        pytest.skip(
            f"the real index is {status.state}: run `assistant index build` ({status.detail})"
        )
    app = make_app(export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.state == "ready", app.load_error
        turn = await ask(
            app, pilot, "My estrogen is normal. Is there any point in me trying anastrozole?"
        )
        assert turn.answer is not None and turn.answer.citations
        assert "normal" in turn.answer.text
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceScreen)
