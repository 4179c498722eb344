"""Lucid auth service: user registration, login and signed bearer tokens.

  POST /register {"user", "password"}   stores a PBKDF2-SHA256 hash with a random salt
  POST /login    {"user", "password"}   returns {"token"}: HMAC-SHA256 signed, 1 hour
  POST /verify   {"token"}              returns {"user", "expires"} or 401
The signing key comes from $AUTH_SECRET (a fresh random key when unset).
"""
import base64
import hashlib
import hmac
import secrets
import time

SERVICE = "auth-service"
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


SECRET = os.environ.get("AUTH_SECRET", "").encode() or secrets.token_bytes(32)
_users = {}
_lock = threading.Lock()


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hash(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 200_000)


def sign(user, ttl=3600):
    claims = _b64(json.dumps({"user": user, "expires": int(time.time()) + ttl}).encode())
    mac = _b64(hmac.new(SECRET, claims.encode(), hashlib.sha256).digest())
    return f"{claims}.{mac}"


def verify(token):
    claims, _, mac = token.partition(".")
    expected = _b64(hmac.new(SECRET, claims.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(mac, expected):
        return None
    data = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    return data if data["expires"] > time.time() else None


def register(handler, parts, body):
    user, password = body.get("user", ""), body.get("password", "")
    if not user or len(password) < 8:
        return 400, {"error": "user and a password of 8+ characters are required"}
    with _lock:
        if user in _users:
            return 409, {"error": "user exists"}
        salt = secrets.token_bytes(16)
        _users[user] = (salt, _hash(password, salt))
    return 201, {"user": user}


def login(handler, parts, body):
    entry = _users.get(body.get("user", ""))
    if entry is None or not hmac.compare_digest(entry[1], _hash(body.get("password", ""), entry[0])):
        return 401, {"error": "invalid credentials"}
    return 200, {"token": sign(body["user"])}


def check_token(handler, parts, body):
    claims = verify(body.get("token", ""))
    return (200, claims) if claims else (401, {"error": "invalid or expired token"})


JsonHandler.routes = {("POST", "register"): register, ("POST", "login"): login,
                      ("POST", "verify"): check_token}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8081")))
