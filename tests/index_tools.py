"""Helpers for the index tests: the current build, manifest rewrites, the CLI as a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def built_index_or_skip() -> Any:
    """The status of the project's built index when it is current; otherwise skip the test, or
    fail it under CI (scripts/test.sh builds the index first)."""
    import pytest

    from assistant.index import index_status

    status = index_status()
    if status.state != "current":
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the built index: {status.detail}")
        pytest.skip(status.detail)
    return status


def current_build(root: Path) -> Path:
    return root / "builds" / json.loads((root / "CURRENT").read_text())["build"]


def write_manifest(root: Path, data: bytes) -> None:
    """Replace the current manifest and re-point CURRENT at its checksum, so what is tested is
    the manifest's validation, not the pointer's checksum."""
    (current_build(root) / "manifest.json").write_bytes(data)
    pointer = json.loads((root / "CURRENT").read_text())
    pointer["manifest_sha256"] = hashlib.sha256(data).hexdigest()
    (root / "CURRENT").write_text(json.dumps(pointer))


def edited_manifest(root: Path, edit: Callable[[dict], object]) -> bytes:
    manifest = json.loads((current_build(root) / "manifest.json").read_text())
    edit(manifest)
    return json.dumps(manifest).encode()


def run_cli(
    args: list[str], home: Path, timeout: float = 60, **env: str
) -> tuple[int, str, str, float]:
    """`python -m assistant ARGS` with ASSISTANT_HOME=home: (exit code, stdout, stderr, seconds).
    A child still running after `timeout` seconds is killed and the test fails."""
    child_env = {**os.environ, "ASSISTANT_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    child_env.update(env)
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", *args],
            cwd=ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run kills and reaps the child
        raise AssertionError(f"`assistant {' '.join(args)}` hung for {timeout} s") from exc
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start
