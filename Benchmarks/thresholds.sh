#!/usr/bin/env bash
# Records or checks the p90 thresholds in Thresholds/ (run from anywhere; start a redis-server
# first for the Redis limiter benchmarks: eval "$(scripts/start-redis.sh)").
#
#   Benchmarks/thresholds.sh check  [package-benchmark options, e.g. --target JSONBenchmarks]
#   Benchmarks/thresholds.sh update [options]
#
# package-benchmark 1.38 writes each file with the benchmark name's spaces turned into
# underscores, but looks files up by the name as written; our names have no underscores, so after
# an update the spaces are put back and `check` finds every file.
set -euo pipefail
cd "$(dirname "$0")"
action="${1:-check}"
shift || true
case "$action" in
    update)
        swift package --allow-writing-to-package-directory benchmark thresholds update "$@"
        for file in Thresholds/*_*.json; do
            [ -e "$file" ] && mv "$file" "${file//_/ }"
        done
        ;;
    check)
        swift package benchmark thresholds check "$@"
        ;;
    *)
        echo "usage: $0 check|update [package-benchmark options]" >&2
        exit 2
        ;;
esac
