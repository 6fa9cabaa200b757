"""Plain strings the chat shows, copies and exports: answer Markdown with clickable citation
markers, citation labels and clipboard text, the conversation export, and its atomic writer.

Nothing here imports textual, so it is tested without a terminal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
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

# The chat's welcome and F1 help (Markdown).

WELCOME = """\
**Ask about anastrozole for male infertility.** Every answer quotes the article and numbers its
sources [1]; press **ctrl+o** (or click a number) to read the passage in context.
Mention lab values (*my T is 300 ng/dL and E2 40 pg/mL*) and **Your numbers** works out the
ratios the article uses.

Try: *Who is a candidate for anastrozole?* · *What dose was used?* · *Does it help if my estrogen
is normal?*
"""

HELP = """\
# Help

This assistant answers from **one article** on anastrozole for male infertility. It quotes the
article's own sentences and numbers each source; when the article does not cover a question it
says so rather than guess. **It is not medical advice.**

## Keys

- **Enter** asks the question; **↑ / ↓** bring back earlier questions
- **ctrl+o** opens the sources of the latest answer; clicking a **[n]** opens that source
- **shift+tab** moves to the latest answer's source list: **Enter** or **1–9** opens one,
  **c** copies it, **v** shows its text
- **ctrl+r** reads the whole article (**ctrl+f** finds, **F3** or **Enter** next match)
- **F2** shows or hides **Your numbers**; **ctrl+l** clears them
- **ctrl+n** starts a new conversation; **ctrl+s** exports it as Markdown
- **ctrl+t** switches light and dark; **ctrl+p** lists every command (themes too, among them
  *ANSI* ones that use your terminal's own colours); **ctrl+q** quits

No key needs **ctrl+b** or **ctrl+a**, so tmux and screen keep their prefix keys.

In a passage: ←/→ or 1–9 other sources, **c** copies the citation (quote, section, offsets,
reference) for your notes, **v** shows it to copy by hand, **a** shows it in the article, Esc
goes back. Copying goes through your terminal (OSC 52), which many terminals ignore: when yours
may, the text is shown so you can select and copy it yourself.

## Follow-up questions

Earlier questions are used as context, so *"what dose did they use?"* after a question about a
study refers to that study. Start a new conversation (ctrl+n) to change topic.

## Your numbers

Every number you mention (testosterone, estradiol, LH, FSH, weight, height, semen results) is read
as typed, converted to the article's units, and used for T/E2, T/LH, BMI and total motile count,
and to say which of the article's patient groups apply, each with the sentence that defines it.

Each ratio or measure the article uses gets a gauge: `=` filled up to your figure, `|` at the
cut-off (T/E2 10, T/LH 100, BMI 25, sperm concentration: the WHO limit 16 million/mL, 15 in
WHO 2010), with the words beside it. A figure read with an assumed or doubtful unit gets no
verdict, only the reason. Below, your values sit beside the article's before/after table:
**study averages from one cohort, not a prediction** for you.
**ctrl+l** clears them: the questions asked so far then no longer count, neither for the numbers
nor as context for follow-ups.

## Privacy

The conversation is not saved. Only **Export** (ctrl+s) writes it, to a Markdown file that only
you can read, in the current folder (or `$ASSISTANT_HOME/exports`). When you change the theme or
show/hide Your numbers, that choice (and nothing else) is remembered in a small owner-only
settings file (`assistant config path` prints where); `ASSISTANT_THEME` overrides it, and with
`NO_COLOR` set (and no theme chosen) the chat uses your terminal's own colours.
"""

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


CLIP_OK = "ok"
CLIP_UNSURE = "unsure"
CLIP_NO = "no"


def clipboard_support(environ: Mapping[str, str], headless: bool = False) -> tuple[str, str]:
    """Whether copying through the terminal (OSC 52, all Textual can do) can work here.

    Returns (CLIP_OK | CLIP_UNSURE | CLIP_NO, a sentence saying why). A terminal never answers an
    OSC 52 request, so this reads the environment: terminals known to ignore it (macOS Terminal,
    VTE terminals such as GNOME Terminal, Konsole, the Linux console, GNU screen), tmux (works only
    with `set-clipboard on`), terminals known to honour it, and everything else as unsure.
    """
    get = environ.get
    term, program = get("TERM", "") or "", get("TERM_PROGRAM", "") or ""
    if headless:
        return CLIP_NO, "There is no terminal to copy through."
    if get("STY"):
        return CLIP_NO, "GNU screen does not pass copy requests from programs to your terminal."
    if program == "Apple_Terminal":
        return CLIP_NO, "macOS Terminal ignores copy requests from programs (OSC 52)."
    if get("VTE_VERSION"):
        return CLIP_NO, "This terminal (VTE, e.g. GNOME Terminal) ignores copy requests (OSC 52)."
    if get("KONSOLE_VERSION"):
        return CLIP_NO, "Konsole ignores copy requests from programs (OSC 52)."
    if term in ("linux", "dumb", "vt100", "vt220"):
        return CLIP_NO, "This console has no clipboard that programs can reach."
    if get("TMUX"):
        return (
            CLIP_UNSURE,
            "Sent to tmux, which passes it on only with `set -g set-clipboard on`.",
        )
    known = (
        get("KITTY_WINDOW_ID")
        or get("WEZTERM_PANE")
        or get("WT_SESSION")
        or get("ALACRITTY_WINDOW_ID")
        or get("GHOSTTY_RESOURCES_DIR")
        or program in ("WezTerm", "ghostty")
        or term in ("xterm-kitty", "foot", "alacritty", "xterm-ghostty")
    )
    if known:
        return CLIP_OK, "Copied through your terminal."
    return (
        CLIP_UNSURE,
        "Sent to your terminal's clipboard (OSC 52); many terminals ignore that.",
    )
