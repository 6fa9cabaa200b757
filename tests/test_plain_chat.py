"""The line-based chat: one question per line in, cited answers out, no escape codes, commands,
bad lines reported and skipped, exit 0 at the end of input; in-process and through pipes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.answer import MAX_QUESTION_CHARS, NOTICE, Answer, Citation
from assistant.corpus import load_corpus
from assistant.errors import UsageError
from assistant.plain_chat import (
    BANNER,
    MAX_LINE_CHARS,
    PROMPT,
    clean,
    plain_wanted,
    run_plain_chat,
)

ROOT = Path(__file__).resolve().parent.parent
ESCAPES = ("\x1b", "\x9b", "\x07", "\u202e", "\u2066")


class Stub:
    """Answers every question with one real passage and records the history it was given."""

    def __init__(self, fail_on: str = "") -> None:
        self.corpus = load_corpus()
        self.calls: list[tuple[str, tuple[str, ...]]] = []
        self.fail_on = fail_on
        self.passage = next(p for p in self.corpus.passages if "normal baseline" in p.text)

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        self.calls.append((question, tuple(history)))
        if self.fail_on and self.fail_on in question:
            raise RuntimeError("boom")
        if "quota" in question:
            raise UsageError("the question is not allowed")
        cite = Citation(1, self.passage, 0.9, self.corpus.source_name)
        text = self.passage.text.split(". ")[0] + ". [1]"
        return Answer(question, text, False, (cite,), (cite,))


def chat(lines: str, assistant=None, **kwargs) -> tuple[int, str, object]:
    assistant = assistant or Stub()
    out = io.StringIO()
    code = run_plain_chat(assistant, io.StringIO(lines), out, **kwargs)
    return code, out.getvalue(), assistant


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty", "term", "flag", "plain"),
    [
        (True, True, "xterm-256color", False, False),
        (True, True, None, False, False),
        (True, True, "xterm", True, True),
        (False, True, "xterm", False, True),
        (True, False, "xterm", False, True),
        (True, True, "dumb", False, True),
        (True, True, " DUMB ", False, True),
    ],
)
def test_plain_wanted(stdin_tty, stdout_tty, term, flag, plain) -> None:
    assert plain_wanted(stdin_tty, stdout_tty, term, flag) is plain


def test_questions_get_cited_answers_and_follow_ups_keep_history() -> None:
    code, out, stub = chat("Does it help with normal estrogen?\nWhat dose did they use?\n")
    assert code == 0
    assert stub.calls == [
        ("Does it help with normal estrogen?", ()),
        ("What dose did they use?", ("Does it help with normal estrogen?",)),
    ]
    assert out.startswith("You: Does it help with normal estrogen?\n\n")
    assert out.count("Sources\n[1] ") == 2 and "chars" in out
    assert out.count(NOTICE) == 2
    assert BANNER not in out and not out.startswith(PROMPT), "piped input gets answers only"


def test_commands_new_help_numbers_and_quit() -> None:
    lines = [
        "/numbers",
        "my T is 300 ng/dL and E2 40 pg/mL",
        "/numbers",
        "/help",
        "/new",
        "What dose did they use?",
        "/frobnicate",
        "/quit",
        "never read",
    ]
    code, out, stub = chat("\n".join(lines) + "\n")
    assert code == 0
    assert "No lab values yet" in out
    assert "T/E2 7.5: below cut-off 10." in out
    assert "T/E2 = 300 ng/dL ÷ 40 pg/mL = 7.5" in out  # the labs report's arithmetic
    assert "/numbers" in out and "/new" in out  # the help text
    assert ("What dose did they use?", ()) in stub.calls, "/new forgets the history"
    assert "unknown command /frobnicate" in out
    assert all(q != "never read" for q, _ in stub.calls)


def test_bad_lines_print_one_line_and_go_on() -> None:
    long_line = "x" * (MAX_LINE_CHARS + 5)
    lines = ["", "   ", long_line, "please explode", "quota question", "Is it safe?"]
    code, out, stub = chat("\n".join(lines) + "\n", Stub(fail_on="explode"))
    assert code == 0
    assert out.count("(empty line: type a question about the article, or /help)") == 2
    assert f"over {MAX_LINE_CHARS:,} characters" in out
    assert "error: something went wrong (RuntimeError: boom)." in out
    assert "error: the question is not allowed" in out
    assert "You: Is it safe?" in out and out.rstrip().endswith(NOTICE)
    assert [q for q, _ in stub.calls] == ["please explode", "quota question", "Is it safe?"]
    assert stub.calls[-1][1] == (), "failed questions are not history"
    assert long_line not in out


def test_an_endless_line_is_read_in_bounded_pieces() -> None:
    code, out, stub = chat("y" * (MAX_LINE_CHARS * 3))  # no newline at all
    assert code == 0 and stub.calls == [] and "characters" in out


def test_no_escape_codes_ever() -> None:
    nasty = "what \x1b[31mdose\x1b[0m \u202eevil\u202c \x07 \x9b2J?\n/numbers\n"
    code, out, _ = chat(nasty)
    assert code == 0
    assert not any(c in out for c in ESCAPES), repr(out)
    assert clean("a\tb\nc\x1bd\x85e") == "a\tb\ncde"


def test_interactive_shows_banner_and_prompt() -> None:
    code, out, _ = chat("Is it safe?\n", interactive=True)
    assert code == 0 and out.startswith(BANNER + "\n" + PROMPT)
    assert "You:" not in out


def test_limits_match_the_assistant() -> None:
    assert MAX_LINE_CHARS == MAX_QUESTION_CHARS


def test_with_the_real_pipeline(fake_assistant) -> None:
    code, out, _ = chat(
        "Who is a candidate for anastrozole?\nWhat about the dose?\n/numbers\n", fake_assistant
    )
    assert code == 0 and out.count(NOTICE) == 2
    assert "You: What about the dose?" in out


# -- through pipes ------------------------------------------------------------------------------


def run(args: list[str], stdin: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_HOME": str(home), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_chat_help_offers_plain() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0 and "--plain" in out.stdout and "/numbers" in out.stdout


def check_transcript(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert not any(c in out for c in ESCAPES), repr(out[:500])
    assert "You: Who is a candidate for anastrozole?" in out
    assert "You: What dose did they use?" in out
    assert "Sources\n[1] " in out and out.count(NOTICE) == 3
    assert "T/E2 7.5: below cut-off 10." in out, "/numbers answers"


PIPED = "Who is a candidate for anastrozole?\nWhat dose did they use?\nT 300 ng/dL, E2 40 pg/mL\n"


def test_module_entry_point_through_pipes(fake_home: Path) -> None:
    check_transcript(run(["-m", "assistant.plain_chat"], PIPED + "/numbers\n", fake_home))


def test_cli_chat_plain_through_pipes(fake_home: Path) -> None:
    check_transcript(run(["-m", "assistant", "chat", "--plain"], PIPED + "/numbers\n", fake_home))


def test_cli_chat_goes_plain_when_stdin_is_a_pipe(fake_home: Path) -> None:
    check_transcript(run(["-m", "assistant", "chat"], PIPED + "/numbers\n", fake_home))


def test_missing_index_is_one_line(tmp_path: Path) -> None:
    result = run(["-m", "assistant.plain_chat"], "hello\n", tmp_path)
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert result.stdout == ""
