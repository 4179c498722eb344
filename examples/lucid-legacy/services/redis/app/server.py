"""Lucid key-value store: a small Redis-compatible (RESP2) server.

Speaks enough of the protocol for redis-cli and client libraries doing simple work:
PING, ECHO, SET (with EX/PX), GET, DEL, EXISTS, INCR, INCRBY, EXPIRE, TTL, KEYS, DBSIZE,
FLUSHDB, QUIT. `server.py --check` connects to the local port and expects +PONG (health check).
"""
import fnmatch
import os
import socket
import socketserver
import sys
import threading
import time

PORT = int(os.environ.get("REDIS_PORT", "6379"))
_data = {}
_expiry = {}
_lock = threading.Lock()


def _alive(key):
    deadline = _expiry.get(key)
    if deadline is not None and deadline <= time.monotonic():
        _data.pop(key, None)
        _expiry.pop(key, None)
    return key in _data


def bulk(value):
    if value is None:
        return b"$-1\r\n"
    return b"$%d\r\n%s\r\n" % (len(value), value)


def execute(args):
    cmd = args[0].upper()
    with _lock:
        if cmd == b"PING":
            return b"+PONG\r\n" if len(args) == 1 else bulk(args[1])
        if cmd == b"ECHO" and len(args) == 2:
            return bulk(args[1])
        if cmd == b"SET" and len(args) >= 3:
            _data[args[1]] = args[2]
            _expiry.pop(args[1], None)
            if len(args) == 5 and args[3].upper() in (b"EX", b"PX"):
                scale = 1.0 if args[3].upper() == b"EX" else 0.001
                _expiry[args[1]] = time.monotonic() + int(args[4]) * scale
            return b"+OK\r\n"
        if cmd == b"GET" and len(args) == 2:
            return bulk(_data[args[1]] if _alive(args[1]) else None)
        if cmd == b"DEL":
            removed = sum(1 for k in args[1:] if _alive(k) and _data.pop(k, None) is not None)
            return b":%d\r\n" % removed
        if cmd == b"EXISTS":
            return b":%d\r\n" % sum(1 for k in args[1:] if _alive(k))
        if cmd in (b"INCR", b"INCRBY"):
            step = int(args[2]) if cmd == b"INCRBY" else 1
            try:
                value = int(_data[args[1]]) + step if _alive(args[1]) else step
            except ValueError:
                return b"-ERR value is not an integer or out of range\r\n"
            _data[args[1]] = str(value).encode()
            return b":%d\r\n" % value
        if cmd == b"EXPIRE" and len(args) == 3:
            if not _alive(args[1]):
                return b":0\r\n"
            _expiry[args[1]] = time.monotonic() + int(args[2])
            return b":1\r\n"
        if cmd == b"TTL" and len(args) == 2:
            if not _alive(args[1]):
                return b":-2\r\n"
            deadline = _expiry.get(args[1])
            return b":%d\r\n" % (-1 if deadline is None else int(deadline - time.monotonic()))
        if cmd == b"KEYS" and len(args) == 2:
            keys = [k for k in list(_data) if _alive(k) and fnmatch.fnmatchcase(k.decode(), args[1].decode())]
            return b"*%d\r\n" % len(keys) + b"".join(bulk(k) for k in keys)
        if cmd == b"DBSIZE":
            return b":%d\r\n" % sum(1 for k in list(_data) if _alive(k))
        if cmd == b"FLUSHDB":
            _data.clear()
            _expiry.clear()
            return b"+OK\r\n"
    return b"-ERR unknown command or wrong number of arguments for '%s'\r\n" % args[0]


class RespHandler(socketserver.StreamRequestHandler):
    def read_command(self):
        line = self.rfile.readline()
        if not line:
            return None
        if not line.startswith(b"*"):  # inline command: PING\r\n
            return line.split()
        args = []
        for _ in range(int(line[1:])):
            length = int(self.rfile.readline()[1:])
            args.append(self.rfile.read(length + 2)[:-2])
        return args

    def handle(self):
        while True:
            args = self.read_command()
            if not args:
                return
            if args[0].upper() == b"QUIT":
                self.wfile.write(b"+OK\r\n")
                return
            self.wfile.write(execute(args))


def check():
    with socket.create_connection(("127.0.0.1", PORT), timeout=2) as s:
        s.sendall(b"*1\r\n$4\r\nPING\r\n")
        return 0 if s.recv(16).startswith(b"+PONG") else 1


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(check())
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("0.0.0.0", PORT), RespHandler) as server:
        print(f"lucid-redis listening on :{PORT}", flush=True)
        server.serve_forever()
