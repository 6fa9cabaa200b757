"""The chat's pure helpers: Markdown escaping, citation text, export, the panel and the article
blocks. No terminal needed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, Quote
from assistant.corpus import load_corpus
from assistant.tui.format import (
    CLIP_NO,
    CLIP_OK,
    CLIP_UNSURE,
    Turn,
    citation_clip,
    clipboard_support,
    conversation_markdown,
    default_export_dir,
    escape_markdown,
    export_path,
    linked_markers,
    split_safety,
    write_private,
)
from assistant.tui.labs_view import EMPTY_TEXT, labs_markdown, labs_pictures, number
from assistant.tui.screens import article_blocks, neighbours


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_escape_keeps_article_words_literal() -> None:
    assert escape_markdown("1. First") == "1\\. First"
    assert escape_markdown("- dash") == "\\- dash"
    assert escape_markdown("a *b* _c_ <d> #e") == "a \\*b\\* \\_c\\_ \\<d\\> \\#e"


def test_markers_become_citation_links() -> None:
    text = linked_markers("T/E2 below 10 [1] and [2]. Not [x].")
    assert "[\\[1\\]](cite:1)" in text and "[\\[2\\]](cite:2)" in text
    assert "\\[x\\]" in text


def test_safety_lines_are_split_off() -> None:
    answer = Answer(
        "q", "Seek care now. The article says X. [1]", False, (), (), safety=("Seek care now.",)
    )
    assert split_safety(answer) == (("Seek care now.",), "The article says X. [1]")


def test_citation_clip_has_quote_section_offsets_and_reference(corpus) -> None:
    p = next(p for p in corpus.passages if p.refs and p.kind == "paragraph")
    end = p.start + 40
    clip = citation_clip(p, corpus.source_name, corpus, [(p.start, end)])
    assert clip.startswith("“" + " ".join(corpus.source[p.start : end].split()))
    assert f"chars {p.start}–{end}" in clip and p.section_path in clip and p.id in clip
    assert "Reference:" in clip


def test_write_private_is_owner_only_and_atomic(tmp_path: Path) -> None:
    path = write_private(tmp_path / "sub" / "chat.md", "hello\n")
    assert path.read_text() == "hello\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    write_private(path, "again\n")
    assert path.read_text() == "again\n"
    assert [p.name for p in path.parent.iterdir()] == ["chat.md"]


def test_export_names_never_overwrite(tmp_path: Path) -> None:
    now = datetime(2026, 1, 2, 3, 4, 5)
    first = export_path(tmp_path, now)
    first.write_text("x")
    second = export_path(tmp_path, now)
    assert first.name == "anastrozole-chat-20260102-030405.md"
    assert second.name == "anastrozole-chat-20260102-030405-2.md"


def test_default_export_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path))
    assert default_export_dir() == tmp_path / "exports"
    monkeypatch.delenv("ASSISTANT_HOME")
    assert default_export_dir() == Path.cwd()


def test_conversation_markdown(corpus) -> None:
    p = corpus.passages[3]
    sentence = p.text[:30]
    answer = Answer(
        "Why?",
        f"{sentence} [1]",
        False,
        (Citation(1, p, 0.8, corpus.source_name),),
        (),
        quotes=(Quote(1, p.id, p.start, p.start + 30, sentence),),
    )
    turns = [Turn("Why?", (), answer=answer), Turn("And *then*?", ("Why?",), error="index missing")]
    text = conversation_markdown(turns, corpus, "T/E2 = 7.5")
    assert "## 1. You" in text and "## 2. You" in text and "And \\*then\\*?" in text
    assert f"1. **{p.section_path}**" in text and "_No answer: index missing_" in text
    assert "Not medical advice" in text and "T/E2 = 7.5" in text


def test_number_format() -> None:
    assert [number(7.5), number(300.0), number(25.911), number(0.0)] == ["7.5", "300", "25.91", "0"]


def test_labs_markdown_from_report_types(corpus) -> None:
    types = pytest.importorskip("assistant.labs.types")
    quote = "T/E2 ratio"
    passage = next(p for p in corpus.passages if quote in p.text)
    report = types.LabReport(
        measurements=(
            types.Measurement("t", "Testosterone", "300", "ng/dL", (6, 9), 300.0, "ng/dL", "ok"),
            types.Measurement(
                "e2", "Estradiol", "40", None, (20, 22), 40.0, "pg/mL", "ok", unit_source="assumed"
            ),
        ),
        ratios=(types.Ratio("T/E2", 300.0, 40.0, 7.5, "300 ng/dL ÷ 40 pg/mL"),),
        groups=(
            types.GroupResult("low_te2", "Low T/E2 (< 10)", "applies", "Your T/E2 is 7.5.", quote),
            types.GroupResult(
                "bmi25", "BMI ≥ 25", "not evaluable", "Weight and height needed.", ""
            ),
        ),
        issues=(types.Issue("unit", "The E2 unit was not given.", "Was it pg/mL?"),),
    )
    text = labs_markdown(report, corpus.passages)
    assert "T/E2 = 7.5" not in text, "the figure is in the gauge; here only the arithmetic"
    assert "- 300 ng/dL ÷ 40 pg/mL" in text and "`300 ng/dL` → **300 ng/dL**" in text
    assert "no unit typed; read as pg/mL" in text
    assert "✔ **Low T/E2 (\\< 10)** — *applies*" in text and f"(passage:{passage.id})" in text
    assert "? **BMI ≥ 25** — *not evaluable*" in text
    assert "Was it pg/mL?" in text
    assert labs_markdown(types.LabReport(), corpus.passages) == EMPTY_TEXT


def test_conversions_are_shown_once(corpus) -> None:
    from assistant.labs import analyse_turns

    report = analyse_turns(["T 9.4 nmol/L, E2 118 pmol/L, 5'9 and 215 lb, LH 2.1"])
    text = labs_markdown(report, corpus.passages)
    assert "`9.4 nmol/L` → **271\\.1 ng/dL**" in text
    assert "9.4 nmol/L = 271.1" not in text and "215 lb = 97.52 kg" not in text
    assert "no unit typed; read as IU/L" in text, "notes other than conversions stay"


def test_panel_pictures(corpus) -> None:
    from assistant.labs import analyse_turns

    gauges, study = labs_pictures(analyse_turns(["T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"]))
    assert gauges.splitlines()[0] == "T/E2  8.43  below cut-off 10"
    assert "T/LH  129.09  above cut-off 100" in gauges
    assert study.startswith("Study averages (one cohort), not a")
    assert all(len(line) <= 36 for line in (gauges + "\n" + study).splitlines())
    assert labs_pictures(None) == ("", "")
    assert labs_pictures(analyse_turns(["what is a good T/E2 ratio?"])) == ("", "")


@pytest.mark.parametrize(
    ("environ", "headless", "verdict"),
    [
        ({}, True, CLIP_NO),
        ({"TERM_PROGRAM": "Apple_Terminal"}, False, CLIP_NO),
        ({"VTE_VERSION": "7600"}, False, CLIP_NO),
        ({"KONSOLE_VERSION": "230401"}, False, CLIP_NO),
        ({"STY": "1234.pts-0", "TERM": "screen"}, False, CLIP_NO),
        ({"TERM": "linux"}, False, CLIP_NO),
        ({"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}, False, CLIP_UNSURE),
        ({"TMUX": "x", "VTE_VERSION": "7600"}, False, CLIP_NO),
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, False, CLIP_OK),
        ({"TERM_PROGRAM": "WezTerm"}, False, CLIP_OK),
        ({"WT_SESSION": "abc"}, False, CLIP_OK),
        ({"TERM": "xterm-256color"}, False, CLIP_UNSURE),
    ],
)
def test_clipboard_support(environ: dict[str, str], headless: bool, verdict: str) -> None:
    got, reason = clipboard_support(environ, headless)
    assert got == verdict and reason.endswith(".")


def test_article_blocks_cover_the_article(corpus) -> None:
    blocks = article_blocks(corpus)
    covered = "".join(corpus.source[b.start : b.end] for b in blocks)
    assert "".join(covered.split()) == "".join(corpus.source.split())
    assert {b.kind for b in blocks} >= {"text", "heading", "caption"}


def test_neighbours_stay_in_section(corpus) -> None:
    p = corpus.passages[10]
    around = neighbours(corpus, p)
    assert p in around and all(o.section[0] == p.section[0] for o in around)


def test_core_and_helpers_do_not_import_textual_or_torch() -> None:
    code = (
        "import sys, assistant.answer, assistant.render, assistant.tui.format, "
        "assistant.tui.labs_view, assistant.gauges, assistant.settings, assistant.plain_chat\n"
        "bad = [m for m in ('textual', 'torch', 'sentence_transformers') if m in sys.modules]\n"
        "import assistant.tui.app\n"
        "bad += [m for m in ('torch', 'sentence_transformers') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
