"""Lucid TRON payments: payment requests to TRON addresses, checked before they are stored.

  POST /payments {"to", "amount_sun"}    validates the base58check address (T..., 0x41 prefix)
  GET  /payments/<id>                    one payment
  POST /confirm/<id> {"txid"}            marks it paid with a 64-hex transaction id
"""
import hashlib
import re
import uuid

SERVICE = "tron-payment"
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


ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_payments = {}
_lock = threading.Lock()


def valid_tron_address(address):
    """Base58check: 21 bytes (0x41 + 20) followed by the first 4 bytes of sha256(sha256(.))."""
    if not isinstance(address, str) or not address.startswith("T"):
        return False
    number = 0
    for ch in address:
        if ch not in ALPHABET:
            return False
        number = number * 58 + ALPHABET.index(ch)
    raw = number.to_bytes(25, "big") if number < 1 << 200 else b""
    if len(raw) != 25 or raw[0] != 0x41:
        return False
    check = hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4]
    return check == raw[21:]


def create(handler, parts, body):
    if not valid_tron_address(body.get("to")):
        return 400, {"error": "not a valid TRON address"}
    amount = body.get("amount_sun")
    if not isinstance(amount, int) or amount <= 0:
        return 400, {"error": "amount_sun must be a positive integer"}
    payment = {"id": uuid.uuid4().hex, "to": body["to"], "amount_sun": amount, "state": "pending"}
    with _lock:
        _payments[payment["id"]] = payment
    return 201, payment


def read(handler, parts, body):
    payment = _payments.get(parts[0]) if parts else None
    return (200, payment) if payment else (404, {"error": "no such payment"})


def confirm(handler, parts, body):
    if not re.fullmatch(r"[0-9a-f]{64}", body.get("txid", "")):
        return 400, {"error": "txid must be 64 lowercase hex digits"}
    with _lock:
        payment = _payments.get(parts[0]) if parts else None
        if payment is None:
            return 404, {"error": "no such payment"}
        payment.update(state="paid", txid=body["txid"])
    return 200, payment


JsonHandler.routes = {("POST", "payments"): create, ("GET", "payments"): read,
                      ("POST", "confirm"): confirm}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8088")))
