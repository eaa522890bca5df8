#!/usr/bin/env bash
# Fails when dist/ differs from a fresh build of src/ (run on a clean checkout, as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs >/dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "::error title=dist is out of date::dist/ differs from a fresh build of src/. Run 'npm run build' and commit dist/."
  git status --porcelain -- dist | head -20
  git --no-pager diff --stat -- dist | tail -5
  exit 1
fi
echo "dist/ matches a fresh build of src/"
