"""Plain strings the chat shows, copies and exports: answer Markdown with clickable citation
markers, citation labels and clipboard text, the conversation export, and its atomic writer.

Nothing here imports textual, so it is tested without a terminal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..answer import NOTICE, Answer, Citation
from ..atomic import write_atomic
from ..corpus import Corpus
from ..passages import Passage
from ..paths import HOME_ENV
from ..render import answer_markdown, reference_line

CITE_SCHEME = "cite:"
PASSAGE_SCHEME = "passage:"
EXPORT_MODE = 0o600

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+>=])")


def escape_markdown(text: str) -> str:
    """Escape text so Markdown shows it literally (the article's words are never reformatted)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(
        lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}", escaped, count=1
    )


def linked_markers(text: str) -> str:
    """Answer text as Markdown whose [n] markers are links (`cite:n`) that open the evidence."""
    return _MARKER.sub(lambda m: f"[\\[{m[1]}\\]]({CITE_SCHEME}{m[1]})", escape_markdown(text))


def split_safety(answer: Answer) -> tuple[tuple[str, ...], str]:
    """(safety lines, the rest of the answer text) so the chat can set safety lines apart."""
    lead = " ".join(answer.safety)
    if answer.safety and answer.text.startswith(lead):
        return answer.safety, answer.text[len(lead) :].strip()
    return (), answer.text


def short_section(passage: Passage) -> str:
    return " › ".join(passage.section)


def citation_label(citation: Citation, corpus: Corpus | None = None) -> str:
    """One line for the citation list: number, section, offsets and the study it discusses."""
    p = citation.passage
    label = f"[{citation.n}] {short_section(p)} · chars {p.start}–{p.end}"
    if corpus is not None:
        studies = [r for r in corpus.references_of(p) if r.id != p.id]
        names = [s.author_text for s in studies]
        if names:
            label += f" · {', '.join(names)}"
    return label


def quoted_spans(answer: Answer | None, passage: Passage) -> list[tuple[int, int]]:
    """Source offsets of the sentences of `passage` that the answer quotes."""
    if answer is None:
        return []
    return [(q.start, q.end) for q in answer.quotes if q.passage_id == passage.id]


def citation_clip(
    passage: Passage,
    source: str,
    corpus: Corpus | None,
    spans: Sequence[tuple[int, int]] = (),
) -> str:
    """Text for a clinician's notes: the quote, its section and offsets, and the study cited."""
    if spans and corpus is not None:
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        quote = " … ".join(corpus.source[s:e] for s, e in spans)
    else:
        start, end, quote = passage.start, passage.end, passage.text
    quote = " ".join(quote.split())
    lines = [
        f"“{quote}”",
        f"— {passage.section_path}; {source}, chars {start}–{end} (passage {passage.id})",
    ]
    if corpus is not None:
        for ref_id in passage.refs:
            ref = corpus.reference(ref_id)
            if ref is not None:
                lines.append(f"Reference: {reference_line(ref)}")
    return "\n".join(lines)


@dataclass(eq=False)
class Turn:
    """One question of the conversation and what became of it (compared by identity)."""

    question: str
    history: tuple[str, ...]
    answer: Answer | None = None
    error: str | None = None


def conversation_markdown(
    turns: Sequence[Turn],
    corpus: Corpus | None,
    labs_text: str | None = None,
    now: datetime | None = None,
) -> str:
    """The conversation as Markdown, each answer with its numbered, quoted sources."""
    now = now or datetime.now().astimezone()
    source = corpus.source_name if corpus is not None else "the article"
    out = [
        "# Conversation: anastrozole for male infertility",
        "",
        f"Exported {now:%Y-%m-%d %H:%M %Z} from `assistant chat`. Answers quote {source}.",
        "",
        f"> {NOTICE}",
        "",
    ]
    for i, turn in enumerate(turns, start=1):
        out += [f"## {i}. You", "", escape_markdown(turn.question), "", "### Answer", ""]
        if turn.answer is not None and corpus is not None:
            out.append(answer_markdown(turn.answer, corpus).rstrip())
        elif turn.answer is not None:
            out.append(turn.answer.text)
        else:
            out.append(f"_No answer: {turn.error or 'not answered'}_")
        out.append("")
    if labs_text:
        out += ["## Your numbers", "", "```text", labs_text.rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def default_export_dir() -> Path:
    """$ASSISTANT_HOME/exports when that is set, else the current folder."""
    home = os.environ.get(HOME_ENV)
    return Path(home).expanduser() / "exports" if home else Path.cwd()


def export_path(folder: Path, now: datetime | None = None) -> Path:
    now = now or datetime.now()
    stem = f"anastrozole-chat-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.md"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.md"
        n += 1
    return path


def write_private(path: Path, text: str) -> Path:
    """Write `text` atomically (temp file, fsync, os.replace) readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_atomic(path, text.encode("utf-8"), EXPORT_MODE)
