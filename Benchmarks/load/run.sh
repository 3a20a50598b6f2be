#!/usr/bin/env bash
# Side-by-side HTTP load test on 127.0.0.1: a fixed-answer nginx upstream called directly, through
# GatewayKit's gateway-server, through LiteLLM's proxy and through MLflow's AI gateway. Prints one
# table (requests/s, p50/p99, added latency, CPU per request, RSS, non-2xx) and the streaming time
# to first event. Not part of CI: it takes several minutes and installs Python packages.
#
#   Benchmarks/load/run.sh
#
# Settings (environment): DURATION seconds per wrk run (10), ROUNDS interleaved rounds (2),
# CONNECTIONS ("1 16 64"), TARGETS ("direct gatewaykit litellm mlflow"; add "floor" for the
# SwiftNIO floor, a bare NIO proxy built from Benchmarks/load/floor), TTFE_COUNT (300),
# VENV_DIR where the two venvs live (~/.cache/gatewaykit-bench), GATEWAY_SERVER_BIN (a release
# gateway-server; built by scripts/build-release.sh when unset), GATEWAY_SERVER_WRAPPER (a command
# gateway-server is started under, e.g. `perf record … --`), MLFLOW_WORKERS (2), BASE_PORT (18180),
# KEEP_WORK=1 keeps logs.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
TARGETS="${TARGETS:-direct gatewaykit litellm mlflow}"
TTFE_COUNT="${TTFE_COUNT:-300}"
VENV_DIR="${VENV_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gatewaykit-bench}"
MLFLOW_WORKERS="${MLFLOW_WORKERS:-2}"
BASE_PORT="${BASE_PORT:-18180}"
port_gateway=$BASE_PORT
port_json=$((BASE_PORT + 1))
port_sse=$((BASE_PORT + 2))
port_litellm=$((BASE_PORT + 3))
port_mlflow=$((BASE_PORT + 4))
port_floor=$((BASE_PORT + 5))

work="$(mktemp -d /tmp/gatewaykit-load.XXXXXX)"
pids=()
cleanup() {
    # Each target runs in its own process group (setsid), so its workers stop with it; a paused
    # one is resumed first, or it would not act on SIGTERM.
    for pid in "${pids[@]}"; do kill -CONT -- "-$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[load] $*" >&2; }
has() { case " $TARGETS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# --- What it needs -------------------------------------------------------------------------------
install_tools() {
    if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
        log "installing wrk and nginx (apt-get)"
        apt-get install -y wrk nginx >/dev/null
    fi
    if has litellm && [ ! -x "$VENV_DIR/litellm/bin/litellm" ]; then
        log "installing litellm[proxy] into $VENV_DIR/litellm"
        python3 -m venv "$VENV_DIR/litellm"
        "$VENV_DIR/litellm/bin/pip" install -q 'litellm[proxy]'
    fi
    if has mlflow && [ ! -x "$VENV_DIR/mlflow/bin/mlflow" ]; then
        log "installing mlflow[genai] into $VENV_DIR/mlflow"
        python3 -m venv "$VENV_DIR/mlflow"
        "$VENV_DIR/mlflow/bin/pip" install -q 'mlflow[genai]'
    fi
    if has floor; then
        log "building the SwiftNIO floor (Benchmarks/load/floor)"
        swift build -c release --package-path "$here/floor" >&2
        FLOOR_BIN="$(swift build -c release --package-path "$here/floor" --show-bin-path)/nio-floor"
    fi
    if has gatewaykit && [ -z "${GATEWAY_SERVER_BIN:-}" ]; then
        log "building gateway-server (scripts/build-release.sh)"
        GATEWAY_SERVER_BIN="$(bash "$root/scripts/build-release.sh")"
    fi
}

# --- The fixed answers ---------------------------------------------------------------------------
write_fixtures() {
    cat >"$work/request.json" <<'JSON'
{"model":"bench","messages":[{"role":"system","content":"You are a concise assistant for a customer support team. Answer in plain English."},{"role":"user","content":"Summarise the following support ticket in two sentences and suggest a priority. Customer reports that invoices exported as PDF since Tuesday show the wrong VAT rate for orders shipped to Austria; the CSV export is correct."}],"temperature":0.2,"max_tokens":256}
JSON
    sed 's/"max_tokens":256}$/"max_tokens":256,"stream":true}/' "$work/request.json" >"$work/stream.json"
    completion='{"id":"chatcmpl-bench","object":"chat.completion","created":1732147200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"PDF invoices for Austrian orders show the wrong VAT rate since Tuesday; CSV exports are correct. Priority: high.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":60,"completion_tokens":24,"total_tokens":84},"system_fingerprint":"fp_bench"}'
    chunk() { printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1732147200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}\\n\\n' "$1" "$2"; }
    sse="$(chunk '{"role":"assistant","content":""}' null)"
    for word in "PDF " "invoices " "show " "the " "wrong " "VAT " "rate. " "Priority: " "high."; do
        sse+="$(chunk "{\"content\":\"$word\"}" null)"
    done
    sse+="$(chunk '{}' '"stop"')"
    sse+='data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1732147200,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":60,"completion_tokens":9,"total_tokens":69}}\n\ndata: [DONE]\n\n'
    # nginx's `return` takes the body as one quoted string; escape what its parser treats specially.
    completion_nginx="${completion//\\/\\\\}"
    sse_nginx="${sse//\"/\\\"}"
    cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
error_log $work/nginx-error.log warn;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_body_temp_path $work/nginx-body;
    server {
        listen 127.0.0.1:$port_json;
        location / { default_type application/json; return 200 '$completion_nginx'; }
    }
    server {
        listen 127.0.0.1:$port_sse;
        location / { default_type text/event-stream; return 200 "$sse_nginx"; }
    }
}
NGINX
}

# --- Starting the targets ------------------------------------------------------------------------
wait_for() { # port, what
    for _ in $(seq 1 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.2
    done
    log "$2 did not start listening on port $1; its log:"
    tail -n 30 "$work/$2.log" >&2 || true
    exit 1
}

declare -A pid_of
start() { # name, port, command…
    local name=$1 port=$2
    shift 2
    setsid "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
    pid_of[$name]=$!
    wait_for "$port" "$name"
    log "$name is up (pid ${pid_of[$name]}, port $port)"
}

start_targets() {
    mkdir -p "$work/nginx-body"
    start direct "$port_json" nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;'
    wait_for "$port_sse" direct
    # Both gateways authenticate their callers: GatewayKit an access token, LiteLLM its master key.
    BENCH_TOKEN="gwk_admin_$(openssl rand -hex 16)"
    LITELLM_KEY="sk-$(openssl rand -hex 32)"
    if has gatewaykit; then
        cat >"$work/gateway.yaml" <<YAML
keys:
  - name: upstream
    provider: openai
    secret: sk-bench-0123456789
    base_url: http://127.0.0.1:$port_json/v1
  - name: upstream-sse
    provider: openai
    secret: sk-bench-0123456789
    base_url: http://127.0.0.1:$port_sse/v1
endpoints:
  - name: bench
    slug: bench
    model: openai/gpt-4o-mini
    api_key: upstream
  - name: bench-stream
    slug: bench-stream
    model: openai/gpt-4o-mini
    api_key: upstream-sse
YAML
        start gatewaykit "$port_gateway" env GATEWAY_MASTER_KEY="$(openssl rand -base64 32)" \
            GATEWAY_ADMIN_TOKEN="$BENCH_TOKEN" GATEWAY_STORE="sqlite:$work/gateway.sqlite" \
            ${GATEWAY_SERVER_WRAPPER:-} "$GATEWAY_SERVER_BIN" --port "$port_gateway" --config "$work/gateway.yaml"
    fi
    if has floor; then
        start floor "$port_floor" "$FLOOR_BIN" "$port_floor" "$port_json" "$port_sse"
    fi
    if has litellm; then
        cat >"$work/litellm.yaml" <<YAML
model_list:
  - model_name: bench
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:$port_json/v1", api_key: sk-bench-0123456789}
  - model_name: bench-stream
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:$port_sse/v1", api_key: sk-bench-0123456789}
litellm_settings: {telemetry: false}
YAML
        start litellm "$port_litellm" env LITELLM_MASTER_KEY="$LITELLM_KEY" LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_LOG=ERROR \
            "$VENV_DIR/litellm/bin/litellm" --config "$work/litellm.yaml" --host 127.0.0.1 \
            --port "$port_litellm" --num_workers 1
    fi
    if has mlflow; then
        cat >"$work/mlflow.yaml" <<YAML
endpoints:
  - name: bench
    endpoint_type: llm/v1/chat
    model: {provider: openai, name: gpt-4o-mini, config: {openai_api_key: sk-bench-0123456789, openai_api_base: "http://127.0.0.1:$port_json/v1"}}
  - name: bench-stream
    endpoint_type: llm/v1/chat
    model: {provider: openai, name: gpt-4o-mini, config: {openai_api_key: sk-bench-0123456789, openai_api_base: "http://127.0.0.1:$port_sse/v1"}}
YAML
        start mlflow "$port_mlflow" "$VENV_DIR/mlflow/bin/mlflow" gateway start \
            --config-path "$work/mlflow.yaml" --host 127.0.0.1 --port "$port_mlflow" --workers "$MLFLOW_WORKERS"
    fi
}

# Where each target takes the request: port, path, body; then the stream's port, path and body.
route() {
    case $1 in
        direct) echo "$port_json /v1/chat/completions request.json $port_sse /v1/chat/completions stream.json" ;;
        gatewaykit) echo "$port_gateway /v1/chat/completions request.json $port_gateway /v1/chat/completions stream-bench.json" ;;
        floor) echo "$port_floor /v1/chat/completions request.json $port_floor /stream stream.json" ;;
        litellm) echo "$port_litellm /v1/chat/completions request.json $port_litellm /v1/chat/completions stream-bench.json" ;;
        mlflow) echo "$port_mlflow /gateway/bench/invocations request-mlflow.json $port_mlflow /gateway/bench-stream/invocations stream-mlflow.json" ;;
    esac
}

# The Authorization header a target needs, if any.
auth_for() {
    case $1 in
        gatewaykit) echo "Bearer $BENCH_TOKEN" ;;
        litellm) echo "Bearer $LITELLM_KEY" ;;
    esac
}

prepare_bodies() {
    sed 's/"model":"bench"/"model":"bench-stream"/' "$work/stream.json" >"$work/stream-bench.json"
    sed 's/"model":"bench",//' "$work/request.json" >"$work/request-mlflow.json"
    sed 's/"model":"bench",//' "$work/stream.json" >"$work/stream-mlflow.json"
}

# --- Measuring -----------------------------------------------------------------------------------
run_wrk() { # target, connections, seconds → RESULT line
    local target=$1 connections=$2 seconds=$3 port path body threads=1
    read -r port path body _ <<<"$(route "$target")"
    [ "$connections" -gt 1 ] && threads=2
    WRK_BODY_FILE="$work/$body" WRK_AUTH="$(auth_for "$target")" \
        wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/wrk-post.lua" \
        "http://127.0.0.1:$port$path" | grep '^RESULT'
}

check_answers() {
    for target in $TARGETS; do
        local port path body
        read -r port path body _ <<<"$(route "$target")"
        local header=(-H "X-Bench: 1")
        [ -n "$(auth_for "$target")" ] && header=(-H "Authorization: $(auth_for "$target")")
        if ! curl -sf "${header[@]}" -H 'Content-Type: application/json' --data-binary "@$work/$body" \
            "http://127.0.0.1:$port$path" >"$work/check-$target.json"; then
            log "$target does not answer the chat request:"
            curl -s "${header[@]}" -H 'Content-Type: application/json' --data-binary "@$work/$body" \
                "http://127.0.0.1:$port$path" >&2 || true
            exit 1
        fi
    done
}

# While one gateway is measured, the others are paused (SIGSTOP to their process groups): idle,
# LiteLLM's and MLflow's processes still wake for their own timers, and on two cores that took
# ~30% of GatewayKit's requests/s. nginx, the upstream of all, always runs.
only() { # target: resume it, pause the other gateways
    local other
    for other in $TARGETS; do
        [ "$other" = direct ] && continue
        if [ "$other" = "$1" ]; then
            kill -CONT -- "-${pid_of[$other]}" 2>/dev/null || true
        else
            kill -STOP -- "-${pid_of[$other]}" 2>/dev/null || true
        fi
    done
}

measure() {
    local results="$work/results.txt"
    : >"$results"
    for target in $TARGETS; do only "$target" && run_wrk "$target" 16 3 >/dev/null; done # warm-up
    for connections in $CONNECTIONS; do
        for round in $(seq 1 "$ROUNDS"); do
            for target in $TARGETS; do
                local pid=${pid_of[$target]} before after line cpu_before cpu_after ctx_before ctx_after
                only "$target"
                before="$(python3 "$here/procstat.py" cpu "$pid") $(python3 "$here/procstat.py" ctx "$pid")"
                line=$(run_wrk "$target" "$connections" "$DURATION")
                after="$(python3 "$here/procstat.py" cpu "$pid") $(python3 "$here/procstat.py" ctx "$pid")"
                read -r cpu_before ctx_before <<<"$before"
                read -r cpu_after ctx_after <<<"$after"
                echo "$target $connections $round $line $cpu_before $cpu_after $ctx_before $ctx_after" >>"$results"
                log "$target c=$connections round $round: $line"
            done
        done
    done
    # RSS after load: every gateway running and idle for a few seconds, as a server between bursts.
    for target in $TARGETS; do kill -CONT -- "-${pid_of[$target]}" 2>/dev/null || true; done
    sleep 5
    for target in $TARGETS; do
        echo "RSS $target $(python3 "$here/procstat.py" rss "${pid_of[$target]}")" >>"$results"
    done
    for target in $TARGETS; do
        local port path body a
        read -r _ _ _ port path body <<<"$(route "$target")"
        a="$(auth_for "$target")"
        only "$target"
        python3 "$here/ttfe.py" 127.0.0.1 "$port" "$path" "$work/$body" "$a" 20 >/dev/null
        echo "$target $(python3 "$here/ttfe.py" 127.0.0.1 "$port" "$path" "$work/$body" "$a" "$TTFE_COUNT")" >>"$results"
        log "$target streaming: $(tail -n 1 "$results")"
    done
    python3 "$here/report.py" "$results"
}

versions() {
    echo "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}')"
    has litellm && echo "litellm $("$VENV_DIR/litellm/bin/pip" show litellm | awk '/^Version/{print $2}')"
    has mlflow && echo "mlflow $("$VENV_DIR/mlflow/bin/pip" show mlflow | awk '/^Version/{print $2}') ($MLFLOW_WORKERS workers)"
    has gatewaykit && echo "gatewaykit $(git -C "$root" rev-parse --short HEAD), $(swift --version 2>/dev/null | head -n 1)"
    echo "$(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

install_tools
write_fixtures
prepare_bodies
start_targets
check_answers
versions
measure
