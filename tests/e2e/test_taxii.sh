#!/usr/bin/env bash
# End-to-end tests of `cybercell serve`: the real TAXII 2.1 server on
# 127.0.0.1 (a free port), driven with curl -k and openssl s_client.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"

# gen PREFIX N [MARKING] [MODIFIED]: an envelope of N valid indicators with
# ids derived from PREFIX (uuid5), optionally TLP-marked and versioned.
gen() {
	"$PY" - "$@" <<'EOF'
import json, sys, uuid
prefix, n = sys.argv[1], int(sys.argv[2])
marking = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
mod = sys.argv[4] if len(sys.argv) > 4 else "2024-01-01T00:00:00.000Z"
objs = []
for i in range(n):
    o = {"type": "indicator", "spec_version": "2.1",
         "id": "indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, "%s-%d" % (prefix, i)),
         "created": "2024-01-01T00:00:00.000Z", "modified": mod,
         "name": "%s %d" % (prefix, i), "pattern_type": "stix",
         "pattern": "[ipv4-addr:value = '10.0.%d.%d']" % (i // 250 % 250, i % 250),
         "valid_from": "2024-01-01T00:00:00Z"}
    if marking:
        o["object_marking_refs"] = [marking]
    objs.append(o)
print(json.dumps({"objects": objs}))
EOF
}
idof() { "$PY" -c 'import sys,uuid; print("indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[1]))' "$1"; }

# ---- members ----------------------------------------------------------------
cc org add bank-a >/dev/null && cc org add bank-b >/dev/null && cc org add feeder >/dev/null &&
	cc org add reader >/dev/null
pw 'alice-password' alice bank-a
pw 'bob-password!!' bob bank-b
pw 'carol-password' carol feeder
pw 'dave-password1' dave reader
A=alice:alice-password B='bob:bob-password!!' C=carol:carol-password D=dave:dave-password1
COL=$(cc collection add intel --title "Shared intel" --description "for tests")
SEC=$(cc collection add secret --title "Bank A only" --default-tlp red)
cc grant bank-a intel read-write --max-tlp red >/dev/null
cc grant bank-b intel read-write >/dev/null   # default max amber
cc grant feeder intel write >/dev/null
cc grant reader intel read --max-tlp clear >/dev/null
cc grant bank-a secret read-write >/dev/null
t_true "collection ids are UUIDs" [ ${#COL} = 36 -a ${#SEC} = 36 ]

t_true "server starts and prints its URL" start_server
t_true "fingerprint printed" grep -q '^sha256 fingerprint [0-9A-F:]\{95\}$' "$T/serve.out"
t_true "self-signed key kept with mode 0600" [ "$(stat -c %a "$CYBERCELL_DB.tls-key.pem")" = 600 ]
FP1=$(sed -n 's/^sha256 fingerprint //p' "$T/serve.out")

# ---- TLS ----------------------------------------------------------------------
HP=${BASE#https://}
tls() { echo | timeout 5 openssl s_client -connect "$HP" -cipher 'DEFAULT@SECLEVEL=0' "$@" >/dev/null 2>&1; }
t_true "TLS 1.3 handshake" tls -tls1_3
t_true "TLS 1.2 handshake" tls -tls1_2
tls_fails() { ! tls "$@"; }
t_true "TLS 1.1 refused" tls_fails -tls1_1
t_true "TLS 1.0 refused" tls_fails -tls1
t_true "curl --tls-max 1.1 refused" bash -c "! curl -sk --tls-max 1.1 -u '$A' '$BASE/taxii2/' >/dev/null 2>&1"

# ---- discovery, api root, collections ----------------------------------------
req "$A" GET /taxii2/
t_true "discovery 200" code_is 200
t_true "discovery content type" [ "$(hdr Content-Type)" = "$MT" ]
t_true "discovery lists the api root" [ "$(jb '.api_roots[0]')" = "$BASE/api1/" ]
t_true "discovery default" [ "$(jb '.default')" = "$BASE/api1/" ]
ACC=application/taxii+json req "$A" GET /taxii2/
t_true "Accept without version is fine" code_is 200
req "$A" GET /api1/
t_true "api root 200" code_is 200
t_true "api root advertises max_content_length" [ "$(jb .max_content_length)" = 300000 ]
t_true "api root versions" [ "$(jb '.versions[0]')" = "$MT" ]
req "$A" GET /api1/collections/
t_true "collections 200" code_is 200
t_true "alice sees both collections" [ "$(jb '.collections|length')" = 2 ]
req "$B" GET /api1/collections/
t_true "bob sees only intel" [ "$(jb '[.collections[].id]|join(",")')" = "$COL" ]
t_true "bob can read and write" [ "$(jb '.collections[0]|"\(.can_read) \(.can_write)"')" = "true true" ]
t_true "media_types" [ "$(jb '.collections[0].media_types[0]')" = 'application/stix+json;version=2.1' ]
req "$C" GET "/api1/collections/$COL/"
t_true "write-only: can_read false, can_write true" [ "$(jb '"\(.can_read) \(.can_write)"')" = "false true" ]
req "$A" GET "/api1/collections/$COL/"
t_true "collection resource" [ "$(jb '.id + " " + .title')" = "$COL Shared intel" ]
req "$B" GET "/api1/collections/$SEC/"
t_true "hidden collection is 404" code_is 404
req "$B" GET "/api1/collections/$SEC/objects/"
t_true "hidden collection objects 404" code_is 404
req "$A" GET /api1/collections/5b6e3ad4-8f43-4b8e-9b6a-b7c5b28c0f00/
t_true "unknown collection 404" code_is 404
req "$A" GET /api2/
t_true "unknown api root 404" code_is 404
t_true "error body is a TAXII error" [ "$(jb '.http_status + " " + .title')" = "404 Not Found" ]
t_true "error media type" [ "$(hdr Content-Type)" = "$MT" ]

# ---- authentication and media types -------------------------------------------
req "" GET /taxii2/
t_true "no credentials 401" code_is 401
t_true "WWW-Authenticate Basic" [ "$(hdr WWW-Authenticate)" = 'Basic realm="cybercell"' ]
req "alice:wrong" GET /api1/collections/
t_true "bad password 401" code_is 401
req "mallory:alice-password" GET /api1/collections/
t_true "unknown user 401" code_is 401
CODE=$(curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Basic !!!' "$BASE/taxii2/")
t_true "garbage Authorization 401" code_is 401
ACC=application/json req "$A" GET /taxii2/
t_true "Accept application/json 406" code_is 406
ACC='application/taxii+json;version=2.0' req "$A" GET /api1/
t_true "Accept version 2.0 406" code_is 406

# ---- POST: status resource, per-object failures, 2.0 upgrade -----------------
"$PY" - "$TLP_GREEN" "$TLP_STRICT" "$TLP_RED" >"$T/mix.json" <<'EOF'
import json, sys
g, s, r = sys.argv[1:4]
def ind(n, mark=None, mod="2024-01-01T00:00:00.000Z"):
    o = {"type": "indicator", "spec_version": "2.1",
         "id": "indicator--0000000%d-0000-4000-8000-000000000000" % n,
         "created": "2024-01-01T00:00:00.000Z", "modified": mod, "name": "mix %d" % n,
         "pattern_type": "stix", "pattern": "[domain-name:value = 'x%d.example']" % n,
         "valid_from": "2024-01-01T00:00:00Z"}
    if mark: o["object_marking_refs"] = [mark]
    return o
objs = [ind(1, g), ind(2, s), ind(3, r), ind(4)]
bad = ind(5); bad["modified"] = "yesterday"; objs.append(bad)
objs.append({"type": "malware", "id": "malware--00000006-0000-4000-8000-000000000000",
             "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
             "name": "old2.0", "labels": ["trojan"]})
print(json.dumps({"objects": objs}))
EOF
post "$A" "$COL" "$T/mix.json"
t_true "POST 202" code_is 202
t_true "POST answer is TAXII" [ "$(hdr Content-Type)" = "$MT" ]
t_true "status complete" [ "$(jb .status)" = complete ]
t_true "status counts" [ "$(jb '"\(.total_count) \(.success_count) \(.failure_count) \(.pending_count)"')" = "6 5 1 0" ]
t_true "the bad object fails alone, with a message" \
	[ "$(jb '.failures[0].id')" = indicator--00000005-0000-4000-8000-000000000000 -a -n "$(jb '.failures[0].message')" ]
t_true "successes carry id and version" [ "$(jb '.successes[0].version')" = 2024-01-01T00:00:00.000Z ]
SID=$(jb .id)
cp "$T/b" "$T/status1"
req "$A" GET "/api1/status/$SID/"
t_true "status resource 200" code_is 200
t_true "status resource is the same" cmp -s "$T/b" "$T/status1"
req "$B" GET "/api1/status/$SID/"
t_true "another org's status is 404" code_is 404
req "$A" GET /api1/status/not-a-uuid/
t_true "bad status id 404" code_is 404
req "$A" GET "/api1/collections/$COL/objects/malware--00000006-0000-4000-8000-000000000000/"
t_true "STIX 2.0 object upgraded" [ "$(jb '.objects[0].spec_version + " " + (.objects[0].malware_types|join(",")) + " " + (.objects[0].is_family|type)')" = "2.1 trojan boolean" ]

# ---- TLP per organisation (hostile member: bob, max amber) ------------------
I1=indicator--00000001-0000-4000-8000-000000000000 I2=indicator--00000002-0000-4000-8000-000000000000
I3=indicator--00000003-0000-4000-8000-000000000000 I4=indicator--00000004-0000-4000-8000-000000000000
req "$A" GET "/api1/collections/$COL/objects/"
t_true "alice (max red) sees all 5" [ "$(jb '.objects|length')" = 5 ]
hostile() { # every read path bob has must hide I2 and I3
	local p got
	for p in "objects/" "objects/?match%5Bversion%5D=all" "objects/?match%5Bid%5D=$I2,$I3" \
		"objects/?match%5Btype%5D=indicator" "objects/?added_after=2000-01-01T00:00:00Z" \
		"objects/?match%5Bversion%5D=first" "objects/?match%5Bspec_version%5D=2.1" \
		"objects/?limit=1" "manifest/" "manifest/?match%5Bid%5D=$I2" \
		"manifest/?match%5Bversion%5D=all" "objects/$I2/" "objects/$I3/" \
		"objects/$I2/versions/" "objects/$I3/?match%5Bversion%5D=all" \
		"objects/$I3/versions/?match%5Bspec_version%5D=2.1"; do
		req "$B" GET "/api1/collections/$COL/$p"
		case "$CODE" in
		200) got=$(jq -r '[.objects[]?.id, .versions[]?]|join(" ")' "$T/b")
		     case "$p" in *versions*) [ -z "$got" ] || { echo "versions leak through $p"; return 1; } ;; esac
		     case "$got" in *"$I2"*|*"$I3"*) echo "leak through $p"; return 1 ;; esac ;;
		404) ;;
		*) echo "unexpected $CODE for $p"; return 1 ;;
		esac
	done
}
t_true "bob never receives amber+strict or red objects" hostile
req "$B" GET "/api1/collections/$COL/objects/"
t_true "bob sees green, unmarked and the malware" [ "$(jb '[.objects[].id]|sort|join(" ")')" = "$I1 $I4 malware--00000006-0000-4000-8000-000000000000" ]
req "$B" GET "/api1/collections/$COL/objects/$I3/"
t_true "red object is 404 for bob" code_is 404
req "$B" DELETE "/api1/collections/$COL/objects/$I3/"
t_true "bob cannot delete what he cannot see (404)" code_is 404
req "$D" GET "/api1/collections/$COL/objects/"
t_true "dave (max clear) sees only the unmarked ones" [ "$(jb '[.objects[].id]|sort|join(" ")')" = "$I4 malware--00000006-0000-4000-8000-000000000000" ]
gen bobs 1 "$TLP_RED" >"$T/bobred.json"
post "$B" "$COL" "$T/bobred.json"
BR=$(idof bobs-0)
req "$B" GET "/api1/collections/$COL/objects/$BR/"
t_true "bob always sees his own red object" [ "$CODE" = 200 -a "$(jb '.objects[0].id')" = "$BR" ]
req "$D" GET "/api1/collections/$COL/objects/$BR/"
t_true "dave does not" code_is 404

# ---- changes made outside the running server apply at the next request ------
# The workers keep users, grants and whole answers while the store is
# unchanged; a commit by anyone (here the CLI, another process) must make
# every worker read again.  Four requests on fresh connections reach both.
again() { # again CODE USER PATH: four GETs all answer CODE
	local i
	for i in 1 2 3 4; do req "$2" GET "$3"; code_is "$1" || return 1; done
}
t_true "bob reads the green object (kept by both workers)" again 200 "$B" "/api1/collections/$COL/objects/$I1/"
t_true "and a page" again 200 "$B" "/api1/collections/$COL/objects/?limit=2"
cc grant bank-b intel read-write --max-tlp clear >/dev/null
t_true "a lower max TLP hides the object at once" again 404 "$B" "/api1/collections/$COL/objects/$I1/"
req "$B" GET "/api1/collections/$COL/objects/?limit=2"
t_true "and drops it from the page" [ "$(jb '[.objects[].id]|index("'$I1'")')" = null ]
cc revoke bank-b intel >/dev/null
t_true "revoked: the page is 404 at once" again 404 "$B" "/api1/collections/$COL/objects/?limit=2"
t_true "revoked: the object is 404 at once" again 404 "$B" "/api1/collections/$COL/objects/$I1/"
cc grant bank-b intel read-write >/dev/null
t_true "granted again: 200 at once" again 200 "$B" "/api1/collections/$COL/objects/$I1/"
printf 'bob-new-password\n' | cc user passwd bob --password-stdin >/dev/null
t_true "a changed password: the old one is 401 at once" again 401 "$B" "/api1/collections/$COL/objects/$I1/"
t_true "and the new one works" again 200 'bob:bob-new-password' "/api1/collections/$COL/objects/$I1/"
printf '%s\n' 'bob-password!!' | cc user passwd bob --password-stdin >/dev/null
t_true "the old password back" again 200 "$B" "/api1/collections/$COL/objects/$I1/"
pw 'leaver-password' leaver bank-b
t_true "a second user of bank-b reads" again 200 'leaver:leaver-password' "/api1/collections/$COL/objects/$I1/"
cc user remove leaver >/dev/null
t_true "a removed user is 401 at once" again 401 'leaver:leaver-password' "/api1/collections/$COL/objects/$I1/"
req "$A" GET "/api1/collections/$COL/manifest/"
N0=$(jb '.objects|length')
t_true "alice's manifest (kept)" again 200 "$A" "/api1/collections/$COL/manifest/"
gen meanwhile 1 >"$T/meanwhile.json"
post "$A" "$COL" "$T/meanwhile.json"
t_true "an object added by a POST (one worker) ..." code_is 202
t_true "... is in the next manifest from either worker" \
	bash -c 'for i in 1 2 3 4; do [ "$(curl -sk -u "$1" -H "Accept: $2" "$3" | jq ".objects|length")" = "$4" ] || exit 1; done' \
	_ "$A" "$MT" "$BASE/api1/collections/$COL/manifest/" $((N0 + 1))

# ---- 403 ------------------------------------------------------------------------
post "$D" "$COL" "$T/bobred.json"
t_true "read-only org POST 403" code_is 403
req "$D" DELETE "/api1/collections/$COL/objects/$I4/"
t_true "read-only org DELETE 403" code_is 403
req "$C" GET "/api1/collections/$COL/objects/"
t_true "write-only org GET objects 403" code_is 403
req "$C" GET "/api1/collections/$COL/manifest/"
t_true "write-only org GET manifest 403" code_is 403
gen carol 2 >"$T/carol.json"
post "$C" "$COL" "$T/carol.json"
t_true "write-only org POST 202" code_is 202

# ---- 400, 405, 413, 415, 422 --------------------------------------------------------
for q in "limit=0" "limit=abc" "added_after=yesterday" "next=x" "match%5Bversion%5D=newest" "match%5Btype%5D="; do
	req "$A" GET "/api1/collections/$COL/objects/?$q"
	t_true "bad filter $q is 400" code_is 400
done
printf '{"objects": [' >"$T/broken.json"
post "$A" "$COL" "$T/broken.json"
t_true "malformed JSON 400" code_is 400
echo '{"more": false}' >"$T/noobj.json"
post "$A" "$COL" "$T/noobj.json"
t_true "not an envelope 422" code_is 422
echo '[1,2]' >"$T/arr.json"
post "$A" "$COL" "$T/arr.json"
t_true "array body 422" code_is 422
req "$A" POST "/api1/collections/$COL/objects/" -H 'Content-Type: application/json' --data-binary "@$T/carol.json"
t_true "Content-Type application/json 415" code_is 415
req "$A" POST "/api1/collections/$COL/objects/" -H 'Content-Type: application/taxii+json;version=2.0' --data-binary "@$T/carol.json"
t_true "Content-Type version 2.0 415" code_is 415
gen big 1000 >"$T/big.json"
post "$A" "$COL" "$T/big.json"
t_true "body over max_content_length 413" code_is 413
req "$A" POST "/api1/collections/$COL/objects/" -H "Content-Type: $MT" -H 'Transfer-Encoding: chunked' --data-binary "@$T/big.json"
t_true "chunked body over the limit 413 while streaming" code_is 413
req "$A" PUT "/api1/collections/$COL/objects/"
t_true "PUT 405" code_is 405
t_true "405 says what is allowed" [ "$(hdr Allow)" = "GET, POST" ]

# ---- versions, match[version], DELETE --------------------------------------------
for m in 2024-02-01T00:00:00.000Z 2024-03-01T00:00:00.000Z; do
	gen ver 1 "" "$m" >"$T/v.json"
	post "$A" "$COL" "$T/v.json"
done
gen ver 1 >"$T/v.json"
post "$A" "$COL" "$T/v.json"
V=$(idof ver-0)
req "$A" GET "/api1/collections/$COL/objects/$V/versions/"
t_true "versions lists all three" [ "$(jb '.versions|sort|join(" ")')" = "2024-01-01T00:00:00.000Z 2024-02-01T00:00:00.000Z 2024-03-01T00:00:00.000Z" ]
t_true "versions has date-added headers" [ -n "$(hdr X-TAXII-Date-Added-First)" -a -n "$(hdr X-TAXII-Date-Added-Last)" ]
t_true "versions more false" [ "$(jb .more)" = false ]
req "$A" GET "/api1/collections/$COL/objects/$V/versions/?limit=2"
t_true "versions paged" [ "$(jb '.versions|length') $(jb .more)" = "2 true" ]
req "$A" GET "/api1/collections/$COL/objects/$V/versions/?limit=2&next=$(jb .next)"
t_true "versions next page" [ "$(jb '.versions|length') $(jb .more)" = "1 false" ]
req "$A" GET "/api1/collections/$COL/objects/$V/"
t_true "object: last version by default" [ "$(jb '[.objects[].modified]|join(" ")')" = 2024-03-01T00:00:00.000Z ]
req "$A" GET "/api1/collections/$COL/objects/$V/?match%5Bversion%5D=first"
t_true "object: first" [ "$(jb '[.objects[].modified]|join(" ")')" = 2024-01-01T00:00:00.000Z ]
req "$A" GET "/api1/collections/$COL/objects/$V/?match%5Bversion%5D=all"
t_true "object: every version" [ "$(jb '.objects|length')" = 3 ]
req "$A" GET "/api1/collections/$COL/objects/$V/?match%5Bversion%5D=first,last"
t_true "object: first,last" [ "$(jb '[.objects[].modified]|sort|join(" ")')" = "2024-01-01T00:00:00.000Z 2024-03-01T00:00:00.000Z" ]
req "$A" GET "/api1/collections/$COL/objects/$V/?match%5Bversion%5D=2024-02-01T00:00:00.000Z"
t_true "object: by timestamp" [ "$(jb '[.objects[].modified]|join(" ")')" = 2024-02-01T00:00:00.000Z ]
req "$A" GET "/api1/collections/$COL/objects/$V/?match%5Bspec_version%5D=2.0"
t_true "object: spec_version 2.0 matches nothing" [ "$CODE $(jb '.objects|length')" = "200 0" ]
req "$A" GET "/api1/collections/$COL/objects/?match%5Bid%5D=$V&match%5Bversion%5D=all&match%5Btype%5D=indicator"
t_true "objects: id+version+type combined" [ "$(jb '.objects|length')" = 3 ]
req "$A" GET "/api1/collections/$COL/objects/?match%5Bid%5D=$V,$I1&match%5Bversion%5D=last"
t_true "objects: id comma list" [ "$(jb '[.objects[].id]|sort|join(" ")')" = "$I1 $V" ]
req "$A" GET "/api1/collections/$COL/objects/?match%5Btype%5D=malware,tool"
t_true "objects: type comma list" [ "$(jb '[.objects[].type]|unique|join(" ")')" = malware ]
# the query as libmicrohttpd splits and decodes it for the filters
req "$A" GET "/api1/collections/$COL/objects/?match%5Bid%5D=$V%2C$I1&match%5Bversion%5D=last"
t_true "query: a percent-encoded comma separates ids" [ "$(jb '[.objects[].id]|sort|join(" ")')" = "$I1 $V" ]
req "$A" GET "/api1/collections/$COL/objects/?match[type]=tool,+malware" -g
t_true "query: raw brackets, a '+' is a space around an item" [ "$CODE $(jb '[.objects[].type]|unique|join(" ")')" = "200 malware" ]
req "$A" GET "/api1/collections/$COL/objects/?limit&match%5Btype%5D=malware"
t_true "query: a filter without '=' is 400" [ "$CODE $(jb .description)" = "400 limit: not a positive integer" ]
req "$A" GET "/api1/collections/$COL/manifest/?match%5Bid%5D=$V&match%5Bversion%5D=all"
t_true "manifest entries" [ "$(jq -r --arg v "$V" '[.objects[]|.id==$v and .media_type=="application/stix+json;version=2.1" and (.date_added|length)>0 and (.version|length)>0]|all' "$T/b")" = true ]
t_true "manifest has date-added headers" [ -n "$(hdr X-TAXII-Date-Added-Last)" ]
req "$A" DELETE "/api1/collections/$COL/objects/$V/?match%5Bversion%5D=2024-02-01T00:00:00.000Z"
t_true "DELETE one version 200" code_is 200
req "$A" GET "/api1/collections/$COL/objects/$V/versions/"
t_true "that version is gone" [ "$(jb '.versions|sort|join(" ")')" = "2024-01-01T00:00:00.000Z 2024-03-01T00:00:00.000Z" ]
req "$A" DELETE "/api1/collections/$COL/objects/$V/"
t_true "DELETE the object 200" code_is 200
req "$A" GET "/api1/collections/$COL/objects/$V/"
t_true "deleted object 404" code_is 404
req "$A" GET "/api1/collections/$COL/objects/$V/versions/"
t_true "deleted object versions 404" code_is 404

# ---- added_after and paging --------------------------------------------------------
req "$A" GET "/api1/collections/$COL/objects/?limit=2"
t_true "limit 2 gives 2 and more" [ "$(jb '.objects|length') $(jb .more)" = "2 true" ]
LAST=$(hdr X-TAXII-Date-Added-Last)
req "$A" GET "/api1/collections/$COL/objects/?added_after=$LAST&limit=1"
A1=$(jb '.objects[0].id')
req "$A" GET "/api1/collections/$COL/objects/?limit=3"
t_true "added_after = the Date-Added-Last header continues the list" [ "$(jb '.objects[2].id')" = "$A1" ]
req "$A" GET "/api1/collections/$COL/objects/?added_after=2099-01-01T00:00:00Z"
t_true "added_after in the future: empty envelope" [ "$CODE $(jb '.objects|length') $(jb .more)" = "200 0 false" ]
t_true "no date headers on an empty page" [ -z "$(hdr X-TAXII-Date-Added-First)" ]

# pagination completeness while others POST
for k in 1 2 3; do gen pre$k 100 >"$T/pre$k.json"; post "$A" "$COL" "$T/pre$k.json"; done
for k in 1 2 3; do for i in $(seq 0 99); do echo "pre$k-$i"; done; done |
	"$PY" -c 'import sys,uuid; [print("indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, l.strip())) for l in sys.stdin]' | sort >"$T/pre.ids"
(
	for k in $(seq 1 30); do
		gen live$k 20 >"$T/live$k.json"
		curl -sk -o /dev/null -u "$B" -H "Accept: $MT" -H "Content-Type: $MT" \
			--data-binary "@$T/live$k.json" "$BASE/api1/collections/$COL/objects/"
	done
) &
BG=$!
page_all() { # page_all PATH-WITH-? : every id over all pages, one per line
	local next="" more=true
	: >"$T/paged"
	while [ "$more" = true ]; do
		req "$A" GET "$1limit=37${next:+&next=$next}"
		[ "$CODE" = 200 ] || return 1
		jq -r '.objects[]?.id' "$T/b" >>"$T/paged"
		more=$(jb .more); next=$(jb '.next // ""')
	done
}
page_all "/api1/collections/$COL/objects/?"
wait $BG
t_true "paging while POSTing: every earlier object exactly once" \
	[ "$(sort "$T/paged" | comm -12 - "$T/pre.ids" | wc -l)" = 300 ]
t_true "paging while POSTing: no duplicates" [ -z "$(sort "$T/paged" | uniq -d)" ]
page_all "/api1/collections/$COL/manifest/?"
t_true "manifest paging: every object once" [ "$(sort "$T/paged" | comm -12 - "$T/pre.ids" | wc -l) $(sort "$T/paged" | uniq -d | wc -l)" = "300 0" ]

# ---- access log, restart with the same certificate -------------------------------
t_true "access log line" grep -q ' 127\.0\.0\.1 GET "/api1/collections/" 200 [0-9]* [0-9]*us alice$' "$T/serve.err"
t_true "access log for 401" grep -q 'GET "/taxii2/" 401 .* -$' "$T/serve.err"
t_true "no password in the log" bash -c "! grep -q -e alice-password -e 'bob-password' '$T/serve.err'"
stop_server
t_true "SIGTERM stops cleanly" [ $? = 0 ]

# SIGTERM while a slow POST is being uploaded: it is still answered
start_server
gen slow 400 >"$T/slow.json"
curl -sk -o "$T/slow.out" -w '%{http_code}' --limit-rate 100K -u "$A" -H "Accept: $MT" \
	-H "Content-Type: $MT" --data-binary "@$T/slow.json" "$BASE/api1/collections/$COL/objects/" \
	>"$T/slow.code" &
CP=$!
sleep 0.7
kill -TERM "$SPID"
wait "$CP"
wait "$SPID"
t_true "SIGTERM: exit 0 after the in-flight POST" [ $? = 0 ]
t_true "SIGTERM: the in-flight POST was answered 202 complete" \
	[ "$(cat "$T/slow.code") $(jq -r .success_count "$T/slow.out")" = "202 400" ]
start_server
t_true "restart keeps the certificate" [ "$(sed -n 's/^sha256 fingerprint //p' "$T/serve.out")" = "$FP1" ]

# ---- kill -9 during a POST stream ---------------------------------------------
: >"$T/acked"
(
	for k in $(seq 1 200); do
		gen crash$k 50 >"$T/c.json" 2>/dev/null || break
		out=$(curl -sk -u "$A" -H "Accept: $MT" -H "Content-Type: $MT" --data-binary "@$T/c.json" \
			-w '\n%{http_code}' "$BASE/api1/collections/$COL/objects/" 2>/dev/null) || break
		case "$out" in *'"status":"complete"'*202) echo "crash$k" >>"$T/acked" ;; *) break ;; esac
	done
) &
BG=$!
sleep 2
kill -9 "$SPID"; wait "$SPID" 2>/dev/null
wait $BG
t_true "some envelopes were acknowledged before the kill" [ -s "$T/acked" ]
start_server
check_acked() {
	local k ids
	while read -r k; do
		req "$A" GET "/api1/collections/$COL/objects/?match%5Bid%5D=$(idof "$k-0"),$(idof "$k-49")"
		[ "$(jb '.objects|length')" = 2 ] || { echo "lost $k"; return 1; }
	done <"$T/acked"
	ids=$(wc -l <"$T/acked")
	req "$A" GET "/api1/collections/$COL/manifest/?match%5Btype%5D=indicator&limit=10000"
	[ "$(jq -r '.objects[].id' "$T/b" | sort -u | wc -l)" -ge $((ids * 50 + 300)) ]
}
t_true "after kill -9: every object answered 202 complete is there" check_acked
stop_server

# ---- options ------------------------------------------------------------------
t_exit 2 "--insecure-http refused off loopback" cc serve --insecure-http --listen 0.0.0.0:0
t_exit 2 "bad --listen" cc serve --listen nowhere
t_exit 2 "--tls-cert without --tls-key" cc serve --tls-cert x.pem
cp "$CYBERCELL_DB.tls-cert.pem" "$T/c.pem"; cp "$CYBERCELL_DB.tls-key.pem" "$T/k.pem"
t_true "serve with --tls-cert/--tls-key" start_server --tls-cert "$T/c.pem" --tls-key "$T/k.pem"
t_true "its fingerprint is printed" [ "$(sed -n 's/^sha256 fingerprint //p' "$T/serve.out")" = "$FP1" ]
req "$A" GET /taxii2/
t_true "and it serves" code_is 200
stop_server
t_exit 1 "a missing certificate file fails" cc serve --listen 127.0.0.1:0 --tls-cert "$T/none.pem" --tls-key "$T/k.pem"
t_exit 2 "bad --api-root" cc serve --api-root 'a/b'
t_true "insecure http on loopback works, with a warning" start_server --insecure-http --api-root hub
t_true "loud warning" grep -q WARNING "$T/serve.err"
req "$A" GET /hub/
t_true "plain http api root renamed" [ "$CODE $(jb .max_content_length)" = "200 300000" ]
stop_server
t_clean "no sanitizer report from the server" "$T/serve.err"
t_done
