"""A minimal WebSocket (RFC 6455) echo server and client for gateway tests.

    websocket_peer.py serve          listen on a free 127.0.0.1 port, print
                                     "ready PORT", echo every text or binary
                                     message until the client closes
    websocket_peer.py client PORT PATH COUNT
                                     connect to 127.0.0.1:PORT, do the
                                     handshake for PATH, send COUNT messages
                                     of growing size, check each echo, close;
                                     exit 0 and print "ok COUNT" on success

Only the standard library is used: hashlib and base64 for the handshake,
struct for frame headers.
"""

import base64
import hashlib
import os
import socket
import struct
import sys
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_value(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def read_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("connection closed after %d of %d bytes" % (len(data), count))
        data += chunk
    return data


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError("connection closed during the handshake")
        data += chunk
    lines = data.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


def read_frame(sock):
    first, second = read_exact(sock, 2)
    opcode = first & 0x0F
    masked = second & 0x80
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", read_exact(sock, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", read_exact(sock, 8))[0]
    mask = read_exact(sock, 4) if masked else None
    payload = read_exact(sock, length)
    if mask:
        payload = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    return opcode, payload


def write_frame(sock, opcode, payload, masked):
    header = bytes([0x80 | opcode])
    length = len(payload)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        header += bytes([mask_bit | length])
    elif length < 65536:
        header += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        header += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if masked:
        mask = os.urandom(4)
        payload = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        header += mask
    sock.sendall(header + payload)


def serve_connection(sock):
    try:
        _, headers = read_head(sock)
        key = headers.get("sec-websocket-key", "")
        sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: %s\r\n\r\n" % accept_value(key)).encode())
        while True:
            opcode, payload = read_frame(sock)
            if opcode == 8:
                write_frame(sock, 8, payload, masked=False)
                return
            if opcode in (1, 2):
                write_frame(sock, opcode, payload, masked=False)
    except (ConnectionError, OSError):
        pass
    finally:
        sock.close()


def serve():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print("ready %d" % listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve_connection, args=(connection,), daemon=True).start()


def client(port, path, count):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, port, key)).encode())
    status, headers = read_head(sock)
    if " 101 " not in status + " ":
        print("handshake failed: %s" % status)
        return 1
    if headers.get("sec-websocket-accept") != accept_value(key):
        print("wrong Sec-WebSocket-Accept: %r" % headers.get("sec-websocket-accept"))
        return 1
    for index in range(count):
        message = ("message %d " % index).encode() * (1 + index * 50)
        write_frame(sock, 2, message, masked=True)
        opcode, payload = read_frame(sock)
        if opcode != 2 or payload != message:
            print("echo %d differs: opcode %d, %d bytes" % (index, opcode, len(payload)))
            return 1
    write_frame(sock, 8, struct.pack("!H", 1000), masked=True)
    opcode, _ = read_frame(sock)
    sock.close()
    print("ok %d" % count)
    return 0 if opcode == 8 else 1


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    else:
        sys.exit(client(int(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
