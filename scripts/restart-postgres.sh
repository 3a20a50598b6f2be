#!/usr/bin/env bash
# Restarts a cluster started by start-postgres.sh (same port and options), dropping every connection.
#   scripts/restart-postgres.sh [DIR]  # DIR defaults to $POSTGRES_DIR
set -euo pipefail
dir="${1:-${POSTGRES_DIR:-}}"
if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "restart-postgres.sh: no cluster folder given (pass DIR or set POSTGRES_DIR)" >&2
    exit 1
fi
bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}"
[ -x "$bin/pg_ctl" ] || bin="$(dirname "$(command -v pg_ctl)")"
if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >&2
else
    "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >&2
fi
