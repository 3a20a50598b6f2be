#!/usr/bin/env bash
# Sets up what the tests need and runs them all: Debian packages, a PostgreSQL cluster, then `swift test`.
# The exit code is swift test's own (its last line can say "passed" whatever happened).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
# The PostgreSQL tests need a server: a throwaway cluster on a free loopback port, deleted on exit.
eval "$(bash scripts/start-postgres.sh)"
trap 'bash scripts/stop-postgres.sh "$POSTGRES_DIR"' EXIT
# Serial: several suites measure timeouts against real sockets, and CPU-heavy suites running
# beside them on a 2-core machine would make those measurements lie. Serially it takes ~40 s.
swift test --no-parallel
