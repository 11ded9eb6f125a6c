#!/usr/bin/env python3
"""fault_proxy.py -- a TLS-terminating HTTP/1.1 proxy for the federation
tests that does to requests what networks and busy servers do.

usage: fault_proxy.py --upstream HOST:PORT --cert PEM --key PEM
                      [--faults NAME=P,...] [--seed N] [--log FILE]

Listens on 127.0.0.1 (a free port, printed as "listening on PORT"), with
the upstream hub's own certificate and key (so a client that verifies
the hub by CA or pin verifies the proxy the same way), and forwards each
request to the upstream hub over TLS.  Before or after forwarding, a
request may meet one fault, chosen at random with the probabilities given
(the rest pass untouched):

  drop      close the connection without an answer (nothing forwarded)
  delay     wait 0.3 to 1.2 s, then forward
  429, 503  answer that status with Retry-After: 1 (nothing forwarded)
  500       answer 500 without Retry-After (nothing forwarded)
  reset     forward, then send the headers and half the body and reset
            the connection (TCP RST)
  truncate  forward, then send the headers (full Content-Length) and a
            third of the body and close the connection
  badlen    forward, then send a third of the body with a Content-Length
            that says so: a whole answer of cut-short JSON
  lost      forward (the upstream acts on it), then close without an
            answer: a POST that was stored but never confirmed

One line per request goes to --log: "METHOD PATH FAULT".  SIGTERM stops it.
"""
import argparse
import random
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time

FAULTS = ("drop", "delay", "429", "503", "500", "reset", "truncate", "badlen", "lost")


def read_message(f, is_request):
    """One HTTP/1.1 message from file f: (start line, headers list, body)
    or None at the end of the stream."""
    start = f.readline()
    if not start:
        return None
    headers = []
    while True:
        line = f.readline()
        if not line or line in (b"\r\n", b"\n"):
            break
        k, _, v = line.decode("latin-1").partition(":")
        headers.append((k.strip(), v.strip()))
    length = 0
    chunked = False
    for k, v in headers:
        if k.lower() == "content-length":
            length = int(v)
        if k.lower() == "transfer-encoding" and "chunked" in v.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int(f.readline().split(b";")[0], 16)
            if size == 0:
                f.readline()
                break
            body += f.read(size)
            f.readline()
        headers = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
        headers.append(("Content-Length", str(len(body))))
    else:
        body = f.read(length) if length else b""
    return start, headers, body


def render(start, headers, body, length=None):
    out = [start]
    for k, v in headers:
        if k.lower() == "content-length":
            v = str(len(body) if length is None else length)
        out.append(("%s: %s\r\n" % (k, v)).encode("latin-1"))
    out.append(b"\r\n")
    return b"".join(out) + body


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_handler(opts, faults, rng, lock, log):
    up_ctx = ssl.create_default_context()
    up_ctx.check_hostname = False
    up_ctx.verify_mode = ssl.CERT_NONE
    host, port = opts.upstream.rsplit(":", 1)

    def pick():
        with lock:
            x = rng.random()
        for name, p in faults:
            if x < p:
                return name
            x -= p
        return "-"

    def forward(start, headers, body):
        with socket.create_connection((host, int(port))) as raw:
            with up_ctx.wrap_socket(raw, server_hostname=host) as up:
                hs = [(k, v) for k, v in headers if k.lower() != "connection"]
                hs.append(("Connection", "close"))
                up.sendall(render(start, hs, body))
                return read_message(up.makefile("rb"), False)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                conn = opts.ctx.wrap_socket(self.request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            f = conn.makefile("rb")
            try:
                while self.one(conn, f):
                    pass
            except (OSError, ValueError, ssl.SSLError):
                pass
            finally:
                try:
                    conn.close()
                except OSError:
                    pass

        def one(self, conn, f):
            req = read_message(f, True)
            if req is None:
                return False
            start, headers, body = req
            fault = pick()
            parts = start.decode("latin-1").split()
            with lock:
                log.write("%s %s %s\n" % (parts[0], parts[1] if len(parts) > 1 else "", fault))
                log.flush()
            if fault == "drop":
                return False
            if fault in ("429", "503", "500"):
                msg = b'{"title":"fault","description":"injected by the test proxy","http_status":"%s"}' % fault.encode()
                hs = [("Content-Type", "application/taxii+json;version=2.1"),
                      ("Content-Length", "0")]
                if fault != "500":
                    hs.append(("Retry-After", "1"))
                conn.sendall(render(b"HTTP/1.1 %s Fault\r\n" % fault.encode(), hs, msg))
                return True
            if fault == "delay":
                time.sleep(0.3 + 0.9 * rng.random())
            resp = forward(start, headers, body)
            if resp is None or fault == "lost":
                return False
            rstart, rheaders, rbody = resp
            rheaders = [(k, v) for k, v in rheaders if k.lower() != "connection"]
            if fault == "reset" and rbody:
                conn.sendall(render(rstart, rheaders, rbody)[:-(len(rbody) // 2) or None])
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return False
            if fault == "truncate" and rbody:
                conn.sendall(render(rstart, rheaders, rbody)[:-(2 * len(rbody) // 3) or None])
                return False
            if fault == "badlen" and rbody:
                cut = rbody[:len(rbody) // 3]
                conn.sendall(render(rstart, rheaders, cut))
                return True
            conn.sendall(render(rstart, rheaders, rbody))
            return True

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--faults", default="")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log", default="/dev/null")
    opts = ap.parse_args()
    faults = []
    for item in filter(None, opts.faults.split(",")):
        name, _, p = item.partition("=")
        if name not in FAULTS:
            sys.exit("fault_proxy: unknown fault %s" % name)
        faults.append((name, float(p)))
    opts.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    opts.ctx.load_cert_chain(opts.cert, opts.key)
    log = open(opts.log, "a")
    srv = Proxy(("127.0.0.1", 0), make_handler(opts, faults, random.Random(opts.seed),
                                               threading.Lock(), log))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=srv.shutdown).start())
    print("listening on %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
