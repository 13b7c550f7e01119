"""A server and client for moving large bodies through the gateway.

    bulk_peer.py serve               listen on a free 127.0.0.1 port, print
                                     "ready PORT", and serve
                                     GET /download?bytes=N (N bytes with a
                                     Content-Length) and POST /upload (the
                                     body's length as the response)
    bulk_peer.py download PORT N [MBPS]
                                     GET /download?bytes=N from 127.0.0.1:PORT
                                     and print the bytes received
    bulk_peer.py upload PORT N [MBPS]
                                     POST N bytes to /upload on 127.0.0.1:PORT
                                     and print the response body

A client given MBPS reads or writes at most that many MiB per second, so
that a transfer does not take every core from the processes beside it.

Both sides read and write in 1 MiB blocks, so they hold little memory.
Only the standard library is used.
"""

import http.client
import http.server
import sys
import time
import urllib.parse

BLOCK = b"a" * (1 << 20)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        total = int(query.get("bytes", ["0"])[0])
        self.send_response(200)
        self.send_header("Content-Length", str(total))
        self.end_headers()
        left = total
        while left > 0:
            count = min(left, len(BLOCK))
            self.wfile.write(BLOCK if count == len(BLOCK) else BLOCK[:count])
            left -= count

    def do_POST(self):
        left = int(self.headers.get("Content-Length", "0"))
        total = 0
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 20))
            if not chunk:
                break
            total += len(chunk)
            left -= len(chunk)
        body = str(total).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Pacer:
    """Sleeps as needed to keep a transfer at or below a rate."""

    def __init__(self, mebibytes_per_second):
        self.rate = mebibytes_per_second * (1 << 20) if mebibytes_per_second else None
        self.start = time.monotonic()
        self.done = 0

    def account(self, count):
        self.done += count
        if self.rate:
            ahead = self.done / self.rate - (time.monotonic() - self.start)
            if ahead > 0:
                time.sleep(ahead)


def blocks(total, pacer):
    left = total
    while left > 0:
        count = min(left, len(BLOCK))
        pacer.account(count)
        yield BLOCK if count == len(BLOCK) else BLOCK[:count]
        left -= count


def main():
    if sys.argv[1] == "serve":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("ready %d" % server.server_address[1], flush=True)
        server.serve_forever()
    port, total = int(sys.argv[2]), int(sys.argv[3])
    pacer = Pacer(float(sys.argv[4]) if len(sys.argv) > 4 else None)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    if sys.argv[1] == "download":
        connection.request("GET", "/download?bytes=%d" % total)
        response = connection.getresponse()
        received = 0
        while True:
            chunk = response.read(1 << 20)
            if not chunk:
                break
            received += len(chunk)
            pacer.account(len(chunk))
        print("status %d received %d" % (response.status, received))
    else:
        connection.request("POST", "/upload", body=blocks(total, pacer), headers={"Content-Length": str(total)})
        response = connection.getresponse()
        print("status %d received %s" % (response.status, response.read().decode()))


if __name__ == "__main__":
    main()
