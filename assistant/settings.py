"""The chat's remembered choices (theme, whether "Your numbers" is shown) in a small JSON file.

The file is `platformdirs.user_config_path("anastrozole-assistant")/config.json`. Reading is
tolerant: anything odd about the file (missing, not a regular file, a FIFO, a device, larger than
a few KiB, not UTF-8 JSON, nested too deep, wrong types) gives the defaults, never an exception
and never a wait. Writing is atomic (a temporary file beside it, then a rename) and owner-only.
Environment variables win over the file: `ASSISTANT_THEME`, then Textual's own `TEXTUAL_THEME`;
with neither and nothing saved, `NO_COLOR` picks the terminal's own colours ("ansi-dark").

Standard library and platformdirs only: no textual import, so `assistant config path` stays fast.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_atomic
from .paths import APP_NAME

CONFIG_FILE = "config.json"
MAX_BYTES = 4096
THEME_ENV = "ASSISTANT_THEME"
TEXTUAL_THEME_ENV = "TEXTUAL_THEME"
NO_COLOR_ENV = "NO_COLOR"
NO_COLOR_THEME = "ansi-dark"
FILE_MODE = 0o600
DIR_MODE = 0o700
VERSION = 1

_THEME_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Settings:
    """`theme`: a Textual theme name, or None for the default. `panel_shown`: the last explicit
    choice for "Your numbers" (True shown, False hidden), or None to decide by window width."""

    theme: str | None = None
    panel_shown: bool | None = None


def config_path() -> Path:
    """Where the settings live (the file may not exist yet)."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILE


def _read_small_regular_file(path: Path) -> bytes | None:
    """The file's bytes, or None unless it is a regular file of at most MAX_BYTES.

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; the type and
    size are then checked on the open descriptor, so a swap after the check cannot matter.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        data = os.read(fd, MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_BYTES else None


def parse_settings(data: bytes) -> Settings:
    """Settings from the file's bytes; every field that is missing or of the wrong type is left
    at its default."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    theme = raw.get("theme")
    if not (isinstance(theme, str) and _THEME_NAME.fullmatch(theme)):
        theme = None
    panel = raw.get("panel_shown")
    if not isinstance(panel, bool):
        panel = None
    return Settings(theme=theme, panel_shown=panel)


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there is no usable file. Never raises."""
    try:
        data = _read_small_regular_file(path or config_path())
    except Exception:  # e.g. platformdirs cannot work out a folder: fall back to the defaults
        return Settings()
    return Settings() if data is None else parse_settings(data)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write `settings` atomically, readable by the owner only. Raises OSError when the folder
    cannot be written (the caller says so; the chat goes on)."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    body = {"version": VERSION, "theme": settings.theme, "panel_shown": settings.panel_shown}
    data = (json.dumps(body, indent=2) + "\n").encode("utf-8")
    write_atomic(path, data, mode=0o600)  # owner-only from the first byte
    return path


def env_theme(environ: Mapping[str, str] | None = None) -> str | None:
    """The theme the environment asks for (ASSISTANT_THEME, then TEXTUAL_THEME), or None."""
    environ = os.environ if environ is None else environ
    for name in (THEME_ENV, TEXTUAL_THEME_ENV):
        value = (environ.get(name) or "").strip()
        if value:
            return value
    return None


def wanted_theme(settings: Settings, environ: Mapping[str, str] | None = None) -> str | None:
    """The environment's theme if set, else the saved one; else, under NO_COLOR, "ansi-dark"
    (the terminal's own default colours, which Textual's NO_COLOR filter leaves uncoloured,
    instead of a grey-painted screen); else None (Textual's default)."""
    environ = os.environ if environ is None else environ
    chosen = env_theme(environ) or settings.theme
    if chosen is None and NO_COLOR_ENV in environ:
        return NO_COLOR_THEME
    return chosen
