#!/usr/bin/env bash
# Build the wheel with the checkout's index inside (setup.py copies it as assistant/bundled_index),
# so `pip install dist/anastrozole_assistant-*.whl` answers at once without torch. Sets up first
# (venv, pinned deps, index built or checked current). Prints the wheel's path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
rm -rf build
.venv/bin/python -m pip wheel --no-deps --no-build-isolation -q -w dist . >&2
rm -rf build
ls -t dist/anastrozole_assistant-*.whl | head -1
