#!/usr/bin/env python3
"""A distarch queue consumer in Python 3 (standard library only), written from the documentation:
the queue protocol (docs/queue-protocol.md) over the worker line protocol (docs/worker-protocol.md).

Usage: run by the master as a queue group's consumer, as the `bin_path` of a `consumers` entry. The
master runs `<bin_path> <command words>`: the arguments are the group's command, and are ignored.

It reads its DA_QUEUE_* variables, connects to the feeder (its UNIX socket first when DA_QUEUE_SOCKET is
set and present, else TCP; retrying with backoff while the feeder is not up), answers the handshake
(HMAC-SHA256 proof when DA_QUEUE_SECRET is set), asks for DA_QUEUE_PREFETCH items, then for each item:

- prints `@@distarch item {"state":"received",...}` when it arrives;
- prints "py handled ITEMID payload=<json>";
- fails it with "py refuses 7" when the payload is an object whose "text" contains "7", else succeeds;
- answers done/failed + ready(1). It prints no handled/failed line: the feeder reports each outcome, as it
  alone knows whether the answer arrived (docs/queue-protocol.md).

Pings from the feeder are answered at once by a reader thread; the master is pinged while idle. On
SIGTERM or `stop` on stdin it says `leave` (when the feeder's hello offers it) and handles what was already
on its way until the feeder's `stop`, so that nothing is lost in flight; then, as on stdin EOF (the master is
gone, at once) or with a feeder without `leave`, it finishes what it holds, asks for nothing more, closes,
says `@@distarch ended` and exits 0. On `stop` from the feeder it finishes what it holds, closes, and
reconnects.
(Resources lose their executable bit in a jar: copy this file out and chmod +x it.)
"""
import base64
import binascii
import hashlib
import hmac
import json
import os
import queue
import random
import select
import signal
import socket
import struct
import sys
import threading
import time

PREFIX = "@@distarch "
PROTOCOL_VERSION = 1
HEADER = struct.Struct(">i")  # 4 bytes, big-endian, signed
MAX_DELIVERY = 2 ** 53 - 1
INT32 = (-2 ** 31, 2 ** 31 - 1)
REFUSED_DELAY = 10.0  # after the feeder refused us (a wrong secret would be refused again)

stop = threading.Event()         # SIGTERM, "stop" on stdin, or stdin EOF
sigterm = [False]                # set by the signal handler (which must not take locks: Event.set does)
master_gone = threading.Event()  # stdin EOF: stop at once
out_lock = threading.Lock()
last_output = [time.monotonic()]


# ---------------------------------------------------------------- worker line protocol

def say(line):
    # The master reads lines: flush each one (stdout is a pipe, hence block-buffered). Two threads
    # print (the reader says "received"), so one lock keeps the lines whole.
    with out_lock:
        print(line, flush=True)
        last_output[0] = time.monotonic()


def log(level, message):
    say(PREFIX + "log " + level + " " + message.replace("\r", " ").replace("\n", " "))


def item_line(state, item_id, attempt, error=None):
    event = {"state": state, "itemId": item_id, "attempt": attempt}
    if error is not None:
        event["error"] = error
    say(PREFIX + "item " + json.dumps(event, separators=(",", ":")))


def watch_stdin():
    # Raw reads on fd 0: a daemon thread blocked in sys.stdin would hold its lock at exit.
    pending = b""
    while True:
        try:
            chunk = os.read(0, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            master_gone.set()  # EOF: the master is gone
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        if any(line.strip() == b"stop" for line in lines):
            break
    stop.set()


class Settings:
    def __init__(self, env):
        self.host = env.get("DA_QUEUE_HOST") or "127.0.0.1"
        self.port = int(env["DA_QUEUE_PORT"])
        self.socket_path = env.get("DA_QUEUE_SOCKET") or None
        self.secret = env.get("DA_QUEUE_SECRET") or None
        self.prefetch = max(1, int(env.get("DA_QUEUE_PREFETCH") or 1))
        self.max_frame = int(env.get("DA_QUEUE_MAX_FRAME") or 1048576)
        self.network_timeout = int(env.get("DA_QUEUE_NETWORK_TIMEOUT_MS") or 10000) / 1000.0
        timeout = float(env.get("DA_TIMEOUT") or 30)
        # Ping the master after this much silence (as the Java runtime: DA_TIMEOUT / 3, in 1 s .. 5 s).
        self.ping_every = min(5.0, max(1.0, timeout / 3))
        self.name = "%s#%s" % (env.get("DA_HOST") or socket.gethostname(), env.get("DA_ID", "?"))
        self.global_id = int(env["DA_ID"]) if (env.get("DA_ID") or "").isdigit() else 0


def stopping():
    """Whether a stop was asked. Called from the main thread's loops, which all wake at least every 0.25 s."""
    if sigterm[0] and not stop.is_set():
        stop.set()
    return stop.is_set()


def ping_master_if_quiet(settings):
    if time.monotonic() - last_output[0] >= settings.ping_every:
        say(PREFIX + "ping")


def pause(settings, seconds):
    """Waits, pinging the master; returns False as soon as a stop is asked."""
    deadline = time.monotonic() + seconds
    while not stopping():
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        stop.wait(min(left, 0.2))
        ping_master_if_quiet(settings)
    return False


# ---------------------------------------------------------------- queue protocol: frames

class ProtocolError(Exception):
    """The peer broke the protocol: say why (error frame) and close; the stream cannot be resynchronised."""


def no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ProtocolError("duplicate key \"%s\"" % key)
        obj[key] = value
    return obj


def reject_constant(name):
    raise ProtocolError("payload is not JSON: %s" % name)


def encode(frame, max_frame):
    body = json.dumps(frame, separators=(",", ":")).encode("utf-8")
    if len(body) > max_frame:
        raise ProtocolError("frame of %d bytes exceeds the limit of %d bytes" % (len(body), max_frame))
    return HEADER.pack(len(body)) + body


def field(frame, name, kind, check=None, what=None):
    type_name = frame["type"]
    if name not in frame:
        raise ProtocolError("%s needs \"%s\"" % (type_name, name))
    value = frame[name]
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise ProtocolError("%s's \"%s\" must be %s, got %s" % (
            type_name, name, {int: "an integer", str: "a string", bool: "a boolean"}[kind],
            json.dumps(value)[:40]))
    if check is not None and not check(value):
        raise ProtocolError("%s's \"%s\" must be %s, got %s" % (type_name, name, what, json.dumps(value)[:40]))
    return value


def int32(lo=INT32[0]):
    return lambda v: lo <= v <= INT32[1]


def decode(payload):
    """One frame's JSON bytes -> a validated dict (feeder -> consumer frames only)."""
    try:
        text = payload.decode("utf-8")  # strict: no overlong forms, no encoded surrogates
    except UnicodeDecodeError:
        raise ProtocolError("payload is not valid UTF-8")
    try:
        frame = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=reject_constant)
    except ProtocolError:
        raise
    except RecursionError:
        raise ProtocolError("payload is not JSON: nested too deeply")
    except ValueError as e:  # JSONDecodeError (BOM, trailing data, syntax)
        raise ProtocolError("payload is not JSON: %s" % e)
    if not isinstance(frame, dict):
        raise ProtocolError("a frame must be a JSON object")
    kind = frame.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("a frame needs a \"type\" string")
    if kind == "hello":
        field(frame, "protocol", int, int32(), "a 32-bit integer")
        field(frame, "nonce", str)
        field(frame, "authRequired", bool)
        if "leave" in frame:  # optional: absent from older feeders
            field(frame, "leave", bool)
    elif kind == "welcome":
        field(frame, "consumerNumber", int, int32(1), "at least 1")
    elif kind == "item":
        field(frame, "delivery", int, lambda v: 1 <= v <= MAX_DELIVERY, "between 1 and 2^53 - 1")
        field(frame, "itemId", str, lambda v: v != "", "non-empty")
        field(frame, "attempt", int, int32(1), "at least 1")
        if "payload" not in frame:
            raise ProtocolError("item needs \"payload\"")
    elif kind in ("stop", "error"):
        field(frame, "reason", str)
    elif kind == "ping":
        pass
    else:
        raise ProtocolError("unknown frame type \"%s\"" % kind)
    return frame


class FrameReader:
    """Cuts a byte stream into frames: 4-byte big-endian length N (1 <= N <= limit), then N bytes."""

    def __init__(self, max_frame):
        self.max_frame = max_frame
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        frames = []
        while len(self.buffer) >= HEADER.size:
            (n,) = HEADER.unpack_from(self.buffer)
            if n <= 0:
                raise ProtocolError("malformed frame length %d" % n)
            if n > self.max_frame:  # refused from the header alone
                raise ProtocolError("frame of %d bytes exceeds the limit of %d bytes" % (n, self.max_frame))
            if len(self.buffer) < HEADER.size + n:
                break
            payload = bytes(self.buffer[HEADER.size:HEADER.size + n])
            del self.buffer[:HEADER.size + n]
            frames.append(decode(payload))
        return frames


# ---------------------------------------------------------------- one connection

class Connection:
    """A socket to the feeder, with a reader thread that answers pings at once and queues the rest."""

    def __init__(self, sock, address, settings):
        self.sock = sock
        self.address = address
        self.settings = settings
        self.inbox = queue.Queue()
        self.send_lock = threading.Lock()
        self.welcomed = threading.Event()  # pings are answered only once the handshake is over
        self.can_leave = False  # the feeder's hello offers `leave`
        self.closed = threading.Event()
        sock.settimeout(settings.network_timeout)  # bounds sends; reads go through select()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def send(self, *frames):
        data = b"".join(encode(f, self.settings.max_frame) for f in frames)
        with self.send_lock:
            if self.closed.is_set():
                raise OSError("connection closed")
            self.sock.sendall(data)

    def refuse(self, reason):
        """Our side gives up on this feeder: say why, then close."""
        try:
            self.send({"type": "error", "reason": reason})
        except (OSError, ProtocolError):
            pass
        self.close()

    def close(self):
        with self.send_lock:
            if self.closed.is_set():
                return
            self.closed.set()
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()

    def _read(self):
        reader = FrameReader(self.settings.max_frame)
        last_frame = time.monotonic()
        try:
            while not self.closed.is_set():
                if time.monotonic() - last_frame > self.settings.network_timeout:
                    # Only whole frames count: a trickle is as silent as nothing.
                    self.inbox.put(("lost", "the feeder was silent for %d ms"
                                    % int(self.settings.network_timeout * 1000)))
                    return
                ready, _, _ = select.select([self.sock], [], [], 0.25)
                if not ready:
                    continue
                data = self.sock.recv(65536)
                if not data:
                    self.inbox.put(("lost", "connection closed by the feeder"))
                    return
                for frame in reader.feed(data):
                    last_frame = time.monotonic()
                    kind = frame["type"]
                    if kind == "ping":
                        if self.welcomed.is_set():
                            self.send({"type": "pong"})
                    elif kind == "item":
                        item_line("received", frame["itemId"], frame["attempt"])
                        self.inbox.put(("frame", frame))
                    else:
                        self.inbox.put(("frame", frame))
        except ProtocolError as e:
            self.inbox.put(("protocol", str(e)))
        except (OSError, ValueError) as e:  # ValueError: select() on a socket closed under us
            if not self.closed.is_set():
                self.inbox.put(("lost", "connection error: %s" % e))


def connect(settings):
    """The feeder's UNIX socket first when we have one, else (or on failure) TCP. Raises OSError."""
    if settings.socket_path and os.path.exists(settings.socket_path):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(settings.network_timeout)
            sock.connect(settings.socket_path)
            return sock, "unix:" + settings.socket_path
        except OSError:
            sock.close()  # fall back to TCP
    sock = socket.create_connection((settings.host, settings.port), timeout=settings.network_timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock, "%s:%d" % (settings.host, settings.port)


def proof(secret, nonce):
    """base64(HMAC-SHA256(key = secret as UTF-8, message = the nonce text as received, ASCII))."""
    if not secret:
        return ""
    mac = hmac.new(secret.encode("utf-8"), nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


def next_event(conn, settings, deadline=None):
    """The connection's next event, pinging the master while waiting.

    None at the deadline or when the master is gone; ("stopping", None) when a stop is asked and nothing
    is queued (the caller decides what a stop means in its state)."""
    while True:
        if master_gone.is_set():
            return None
        if deadline is not None and time.monotonic() >= deadline:
            return None
        try:
            return conn.inbox.get(timeout=0.2)
        except queue.Empty:
            if stopping():
                return "stopping", None
            ping_master_if_quiet(settings)


class Refused(Exception):
    """The feeder refused us, or we refused it: wait longer before trying again."""


def handshake(conn, settings):
    """hello -> auth -> welcome. Returns the consumer number; raises Refused or OSError."""
    deadline = time.monotonic() + settings.network_timeout
    event = next_event(conn, settings, deadline)
    if event is None:
        raise OSError("no hello within %d ms" % int(settings.network_timeout * 1000))
    kind, value = event
    if kind == "stopping":
        raise OSError("stopping")
    if kind == "protocol":
        conn.refuse(value)
        raise Refused("protocol error: " + value)
    if kind != "frame":
        raise OSError(value)
    if value["type"] == "error":
        raise Refused("refused by the feeder: " + value["reason"])
    if value["type"] != "hello":
        conn.refuse("expected hello, got %s" % value["type"])
        raise Refused("expected hello, got %s" % value["type"])
    hello = value
    if hello["protocol"] != PROTOCOL_VERSION:
        reason = "unsupported protocol version %d, this side speaks %d" % (hello["protocol"], PROTOCOL_VERSION)
        conn.refuse(reason)
        raise Refused(reason)
    nonce = hello["nonce"]
    conn.can_leave = hello.get("leave") is True
    try:
        if len(base64.b64decode(nonce.encode("ascii"), validate=True)) < 16:
            raise ValueError("too short")
    except (ValueError, binascii.Error, UnicodeEncodeError):
        conn.refuse("hello's nonce must be base64 of at least 16 bytes")
        raise Refused("bad nonce from the feeder")
    if settings.secret and not hello["authRequired"]:
        reason = "this consumer has a secret and the feeder does not require one"
        conn.refuse(reason)
        raise Refused(reason)
    if not settings.secret and hello["authRequired"]:
        log("warn", "The feeder requires a secret and DA_QUEUE_SECRET is not set")
    auth = {"type": "auth", "protocol": PROTOCOL_VERSION, "consumer": settings.name,
            "proof": proof(settings.secret, nonce)}
    if settings.global_id:
        auth["consumerId"] = settings.global_id  # optional: the feeder's outcome lines name us with it
    conn.send(auth)
    event = next_event(conn, settings, deadline)
    if event is None:
        raise OSError("no welcome within %d ms" % int(settings.network_timeout * 1000))
    kind, value = event
    if kind == "stopping":
        raise OSError("stopping")
    if kind == "protocol":
        conn.refuse(value)
        raise Refused("protocol error: " + value)
    if kind != "frame":
        raise OSError(value)
    if value["type"] == "error":
        raise Refused("refused by the feeder: " + value["reason"])
    if value["type"] != "welcome":
        conn.refuse("expected welcome, got %s" % value["type"])
        raise Refused("expected welcome, got %s" % value["type"])
    conn.welcomed.set()
    return value["consumerNumber"]


# ---------------------------------------------------------------- the handler

def handle(item):
    """Returns None on success, else the error message."""
    payload = item["payload"]
    say("py handled %s payload=%s" % (item["itemId"], json.dumps(payload, separators=(",", ":"))))
    if isinstance(payload, dict) and "7" in str(payload.get("text", "")):
        return "py refuses 7"
    return None


def serve(conn, settings):
    """Items until the feeder stops, the connection ends or we are asked to stop.

    Returns (delay before reconnecting, reason to log or None)."""
    conn.send({"type": "ready", "credits": settings.prefetch})
    feeder_stopped = False
    left = False
    while True:
        if stopping() and conn.can_leave and not left and not feeder_stopped:
            # The feeder sends nothing more and answers `stop`, after every item already on its way.
            try:
                conn.send({"type": "leave"})
            except OSError:
                conn.close()
                return 0.0, None
            left = True
        if (feeder_stopped or stopping() and not left) and conn.inbox.empty():
            # Nothing held: ask for nothing more, close cleanly.
            conn.close()
            return 0.0, None
        event = next_event(conn, settings)
        if event is None:  # the master is gone: stop at once
            conn.close()
            return 0.0, None
        kind, value = event
        if kind == "stopping":
            continue  # checked at the top of the loop
        if kind == "lost":
            conn.close()
            if feeder_stopped:
                return 0.0, None  # a stopping feeder closes once it has every answer: a clean end
            return None, value
        if kind == "protocol":
            conn.refuse(value)
            return None, "protocol error from the feeder: " + value
        frame = value
        if frame["type"] == "stop":
            log("debug" if left else "info", "Feeder stopping: %s" % frame["reason"])
            feeder_stopped = True
        elif frame["type"] == "error":
            conn.close()
            return REFUSED_DELAY, "refused by the feeder: " + frame["reason"]
        elif frame["type"] == "item":
            error = handle(frame)
            if error is None:
                answer = {"type": "done", "delivery": frame["delivery"]}
            else:
                answer = {"type": "failed", "delivery": frame["delivery"], "error": error}
            frames = [answer]
            if not stopping() and not feeder_stopped:
                frames.append({"type": "ready", "credits": 1})  # same write as the answer
            try:
                conn.send(*frames)
            except OSError as e:
                conn.close()
                return None, "connection error: %s" % e
        else:  # hello or welcome again: not in this state
            conn.refuse("unexpected %s after welcome" % frame["type"])
            return None, "unexpected %s from the feeder" % frame["type"]


def run(settings):
    delay = 0.1
    waiting_logged = False
    while not stopping():
        target = "%s:%d" % (settings.host, settings.port)
        try:
            sock, address = connect(settings)
        except OSError as e:
            if not waiting_logged:
                log("info", "Waiting for the feeder at %s: %s" % (target, e))
                waiting_logged = True
            if not pause(settings, delay * random.uniform(0.8, 1.2)):
                break
            delay = min(2.0, delay * 2)
            continue
        conn = Connection(sock, address, settings)
        try:
            number = handshake(conn, settings)
        except Refused as e:
            conn.close()
            log("warn", "Feeder at %s: %s; trying again in %d s" % (address, e, REFUSED_DELAY))
            waiting_logged = True
            if not pause(settings, REFUSED_DELAY):
                break
            continue
        except OSError as e:
            conn.close()
            if not stopping():
                if not waiting_logged:
                    log("info", "Waiting for the feeder at %s: %s" % (address, e))
                    waiting_logged = True
                if not pause(settings, delay * random.uniform(0.8, 1.2)):
                    break
                delay = min(2.0, delay * 2)
            continue
        if stopping():
            conn.close()
            break
        say("Connected to %s as consumer %d" % (address, number))
        waiting_logged = False
        delay = 0.1
        try:
            wait, reason = serve(conn, settings)
        except OSError as e:
            conn.close()
            wait, reason = None, "connection error: %s" % e
        if reason is not None:
            log("warn", "Disconnected from %s: %s" % (address, reason))
        if stopping():
            break
        if not pause(settings, (wait if wait is not None else delay) * random.uniform(0.8, 1.2) + 0.05):
            break
    return 0


def main():
    env = os.environ
    if not env.get("DA_ID"):
        print("queue-consumer.py is a distarch queue consumer: it runs under a master (DA_ID is not set).",
              file=sys.stderr)
        return 2
    try:
        settings = Settings(env)
    except (KeyError, ValueError) as e:
        print("queue-consumer.py: invalid DA_QUEUE_* environment: %r" % (e,), file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda signum, frame: sigterm.__setitem__(0, True))
    threading.Thread(target=watch_stdin, daemon=True).start()
    say("py consumer %s/%s/%s of %s for %s:%s (prefetch %d, secret %s)" % (
        env.get("DA_ID", ""), env.get("DA_GROUP_ID", ""), env.get("DA_GROUP_COUNT", ""),
        env.get("DA_GROUP_NAME", ""), settings.host, settings.port, settings.prefetch,
        "set" if settings.secret else "unset"))
    code = run(settings)
    # The master asks a stop with both `stop` on stdin and SIGTERM: the second may arrive while Python
    # shuts down, after it has put back the default disposition of the signals it handled (which kills).
    # An ignored signal is left ignored, so the exit stays clean (0) whatever comes now.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    say(PREFIX + "ended")
    return code


if __name__ == "__main__":
    sys.exit(main())
