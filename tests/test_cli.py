"""The command line: shapes, exit codes and one-line errors (fake index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import IndexMissingError, UsageError

runner = CliRunner()


def test_ask_json(fake_env: Path) -> None:
    result = runner.invoke(app, ["ask", "--json", "What is an aromatase inhibitor?", "-k", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"question", "answer", "abstained", "citations", "retrieved",
                         "disclaimer", "safety", "notices", "language", "not_covered"}  # fmt: skip
    assert len(data["retrieved"]) == 3


def test_ask_human_output_has_sources_and_notice(fake_env: Path) -> None:
    result = runner.invoke(app, ["ask", "What is an aromatase inhibitor?"])
    assert result.exit_code == 0
    assert "Sources" in result.stdout and "[1]" in result.stdout
    assert "Not medical advice" in result.stdout


def test_ask_with_history(fake_env: Path) -> None:
    result = runner.invoke(
        app,
        [
            "ask",
            "--json",
            "--history",
            "What did the Cleveland Clinic study find?",
            "Who wrote it?",
        ],
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["citations"][0]["id"] == "ref-lundy-2023"


def test_batch_reports_bad_lines_and_answers_the_rest(fake_env: Path, tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": "a", "question": "What is the HPG axis?"}\n'
        "{not json\n"
        '{"id": "c", "question": ""}\n'
        '{"id": "d", "question": "Which paper?", "context": ["What about the BMI study?"]}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ask", "--batch", str(batch)])
    assert result.exit_code == 8
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, "c", "d"]
    assert "answer" in lines[0] and "answer" in lines[3]
    assert lines[1]["error"].startswith("line is not valid JSON") and lines[1]["line"] == 2
    assert "empty" in lines[2]["error"]


def test_empty_question_exit_code(fake_env: Path) -> None:
    result = runner.invoke(app, ["ask", "   "])
    assert result.exit_code == UsageError.exit_code
    assert result.stderr.count("\n") == 1 and "empty" in result.stderr


def test_huge_question_exit_code(fake_env: Path) -> None:
    result = runner.invoke(app, ["ask", "x" * 100_000])
    assert result.exit_code == UsageError.exit_code and "limit" in result.stderr


def test_non_utf8_stdin(fake_env: Path) -> None:
    result = runner.invoke(app, ["ask"], input=b"\xff\xfe bad bytes")
    assert result.exit_code == UsageError.exit_code
    assert "UTF-8" in result.stderr and "Traceback" not in result.output


def test_question_from_stdin(fake_env: Path) -> None:
    result = runner.invoke(app, ["ask", "--json", "-"], input=b"What is oligospermia?")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["question"] == "What is oligospermia?"


def test_missing_index(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path))
    result = runner.invoke(app, ["ask", "anything"])
    assert result.exit_code == IndexMissingError.exit_code
    assert "assistant index build" in result.stderr and result.stderr.count("\n") == 1
    status = runner.invoke(app, ["index", "status"])
    assert status.exit_code == IndexMissingError.exit_code


def test_show_passage_and_reference(fake_env: Path) -> None:
    result = runner.invoke(app, ["show", "academic-p4"])
    assert result.exit_code == 0
    assert ">> [academic-p4]" in result.stdout and "[academic-p3]" in result.stdout
    assert "Location: corpus/article.txt, chars" in result.stdout
    assert "Reference ref-lundy-2023: Lundy, S. D. et al." in result.stdout
    ref = runner.invoke(app, ["show", "ref-helo-2019"])
    assert "vol. 8, no. 6" in ref.stdout and "pp. 633-639" in ref.stdout


def test_show_unknown_id(fake_env: Path) -> None:
    result = runner.invoke(app, ["show", "academic-p99"])
    assert result.exit_code == UsageError.exit_code and "no passage" in result.stderr


def test_eval_runs_and_reports_json(fake_env: Path) -> None:
    result = runner.invoke(app, ["eval", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["n"] == 40 and set(data["by_style"]) == {
        "patient",
        "clinician",
        "followup",
        "out_of_scope",
    }


def test_eval_bad_file(fake_env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": 3}\n')
    result = runner.invoke(app, ["eval", str(bad)])
    assert result.exit_code == UsageError.exit_code and "bad.jsonl:1" in result.stderr


def test_labs_table_names_the_passages() -> None:
    result = runner.invoke(app, ["labs", "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"])
    assert result.exit_code == 0
    assert "271.1 ng/dL" in result.stdout and "8.43" in result.stdout and "129.09" in result.stdout
    assert "intermediate-p2" in result.stdout  # where the low T/E2 cut-off is stated


def test_labs_json_carries_passage_ids() -> None:
    result = runner.invoke(app, ["labs", "--json", "my T is 300 ng/dL and E2 40 pg/mL"])
    groups = {g["code"]: g for g in json.loads(result.stdout)["groups"]}
    assert groups["G4"]["status"] == "applies" and groups["G4"]["passage_id"] == "intermediate-p2"


def test_labs_bad_input() -> None:
    assert runner.invoke(app, ["labs", "  "]).exit_code == UsageError.exit_code
    result = runner.invoke(app, ["labs"], input=b"\xff\xfe")
    assert result.exit_code == UsageError.exit_code and "UTF-8" in result.stderr
    odd = runner.invoke(app, ["labs", "E2 is high 🙂 \x00 ∞"])
    assert odd.exit_code == 0 and "Traceback" not in odd.output


def test_bad_model_folder_is_one_line(tmp_path: Path, monkeypatch) -> None:
    """ASSISTANT_MODEL pointing at something that is not a model: exit 7, no traceback."""
    from assistant.errors import ModelError

    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ASSISTANT_MODEL", str(tmp_path / "no-model-here"))
    result = runner.invoke(app, ["index", "build"])
    assert result.exit_code == ModelError.exit_code
    assert "ASSISTANT_MODEL" in result.stderr and result.stderr.count("\n") == 1


def test_eval_rejects_a_bad_context_with_one_line(fake_env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "ctx.jsonl"
    bad.write_text('{"question": "what is LH?", "context": 5}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad)])
    assert result.exit_code == UsageError.exit_code
    assert "ctx.jsonl:1" in result.stderr and "context" in result.stderr


def test_batch_survives_hostile_lines(fake_env: Path, tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    deep = "[" * 200_000 + "]" * 200_000
    batch.write_text(
        deep + "\n"
        '{"id": "s", "question": "what is \\ud800 oligospermia \\u202e \\u0085?"}\n'
        '{"id": "z", "question": "What is the HPG axis?"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ask", "--batch", str(batch)])
    assert result.exit_code == 8 and "Traceback" not in result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == [None, "s", "z"]
    assert "nested" in lines[0]["error"]
    raw = result.stdout.splitlines()[1]
    assert "\\ud800" in raw and "\\u202e" in raw and "\\u0085" in raw  # escaped, not raw
    assert "\u202e" not in raw and "\u0085" not in raw


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_user_files_must_be_regular_files(fake_env: Path, tmp_path: Path, special: str) -> None:
    import os

    path = Path(special)
    if special == "fifo":
        path = tmp_path / "q.fifo"
        os.mkfifo(path)
    for args in (["ask", "--batch", str(path)], ["eval", str(path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == UsageError.exit_code, args
        assert result.stderr.count("\n") == 1 and "regular file" in result.stderr


def test_eval_skips_a_bad_line_and_goes_on(fake_env: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "question": "What is the HPG axis?", "gold": ["HPG"]}\n{oops\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "--json", str(questions)])
    assert result.exit_code == 0 and json.loads(result.stdout)["n"] == 1
    assert "skipped:" in result.stderr and ":2:" in result.stderr


def test_version_and_short_help() -> None:
    assert runner.invoke(app, ["--version"]).stdout.startswith("anastrozole-assistant ")
    result = runner.invoke(app, ["-h"])
    assert (
        result.exit_code == 0 and "Examples:" in result.stdout and "assistant ask" in result.stdout
    )
    assert runner.invoke(app, ["ask", "-h"]).exit_code == 0


def test_ask_formats(fake_env: Path) -> None:
    md = runner.invoke(app, ["ask", "--format", "markdown", "What is oligospermia?"])
    assert md.exit_code == 0 and "1. **" in md.stdout and "Not medical advice" in md.stdout
    js = runner.invoke(app, ["ask", "--format", "json", "What is oligospermia?"])
    assert js.exit_code == 0 and json.loads(js.stdout)["disclaimer"]
    bad = runner.invoke(app, ["ask", "--format", "yaml", "What is oligospermia?"])
    assert bad.exit_code == UsageError.exit_code and "--format" in bad.stderr


def test_batch_from_stdin(fake_env: Path) -> None:
    lines = '{"id": "a", "question": "What is the HPG axis?"}\n{"id": "b", "question": "And LH?"}\n'
    result = runner.invoke(app, ["ask", "--batch", "-"], input=lines.encode())
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]


def test_labs_summary_is_an_owner_only_page(tmp_path: Path) -> None:
    target = tmp_path / "visit.md"
    result = runner.invoke(app, ["labs", "--summary", str(target), "T 300 ng/dL, E2 40 pg/mL"])
    assert result.exit_code == 0 and str(target) in result.stderr
    assert (target.stat().st_mode & 0o777) == 0o600
    page = target.read_text(encoding="utf-8")
    for part in ("## Your values", "T/E2 = 300 ng/dL ÷ 40 pg/mL = 7.5", "intermediate-p2",
                 "PMID 33850757", "Not medical advice"):  # fmt: skip
        assert part in page
    folder = runner.invoke(app, ["labs", "--summary", str(tmp_path), "T 300 ng/dL"])
    assert folder.exit_code == UsageError.exit_code and "folder" in folder.stderr


def test_config_path_names_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    result = runner.invoke(app, ["config", "path"])
    assert result.exit_code == 0
    assert result.output.strip().endswith("config.json")
    assert not Path(result.output.strip()).exists(), "printing the path writes nothing"


def test_a_pasted_list_starting_with_a_dash_is_text_not_an_option() -> None:
    from assistant.cli import as_text_arguments

    assert as_text_arguments(["labs", "- T 9.4 nmol/L\n- E2 40"]) == [
        "labs",
        "--",
        "- T 9.4 nmol/L\n- E2 40",
    ]
    assert as_text_arguments(["labs", "--json", "- T 9.4"]) == ["labs", "--json", "--", "- T 9.4"]
    assert as_text_arguments(["ask", "--json", "what is E2?"]) == ["ask", "--json", "what is E2?"]
    assert as_text_arguments(["labs", "--", "- T 9.4"]) == ["labs", "--", "- T 9.4"]
