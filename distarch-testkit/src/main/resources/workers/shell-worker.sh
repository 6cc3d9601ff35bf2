#!/bin/sh
# A distarch worker in POSIX sh, speaking the worker line protocol (docs/worker-protocol.md).
#
# Usage: shell-worker.sh [MAX_ITERATIONS]     (0 or absent: run until asked to stop)
#
# Every line printed is an info log line of the process. It prints its identity, logs a
# warning, pings, then prints "iteration N" once a second. It ends cleanly
# ("@@distarch ended", exit 0) after MAX_ITERATIONS, on SIGTERM, when stdin says "stop",
# or when stdin closes (the master is gone).
# (Resources lose their executable bit in a jar: copy this file out and chmod +x it.)

if [ -z "$DA_ID" ]; then
    echo "shell-worker.sh is a distarch worker: it runs under a master (DA_ID is not set)." >&2
    exit 2
fi

max=${1:-0}
stopping=0
trap 'stopping=1' TERM

# Watch stdin in the background: a "stop" line or EOF asks the main loop to stop.
# (A background job's stdin is /dev/null unless redirected explicitly, hence fd 3.)
exec 3<&0
(
    while IFS= read -r line; do
        line=$(printf '%s' "$line" | tr -d '\r')
        [ "$line" = stop ] && break
    done
    kill -TERM $$ 2>/dev/null
) <&3 &
reader=$!
exec 3<&-

echo "shell worker $DA_ID/$DA_GROUP_ID/$DA_GROUP_COUNT of $DA_GROUP_NAME params=$DA_PARAMS"
echo "@@distarch log warn shell worker $DA_ID: this is a warning"
echo "@@distarch ping"

i=0
while [ "$stopping" -eq 0 ]; do
    if [ "$max" -gt 0 ] && [ "$i" -ge "$max" ]; then
        break
    fi
    i=$((i + 1))
    echo "iteration $i"
    # "wait" returns as soon as a trapped signal arrives; a plain "sleep 1" would not.
    sleep 1 &
    sleeper=$!
    wait "$sleeper"
    kill "$sleeper" 2>/dev/null
done

kill "$reader" 2>/dev/null
echo "stopping after $i iterations"
echo "@@distarch ended"
exit 0
