"""Privacy and odd places: `ask` only reads (no file is created or changed, nothing about the
question or the lab values goes to stderr or a log); the index works from paths with spaces and
non-ASCII characters, falls back to the per-user data folder when the repository is read-only,
and loads from a read-only folder.

Tests run as root in CI, where permission bits do not stop anything. Read-only folders are
therefore checked twice: in this process by replacing every writing primitive with one that
raises PermissionError (a simulation), and in a child process that drops to user `nobody` (a real
check; skipped when the tests do not run as root and chmod alone is used instead).
"""

from __future__ import annotations

import builtins
import io
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import platformdirs
import pytest
from index_tools import built_index_or_skip
from test_offline import run_audited
from typer.testing import CliRunner

from assistant import paths
from assistant.answer import Assistant
from assistant.cli import app
from assistant.embed import FakeEmbedder
from assistant.errors import AssistantError, IndexWriteError
from assistant.index import build as build_module
from assistant.index import build_index, index_status, load_index, query_embedder
from assistant.retrieve import Retriever

ROOT = Path(__file__).resolve().parent.parent
LAB_QUESTION = "My total T was 287.3 ng/dL and E2 41.7 pg/mL. Which group am I in?"
SECRETS = ("287.3", "41.7", "Which group am I in")
ODD_NAME = "My Files ✓ Ärzte 日本語 (copy) 'quoted' $HOME"

runner = CliRunner()


def snapshot(*folders: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under `folders`: (mode, size, mtime_ns)."""
    out = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            st = path.lstat()
            out[str(path)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


# -- ask only reads -------------------------------------------------------------------------------


def test_ask_changes_no_file_under_home_or_repo_data(fake_env: Path, fake_assistant) -> None:
    fake_assistant.ask("warm-up: load lazily imported modules")
    folders = [fake_env, ROOT / "corpus", ROOT / "tests" / "data"]
    if (ROOT / "index").is_dir():
        folders.append(ROOT / "index")
    before = snapshot(*folders)
    for question in (LAB_QUESTION, "I have chest pain", "should I stop taking anastrozole?"):
        fake_assistant.ask(question, ["What is the T/E2 ratio?"])
        result = runner.invoke(app, ["ask", "--json", question])
        assert result.exit_code == 0, result.output
    assert snapshot(*folders) == before


def test_cli_ask_opens_nothing_for_writing(fake_home: Path, tmp_path: Path) -> None:
    """Every open/rename/remove/mkdir/chmod the CLI makes, seen by an audit hook: none writes."""
    seen, result = run_audited(
        [
            ["ask", LAB_QUESTION],
            ["ask", "--json", "--history", "What is the T/E2 ratio?", "and my numbers? T 287.3"],
            ["labs", "T 287.3 ng/dL, E2 41.7 pg/mL"],
            ["ask", "-"],
        ],
        tmp_path,
        fake_home,
        stdin=LAB_QUESTION,
    )
    assert seen["codes"] == [0, 0, 0, 0], result.stderr[-2000:]
    assert seen["writes"] == []
    assert list(tmp_path.iterdir()) == []  # the working directory stays empty too
    for secret in SECRETS:
        assert secret not in result.stderr


def test_real_index_ask_opens_nothing_for_writing(tmp_path: Path) -> None:
    built_index_or_skip()
    seen, result = run_audited([["ask", LAB_QUESTION]], tmp_path, None)
    assert seen["codes"] == [0], result.stderr[-2000:]
    assert seen["writes"] == []
    for secret in SECRETS:
        assert secret not in result.stderr


def test_ask_logs_nothing_about_the_question(
    fake_assistant, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG):
        fake_assistant.ask(LAB_QUESTION, ["T 287.3 before treatment"])
    records = " ".join(r.getMessage() for r in caplog.records)
    out, err = capfd.readouterr()
    for secret in SECRETS:
        assert secret not in records
        assert secret not in err and secret not in out


# -- odd places ---------------------------------------------------------------------------------


@pytest.fixture()
def fake_builder(monkeypatch: pytest.MonkeyPatch) -> None:
    """`assistant index build` with the fake embedder (the real one needs torch: slow)."""
    monkeypatch.setattr(build_module, "_default_embedder", FakeEmbedder)


def test_home_with_spaces_and_unicode_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_builder: None
) -> None:
    home = tmp_path / ODD_NAME / "home dir"
    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    result = runner.invoke(app, ["index", "build"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["index", "status"]).exit_code == 0
    result = runner.invoke(app, ["ask", "--json", "What is an aromatase inhibitor?"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["citations"]
    assert (home / "index" / "CURRENT").is_file()


def test_home_with_tilde_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_builder: None
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / ODD_NAME))
    monkeypatch.setenv("ASSISTANT_HOME", "~/assistant data")
    assert paths.index_dir() == tmp_path / ODD_NAME / "assistant data" / "index"
    assert runner.invoke(app, ["index", "build"]).exit_code == 0
    assert (tmp_path / ODD_NAME / "assistant data" / "index" / "CURRENT").is_file()


def test_home_that_is_a_file_gives_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_builder: None
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("ASSISTANT_HOME", str(not_a_folder))
    for argv, codes in ((["index", "build"], {6}), (["ask", "What is anastrozole?"], {3, 5})):
        result = runner.invoke(app, argv)
        assert result.exit_code in codes, result.output
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_real_index_from_a_home_with_spaces_and_unicode(tmp_path: Path) -> None:
    """The ONNX encoder and tokenizer load from an odd path (a copy of the real built index)."""
    status = built_index_or_skip()
    home = tmp_path / ODD_NAME
    target = home / "index" / "builds" / status.folder.name
    shutil.copytree(status.folder, target)
    shutil.copy(status.folder.parent.parent / "CURRENT", home / "index" / "CURRENT")
    env = {**os.environ, "ASSISTANT_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--json", "What is the T/LH ratio?"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["citations"]
    assert "note:" not in result.stderr  # no fallback to sentence-transformers


@pytest.mark.parametrize("how", ["_writable", "os.access"])
def test_read_only_repo_falls_back_to_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.delenv("ASSISTANT_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / ODD_NAME))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / ODD_NAME / "data"))
    if how == "_writable":
        monkeypatch.setattr(paths, "_writable", lambda folder: False)
    else:
        real_access = os.access
        monkeypatch.setattr(
            paths.os,
            "access",
            lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw),
        )
    expected = platformdirs.user_data_path(paths.APP_NAME) / "index"
    assert paths.index_dir() == expected
    assert str(expected).startswith(str(tmp_path))
    repo_before = snapshot(ROOT / "index") if (ROOT / "index").is_dir() else {}
    assert build_index(FakeEmbedder)[0] == "built"
    assert index_status().state == "current"
    data = load_index()
    assert data.folder.is_relative_to(expected)
    assert Assistant(data, Retriever(data, query_embedder(data))).ask("What is anastrozole?")
    if repo_before:
        assert snapshot(ROOT / "index") == repo_before


def test_writable_repo_index_is_used_when_home_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_HOME", raising=False)
    monkeypatch.setattr(paths, "_writable", lambda folder: True)
    assert paths.index_dir() == paths.PROJECT_ROOT / "index"


# -- read-only index folder ---------------------------------------------------------------------


def deny_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every writing file operation of this process raise PermissionError (a simulation of
    a read-only folder: root ignores permission bits). Returns the list of refused attempts."""
    refused: list[str] = []
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def deny(what: str):
        refused.append(what)
        raise PermissionError(13, "Permission denied (read-only simulation)", what)

    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            deny(f"open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & write_flags:
            deny(f"os.open({path!r})")
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    for name in ("mkdir", "makedirs", "replace", "rename", "remove", "unlink", "rmdir", "chmod"):
        monkeypatch.setattr(os, name, lambda *a, _n=name, **k: deny(f"os.{_n}{a}"))
    for name in ("mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, lambda *a, _n=name, **k: deny(f"tempfile.{_n}"))
    return refused


def test_loading_and_asking_need_no_write_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "index"
    build_index(FakeEmbedder, root=root)
    refused = deny_writes(monkeypatch)
    assert index_status(root).state == "current"
    data = load_index(root)
    assistant = Assistant(data, Retriever(data, query_embedder(data)))
    assert assistant.ask(LAB_QUESTION).text
    assert assistant.ask("What is the T/LH ratio?").citations
    # A current index is recognised before the build lock is taken: nothing to write.
    assert build_index(FakeEmbedder, root=root)[0] == "up to date"
    assert refused == []
    with pytest.raises(IndexWriteError) as info:
        build_index(FakeEmbedder, root=root, force=True)
    assert "\n" not in str(info.value)
    assert refused
    monkeypatch.undo()
    assert index_status(root).state == "current"


READ_ONLY_CHILD = r"""
import json, os, sys
from pathlib import Path
# Import everything `ask` needs first: as `nobody`, the interpreter's own folders may be closed.
import numpy, faiss
import assistant.cli, assistant.answer, assistant.index, assistant.retrieve, assistant.render
import assistant.lab_answers, assistant.query, assistant.lexical, assistant.faiss_flat
try:
    import assistant.labs
except ImportError:
    pass
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
from assistant.answer import Assistant
from assistant.index import index_status, load_index, query_embedder
from assistant.retrieve import Retriever
root = Path(sys.argv[1])
status = index_status(root)
index = load_index(root)
answer = Assistant(index, Retriever(index, query_embedder(index))).ask("What is anastrozole?")
print(json.dumps({"uid": os.geteuid(), "state": status.state, "cited": len(answer.citations)}))
"""


def test_read_only_index_really_loads_as_another_user() -> None:
    """A real check: the index folder and files lose every write bit; as root the child becomes
    `nobody`, who owns nothing there (an admin-built, shared index read by a plain user)."""
    if os.umask(0o022) & 0o044:  # os.umask both sets and returns; restored below
        pytest.skip("a restrictive umask makes index files unreadable to other users by design")
    os.umask(os.umask(0o022))
    base = Path(tempfile.mkdtemp(prefix="assistant-ro-"))
    try:
        base.chmod(0o755)
        root = base / ODD_NAME / "index"
        root.parent.mkdir()
        root.parent.chmod(0o755)
        build_index(FakeEmbedder, root=root)
        for path in [root, *root.rglob("*")]:
            mode = path.lstat().st_mode
            path.chmod(stat.S_IMODE(mode) & ~0o222)
        result = subprocess.run(
            [sys.executable, "-c", READ_ONLY_CHILD, str(root)],
            cwd="/",
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        report = json.loads(result.stdout)
        assert report["state"] == "current" and report["cited"] >= 1
        assert report["uid"] == (65534 if os.geteuid() == 0 else os.geteuid())
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_index_files_are_readable_by_other_users(tmp_path: Path) -> None:
    """mkstemp and mkdtemp make owner-only files; the build opens them up on purpose."""
    root = tmp_path / "index"
    build_index(FakeEmbedder, root=root)
    assert stat.S_IMODE((root / "CURRENT").stat().st_mode) & 0o044 == 0o044
    folder = load_index(root).folder
    assert stat.S_IMODE(folder.stat().st_mode) & 0o055 == 0o055


def test_one_line_error_for_an_unreadable_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "index"
    build_index(FakeEmbedder, root=root)
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if os.path.basename(path) == "CURRENT":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(AssistantError) as info:
        load_index(root)
    assert "Permission denied" in str(info.value) and "\n" not in str(info.value)


READ_ONLY_BUILD_CHILD = r"""
import os, sys
import assistant.cli, assistant.index, assistant.index.build, assistant.index.load, filelock
import assistant.index.build as build
from assistant.embed import FakeEmbedder
build._default_embedder = FakeEmbedder  # only reached if the index is not recognised as current
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
sys.argv = ["assistant", "index", "build"]
assistant.cli.main()
"""


def test_build_on_a_current_read_only_index_is_up_to_date(tmp_path: Path) -> None:
    """`index build` on an admin-built, read-only, current index: "up to date", exit 0 (it used
    to take the build lock first and fail with exit 6). A real check as `nobody` under root."""
    if os.umask(0o022) & 0o044:
        pytest.skip("a restrictive umask makes index files unreadable to other users by design")
    os.umask(os.umask(0o022))
    base = Path(tempfile.mkdtemp(prefix="assistant-ro-build-"))
    try:
        base.chmod(0o755)
        root = base / "index"
        build_index(FakeEmbedder, root=root)
        (root / ".lock").unlink(missing_ok=True)  # a fresh reader could not create it either
        for path in [root, *root.rglob("*")]:
            path.chmod(stat.S_IMODE(path.lstat().st_mode) & ~0o222)
        result = subprocess.run(
            [sys.executable, "-c", READ_ONLY_BUILD_CHILD],
            cwd="/",
            env={**os.environ, "ASSISTANT_HOME": str(base), "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert "index up to date" in result.stderr
        assert not (root / ".lock").exists()
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# -- nothing written under HOME or the XDG folders ------------------------------------------------

XDG_FOLDERS = (
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
    "XDG_DATA_DIRS",
    "XDG_CONFIG_DIRS",
)

CHAT_CHILD = r"""
import asyncio, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from test_tui import ask, settle
from assistant.tui.app import make_app, wait_for_background_threads

async def main() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.state == "ready", app.load_error
        turn = await ask(app, pilot, "What is the T/LH ratio?")
        assert turn.answer is not None and turn.answer.citations, turn.answer

asyncio.run(main())
wait_for_background_threads()
print("chat answered")
"""


def isolated_env(base: Path) -> dict[str, str]:
    """HOME, every XDG folder, TMPDIR and ASSISTANT_HOME pointed at empty folders under `base`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ORT_"))}
    folders = {"HOME": base / "home", "TMPDIR": base / "tmp", "ASSISTANT_HOME": base / "app"}
    folders |= {name: base / name.lower() for name in XDG_FOLDERS}
    for folder in folders.values():
        folder.mkdir(parents=True)
    env |= {name: str(folder) for name, folder in folders.items()}
    return env | {"PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}


def written(base: Path, allowed: Path) -> list[str]:
    """Every file or folder under `base` that is not one of the empty folders made by
    isolated_env, nor inside `allowed`."""
    made = {base / "home", base / "tmp", base / "app"} | {base / n.lower() for n in XDG_FOLDERS}
    return sorted(
        str(p.relative_to(base))
        for p in base.rglob("*")
        if p not in made and not p.is_relative_to(allowed)
    )


def run_module(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=env["HOME"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


QUERY_COMMANDS = (
    ("ask", "What is the T/LH ratio?"),
    ("ask", "--json", "My estrogen is normal. Is there any point in me trying anastrozole?"),
    ("labs", "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"),
    ("index", "status"),
)


def _chat(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHAT_CHILD, str(ROOT / "tests")],
        cwd=env["HOME"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and "chat answered" in done.stdout, done.stderr[-3000:]


@pytest.mark.model
def test_build_ask_labs_and_chat_write_nothing_under_home(tmp_path: Path) -> None:
    """With the real model and its ONNX encoder: onnxruntime used to write a device id and an
    event database under ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ on every session."""
    env = isolated_env(tmp_path)
    index = Path(env["ASSISTANT_HOME"]) / "index"
    run_module(env, "index", "build")
    assert (index / "CURRENT").is_file()
    # torch may leave an empty cache folder in TMPDIR while building; queries must leave nothing.
    shutil.rmtree(env["TMPDIR"])
    os.mkdir(env["TMPDIR"])
    assert written(tmp_path, index) == []
    for args in QUERY_COMMANDS:
        assert run_module(env, *args)
    _chat(env)
    assert written(tmp_path, index) == []
    assert sorted(p.name for p in Path(env["ASSISTANT_HOME"]).iterdir()) == ["index"]


def test_queries_on_a_fake_index_write_nothing_under_home(tmp_path: Path, fake_home: Path) -> None:
    env = isolated_env(tmp_path)
    index = Path(env["ASSISTANT_HOME"]) / "index"
    shutil.copytree(fake_home / "index", index)
    for args in QUERY_COMMANDS:
        assert run_module(env, *args)
    assert written(tmp_path, index) == []
