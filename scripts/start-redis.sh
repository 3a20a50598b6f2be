#!/usr/bin/env bash
# Starts a throwaway redis-server on a free loopback port, for the Redis tests and benchmarks.
#
#   eval "$(scripts/start-redis.sh)"   # exports REDIS_URL
#   swift test --filter GatewayKitRedisTests
#   scripts/stop-redis.sh
#
# State (pid file, log, URL) lives in $REDIS_STATE_DIR, default /tmp/gatewaykit-redis.
# Prints `export REDIS_URL=redis://127.0.0.1:PORT/0` on stdout; everything else goes to stderr.
set -euo pipefail

state_dir="${REDIS_STATE_DIR:-/tmp/gatewaykit-redis}"
if ! command -v redis-server >/dev/null; then
    echo "redis-server is not on PATH: apt-get install -y redis-server" >&2
    exit 1
fi
if [[ -f "$state_dir/redis.pid" ]] && kill -0 "$(cat "$state_dir/redis.pid")" 2>/dev/null; then
    echo "a redis-server from $state_dir is already running; reusing it" >&2
    echo "export REDIS_URL=$(cat "$state_dir/url")"
    exit 0
fi
mkdir -p "$state_dir"

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    port_is_free "$port" || continue
    rm -f "$state_dir/redis.pid"
    if redis-server --bind 127.0.0.1 --port "$port" --daemonize yes \
        --pidfile "$state_dir/redis.pid" --dir "$state_dir" --logfile "$state_dir/redis.log" \
        --save "" --appendonly no >&2; then
        for _ in $(seq 1 50); do
            if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]]; then
                url="redis://127.0.0.1:$port/0"
                echo "$url" >"$state_dir/url"
                echo "redis-server $(redis-server --version | awk '{print $3}') listening on 127.0.0.1:$port" >&2
                echo "export REDIS_URL=$url"
                exit 0
            fi
            sleep 0.1
        done
        # It did not come up on this port (lost a race for it?): stop it and try another.
        [[ -f "$state_dir/redis.pid" ]] && kill "$(cat "$state_dir/redis.pid")" 2>/dev/null || true
    fi
done
echo "could not start redis-server; see $state_dir/redis.log" >&2
exit 1
