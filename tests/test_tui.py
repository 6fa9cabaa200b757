"""The chat app driven with Pilot: a fake answerer built from real passages, one real-index test.

Keys are sent two ways: `pilot.press` (each key handled before the next) and `burst` (all keys
queued at once, as a fast typist or a paste delivers them), which is what exposed the command
palette's double dismiss.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Markdown

from assistant.answer import Answer, Citation, Quote
from assistant.corpus import load_corpus
from assistant.errors import IndexMissingError
from assistant.settings import Settings, load_settings, save_settings
from assistant.tui import app as app_module
from assistant.tui.app import ChatApp, ChatScreen, make_app
from assistant.tui.screens import (
    ArticleScreen,
    CopyScreen,
    EvidenceScreen,
    HelpScreen,
    SafeCommandPalette,
)
from assistant.tui.widgets import (
    AnswerTurn,
    CitationList,
    LabPanel,
    PromptInput,
    StatusLine,
    UserTurn,
)

SIZE = (120, 40)
SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real settings file, and no theme comes from the shell."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    for name in ("ASSISTANT_THEME", "TEXTUAL_THEME", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


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
    config = tmp_path / "config.json" if tmp_path is not None else None
    return make_app(lambda: fake, export_dir=tmp_path, settings_file=config)


def burst(app: ChatApp, keys: Sequence[str]) -> None:
    """Queue every key at once, before the app has handled the first (Pilot.press waits)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


async def back_to_chat(app: ChatApp, pilot) -> None:
    while len(app.screen_stack) > 1:
        await app.pop_screen()
        await pilot.pause()


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
    prompt.focus()  # as a user clicks back into the prompt after tabbing away
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


def picture(app: ChatApp, which: str) -> str:
    widget = app.chat.query_one(f"#labs-{which}")
    return str(widget.content) if widget.display else ""


async def test_lab_values_fill_the_panel(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "my T is 300 ng/dL and E2 40 pg/mL")
        panel = app.chat.query_one("#labs-body").source
        assert "T/E2 = 300 ng/dL ÷ 40 pg/mL = 7.5" in panel
        assert "applies" in panel and "10" in panel
        low = next(g for g in app.labs_report.groups if g.status == "applies")
        assert "T/E2" in low.label or "T/E2" in low.criterion_quote
        assert "300" in panel and "ng/dL" in panel
        gauges = picture(app, "gauges")
        assert "T/E2  7.5  below cut-off 10" in gauges
        assert re.search(r"\[=+-*\|-+\]", gauges), gauges
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "7.5" not in app.chat.query_one("#labs-body").source
        assert picture(app, "gauges") == "" and picture(app, "study") == ""
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
        await pilot.pause()
        assert fake.first.text.split(". ")[0] in app.clipboard
        assert f"chars {fake.first.start}" in app.clipboard and "Reference:" in app.clipboard
        # A headless run has no terminal clipboard: say so and show the text to copy by hand.
        copy = app.screen
        assert isinstance(copy, CopyScreen) and copy.text == app.clipboard
        assert "no terminal" in str(copy.query_one("#copy-reason").content)
        assert str(copy.query_one("#copy-text").content) == app.clipboard
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
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


async def test_source_list_copies_or_shows_the_text(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "Does it help with normal estrogen?")
        app.chat.query_one(CitationList).focus()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, CopyScreen) and app.screen.label == "Citation [1]"
        assert "Reference:" in app.screen.text and app.clipboard == ""
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CopyScreen) and app.clipboard == app.screen.text


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
        assert {"Terminal colours (ansi-dark)", "Terminal colours (ansi-light)"} <= set(titles)
        # Textual's Screenshot would write the conversation to a world-readable file.
        assert "Screenshot" not in titles


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


@pytest.mark.parametrize("size", [SMALL, (160, 50)])
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


async def test_gauges_for_the_example_report(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1, 5'9 and 215 lb")
        gauges = picture(app, "gauges")
        assert "T/E2  8.43  below cut-off 10" in gauges
        assert "T/LH  129.09  above cut-off 100" in gauges
        assert "BMI  31.7  above cut-off 25" in gauges
        bars = re.findall(r"\[[=\-|<>]+\]", gauges)
        assert len(bars) == 3 and all(b.count("|") == 1 for b in bars)
        assert all(len(line) <= 38 for line in gauges.splitlines())
        study = picture(app, "study")
        assert study.startswith("Study averages (one cohort), not a")
        assert "270.6 → 412.0" in study and "you 271.1" in study and "you 8.43" in study
        # Each conversion is shown once: on the value's line, not again in a note.
        body = app.chat.query_one("#labs-body").source
        assert "`9.4 nmol/L` → **271\\.1 ng/dL**" in body
        assert "9\\.4 nmol/L = 271.1" not in body and "9.4 nmol/L = 271.1" not in body
        panel = app.chat.query_one(LabPanel)
        assert panel.display and panel.region.width == 42


async def test_a_question_stands_in_for_a_gauge(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "e2 of 40 and T was 4")
        gauges = picture(app, "gauges")
        assert "T/E2: needs an answer first" in gauges
        assert "pg/mL or" in gauges and "pmol/L?" in gauges
        assert "[" not in gauges and "below" not in gauges and "above" not in gauges


async def test_settings_remembered_across_launches(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not config.exists(), "nothing is written until a choice changes"
        assert app.chat.query_one(LabPanel).display
        await pilot.press("f2")
        app.theme = "ansi-light"
        await pilot.pause()
        assert not app.chat.query_one(LabPanel).display
    assert load_settings(config) == Settings(theme="ansi-light", panel_shown=False)
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert json.loads(config.read_text())["theme"] == "ansi-light"
    assert not list(tmp_path.glob(".config.json.*"))

    again = fake_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "ansi-light"
        assert not again.chat.query_one(LabPanel).display
        await pilot.press("ctrl+t")  # stays in the ANSI family
        assert again.theme == "ansi-dark"
        await pilot.press("f2")
        await pilot.pause()
        assert again.chat.query_one(LabPanel).display
    assert load_settings(config) == Settings(theme="ansi-dark", panel_shown=True)


async def test_environment_theme_wins_and_bad_names_are_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.json"
    save_settings(Settings(theme="nord", panel_shown=True), config)
    monkeypatch.setenv("ASSISTANT_THEME", "ansi-dark")
    app = fake_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        assert app.theme == "ansi-dark"
        # The remembered "shown" holds even at 80 columns, where the panel starts hidden.
        assert app.chat.query_one(LabPanel).display
        await ask(app, pilot, "T 9.4 nmol/L, E2 118 pmol/L")
        assert "<svg" in app.export_screenshot()  # ANSI colours render
    assert load_settings(config).theme == "nord", "starting with the env theme saves nothing"

    monkeypatch.setenv("ASSISTANT_THEME", "no-such-theme")
    config.write_text('{"theme": 7, "panel_shown": "yes"}')
    app = fake_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-dark" and app.is_running


async def test_no_color_starts_in_the_terminals_own_colours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = fake_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "T 9.4 nmol/L, E2 118 pmol/L")
        assert app.theme == "ansi-dark" and app.no_color
    assert not (tmp_path / "config.json").exists(), "a default is not a choice to remember"


def test_no_key_needs_the_tmux_or_screen_prefix() -> None:
    from textual.binding import Binding

    from assistant.tui import screens, widgets

    classes = [ChatApp, ChatScreen, EvidenceScreen, ArticleScreen, HelpScreen, CopyScreen]
    classes += [screens.FindInput, widgets.PromptInput, widgets.CitationList]
    keys = {
        key.strip()
        for cls in classes
        for b in cls.BINDINGS
        if isinstance(b, Binding)
        for key in b.key.split(",")
    }
    assert not keys & {"ctrl+b", "ctrl+a"}
    assert {"f1", "f2", "f5"} <= keys, "F-key alternatives stay"
    assert "**F2** or **ctrl+b**" not in app_module.HELP


@pytest.mark.parametrize("size", [SMALL, SIZE])
@pytest.mark.parametrize(
    "keys",
    [
        ("ctrl+p", "enter", "enter"),
        ("ctrl+p", "escape", "escape", "enter", "enter"),
        ("ctrl+o", "a", "escape", "escape", "escape"),
        ("f1", "escape", "f1", "f1", "escape", "escape"),
        ("ctrl+p", "pageup"),  # found by the random-key test: KeyError in Textual's OptionList
        ("ctrl+p", "pagedown", "pageup", "escape"),
        # Also found by it: the palette closed while its search still ran (NoMatches).
        ("enter", "ctrl+s", "escape", "ctrl+p", "enter", "a", "ctrl+s", "enter", "ctrl+p"),
    ],
)
async def test_fast_keys_never_pop_the_chat(
    tmp_path: Path, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    """The red-team crash (ctrl+p, Enter, Enter typed quickly at 80x24: ScreenStackError, exit
    0, conversation lost), its relatives (a screen closed twice before it has gone), and paging a
    palette list that is not laid out yet."""
    app = fake_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await ask(app, pilot, "Does it help with normal estrogen?")
        burst(app, keys)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert app.is_running and app.return_code is None
        assert app.screen_stack[0] is app.chat
        assert app.turns and app.turns[0].question == "Does it help with normal estrogen?"


def test_palette_runs_one_command_for_a_double_enter(tmp_path: Path) -> None:
    ran: list[str] = []

    async def scenario() -> None:
        app = fake_app(tmp_path)
        app.action_help = lambda: ran.append("help")  # type: ignore[method-assign]
        async with app.run_test(size=SMALL) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, SafeCommandPalette)
            burst(app, [*"help", "enter", "enter", "enter"])
            await pilot.pause(0.3)
            assert app.is_running and app.screen is app.chat

    asyncio.run(scenario())
    assert ran == ["help"]


class ProbeApp(ChatApp):
    """Counts what legitimately ends the app or the conversation instead of doing the first."""

    quits = 0
    new_conversations = 0

    async def action_quit(self) -> None:
        self.quits += 1

    async def action_new_conversation(self) -> None:
        self.new_conversations += 1
        await super().action_new_conversation()


NAMED_KEYS = [
    "enter", "escape", "tab", "shift+tab", "up", "down", "left", "right", "pageup", "pagedown",
    "home", "end", "backspace", "delete", "ctrl+p", "ctrl+o", "ctrl+r", "ctrl+f", "ctrl+l",
    "ctrl+n", "ctrl+s", "ctrl+t", "ctrl+c", "ctrl+b", "ctrl+a", "f1", "f2", "f3", "shift+f3",
    "f5", "f10",
]  # fmt: skip
PRINTABLE = list("acvqnpt19 ?/.-T")
KEYS = st.sampled_from(NAMED_KEYS) | st.sampled_from(PRINTABLE)
BURSTS = st.lists(st.lists(KEYS, min_size=1, max_size=8), min_size=1, max_size=4)
# A few examples per size keep the suite fast; TUI_FUZZ_EXAMPLES=200 explores further.
FUZZ_EXAMPLES = int(os.environ.get("TUI_FUZZ_EXAMPLES", "5"))
OPENING = "Does it help with normal estrogen? My T is 300 ng/dL and E2 40 pg/mL"
_ANSWERER: list[FakeAnswerer] = []


@pytest.mark.parametrize("size", [SMALL, SIZE])
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bursts=BURSTS)
def test_random_keys_never_kill_the_chat(
    tmp_path: Path, size: tuple[int, int], bursts: list[list[str]]
) -> None:
    """Any keys, typed in fast bursts: the app keeps running, with its conversation, and still
    answers. (Quit and New conversation are counted, not done, when the palette picks them.)"""
    if not _ANSWERER:
        _ANSWERER.append(FakeAnswerer())
    fake = _ANSWERER[0]

    async def scenario() -> None:
        app = ProbeApp(lambda: fake, export_dir=tmp_path, settings_file=tmp_path / "c.json")
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await ask(app, pilot, OPENING)
            for keys in bursts:
                burst(app, keys)
                await pilot.pause()
            await pilot.pause(0.1)
            await settle(app, pilot)
            assert app.is_running and app.return_code is None, app._exception
            assert app.screen_stack[0] is app.chat
            if not app.new_conversations:
                assert app.turns[0].question == OPENING and app.turns[0].answer is not None
                assert app.chat.query(UserTurn) and app.chat.query(AnswerTurn)
            await back_to_chat(app, pilot)
            turn = await ask(app, pilot, "Who is a candidate for anastrozole?")
            assert turn.answer is not None and turn.answer.citations
        assert app.return_code in (None, 0)

    asyncio.run(scenario())


async def test_run_chat_prints_the_conversation_if_the_app_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.tui.format import Turn

    class Crashing(ChatApp):
        def run(self, *args: object, **kwargs: object) -> None:
            self.turns = [Turn("What dose did they use?", ())]
            self._return_code = 1

    monkeypatch.setattr(app_module, "make_app", lambda: Crashing(lambda: FakeAnswerer()))
    assert app_module.run_chat() == 1
    out, err = capsys.readouterr()
    assert "What dose did they use?" in out and err.startswith("error: the chat stopped")


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
