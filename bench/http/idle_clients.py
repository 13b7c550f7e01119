#!/usr/bin/env python3
"""Open keep-alive HTTP/1.1 connections to a loopback server and hold them idle.

bench/http/run starts this as its own process, so the sockets count against
this process's open-file limit and not the runner's. Each connection sends
one `GET / HTTP/1.1` request and reads the whole response, so the server has
set up its per-connection state and then waits for the next request.

Protocol with the parent, one line each:
  stdout "ready HELD FAILED"  every connection has been set up or has failed
  stdin  "check"              stdout "open N": connections the server has not closed
  stdin  "exit" or EOF        close every connection and exit 0
The process also exits by itself after --lifetime seconds.
"""

import argparse
import collections
import errno
import ipaddress
import os
import resource
import selectors
import socket
import sys
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
RECV_SIZE = 4096


class Connection:
    """One client socket and the progress of its single request."""

    def __init__(self, sock):
        self.sock = sock
        self.connected = False
        self.sent = 0
        self.received = bytearray()


def response_state(data):
    """Classify a partial response: return "incomplete", "done" or an error reason."""
    header_end = data.find(b"\r\n\r\n")
    if header_end < 0:
        return "incomplete"

    head = bytes(data[:header_end]).decode("latin-1")
    lines = head.split("\r\n")
    status_fields = lines[0].split(" ", 2)
    if len(status_fields) < 2 or not status_fields[0].startswith("HTTP/1."):
        return "invalid status line %r" % lines[0]
    if status_fields[1] != "200":
        return "status %s" % status_fields[1]

    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if "close" in headers.get("connection", ""):
        return "server sent Connection: close"

    body = data[header_end + 4:]
    if "chunked" in headers.get("transfer-encoding", ""):
        return "done" if body.endswith(b"0\r\n\r\n") else "incomplete"
    if "content-length" in headers:
        try:
            length = int(headers["content-length"])
        except ValueError:
            return "invalid Content-Length %r" % headers["content-length"]
        return "done" if len(body) >= length else "incomplete"
    return "response has neither Content-Length nor chunked body"


def raise_open_file_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        sys.exit(
            "idle_clients: open-file limit %d is below the %d sockets needed; "
            "raise it with ulimit -n or lower --count" % (hard, needed)
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def open_connections(host, port, count, window, deadline):
    """Set up `count` connections with at most `window` in progress at once.

    Returns the idle sockets and a Counter of failure reasons.
    """
    selector = selectors.DefaultSelector()
    idle = []
    failures = collections.Counter()
    started = 0
    in_progress = 0

    def fail(conn, reason):
        nonlocal in_progress
        selector.unregister(conn.sock)
        conn.sock.close()
        failures[reason] += 1
        in_progress -= 1

    while len(idle) + sum(failures.values()) < count:
        now = time.monotonic()
        if now >= deadline:
            failures["timed out"] += in_progress + (count - started)
            break

        while started < count and in_progress < window:
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
            sock.setblocking(False)
            started += 1
            code = sock.connect_ex((host, port))
            if code not in (0, errno.EINPROGRESS):
                sock.close()
                failures["connect: " + errno.errorcode.get(code, str(code))] += 1
                continue
            selector.register(sock, selectors.EVENT_WRITE, Connection(sock))
            in_progress += 1

        for key, _ in selector.select(timeout=min(1.0, deadline - now)):
            conn = key.data
            if not conn.connected:
                code = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code != 0:
                    fail(conn, "connect: " + errno.errorcode.get(code, str(code)))
                    continue
                conn.connected = True

            if conn.sent < len(REQUEST):
                try:
                    conn.sent += conn.sock.send(REQUEST[conn.sent:])
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError as error:
                    fail(conn, "send: " + str(error))
                    continue
                if conn.sent == len(REQUEST):
                    selector.modify(conn.sock, selectors.EVENT_READ, conn)
                continue

            try:
                chunk = conn.sock.recv(RECV_SIZE)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as error:
                fail(conn, "recv: " + str(error))
                continue
            if not chunk:
                fail(conn, "server closed the connection before the response ended")
                continue
            conn.received += chunk
            state = response_state(conn.received)
            if state == "incomplete":
                continue
            if state != "done":
                fail(conn, state)
                continue
            selector.unregister(conn.sock)
            in_progress -= 1
            idle.append(conn.sock)

    for key in list(selector.get_map().values()):
        key.fileobj.close()
    selector.close()
    return idle, failures


def count_open(idle):
    """Return how many sockets are still idle.

    A readable socket was either closed by the server or received data
    without a request, so it no longer counts as an idle keep-alive connection.
    """
    selector = selectors.DefaultSelector()
    for sock in idle:
        selector.register(sock, selectors.EVENT_READ)
    readable = len(selector.select(timeout=0))
    selector.close()
    return len(idle) - readable


def handle_commands(commands, idle):
    """Run "check" commands in order and return True once "exit" arrives."""
    for command in commands:
        if command == b"exit":
            return True
        if command == b"check":
            print("open %d" % count_open(idle), flush=True)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address of the server")
    parser.add_argument("--port", type=int, required=True, help="server TCP port")
    parser.add_argument("--count", type=int, default=10000, help="connections to hold")
    parser.add_argument("--window", type=int, default=256,
                        help="maximum connections being set up at once, to stay within the listen backlog")
    parser.add_argument("--setup-timeout", type=float, default=120.0,
                        help="seconds allowed for setting up all connections")
    parser.add_argument("--lifetime", type=float, default=600.0,
                        help="seconds after which the process exits even without an exit command")
    args = parser.parse_args()

    if not ipaddress.ip_address(args.host).is_loopback:
        sys.exit("idle_clients: --host %s is not a loopback address" % args.host)
    started_at = time.monotonic()
    raise_open_file_limit(args.count + 64)

    idle, failures = open_connections(
        args.host, args.port, args.count, args.window, started_at + args.setup_timeout
    )
    for reason, number in failures.most_common():
        print("idle_clients: %d connections failed: %s" % (number, reason), file=sys.stderr)
    print("ready %d %d" % (len(idle), sum(failures.values())), flush=True)

    stdin = sys.stdin.fileno()
    pending = b""
    while True:
        remaining = started_at + args.lifetime - time.monotonic()
        if remaining <= 0:
            print("idle_clients: lifetime of %.0f s reached, exiting" % args.lifetime, file=sys.stderr)
            break
        readable = selectors.DefaultSelector()
        readable.register(stdin, selectors.EVENT_READ)
        ready = readable.select(timeout=remaining)
        readable.close()
        if not ready:
            continue
        chunk = os.read(stdin, 1024)
        if not chunk:
            break
        pending += chunk
        *commands, pending = pending.split(b"\n")
        if handle_commands(commands, idle):
            break

    for sock in idle:
        sock.close()


if __name__ == "__main__":
    main()
