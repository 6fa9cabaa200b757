#!/usr/bin/env bash
# Set up everything from a fresh clone: virtual env, pinned dependencies (CPU torch 2.13.0 via
# constraints.txt), then the search index (built if missing or stale, skipped otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$python" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing dependencies (about a minute)" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[build,dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
.venv/bin/assistant index build
