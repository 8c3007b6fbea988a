"""What the loopback receivers of the notification tests share.

serve() runs a socketserver-style server (already bound to 127.0.0.1:0)
until --lifetime seconds have passed, after writing its port to the port
file atomically (the test waits for the file, then reads a whole number).
tls_context() is the server side of TLS with the certificate the test made
with the openssl CLI.
"""
import os
import ssl
import threading


def serve(srv, port_file, lifetime):
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    # bounded: the server stops whatever the test does
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever()


def tls_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx
