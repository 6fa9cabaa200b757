"""Shared fixtures: a tiny index built with the deterministic fake embedder, in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.embed import FakeEmbedder
from assistant.index import build_index, load_index, query_embedder
from assistant.retrieve import Retriever

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def fake_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ASSISTANT_HOME holding an index built with FakeEmbedder."""
    home = tmp_path_factory.mktemp("home")
    build_index(FakeEmbedder, root=home / "index")
    return home


@pytest.fixture()
def fake_env(fake_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSISTANT_HOME", str(fake_home))
    return fake_home


@pytest.fixture(scope="session")
def fake_assistant(fake_home: Path):
    from assistant.answer import Assistant

    index = load_index(fake_home / "index")
    return Assistant(index, Retriever(index, query_embedder(index)))


@pytest.fixture(scope="session")
def real_assistant():
    """The assistant over the built index with the real model (skips, or fails under CI, if the
    index is not current: scripts/test.sh builds it first)."""
    from index_tools import built_index_or_skip

    from assistant.answer import Assistant

    built_index_or_skip()
    return Assistant.load()
