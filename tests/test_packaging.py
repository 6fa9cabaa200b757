"""The wheel carries what an installed copy needs outside a checkout: the corpus and the stylesheet,
and both command names."""

from __future__ import annotations

import json
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


def test_a_wheel_from_a_checkout_with_an_index_carries_it(wheel: zipfile.ZipFile) -> None:
    pointer = ROOT / "index" / "CURRENT"
    if not pointer.is_file():
        pytest.skip("no index built in this checkout (scripts/setup.sh builds one)")
    names = set(wheel.namelist())
    assert wheel.read("assistant/bundled_index/CURRENT") == pointer.read_bytes()
    build = json.loads(pointer.read_text())["build"]
    for file in ("manifest.json", "passages.json", "passages.faiss", "onnx/model.onnx"):
        assert f"assistant/bundled_index/builds/{build}/{file}" in names, file


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


def test_a_wheel_with_a_prebuilt_index_reads_it_when_the_user_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import paths

    user, bundled = tmp_path / "user" / "index", tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "CURRENT").write_text("{}")
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    monkeypatch.setattr(paths, "index_dir", lambda: user)
    monkeypatch.setattr(paths, "bundled_index", lambda: bundled)
    assert paths.index_to_read() == bundled
    user.mkdir(parents=True)
    (user / "CURRENT").write_text("{}")
    assert paths.index_to_read() == user, "a user's own build wins"
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "elsewhere"))
    assert paths.index_to_read() == paths.index_dir(), "$ASSISTANT_HOME is never overridden"


def test_without_the_builder_the_index_encoder_is_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from assistant.errors import ModelError
    from assistant.index import load

    def missing(_: object) -> str:
        raise ModelError("the bundled model package is not installed")

    monkeypatch.setattr(load, "_current_model_fingerprint", missing)
    monkeypatch.delenv("ASSISTANT_MODEL", raising=False)
    with_encoder = SimpleNamespace(model=None, query_encoder={"dir": "onnx"})
    monkeypatch.setattr(load, "builder_installed", lambda: False)
    assert load._model_changed(with_encoder) is False  # type: ignore[arg-type]
    monkeypatch.setattr(load, "builder_installed", lambda: True)
    with pytest.raises(ModelError):
        load._model_changed(with_encoder)  # type: ignore[arg-type]
