"""A one-page Markdown summary for a clinic visit: the user's values and what the article says.

Built from a lab report (assistant.labs) and the corpus: the values as typed and as used, each
ratio with its arithmetic and assumptions, the article's patient groups with the criterion
quoted and where it stands in the article, the article's references with their identifiers and
the editors' notes, and the questions asked in the conversation. Everything computed is labelled
as computed; everything quoted is the article's wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .corpus import Corpus
from .lab_answers import ARTICLE_CUTOFFS, passage_for_quote

NOT_ADVICE = (
    "Not medical advice: this page summarises one article and the numbers you typed; decide "
    "about your care with your clinician."
)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip() or "–"


def visit_page(
    report: Any, corpus: Corpus, questions: Sequence[str] = (), today: date | None = None
) -> str:
    """The Markdown page (see the module docstring)."""
    day = (today or date.today()).isoformat()
    out = [
        "# Notes for a clinic visit",
        "",
        f"_{NOT_ADVICE}_  ",
        f"_Made on {day} by anastrozole-assistant, offline, from the article "
        f"“Can anastrozole improve sperm count?” ({corpus.source_name})._",
        "",
        "## Your values",
        "",
    ]
    measurements = [m for m in getattr(report, "measurements", ()) if m.current]
    if measurements:
        out += ["| test | as you typed it | as used | status | notes |", "|---|---|---|---|---|"]
        for m in measurements:
            unit = m.unit_as_typed if m.unit_as_typed not in (None, m.value_as_typed) else ""
            typed = f"{m.value_as_typed} {unit}".strip()
            used = f"{m.value:.4g} {m.unit}" if m.value is not None else "not used"
            notes = "; ".join([*m.assumptions, *([m.note] if m.note and not m.assumptions else [])])
            out.append(f"| {_cell(m.label)} | {_cell(typed)} | {_cell(used)} | {_cell(m.status)} "
                       f"| {_cell(notes)} |")  # fmt: skip
    else:
        out.append("No values were read.")
    ratios = list(getattr(report, "ratios", ())) + [
        d for d in getattr(report, "derived", ()) if d.name in ("bmi", "total_count", "tmc")
    ]
    if ratios:
        out += ["", "## Computed from your values (our arithmetic, not the article's)", ""]
        for r in ratios:
            status = getattr(r, "status", "ok")
            flag = "" if status == "ok" else f" — status {status}"
            out.append(f"- {r.formula_text}{flag}")
    issues = list(getattr(report, "issues", ()))
    if issues:
        out += ["", "## Questions to settle", ""]
        out += [f"- {issue}" for issue in issues]
    groups = [g for g in getattr(report, "groups", ()) if g.status != "not evaluable"]
    if groups:
        out += ["", "## The article's patient groups", ""]
        for g in groups:
            passage = passage_for_quote(corpus.passages, g.criterion_quote)
            where = (
                f"{passage.section_path}, `{passage.id}`, chars {passage.start}-{passage.end}"
                if passage
                else "not found in the article"
            )
            ours = "" if g.code in ARTICLE_CUTOFFS else " (this cut-off is not from the article)"
            out.append(f"- **{g.label}: {g.status}.** {g.explanation}{ours}")
            out.append(f"  The article: “{g.criterion_quote}” ({where})")
    if questions:
        out += ["", "## Questions you asked", ""]
        out += [f"{i}. {q.strip()}" for i, q in enumerate(questions, 1)]
    out += ["", "## The article's references", ""]
    for ref in corpus.references:
        ids = ref.identifiers()
        line = f"- {ref.author_text} “{ref.title}” {ref.venue}, {ref.date or ref.year}."
        if ids:
            line += f" {ids}."
        out.append(line)
        notes = " ".join(n for n in (ref.identifier_note, ref.verification_note) if n)
        if notes:
            out.append(f"  _Editors' note (not from the article): {notes}_")
    return "\n".join(out) + "\n"
