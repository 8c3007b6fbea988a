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

TLS, with --cert and --key (made by the test with the openssl CLI):
--tls starttls advertises STARTTLS and refuses AUTH and MAIL before it
(530); --tls implicit speaks TLS from the first byte (smtps://).  Without
--tls no STARTTLS is offered.  An AUTH that arrives in clear is written to
DIR/cleartext-auth, so a test can assert that a password never did; a
failed handshake (a client that refused the certificate) to
DIR/handshake-failed.  The .json of a mail says whether it came over TLS.
"""
import argparse
import base64
import json
import os
import socketserver
import ssl
import threading

import loopback

MAX_LINE = 4096
MAX_MAIL = 4 << 20


class Handler(socketserver.StreamRequestHandler):
    timeout = 30
    tls = False

    dead = False

    def setup(self):
        if self.server.args.tls == "implicit":
            sock = self.tls_wrap(self.request)
            if sock is None:
                self.dead = True
                return
            self.request = sock
        super().setup()

    def finish(self):
        if not self.dead:
            super().finish()

    def tls_wrap(self, sock):
        """The server side of a handshake; None if it failed."""
        try:
            sock.settimeout(self.timeout)
            s = self.server.ctx.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            self.mark("handshake-failed")
            return None
        self.tls = True
        return s

    def mark(self, name):
        with open(os.path.join(self.server.args.dir, name), "a") as f:
            f.write("1\n")

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
        if self.dead:
            return
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
                    if a.tls == "starttls" and not self.tls:
                        self.say("250-STARTTLS")
                    self.say("250-AUTH PLAIN LOGIN")
                    self.say("250-8BITMIME")
                    self.say("250 SIZE %d" % MAX_MAIL)
            elif verb == "STARTTLS" and a.tls == "starttls" and not self.tls:
                self.say("220 2.0.0 ready to start TLS")
                self.wfile.flush()
                sock = self.tls_wrap(self.connection)
                if sock is None:
                    return
                # RFC 3207: everything said before the handshake is forgotten
                self.connection = self.request = sock
                self.rfile = sock.makefile("rb")
                self.wfile = sock.makefile("wb")
                mail_from, rcpt, authed = None, [], None
            elif verb in ("AUTH", "MAIL") and a.tls == "starttls" and not self.tls:
                if verb == "AUTH":
                    self.mark("cleartext-auth")
                self.say("530 5.7.0 must issue a STARTTLS command first")
            elif verb == "AUTH":
                if not self.tls:
                    self.mark("cleartext-auth")
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
                    json.dump({"from": mail_from, "rcpt": rcpt, "auth": authed,
                               "tls": self.tls}, f)
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
    ap.add_argument("--tls", choices=("none", "starttls", "implicit"),
                    default="none")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.args = args
    srv.lock = threading.Lock()
    srv.count = 0
    srv.fail_left = args.fail_first
    srv.ctx = None
    if args.tls != "none":
        srv.ctx = loopback.tls_context(args.cert, args.key)
    loopback.serve(srv, args.port_file, args.lifetime)


if __name__ == "__main__":
    main()
