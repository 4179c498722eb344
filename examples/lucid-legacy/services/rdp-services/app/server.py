"""Lucid RDP services: hands out RDP endpoints (host:port) from a fixed port pool.

  POST   /allocations {"session"}   reserves a port for a session, returns {"host", "port"}
  GET    /allocations               every allocation
  DELETE /allocations/<session>     releases the port
The pool is $RDP_PORT_FIRST..$RDP_PORT_LAST (default 13389..13399) on $RDP_HOST.
"""

SERVICE = "rdp-services"
import json
import os
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonHandler(BaseHTTPRequestHandler):
    routes = {}  # (method, first path segment) -> function(handler, parts, body)

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def dispatch(self, method):
        url = urllib.parse.urlparse(self.path)
        parts = [p for p in url.path.split("/") if p]
        self.query = urllib.parse.parse_qs(url.query)
        body = {}
        length = int(self.headers.get("Content-Length", 0) or 0)
        if length:
            try:
                body = json.loads(self.rfile.read(length))
            except ValueError:
                return self.reply(400, {"error": "body is not JSON"})
        if parts == ["health"] and method == "GET":
            return self.reply(200, {"status": "ok", "service": SERVICE})
        handler = self.routes.get((method, parts[0] if parts else ""))
        if handler is None:
            return self.reply(404, {"error": f"no route for {method} {url.path}"})
        code, result = handler(self, parts[1:], body)
        self.reply(code, result)

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def log_message(self, fmt, *args):
        sys.stdout.write(json.dumps({"service": SERVICE, "request": fmt % args}) + "\n")


def serve(port):
    if "--check" in sys.argv:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
            sys.exit(0 if json.load(r).get("status") == "ok" else 1)
    print(f"lucid-{SERVICE} listening on :{port}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", port), JsonHandler).serve_forever()


HOST = os.environ.get("RDP_HOST", "rdp.lucid.internal")
FIRST = int(os.environ.get("RDP_PORT_FIRST", "13389"))
LAST = int(os.environ.get("RDP_PORT_LAST", "13399"))
_allocations = {}  # session -> port
_lock = threading.Lock()


def allocate(handler, parts, body):
    session = body.get("session")
    if not session:
        return 400, {"error": "session is required"}
    with _lock:
        if session in _allocations:
            return 200, {"session": session, "host": HOST, "port": _allocations[session]}
        free = sorted(set(range(FIRST, LAST + 1)) - set(_allocations.values()))
        if not free:
            return 503, {"error": "no free RDP port"}
        _allocations[session] = free[0]
    return 201, {"session": session, "host": HOST, "port": free[0]}


def listing(handler, parts, body):
    with _lock:
        return 200, {"allocations": [{"session": s, "port": p} for s, p in sorted(_allocations.items())],
                     "free": (LAST - FIRST + 1) - len(_allocations)}


def release(handler, parts, body):
    with _lock:
        port = _allocations.pop(parts[0], None) if parts else None
    return (200, {"released": port}) if port else (404, {"error": "no allocation"})


JsonHandler.routes = {("POST", "allocations"): allocate, ("GET", "allocations"): listing,
                      ("DELETE", "allocations"): release}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8085")))
