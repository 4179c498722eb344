"""Lucid session management: remote-desktop sessions with an idle timeout.

  POST   /sessions {"user", "node"}   opens a session, returns {"id", ...}
  GET    /sessions                    every live session
  GET    /sessions/<id>               one session (and refreshes its idle timer)
  DELETE /sessions/<id>               closes it
Sessions idle longer than $SESSION_IDLE_SECONDS (default 900) are dropped.
"""
import time
import uuid

SERVICE = "session-management"
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


IDLE = int(os.environ.get("SESSION_IDLE_SECONDS", "900"))
_sessions = {}
_lock = threading.Lock()


def _expire():
    now = time.time()
    for sid in [s for s, v in _sessions.items() if now - v["last_seen"] > IDLE]:
        del _sessions[sid]


def create(handler, parts, body):
    if not body.get("user"):
        return 400, {"error": "user is required"}
    session = {"id": uuid.uuid4().hex, "user": body["user"], "node": body.get("node", ""),
               "opened": time.time(), "last_seen": time.time()}
    with _lock:
        _expire()
        _sessions[session["id"]] = session
    return 201, session


def read(handler, parts, body):
    with _lock:
        _expire()
        if not parts:
            return 200, {"sessions": list(_sessions.values())}
        session = _sessions.get(parts[0])
        if session is None:
            return 404, {"error": "no such session"}
        session["last_seen"] = time.time()
        return 200, session


def close(handler, parts, body):
    with _lock:
        session = _sessions.pop(parts[0], None) if parts else None
    return (200, {"closed": parts[0]}) if session else (404, {"error": "no such session"})


JsonHandler.routes = {("POST", "sessions"): create, ("GET", "sessions"): read,
                      ("DELETE", "sessions"): close}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8084")))
