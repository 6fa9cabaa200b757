#!/usr/bin/env bash
# Build the wheel with a prebuilt index inside (assistant/bundled_index), so an install needs no
# torch: `pip install dist/anastrozole_assistant-*.whl` answers at once, with the ONNX encoder
# the index carries. Run after scripts/setup.sh. Prints the wheel's path.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$(mktemp -d)
trap 'rm -rf "$stage" assistant/bundled_index build' EXIT
ASSISTANT_HOME="$stage" .venv/bin/assistant index build >&2
build=$(.venv/bin/python -c "import json,sys; print(json.load(open(sys.argv[1]))['build'])" \
  "$stage/index/CURRENT")
rm -rf assistant/bundled_index
mkdir -p assistant/bundled_index/builds
cp "$stage/index/CURRENT" assistant/bundled_index/
cp -r "$stage/index/builds/$build" assistant/bundled_index/builds/
rm -rf build
.venv/bin/python -m pip wheel --no-deps --no-build-isolation -q -w dist . >&2
ls -t dist/anastrozole_assistant-*.whl | head -1
