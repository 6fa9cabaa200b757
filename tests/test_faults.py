"""Index faults beyond tests/test_index.py: builds killed with SIGKILL, two builds at once, readers
during a rebuild, files swapped in from another build, full disks and failing writes.

Builds use the fake embedder, so a whole build takes milliseconds; the kill tests slow a child
build down with pauses around each step (see CHILD_BUILD) and kill it at every step and at a few
seeded random moments. Every child process is killed and reaped by the test that started it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from index_tools import (
    built_index_or_skip,
    current_build,
    edited_manifest,
    run_cli,
    write_manifest,
)

from assistant.answer import Assistant
from assistant.embed import FakeEmbedder
from assistant.errors import AssistantError, IndexCorruptError, IndexStaleError, IndexWriteError
from assistant.index import build as build_module
from assistant.index import build_index, index_status, load_index, query_embedder
from assistant.retrieve import Retriever

ROOT = Path(__file__).resolve().parent.parent

# A child build that announces each step on stdout ("> name" before, "< name" after) and pauses
# after each announcement, so the parent can SIGKILL it between or inside any two steps.
CHILD_BUILD = r"""
import functools, json, os, shutil, sys, time
from pathlib import Path
import assistant.index.build as ix
from assistant.embed import FakeEmbedder

root, dim, pause, builds, log = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), \
    int(sys.argv[4]), sys.argv[5]

def announce(name, fn):
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        print(">", name, flush=True)
        time.sleep(pause)
        try:
            return fn(*args, **kwargs)
        finally:
            print("<", name, flush=True)
            time.sleep(pause)
    return wrapped

if pause:
    for name in ("_build_into", "_write_faiss", "write_current", "prune", "_write_bytes"):
        if hasattr(ix, name):
            setattr(ix, name, announce(name, getattr(ix, name)))
    os.replace = announce("os.replace", os.replace)
    shutil.rmtree = announce("shutil.rmtree", shutil.rmtree)

if log:
    inner = ix._build_into
    def logged(*args, **kwargs):
        with open(log, "a") as handle:
            handle.write(json.dumps(["start", os.getpid(), time.monotonic()]) + "\n")
        try:
            return inner(*args, **kwargs)
        finally:
            with open(log, "a") as handle:
                handle.write(json.dumps(["end", os.getpid(), time.monotonic()]) + "\n")
    ix._build_into = logged

dims = [dim] if builds == 1 else [int(d) for d in os.environ["FAULT_DIMS"].split(",")][:builds]
for d in dims:
    ix.build_index(lambda: FakeEmbedder(d), root=root, force=True)
print("= built", flush=True)
"""


def _child(
    root: Path,
    *,
    dim: int = 64,
    pause: float = 0.0,
    builds: int = 1,
    log: Path | None = None,
    dims: list[int] | None = None,
) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ASSISTANT_HOME", None)
    if dims:
        env["FAULT_DIMS"] = ",".join(map(str, dims))
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD_BUILD,
            str(root),
            str(dim),
            str(pause),
            str(builds),
            str(log or ""),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _reap(proc: subprocess.Popen[str]) -> None:
    """Kill (if still running) and wait for one child we started."""
    if proc.poll() is None:
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=30)


def _lines(proc: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The child's stdout lines, read by a thread so the parent can wait with a timeout."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def current_key(root: Path) -> str:
    return json.loads((root / "CURRENT").read_text())["build"]


def assert_usable(root: Path) -> None:
    status = index_status(root)
    assert status.state == "current", status.detail
    data = load_index(root)
    assert data.passage_vectors.shape == (len(data.passages), data.manifest.dim)
    assert data.sentence_vectors.shape == (len(data.sentences), data.manifest.dim)
    answer = Assistant(data, Retriever(data, query_embedder(data))).ask("What is anastrozole?")
    assert answer.text


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "index"
    build_index(FakeEmbedder, root=root)
    return root


@pytest.fixture()
def root(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(template, target)
    return target


@pytest.fixture(scope="module")
def markers(template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The step announcements of one complete slowed-down build (the kill points)."""
    target = tmp_path_factory.mktemp("dry") / "index"
    shutil.copytree(template, target)
    proc = _child(target, pause=0.001)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    steps = [line for line in out.splitlines() if line[:1] in "<>"]
    assert "> _build_into" in steps and "> os.replace" in steps
    return steps


def kill_points(steps: list[str]) -> list[int]:
    """Indexes of the announcements that mark distinct states: before every step, and after the
    last (the state after one step is the state before the next)."""
    return [i for i, step in enumerate(steps) if step[:1] == ">"] + [len(steps) - 1]


KILL_PAUSE = 0.01


def _kill_at(root: Path, dim: int, marker_index: int | None, delay: float) -> str:
    """Start a slowed build; SIGKILL it at the marker_index-th announcement (or after `delay`
    seconds from the start when marker_index is None). Returns the last step seen."""
    proc = _child(root, dim=dim, pause=KILL_PAUSE)
    seen = "(start)"
    try:
        lines = _lines(proc)
        if marker_index is None:
            deadline = time.monotonic() + delay
            while (left := deadline - time.monotonic()) > 0:
                try:
                    line = lines.get(timeout=left)
                except queue.Empty:
                    break
                if line is None:
                    break
                seen = line
        else:
            count = -1
            while count < marker_index:
                line = lines.get(timeout=30)
                if line is None:
                    break
                if line[:1] in "<>":
                    count += 1
                seen = line
        proc.send_signal(signal.SIGKILL)
    finally:
        _reap(proc)
    return seen


def _kill_at_every_step(root: Path, markers: list[str], dim: int) -> list[str]:
    failures = []
    for i in kill_points(markers):
        seen = _kill_at(root, dim, i, 0.0)
        try:
            assert_usable(root)
        except (AssertionError, AssistantError) as exc:
            failures.append(f"dim {dim}, killed after {seen!r}: {exc}")
            build_index(FakeEmbedder, root=root, force=True)  # repair for the next kill point
    # Whatever was left behind (temporary folders, the lock) does not block the next build.
    assert build_index(FakeEmbedder, root=root, force=True)[0] == "built"
    assert_usable(root)
    assert not list((root / "builds").glob(".tmp-*"))
    return failures


def test_sigkill_at_every_build_step_leaves_a_usable_index(
    root: Path, tmp_path: Path, markers: list[str]
) -> None:
    """Dim 64 rebuilds the very build CURRENT points at (same key); dim 32 makes a new one.
    The two series run side by side (each in its own folder) to halve the wall time."""
    other = tmp_path / "other"
    shutil.copytree(root, other)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [
            pool.submit(_kill_at_every_step, r, markers, d) for r, d in ((root, 64), (other, 32))
        ]
        failures = [line for run in runs for line in run.result()]
    assert not failures, "\n".join(failures)


def test_sigkill_at_random_moments_leaves_a_usable_index(root: Path, markers: list[str]) -> None:
    rng = random.Random(20240607)
    span = KILL_PAUSE * len(markers) + 0.3  # child start-up plus every pause
    failures = []
    for _ in range(6):
        delay = rng.uniform(0.0, span)
        seen = _kill_at(root, rng.choice([64, 32]), None, delay)
        try:
            assert_usable(root)
        except (AssertionError, AssistantError) as exc:
            failures.append(f"killed {delay:.3f}s in, after {seen!r}: {exc}")
            build_index(FakeEmbedder, root=root, force=True)
    assert not failures, "\n".join(failures)


def test_two_builds_at_once_take_turns(root: Path, tmp_path: Path) -> None:
    log = tmp_path / "builds.log"
    procs = [_child(root, dim=d, pause=0.005, log=log) for d in (64, 32)]
    try:
        results = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            _reap(p)
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    events = [json.loads(line) for line in log.read_text().splitlines()]
    spans: dict[int, list[float]] = {}
    for kind, pid, at in events:
        spans.setdefault(pid, []).append(at)
        assert kind in ("start", "end")
    (_, first_end), (second_start, _) = sorted(spans.values())
    assert first_end <= second_start, "the two builds overlapped: the build lock did not hold"
    assert_usable(root)
    assert not list((root / "builds").glob(".tmp-*"))


def test_readers_during_rebuilds_see_a_whole_index(root: Path) -> None:
    """A child rebuilds again and again (same key and new keys mixed) while this process loads,
    checks and queries the index in a loop: every load is one complete build."""
    rng = random.Random(7)
    dims = [rng.choice([64, 64, 32]) for _ in range(25)]
    proc = _child(root, builds=len(dims), dims=dims)
    loads, errors = 0, []
    try:
        while proc.poll() is None:
            try:
                data = load_index(root)
                dim = int(data.manifest.dim)
                assert data.passage_vectors.shape == (len(data.passages), dim)
                assert data.sentence_vectors.shape == (len(data.sentences), dim)
                assistant = Assistant(data, Retriever(data, query_embedder(data)))
                assert assistant.ask("What is the T/E2 ratio?").citations
                assert index_status(root).state == "current"
                loads += 1
            except (AssertionError, AssistantError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    finally:
        _reap(proc)
    assert not errors, f"{len(errors)} of {loads + len(errors)} loads failed: {errors[:3]}"
    assert loads >= 5
    assert_usable(root)


# -- files swapped in from another build --------------------------------------------------------


@pytest.fixture(scope="module")
def donors(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Complete builds that differ from `template`: another vector size, another corpus."""
    base = tmp_path_factory.mktemp("donors")
    other_dim = base / "dim32"
    build_index(lambda: FakeEmbedder(32), root=other_dim)
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    with (corpus / "article.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nA closing paragraph that the other build does not have.\n")
    other_corpus = base / "corpus-index"
    env = {**os.environ, "ASSISTANT_CORPUS": str(corpus), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        [sys.executable, "-c", CHILD_BUILD, str(other_corpus), "64", "0", "1", ""],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return {
        "dim32": other_dim / "builds" / current_key(other_dim),
        "corpus": other_corpus / "builds" / current_key(other_corpus),
    }


@pytest.mark.parametrize(
    "donor,name",
    [
        (donor, name)
        for donor in ("dim32", "corpus")
        for name in ("passages.faiss", "sentences.faiss", "passages.json", "manifest.json")
        if (donor, name) != ("dim32", "passages.json")  # the same corpus gives the same passages
    ],
)
def test_file_swapped_in_from_another_build_is_detected(
    root: Path, donors: dict[str, Path], donor: str, name: str
) -> None:
    source = donors[donor] / name
    target = root / "builds" / current_key(root) / name
    assert source.read_bytes() != target.read_bytes()
    shutil.copyfile(source, target)
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError):
        load_index(root)


def test_whole_build_swapped_under_the_pointer_is_corrupt(
    root: Path, donors: dict[str, Path]
) -> None:
    """CURRENT records its manifest's checksum: another build's folder under its name is caught
    before any reasoning about staleness."""
    folder = root / "builds" / current_key(root)
    shutil.rmtree(folder)
    shutil.copytree(donors["corpus"], folder)
    status = index_status(root)
    assert status.state == "corrupt" and "checksum" in status.detail
    with pytest.raises(IndexCorruptError, match="checksum"):
        load_index(root)


def test_whole_index_from_another_corpus_is_stale(root: Path, donors: dict[str, Path]) -> None:
    other = donors["corpus"].parent.parent
    shutil.rmtree(root)
    shutil.copytree(other, root)
    assert index_status(root).state == "stale"
    with pytest.raises(IndexStaleError, match="corpus changed"):
        load_index(root)


@pytest.mark.parametrize(
    "pointer",
    ['{"build": "../../etc"}', '{"build": ""}', '{"build": ".tmp-x"}', "[1]", '{"build": 7}'],
)
def test_pointer_outside_the_builds_folder_is_refused(root: Path, pointer: str) -> None:
    (root / "CURRENT").write_text(pointer)
    assert index_status(root).state in ("corrupt", "missing")
    with pytest.raises(AssistantError):
        load_index(root)


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.pop("files"),
        lambda m: m.__setitem__("files", []),
        lambda m: m["files"].pop("passages.faiss"),
        lambda m: m["files"].__setitem__("passages.json", "x"),
        lambda m: m.pop("model"),
        lambda m: m.__setitem__("model", "fake"),
        lambda m: m.__setitem__("dim", "sixty-four"),
        lambda m: m.__setitem__("counts", None),
    ],
    ids=[
        "no-files",
        "files-list",
        "file-missing",
        "meta-str",
        "no-model",
        "model-str",
        "dim",
        "counts",
    ],
)
def test_damaged_but_valid_json_manifest_is_corrupt(root: Path, edit) -> None:
    """Caught twice: by the pointer's checksum, and (re-pointed) by the manifest's validation."""
    path = root / "builds" / current_key(root) / "manifest.json"
    data = edited_manifest(root, edit)
    path.write_bytes(data)
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError, match="checksum"):
        load_index(root)
    write_manifest(root, data)
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError, match="damaged"):
        load_index(root)


# -- hostile files: FIFOs, devices, huge files, symlinks out, crafted manifests -------------------

QUESTION = "What is anastrozole?"
QUICK = 20.0  # seconds: generous for a loaded machine; a hang is what this catches


def _assert_exit(result: tuple[int, str, str, float], code: int) -> str:
    """The exit code, quickly, with one line of explanation (stderr; `index status` says why
    on stdout) and no traceback. Returns that line."""
    got, out, err, seconds = result
    assert got == code, (out + err)[-2000:]
    assert "Traceback" not in out + err, out + err
    lines = err.splitlines() or out.splitlines()
    assert len(lines) == 1 or lines[-2].startswith("  "), out + err  # progress lines may lead
    assert lines[-1].startswith("error: ") or not err
    assert seconds < QUICK
    return lines[-1]


def _replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@needs_fifo
@pytest.mark.parametrize("command", [["ask", QUESTION], ["index", "status"]], ids=["ask", "status"])
@pytest.mark.parametrize(
    "name", ["CURRENT", "manifest.json", "passages.json", "sentences.faiss", "banks.json"]
)
def test_fifo_in_place_of_an_index_file_exits_5_quickly(
    root: Path, name: str, command: list[str]
) -> None:
    """Opening a FIFO for reading blocks until a writer comes: it used to hang `ask` for ever."""
    _replace_with_fifo(root / name if name == "CURRENT" else current_build(root) / name)
    _assert_exit(run_cli(command, root.parent), 5)


FAKE_BUILD = r"""
import sys
from pathlib import Path
from assistant.embed import FakeEmbedder
from assistant.index import build_index
print(build_index(FakeEmbedder, root=Path(sys.argv[1]))[0])
"""


@needs_fifo
def test_build_replaces_a_fifo_pointer(root: Path) -> None:
    """The status check, the lock and the previous-build lookup all read CURRENT: none hangs."""
    _replace_with_fifo(root / "CURRENT")
    done = subprocess.run(
        [sys.executable, "-c", FAKE_BUILD, str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=QUICK,
    )
    assert done.returncode == 0 and done.stdout.strip() == "built", done.stderr
    assert_usable(root)


def _huge_sparse_file(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(5 << 30)  # 5 GiB of holes: costs no disk, would cost memory to read
    return path


@pytest.mark.parametrize("where", ["dev-zero", "sparse-5g-inside", "sparse-5g-outside"])
@pytest.mark.parametrize("name", ["CURRENT", "manifest.json"])
def test_pointer_or_manifest_linked_to_a_device_or_a_huge_file(
    root: Path, tmp_path: Path, name: str, where: str
) -> None:
    """Symlinks out of the index are refused; inside it, the size is checked before reading."""
    path = root / name if name == "CURRENT" else current_build(root) / name
    if where == "dev-zero":
        target = Path("/dev/zero")
        if not target.exists():
            pytest.skip("no /dev/zero")
    else:
        target = _huge_sparse_file((path.parent if "inside" in where else tmp_path) / "huge")
    path.unlink()
    path.symlink_to(target)
    err = _assert_exit(run_cli(["ask", QUESTION], root.parent), 5)
    assert ("larger than" if "inside" in where else "outside") in err
    _assert_exit(run_cli(["index", "status"], root.parent), 5)


@pytest.mark.parametrize("where", ["dev-zero", "sparse-5g-inside", "outside"])
@pytest.mark.parametrize("name", ["passages.json", "passages.faiss", "safety.faiss", "banks.json"])
def test_data_file_linked_to_a_device_or_a_huge_file(
    root: Path, tmp_path: Path, name: str, where: str
) -> None:
    path = current_build(root) / name
    if where == "dev-zero":
        target = Path("/dev/zero")
    elif where == "outside":
        target = tmp_path / name
        shutil.copyfile(path, target)  # the very same bytes, but outside the build
    else:
        target = _huge_sparse_file(path.parent / "huge")
    path.unlink()
    path.symlink_to(target)
    assert index_status(root).state == "corrupt"
    with pytest.raises(IndexCorruptError):
        load_index(root)


def test_bit_flipped_manifest_exits_5_not_4(root: Path) -> None:
    """A flipped bit in the manifest's corpus hash used to read as "stale" (exit 4)."""
    path = current_build(root) / "manifest.json"
    data = bytearray(path.read_bytes())
    spot = data.index(b'"corpus_hash": "') + len('"corpus_hash": "') + 3
    data[spot] ^= 0x01
    path.write_bytes(bytes(data))
    err = _assert_exit(run_cli(["ask", QUESTION], root.parent), 5)
    assert "checksum" in err
    _assert_exit(run_cli(["index", "status"], root.parent), 5)


@pytest.mark.parametrize("folder", ["../x", "/tmp", "onnx/../../x"])
def test_encoder_folder_outside_the_build_exits_5(root: Path, folder: str) -> None:
    def point_outside(manifest: dict) -> None:
        manifest["query_encoder"] = {"dir": folder}
        manifest["files"][f"{folder}/model.onnx"] = manifest["files"]["passages.json"]

    write_manifest(root, edited_manifest(root, point_outside))
    _assert_exit(run_cli(["ask", QUESTION], root.parent), 5)


def test_encoder_folder_linked_outside_the_build_is_corrupt(root: Path, tmp_path: Path) -> None:
    """A plain name is not enough: after resolving symlinks, files must be inside the build."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "onnx_encoder.json").write_text("{}")
    (current_build(root) / "onnx").symlink_to(elsewhere)
    entry = {"sha256": hashlib.sha256(b"{}").hexdigest(), "size": 2}

    def with_encoder(manifest: dict) -> None:
        manifest["query_encoder"] = {"dir": "onnx"}
        manifest["files"]["onnx/onnx_encoder.json"] = entry

    write_manifest(root, edited_manifest(root, with_encoder))
    with pytest.raises(IndexCorruptError, match="outside"):
        load_index(root)
    _assert_exit(run_cli(["ask", QUESTION], root.parent), 5)


def _as_real_model(manifest: dict) -> None:
    manifest["model"] = {"name": "some-model", "fingerprint": "f" * 64, "path": None, "stat": None}


@pytest.mark.parametrize("model", ["missing", "not-a-model"])
def test_missing_or_invalid_model_folder_exits_7(root: Path, tmp_path: Path, model: str) -> None:
    """ASSISTANT_MODEL pointing nowhere used to read as a stale index (exit 4)."""
    write_manifest(root, edited_manifest(root, _as_real_model))
    folder = tmp_path / "model"
    if model == "not-a-model":
        folder.mkdir()
        (folder / "weights.bin").write_text("x")
    env = {"ASSISTANT_MODEL": str(folder)}
    for command in (["ask", QUESTION], ["index", "status"], ["index", "build"]):
        err = _assert_exit(run_cli(command, root.parent, **env), 7)
        assert "ASSISTANT_MODEL" in err
    empty = tmp_path / "empty-home"
    _assert_exit(run_cli(["index", "build"], empty, **env), 7)
    assert not (empty / "index" / "builds").exists()


def test_another_installed_model_is_still_stale(root: Path) -> None:
    write_manifest(root, edited_manifest(root, _as_real_model))
    err = _assert_exit(run_cli(["ask", QUESTION], root.parent), 4)
    assert "model changed" in err


# -- full disk and failing writes -----------------------------------------------------------------


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, root: Path) -> int:
    calls = 0
    real = getattr(owner, name)

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(owner, name, counting)
        build_index(FakeEmbedder, root=root, force=True)
    return calls


def _fail_nth(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, n: int) -> None:
    calls = 0
    real = getattr(owner, name)

    def failing(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == n:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)


@pytest.mark.parametrize(
    "owner,name",
    [(os, "fsync"), (os, "replace"), (build_module.tempfile, "mkdtemp"), (os, "mkdir")],
    ids=["fsync", "replace", "mkdtemp", "mkdir"],
)
def test_full_disk_at_every_write_keeps_the_old_index(
    root: Path, monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> None:
    """The disk fills up at the n-th call of a writing primitive, for every n a build makes."""
    total = _count_calls(monkeypatch, owner, name, root)
    failed = 0
    for n in range(1, total + 1):
        before = (root / "CURRENT").read_bytes()
        with monkeypatch.context() as patch:
            _fail_nth(patch, owner, name, n)
            try:
                build_index(FakeEmbedder, root=root, force=True)
            except IndexWriteError as exc:
                failed += 1
                assert "disk full" in str(exc) and "\n" not in str(exc)
                assert (root / "CURRENT").read_bytes() == before
        assert_usable(root)
        assert not list((root / "builds").glob(".tmp-*"))
        assert not list(root.glob(".CURRENT.*"))
    assert failed >= 1 or name == "mkdir"


CHILD_FSIZE = r"""
import resource, signal, sys
from pathlib import Path
import assistant.index.build as ix
from assistant.embed import FakeEmbedder
from assistant.errors import IndexWriteError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    ix.build_index(lambda: FakeEmbedder(int(sys.argv[3])), root=Path(sys.argv[1]), force=True)
except IndexWriteError as exc:
    print("IndexWriteError:", exc)
else:
    print("built")
"""


@pytest.mark.parametrize(
    "limit,dim", [(0, 8), (3_000, 8), (20_000, 8), (60_000, 384)], ids=["0", "3k", "20k", "60k"]
)
def test_real_write_failures_in_every_file_become_write_errors(
    root: Path, limit: int, dim: int
) -> None:
    """A child whose files may not grow past `limit` bytes (RLIMIT_FSIZE: writes fail with
    EFBIG in the kernel, inside FAISS and Python alike) fails cleanly; the old index stays."""
    before = (root / "CURRENT").read_bytes()
    result = subprocess.run(
        [sys.executable, "-c", CHILD_FSIZE, str(root), str(limit), str(dim)],
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("IndexWriteError: cannot write the index"), result.stdout
    assert (root / "CURRENT").read_bytes() == before
    assert_usable(root)


# -- the ONNX export is checksummed too (real index) ----------------------------------------------


@pytest.fixture()
def real_copy(tmp_path: Path) -> Path:
    """A copy of the project's built index (real model, ONNX export) in a fresh ASSISTANT_HOME."""
    status = built_index_or_skip()
    home = tmp_path / "home"
    shutil.copytree(status.folder, home / "index" / "builds" / status.folder.name)
    shutil.copy(status.folder.parent.parent / "CURRENT", home / "index" / "CURRENT")
    return home


@pytest.mark.model
@pytest.mark.parametrize(
    "name", ["model.onnx", "model.weights", "tokenizer.json", "onnx_encoder.json"]
)
def test_bit_flipped_onnx_export_exits_5_on_first_ask(real_copy: Path, name: str) -> None:
    """Loading reads the weights once, checks them, and hands those bytes to onnxruntime; a
    mismatch is IndexCorruptError when the encoder is first used, never a silent fallback."""
    path = current_build(real_copy / "index") / "onnx" / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x04
    path.write_bytes(bytes(data))
    err = _assert_exit(run_cli(["ask", "--json", QUESTION], real_copy), 5)
    assert f"onnx/{name} fails its checksum" in err and "assistant index build" in err
    _assert_exit(run_cli(["index", "status"], real_copy), 5)


@pytest.mark.model
def test_real_copy_answers_and_model_folder_missing_exits_7(
    real_copy: Path, tmp_path: Path
) -> None:
    code, out, err, _ = run_cli(["ask", "--json", QUESTION], real_copy)
    assert code == 0 and json.loads(out)["citations"] and "note:" not in err, err
    missing = {"ASSISTANT_MODEL": str(tmp_path / "no-model")}
    for command in (["ask", QUESTION], ["index", "status"], ["index", "build"]):
        _assert_exit(run_cli(command, real_copy, **missing), 7)
