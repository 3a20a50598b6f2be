#!/usr/bin/env bash
# Sets up what the tests need and runs them all: Debian packages, a redis-server and a PostgreSQL
# cluster on free loopback ports (stopped on exit), then `swift test` and the OpenAI SDK check.
# The exit code is swift test's own (its last line can say "passed" whatever happened).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
# The servers the tests talk to, on free loopback ports, stopped on exit.
eval "$(bash scripts/start-redis.sh)"
eval "$(bash scripts/start-postgres.sh)"
trap 'bash scripts/stop-redis.sh; bash scripts/stop-postgres.sh "$POSTGRES_DIR"' EXIT
# Serial: several suites measure timeouts against real sockets, and CPU-heavy suites running
# beside them on a 2-core machine would make those measurements lie. Serially it takes ~60 s.
log="$(mktemp)"
status=0
swift test --no-parallel 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
    # CI shows only the end of the output: repeat what failed there.
    echo "=== swift test failed (exit $status); the failures again ==="
    grep -E '✘|↳|recorded an issue|error:|Fatal error|Crashed|Signal|XCTAssert' "$log" | grep -v '^\[' | tail -n 60 || true
    rm -f "$log"
    exit "$status"
fi
# The official OpenAI Python SDK against a running gateway-server.
bash scripts/openai-compat.sh
# One plain closing line: swift-testing's count (XCTest runs no test here and says so first).
count="$(grep -Eo 'Test run with [0-9]+ tests' "$log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)"
rm -f "$log"
echo "tests: $count passed, 0 failed"
