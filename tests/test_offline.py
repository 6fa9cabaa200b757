"""No network, ever: building, asking (fake and real ONNX index), lab parsing and loading the
sentence-transformers model never open a connection or resolve a host name.

Two layers: in this process, socket connect/resolve functions are replaced by ones that record
and refuse; in a child process running the real CLI, a `sys.addaudithook` hook records every
socket, urllib and http.client event (it sees calls from any Python code, including libraries
that bypass the patched functions). The child also shows that the package sets the Hugging Face
offline variables itself: it starts with none of them set.

Native code that opens sockets without Python (none is known here) is outside both layers.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from index_tools import built_index_or_skip

from assistant.embed import FakeEmbedder
from assistant.errors import AssistantError
from assistant.index import build_index, load_index, query_embedder

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_KEYS = (
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "HF_DATASETS_OFFLINE",
    "ORT_DISABLE_TELEMETRY",  # onnxruntime's telemetry (see tests/test_privacy_paths.py)
)
NETWORK_EVENTS = (
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "socket.sendmsg",
    "urllib.Request",
    "http.client.connect",
)

# Runs CLI commands in one interpreter with an audit hook; writes what it saw to $AUDIT_OUT.
AUDIT_CHILD = r"""
import json, os, sys
NET = set(json.loads(os.environ["AUDIT_NET"]))
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGE = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown",
          "os.truncate", "os.utime", "os.link", "os.symlink", "shutil.rmtree", "shutil.copyfile",
          "shutil.move", "tempfile.mkstemp", "tempfile.mkdtemp", "os.replace"}
seen = {"network": [], "writes": []}
def hook(event, args):
    if event in NET:
        seen["network"].append([event, repr(args)[:300]])
    elif event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS)
        if writing and "__pycache__" not in str(path):
            seen["writes"].append([event, str(path)])
    elif event in CHANGE:
        if "__pycache__" not in repr(args):
            seen["writes"].append([event, repr(args)[:300]])
sys.addaudithook(hook)
from assistant.cli import main
codes = []
for argv in json.loads(sys.argv[1]):
    sys.argv = ["assistant", *argv]
    try:
        main()
        codes.append(0)
    except SystemExit as exc:
        codes.append(exc.code or 0)
env = {k: os.environ.get(k) for k in json.loads(os.environ["AUDIT_KEYS"])}
payload = json.dumps({"codes": codes, "env": env, **seen})  # before opening the report
with open(os.environ["AUDIT_OUT"], "w") as out:
    out.write(payload)
"""


def run_audited(
    commands: list[list[str]], tmp_path: Path, home: Path | None, stdin: str = ""
) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """Run CLI commands in a child with no HF_* variables set; returns (what it saw, result)."""
    report = tmp_path / f"audit-{len(list(tmp_path.glob('audit-*')))}.json"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HF_", "TRANSFORMERS_", "ORT_", "ASSISTANT_HOME"))
    }
    env.update(
        AUDIT_OUT=str(report),
        AUDIT_NET=json.dumps(NETWORK_EVENTS),
        AUDIT_KEYS=json.dumps(OFFLINE_KEYS),
        NO_COLOR="1",
        COLUMNS="100",
    )
    if home is not None:
        env["ASSISTANT_HOME"] = str(home)
    result = subprocess.run(
        [sys.executable, "-c", AUDIT_CHILD, json.dumps(commands)],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.exists(), result.stderr[-3000:]
    seen = json.loads(report.read_text())
    report.unlink()
    return seen, result


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to connect or resolve is recorded, then refused."""
    attempts: list[str] = []

    def refuse(name: str):
        def refused(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name.startswith('socket.socket') else args}")
            raise OSError(101, f"network is unreachable (test forbids {name})")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("socket.gethostbyname"))
    return attempts


def test_fake_build_and_ask_make_no_connection(no_network: list[str], tmp_path: Path) -> None:
    from assistant.answer import Assistant
    from assistant.retrieve import Retriever

    build_index(FakeEmbedder, root=tmp_path / "index")
    index = load_index(tmp_path / "index")
    assistant = Assistant(index, Retriever(index, query_embedder(index)))
    for question in ("What is anastrozole?", "I have chest pain", "T 300 ng/dL, E2 40 pg/mL"):
        assert assistant.ask(question).text
    assert no_network == []


def test_labs_make_no_connection(no_network: list[str]) -> None:
    try:
        from assistant.labs import analyse, render_text
    except ImportError:
        pytest.skip("assistant.labs is not available yet")
    render_text(analyse("T 9.4 nmol/L, E2 118 pmol/L, LH 2.1 IU/L, BMI 31, 5 million/mL"))
    assert no_network == []


def test_real_onnx_query_path_makes_no_connection(no_network: list[str]) -> None:
    """The real index, the ONNX encoder and a whole ask: what `assistant ask` does."""
    built_index_or_skip()
    from assistant.answer import Assistant

    index = load_index()
    embedder = query_embedder(index)
    assert embedder.encode(["anastrozole and estradiol"]).shape == (1, index.manifest.dim)
    assistant = Assistant.load()
    answer = assistant.ask("What is the T/E2 ratio?")
    assert answer.citations and not answer.abstained
    assert no_network == []
    for key in OFFLINE_KEYS:
        assert os.environ.get(key) == "1"


@pytest.mark.model
def test_sentence_transformers_model_loads_without_network(no_network: list[str]) -> None:
    from assistant.embed import SentenceTransformerEmbedder

    try:
        embedder = SentenceTransformerEmbedder()
    except AssistantError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(exc))
    assert embedder.encode(["estradiol"]).shape == (1, embedder.dim)
    assert no_network == []
    import huggingface_hub.constants

    assert huggingface_hub.constants.HF_HUB_OFFLINE


def test_importing_the_package_sets_the_offline_variables(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_", "ORT_"))
    }
    code = (
        "import json, os; import assistant.index, assistant.answer; "
        f"print(json.dumps({{k: os.environ.get(k) for k in {list(OFFLINE_KEYS)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == dict.fromkeys(OFFLINE_KEYS, "1")


def test_cli_on_a_fake_index_makes_no_network_call(fake_home: Path, tmp_path: Path) -> None:
    seen, result = run_audited(
        [
            ["ask", "--json", "What is an aromatase inhibitor?"],
            ["ask", "I have chest pain. T 300 ng/dL, E2 40 pg/mL"],
            ["labs", "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"],
            ["index", "status"],
        ],
        tmp_path,
        fake_home,
    )
    assert seen["codes"] == [0, 0, 0, 0], result.stderr[-2000:]
    assert seen["network"] == []
    assert seen["env"] == dict.fromkeys(OFFLINE_KEYS, "1")


def test_cli_on_the_real_index_makes_no_network_call(tmp_path: Path) -> None:
    built_index_or_skip()
    seen, result = run_audited(
        [["ask", "--json", "How long until semen parameters change?"]], tmp_path, None
    )
    assert seen["codes"] == [0], result.stderr[-2000:]
    assert json.loads(result.stdout)["citations"]
    assert seen["network"] == []
    assert seen["env"] == dict.fromkeys(OFFLINE_KEYS, "1")


async def test_chat_start_up_and_first_answer_make_no_connection(
    no_network: list[str], tmp_path: Path
) -> None:
    """The chat loads the real index in its worker and answers, with sockets refused."""
    built_index_or_skip()
    from test_tui import ask, settle

    from assistant.tui.app import make_app

    app = make_app(export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.state == "ready", app.load_error
        turn = await ask(app, pilot, "What is the T/LH ratio?")
        assert turn.answer is not None and turn.answer.citations
    assert no_network == []
