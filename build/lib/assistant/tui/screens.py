"""Screens over the chat: a cited passage in context, the whole article with find, help, the
text of a citation to copy by hand, and a command palette that closes only once.

Every screen here is dismissed at most once: keys typed faster than a screen closes (Enter twice
in the command palette, Esc twice on a passage) must not pop a second screen, and never the chat
itself (Textual raises ScreenStackError then, and the app exits with the conversation lost).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Footer,
    Input,
    LoadingIndicator,
    Markdown,
    OptionList,
    Static,
)

from ..corpus import Corpus
from ..passages import Passage
from ..render import reference_line
from .format import citation_clip, short_section

QUOTE_STYLE = "bold underline"
PASSAGE_STYLE = "on $accent 20%"
MATCH_STYLE = "reverse bold"
OTHER_MATCH_STYLE = "underline"


class DismissOnce:
    """Mixin for a Screen: `dismiss` does nothing unless this screen is the one on top.

    Textual's `Screen.dismiss` pops whatever screen is on top, so a second dismiss (a key queued
    while the first was being handled) would close the screen below, or fail on the last one.
    """

    def dismiss(self, result: Any = None) -> AwaitComplete:
        app = self.app  # type: ignore[attr-defined]
        if app.screen is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)  # type: ignore[misc]


class SafeCommandPalette(DismissOnce, CommandPalette):
    """Textual's command palette, closed at most once and running at most one command.

    With Enter pressed twice quickly the stock palette handles both before it has gone: the second
    runs the command again and dismisses again, popping the chat screen (ScreenStackError). And a
    search still running when it closes, or a page key before its list is laid out, raise inside
    Textual (NoMatches, KeyError); both are contained here. (Found by tests/test_tui.py's
    random-key test; Textual 8.2.8.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._palette_done = False

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _once(self, event: Message) -> None:
        # Runs before CommandPalette's own handlers (subclass first); stopping the default
        # action skips them once the palette is on its way out.
        if self._palette_done or self.app.screen is not self:
            event.stop()
            event.prevent_default()

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._palette_done:
            return AwaitComplete.nothing()
        self._palette_done = True
        # A search still running would otherwise fill a list that is being torn down (NoMatches
        # in Textual's worker, which ends the app): stop it, and the no-matches timer, first.
        self._cancel_gather_commands()
        self._stop_no_matches_countdown()
        return super().dismiss(result)

    def _refresh_command_list(self, command_list: Any, commands: Any, clear_current: bool) -> None:
        if self._palette_done or not command_list.is_attached:
            return
        super()._refresh_command_list(command_list, commands, clear_current)

    def _watch__list_visible(self) -> None:
        if self.query(CommandList) and self.query("#--input"):
            super()._watch__list_visible()

    async def _watch__show_busy(self) -> None:
        if self.query(CommandList) and self.query(LoadingIndicator):
            await super()._watch__show_busy()

    def _action_command_list(self, action: str) -> None:
        # Page Up/Down before the list has been laid out raise KeyError inside Textual 8.2.8's
        # OptionList._move_page (its line map is still empty), which would end the app.
        with contextlib.suppress(KeyError):
            super()._action_command_list(action)


@dataclass(frozen=True)
class EvidenceItem:
    """One passage to show: its citation number (0 for none), where it came from and the
    source spans of it that the answer quotes."""

    n: int
    passage: Passage
    source: str
    spans: tuple[tuple[int, int], ...] = ()


def neighbours(corpus: Corpus, passage: Passage, span: int = 1) -> list[Passage]:
    """The passage with up to `span` passages of the same top section either side."""
    ids = [p.id for p in corpus.passages]
    if passage.id not in ids:
        return [passage]
    i = ids.index(passage.id)
    around = corpus.passages[max(0, i - span) : i + span + 1]
    return [p for p in around if p.section[:1] == passage.section[:1]]


def styled(text: str, offset: int, spans: Sequence[tuple[int, int, str]]) -> Content:
    """`text` (which starts at source `offset`) with each (start, end, style) source span styled."""
    content = Content(text)
    for start, end, style in spans:
        a, b = max(0, start - offset), min(len(text), end - offset)
        if a < b:
            content = content.stylize(style, a, b)
    return content


class EvidenceScreen(DismissOnce, Screen[None]):
    """A cited passage among its neighbours, with section, offsets and the study it discusses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Back"),
        Binding("c", "copy", "Copy citation"),
        Binding("v", "show_text", "Citation text", show=False),
        Binding("a", "article", "In the article"),
        Binding("left,p", "step(-1)", "Previous source"),
        Binding("right,n", "step(1)", "Next source"),
        *[Binding(str(n), f"goto({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, items: Sequence[EvidenceItem], index: int, corpus: Corpus, title: str = ""):
        super().__init__()
        self.items = list(items)
        self.index = index
        self.corpus = corpus
        self.question = title

    @property
    def item(self) -> EvidenceItem:
        return self.items[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="ev-title")
        yield Static(id="ev-meta")
        yield VerticalScroll(id="ev-body")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show_item()

    async def show_item(self) -> None:
        item, corpus = self.item, self.corpus
        p = item.passage
        count = f" of {len(self.items)}" if len(self.items) > 1 else ""
        head = f"Evidence [{item.n}]{count}" if item.n else "Evidence"
        if self.question:
            head += f" — for “{self.question}”"
        self.query_one("#ev-title", Static).update(Content(head))
        meta = [
            f"Section   {short_section(p)}",
            f"Location  {item.source}, chars {p.start}–{p.end} · passage {p.id} ({p.kind})",
        ]
        if p.kind == "table_row" and p.context:
            meta.append(f"Meaning   {p.context}")
        self.query_one("#ev-meta", Static).update(Content("\n".join(meta)))
        body = self.query_one("#ev-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Static] = []
        for other in neighbours(corpus, p):
            if other.id == p.id:
                spans = [(s, e, QUOTE_STYLE) for s, e in item.spans]
                block = Static(styled(p.text, p.start, spans), classes="ev-passage -cited")
                block.border_title = "Cited passage" + (
                    " · quoted part underlined" if spans else ""
                )
            else:
                block = Static(Content(other.text), classes="ev-passage -neighbour")
                block.border_title = (
                    f"{'Before' if other.start < p.start else 'After'} · {other.id}"
                )
            widgets.append(block)
        for ref_id in p.refs:
            ref = corpus.reference(ref_id)
            if ref is None:
                continue
            text = reference_line(ref)
            if ref.verification_note:
                text += f"\n\nEditor's note (not from the article): {ref.verification_note}"
            block = Static(Content(text), classes="ev-reference")
            block.border_title = f"Reference · {ref.id}"
            widgets.append(block)
        await body.mount_all(widgets)
        cited = body.query(".-cited")
        if cited:
            self.call_after_refresh(body.scroll_to_widget, cited.first(), animate=False, top=False)

    def _clip(self) -> tuple[str, str]:
        item = self.item
        label = f"Citation [{item.n}]" if item.n else "Citation"
        return citation_clip(item.passage, item.source, self.corpus, item.spans), label

    def action_copy(self) -> None:
        text, label = self._clip()
        copy_text(self.app, text, label)

    def action_show_text(self) -> None:
        text, label = self._clip()
        self.app.push_screen(CopyScreen(text, label))

    def action_article(self) -> None:
        self.app.push_screen(ArticleScreen(self.corpus, self.item.passage, self.item.spans))

    async def action_step(self, step: int) -> None:
        if len(self.items) > 1:
            self.index = (self.index + step) % len(self.items)
            await self.show_item()

    async def action_goto(self, n: int) -> None:
        for i, item in enumerate(self.items):
            if item.n == n:
                self.index = i
                await self.show_item()


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    kind: str  # "text", "heading", "caption", "chrome"


def article_blocks(corpus: Corpus) -> list[Block]:
    """The article split at blank lines, each block tagged heading, caption or text."""
    heads = {(d.start, d.end) for d in corpus.parsed.headings}
    dropped = {(d.start, d.end): d.reason for d in corpus.parsed.dropped}
    blocks: list[Block] = []
    start = end = None
    offset = 0
    for line in [*corpus.source.split("\n"), ""]:
        if line.strip():
            start = offset + len(line) - len(line.lstrip()) if start is None else start
            end = offset + len(line.rstrip())
        elif start is not None and end is not None:
            kind = "heading" if (start, end) in heads else "text"
            if (start, end) in dropped:
                kind = "caption" if dropped[start, end] == "image caption" else "chrome"
            blocks.append(Block(start, end, kind))
            start = end = None
        offset += len(line) + 1
    return blocks


class FindInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.find(1)", "Next match", show=False),
        Binding("up", "screen.find(-1)", "Previous match", show=False),
    ]


class ArticleScreen(DismissOnce, Screen[None]):
    """The whole article, scrollable, with a find box and the cited passage highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Back"),
        Binding("ctrl+f", "focus_find", "Find"),
        Binding("f3", "find(1)", "Next match"),
        Binding("shift+f3", "find(-1)", "Previous match", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    def __init__(
        self,
        corpus: Corpus,
        passage: Passage | None = None,
        spans: Sequence[tuple[int, int]] = (),
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.passage = passage
        self.spans = tuple(spans)
        self.blocks = article_blocks(corpus)
        self.heads = set(corpus.parsed.headings)
        self.marked = [*corpus.parsed.headings, *corpus.parsed.dropped]
        self.matches: list[tuple[int, int]] = []
        self.current = -1

    def compose(self) -> ComposeResult:
        with Horizontal(id="find-bar"):
            yield FindInput(
                placeholder="Find in the article (Enter or ↓ next, ↑ previous)", id="find"
            )
            yield Static("", id="find-status")
        with VerticalScroll(id="article"):
            for i, block in enumerate(self.blocks):
                yield Static(
                    self._block_content(block), id=f"b{i}", classes=self._block_classes(block)
                )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.corpus.source_name
        self.query_one("#find-status", Static).update(
            f"{self.corpus.source_name} · {len(self.corpus.source):,} chars"
        )
        if self.passage is not None:
            self.call_after_refresh(self._scroll_to_offset, self.passage.start)

    def _block_classes(self, block: Block) -> str:
        classes = [f"-{block.kind}"]
        p = self.passage
        if p is not None and block.start < p.end and p.start < block.end:
            classes.append("-cited")
        return " ".join(classes)

    def _block_content(self, block: Block) -> Content:
        text = self.corpus.source[block.start : block.end]
        spans: list[tuple[int, int, str]] = [
            (d.start, d.end, "bold $accent" if d in self.heads else "dim italic")
            for d in self.marked
        ]
        if self.passage is not None:
            spans.append((self.passage.start, self.passage.end, PASSAGE_STYLE))
            spans += [(s, e, QUOTE_STYLE) for s, e in self.spans]
        for i, (s, e) in enumerate(self.matches):
            if s < block.end and block.start < e:
                spans.append((s, e, MATCH_STYLE if i == self.current else OTHER_MATCH_STYLE))
        return styled(text, block.start, spans)

    def _block_at(self, offset: int) -> int:
        for i, block in enumerate(self.blocks):
            if offset < block.end:
                return i
        return len(self.blocks) - 1

    def _scroll_to_offset(self, offset: int) -> None:
        widget = self.query_one(f"#b{self._block_at(offset)}", Static)
        self.query_one("#article", VerticalScroll).scroll_to_center(widget, animate=False)

    def _refresh_blocks(self, indices: set[int]) -> None:
        for i in indices:
            self.query_one(f"#b{i}", Static).update(self._block_content(self.blocks[i]))

    def _blocks_of(self, matches: Sequence[tuple[int, int]]) -> set[int]:
        return {self._block_at(s) for s, _ in matches}

    @on(Input.Changed, "#find")
    def _search(self, event: Input.Changed) -> None:
        before = self._blocks_of(self.matches)
        needle = event.value.strip()
        self.matches = []
        if len(needle) >= 2:
            pattern = re.compile(re.escape(needle), re.IGNORECASE)
            self.matches = [(m.start(), m.end()) for m in pattern.finditer(self.corpus.source)]
        self.current = 0 if self.matches else -1
        self._refresh_blocks(before | self._blocks_of(self.matches))
        self._show_match()

    @on(Input.Submitted, "#find")
    def _next(self) -> None:
        self.action_find(1)

    def _show_match(self) -> None:
        status = self.query_one("#find-status", Static)
        if not self.matches:
            needle = self.query_one("#find", Input).value.strip()
            status.update("no matches" if len(needle) >= 2 else "")
            return
        status.update(f"match {self.current + 1} of {len(self.matches)}")
        self._scroll_to_offset(self.matches[self.current][0])

    def action_find(self, step: int) -> None:
        if not self.matches:
            return
        old = self.matches[self.current]
        self.current = (self.current + step) % len(self.matches)
        self._refresh_blocks(self._blocks_of([old, self.matches[self.current]]))
        self._show_match()

    def action_focus_find(self) -> None:
        self.query_one("#find", Input).focus()

    def action_page(self, step: int) -> None:
        scroll = self.query_one("#article", VerticalScroll)
        if step > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)


class HelpScreen(DismissOnce, ModalScreen[None]):
    """The F1 help: what the assistant does, its keys, and what it keeps."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(self.text, id="help-text")
        yield Footer()


class CopyScreen(DismissOnce, ModalScreen[None]):
    """Text to copy by hand, for terminals that ignore copy requests from programs (OSC 52)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q,v", "dismiss", "Close")]

    def __init__(self, text: str, label: str = "Citation", reason: str = "") -> None:
        super().__init__()
        self.text = text
        self.label = label
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-box"):
            yield Static(Content(f"{self.label}: copy it by hand"), id="copy-title")
            yield Static(Content(self.reason or HAND_COPY_HINT), id="copy-reason")
            with VerticalScroll(id="copy-scroll"):
                yield Static(Content(self.text), id="copy-text")
        yield Footer()


HAND_COPY_HINT = (
    "Select the text below with the mouse while holding Shift (Option on macOS, or your "
    "terminal's copy mode), then copy it with your terminal's usual keys."
)


def copy_text(app: Any, text: str, label: str) -> None:
    """Send `text` to the clipboard (OSC 52) and say honestly whether that can have worked: where
    the terminal is known to ignore it, or may, the text is shown to copy by hand."""
    import os

    from .format import CLIP_OK, clipboard_support

    app.copy_to_clipboard(text)
    verdict, reason = clipboard_support(os.environ, headless=bool(app.is_headless))
    if verdict == CLIP_OK:
        app.notify(f"{label} copied to the clipboard (v shows the text).")
        return
    app.notify(f"{label}: {reason}", severity="warning", timeout=8)
    app.push_screen(CopyScreen(text, label, f"{reason} {HAND_COPY_HINT}"))
