"""Lucid search: a small Elasticsearch-style document store with an inverted index.

  PUT    /<index>/_doc/<id>     store a JSON document      GET /<index>/_doc/<id>
  DELETE /<index>/_doc/<id>     remove it                  GET /<index>/_search?q=words
  GET    /_cluster/health       {"status": "green"}        GET /health
Search ranks documents by how many query terms they contain (AND of all terms, then score).
`server.py --check` queries /_cluster/health (health check).
"""
import json
import os
import re
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("ES_PORT", "9200"))
_docs = {}    # (index, id) -> document
_terms = {}   # (index, term) -> {id: count}
_lock = threading.Lock()


def tokens(value):
    if isinstance(value, dict):
        return [t for v in value.values() for t in tokens(v)]
    if isinstance(value, list):
        return [t for v in value for t in tokens(v)]
    return re.findall(r"[a-z0-9]+", str(value).lower())


def unindex(index, doc_id):
    for term in tokens(_docs.get((index, doc_id), {})):
        _terms.get((index, term), {}).pop(doc_id, None)


class Handler(BaseHTTPRequestHandler):
    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        url = urllib.parse.urlparse(self.path)
        return url, [p for p in url.path.split("/") if p]

    def do_GET(self):
        url, parts = self.route()
        if parts in (["health"], ["_cluster", "health"]):
            return self.reply(200, {"status": "green", "documents": len(_docs)})
        if len(parts) == 3 and parts[1] == "_doc":
            doc = _docs.get((parts[0], parts[2]))
            if doc is None:
                return self.reply(404, {"found": False, "_id": parts[2]})
            return self.reply(200, {"found": True, "_id": parts[2], "_source": doc})
        if len(parts) == 2 and parts[1] == "_search":
            query = tokens(urllib.parse.parse_qs(url.query).get("q", [""])[0])
            with _lock:
                scores = None
                for term in query:
                    hits = _terms.get((parts[0], term), {})
                    scores = dict(hits) if scores is None else {
                        i: scores[i] + hits[i] for i in scores if i in hits}
                ranked = sorted((scores or {}).items(), key=lambda kv: (-kv[1], kv[0]))
                hits = [{"_id": i, "_score": s, "_source": _docs[(parts[0], i)]} for i, s in ranked]
            return self.reply(200, {"hits": {"total": len(hits), "hits": hits}})
        self.reply(404, {"error": "no such endpoint"})

    def do_PUT(self):
        _, parts = self.route()
        if len(parts) != 3 or parts[1] != "_doc":
            return self.reply(404, {"error": "use PUT /<index>/_doc/<id>"})
        try:
            doc = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        except ValueError:
            return self.reply(400, {"error": "body is not JSON"})
        with _lock:
            created = (parts[0], parts[2]) not in _docs
            unindex(parts[0], parts[2])
            _docs[(parts[0], parts[2])] = doc
            for term in tokens(doc):
                postings = _terms.setdefault((parts[0], term), {})
                postings[parts[2]] = postings.get(parts[2], 0) + 1
        self.reply(201 if created else 200, {"result": "created" if created else "updated"})

    def do_DELETE(self):
        _, parts = self.route()
        with _lock:
            if len(parts) == 3 and (parts[0], parts[2]) in _docs:
                unindex(parts[0], parts[2])
                del _docs[(parts[0], parts[2])]
                return self.reply(200, {"result": "deleted"})
        self.reply(404, {"result": "not_found"})


if __name__ == "__main__":
    if "--check" in sys.argv:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/_cluster/health", timeout=2) as r:
            sys.exit(0 if json.load(r)["status"] == "green" else 1)
    print(f"lucid-elasticsearch listening on :{PORT}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
