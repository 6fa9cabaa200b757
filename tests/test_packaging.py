"""The wheel carries what an installed copy needs outside a checkout: the corpus and the stylesheet,
and both command names."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail(result.stderr[-2000:])
    (built,) = out.glob("anastrozole_assistant-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_carries_the_whole_corpus(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for file in sorted((ROOT / "corpus").iterdir()):
        assert f"assistant/bundled_corpus/{file.name}" in names, file.name
        inside = wheel.read(f"assistant/bundled_corpus/{file.name}")
        assert inside == file.read_bytes(), f"{file.name} differs from corpus/"
    assert "assistant/tui/app.tcss" in names


def test_the_wheel_installs_both_command_names(wheel: zipfile.ZipFile) -> None:
    entry = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    text = wheel.read(entry).decode()
    assert "anastrozole-assistant = assistant.cli:main" in text
    assert "assistant = assistant.cli:main" in text


def test_outside_a_checkout_the_corpus_is_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import paths

    monkeypatch.delenv(paths.CORPUS_ENV, raising=False)
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    assert paths.corpus_dir() == paths.bundled_corpus()
    assert paths.bundled_corpus().parent == Path(paths.__file__).parent
