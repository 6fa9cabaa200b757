"""Wheel build step: the index built in this checkout goes inside the wheel.

pyproject.toml holds all metadata; this file only adds one step to `build_py`. When `index/`
holds a build (scripts/setup.sh makes one), its current build and pointer are copied into the
wheel as `assistant/bundled_index`, so an installed wheel answers at once with the ONNX encoder
the index carries, without torch. A checkout with no index gives a wheel without one (its users
then need the `build` extra to build an index on first use). Editable installs copy nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithIndex(build_py):
    def run(self) -> None:
        super().run()
        pointer = ROOT / "index" / "CURRENT"
        if getattr(self, "editable_mode", False) or not pointer.is_file():
            return
        build = json.loads(pointer.read_text(encoding="utf-8"))["build"]
        source = ROOT / "index" / "builds" / build
        if not (source / "manifest.json").is_file():
            return
        target = Path(self.build_lib) / "assistant" / "bundled_index"
        shutil.rmtree(target, ignore_errors=True)
        (target / "builds").mkdir(parents=True)
        shutil.copy2(pointer, target / "CURRENT")
        shutil.copytree(source, target / "builds" / build)


setup(cmdclass={"build_py": BuildPyWithIndex})
