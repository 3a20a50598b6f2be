#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: initdb into a new temporary folder, then
# pg_ctl start on a free loopback port, with password authentication and the socket in that folder.
#
#   eval "$(scripts/start-postgres.sh)"     # exports POSTGRES_URL and POSTGRES_DIR
#   swift test --filter GatewayKitPostgresTests
#   scripts/stop-postgres.sh                # stops the cluster in $POSTGRES_DIR and deletes it
#
# Prints only the two `export` lines on stdout; progress goes to stderr. As root, the server runs
# as the `postgres` user (PostgreSQL refuses to run as root). PG_BIN overrides where the binaries are.
set -euo pipefail

bin="${PG_BIN:-}"
if [ -z "$bin" ]; then
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if command -v initdb >/dev/null 2>&1; then bin="$(dirname "$(command -v initdb)")"; else
        echo "start-postgres.sh: initdb not found; install PostgreSQL (apt-get install -y postgresql) or set PG_BIN" >&2
        exit 1
    fi
fi

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/gatewaykit-postgres.XXXXXX")"
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" > "$dir/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/pwfile"

as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"

# A random free port; another cluster may grab it between the check and the start, so try a few.
started=
for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" \
        start >&2; then
        started=yes
        break
    fi
done
[ -n "$started" ] || { echo "start-postgres.sh: the server did not start; see $dir/server.log" >&2; exit 1; }

PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc \
    "CREATE DATABASE gatewaykit" >&2

echo "export POSTGRES_URL='postgres://postgres:$password@127.0.0.1:$port/gatewaykit'"
echo "export POSTGRES_DIR='$dir'"
