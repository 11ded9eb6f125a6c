#!/usr/bin/env python3
"""abuse_client.py — hostile clients for the abuse-resistance tests and the
guessing benchmark.  Each subcommand prints one line of key=value pairs.

  abuse_client.py flood HOSTPORT SRCS N MEMBER TIMEOUT  N idle TCP connections from each of
                                                      SRCS (a,b,...), then a member request
  abuse_client.py trickle HOSTPORT SRC N STEP SECS     N TLS connections sending a header
                                                      byte every STEP seconds
  abuse_client.py slowbody HOSTPORT SRC AUTH PATH STEP SECS
                                                      a POST to PATH whose body trickles
  abuse_client.py upload HOSTPORT SRC N BYTES          N unauthenticated POSTs of BYTES at once
  abuse_client.py burst HOSTPORT PREFIX N              N password guesses at once, from
                                                      PREFIX.1 to PREFIX.N
  abuse_client.py raw HOSTPORT SRC TIMEOUT REQUEST     one request (Python string escapes)
  abuse_client.py tls HOSTPORT VERSION CIPHERS         whether a TLS handshake succeeds
  abuse_client.py guess HOSTPORT MEMBER GUESSERS N [SECS]
                                                      member latency (N requests, or
                                                      SECS seconds of them, on one
                                                      connection) while GUESSERS
                                                      connections guess passwords

HOSTPORT is host:port of the server (TLS unless --plain comes first); MEMBER
and AUTH are user:password; SRC is the local address to connect from (any of
127.0.0.0/8 on Linux), so each attacker can be a client address of its own.
"""
import base64
import multiprocessing
import os
import resource
import select
import socket
import ssl
import sys
import time

MT = "application/taxii+json;version=2.1"
PLAIN = False


def tls_ctx(version=None, ciphers=None):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    if version == "1.2":
        c.minimum_version = c.maximum_version = ssl.TLSVersion.TLSv1_2
    elif version == "1.3":
        c.minimum_version = c.maximum_version = ssl.TLSVersion.TLSv1_3
    if ciphers:
        c.set_ciphers(ciphers)
    return c


def hostport(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


def connect(hp, src, timeout=5.0, tls=True):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(hp)
    if tls and not PLAIN:
        s = tls_ctx().wrap_socket(s)
    return s


def basic(userpw):
    return "Basic " + base64.b64encode(userpw.encode()).decode()


def read_response(s):
    """Status and headers (dict, lower-case names) and body of one response."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    n = int(hdrs.get("content-length", "0"))
    while len(rest) < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, hdrs, rest[:n]


def get(s, path, auth):
    req = "GET %s HTTP/1.1\r\nHost: x\r\nAccept: %s\r\n" % (path, MT)
    if auth:
        req += "Authorization: %s\r\n" % basic(auth)
    s.sendall((req + "\r\n").encode())
    return read_response(s)


def is_closed(s):
    """Whether the peer closed s (EOF, reset, or an answer before the end of
    the request), without blocking."""
    if isinstance(s, ssl.SSLSocket) and not s.pending() and \
            not select.select([s], [], [], 0)[0]:
        return False
    try:
        s.setblocking(False)
        try:
            if isinstance(s, ssl.SSLSocket):
                s.recv(1)
                return True
            return s.recv(1, socket.MSG_PEEK) == b""
        finally:
            s.setblocking(True)
    except (BlockingIOError, ssl.SSLWantReadError):
        return False
    except OSError:
        return True


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def member_request(hp, member, timeout):
    t0 = time.monotonic()
    try:
        s = connect(hp, "127.0.0.1", timeout)
        st, _, _ = get(s, "/taxii2/", member)
        s.close()
        return str(st), time.monotonic() - t0
    except (OSError, ConnectionError):
        return "none", time.monotonic() - t0


def cmd_flood(hp, srcs, n, member, timeout):
    raise_nofile()
    conns = []
    for src in srcs.split(","):
        for _ in range(int(n)):
            try:
                conns.append(connect(hp, src, 5.0, tls=False))
            except OSError:
                break
    time.sleep(1.0)
    still = sum(1 for s in conns if not is_closed(s))
    st, secs = member_request(hp, member, float(timeout))
    print("open=%d member=%s secs=%.2f" % (still, st, secs))


def one_post(hp, src, nbytes, out, k):
    """An unauthenticated POST of nbytes; out[k] = its status (or 'none')."""
    try:
        s = connect(hp, src, 20.0)
        s.sendall(("POST /api1/collections/x/objects/ HTTP/1.1\r\nHost: x\r\n"
                   "Content-Type: %s\r\nContent-Length: %d\r\n\r\n" % (MT, nbytes)).encode())
        chunk = b"x" * 65536
        try:
            for _ in range(nbytes // len(chunk)):
                s.sendall(chunk)
        except OSError:
            pass	# the server answered and hung up before the body was in
        out[k] = str(read_response(s)[0])
    except (OSError, ConnectionError):
        out[k] = "none"


def cmd_upload(hp, src, n, nbytes):
    import threading
    out = ["none"] * int(n)
    th = [threading.Thread(target=one_post, args=(hp, src, int(nbytes), out, k))
          for k in range(int(n))]
    for t in th:
        t.start()
    for t in th:
        t.join()
    print("statuses=%s" % ",".join(out))


def one_guess(hp, src, k, out):
    try:
        s = connect(hp, src, 20.0)
        st, hdrs, _ = get(s, "/taxii2/", "burst%d:wrong-password" % k)
        out[k] = "%d/%s" % (st, hdrs.get("retry-after", "-"))
    except (OSError, ConnectionError):
        out[k] = "none"


def cmd_burst(hp, prefix, n):
    """n guesses at once, each from an address of its own (PREFIX.1 ...)."""
    import threading
    out = ["none"] * int(n)
    th = [threading.Thread(target=one_guess, args=(hp, "%s.%d" % (prefix, k + 1), k, out))
          for k in range(int(n))]
    for t in th:
        t.start()
    for t in th:
        t.join()
    print("answers=%s" % ",".join(sorted(out)))


def cmd_trickle(hp, src, n, step, secs):
    conns, closed_at = [], {}
    t0 = time.monotonic()
    for _ in range(int(n)):
        conns.append(connect(hp, src))
    line = b"GET /taxii2/ HTTP/1.1\r\nX-Padding: " + b"a" * 4096
    i = 0
    while time.monotonic() - t0 < float(secs) and len(closed_at) < len(conns):
        for k, s in enumerate(conns):
            if k in closed_at:
                continue
            try:
                s.send(line[i % len(line):i % len(line) + 1])
            except OSError:
                closed_at[k] = time.monotonic() - t0
                continue
            if is_closed(s):
                closed_at[k] = time.monotonic() - t0
        i += 1
        time.sleep(float(step))
    print("closed=%d of=%d last=%.1f" % (len(closed_at), len(conns),
                                         max(closed_at.values()) if closed_at else -1))


def cmd_slowbody(hp, src, auth, path, step, secs):
    s = connect(hp, src)
    t0 = time.monotonic()
    s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAccept: %s\r\n"
               "Content-Type: %s\r\nAuthorization: %s\r\nContent-Length: 100000\r\n\r\n"
               % (path, MT, MT, basic(auth))).encode())
    closed = -1.0
    while time.monotonic() - t0 < float(secs):
        try:
            s.send(b"{")
        except OSError:
            closed = time.monotonic() - t0
            break
        if is_closed(s):
            closed = time.monotonic() - t0
            break
        time.sleep(float(step))
    print("closed=%.1f" % closed)


def cmd_raw(hp, src, timeout, request):
    req = request.encode("latin-1").decode("unicode_escape").encode("latin-1")
    t0 = time.monotonic()
    try:
        s = connect(hp, src, float(timeout))
        s.sendall(req)
        st, hdrs, _ = read_response(s)
        print("status=%d secs=%.2f retry_after=%s" % (st, time.monotonic() - t0,
                                                      hdrs.get("retry-after", "-")))
    except (OSError, ConnectionError):
        print("status=none secs=%.2f" % (time.monotonic() - t0))


def cmd_tls(hp, version, ciphers):
    try:
        s = socket.create_connection(hp, timeout=5)
        t = tls_ctx(version, None if ciphers == "-" else ciphers).wrap_socket(s)
        print("handshake=ok version=%s cipher=%s" % (t.version(), t.cipher()[0]))
    except (OSError, ssl.SSLError) as e:
        print("handshake=fail (%s)" % type(e).__name__)


def guesser(hp, src, stop, counts):
    """Guess passwords of random user names on one kept-alive connection."""
    s, k = None, 0
    while not stop.is_set():
        try:
            if s is None:
                s = connect(hp, src, 10.0)
            st, hdrs, _ = get(s, "/taxii2/", "user%d-%d:guess-%d" % (os.getpid(), k, k))
            counts[st] = counts.get(st, 0) + 1
            if hdrs.get("connection", "").lower() == "close":
                s.close()
                s = None
        except (OSError, ConnectionError):
            counts[0] = counts.get(0, 0) + 1
            if s:
                s.close()
            s = None
            time.sleep(0.01)
        k += 1


def cmd_guess(hp, member, guessers, n, secs="0"):
    mgr = multiprocessing.Manager()
    stop = mgr.Event()
    counts = [mgr.dict() for _ in range(int(guessers))]
    procs = [multiprocessing.Process(target=guesser,
                                     args=(hp, "127.0.1.%d" % (i + 1), stop, counts[i]))
             for i in range(int(guessers))]
    s = connect(hp, "127.0.0.1", 30.0)
    get(s, "/taxii2/", member)	# the member's login (one argon2 run) before the load
    for p in procs:
        p.start()
    time.sleep(1.0 if procs else 0)
    lat, bad = [], 0
    start = time.monotonic()
    deadline = start + max(20, 2 * float(secs))	# a server that cannot keep up still ends
    while len(lat) < int(n) or time.monotonic() - start < float(secs):
        if lat and time.monotonic() > deadline:
            break
        t0 = time.monotonic()
        st, _, _ = get(s, "/taxii2/", member)
        lat.append(time.monotonic() - t0)
        bad += st != 200
    stop.set()
    for p in procs:
        p.join()
    lat.sort()
    tot = {}
    for c in counts:
        for k, v in c.items():
            tot[k] = tot.get(k, 0) + v
    print("requests=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f member_errors=%d guesses=%s" % (
        len(lat), 1000 * lat[len(lat) // 2], 1000 * lat[min(len(lat) - 1, len(lat) * 99 // 100)],
        1000 * lat[-1], bad, ",".join("%s:%d" % kv for kv in sorted(tot.items())) or "-"))


def main(argv):
    global PLAIN
    if argv and argv[0] == "--plain":
        PLAIN = True
        argv = argv[1:]
    cmds = {"flood": cmd_flood, "trickle": cmd_trickle, "slowbody": cmd_slowbody,
            "raw": cmd_raw, "tls": cmd_tls, "guess": cmd_guess, "upload": cmd_upload,
            "burst": cmd_burst}
    if len(argv) < 2 or argv[0] not in cmds:
        sys.stderr.write(__doc__)
        return 2
    cmds[argv[0]](hostport(argv[1]), *argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
