"""A line-based chat for pipes, screen readers, `TERM=dumb` and `assistant chat --plain`.

One question per line in; the cited answer, its numbered sources (section and location) and the
not-medical-advice line out, as plain text with no escape codes at all. Earlier questions are
kept as context for follow-ups, as in the Textual chat. Lines starting with "/" are commands:

    /numbers   what your lab values give (ratios, gauges in words, the article's groups)
    /new       forget the questions so far (and their numbers)
    /help      this list
    /quit      leave (so does the end of input)

A bad line (empty, too long, unknown command) prints one line and the chat goes on. The end of
input exits 0. No textual import: this is what `assistant chat` runs when there is no terminal.

`run_plain_chat` takes the assistant object (anything with `ask(question, history) -> Answer`
and a `corpus`), already loaded, so that a missing index is the CLI's usual one-line error and
exit code, before any question is read.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TextIO

MAX_LINE_CHARS = 20_000  # as answer.MAX_QUESTION_CHARS; longer lines are refused, not read whole
PROMPT = "> "
WIDTH = 88

HELP = """\
Commands (everything else is a question about the article):
  /numbers  what your lab values give: ratios, where they stand, the article's groups
  /new      start over: earlier questions no longer count, nor do their numbers
  /help     this list
  /quit     leave (end of input does too)"""

BANNER = (
    "Anastrozole & male infertility: article assistant (plain mode). One question per line; "
    "answers quote the article with numbered sources. /help lists the commands."
)

# C0 and C1 controls (but tab and newline), DEL, and the bidi embedding/override/isolate marks:
# none of them may reach the output, whatever the input or the corpus holds.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Answerer(Protocol):
    corpus: Any

    def ask(self, question: str, history: Sequence[str] = ()) -> Any: ...


Analyser = Callable[[Sequence[str]], Any]


def plain_wanted(stdin_tty: bool, stdout_tty: bool, term: str | None, flag: bool) -> bool:
    """True for the line-based chat: asked for (--plain), stdin or stdout not a terminal, or
    TERM=dumb."""
    return flag or not stdin_tty or not stdout_tty or (term or "").strip().lower() == "dumb"


def clean(text: str) -> str:
    """`text` without control characters or bidi overrides (tabs and newlines kept)."""
    return _UNSAFE.sub("", text)


def _read_line(stdin: TextIO) -> tuple[str | None, bool]:
    """(the next line without its newline, or None at the end; whether it was too long).

    At most MAX_LINE_CHARS are kept: the rest of an over-long line is read and dropped in
    bounded pieces, so a huge line (or /dev/zero) never fills memory.
    """
    line = stdin.readline(MAX_LINE_CHARS + 1)
    if not line:
        return None, False
    if line.endswith("\n") or len(line) <= MAX_LINE_CHARS:
        return line.rstrip("\r\n"), False
    while True:
        rest = stdin.readline(MAX_LINE_CHARS)
        if not rest or rest.endswith("\n"):
            return line, True


def _load_analyser() -> Analyser | None:
    try:
        from .labs import analyse_turns
    except ImportError:
        return None
    return analyse_turns


def numbers_text(report: Any) -> str:
    """The /numbers reply: each gauge in words, then the labs report as plain text."""
    if report is None or getattr(report, "is_empty", True):
        return (
            "No lab values yet. Mention them in a question, e.g. "
            "'my T is 300 ng/dL and E2 40 pg/mL', then type /numbers."
        )
    from .gauges import gauges_words

    out = []
    words = gauges_words(report)
    if words:
        out += ["Where your figures stand against the article's cut-offs:"]
        out += [f"  {w}" for w in words]
        out.append("")
    try:
        from .labs import render_text

        out.append(render_text(report))
    except Exception:  # the summary must not end the chat
        out.append("(the detailed report could not be produced)")
    return "\n".join(out).rstrip()


def run_plain_chat(
    assistant: Answerer,
    stdin: TextIO,
    stdout: TextIO,
    *,
    analyse_turns: Analyser | None = None,
    interactive: bool = False,
    width: int = WIDTH,
) -> int:
    """Hold a line-based conversation until the end of input or /quit; returns 0 (130 after
    ctrl+c).

    `interactive` (stdin is a terminal) adds a short banner and a "> " prompt; piped input gets
    only the answers, each after a "You: question" line so the transcript reads on its own.
    `analyse_turns` defaults to `assistant.labs.analyse_turns`.
    """
    from .errors import AssistantError, UsageError
    from .render import answer_text

    def say(text: str = "") -> None:
        stdout.write(clean(text) + "\n")
        stdout.flush()

    questions: list[str] = []
    if interactive:
        say(BANNER)
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        try:
            line, too_long = _read_line(stdin)
        except UnicodeDecodeError:
            say("error: that line is not UTF-8 text; it was skipped.")
            continue
        except KeyboardInterrupt:  # ctrl+c at the prompt: leave quietly, as shells expect
            say()
            return 130
        if line is None:
            return 0
        if too_long:
            say(
                f"error: that line is over {MAX_LINE_CHARS:,} characters; ask a shorter "
                "question (paste only the relevant lab values)."
            )
            continue
        text = line.strip()
        if not text:
            say("(empty line: type a question about the article, or /help)")
            continue
        if text.startswith("/"):
            command = text.split()[0].lower()
            if command in ("/quit", "/exit", "/q"):
                return 0
            if command in ("/help", "/?"):
                say(HELP)
            elif command == "/new":
                questions.clear()
                say("New conversation: earlier questions and their numbers no longer count.")
            elif command in ("/numbers", "/labs"):
                analyse = analyse_turns or _load_analyser()
                if analyse is None:
                    say("Lab-value analysis is not available in this installation.")
                    continue
                try:
                    report = analyse(list(questions)) if questions else None
                except Exception as exc:
                    say(f"error: could not read the numbers ({type(exc).__name__}).")
                    continue
                say(numbers_text(report))
            else:
                say(f"unknown command {command}; /help lists the commands.")
            say()
            continue
        if not interactive:
            say(f"You: {text}")
            say()
        try:
            answer = assistant.ask(text, tuple(questions))
        except UsageError as exc:
            say(f"error: {exc}")
            continue
        except AssistantError as exc:
            say(f"error: {exc}")
            continue
        except Exception as exc:  # one bad question must not end the conversation
            say(f"error: something went wrong ({type(exc).__name__}: {exc}).")
            continue
        questions.append(text)
        say(answer_text(answer, assistant.corpus, width))
        say()


def plain_streams() -> tuple[TextIO, TextIO]:
    """stdin and stdout as UTF-8 text that never fails on bad bytes (replaced instead)."""
    stdin: TextIO = sys.stdin
    stdout: TextIO = sys.stdout
    if hasattr(sys.stdin, "buffer"):
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    if hasattr(sys.stdout, "buffer"):
        stdout = io.TextIOWrapper(
            sys.stdout.buffer, encoding="utf-8", errors="replace", line_buffering=True
        )
    return stdin, stdout


def run_plain_cli(load: Callable[[], Answerer]) -> int:
    """What `assistant chat --plain` runs: `load()` the assistant (its errors propagate to the
    CLI's one-line handler), then chat over stdin/stdout."""
    assistant = load()
    stdin, stdout = plain_streams()
    try:
        return run_plain_chat(assistant, stdin, stdout, interactive=sys.stdin.isatty())
    finally:
        stdout.flush()


def main() -> int:
    """`python -m assistant.plain_chat`: the plain chat over the built index."""
    from .errors import AssistantError

    def load() -> Answerer:
        from .answer import Assistant

        return Assistant.load()

    try:
        return run_plain_cli(load)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
