#!/usr/bin/env bash
# Measures StratusResilience with stratus-resilience-bench (built with
# `swift build -c release --static-swift-stdlib`), REPEATS times:
#
#   decisions   ns and malloc calls per decision of each policy, on one
#               thread and on two threads sharing the policy
#   overload    an HTTP service of fixed CPU work (WORKERS threads, WORK_US
#               of CPU per request) pinned to CPU SERVER_CPU, and a load
#               generator pinned to CPU CLIENT_CPU, so the two do not take
#               turns on one core:
#               1. capacity: closed loop, 32 requests in flight, 5 s after
#                  1 s of warm-up, without shedding
#               2. unloaded: open loop at half the capacity for 10 s, with
#                  shedding; its p99 is the reference
#               3. 3x capacity, open loop, OVERLOAD_S seconds, with
#                  shedding (the same server, after step 2)
#               4. the same without shedding (a fresh server)
#               The first WARM_UP_S seconds of steps 3 and 4 are sent but
#               left out of the summary, and the whole run is reported too.
#               A success is a 200 within 2 s of its scheduled send time.
#
# The report goes to stdout and to bench/resilience/results/latest.txt,
# with the raw JSON in bench/resilience/results/raw.jsonl.
#
# Settings: REPEATS (2), ITERATIONS (5000000), WORKERS (4), WORK_US (1000),
# OVERLOAD_S (15), WARM_UP_S (5), SERVER_CPU (0), CLIENT_CPU (1),
# PARTS (decisions,overload).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
REPEATS=${REPEATS:-2}
ITERATIONS=${ITERATIONS:-5000000}
WORKERS=${WORKERS:-4}
WORK_US=${WORK_US:-1000}
OVERLOAD_S=${OVERLOAD_S:-15}
WARM_UP_S=${WARM_UP_S:-5}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PARTS=${PARTS:-decisions,overload}
RESULTS=bench/resilience/results
RAW=$RESULTS/raw.jsonl
BIN=.build/release/stratus-resilience-bench
SERVER_PID=""

mkdir -p "$RESULTS"
: > "$RAW"
echo "bench/resilience: building stratus-resilience-bench (release)" >&2
swift build -c release --static-swift-stdlib --product stratus-resilience-bench > /dev/null

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2> /dev/null || true
        wait "$SERVER_PID" 2> /dev/null || true
        SERVER_PID=""
    fi
}
trap stop_server EXIT

# Starts the service with shedding on or off and sets PORT.
start_server() {
    local log=$RESULTS/server.log
    taskset -c "$SERVER_CPU" "$BIN" serve --workers "$WORKERS" --work-us "$WORK_US" --shedding "$1" > "$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        PORT=$(sed -n 's/^listening on //p' "$log")
        if [ -n "$PORT" ]; then return 0; fi
        sleep 0.1
    done
    echo "bench/resilience: the server did not start within 10 s:" >&2
    cat "$log" >&2
    exit 1
}

# Appends one JSON line {"run", "part", "load_before", "load_after", "result"}.
record() {
    local run=$1 part=$2 load_before=$3 result=$4
    printf '{"run": %s, "part": "%s", "load_before": "%s", "load_after": "%s", "result": %s}\n' \
        "$run" "$part" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$result" >> "$RAW"
}

client() {
    taskset -c "$CLIENT_CPU" "$BIN" "$@" | tail -n 1
}

shedder_stats() {
    python3 -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())" \
        "http://127.0.0.1:$PORT/stats"
}

overload_run() {
    local run=$1 load url capacity
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    start_server off
    url=http://127.0.0.1:$PORT/work
    record "$run" capacity "$load" "$(client closed-loop --url "$url" --concurrency 32 --duration 5)"
    capacity=$(tail -n 1 "$RAW" | python3 -c "import json, sys; print(json.load(sys.stdin)['result']['ok_per_s'])")
    stop_server

    start_server on
    url=http://127.0.0.1:$PORT/work
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    record "$run" unloaded "$load" "$(client open-loop --url "$url" --rate "$(python3 -c "print($capacity * 0.5)")" --duration 10)"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    record "$run" shedding "$load" "$(client open-loop --url "$url" --rate "$(python3 -c "print($capacity * 3)")" \
        --duration "$OVERLOAD_S" --warm-up "$WARM_UP_S")"
    record "$run" shedder_stats "$load" "$(shedder_stats)"
    stop_server

    start_server off
    url=http://127.0.0.1:$PORT/work
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    record "$run" no_shedding "$load" "$(client open-loop --url "$url" --rate "$(python3 -c "print($capacity * 3)")" \
        --duration "$OVERLOAD_S" --warm-up "$WARM_UP_S")"
    stop_server
}

for run in $(seq "$REPEATS"); do
    if [[ ",$PARTS," == *",decisions,"* ]]; then
        echo "bench/resilience: run $run: decisions" >&2
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        record "$run" decisions "$load" "$("$BIN" decisions --iterations "$ITERATIONS" 2> /dev/null | tail -n 1)"
    fi
    if [[ ",$PARTS," == *",overload,"* ]]; then
        echo "bench/resilience: run $run: overload" >&2
        overload_run "$run"
    fi
done

python3 bench/resilience/report.py "$RAW" "$WORKERS" "$WORK_US" | tee "$RESULTS/latest.txt"
