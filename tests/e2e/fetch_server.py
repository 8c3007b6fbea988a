#!/usr/bin/env python3
"""Test server for fetch_politeness.sh (python3 stdlib only).

Listens on 127.0.0.1, port 0; writes its port to --port-file and one JSON
line per request to --log: arrival time, path, requests in flight at that
moment (this one included), conditional headers.  Every endpoint is
bounded in time and bytes, so a client that misbehaves cannot hang it.

  /robots.txt     Disallow: /private for *, Crawl-delay if --crawl-delay;
                  or just the status --robots-status (404, 500, ...)
  /page/N         small page with ETag and Last-Modified; 304 to a
                  matching If-None-Match or If-Modified-Since
  /slow           answers after 1 s
  /ratelimit      429 with Retry-After: 2 the first time, then 200
  /unavailable    503 with Retry-After: 1, always
  /badgzip        Content-Encoding: gzip on bytes that are not gzip
  /bomb           20 KiB of gzip that inflates to 20 MB
  /huge           announces 100 MB
  /endless        chunked, never ends (until the client leaves or 30 s)
  /drip           one byte every 0.5 s (at most 20 s)
  /loop           302 to itself
  /private/...    a page (must never be requested)
"""
import argparse
import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
BOMB = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9)

lock = threading.Lock()
state = {"inflight": 0, "ratelimit": 0}
args = None
logf = None


def log(entry):
    with lock:
        logf.write(json.dumps(entry) + "\n")
        logf.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, fmt, *a):
        pass

    def handle(self):
        # Clients that hang up (our limits at work) are not errors here.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        with lock:
            state["inflight"] += 1
            inflight = state["inflight"]
        log({"t": time.time(), "path": self.path, "inflight": inflight,
             "port": self.server.server_port,
             "inm": self.headers.get("If-None-Match"),
             "ims": self.headers.get("If-Modified-Since"),
             "ua": self.headers.get("User-Agent")})
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with lock:
                state["inflight"] -= 1

    def route(self):
        p = self.path
        if p == "/robots.txt" and args.robots_status != 200:
            self.send(args.robots_status, b"no robots.txt here")
        elif p == "/robots.txt":
            body = ("User-agent: otherbot\nDisallow: /\n\n"
                    "User-agent: *\nDisallow: /private\n")
            if args.crawl_delay:
                body += "Crawl-delay: %s\n" % args.crawl_delay
            self.send(200, body.encode(), [("Content-Type", "text/plain")])
        elif p.startswith("/page/") or p.startswith("/private/"):
            etag = '"v-%s"' % p
            if (self.headers.get("If-None-Match") == etag or
                    (self.headers.get("If-None-Match") is None and
                     self.headers.get("If-Modified-Since") == LAST_MODIFIED)):
                self.send(304, b"", [("ETag", etag)])
                return
            body = ("<html><body><p>page %s</p></body></html>" % p).encode()
            self.send(200, body, [("Content-Type", "text/html"),
                                  ("ETag", etag),
                                  ("Last-Modified", LAST_MODIFIED)])
        elif p == "/slow":
            time.sleep(1.0)
            self.send(200, b"slow page", [("Content-Type", "text/plain")])
        elif p == "/ratelimit":
            with lock:
                state["ratelimit"] += 1
                first = state["ratelimit"] == 1
            if first:
                self.send(429, b"slow down", [("Retry-After", "2")])
            else:
                self.send(200, b"ok now", [("Content-Type", "text/plain")])
        elif p == "/unavailable":
            self.send(503, b"down", [("Retry-After", "1")])
        elif p == "/badgzip":
            self.send(200, b"this is not gzip at all" * 10,
                      [("Content-Encoding", "gzip")])
        elif p == "/bomb":
            self.send(200, BOMB, [("Content-Type", "text/html"),
                                  ("Content-Encoding", "gzip")])
        elif p == "/huge":
            self.send_response(200)
            self.send_header("Content-Length", str(100 * 1024 * 1024))
            self.end_headers()
            chunk = b"x" * 65536
            for _ in range(1600):
                self.wfile.write(chunk)
        elif p == "/endless":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 65536
            frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
            end = time.time() + 30
            while time.time() < end:
                self.wfile.write(frame)
            self.close_connection = True
        elif p == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "40")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.5)
        elif p == "/loop":
            self.send(302, b"", [("Location", "/loop")])
        else:
            self.send(404, b"not here")


def main():
    global args, logf
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--crawl-delay", default="")
    ap.add_argument("--robots-status", type=int, default=200)
    ap.add_argument("--lifetime", type=float, default=120)
    args = ap.parse_args()
    logf = open(args.log, "a")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_port))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    # Never outlive a test that forgot us.
    threading.Timer(args.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
