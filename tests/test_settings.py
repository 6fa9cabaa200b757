"""The remembered chat settings: tolerant reads (hostile files give defaults, fast), atomic
owner-only writes, and environment variables that win."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.settings import (
    MAX_BYTES,
    Settings,
    config_path,
    env_theme,
    load_settings,
    parse_settings,
    save_settings,
    wanted_theme,
)


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "conf" / "config.json"


def test_round_trip_is_atomic_and_owner_only(cfg: Path) -> None:
    assert load_settings(cfg) == Settings()  # no file yet
    path = save_settings(Settings(theme="ansi-dark", panel_shown=False), cfg)
    assert path == cfg
    assert load_settings(cfg) == Settings(theme="ansi-dark", panel_shown=False)
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert stat.S_IMODE(cfg.parent.stat().st_mode) == 0o700
    save_settings(Settings(theme=None, panel_shown=True), cfg)
    assert load_settings(cfg) == Settings(theme=None, panel_shown=True)
    assert [p.name for p in cfg.parent.iterdir()] == ["config.json"], "no temp file left"


def test_config_path_is_the_per_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert config_path() == tmp_path / "anastrozole-assistant" / "config.json"
    assert config_path().name == "config.json"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'"a string"',
        b"null",
        b'{"theme": 7, "panel_shown": "yes"}',
        b'{"theme": ["ansi-dark"], "panel_shown": 1}',
        b'{"theme": "../../etc/passwd", "panel_shown": null}',
        b'{"theme": "' + b"x" * 200 + b'"}',
        b'{"theme": "\\u001b[31mred"}',
        b"[" * 2000 + b"]" * 2000,
        b'{"a":' * 600 + b"1" + b"}" * 600,
    ],
)
def test_damaged_files_give_defaults(cfg: Path, body: bytes) -> None:
    cfg.parent.mkdir(parents=True)
    cfg.write_bytes(body[:MAX_BYTES])
    assert load_settings(cfg) == Settings()


def test_wrong_field_types_keep_the_good_fields() -> None:
    assert parse_settings(b'{"theme": "nord", "panel_shown": "no"}') == Settings(theme="nord")
    assert parse_settings(b'{"theme": 3, "panel_shown": false}') == Settings(panel_shown=False)
    assert parse_settings(b'{"theme": "gruvbox", "extra": {"x": 1}}') == Settings(theme="gruvbox")


def test_large_file_is_not_read(cfg: Path) -> None:
    cfg.parent.mkdir(parents=True)
    with cfg.open("wb") as handle:
        handle.write(b'{"theme": "nord"}')
        handle.write(b" " * (MAX_BYTES + 1))
    assert load_settings(cfg) == Settings()
    with cfg.open("r+b") as handle:  # sparse multi-GB file: still instant
        handle.truncate(8 * 1024**3)
    start = time.monotonic()
    assert load_settings(cfg) == Settings()
    assert time.monotonic() - start < 0.5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_does_not_hang(cfg: Path) -> None:
    cfg.parent.mkdir(parents=True)
    os.mkfifo(cfg)
    result: list[Settings] = []
    thread = threading.Thread(target=lambda: result.append(load_settings(cfg)), daemon=True)
    thread.start()
    thread.join(2)
    assert result == [Settings()], "a FIFO must be ignored at once, not waited on"


def test_devices_directories_and_dangling_links_are_ignored(cfg: Path) -> None:
    cfg.parent.mkdir(parents=True)
    if Path("/dev/zero").exists():
        cfg.symlink_to("/dev/zero")
        assert load_settings(cfg) == Settings()
        cfg.unlink()
    cfg.symlink_to(cfg.parent / "missing")
    assert load_settings(cfg) == Settings()
    cfg.unlink()
    cfg.mkdir()
    assert load_settings(cfg) == Settings()


def test_a_symlinked_regular_file_is_read(cfg: Path, tmp_path: Path) -> None:
    """Dotfile managers link config files; a link to a small regular file is fine."""
    real = tmp_path / "dotfiles.json"
    real.write_text('{"theme": "nord", "panel_shown": true}')
    cfg.parent.mkdir(parents=True)
    cfg.symlink_to(real)
    assert load_settings(cfg) == Settings(theme="nord", panel_shown=True)


def test_unwritable_folder_raises_oserror_and_leaves_no_temp(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OSError):
            save_settings(Settings(theme="nord"), folder / "config.json")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_unwritable_parent_raises_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError):
        save_settings(Settings(theme="nord"), blocker / "sub" / "config.json")


def test_environment_wins() -> None:
    saved = Settings(theme="nord")
    assert wanted_theme(saved, {}) == "nord"
    assert wanted_theme(saved, {"ASSISTANT_THEME": "ansi-light"}) == "ansi-light"
    assert wanted_theme(saved, {"TEXTUAL_THEME": "gruvbox"}) == "gruvbox"
    both = {"ASSISTANT_THEME": "ansi-dark", "TEXTUAL_THEME": "gruvbox"}
    assert wanted_theme(saved, both) == "ansi-dark"
    assert wanted_theme(Settings(), {"ASSISTANT_THEME": "  "}) is None
    assert env_theme({}) is None


def test_no_color_uses_the_terminals_own_colours_unless_a_theme_was_chosen() -> None:
    assert wanted_theme(Settings(), {"NO_COLOR": "1"}) == "ansi-dark"
    assert wanted_theme(Settings(), {"NO_COLOR": ""}) == "ansi-dark"  # set at all counts
    assert wanted_theme(Settings(theme="nord"), {"NO_COLOR": "1"}) == "nord"
    assert wanted_theme(Settings(), {"NO_COLOR": "1", "ASSISTANT_THEME": "gruvbox"}) == "gruvbox"


def test_import_stays_light() -> None:
    code = "import sys, assistant.settings; print('textual' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]
