"""`assistant chat`: the Textual app. It paints at once, loads the index in a thread, answers
questions in order (queuing any typed while it loads), and keeps every answer one key from its
evidence. Only two things are ever written: an export the user asks for, and the small settings
file (theme, panel shown) when the user changes one of them (`assistant.settings`)."""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, Protocol

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Footer, Markdown, Static

from ..answer import NOTICE, Answer
from ..corpus import Corpus
from ..errors import AssistantError
from ..settings import Settings, load_settings, save_settings, wanted_theme
from .format import (
    CITE_SCHEME,
    HELP,
    PASSAGE_SCHEME,
    WELCOME,
    Turn,
    conversation_markdown,
    default_export_dir,
    export_path,
    quoted_spans,
    write_private,
)
from .labs_view import (
    UNAVAILABLE_TEXT,
    Analyser,
    labs_markdown,
    labs_pictures,
    labs_plain,
    load_analyser,
)
from .screens import (
    ArticleScreen,
    CopyScreen,
    EvidenceItem,
    EvidenceScreen,
    HelpScreen,
    SafeCommandPalette,
    copy_text,
)
from .widgets import AnswerTurn, ChatLog, CitationList, LabPanel, PromptInput, StatusLine, UserTurn

NARROW = 100  # below this many columns the panel starts hidden
LOADING = "Loading the article index…"
WAITING = "Queued: answered as soon as the article index has loaded."
THINKING = "Finding the answer in the article…"
# ctrl+t switches within a family; any other theme goes to Textual's own dark or light.
THEME_PAIRS = {
    "textual-dark": "textual-light",
    "textual-light": "textual-dark",
    "ansi-dark": "ansi-light",
    "ansi-light": "ansi-dark",
}


class Answerer(Protocol):
    def ask(self, question: str, history: Sequence[str] = ()) -> Answer: ...


AnswererFactory = Callable[[], Answerer]


class ChatScreen(Screen[None]):
    """The chat's one screen: log and question box on the left, "Your numbers" on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help"),
        Binding("ctrl+o", "app.evidence", "Sources"),
        Binding("ctrl+r", "app.article", "Article"),
        Binding("f2", "app.toggle_labs", "Numbers"),
        Binding("ctrl+l", "app.clear_labs", "Clear"),
        Binding("ctrl+n", "app.new_conversation", "New"),
        Binding("ctrl+s", "app.export", "Export"),
        Binding("f5", "app.reload", "Retry loading", show=False),
        Binding("pageup", "app.scroll_log(-1)", show=False),
        Binding("pagedown", "app.scroll_log(1)", show=False),
    ]
    AUTO_FOCUS = "#prompt"

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with ChatLog(id="log"):
                    yield Markdown(WELCOME, id="welcome", open_links=False)
                yield PromptInput(
                    placeholder="Ask about the article, or mention your lab values…  (Enter sends)",
                    id="prompt",
                )
                yield Static(NOTICE, id="notice")
            yield LabPanel(id="labs")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#log", ChatLog).anchor()
        app = self.app
        if isinstance(app, ChatApp):
            app.start()


class ChatApp(App[None]):
    """The chat application: loading, asking, evidence, numbers, export."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses elsewhere find it too
    TITLE = "Anastrozole article assistant"
    HELP = HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    state: reactive[str] = reactive("loading")
    show_labs: reactive[bool] = reactive(True)

    def __init__(
        self,
        answerer_factory: AnswererFactory | None = None,
        *,
        corpus_loader: Callable[[], Corpus] | None = None,
        labs_analyser: Analyser | None = None,
        export_dir: Path | None = None,
        settings_file: Path | None = None,
    ) -> None:
        super().__init__()
        self._settings_file = settings_file
        self.settings: Settings = load_settings(settings_file)
        self._settings_error = False
        self._startup_notes: list[str] = []
        self._apply_theme(wanted_theme(self.settings))
        self._factory = answerer_factory or self._load_real_assistant
        self._corpus_loader = corpus_loader
        self._analyser = labs_analyser
        self._export_dir = export_dir
        self.answerer: Answerer | None = None
        self.corpus: Corpus | None = None
        self.load_error: str | None = None
        self.turns: list[Turn] = []
        self.labs_from = 0  # turns before this index no longer count (cleared numbers)
        self.labs_report: Any = None
        self._queue: deque[tuple[Turn, AnswerTurn]] = deque()
        self._busy = False
        self._panel_forced = False
        self.last_export: Path | None = None
        self.chat = ChatScreen(id="chat")

    @property
    def is_idle(self) -> bool:
        """Loaded (or failed) with no question waiting or being answered."""
        return self.state != "loading" and not self._busy and not self._queue

    # -- layout ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return self.chat

    def start(self) -> None:
        """Called once the chat screen is up: paint first, then load in a thread."""
        if self.settings.panel_shown is not None:
            self._panel_forced = True
        self.on_resize()
        if self.settings.panel_shown is None:
            self.show_labs = self.size.width >= NARROW
        else:
            self.show_labs = self.settings.panel_shown
        self._render_labs()
        self.watch_state(self.state)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for note in self._startup_notes:
            self.notify(note, severity="warning", timeout=8)
        self.chat.call_after_refresh(self.load)

    # -- settings -------------------------------------------------------------------------

    def _apply_theme(self, name: str | None) -> None:
        if not name:
            return
        if name in self.available_themes:
            self.theme = name
        else:
            self._startup_notes.append(
                f"Unknown theme {name!r} (from ASSISTANT_THEME or the settings); using the "
                "default. ctrl+p, then Theme, lists the themes."
            )

    def _remember(self, **changes: Any) -> None:
        """Save a changed choice; a settings folder that cannot be written is said once."""
        new = replace(self.settings, **changes)
        if new == self.settings:
            return
        self.settings = new
        try:
            save_settings(new, self._settings_file)
        except OSError as exc:
            if not self._settings_error:
                self._settings_error = True
                self.notify(
                    f"Could not remember this choice ({exc.strerror or exc}); it lasts until "
                    "you quit.",
                    severity="warning",
                )

    def _theme_changed(self, theme: Theme) -> None:
        self._remember(theme=theme.name)

    def on_resize(self) -> None:
        for footer in self.screen.query(Footer):
            footer.compact = self.size.width < NARROW
        if not self._panel_forced:
            self.show_labs = self.size.width >= NARROW

    def watch_show_labs(self, show: bool) -> None:
        self.chat.set_class(not show, "-labs-hidden")

    def watch_state(self, state: str) -> None:
        if not self.chat.query(StatusLine):
            return
        texts = {
            "loading": (LOADING, "loading"),
            "ready": ("Ready: ask away", "ready"),
            "failed": ("Not ready: see the message below", "failed"),
        }
        text, kind = texts.get(state, (state, "loading"))
        if state == "ready" and self._busy:
            text = "Answering…"
        self.chat.query_one(StatusLine).set_state(text, kind)

    # -- loading --------------------------------------------------------------------------

    def _load_real_assistant(self) -> Answerer:
        from ..answer import Assistant

        return Assistant.load(notice=lambda text: self.call_from_thread(self.notify, text))

    @work(thread=True, exit_on_error=False, group="load", exclusive=True)
    def load(self) -> None:
        """Load the answerer and the article off the UI thread."""
        try:
            answerer = self._factory()
            corpus = getattr(answerer, "corpus", None)
            if not isinstance(corpus, Corpus):
                corpus = (self._corpus_loader or _load_corpus)()
            analyser = self._analyser or load_analyser()
        except AssistantError as exc:
            self.call_from_thread(self._load_failed, str(exc))
        except Exception as exc:  # an unexpected failure is shown, never a traceback
            self.call_from_thread(self._load_failed, f"{type(exc).__name__}: {exc}")
        else:
            self.call_from_thread(self._loaded, answerer, corpus, analyser)

    async def _loaded(self, answerer: Answerer, corpus: Corpus, analyser: Analyser | None) -> None:
        self.answerer, self.corpus, self._analyser = answerer, corpus, analyser
        self.load_error = None
        self.chat.query(".load-error").remove()
        self.state = "ready"
        self._render_labs()
        self._next()

    async def _load_failed(self, message: str) -> None:
        self.load_error = message
        self.state = "failed"
        text = (
            f"**The article index could not be loaded.** {message}\n\n"
            "Run `assistant index build` in a terminal, then press **F5** here to try again."
        )
        for log in self.chat.query("#log").results(ChatLog):
            await log.mount(Markdown(text, classes="load-error"))
        while self._queue:
            turn, widget = self._queue.popleft()
            turn.error = f"Not answered: {message}"
            await widget.show_error(turn.error)

    def action_reload(self) -> None:
        if self.state != "ready":
            self.state = "loading"
            self.load()

    # -- asking ---------------------------------------------------------------------------

    @on(PromptInput.Submitted, "#prompt")
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        question = event.value.strip()
        prompt = self.chat.query_one("#prompt", PromptInput)
        if not question:
            return
        prompt.remember(question)
        prompt.value = ""
        await self.ask(question)

    async def ask(self, question: str) -> None:
        """Add a turn for `question`; it is answered as soon as the index is ready."""
        history = tuple(t.question for t in self.turns[self.labs_from :])
        turn = Turn(question, history)
        self.turns.append(turn)
        waiting = {"loading": WAITING, "ready": THINKING}.get(self.state, "")
        widget = AnswerTurn(waiting)
        log = self.chat.query_one("#log", ChatLog)
        await log.mount_all([UserTurn(question), widget])
        log.scroll_end(animate=False)
        self._render_labs()
        if self.state == "failed":
            turn.error = f"Not answered: {self.load_error}"
            await widget.show_error(turn.error)
            return
        self._queue.append((turn, widget))
        self._next()

    def _next(self) -> None:
        if self._busy or self.state != "ready" or not self._queue:
            return
        turn, widget = self._queue.popleft()
        widget.set_waiting(THINKING)
        self._busy = True
        self.watch_state(self.state)
        self._answer(turn, widget)

    @work(thread=True, exit_on_error=False, group="answer")
    def _answer(self, turn: Turn, widget: AnswerTurn) -> None:
        assert self.answerer is not None
        try:
            answer = self.answerer.ask(turn.question, turn.history)
        except AssistantError as exc:
            self.call_from_thread(self._failed, turn, widget, str(exc))
        except Exception as exc:
            self.call_from_thread(
                self._failed, turn, widget, f"Something went wrong ({type(exc).__name__}: {exc})."
            )
        else:
            self.call_from_thread(self._answered, turn, widget, answer)

    async def _answered(self, turn: Turn, widget: AnswerTurn, answer: Answer) -> None:
        turn.answer = answer
        self._busy = False
        if turn in self.turns and widget.is_attached:
            await widget.show_answer(answer, self.corpus)
        self.watch_state(self.state)
        self._next()

    async def _failed(self, turn: Turn, widget: AnswerTurn, message: str) -> None:
        turn.error = message
        self._busy = False
        if turn in self.turns and widget.is_attached:
            await widget.show_error(message)
        self.watch_state(self.state)
        self._next()

    # -- evidence -------------------------------------------------------------------------

    def _latest_cited(self) -> AnswerTurn | None:
        for widget in reversed(list(self.chat.query(AnswerTurn).results(AnswerTurn))):
            if widget.answer is not None and widget.answer.citations:
                return widget
        return None

    def open_evidence(self, answer: Answer, n: int) -> None:
        if self.corpus is None:
            return
        items = [
            EvidenceItem(c.n, c.passage, c.source, tuple(quoted_spans(answer, c.passage)))
            for c in answer.citations
        ]
        index = next((i for i, item in enumerate(items) if item.n == n), 0)
        self.push_screen(EvidenceScreen(items, index, self.corpus, answer.question))

    def open_passage(self, passage_id: str) -> None:
        if self.corpus is None:
            return
        passage = next((p for p in self.corpus.passages if p.id == passage_id), None)
        if passage is not None:
            item = EvidenceItem(0, passage, self.corpus.source_name)
            self.push_screen(EvidenceScreen([item], 0, self.corpus))

    def action_evidence(self) -> None:
        widget = self._latest_cited()
        if widget is None or widget.answer is None:
            self.notify("No answer with sources yet.", severity="warning")
            return
        self.open_evidence(widget.answer, widget.answer.citations[0].n)

    def action_article(self) -> None:
        if self.corpus is None:
            self.notify("The article is still loading.", severity="warning")
            return
        self.push_screen(ArticleScreen(self.corpus))

    @on(CitationList.Open)
    def _open_citation(self, event: CitationList.Open) -> None:
        self.open_evidence(event.answer, event.n)

    @on(CitationList.Copy)
    def _copy_citation(self, event: CitationList.Copy) -> None:
        from .format import citation_clip

        citation = next((c for c in event.answer.citations if c.n == event.n), None)
        if citation is None:
            return
        spans = quoted_spans(event.answer, citation.passage)
        text = citation_clip(citation.passage, citation.source, self.corpus, spans)
        label = f"Citation [{event.n}]"
        if event.by_hand:
            self.push_screen(CopyScreen(text, label))
        else:
            copy_text(self, text, label)

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        href = event.href
        if href.startswith(CITE_SCHEME):
            turn = next(
                (n for n in event.markdown.ancestors_with_self if isinstance(n, AnswerTurn)), None
            )
            number = href[len(CITE_SCHEME) :]
            if turn is not None and turn.answer is not None and number.isdigit():
                self.open_evidence(turn.answer, int(number))
        elif href.startswith(PASSAGE_SCHEME):
            self.open_passage(href[len(PASSAGE_SCHEME) :])

    # -- your numbers ---------------------------------------------------------------------

    def _lab_texts(self) -> list[str]:
        return [t.question for t in self.turns[self.labs_from :]]

    def _render_labs(self) -> None:
        if not self.chat.query("#labs"):
            return
        panel = self.chat.query_one("#labs", LabPanel)
        texts = self._lab_texts()
        passages = self.corpus.passages if self.corpus is not None else ()
        if not texts:
            self.labs_report = None
            self.call_later(panel.show, labs_markdown(None, passages))
            return
        if self._analyser is None:
            self._analyser = load_analyser()
        if self._analyser is None:
            self.labs_report = None
            self.call_later(panel.show, UNAVAILABLE_TEXT)
            return
        try:
            self.labs_report = self._analyser(texts)
            markdown = labs_markdown(self.labs_report, passages)
            gauges, study = labs_pictures(self.labs_report)
        except Exception as exc:  # the panel must not take the chat down with it
            self.labs_report = None
            self.call_later(panel.show, f"Could not read the numbers ({type(exc).__name__}).")
            return
        self.call_later(panel.show, markdown, gauges, study)

    def action_toggle_labs(self) -> None:
        self._panel_forced = True
        self.show_labs = not self.show_labs
        self._remember(panel_shown=self.show_labs)

    def action_clear_labs(self) -> None:
        self.labs_from = len(self.turns)
        self._render_labs()
        self.notify("Your numbers were cleared; earlier questions no longer count.")

    # -- conversation ---------------------------------------------------------------------

    async def action_new_conversation(self) -> None:
        self.turns = []
        self.labs_from = 0
        self._queue.clear()
        log = self.chat.query_one("#log", ChatLog)
        await log.query("UserTurn, AnswerTurn").remove()
        self._render_labs()
        self.chat.query_one("#prompt", PromptInput).focus()
        self.notify("New conversation. Nothing from the last one was saved.")

    def action_export(self) -> None:
        if not self.turns:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        text = conversation_markdown(self.turns, self.corpus, labs_plain(self.labs_report))
        folder = self._export_dir or default_export_dir()
        try:
            path = write_private(export_path(folder), text)
        except OSError as exc:
            self.notify(f"Could not export to {folder}: {exc.strerror or exc}", severity="error")
            return
        self.last_export = path
        self.notify(f"Conversation exported to {path} (readable only by you).", timeout=10)

    def action_toggle_theme(self) -> None:
        other = THEME_PAIRS.get(self.theme)
        if other is None or other not in self.available_themes:
            other = "textual-light" if self.current_theme.dark else "textual-dark"
        self.theme = other

    def action_set_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name

    def action_command_palette(self) -> None:
        """Textual's palette, in a version that closes once however fast Enter is pressed."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def pop_screen(self) -> AwaitComplete:
        """Never pop the chat itself: a stray extra dismiss is ignored instead of ending the app
        (Textual raises ScreenStackError, which exits and loses the conversation)."""
        if len(self.screen_stack) <= 1:
            self.log.warning("pop_screen ignored: the chat is the only screen")
            return AwaitComplete.nothing()
        return super().pop_screen()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(HELP))

    def action_scroll_log(self, step: int) -> None:
        log = self.chat.query_one("#log", ChatLog)
        if step > 0:
            log.scroll_page_down()
        else:
            log.scroll_page_up()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "New conversation", "Clear the chat and your numbers", self.action_new_conversation
        )
        yield SystemCommand(
            "Export conversation",
            "Save the chat as Markdown with its citations (owner-only file)",
            self.action_export,
        )
        yield SystemCommand(
            "Open the article", "Read and search the whole article", self.action_article
        )
        yield SystemCommand(
            "Open sources of the latest answer", "See the cited passages", self.action_evidence
        )
        yield SystemCommand(
            "Toggle Your numbers", "Show or hide the panel", self.action_toggle_labs
        )
        yield SystemCommand(
            "Clear your numbers", "Forget the lab values typed", self.action_clear_labs
        )
        yield SystemCommand("Light or dark theme", "Switch the theme", self.action_toggle_theme)
        for name, text in (("ansi-dark", "dark"), ("ansi-light", "light")):
            if name in self.available_themes:
                yield SystemCommand(
                    f"Terminal colours ({name})",
                    f"Use your terminal's own {text} palette (ANSI colours); remembered",
                    lambda name=name: self.action_set_theme(name),
                )
        yield SystemCommand("Help", "Keys and what the assistant does", self.action_help)
        if self.state == "failed":
            yield SystemCommand(
                "Retry loading the index", "After `assistant index build`", self.action_reload
            )
        # Textual's "Screenshot" saves the conversation as an SVG that anyone may read: left out
        # (Export writes an owner-only file instead).
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command


def _load_corpus() -> Corpus:
    from ..corpus import load_corpus

    return load_corpus()


def make_app(
    answerer_factory: AnswererFactory | None = None,
    *,
    corpus_loader: Callable[[], Corpus] | None = None,
    labs_analyser: Analyser | None = None,
    export_dir: Path | None = None,
    settings_file: Path | None = None,
) -> ChatApp:
    """Build the chat; tests pass a fake `answerer_factory` (called in the loader thread) and a
    `settings_file` of their own (default: `settings.config_path()`)."""
    return ChatApp(
        answerer_factory,
        corpus_loader=corpus_loader,
        labs_analyser=labs_analyser,
        export_dir=export_dir,
        settings_file=settings_file,
    )


def wait_for_background_threads(timeout: float = 5.0) -> None:
    """Let threads still loading the index finish before the interpreter exits.

    Quitting while the loader runs would otherwise tear down native code (ONNX Runtime's session
    thread) mid-call, and the process aborts with "terminate called without an active exception".
    """
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.is_alive():
            thread.join(max(0.0, deadline - time.monotonic()))


def run_chat() -> int:
    """Entry point of `assistant chat`: 0 when the user quit, 1 when the chat failed.

    Should the app ever stop on an internal error, the conversation is not lost: it is printed
    as Markdown on stdout (nothing is written to disk), then one line on stderr says so.
    """
    app = make_app()
    app.run()
    wait_for_background_threads()
    code = app.return_code or 0
    if code:
        where = ""
        if app.turns:
            text = conversation_markdown(app.turns, app.corpus, labs_plain(app.labs_report))
            print(text, file=sys.stdout, flush=True)
            where = "; the conversation is printed above"
        print(f"error: the chat stopped on an internal error{where}", file=sys.stderr)
    return code
