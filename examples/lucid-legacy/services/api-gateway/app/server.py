"""Lucid API gateway: one entry point that forwards /api/<service>/<path> to the service.

Upstreams come from $LUCID_UPSTREAMS, "name=http://host:port,..." (compose service names by
default). GET /routes lists them; any other /api/... request is forwarded with its method and
body, and the upstream's status and JSON come back unchanged (502 when it cannot be reached).
"""
import urllib.error

SERVICE = "api-gateway"
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


DEFAULT_UPSTREAMS = ("auth=http://lucid-auth-service:8081,sessions=http://lucid-session-management:8084,"
                     "rdp=http://lucid-rdp-services:8085,nodes=http://lucid-node-management:8086,"
                     "chain=http://lucid-blockchain-engine:8082,payments=http://lucid-tron-payment:8088,"
                     "mesh=http://lucid-service-mesh-controller:8083")
UPSTREAMS = dict(item.split("=", 1) for item in
                 os.environ.get("LUCID_UPSTREAMS", DEFAULT_UPSTREAMS).split(",") if "=" in item)


def routes(handler, parts, body):
    return 200, {"routes": UPSTREAMS}


def forward(handler, parts, body):
    if not parts or parts[0] not in UPSTREAMS:
        return 404, {"error": "unknown service", "known": sorted(UPSTREAMS)}
    url = UPSTREAMS[parts[0]] + "/" + "/".join(parts[1:])
    data = json.dumps(body).encode() if body else None
    request = urllib.request.Request(url, data=data, method=handler.command,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
    except (urllib.error.URLError, OSError) as e:
        return 502, {"error": f"{parts[0]} unreachable: {e}"}


JsonHandler.routes = {("GET", "routes"): routes, ("GET", "api"): forward,
                      ("POST", "api"): forward, ("DELETE", "api"): forward}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8080")))
