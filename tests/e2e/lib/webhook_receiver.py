#!/usr/bin/env python3
"""A webhook receiver for tests/e2e/notify.sh, on 127.0.0.1 only.

Every POST is recorded as one JSON line in --log, twice: "arrived" when
the request is read (before any --delay), "answered" with the status it
got.  Each record carries the idempotency key of the header and of the
body, whether X-Nianbao-Signature is the HMAC-SHA256 of the body with
--secret, and the event ids the body holds (one, or a digest's).

  --plan 500,429,...  answers for the first requests (429 comes with
                      Retry-After: 1), 200 after them
  --delay S           sleep S seconds before answering
  --port-file F       the port chosen (the test reads it)
  --lifetime S        exit after S seconds whatever happens (300)

Answers {"ok":true,"key":...} so that `nianbao notify test` has a body to
print.  Standard library only.
"""
import argparse
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import loopback

ap = argparse.ArgumentParser()
ap.add_argument("--log", required=True)
ap.add_argument("--port-file", required=True)
ap.add_argument("--secret", default="")
ap.add_argument("--plan", default="")
ap.add_argument("--delay", type=float, default=0)
ap.add_argument("--lifetime", type=float, default=300,
                help="exit after this many seconds whatever happens")
args = ap.parse_args()
plan = [int(x) for x in args.plan.split(",") if x]
lock = threading.Lock()
count = [0]


def record(rec):
    with lock:
        with open(args.log, "a") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(min(n, 8 << 20))
        with lock:
            i = count[0]
            count[0] += 1
        status = plan[i] if i < len(plan) else 200
        sig = self.headers.get("X-Nianbao-Signature", "")
        want = "sha256=" + hmac.new(args.secret.encode(), body,
                                    hashlib.sha256).hexdigest()
        try:
            doc = json.loads(body)
        except ValueError:
            doc = {}
        if doc.get("digest"):
            ids = [e.get("id") for e in doc.get("events", [])]
            types = [e.get("type") for e in doc.get("events", [])]
        else:
            ids = [doc.get("id")]
            types = [doc.get("type")]
        rec = {"n": i, "path": self.path,
               "key": self.headers.get("X-Nianbao-Idempotency-Key"),
               "body_key": doc.get("key"), "sig_ok": hmac.compare_digest(
                   sig, want), "digest": bool(doc.get("digest")),
               "test": bool(doc.get("test")), "ids": ids, "types": types,
               "t": time.time()}
        record(dict(rec, phase="arrived"))
        if args.delay:
            time.sleep(args.delay)
        out = json.dumps({"ok": status == 200, "key": doc.get("key")}).encode()
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        try:
            self.wfile.write(out)
        except OSError:
            pass
        record(dict(rec, phase="answered", status=status))


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
loopback.serve(srv, args.port_file, args.lifetime)
