"""The chat's widgets: the prompt with history, the two kinds of turn, the citation list under an
answer, the "Your numbers" panel and the status line."""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, LoadingIndicator, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..answer import Answer, Citation
from ..corpus import Corpus
from .format import citation_label, escape_markdown, linked_markers, split_safety


class PromptInput(Input):
    """The question box; up and down walk through the questions already asked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Previous question", show=False),
        Binding("down", "history(1)", "Next question", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.past: list[str] = []
        self._at = 0
        self._draft = ""

    def remember(self, text: str) -> None:
        if text and (not self.past or self.past[-1] != text):
            self.past.append(text)
        self._at = len(self.past)
        self._draft = ""

    def action_history(self, step: int) -> None:
        if not self.past:
            return
        if self._at == len(self.past):
            self._draft = self.value
        self._at = max(0, min(len(self.past), self._at + step))
        self.value = self.past[self._at] if self._at < len(self.past) else self._draft
        self.cursor_position = len(self.value)


class UserTurn(Markdown):
    """A question as the user typed it."""

    def __init__(self, question: str) -> None:
        super().__init__(escape_markdown(question), open_links=False)
        self.border_title = "You"


class CitationList(OptionList):
    """The sources under an answer: Enter, a click or a number key opens the evidence."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy citation"),
        Binding("v", "copy(True)", "Citation text", show=False),
        *[Binding(str(n), f"open({n})", show=False) for n in range(1, 10)],
    ]

    class Open(Message):
        """Show citation `n` of `answer` in the evidence screen."""

        def __init__(self, answer: Answer, n: int) -> None:
            super().__init__()
            self.answer = answer
            self.n = n

    class Copy(Message):
        """Copy citation `n` of `answer` (`by_hand`: only show its text, to copy by hand)."""

        def __init__(self, answer: Answer, n: int, by_hand: bool = False) -> None:
            super().__init__()
            self.answer = answer
            self.n = n
            self.by_hand = by_hand

    def __init__(self, answer: Answer, corpus: Corpus | None) -> None:
        options = [Option(citation_label(c, corpus), id=str(c.n)) for c in answer.citations]
        super().__init__(*options)
        self.answer = answer
        self.border_title = "Sources · click, or shift+tab then Enter or 1–9 · c copies"

    def _move_page(self, direction: int) -> None:
        # Textual 8.2.8 raises KeyError here when the list has not been laid out yet.
        with contextlib.suppress(KeyError):
            super()._move_page(direction)

    def _selected_n(self) -> int | None:
        if self.highlighted is None:
            return None
        return self.answer.citations[self.highlighted].n

    def action_open(self, n: int) -> None:
        if any(c.n == n for c in self.answer.citations):
            self.post_message(self.Open(self.answer, n))

    def action_copy(self, by_hand: bool = False) -> None:
        n = self._selected_n()
        if n is not None:
            self.post_message(self.Copy(self.answer, n, by_hand))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Open(self.answer, self.answer.citations[event.option_index].n))


class AnswerTurn(Vertical):
    """An answer: first a working line, then the answer with its safety lines and sources."""

    def __init__(self, waiting: str) -> None:
        super().__init__(classes="-pending")
        self.border_title = "Answer"
        self.answer: Answer | None = None
        self._waiting = waiting

    def compose(self) -> ComposeResult:
        with Horizontal(classes="working"):
            yield LoadingIndicator()
            yield Static(self._waiting, classes="working-text")

    def set_waiting(self, text: str) -> None:
        self._waiting = text
        for label in self.query(".working-text").results(Static):
            label.update(text)

    async def show_answer(self, answer: Answer, corpus: Corpus | None) -> None:
        self.answer = answer
        await self.query(".working").remove()
        self.remove_class("-pending")
        safety, body = split_safety(answer)
        widgets: list[Static | Markdown | CitationList] = [
            Static(line, classes="safety") for line in safety
        ]
        if answer.abstained:
            self.add_class("-abstained")
            self.border_title = "Not in the article"
        widgets.append(Markdown(linked_markers(body), open_links=False, classes="answer-text"))
        if answer.citations:
            widgets.append(CitationList(answer, corpus))
        await self.mount_all(widgets)

    async def show_error(self, message: str) -> None:
        await self.query(".working").remove()
        self.remove_class("-pending")
        self.add_class("-error")
        self.border_title = "No answer"
        await self.mount(Static(message, classes="error-text"))

    def citation(self, n: int) -> Citation | None:
        if self.answer is None:
            return None
        return next((c for c in self.answer.citations if c.n == n), None)


class ChatLog(VerticalScroll):
    """The conversation, kept scrolled to the newest turn while the user is at the bottom."""

    can_focus = False


class LabPanel(Vertical):
    """The "Your numbers" side panel: gauges, the study's averages beside the user's values,
    then the values as typed and used, the arithmetic and the article's groups (Markdown)."""

    def compose(self) -> ComposeResult:
        yield Static("Your numbers", classes="panel-title")
        with VerticalScroll(classes="panel-body"):
            yield Static("", id="labs-gauges", classes="labs-picture")
            yield Static("", id="labs-study", classes="labs-picture")
            yield Markdown("", open_links=False, id="labs-body")
        yield Static("ctrl+l clears · F2 hides", classes="panel-hint")

    async def show(self, markdown: str, gauges: str = "", study: str = "") -> None:
        for widget_id, text in (("#labs-gauges", gauges), ("#labs-study", study)):
            for picture in self.query(widget_id).results(Static):  # absent while closing
                picture.update(Content(text))
                picture.display = bool(text)
        for body in self.query("#labs-body").results(Markdown):
            await body.update(markdown)


class StatusLine(Horizontal):
    """The top line: what this is, and whether answers can be given yet."""

    def compose(self) -> ComposeResult:
        yield Static("Anastrozole & male infertility · article assistant", id="app-title")
        yield Static("", id="app-state")

    def set_state(self, text: str, kind: str) -> None:
        state = self.query_one("#app-state", Static)
        state.update(text)
        state.set_classes(f"-{kind}")
