"""Lucid admin interface: a status page over the health endpoints of the fleet.

  GET /           an HTML table of every service and whether its /health answers
  GET /status     the same as JSON
Targets come from $LUCID_TARGETS, "name=http://host:port,..." (compose names by default).
"""
import html

SERVICE = "admin-interface"
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


DEFAULT_TARGETS = ("api-gateway=http://lucid-api-gateway:8080,auth-service=http://lucid-auth-service:8081,"
                   "elasticsearch=http://lucid-elasticsearch:9200,session-management=http://lucid-session-management:8084")
TARGETS = dict(item.split("=", 1) for item in
               os.environ.get("LUCID_TARGETS", DEFAULT_TARGETS).split(",") if "=" in item)


def probe():
    result = {}
    for name, url in sorted(TARGETS.items()):
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                result[name] = "up" if r.status == 200 else f"HTTP {r.status}"
        except OSError as e:
            result[name] = f"down ({e.__class__.__name__})"
    return result


def status(handler, parts, body):
    return 200, {"services": probe()}


def page(handler):
    rows = "".join(f"<tr><td>{html.escape(n)}</td><td>{html.escape(s)}</td></tr>"
                   for n, s in probe().items())
    data = (f"<!doctype html><title>Lucid admin</title><h1>Lucid fleet</h1>"
            f"<table><tr><th>service</th><th>state</th></tr>{rows}</table>").encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _get(self):
    if self.path in ("/", "/index.html"):
        return page(self)
    self.dispatch("GET")


JsonHandler.do_GET = _get
JsonHandler.routes = {("GET", "status"): status}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8087")))
