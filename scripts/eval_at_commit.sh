#!/usr/bin/env bash
# Re-run the eval as the code stood at an earlier commit, on today's question file, e.g. the
# first (blind) measurement of a held-out set:
#   bash scripts/eval_at_commit.sh 5f1ff89 tests/data/questions_holdout.jsonl
#   bash scripts/eval_at_commit.sh ac176d2 tests/data/questions_blind2.jsonl
# Uses a temporary git worktree and a temporary ASSISTANT_HOME; the project's own index is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=${1:?usage: eval_at_commit.sh COMMIT QUESTIONS.jsonl}
questions=$(realpath "${2:?usage: eval_at_commit.sh COMMIT QUESTIONS.jsonl}")
work=$(mktemp -d)
trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/tree" "$commit" >/dev/null 2>&1
export PYTHONPATH="$work/tree" ASSISTANT_HOME="$work/home"
(cd "$work/tree" && "$OLDPWD/.venv/bin/python" -m assistant index build >/dev/null 2>&1)
cd "$work/tree" && "$OLDPWD/.venv/bin/python" -m assistant eval "$questions"
