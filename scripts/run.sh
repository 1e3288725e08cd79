#!/usr/bin/env bash
# Installs dependencies, builds the release binary and starts ik.
# Arguments are passed to ik: `bash scripts/run.sh -p "hello"`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target ik >/dev/null
exec ./build/release/src/ik "$@"
