#!/usr/bin/env bash
# The hostile-member suite: every member of the hub is hostile to every
# other.  Each attack class below is a case that a member (bank-b, "bob")
# tries against another's intelligence (bank-a, "alice"); none of them may
# read, change, delete, shadow or learn of what it may not see.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"

# mk JSON...: an envelope of objects; each JSON gives at least "id" and is
# completed to a valid object (indicators; an SCO given as ipv4-addr with a
# "value" gets its deterministic id).
cat >"$T/mk.py" <<'PYEOF'
import json, sys, uuid
NS = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
objs = []
for a in sys.argv[1:]:
    o = json.loads(a)
    if o.get("type") == "ipv4-addr":
        o.setdefault("spec_version", "2.1")
        o["id"] = "ipv4-addr--%s" % uuid.uuid5(NS, json.dumps({"value": o["value"]}, separators=(",", ":")))
    else:
        base = {"type": "indicator", "spec_version": "2.1", "created": "2024-01-01T00:00:00.000Z",
                "modified": "2024-01-01T00:00:00.000Z", "name": "hostile test", "pattern_type": "stix",
                "pattern": "[domain-name:value = 'h.example']", "valid_from": "2024-01-01T00:00:00Z"}
        base.update(o)
        o = base
    objs.append(o)
print(json.dumps({"objects": objs}))
PYEOF
mk() { "$PY" "$T/mk.py" "$@"; }
uid() { "$PY" -c 'import sys,uuid; print("indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[1]))' "$1"; }
scoid() { "$PY" -c 'import sys,uuid,json; print("ipv4-addr--%s" % uuid.uuid5(uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7"), json.dumps({"value": sys.argv[1]}, separators=(",", ":"))))' "$1"; }
M1=2024-01-01T00:00:00.000Z M2=2024-02-01T00:00:00.000Z M3=2024-03-01T00:00:00.000Z

# ---- the hub: two rival banks, an agency that reads everything, a reader at amber
for o in bank-a bank-b agency reader; do cc org add "$o" >/dev/null; done
pw 'alice-password' alice bank-a
pw 'bob-password!!' bob bank-b
pw 'carol-password' carol agency
pw 'dave-password1' dave reader
A=alice:alice-password B='bob:bob-password!!' C=carol:carol-password D=dave:dave-password1
APRIV=$(cc collection add a-private)       # bank-a alone
BOWN=$(cc collection add b-own)            # bank-b alone
SH=$(cc collection add shared)             # everybody
cc grant bank-a a-private read-write --max-tlp red >/dev/null
cc grant bank-b b-own read-write --max-tlp red >/dev/null
cc grant bank-a shared read-write --max-tlp red >/dev/null
cc grant bank-b shared read-write --max-tlp amber >/dev/null
cc grant agency shared read --max-tlp red >/dev/null
cc grant reader shared read --max-tlp amber >/dev/null
t_true "server starts" start_server

# get WHO COLL ID [QUERY]: the objects of GET objects/ID/ (or "404")
get() {
	req "$1" GET "/api1/collections/$2/objects/$3/${4:+?$4}"
	if code_is 200; then jq -c '[.objects[]?]' "$T/b"; else echo "$CODE"; fi
}
okpost() { # okpost WHO COLL FILE: 202 with every object a success
	post "$1" "$2" "$3"
	code_is 202 && [ "$(jb .failure_count)" = 0 ]
}

# ---- 1. no read through one's own write (cross-collection, shared version row)
X=$(uid secret-x)
mk "{\"id\":\"$X\",\"object_marking_refs\":[\"$TLP_RED\"],\"x_secret\":\"A-RED-CONTENT\"}" >"$T/ax.json"
t_true "alice stores a red object in her private collection" okpost "$A" "$APRIV" "$T/ax.json"
mk "{\"id\":\"$X\",\"name\":\"bob's guess\"}" >"$T/bx.json"
t_true "bob posts the same id and version into his own collection" okpost "$B" "$BOWN" "$T/bx.json"
t_true "bob reads back his own object, not alice's" \
	[ "$(get "$B" "$BOWN" "$X" | jq -r '.[0].name + " " + (.[0].x_secret // "-") + " " + (length|tostring)')" = "bob's guess - 1" ]
req "$B" GET "/api1/collections/$BOWN/objects/?match%5Bversion%5D=all"
t_true "no read of alice's content through any page of bob's collection" \
	bash -c "! grep -q A-RED-CONTENT '$T/b'"
req "$B" GET "/api1/collections/$BOWN/manifest/"
t_true "bob's manifest has one entry for the id" [ "$(jb '[.objects[]|select(.id=="'$X'")]|length')" = 1 ]
t_true "alice's object is unchanged" \
	[ "$(get "$A" "$APRIV" "$X" | jq -r '.[0].x_secret + " " + .[0].name')" = "A-RED-CONTENT hostile test" ]
# the same with a deterministic SCO id: guessing the value is enough
S=$(scoid 203.0.113.9)
mk "{\"type\":\"ipv4-addr\",\"value\":\"203.0.113.9\",\"object_marking_refs\":[\"$TLP_RED\"],\"x_source\":\"A-SOURCE\"}" >"$T/as.json"
t_true "alice stores a red SCO" okpost "$A" "$APRIV" "$T/as.json"
mk '{"type":"ipv4-addr","value":"203.0.113.9"}' >"$T/bs.json"
t_true "bob posts the same SCO (same deterministic id)" okpost "$B" "$BOWN" "$T/bs.json"
t_true "bob reads his SCO without alice's properties" \
	[ "$(get "$B" "$BOWN" "$S" | jq -r '.[0].x_source // "none"')" = none ]
req "$B" GET "/api1/collections/$BOWN/objects/$S/versions/"
t_true "bob sees one version of his SCO" [ "$(jb '.versions|length')" = 1 ]

# ---- 2. no poisoning by posting first, in either order
P=$(uid poison)
mk "{\"id\":\"$P\",\"object_marking_refs\":[\"$TLP_RED\"],\"name\":\"B-FIRST\"}" >"$T/bp.json"
t_true "bob posts (P, M1) first, red, in his collection" okpost "$B" "$BOWN" "$T/bp.json"
mk "{\"id\":\"$P\",\"name\":\"A-SECOND\"}" >"$T/ap.json"
t_true "alice then posts (P, M1) with her content: a success" okpost "$A" "$APRIV" "$T/ap.json"
t_true "alice reads her content back" [ "$(get "$A" "$APRIV" "$P" | jq -r '[.[].name]|join(",")')" = A-SECOND ]
t_true "bob still reads his" [ "$(get "$B" "$BOWN" "$P" | jq -r '[.[].name]|join(",")')" = B-FIRST ]
# the visible case: alice can read bob's object, so she is told, per object
V=$(uid visible)
mk "{\"id\":\"$V\",\"name\":\"B-VISIBLE\"}" >"$T/bv.json"
t_true "bob shares an unmarked object in the shared collection" okpost "$B" "$SH" "$T/bv.json"
mk "{\"id\":\"$V\",\"name\":\"A-OTHER\"}" "{\"id\":\"$(uid fine)\"}" >"$T/av.json"
post "$A" "$SH" "$T/av.json"
t_true "alice's different copy of an object she can see is refused alone" \
	[ "$CODE $(jb '"\(.success_count) \(.failure_count) \(.failures[0].id)"')" = "202 1 1 $V" ]
t_true "the refusal says why" bash -c "jq -r '.failures[0].message' '$T/b' | grep -q 'another organisation'"
post "$A" "$APRIV" "$T/av.json"
t_true "also into her private collection" [ "$(jb '.failures[0].id')" = "$V" ]
t_true "readers of the shared collection get bob's object only" \
	[ "$(get "$C" "$SH" "$V" | jq -r '[.[].name]|join(",")')" = B-VISIBLE ]
mk "{\"id\":\"$V\",\"name\":\"B-VISIBLE\"}" >"$T/same.json"
post "$A" "$SH" "$T/same.json"
t_true "an unchanged copy of what she can see is accepted (re-sharing)" \
	[ "$CODE $(jb .success_count)" = "202 1" ]
t_true "and changes nothing" [ "$(get "$C" "$SH" "$V" | jq -r '[.[].name]|join(",")')" = B-VISIBLE ]

# ---- 3. granular markings count for TLP (the object is hidden)
G=$(uid granular)
mk "{\"id\":\"$G\",\"description\":\"RED-DETAIL\",\"granular_markings\":[{\"marking_ref\":\"$TLP_RED\",\"selectors\":[\"description\"]}]}" >"$T/ag.json"
t_true "alice shares an object with a red description" okpost "$A" "$SH" "$T/ag.json"
G2=$(uid granular-all)
mk "{\"id\":\"$G2\",\"granular_markings\":[{\"marking_ref\":\"$TLP_STRICT\",\"selectors\":[\"name\",\"pattern\"]}]}" >"$T/ag2.json"
t_true "and one that is amber+strict in part" okpost "$A" "$SH" "$T/ag2.json"
every_path() { # every_path WHO ID...: none of the ids on any read path
	local p who=$1; shift
	local ids=$*
	for p in "objects/" "objects/?match%5Bversion%5D=all" "objects/?match%5Bversion%5D=first" \
		"objects/?limit=1" "objects/?match%5Btype%5D=indicator" \
		"objects/?match%5Bid%5D=$(echo "$ids" | tr ' ' ,)" "objects/?match%5Bspec_version%5D=2.1" \
		"objects/?added_after=2000-01-01T00:00:00Z" "manifest/" "manifest/?match%5Bversion%5D=all" \
		$(for i in $ids; do echo "objects/$i/" "objects/$i/versions/" "objects/$i/?match%5Bversion%5D=all" \
			"objects/$i/?match%5Bversion%5D=first" "manifest/?match%5Bid%5D=$i"; done); do
		req "$who" GET "/api1/collections/$SH/$p"
		case "$CODE" in
		200) ;;
		404) continue ;;        # its description names the id asked for
		*) echo "unexpected $CODE for $p"; return 1 ;;
		esac
		for i in $ids; do
			if grep -q "$i" "$T/b"; then echo "leak of $i through $p"; return 1; fi
		done
	done
	# and paging one object at a time
	local next="" more=true
	while [ "$more" = true ]; do
		req "$who" GET "/api1/collections/$SH/objects/?limit=1${next:+&next=$next}"
		for i in $ids; do grep -q "$i" "$T/b" && { echo "leak of $i while paging"; return 1; }; done
		more=$(jb .more); next=$(jb '.next // ""')
	done
}
t_true "bob (amber) never receives them on any read path" every_path "$B" "$G" "$G2"
t_true "neither does dave (amber, read only)" every_path "$D" "$G" "$G2"
t_true "carol (red) reads both" [ "$(get "$C" "$SH" "$G" | jq -r '.[0].description')" = RED-DETAIL -a \
	"$(get "$C" "$SH" "$G2" | jq length)" = 1 ]

# ---- 4. marking ids in upper case are still TLP
U=$(uid upper)
REDUP=$(echo "$TLP_RED" | sed 's/--\(.*\)/--\U\1/')
mk "{\"id\":\"$U\",\"object_marking_refs\":[\"$REDUP\"]}" >"$T/au.json"
t_true "alice shares an object marked with an upper-case TLP:RED id" okpost "$A" "$SH" "$T/au.json"
t_true "bob does not receive the upper-case red object on any path" every_path "$B" "$U"
t_true "an id differing only in case is the same object" [ "$(get "$A" "$SH" "$(echo "$U" | tr a-f A-F | sed 's/^INDICATOR/indicator/')" | jq -r '.[0].id // "none"')" = "$U" ]

# ---- 5. versions and deletion belong to the creator
H=$(uid hidden-target)
mk "{\"id\":\"$H\",\"object_marking_refs\":[\"$TLP_RED\"],\"name\":\"A-ORIGINAL\"}" >"$T/ah.json"
t_true "alice shares a red object (hidden from bob)" okpost "$A" "$SH" "$T/ah.json"
mk "{\"id\":\"$H\",\"modified\":\"$M3\",\"revoked\":true,\"name\":\"B-REVOKE\"}" >"$T/bh.json"
N=$(uid never-stored)
mk "{\"id\":\"$N\",\"modified\":\"$M3\",\"revoked\":true,\"name\":\"B-REVOKE\"}" >"$T/bn.json"
post "$B" "$SH" "$T/bh.json"; cp "$T/b" "$T/bh.out"; C1=$CODE
post "$B" "$SH" "$T/bn.json"; cp "$T/b" "$T/bn.out"; C2=$CODE
t_true "bob's newer version of the hidden object gets a never-stored id's answer" \
	[ "$C1 $(jq -c '[.success_count,.failure_count,[.successes[].message]]' "$T/bh.out")" = \
	  "$C2 $(jq -c '[.success_count,.failure_count,[.successes[].message]]' "$T/bn.out")" ]
t_true "alice's latest version is still hers" [ "$(get "$A" "$SH" "$H" | jq -r '[.[]|.name]|join(",")')" = A-ORIGINAL ]
t_true "carol is served alice's version alone, unrevoked" \
	[ "$(get "$C" "$SH" "$H" | jq -r '[.[]|.name + "/" + (.revoked // false|tostring)]|join(",")')" = A-ORIGINAL/false ]
req "$C" GET "/api1/collections/$SH/manifest/?match%5Bid%5D=$H&match%5Bversion%5D=all"
t_true "and alice's versions alone in the manifest" [ "$(jb '[.objects[].version]|join(",")')" = "$M1" ]
req "$B" GET "/api1/collections/$SH/objects/$H/"
t_true "bob is served his own copy" [ "$(jb '[.objects[].name]|join(",")')" = B-REVOKE ]
req "$A" GET "/api1/collections/$SH/objects/$H/versions/"
t_true "alice's versions are hers alone" [ "$(jb '.versions|join(",")')" = "$M1" ]
H2=$(uid hidden-target-2)
mk "{\"id\":\"$H2\",\"object_marking_refs\":[\"$TLP_RED\"],\"name\":\"A-KEEP\"}" >"$T/ah2.json"
t_true "alice shares another red object" okpost "$A" "$SH" "$T/ah2.json"
req "$B" DELETE "/api1/collections/$SH/objects/$H2/"; C1=$CODE; jq -S 'del(.description)' "$T/b" >"$T/d1"
req "$B" DELETE "/api1/collections/$SH/objects/$(uid nothing-here)/"; C2=$CODE; jq -S 'del(.description)' "$T/b" >"$T/d2"
t_true "bob's DELETE of the hidden object is a never-stored id's 404" [ "$C1 $C2" = "404 404" ]
t_true "with the same body" cmp -s "$T/d1" "$T/d2"
t_true "and removes nothing" [ "$(get "$A" "$SH" "$H2" | jq -r '[.[]|.name]|join(",")')" = A-KEEP ]
req "$B" DELETE "/api1/collections/$SH/objects/$H/"
t_true "bob's DELETE of the id removes his own copy only" code_is 200
t_true "alice's object is still there" [ "$(get "$C" "$SH" "$H" | jq -r '[.[]|.name]|join(",")')" = A-ORIGINAL ]
# the visible case
W=$(uid visible-target)
mk "{\"id\":\"$W\",\"name\":\"A-GREEN\",\"object_marking_refs\":[\"$TLP_GREEN\"]}" >"$T/aw.json"
t_true "alice shares a green object bob can read" okpost "$A" "$SH" "$T/aw.json"
mk "{\"id\":\"$W\",\"modified\":\"$M3\",\"revoked\":true,\"name\":\"B-REVOKE\"}" >"$T/bw.json"
post "$B" "$SH" "$T/bw.json"
t_true "bob's revocation of it is refused" [ "$CODE $(jb '"\(.success_count) \(.failure_count)"')" = "202 0 1" ]
t_true "readers still get alice's version only" \
	[ "$(get "$D" "$SH" "$W" | jq -r '[.[]|.name + "/" + .modified]|join(",")')" = "A-GREEN/$M1" ]
req "$B" DELETE "/api1/collections/$SH/objects/$W/"
t_true "bob's DELETE of it is 404" code_is 404
t_true "and alice's object is still there" [ "$(get "$D" "$SH" "$W" | jq length)" = 1 ]
req "$A" DELETE "/api1/collections/$SH/objects/$W/"
t_true "alice deletes her own object" code_is 200
t_true "gone" [ "$(get "$D" "$SH" "$W")" = 404 ]

# ---- 6. no existence oracles
req "$B" GET "/api1/collections/$SH/objects/$H/"; C1=$CODE; jq -S 'del(.description)' "$T/b" >"$T/o1"
req "$B" GET "/api1/collections/$SH/objects/$(uid not-stored)/"; C2=$CODE; jq -S 'del(.description)' "$T/b" >"$T/o2"
t_true "GET of a hidden id answers as a never-stored id" [ "$C1" = "$C2" ]
t_true "with the same body" cmp -s "$T/o1" "$T/o2"
L=$(uid layered)
mk "{\"id\":\"$L\",\"name\":\"L-GREEN\",\"object_marking_refs\":[\"$TLP_GREEN\"]}" >"$T/l1.json"
mk "{\"id\":\"$L\",\"modified\":\"$M2\",\"name\":\"L-RED\",\"object_marking_refs\":[\"$TLP_RED\"]}" >"$T/l2.json"
t_true "alice shares a green version" okpost "$A" "$SH" "$T/l1.json"
t_true "then a red newer version" okpost "$A" "$SH" "$T/l2.json"
t_true "bob gets the latest version he may see" [ "$(get "$B" "$SH" "$L" | jq -r '[.[].name]|join(",")')" = L-GREEN ]
req "$B" GET "/api1/collections/$SH/objects/$L/versions/"
t_true "his versions list has only that one" [ "$(jb '.versions|join(",")')" = "$M1" ]
req "$B" GET "/api1/collections/$SH/objects/?match%5Bid%5D=$L"
t_true "a page filtered by id gives the green version" [ "$(jb '[.objects[].name]|join(",")')" = L-GREEN ]
req "$B" GET "/api1/collections/$SH/manifest/?match%5Bid%5D=$L"
t_true "the manifest gives its version" [ "$(jb '[.objects[].version]|join(",")')" = "$M1" ]
req "$B" GET "/api1/collections/$SH/objects/?limit=10000"
t_true "the objects page gives the green version" [ "$(jb '[.objects[]|select(.id=="'$L'")|.name]|join(",")')" = L-GREEN ]
t_true "carol gets the red one as latest" [ "$(get "$C" "$SH" "$L" | jq -r '[.[].name]|join(",")')" = L-RED ]
req "$B" GET "/api1/collections/$SH/objects/$L/?match%5Bversion%5D=$M2"; C1=$CODE; cp "$T/b" "$T/v1"
req "$B" GET "/api1/collections/$SH/objects/$L/?match%5Bversion%5D=$M3"; C2=$CODE
t_true "asking for the hidden version by date answers as for a date with no version" \
	[ "$C1 $(cat "$T/v1")" = "$C2 $(cat "$T/b")" ]
mk "{\"id\":\"$H\",\"name\":\"B-PROBE\"}" >"$T/probe.json"
post "$B" "$SH" "$T/probe.json"
t_true "posting a hidden id says nothing of it" [ "$(jb '[.successes[].message // ""]|join(",")')" = "" ]

# ---- 10. status resources stay small and expire
"$PY" - >"$T/many.json" <<'PYEOF'
import json
print(json.dumps({"objects": [{"type": "indicator", "id": "indicator--%08d-0000-4000-8000-000000000000" % i}
                               for i in range(3500)]}))
PYEOF
post "$B" "$BOWN" "$T/many.json"
t_true "3,500 invalid objects: 202" code_is 202
t_true "the status counts them all" [ "$(jb '"\(.total_count) \(.failure_count)"')" = "3500 3500" ]
t_true "but lists a bounded number" [ "$(jb '.failures|length')" -le 1000 ]
t_true "and says so" [ "$(jb '.x_cybercell_details_truncated // false')" = true ]
t_true "the status body stays small" [ "$(stat -c %s "$T/b")" -lt 200000 ]
stop_server
t_true "server restarts with a short status lifetime" start_server --status-ttl 2
okpost "$B" "$BOWN" "$T/bx.json"
SID=$(jb .id)
req "$B" GET "/api1/status/$SID/"
t_true "a fresh status is there" code_is 200
sleep 3
req "$B" GET "/api1/status/$SID/"
t_true "an expired status is 404" code_is 404
stop_server

# ---- 12. the store and its journal are private to the hub's user
t_true "store file mode 0600" [ "$(stat -c %a "$CYBERCELL_DB")" = 600 ]
t_true "WAL and shm files 0600" bash -c 'for f in "$1"-wal "$1"-shm; do [ ! -e "$f" ] || [ "$(stat -c %a "$f")" = 600 ] || exit 1; done' _ "$CYBERCELL_DB"
rm -f "$T/fresh.db"
(umask 022; cc --db "$T/fresh.db" init >/dev/null)
t_true "a new store is 0600 whatever the umask" [ "$(stat -c %a "$T/fresh.db")" = 600 ]
t_true "no sanitizer report from the server" \
	bash -c "! grep -q -e AddressSanitizer -e LeakSanitizer -e 'runtime error' '$T/serve.err'"
t_done
