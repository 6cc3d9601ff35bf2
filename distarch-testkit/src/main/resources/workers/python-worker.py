#!/usr/bin/env python3
"""A distarch worker in Python 3 (standard library only), speaking the worker line protocol
(docs/worker-protocol.md).

Usage: python-worker.py [MAX_ITERATIONS]     (0 or absent: run until asked to stop)

Every line printed is an info log line of the process. It prints its identity, logs a
warning, pings, then prints "iteration N" once a second. It ends cleanly
("@@distarch ended", exit 0) after MAX_ITERATIONS, on SIGTERM, when stdin says "stop",
or when stdin closes (the master is gone).
(Resources lose their executable bit in a jar: copy this file out and chmod +x it.)
"""
import json
import os
import signal
import sys
import threading

PREFIX = "@@distarch "
stop = threading.Event()


def say(line):
    # The master reads lines: flush each one (stdout is a pipe, hence block-buffered).
    print(line, flush=True)


def log(level, message, **context):
    if context or "\n" in message or "\r" in message:
        payload = {"level": level, "message": message,
                   "context": {k: str(v) for k, v in context.items()}}
        say(PREFIX + "json " + json.dumps(payload))
    else:
        say(PREFIX + "log " + level + " " + message)


def watch_stdin():
    # Raw reads on fd 0: a daemon thread blocked in sys.stdin would hold its lock at exit.
    pending = b""
    while True:
        try:
            chunk = os.read(0, 4096)
        except OSError:
            break
        if not chunk:
            break  # EOF: the master is gone
        pending += chunk
        *lines, pending = pending.split(b"\n")
        if any(line.strip() == b"stop" for line in lines):
            break
    stop.set()


def main():
    if not os.environ.get("DA_ID"):
        print("python-worker.py is a distarch worker: it runs under a master (DA_ID is not set).",
              file=sys.stderr)
        return 2
    max_iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    threading.Thread(target=watch_stdin, daemon=True).start()

    env = os.environ
    say("python worker %s/%s/%s of %s params=%s" % (
        env.get("DA_ID", ""), env.get("DA_GROUP_ID", ""), env.get("DA_GROUP_COUNT", ""),
        env.get("DA_GROUP_NAME", ""), env.get("DA_PARAMS", "")))
    params = json.loads(env.get("DA_PARAMS") or "{}")
    log("warn", "python worker %s: this is a warning" % env.get("DA_ID"), params=len(params))
    say(PREFIX + "ping")

    i = 0
    while not stop.is_set() and (max_iterations <= 0 or i < max_iterations):
        i += 1
        say("iteration %d" % i)
        stop.wait(1)

    say("stopping after %d iterations" % i)
    say(PREFIX + "ended")
    # The master may send SIGTERM as well as "stop"; Python restores the default (fatal) handler while
    # it exits, so a late SIGTERM would turn this clean end into "killed by signal 15". Ignore it now.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return 0


if __name__ == "__main__":
    sys.exit(main())
