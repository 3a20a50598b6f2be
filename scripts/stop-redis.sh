#!/usr/bin/env bash
# Stops the redis-server that scripts/start-redis.sh started, and removes its state folder.
set -euo pipefail

state_dir="${REDIS_STATE_DIR:-/tmp/gatewaykit-redis}"
pid_file="$state_dir/redis.pid"
if [[ ! -f "$pid_file" ]]; then
    echo "no redis-server pid file in $state_dir; nothing to stop" >&2
    exit 0
fi
pid="$(cat "$pid_file")"
if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
fi
rm -rf "$state_dir"
echo "stopped redis-server $pid" >&2
