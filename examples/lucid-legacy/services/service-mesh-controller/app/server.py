"""Lucid service mesh controller: a service registry with round-robin endpoint resolution.

  POST   /register {"service", "endpoint"}   adds an endpoint (idempotent)
  DELETE /register/<service>/<endpoint>      removes it (endpoint URL-encoded)
  GET    /services                           every service and its endpoints
  GET    /resolve/<service>                  the next endpoint, round robin
"""
import itertools

SERVICE = "service-mesh-controller"
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


_endpoints = {}  # service -> list of endpoints
_cursor = {}     # service -> itertools.count
_lock = threading.Lock()


def register(handler, parts, body):
    service, endpoint = body.get("service"), body.get("endpoint")
    if not service or not endpoint:
        return 400, {"error": "service and endpoint are required"}
    with _lock:
        endpoints = _endpoints.setdefault(service, [])
        if endpoint not in endpoints:
            endpoints.append(endpoint)
    return 201, {"service": service, "endpoints": endpoints}


def deregister(handler, parts, body):
    if len(parts) != 2:
        return 400, {"error": "use DELETE /register/<service>/<endpoint>"}
    endpoint = urllib.parse.unquote(parts[1])
    with _lock:
        endpoints = _endpoints.get(parts[0], [])
        if endpoint not in endpoints:
            return 404, {"error": "unknown endpoint"}
        endpoints.remove(endpoint)
    return 200, {"service": parts[0], "endpoints": endpoints}


def services(handler, parts, body):
    with _lock:
        return 200, {"services": {k: list(v) for k, v in _endpoints.items()}}


def resolve(handler, parts, body):
    with _lock:
        endpoints = _endpoints.get(parts[0], []) if parts else []
        if not endpoints:
            return 404, {"error": "no endpoint registered"}
        n = next(_cursor.setdefault(parts[0], itertools.count()))
        return 200, {"service": parts[0], "endpoint": endpoints[n % len(endpoints)]}


JsonHandler.routes = {("POST", "register"): register, ("DELETE", "register"): deregister,
                      ("GET", "services"): services, ("GET", "resolve"): resolve}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8083")))
