#!/usr/bin/env python3
"""Loopback DingTalk, WeCom and Feishu/Lark robot endpoints for the tests.

One HTTP server on 127.0.0.1 answers the three robot APIs the way the real
ones do (anchors.md section 8): HTTP 200 with an error code in the JSON for
a bad signature, an unknown token, a too-long message or a rate limit;
only a message that passes every check is recorded (one JSON line per
accepted message in --record) and answered with code 0.

  POST /robot/send?access_token=T[&timestamp=MS&sign=S]   DingTalk
  POST /cgi-bin/webhook/send?key=K                         WeCom
  POST /open-apis/bot/v2/hook/T                            Feishu / Lark

A robot with a secret (--dingtalk-secret T=S, --feishu-secret T=S) demands
a valid signature; --wecom-key K lists the valid WeCom keys (any key when
none is given).  Limits per robot: DingTalk and WeCom 20/min, Feishu 5/s
and 100/min (flags change them).  --fail T=CODE:N answers CODE to the
first N messages of robot T.  --attempts FILE gets one JSON line per
answer, accepted or refused ({t, path, code}), for a test that counts what
reached the robot.  The chosen port is written to --port-file.
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import loopback

MAX_BODY = 1 << 20


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.sent = {}          # robot id -> list of accept times
        self.fail = {}          # robot id -> [code, n left]
        for f in args.fail:
            robot, rest = f.split("=", 1)
            code, n = rest.split(":")
            self.fail[robot] = [int(code), int(n)]
        self.dsecret = dict(s.split("=", 1) for s in args.dingtalk_secret)
        self.fsecret = dict(s.split("=", 1) for s in args.feishu_secret)

    def injected(self, robot):
        with self.lock:
            f = self.fail.get(robot)
            if f and f[1] > 0:
                f[1] -= 1
                return f[0]
        return None

    def over(self, robot, limits):
        """True if one more message would exceed a (count, seconds) limit."""
        now = time.monotonic()
        with self.lock:
            times = self.sent.setdefault(robot, [])
            for count, secs in limits:
                if count > 0 and sum(1 for t in times if now - t < secs) >= count:
                    return True
            times.append(now)
            del times[:-1000]
        return False

    def record(self, entry):
        with self.lock:
            with open(self.args.record, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        sys.stderr.write("im_receiver: " + (fmt % a) + "\n")

    def answer(self, obj, status=200):
        data = json.dumps(obj, ensure_ascii=False).encode()
        st = self.server.state
        if st.args.attempts:
            # every answer, so a test sees the messages refused too
            with st.lock:
                with open(st.args.attempts, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"t": time.time(), "path":
                        self.path.split("?")[0], "code": obj.get(
                        "errcode", obj.get("code"))}) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        st = self.server.state
        n = int(self.headers.get("Content-Length", "0"))
        if n > MAX_BODY:
            self.answer({"code": 9499, "msg": "Bad Request"}, 400)
            return
        raw = self.rfile.read(n)
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        try:
            body = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            body = None
        key = self.headers.get("X-Nianbao-Idempotency-Key")
        if u.path == "/robot/send":
            self.dingtalk(st, q, body, raw, key)
        elif u.path == "/cgi-bin/webhook/send":
            self.wecom(st, q, body, raw, key)
        elif u.path.startswith("/open-apis/bot/v2/hook/"):
            self.feishu(st, u.path.rsplit("/", 1)[1], body, raw, key)
        else:
            self.answer({"errcode": 404, "errmsg": "no such robot"}, 404)

    def dingtalk(self, st, q, body, raw, key):
        token = q.get("access_token", "")
        secret = st.dsecret.get(token)
        if secret is not None:
            ts, sign = q.get("timestamp", ""), q.get("sign", "")
            want = base64.b64encode(hmac.new(secret.encode(),
                (ts + "\n" + secret).encode(), hashlib.sha256).digest()).decode()
            try:
                skew = abs(time.time() * 1000 - int(ts))
            except ValueError:
                skew = 1e12
            # parse_qsl already percent-decoded the sign
            if sign != want or skew > 3600 * 1000:
                self.answer({"errcode": 310000, "errmsg":
                             "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"})
                return
        if body is None or body.get("msgtype") not in body:
            self.answer({"errcode": 40035, "errmsg": "缺少参数 json"})
            return
        code = st.injected(token)
        if code is not None:
            self.answer({"errcode": code, "errmsg": "injected error"})
            return
        if st.over("dingtalk:" + token, [(st.args.dingtalk_per_minute, 60)]):
            self.answer({"errcode": 130101,
                         "errmsg": "send too fast, exceed 20 times per minute"})
            return
        st.record({"robot": "dingtalk", "token": token, "key": key,
                   "bytes": len(raw), "body": body})
        self.answer({"errcode": 0, "errmsg": "ok"})

    def wecom(self, st, q, body, raw, key):
        k = q.get("key", "")
        if st.args.wecom_key and k not in st.args.wecom_key:
            self.answer({"errcode": 93000, "errmsg":
                         "invalid webhook url, hint: [1] from ip: 127.0.0.1"})
            return
        if body is None or body.get("msgtype") not in body:
            self.answer({"errcode": 40008, "errmsg": "invalid message type"})
            return
        if body["msgtype"] == "markdown":
            content = body["markdown"].get("content", "")
            if len(content.encode("utf-8")) > 4096:
                self.answer({"errcode": 40058, "errmsg":
                             "markdown.content exceed max length 4096"})
                return
        code = st.injected(k)
        if code is not None:
            self.answer({"errcode": code, "errmsg": "injected error"})
            return
        if st.over("wecom:" + k, [(st.args.wecom_per_minute, 60)]):
            self.answer({"errcode": 45009, "errmsg":
                         "api freq out of limit"})
            return
        st.record({"robot": "wecom", "token": k, "key": key,
                   "bytes": len(raw), "body": body})
        self.answer({"errcode": 0, "errmsg": "ok"})

    def feishu(self, st, token, body, raw, key):
        if len(raw) > 20 * 1024:
            self.answer({"code": 9499, "msg": "Bad Request", "data": {}}, 400)
            return
        if body is None or "msg_type" not in body:
            self.answer({"code": 9499, "msg": "Bad Request", "data": {}}, 400)
            return
        secret = st.fsecret.get(token)
        if secret is not None:
            ts = str(body.get("timestamp", ""))
            want = base64.b64encode(hmac.new((ts + "\n" + secret).encode(),
                b"", hashlib.sha256).digest()).decode()
            try:
                skew = abs(time.time() - int(ts))
            except ValueError:
                skew = 1e12
            if body.get("sign") != want or skew > 3600:
                self.answer({"code": 19021, "msg": "sign match fail or timestamp "
                             "is not within one hour from current time",
                             "data": {}})
                return
        code = st.injected(token)
        if code is not None:
            self.answer({"code": code, "msg": "injected error", "data": {}})
            return
        if st.over("feishu:" + token, [(st.args.feishu_per_second, 1),
                                       (st.args.feishu_per_minute, 60)]):
            self.answer({"code": 11232, "msg": "frequency limited psm",
                         "data": {}})
            return
        st.record({"robot": "feishu", "token": token, "key": key,
                   "bytes": len(raw), "body": body})
        self.answer({"code": 0, "msg": "success", "data": {}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--dingtalk-secret", action="append", default=[])
    ap.add_argument("--feishu-secret", action="append", default=[])
    ap.add_argument("--wecom-key", action="append", default=[])
    ap.add_argument("--fail", action="append", default=[])
    ap.add_argument("--dingtalk-per-minute", type=int, default=20)
    ap.add_argument("--wecom-per-minute", type=int, default=20)
    ap.add_argument("--feishu-per-second", type=int, default=5)
    ap.add_argument("--feishu-per-minute", type=int, default=100)
    ap.add_argument("--attempts", help="one JSON line per answer, accepted "
                    "or not: {t, path, code}")
    ap.add_argument("--lifetime", type=float, default=300,
                    help="exit after this many seconds whatever happens")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.state = State(args)
    open(args.record, "a").close()
    if args.attempts:
        open(args.attempts, "a").close()
    loopback.serve(srv, args.port_file, args.lifetime)


if __name__ == "__main__":
    main()
