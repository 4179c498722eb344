"""Lucid node management: worker nodes register, send heartbeats and get work placed.

  POST /nodes {"id", "capacity"}      registers (or updates) a node
  POST /heartbeat/<id>                marks the node alive
  GET  /nodes                         nodes with their state (alive: heartbeat < 30 s ago)
  POST /place {"load"}                picks the alive node with the most free capacity
"""
import time

SERVICE = "node-management"
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


TIMEOUT = int(os.environ.get("NODE_TIMEOUT_SECONDS", "30"))
_nodes = {}
_lock = threading.Lock()


def _alive(node):
    return time.time() - node["heartbeat"] < TIMEOUT


def register(handler, parts, body):
    if not body.get("id") or int(body.get("capacity", 0)) <= 0:
        return 400, {"error": "id and a positive capacity are required"}
    with _lock:
        node = _nodes.setdefault(body["id"], {"id": body["id"], "load": 0})
        node.update(capacity=int(body["capacity"]), heartbeat=time.time())
    return 201, node


def heartbeat(handler, parts, body):
    with _lock:
        node = _nodes.get(parts[0]) if parts else None
        if node is None:
            return 404, {"error": "unknown node"}
        node["heartbeat"] = time.time()
    return 200, node


def listing(handler, parts, body):
    with _lock:
        return 200, {"nodes": [dict(n, alive=_alive(n)) for n in _nodes.values()]}


def place(handler, parts, body):
    load = int(body.get("load", 1))
    with _lock:
        candidates = [n for n in _nodes.values() if _alive(n) and n["capacity"] - n["load"] >= load]
        if not candidates:
            return 503, {"error": "no node has room"}
        node = max(candidates, key=lambda n: (n["capacity"] - n["load"], n["id"]))
        node["load"] += load
    return 200, {"node": node["id"], "free": node["capacity"] - node["load"]}


JsonHandler.routes = {("POST", "nodes"): register, ("POST", "heartbeat"): heartbeat,
                      ("GET", "nodes"): listing, ("POST", "place"): place}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8086")))
