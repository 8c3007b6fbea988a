#!/usr/bin/env python3
"""A minimal SMTP receiver on 127.0.0.1 for the tests.

Speaks enough SMTP for libcurl: EHLO/HELO, AUTH PLAIN and AUTH LOGIN
(checked against --user/--password when given: 535 otherwise), MAIL, RCPT,
DATA (dot-unstuffed), RSET, NOOP, QUIT.  Each accepted mail is stored as
DIR/N.eml with a DIR/N.json beside it (envelope and auth user).  --fail-first
N answers "451 4.3.0 try again later" to the MAIL command of the first N
transactions; --reject-all answers 554 to DATA.  The port is written to
--port-file.  Bounded: a line of at most 4 KB, a mail of at most 4 MB, at
most --lifetime seconds of running.
"""
import argparse
import base64
import json
import os
import socketserver
import threading

MAX_LINE = 4096
MAX_MAIL = 4 << 20


class Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def say(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def line(self):
        raw = self.rfile.readline(MAX_LINE + 2)
        if not raw:
            return None
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    def check_auth(self, user, pw):
        a = self.server.args
        if a.user is None:
            return True
        return user == a.user and pw == a.password

    def handle(self):
        st = self.server
        a = st.args
        self.say("220 localhost nianbao test sink ESMTP")
        mail_from, rcpt, authed = None, [], None
        while True:
            cmd = self.line()
            if cmd is None:
                return
            verb = cmd.split(" ", 1)[0].upper()
            arg = cmd[len(verb) + 1:]
            if verb in ("EHLO", "HELO"):
                if verb == "HELO":
                    self.say("250 localhost")
                else:
                    self.say("250-localhost")
                    self.say("250-AUTH PLAIN LOGIN")
                    self.say("250-8BITMIME")
                    self.say("250 SIZE %d" % MAX_MAIL)
            elif verb == "AUTH":
                parts = arg.split()
                mech = parts[0].upper() if parts else ""
                if mech == "PLAIN":
                    resp = parts[1] if len(parts) > 1 else None
                    if resp is None:
                        self.say("334 ")
                        resp = self.line() or ""
                    try:
                        _, user, pw = base64.b64decode(resp).decode().split("\0")
                    except ValueError:
                        user, pw = None, None
                elif mech == "LOGIN":
                    if len(parts) > 1:
                        user = base64.b64decode(parts[1]).decode()
                    else:
                        self.say("334 VXNlcm5hbWU6")
                        user = base64.b64decode(self.line() or "").decode()
                    self.say("334 UGFzc3dvcmQ6")
                    pw = base64.b64decode(self.line() or "").decode()
                else:
                    self.say("504 5.5.4 unrecognised authentication type")
                    continue
                if self.check_auth(user, pw):
                    authed = user
                    self.say("235 2.7.0 authentication successful")
                else:
                    self.say("535 5.7.8 authentication credentials invalid")
            elif verb == "MAIL":
                if a.user is not None and authed is None:
                    self.say("530 5.7.0 authentication required")
                    continue
                with st.lock:
                    fail = st.fail_left > 0
                    if fail:
                        st.fail_left -= 1
                if fail:
                    self.say("451 4.3.0 try again later")
                    continue
                mail_from, rcpt = arg, []
                self.say("250 2.1.0 ok")
            elif verb == "RCPT":
                if mail_from is None:
                    self.say("503 5.5.1 MAIL first")
                    continue
                rcpt.append(arg)
                self.say("250 2.1.5 ok")
            elif verb == "DATA":
                if not rcpt:
                    self.say("503 5.5.1 RCPT first")
                    continue
                self.say("354 end with <CR><LF>.<CR><LF>")
                lines, size = [], 0
                while True:
                    raw = self.rfile.readline(MAX_LINE + 2)
                    if not raw:
                        return
                    if raw in (b".\r\n", b".\n"):
                        break
                    if raw.startswith(b".."):
                        raw = raw[1:]
                    size += len(raw)
                    if size > MAX_MAIL:
                        self.say("552 5.3.4 too big")
                        return
                    lines.append(raw)
                if a.reject_all:
                    self.say("554 5.6.0 rejected")
                    mail_from, rcpt = None, []
                    continue
                with st.lock:
                    st.count += 1
                    n = st.count
                base = os.path.join(a.dir, "%d" % n)
                with open(base + ".eml", "wb") as f:
                    f.write(b"".join(lines))
                with open(base + ".json", "w") as f:
                    json.dump({"from": mail_from, "rcpt": rcpt, "auth": authed}, f)
                self.say("250 2.0.0 ok queued as %d" % n)
                mail_from, rcpt = None, []
            elif verb == "RSET":
                mail_from, rcpt = None, []
                self.say("250 2.0.0 ok")
            elif verb == "NOOP":
                self.say("250 2.0.0 ok")
            elif verb == "QUIT":
                self.say("221 2.0.0 bye")
                return
            else:
                self.say("502 5.5.2 command not implemented")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--reject-all", action="store_true")
    ap.add_argument("--lifetime", type=float, default=300)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.args = args
    srv.lock = threading.Lock()
    srv.count = 0
    srv.fail_left = args.fail_first
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    threading.Timer(args.lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
