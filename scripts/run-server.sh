#!/usr/bin/env bash
# Sets up and runs the example gateway-server on its embedded defaults: a SQLite store
# (gateway.sqlite) and the in-memory rate limiter, on http://127.0.0.1:8080.
# The master key that seals API-key secrets is made once and kept in .gateway/master-key;
# the admin token in .gateway/admin-token. Both can be given instead as GATEWAY_MASTER_KEY and
# GATEWAY_ADMIN_TOKEN. Extra arguments go to gateway-server (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mkdir -p .gateway
if [ -z "${GATEWAY_MASTER_KEY:-}" ]; then
    [ -s .gateway/master-key ] || (umask 077 && openssl rand -base64 32 > .gateway/master-key)
    GATEWAY_MASTER_KEY="$(cat .gateway/master-key)"
fi
if [ -z "${GATEWAY_ADMIN_TOKEN:-}" ]; then
    [ -s .gateway/admin-token ] || (umask 077 && echo "gwk_admin_$(openssl rand -hex 16)" > .gateway/admin-token)
    GATEWAY_ADMIN_TOKEN="$(cat .gateway/admin-token)"
fi
export GATEWAY_MASTER_KEY GATEWAY_ADMIN_TOKEN
echo "admin token: .gateway/admin-token (curl -H \"Authorization: Bearer \$(cat .gateway/admin-token)\" …)"
swift build -c release --product gateway-server
exec "$(swift build -c release --show-bin-path)/gateway-server" "$@"
