#!/usr/bin/env bash
# Sets up what the tests need and runs them all: Debian packages, then `swift test`.
# The exit code is swift test's own (its last line can say "passed" whatever happened).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
swift test
