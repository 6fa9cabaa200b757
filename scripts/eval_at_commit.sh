#!/usr/bin/env bash
# Re-run an evaluation as the code stood at an earlier commit, on today's data, e.g. the first
# (blind) measurement of a held-out set:
#   bash scripts/eval_at_commit.sh 5f1ff89 tests/data/questions_holdout.jsonl
#   bash scripts/eval_at_commit.sh 776dd1a tests/data/questions_blind3.jsonl
#   bash scripts/eval_at_commit.sh 776dd1a safety tests/data/safety_blind1.jsonl
#   bash scripts/eval_at_commit.sh 776dd1a labs tests/data/lab_reports/blind
# The scorers (scripts/eval_safety.py, scripts/eval_labs.py) are today's; the package they score
# is the old one. Uses a temporary git worktree and a temporary ASSISTANT_HOME; the project's
# own index is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: eval_at_commit.sh COMMIT [qa|safety|labs] FILE"
commit=${1:?$usage}
if [ $# -ge 3 ]; then kind=$2; target=$3; else kind=qa; target=${2:?$usage}; fi
target=$(realpath "$target")
here=$PWD
work=$(mktemp -d)
trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/tree" "$commit" >/dev/null 2>&1
export PYTHONPATH="$work/tree" ASSISTANT_HOME="$work/home"
case $kind in
  labs) cd "$work/tree" && "$here/.venv/bin/python" "$here/scripts/eval_labs.py" "$target"; exit ;;
esac
(cd "$work/tree" && "$here/.venv/bin/python" -m assistant index build >/dev/null 2>&1)
cd "$work/tree"
case $kind in
  qa) "$here/.venv/bin/python" -m assistant eval "$target" ;;
  safety) "$here/.venv/bin/python" "$here/scripts/eval_safety.py" "$target" ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
