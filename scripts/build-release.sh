#!/usr/bin/env bash
# Builds gateway-server as we ship and benchmark it, and prints the binary's path.
#
#   bash scripts/build-release.sh            # first build ~15 minutes on 2 cores, then seconds
#
# Against a plain `swift build -c release`:
# - the Swift runtime and Foundation are linked in (--static-swift-stdlib), so there are no
#   shared-library relocations to apply at start and no calls through the PLT;
# - every function is in its own section, and lld places the ones the server runs first, in the
#   order of scripts/gateway-server.order (made by Benchmarks/load/order-file.sh). What the
#   server runs then sits in ~8 MiB instead of being spread over 35 MiB of code, so far fewer
#   pages of the binary become resident;
# - relative relocations are packed (RELR) and no symbol is exported from the executable.
# A symbol the order file names that no longer exists is skipped, so a stale file is only less
# effective, never wrong. The build lives in .build-release (GATEWAY_RELEASE_SCRATCH).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scratch="${GATEWAY_RELEASE_SCRATCH:-$root/.build-release}"
flags=(
    -c release --product gateway-server --static-swift-stdlib --scratch-path "$scratch"
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
    -Xswiftc -use-ld=lld
    -Xlinker -z -Xlinker pack-relative-relocs
    -Xlinker --no-export-dynamic
    -Xlinker "--symbol-ordering-file=$root/scripts/gateway-server.order"
    -Xlinker --no-warn-symbol-ordering
    -Xlinker "-Map=$scratch/gateway-server.map"
)
swift build "${flags[@]}" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/gateway-server"
