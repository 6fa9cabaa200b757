#!/usr/bin/env bash
# Set up (as scripts/setup.sh) and open the chat, the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/assistant chat "$@"
