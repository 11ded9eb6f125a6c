#!/usr/bin/env python3
"""taxii_stub.py -- a small TAXII 2.1 server for the federation tests,
written from the specification, that behaves as other servers do where
cybercell's own server does not: API roots named relative to the origin
in discovery (as MITRE's server does), opaque `next` tokens, date_added
with milliseconds, and Add Objects answered "pending" first.  It serves
whatever objects it is given, valid or not (a peer that sends bad data).

usage: taxii_stub.py --objects FILE [--page N] [--user U --password P] [--log FILE]

Plain HTTP on 127.0.0.1 (a free port, printed as "listening on PORT").
One collection, id x-stub-collection--1: GET objects/ pages the objects
of FILE (a JSON array) in order, date_added 2024-01-01T00:00:00.000Z plus
one second per object; POST objects/ keeps what it is sent (GET shows
it after the file's objects) and its status is "pending" until asked
once.  One line per request goes to --log: "METHOD PATH".
"""
import argparse
import base64
import json
import sys
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MT = "application/taxii+json;version=2.1"
COLL = "x-stub-collection--1"
BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)


def stamp(i):
    return (BASE + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_stamp(s):
    s = s.rstrip("Z")
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in s else "%Y-%m-%dT%H:%M:%S"
    d = datetime.strptime(s, fmt).replace(tzinfo=timezone.utc)
    return int((d - BASE).total_seconds())


class State:
    def __init__(self, objects, page, user, password, log):
        self.objects = objects
        self.page = page
        self.auth = None
        if user:
            self.auth = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.log = log
        self.status = {}
        self.lock = threading.Lock()


def handler(st):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, code, body, headers=()):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", MT)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def check(self):
            with st.lock:
                st.log.write("%s %s\n" % (self.command, self.path))
                st.log.flush()
            if st.auth and self.headers.get("Authorization") != st.auth:
                self.send(401, {"title": "Unauthorized", "http_status": "401"},
                          [("WWW-Authenticate", 'Basic realm="stub"')])
                return None
            return urllib.parse.urlsplit(self.path)

        def do_GET(self):
            u = self.check()
            if not u:
                return
            q = urllib.parse.parse_qs(u.query)
            p = u.path
            if p == "/taxii2/":
                return self.send(200, {"title": "stub", "default": "api/v21", "api_roots": ["api/v21"]})
            if p == "/api/v21/":
                return self.send(200, {"title": "stub root", "versions": [MT], "max_content_length": 10000000})
            if p == "/api/v21/collections/":
                return self.send(200, {"collections": [{"id": COLL, "title": "Stub", "can_read": True,
                                                        "can_write": True, "media_types": [MT]}]})
            if p.startswith("/api/v21/status/"):
                sid = p.split("/")[4]
                with st.lock:
                    s = st.status.get(sid)
                    if s is None:
                        return self.send(404, {"title": "Not Found", "http_status": "404"})
                    s["status"] = "complete"
                    s["pending_count"] = 0
                return self.send(200, s)
            if p == "/api/v21/collections/%s/objects/" % COLL:
                with st.lock:
                    objs = list(st.objects)
                first = 0
                if "next" in q:
                    first = int(q["next"][0][1:])
                elif "added_after" in q:
                    first = parse_stamp(q["added_after"][0]) + 1
                limit = min(int(q.get("limit", [st.page])[0]), st.page)
                chunk = objs[first:first + limit]
                env = {"more": first + limit < len(objs)}
                hs = []
                if chunk:
                    env["objects"] = chunk
                    hs = [("X-TAXII-Date-Added-First", stamp(first)),
                          ("X-TAXII-Date-Added-Last", stamp(first + len(chunk) - 1))]
                if env["more"]:
                    env["next"] = "p%d" % (first + limit)
                return self.send(200, env, hs)
            return self.send(404, {"title": "Not Found", "http_status": "404"})

        def do_POST(self):
            u = self.check()
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not u:
                return
            if u.path != "/api/v21/collections/%s/objects/" % COLL:
                return self.send(404, {"title": "Not Found", "http_status": "404"})
            objs = json.loads(body)["objects"]
            with st.lock:
                sid = "status-%d" % len(st.status)
                st.objects.extend(objs)
                s = {"id": sid, "status": "pending", "total_count": len(objs),
                     "success_count": len(objs), "successes": [{"id": o["id"], "version": o.get("modified", "")} for o in objs],
                     "failure_count": 0, "failures": [], "pending_count": 0, "pendings": []}
                st.status[sid] = s
            return self.send(202, s)

    return H


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", required=True)
    ap.add_argument("--page", type=int, default=100)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--log", default="/dev/null")
    o = ap.parse_args()
    st = State(json.load(open(o.objects)), o.page, o.user, o.password, open(o.log, "a"))
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler(st))
    print("listening on %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
