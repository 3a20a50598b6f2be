#!/usr/bin/env bash
# Remakes scripts/gateway-server.order, the order in which scripts/build-release.sh lays out
# gateway-server's functions: the ones it runs while it starts, answers chat requests and
# streams, in the order they first run.
#
#   Benchmarks/load/order-file.sh [ROUNDS]     # default 12 rounds of ~30 s; FRESH=1 starts over
#
# Each round relinks the server with the file so far, runs it under `perf record` through the
# load benchmark (run.sh, the direct upstream and gateway-server only, 16 connections for 2 s and
# 50 streams), and appends the functions that ran and are not named yet: the code pages it
# faulted in and the functions cpu-clock sampled. A page fault maps its neighbours too, so one
# round sees only some of what runs; the rounds find fewer new functions each time. Needs perf
# (Debian's linux-perf), nginx and wrk; run.sh installs the last two.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-12}"
order="$root/scripts/gateway-server.order"
scratch="${GATEWAY_RELEASE_SCRATCH:-$root/.build-release}"
command -v perf >/dev/null || apt-get install -y linux-perf >/dev/null
data="$(mktemp -d /tmp/gatewaykit-order.XXXXXX)"
trap 'rm -rf "$data"' EXIT
if [ "${FRESH:-0}" = 1 ]; then : >"$order"; fi
bin="$(bash "$root/scripts/build-release.sh")"
for round in $(seq "$rounds"); do
    # Only the order file changed, which SwiftPM does not see: remove the binary to relink it.
    rm -f "$bin"
    bash "$root/scripts/build-release.sh" >/dev/null
    TARGETS="direct gatewaykit" CONNECTIONS=16 DURATION=2 ROUNDS=1 TTFE_COUNT=50 \
        GATEWAY_SERVER_BIN="$bin" \
        GATEWAY_SERVER_WRAPPER="perf record -q -d -e page-faults/period=1/ -e cpu-clock/period=25000/ -o $data/run.data --" \
        bash "$here/run.sh" >/dev/null 2>"$data/run.log" || { cat "$data/run.log" >&2; exit 1; }
    perf script -i "$data/run.data" -F time,event,addr,ip --show-mmap-events >"$data/run.txt" 2>/dev/null
    echo "round $round: $(python3 "$here/order-functions.py" "$scratch/gateway-server.map" "$data/run.txt" "$order" gateway-server)"
done
rm -f "$bin"
bash "$root/scripts/build-release.sh" >/dev/null
echo "$order: $(wc -l <"$order") functions; $bin relinked with it"
