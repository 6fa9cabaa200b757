"""Where the corpus and the built index live.

The corpus is the repository's `corpus/` in a checkout; an installed wheel carries the same
files as the package data `assistant/bundled_corpus` (pyproject maps one onto the other).
`$ASSISTANT_CORPUS` overrides both. The index goes to `$ASSISTANT_HOME/index` when that is set,
else to the repository's `index/` when it is writable, else to a per-user data dir; queries read
the prebuilt index a wheel may carry (`assistant/bundled_index`) when that holds none.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "ASSISTANT_HOME"
CORPUS_ENV = "ASSISTANT_CORPUS"
APP_NAME = "anastrozole-assistant"

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    override = os.environ.get(CORPUS_ENV)
    if override:
        return Path(override).expanduser()
    checkout = PROJECT_ROOT / "corpus"
    if checkout.is_dir():
        return checkout
    return bundled_corpus()


def bundled_corpus() -> Path:
    """The corpus installed with the package. pip installs a wheel as plain files, so this is
    the path importlib.resources.files("assistant") would give, without importing that
    machinery (and what it pulls in) on every `ask`."""
    return Path(__file__).resolve().parent / "bundled_corpus"


def _writable(folder: Path) -> bool:
    probe = folder if folder.exists() else folder.parent
    return os.access(probe, os.W_OK)


def index_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser() / "index"
    repo_index = PROJECT_ROOT / "index"
    if (PROJECT_ROOT / "pyproject.toml").is_file() and _writable(repo_index):
        return repo_index
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "index"


def bundled_index() -> Path:
    """A prebuilt index shipped inside a wheel (setup.py copies the checkout's index there)."""
    return Path(__file__).resolve().parent / "bundled_index"


def index_to_read() -> Path:
    """The index a query reads: `index_dir()`, or, when that holds none and `$ASSISTANT_HOME`
    is not set, the prebuilt one a wheel may carry (read-only; a rebuild goes to index_dir)."""
    root = index_dir()
    if os.environ.get(HOME_ENV) or (root / "CURRENT").exists():
        return root
    bundled = bundled_index()
    return bundled if (bundled / "CURRENT").is_file() else root
