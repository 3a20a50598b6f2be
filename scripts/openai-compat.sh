#!/usr/bin/env bash
# Runs the official OpenAI Python SDK against a gateway-server started on a free port with an
# in-memory store. Creates .venv-compat (pip install openai) on first use.
#   scripts/openai-compat.sh            # builds gateway-server (debug) if needed
#   GATEWAY_SERVER_BIN=path scripts/openai-compat.sh   # checks that binary instead
set -euo pipefail
cd "$(dirname "$0")/.."

command -v python3 >/dev/null || { echo "openai-compat: python3 is required" >&2; exit 1; }
if [ ! -x .venv-compat/bin/python ]; then
    python3 -m venv .venv-compat || { echo "openai-compat: python3 -m venv failed (install python3-venv)" >&2; exit 1; }
fi
.venv-compat/bin/python -c "import openai" 2>/dev/null || .venv-compat/bin/pip install --quiet openai

if [ -n "${GATEWAY_SERVER_BIN:-}" ]; then
    BIN="$GATEWAY_SERVER_BIN"
else
    swift build --product gateway-server
    BIN="$(swift build --show-bin-path)/gateway-server"
fi

WORK="$(mktemp -d)"
TOKEN="compat-admin-token-$(date +%s)-0123456789"
GATEWAY_ADMIN_TOKEN="$TOKEN" "$BIN" --store memory --port 0 >"$WORK/stdout" 2>"$WORK/stderr" &
PID=$!
cleanup() {
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

URL=""
for _ in $(seq 1 600); do
    URL="$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/stdout" | head -n 1 || true)"
    [ -n "$URL" ] && break
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/stderr" >&2; echo "openai-compat: gateway-server exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$URL" ] || { echo "openai-compat: gateway-server did not start" >&2; exit 1; }

# An endpoint allowing one request per minute, for the 429 check.
curl --fail --silent --show-error -X POST "$URL/api/endpoints" \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d '{"name":"Limited","slug":"limited","model":"mock/echo","rate_limit_rpm":1}' >/dev/null

GATEWAY_URL="$URL" GATEWAY_TOKEN="$TOKEN" .venv-compat/bin/python Tests/Compat/openai_sdk_test.py

# A build whose tasks cannot run on the event loops hops threads on every request.
if grep -h "do not run on the event loops" "$WORK/stdout" "$WORK/stderr"; then
    echo "openai-compat: $BIN runs Swift's tasks off the event loops" >&2
    exit 1
fi
