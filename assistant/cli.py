"""The `assistant` command line: ask, chat, labs, show, eval and index maintenance.

Only typer and the standard library are imported at module level, so `--help` stays instant;
the core (numpy, FAISS, ONNX Runtime) loads inside the commands that need it.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from .errors import AssistantError, UsageError

HELP = """Offline, cited answers from one article on anastrozole for male infertility.

\b
Examples:
  assistant chat                        the chat (plain lines when piped)
  assistant ask "am I a candidate if my estradiol is normal?"
  assistant ask --format json "Typical baseline vs post-tx total T?"
  echo "what is oligospermia?" | assistant ask -
  assistant ask --batch questions.jsonl (--batch - reads stdin)
  assistant labs "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"
  assistant labs --summary visit.md "T 9.4 nmol/L, E2 118 pmol/L"
  assistant show academic-p4            a passage in context

Not medical advice: it summarises one article; decide about your care with your clinician.
"""
CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    no_args_is_help=True,
    add_completion=True,
    context_settings=CONTEXT,
    help=HELP,
    rich_markup_mode=None,
)
index_app = typer.Typer(
    no_args_is_help=True, context_settings=CONTEXT, help="Build or check the search index."
)
app.add_typer(index_app, name="index")
config_app = typer.Typer(
    no_args_is_help=True, context_settings=CONTEXT, help="Where the chat keeps its settings."
)
app.add_typer(config_app, name="config")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("anastrozole-assistant")
        except PackageNotFoundError:  # run from a checkout without installing
            number = "unknown"
        typer.echo(f"anastrozole-assistant {number}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Offline, cited answers from one article on anastrozole for male infertility."""


DEFAULT_QUESTIONS = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "questions_public.jsonl"
)
P = ParamSpec("P")
R = TypeVar("R")
EXIT_BATCH_PARTIAL = 8
EXIT_INTERRUPTED = 130


def _fail(error: AssistantError) -> NoReturn:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(error.exit_code)


def _plain_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Every command: an AssistantError is one line on stderr and its exit code; Ctrl-C is 130."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AssistantError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return run


def _notice(message: str) -> None:
    typer.echo(f"note: {message}", err=True)


def _load_assistant() -> Any:
    from .errors import IndexMissingError
    from .index import load_index, query_embedder

    try:
        index = load_index()
    except IndexMissingError:
        if not _first_run_builds():
            raise
        from .index import build_index

        typer.echo("note: no index yet; building it once (under a minute here)", err=True)
        what, folder = build_index(progress=_progress_printer())
        typer.echo(f"index {what}: {folder}", err=True)
        index = load_index()
    embedder = query_embedder(index, _notice)  # starts loading the encoder in the background
    # imported only now: its modules' start-up work (~0.1 s) overlaps with the encoder loading
    from .answer import Assistant

    return Assistant.over(index, embedder)


def _first_run_builds() -> bool:
    """An installed copy (not a checkout, no $ASSISTANT_HOME) with the builder installed builds
    its index on first use; a checkout keeps the explicit `assistant index build` step."""
    import os

    from .paths import HOME_ENV, PROJECT_ROOT

    if os.environ.get(HOME_ENV) or (PROJECT_ROOT / "pyproject.toml").is_file():
        return False
    from .embed import builder_installed

    return builder_installed()


MAX_STDIN_BYTES = 4 * 1024 * 1024


def _read_stdin() -> str:
    from .evaluate import read_stdin_bytes

    data = read_stdin_bytes(MAX_STDIN_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            "standard input is not valid UTF-8 text; save it as UTF-8 and retry"
        ) from None


def _emit_json(obj: object) -> None:
    from .render import json_line

    typer.echo(json_line(obj))


def _trim(result: dict[str, Any], k: int) -> dict[str, Any]:
    result["retrieved"] = result["retrieved"][:k]
    return result


def _batch(path: Path, k: int) -> int:
    from .evaluate import parse_question_line, read_lines

    lines = read_lines(path, "batch file")
    assistant = _load_assistant()
    failed = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        qid: object = None
        try:
            item = parse_question_line(line)
            qid = item.get("id")
            answer = assistant.ask(item["question"], item["context"])
            _emit_json(_trim(answer.to_json(qid), k))
        except UsageError as exc:
            failed += 1
            _emit_json({"id": qid, "line": number, "error": str(exc)})
    if failed:
        typer.echo(f"error: {failed} line(s) of {path} could not be answered", err=True)
        return EXIT_BATCH_PARTIAL
    return 0


@app.command()
@_plain_errors
def ask(
    ctx: typer.Context,
    question: Annotated[
        str | None, typer.Argument(help="The question; '-' (or a pipe) reads stdin.")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (= --format json).")
    ] = False,
    output: Annotated[
        str, typer.Option("--format", help="text, markdown or json.", case_sensitive=False)
    ] = "text",
    history: Annotated[
        list[str] | None,
        typer.Option("--history", help="An earlier user turn (repeatable, oldest first)."),
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help="JSONL file of {id, question, context} ('-' reads stdin); one JSON "
            "result per line.",
        ),
    ] = None,
    k: Annotated[
        int, typer.Option("-k", min=1, max=20, help="How many retrieved passages to list.")
    ] = 5,
) -> None:
    """Answer a question from the article, with numbered citations.

    \b
    Examples:
      assistant ask "how long until my count goes up?"
      assistant ask --history "What is the T/LH ratio?" "Which paper was that?"
      echo "what is LH?" | assistant ask --format json -
    """
    fmt = "json" if json_output else output.lower()
    if fmt not in ("text", "markdown", "json"):
        raise UsageError(f"unknown --format {output!r}; use text, markdown or json")
    if batch is not None:
        raise typer.Exit(_batch(batch, k))
    if question is None and sys.stdin.isatty():
        typer.echo(ctx.get_help())  # nothing piped and no question: say how to ask
        raise typer.Exit(0)
    text = _read_stdin() if question in (None, "-") else question
    assistant = _load_assistant()
    answer = assistant.ask(text, history or [])
    if fmt == "json":
        _emit_json(_trim(answer.to_json(), k))
    elif fmt == "markdown":
        from .render import NOTICE, answer_markdown

        typer.echo(answer_markdown(answer, assistant.corpus) + f"\n_{NOTICE}_")
    else:
        from .render import answer_text

        typer.echo(answer_text(answer, assistant.corpus))


@app.command()
@_plain_errors
def show(
    passage_id: Annotated[str, typer.Argument(help="A passage or reference id, e.g. academic-p4.")],
) -> None:
    """Print a passage with its neighbours, section, offsets and reference."""
    from .corpus import load_corpus
    from .render import passage_view

    corpus = load_corpus()
    ids = [p.id for p in corpus.passages]
    if passage_id not in ids:
        close = [i for i in ids if passage_id.lower() in i][:5]
        hint = f" (did you mean {', '.join(close)}?)" if close else "; ids appear in `ask` output"
        raise UsageError(f"no passage with id {passage_id!r}{hint}")
    i = ids.index(passage_id)
    neighbours = corpus.passages[max(0, i - 1) : i + 2]
    typer.echo(passage_view(corpus.passages[i], neighbours, corpus, corpus.source_name))


@app.command()
@_plain_errors
def labs(
    text: Annotated[
        str | None, typer.Argument(help="Free text with lab values; '-' reads stdin.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            help="Also write a one-page Markdown summary for a clinic visit to this file "
            "(owner-only).",
        ),
    ] = None,
) -> None:
    """Read lab values from free text: units, ratios and the article's patient groups.

    \b
    Examples:
      assistant labs "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"
      pbpaste | assistant labs -            (a pasted report)
      assistant labs --summary visit.md "T 300 ng/dL, E2 40 pg/mL"
    """
    from .corpus import load_corpus
    from .lab_answers import passage_for_quote
    from .labs import analyse, render_text

    body = _read_stdin() if text in (None, "-") else text
    if not body.strip():
        raise UsageError('no text given; e.g. assistant labs "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"')
    report = analyse(body)
    corpus = load_corpus()
    passages = corpus.passages
    if summary is not None:
        written = _write_private(summary, _visit_page(report, corpus))
        typer.echo(f"summary written to {written}", err=True)
    sources = {g.code: passage_for_quote(passages, g.criterion_quote) for g in report.groups}
    if json_output:
        data = report.to_json()
        for group in data.get("groups", []):
            passage = sources.get(group.get("code"))
            group["passage_id"] = passage.id if passage else None
        _emit_json(data)
    else:
        if sys.stdout.isatty():
            import shutil

            from .gauges import gauges_text

            pictures = gauges_text(report, shutil.get_terminal_size().columns, with_study=False)
            if pictures:
                typer.echo(pictures + "\n")
        typer.echo(render_text(report))
        typer.echo("\nWhere the article states each criterion (see: assistant show ID)")
        for code, passage in sources.items():
            if passage is not None:
                where = f"{passage.section_path}, chars {passage.start}-{passage.end}"
                typer.echo(f"  {code:<12} {passage.id:<22} {where}")


def _visit_page(report: Any, corpus: Any) -> bytes:
    from .visit_summary import visit_page

    return visit_page(report, corpus).encode("utf-8")


def _write_private(path: Path, data: bytes) -> Path:
    """Write a file only its owner can read, all at once (temporary file, then rename)."""
    from .atomic import write_atomic

    target = path.expanduser()
    if target.is_dir():
        raise UsageError(f"{path} is a folder; give a file name, e.g. {path / 'visit.md'}")
    try:
        return write_atomic(target.resolve(), data, mode=0o600)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


@app.command("eval")
@_plain_errors
def eval_command(
    file: Annotated[
        Path | None, typer.Argument(help="Questions JSONL (default: the public set).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
) -> None:
    """Score the assistant on a question set with the metrics of the eval README."""
    from .evaluate import format_table, load_questions, run_eval

    path = file or DEFAULT_QUESTIONS
    questions, problems = load_questions(path)
    if not questions:
        first = f" ({problems[0]})" if problems else ""
        raise UsageError(f"no valid question in {path}{first}")
    for problem in problems:
        typer.echo(f"skipped: {problem}", err=True)
    assistant = _load_assistant()
    result = run_eval(questions, lambda q, h: assistant.ask(q, h).to_json())
    if json_output:
        _emit_json(result)
    else:
        typer.echo(format_table(result))


@app.command()
@_plain_errors
def chat(
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Plain lines instead of the full-screen chat (also when piped or TERM=dumb).",
        ),
    ] = False,
) -> None:
    """Open the chat (the main job).

    \b
    In the plain chat: /numbers shows the lab panel, /new starts over, /help, /quit.
    """
    import os

    from .plain_chat import plain_wanted, run_plain_cli

    if plain_wanted(sys.stdin.isatty(), sys.stdout.isatty(), os.environ.get("TERM"), plain):
        raise typer.Exit(run_plain_cli(_load_assistant))
    from .tui.app import run_chat

    raise typer.Exit(run_chat())


@config_app.command("path")
def config_path_command() -> None:
    """Print where the chat keeps its settings (the file may not exist yet)."""
    from .settings import config_path

    typer.echo(str(config_path()))


@index_app.command("build")
@_plain_errors
def index_build(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if the index is current.")
    ] = False,
) -> None:
    """Embed the passages and write the index (skipped when nothing changed)."""
    from .index import build_index

    progress = _progress_printer()
    what, folder = build_index(force=force, progress=progress)
    typer.echo(f"index {what}: {folder}", err=True)


def _progress_printer() -> Any:
    """Progress on stderr: a bar with the share done and, once measurable, the time left in the
    stage (redrawn in place on a terminal; at most about twenty lines per stage otherwise)."""
    import time

    from .build_progress import progress_line

    tty = sys.stderr.isatty()
    last: dict[str, int] = {}
    started: dict[str, float] = {}

    def show(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        started.setdefault(stage, now)
        step = 1 if tty else max(1, total // 20)
        if stage in last and done != total and done - last[stage] < step:
            return
        last[stage] = done
        line = progress_line(stage, done, total, now - started[stage])
        if tty:
            end = "\n" if done >= total else ""
            sys.stderr.write("\r\x1b[2K" + line + end)
            sys.stderr.flush()
        else:
            typer.echo(line, err=True)

    return show


@index_app.command("status")
@_plain_errors
def index_status_command() -> None:
    """Say whether the index is current (exit 0), missing (3), stale (4) or corrupt (5)."""
    from .errors import IndexCorruptError, IndexMissingError, IndexStaleError
    from .index import index_status

    status = index_status()
    codes = {"missing": IndexMissingError, "stale": IndexStaleError, "corrupt": IndexCorruptError}
    typer.echo(status.detail)
    if status.state in codes:
        raise typer.Exit(codes[status.state].exit_code)


def as_text_arguments(argv: list[str]) -> list[str]:
    """`argv` with "--" put before the first argument that starts with a dash but holds a space
    or a line break: a pasted list ("- T 9.4 nmol/L\n- E2 40 pg/mL") is text, not an option
    (no option has a space in its name)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg.startswith("-") and any(c.isspace() for c in arg):
            return [*argv[:i], "--", *argv[i:]]
    return argv


def main() -> None:
    app(args=as_text_arguments(sys.argv[1:]))
