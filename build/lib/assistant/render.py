"""Plain-text and Markdown renderings of answers and passages, shared by the CLI and the chat."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence

from .answer import NOTICE, Answer
from .corpus import Corpus, Reference
from .passages import Passage

# Characters that must not reach a terminal or a log raw from a user's question: C1 controls,
# bidirectional overrides and isolates, and lone surrogates (not encodable as UTF-8).
_UNSAFE_IN_JSON = re.compile(
    "[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def json_line(obj: object) -> str:
    """One line of JSON, readable UTF-8, with the characters above escaped as \\uXXXX."""
    text = json.dumps(obj, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def location(passage: Passage, source: str) -> str:
    return f"{source}, chars {passage.start}-{passage.end}"


def reference_line(ref: Reference) -> str:
    parts = [f"{ref.author_text} “{ref.title}”", ref.venue]
    if ref.volume:
        parts.append(f"vol. {ref.volume}" + (f", no. {ref.issue}" if ref.issue else ""))
    parts.append(ref.date or str(ref.year))
    if ref.pages:
        parts.append(f"pp. {ref.pages}")
    return ", ".join(parts) + "."


def answer_text(answer: Answer, corpus: Corpus, width: int = 88) -> str:
    """Answer, then numbered sources with section, location and passage, then the notice."""
    out = [textwrap.fill(answer.text, width)]
    if answer.citations:
        out.append("")
        out.append("Sources")
        for c in answer.citations:
            out.append(f"[{c.n}] {c.passage.section_path} ({location(c.passage, c.source)})")
            out.append(textwrap.indent(textwrap.fill(f"“{c.passage.text}”", width - 4), "    "))
            for ref in corpus.references_of(c.passage):
                if ref.id != c.passage.id:
                    out.append(
                        textwrap.indent(textwrap.fill(f"Study: {ref.short()}", width - 4), "    ")
                    )
    out.append("")
    out.append(NOTICE)
    return "\n".join(out)


def answer_markdown(answer: Answer, corpus: Corpus) -> str:
    """The answer as Markdown with a numbered source list (used by the chat and its export)."""
    lines = [answer.text, ""]
    for c in answer.citations:
        lines.append(
            f"{c.n}. **{c.passage.section_path}** — `{c.passage.id}`, "
            f"{location(c.passage, c.source)}"
        )
        lines.append(f"   > {c.passage.text.replace(chr(10), ' ')}")
        for ref in corpus.references_of(c.passage):
            if ref.id != c.passage.id:
                lines.append(f"   Study: {ref.short()}")
    return "\n".join(lines).rstrip() + "\n"


def passage_view(
    passage: Passage, neighbours: Sequence[Passage], corpus: Corpus, source: str, width: int = 88
) -> str:
    """A passage in context: section, offsets, the passages around it, and its references."""
    out = [
        f"{passage.id}  ({passage.kind})",
        f"Section: {passage.section_path}",
        f"Location: {location(passage, source)}",
    ]
    if passage.context and passage.kind == "table_row":
        out.append(f"Meaning: {passage.context}")
    out.append("")
    for other in neighbours:
        mark = ">>" if other.id == passage.id else "  "
        body = textwrap.fill(other.text.replace("\n", " "), width - 4)
        out.append(f"{mark} [{other.id}]")
        out.append(textwrap.indent(body, "   "))
    for ref in corpus.references_of(passage):
        out.append("")
        out.append(f"Reference {ref.id}: {reference_line(ref)}")
        if ref.verification_note:
            out.append(
                textwrap.fill(
                    f"Editor's note (not from the article): {ref.verification_note}", width
                )
            )
    return "\n".join(out)
