"""Lucid blockchain engine: an append-only chain of blocks with proof of work.

  POST /transactions {"from", "to", "amount"}   queues a transaction
  POST /mine                                    seals the queue into a block (difficulty 4 hex 0s)
  GET  /chain                                   every block
  GET  /validate                                re-checks every hash and link
This image compiles the sources to bytecode in a builder stage that RUNs (see plinth.yaml).
"""
import hashlib
import time

SERVICE = "blockchain-engine"
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


DIFFICULTY = int(os.environ.get("CHAIN_DIFFICULTY", "4"))
_lock = threading.Lock()
_pending = []


def block_hash(block):
    fields = {k: block[k] for k in ("index", "previous", "time", "transactions", "nonce")}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def seal(index, previous, transactions):
    block = {"index": index, "previous": previous, "time": int(time.time()),
             "transactions": transactions, "nonce": 0}
    while not (digest := block_hash(block)).startswith("0" * DIFFICULTY):
        block["nonce"] += 1
    block["hash"] = digest
    return block


_chain = [seal(0, "0" * 64, [])]


def add_transaction(handler, parts, body):
    if not body.get("from") or not body.get("to") or not isinstance(body.get("amount"), (int, float)):
        return 400, {"error": "from, to and a numeric amount are required"}
    with _lock:
        _pending.append({"from": body["from"], "to": body["to"], "amount": body["amount"]})
        return 202, {"pending": len(_pending)}


def mine(handler, parts, body):
    with _lock:
        block = seal(len(_chain), _chain[-1]["hash"], list(_pending))
        _chain.append(block)
        _pending.clear()
    return 201, block


def chain(handler, parts, body):
    return 200, {"length": len(_chain), "blocks": _chain}


def validate(handler, parts, body):
    for previous, block in zip(_chain, _chain[1:]):
        if block["previous"] != previous["hash"] or block_hash(block) != block["hash"]:
            return 200, {"valid": False, "bad_block": block["index"]}
    return 200, {"valid": True, "length": len(_chain)}


JsonHandler.routes = {("POST", "transactions"): add_transaction, ("POST", "mine"): mine,
                      ("GET", "chain"): chain, ("GET", "validate"): validate}


if __name__ == "__main__":
    serve(int(os.environ.get("PORT", "8082")))
