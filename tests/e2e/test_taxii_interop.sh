#!/usr/bin/env bash
# Interoperability: the OASIS reference TAXII 2.1 client (taxii2client, in
# the outside test data's tools/) against `cybercell serve` on 127.0.0.1.
. "$(dirname "$0")/lib.sh"

if ! t_need "the OASIS TAXII client drives the server" tools/taxii2client/v21/__init__.py; then
	t_done
	exit
fi

cc org add bank-a >/dev/null
echo 'interop-password' | cc user add alice --org bank-a --password-stdin >/dev/null
COL=$(cc collection add intel --title "Interop")
cc grant bank-a intel read-write --max-tlp red >/dev/null

serve_start "$T/serve.out" "$T/serve.err" "$CYBERCELL" serve --listen 127.0.0.1:0
SPID=$SERVE_PID
URL=$(sed -n 's/^listening on //p' "$T/serve.out")
t_true "server ready" [ -n "$URL" ]

cat >"$T/interop.py" <<'EOF'
import sys, uuid, warnings
warnings.filterwarnings("ignore")
from taxii2client.v21 import Server, Collection, as_pages

url, col_id, cert = sys.argv[1], sys.argv[2], sys.argv[3]
# verify against the server's own self-signed certificate (SAN 127.0.0.1)
auth = dict(user="alice", password="interop-password", verify=cert)
checks = []
def check(name, cond):
    checks.append((name, bool(cond)))

srv = Server(url, **auth)
check("discovery title", srv.title == "cybercell")
check("one api root", len(srv.api_roots) == 1)
root = srv.default
check("api root max_content_length", root.max_content_length > 0)
check("api root versions", "application/taxii+json;version=2.1" in root.versions)
cols = root.collections
check("collections", [c.id for c in cols] == [col_id])
col = cols[0]
check("collection can_read/can_write", col.can_read and col.can_write)

def ind(i, mod):
    return {"type": "indicator", "spec_version": "2.1",
            "id": "indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, "interop-%d" % i),
            "created": "2024-01-01T00:00:00.000Z", "modified": mod,
            "name": "interop %d" % i, "pattern_type": "stix",
            "pattern": "[ipv4-addr:value = '192.0.2.%d']" % (i % 250),
            "valid_from": "2024-01-01T00:00:00Z"}
objs = [ind(i, "2024-01-01T00:00:00.000Z") for i in range(250)]
st = col.add_objects({"objects": objs})
check("add_objects complete", st.status == "complete" and st.success_count == 250)
st2 = col.add_objects({"objects": [ind(0, "2024-06-01T00:00:00.000Z")]})
check("second version added", st2.success_count == 1)
st3 = root.get_status(st.id)
check("get_status", st3.id == st.id and st3.total_count == 250)

env = col.get_objects()
check("get_objects", len(env.get("objects", [])) == 250)
one = col.get_object(objs[0]["id"])
check("get_object latest", one["objects"][0]["modified"] == "2024-06-01T00:00:00.000Z")
allv = col.get_object(objs[0]["id"], version="all")
check("get_object all versions", len(allv["objects"]) == 2)
vers = col.object_versions(objs[0]["id"])
check("object_versions", sorted(vers["versions"]) == ["2024-01-01T00:00:00.000Z", "2024-06-01T00:00:00.000Z"])
man = col.get_manifest()
check("get_manifest", len(man["objects"]) == 250 and all(m["media_type"] == "application/stix+json;version=2.1" for m in man["objects"]))
seen = []
pages = 0
for page in as_pages(col.get_objects, per_request=40):
    pages += 1
    seen += [o["id"] for o in page.get("objects", [])]
check("as_pages objects: 7 pages", pages == 7)
check("as_pages objects: every object once", len(seen) == 250 and len(set(seen)) == 250)
seen = []
for page in as_pages(col.get_manifest, per_request=100, type="indicator"):
    seen += [o["id"] for o in page.get("objects", [])]
check("as_pages manifest", len(set(seen)) == 250)
f = col.get_objects(type="indicator", id=",".join(o["id"] for o in objs[:3]))
check("filters through the client", len(f["objects"]) == 3)
col.delete_object(objs[1]["id"])
check("delete_object", len(col.get_objects()["objects"]) == 249)

bad = [n for n, ok in checks if not ok]
for n, ok in checks:
    print(("ok " if ok else "FAIL ") + n)
sys.exit(1 if bad else 0)
EOF
CERT=$(sed -n 's/^certificate //p' "$T/serve.out")
# requests lets REQUESTS_CA_BUNDLE override a session's verify: drop it
t_ok "taxii2client drives the server" env -u REQUESTS_CA_BUNDLE -u CURL_CA_BUNDLE \
	PYTHONPATH="$TESTDATA/tools" /usr/bin/python3 "$T/interop.py" "$URL" "$COL" "$CERT"
t_true "every client check passed" [ "$(grep -c '^ok ' "$OUT")" = 19 ]
[ -s "$ERR" ] && grep -v -i warning "$ERR" | tail -5
grep '^FAIL' "$OUT"
kill -TERM "$SPID"; wait "$SPID"
t_true "clean stop" [ $? = 0 ]
t_clean "no sanitizer report from the server" "$T/serve.err"
t_done
