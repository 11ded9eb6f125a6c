#!/usr/bin/env bash
# The safeguards against a hostile insider: restricted collections open
# only with a two-person authorisation (invisible otherwise, on every path,
# exactly as a collection never created), every refusal of the rules is an
# error and an audit entry, and the audit trail shows every edit, deletion,
# insertion, reordering, rewrite and (against a saved head) truncation,
# naming the first bad entry.  Tampering is done as an insider would: with
# a text editor's tools on the trail and the sqlite3 program on the store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/ui_lib.sh"

TRAIL=$CYBERCELL_DB.audit
KEY=$CYBERCELL_DB.audit-key
# entry N FIELD: a field of the trail's entry of seq N
entry() { jq -r "select(.seq == $1) | .$2 // \"-\"" "$TRAIL"; }
# last ACTION JQ: JQ on the last entry of ACTION
last() { jq -c "select(.action == \"$1\")" "$TRAIL" | tail -1 | jq -r "$2"; }
sql() { sqlite3 "$CYBERCELL_DB" "$1"; }

# ---- the hub ------------------------------------------------------------------
t_ok "audit init makes the hub's key" cc audit init
t_true "... secret key mode 0600" [ "$(stat -c %a "$KEY")" = 600 ]
t_true "... and its public key" grep -q '^cybercell-ed25519-public ' "$KEY.pub"
t_exit 1 "audit init again: a key is never replaced" cc audit init
cp "$KEY.pub" "$T/saved.pub"          # the operator's copy, kept elsewhere
for o in bank-a bank-b ministry; do cc org add "$o" >/dev/null; done
pw 'alice-password' alice bank-a
pw 'bob-password!!' bob bank-a
pw 'mike-password1' mike bank-a           # a user who is also an approver
pw 'eve-password!!' eve bank-b
A=alice:alice-password B='bob:bob-password!!' M=mike:mike-password1 E='eve:eve-password!!'
SEC=$(cc collection add secret --restricted)
SEC2=$(cc collection add secret2 --restricted)
INTEL=$(cc collection add intel)
for c in secret secret2 intel; do cc grant bank-a "$c" read-write --max-tlp red >/dev/null; done
cc grant bank-b secret read --max-tlp red >/dev/null
t_ok "approver ann of the ministry" cc approver add ann --org ministry --key-out "$T/ann.key"
t_true "... her secret key is hers alone (0600)" [ "$(stat -c %a "$T/ann.key")" = 600 ]
t_ok "approver mike" cc approver add mike --org ministry --key-out "$T/mike.key"
t_exit 1 "approver ann again" cc approver add ann --org ministry --key-out "$T/ann2.key"
t_true "... and no key file is left behind" [ ! -e "$T/ann2.key" ]
t_exit 2 "an approver name with a space" cc approver add "a b" --org ministry --key-out "$T/x.key"
# a stranger's key: an approver of another hub
( export CYBERCELL_DB=$T/other.db; cc audit init >/dev/null; cc org add ministry >/dev/null
  cc approver add ann --org ministry --key-out "$T/stranger.key" >/dev/null )
t_true "a stranger's key exists" test -s "$T/stranger.key"

# objects: a red one and a green one in each collection
RED=indicator--00000000-0000-4000-8000-00000000a0a0
GREEN=indicator--00000000-0000-4000-8000-00000000b0b0
cat >"$T/objs.json" <<EOF
{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":[
{"type":"indicator","spec_version":"2.1","id":"$RED","created":"2024-01-01T00:00:00.000Z",
 "modified":"2024-01-01T00:00:00.000Z","name":"red","pattern_type":"stix",
 "pattern":"[ipv4-addr:value = '198.51.100.1']","valid_from":"2024-01-01T00:00:00Z",
 "object_marking_refs":["$TLP_RED"]},
{"type":"indicator","spec_version":"2.1","id":"$GREEN","created":"2024-01-01T00:00:00.000Z",
 "modified":"2024-01-01T00:00:00.000Z","name":"green","pattern_type":"stix",
 "pattern":"[ipv4-addr:value = '198.51.100.2']","valid_from":"2024-01-01T00:00:00Z",
 "object_marking_refs":["$TLP_GREEN"]}]}
EOF
for c in secret intel; do cc import --collection "$c" "$T/objs.json" >/dev/null; done
t_true "every administrative command is in the trail" \
	[ "$(jq -r 'select(.actor | startswith("cli:")) | .action' "$TRAIL" | sort -u | tr '\n' ,)" = \
	  "approver add,audit init,collection add,grant,import,org add,user add," ]
t_true "... with its arguments and exit status" \
	[ "$(jq -r 'select(.action == "approver add") | .args[1] + " " + (.exit|tostring)' "$TRAIL" | \
	     tr '\n' ,)" = "ann 0,mike 0,ann 1,a b 2," ]
t_true "the trail is intact" cc audit verify
t_ok "a peer (federation) added" cc peer add uk-hub --url https://127.0.0.1:9/taxii2/ --max-tlp amber
t_true "... is in the trail, with its arguments and exit status" \
	[ "$(last "peer add" '(.args | join(" ")) + " " + (.exit | tostring)')" = \
	  "add uk-hub --url https://127.0.0.1:9/taxii2/ --max-tlp amber 0" ]
t_exit 1 "a restricted collection is never pushed to a peer" \
	cc peer link uk-hub --push secret --to 11111111-2222-4333-8444-555555555555
t_true "... says so" grep -q "restricted: what it holds opens only with a two-person" "$ERR"
t_exit 1 "a peer that exists, added again" cc peer add uk-hub --url https://127.0.0.1:9/taxii2/
t_true "... is in the trail with its exit status and why" \
	[ "$(last "peer add" '(.exit | tostring) + " " + (.message // "-")' | cut -c1-2)" = "1 " ]

t_true "server starts" start_server
NOCOLL=$("$PY" -c 'import uuid; print(uuid.uuid4())')

# paths WHO COLL: the status of every path of a collection, one line
paths() {
	local out="" p
	for p in "" objects/ "objects/$RED/" "objects/$RED/versions/" manifest/; do
		req "$1" GET "/api1/collections/$2/$p"; out+="$CODE "
	done
	post "$1" "$2" "$T/post.json"; out+="$CODE "
	req "$1" DELETE "/api1/collections/$2/objects/$GREEN/"; out+="$CODE"
	echo "$out"
}
cat >"$T/post.json" <<EOF
{"objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-00000000c0c0",
 "created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"posted",
 "pattern_type":"stix","pattern":"[ipv4-addr:value = '198.51.100.3']","valid_from":"2024-01-01T00:00:00Z"}]}
EOF
# same WHO COLL: the answers about COLL are those about a collection never
# made (NOPATHS, and the body of its 404 in $T/none)
same() {
	local a
	a=$(paths "$1" "$2"); req "$1" GET "/api1/collections/$2/"
	[ "$a" = "$NOPATHS" ] && [ "$(sed "s/$2/X/" "$T/b")" = "$(sed "s/$NOCOLL/X/" "$T/none")" ]
}
listed() { req "$1" GET /api1/collections/; jq -e --arg c "$2" '[.collections[]?.id] | index($c)' "$T/b" >/dev/null; }
not_listed() { ! listed "$@"; }
NOPATHS=$(paths "$A" "$NOCOLL")
req "$A" GET "/api1/collections/$NOCOLL/"
cp "$T/b" "$T/none"
t_true "a collection never made: 404 on every path" [ "$NOPATHS" = "404 404 404 404 404 404 404" ]
opens() { req "$1" GET "/api1/collections/$2/"; code_is 200; }
# refusal WHO: why WHO's last request of secret was refused (the trail's message)
refusal() { jq -r --arg w "$1" --arg c "$SEC" 'select(.actor == $w and (.path // "" | contains($c)) and .status == 404) | .message // "-"' "$TRAIL" | tail -1; }

# ---- 1. invisible without an authorisation -------------------------------------
t_true "alice (a grant, no authorisation): secret is a collection never made, on every path" same "$A" "$SEC"
t_true "... and not listed" not_listed "$A" "$SEC"
t_true "... while intel is" listed "$A" "$INTEL"
t_true "eve (bank-b, a read grant): the same" same "$E" "$SEC"

# ---- 2. the rules of authorisation: every refusal --------------------------------
t_exit 1 "request for a collection that is not restricted" \
	cc authorise request --collection intel --user alice --reason "case 42" --for 1h
t_true "... says so" grep -q "not restricted" "$ERR"
t_exit 2 "request with a bad duration" cc authorise request --collection secret --user alice --reason r --for 1y
t_exit 2 "request with a reason on two lines" cc authorise request --collection secret --user alice \
	--reason "$(printf 'a\nb')" --for 1h
t_exit 1 "request for an unknown user" cc authorise request --collection secret --user zed --reason r --for 1h
t_ok "alice asks to read secret for an hour" \
	cc authorise request --collection secret --user alice --reason "case 42: ransomware" --for 1h
AZ=$(cat "$OUT")
t_true "... prints the request id" grep -qxE '[0-9a-f-]{36}' "$OUT"
t_true "pending: still invisible" same "$A" "$SEC"
t_exit 1 "approval by an unknown approver" cc authorise approve "$AZ" --approver zed --key "$T/ann.key"
t_true "... refused, says why" grep -q "no approver zed" "$ERR"
t_exit 1 "approval with another approver's key" cc authorise approve "$AZ" --approver ann --key "$T/mike.key"
t_true "... refused, says whose key it is" grep -q "is approver mike's, not ann's" "$ERR"
t_exit 1 "approval with an unknown key" cc authorise approve "$AZ" --approver ann --key "$T/stranger.key"
t_true "... refused: not an approver's key" grep -q "not an approver's key" "$ERR"
cp "$T/ann.key" "$T/open.key"
chmod 644 "$T/open.key"
t_exit 1 "approval with a key file others may read" \
	cc authorise approve "$AZ" --approver ann --key "$T/open.key"
cc authorise request --collection secret --user mike --reason "mike's own case" --for 1h >"$T/azm"
t_exit 1 "self-approval: approver mike for user mike" \
	cc authorise approve "$(cat "$T/azm")" --approver mike --key "$T/mike.key"
t_true "... refused as self-approval" grep -q "self-approval: approver mike is the user" "$ERR"
t_true "every refusal is in the trail, with why" \
	[ "$(jq -r 'select(.action == "authorise approve" and .exit == 1) | .message' "$TRAIL" | \
	     grep -cE 'no approver zed|approver mike.s, not ann|not an approver.s key|others may read|self-approval')" = 5 ]
t_ok "ann approves alice's request" cc authorise approve "$AZ" --approver ann --key "$T/ann.key"
t_true "... which names the authorisation in the trail" [ "$(last "authorise approve" .authorisation)" = "$AZ" ]
t_exit 1 "approving it again" cc authorise approve "$AZ" --approver mike --key "$T/mike.key"
t_true "... refused: approved already" grep -q "approved already by ann" "$ERR"

# ---- 3. visible with it, every read recorded with its id -------------------------
req "$A" GET "/api1/collections/$SEC/objects/$RED/"
t_true "alice reads the red object of secret" code_is 200
t_true "... and its entry is on disk before the answer: the ids and the authorisation" \
	[ "$(last GET '.read[0] + " " + .authorisation + " " + .actor + " " + .org')" = "$RED $AZ alice bank-a" ]
req "$A" GET "/api1/collections/$SEC/objects/"
t_true "the objects page: 200, both objects" eval 'code_is 200 && [ "$(jb ".objects|length")" = 2 ]'
t_true "... every id read of a restricted collection is recorded (green too)" \
	[ "$(last GET '.read|sort|join(",")')" = "$RED,$GREEN" ]
for p in manifest/ "objects/$RED/versions/"; do
	req "$A" GET "/api1/collections/$SEC/$p"
	t_true "$p: 200, the ids recorded" eval 'code_is 200 && [ "$(last GET ".read|length > 0")" = true ]'
done
for i in 1 2 3 4 5 6; do req "$A" GET "/api1/collections/$SEC/objects/"; done
t_true "the same page six times (a worker's memo keeps an answer asked again): each read recorded with its ids" \
	[ "$(jq -c 'select(.action == "GET") | .read // [] | length' "$TRAIL" | tail -6 | tr -d '\n')" = 222222 ]
t_true "secret is listed for alice now" listed "$A" "$SEC"
# the web interface and "who else saw this" are not TAXII: a restricted
# collection never opens there, authorisation or not (its reads there
# would not carry the authorisation, and its sightings would be counted
# for members without one)
# an object only the restricted collection holds, by a name nothing else has
ONLY=indicator--00000000-0000-4000-8000-00000000d0d0
sed -e "s/$RED/$ONLY/" -e 's/"name":"red"/"name":"restricted only"/' "$T/objs.json" |
	jq -c '.objects |= [.[0]]' >"$T/only.json"
cc import --collection secret "$T/only.json" >/dev/null
ui_login "$A"
t_true "alice (authorised) logs in to the web interface" code_is 200
t_true "... which does not list secret among her collections" \
	[ "$(jb '[.collections[].name]|join(",")')" = intel ]
ureq GET "/ui/api/search?q=restricted%20only"
t_true "... a search for the restricted-only object finds nothing" \
	eval 'code_is 200 && [ "$(jb ".results|length")" = 0 ]'
NEVER=indicator--00000000-0000-4000-8000-00000000e0e0
ureq GET "/ui/api/object?id=$NEVER"
NEVERB=$(sed "s/$NEVER/ID/" "$T/b") NEVERC=$CODE
ureq GET "/ui/api/object?id=$ONLY"
t_true "... its object page is exactly that of an id never stored" \
	[ "$CODE $(sed "s/$ONLY/ID/" "$T/b")" = "$NEVERC $NEVERB" ]
ureq GET "/ui/api/object?id=$RED"
t_true "... the red object, from intel: 200" code_is 200
sleep 0.5
t_true "... and the read is in the trail: alice, bank-a, the red id" \
	[ "$(jq -c 'select(.path // "" | startswith("/ui/api/object?id=indicator--00000000-0000-4000-8000-00000000a0a0"))' "$TRAIL" |
	     tail -1 | jq -r '.actor + " " + .org + " " + (.read | join(","))')" = "alice bank-a $RED" ]
cat >"$T/seen.json" <<EOF
{"objects":[{"type":"sighting","spec_version":"2.1","id":"sighting--00000000-0000-4000-8000-00000000f0f0",
 "created":"2024-01-02T00:00:00.000Z","modified":"2024-01-02T00:00:00.000Z","sighting_of_ref":"$GREEN",
 "count":3,"object_marking_refs":["$TLP_GREEN"]}]}
EOF
post "$A" "$SEC" "$T/seen.json"
t_true "alice posts a sighting of green to secret" code_is 202
req "$E" GET "/api1/x-cybercell-sightings/?indicator=$GREEN"
t_true "eve (bank-b: a read grant on secret, no authorisation): who else saw green counts nothing" \
	eval 'code_is 200 && [ "$(jb "[.members, .count]|map(tostring)|join(\" \")")" = "0 0" ]'
req "$B" GET "/api1/collections/$SEC/objects/"
t_true "bob (same organisation, no authorisation of his own): 404" code_is 404
t_ok "revoked" cc authorise revoke "$AZ"
t_true "... 404 from the next request" same "$A" "$SEC"
t_true "... refusal recorded: revoked" [ "$(refusal alice)" = "authorisation $AZ was revoked" ]
t_exit 1 "revoked twice" cc authorise revoke "$AZ"
t_exit 1 "approving a revoked request" cc authorise approve "$AZ" --approver mike --key "$T/mike.key"
t_true "... refused: revoked" grep -q "was revoked" "$ERR"

# expiry to the second, also for an answer the worker's memo keeps
AZT=$(cc authorise request --collection secret --user alice --reason "case 42: two seconds" --for 2s)
cc authorise approve "$AZT" --approver ann --key "$T/ann.key" >/dev/null
T0=$(date +%s.%N)
req "$A" GET "/api1/collections/$SEC/objects/?limit=1"
t_true "a 2 s authorisation: the page opens" code_is 200
req "$A" GET "/api1/collections/$SEC/objects/?limit=1"
t_true "... the same page again" code_is 200
sleep "$("$PY" -c "import time; print(max(0, $T0 + 2.1 - time.time()))")"
req "$A" GET "/api1/collections/$SEC/objects/?limit=1"
t_true "after 2 s: the same page is 404" code_is 404
t_true "... exactly as a collection never made, on every path" same "$A" "$SEC"
t_true "... and the refusal is in the trail: expired" eval '[[ "$(refusal alice)" == *"expired at"* ]]'
t_true "authorise list: expired" [ "$(cc authorise list | awk -v id="$AZT" '$1 == id { print $4 }')" = expired ]

# ---- 4. revoked, forged, altered, replayed, a swapped key ------------------------
AZ3=$(cc authorise request --collection secret --user alice --reason "case 44" --for 1h)
cc authorise approve "$AZ3" --approver ann --key "$T/ann.key" >/dev/null
t_true "another one: secret opens" opens "$A" "$SEC"
SIG=$(sql "SELECT signature FROM authorisations WHERE id = '$AZ3'")
sql "UPDATE authorisations SET signature = '$(printf '%0128d' 7)' WHERE id = '$AZ3'"
t_true "a forged signature (sqlite3): 404" same "$A" "$SEC"
t_true "... recorded: the signature does not verify" eval '[[ "$(refusal alice)" == *"signature does not verify"* ]]'
t_true "... authorise list: invalid" [ "$(cc authorise list | awk -v id="$AZ3" '$1 == id { print $4 }')" = invalid ]
sql "UPDATE authorisations SET signature = '$SIG', duration_s = 86400 WHERE id = '$AZ3'"
t_true "the duration altered to a day (sqlite3): 404" same "$A" "$SEC"
sql "UPDATE authorisations SET duration_s = 3600, reason = 'case 45' WHERE id = '$AZ3'"
t_true "the reason altered (sqlite3): 404" same "$A" "$SEC"
sql "UPDATE authorisations SET reason = 'case 44' WHERE id = '$AZ3'"
t_true "restored as signed: open again" opens "$A" "$SEC"
# replay: alice's approval copied onto bob's request, and onto another collection
AZB=$(cc authorise request --collection secret --user bob --reason "case 44" --for 1h)
AZS=$(cc authorise request --collection secret2 --user alice --reason "case 44" --for 1h)
for id in "$AZB" "$AZS"; do
	sql "UPDATE authorisations SET (approver, approved_us, signature) = (SELECT approver, approved_us,
	     signature FROM authorisations WHERE id = '$AZ3') WHERE id = '$id'"
done
t_true "alice's signature replayed for bob: 404" same "$B" "$SEC"
t_true "... recorded for bob: does not verify" eval '[[ "$(refusal bob)" == *"signature does not verify"* ]]'
t_true "replayed for another collection (secret2): 404" same "$A" "$SEC2"
t_true "... while secret stays open to alice" opens "$A" "$SEC"
# a key swapped into the store: mallory puts the stranger's key in ann's place
ANNPK=$(sql "SELECT public_key FROM approvers WHERE name = 'ann'")
STRPK=$(sqlite3 "$T/other.db" "SELECT public_key FROM approvers WHERE name = 'ann'")
sql "UPDATE approvers SET public_key = '$STRPK' WHERE name = 'ann'"
AZ4=$(cc authorise request --collection secret --user bob --reason "case 46" --for 1h)
t_exit 1 "approval with the key swapped into the store" \
	cc authorise approve "$AZ4" --approver ann --key "$T/stranger.key"
t_true "... refused: not the key the hub endorsed" grep -q "not the one the hub endorsed" "$ERR"
t_true "... and ann's earlier approvals no longer open anything" same "$A" "$SEC"
sql "UPDATE approvers SET public_key = '$ANNPK' WHERE name = 'ann'"
t_true "ann's key restored: open again" opens "$A" "$SEC"

# ---- 5. what every request leaves in the trail -----------------------------------
post "$A" "$INTEL" "$T/post.json"
t_true "a POST: 202, its entry on disk before the answer, with the ids written" \
	eval 'code_is 202 && [ "$(last POST ".written[0] + \" \" + (.status|tostring)")" = "indicator--00000000-0000-4000-8000-00000000c0c0 202" ]'
req "$A" DELETE "/api1/collections/$INTEL/objects/indicator--00000000-0000-4000-8000-00000000c0c0/"
t_true "a DELETE: 200, the id deleted recorded at once" \
	eval 'code_is 200 && [ "$(last DELETE ".deleted[0]")" = indicator--00000000-0000-4000-8000-00000000c0c0 ]'
req "$A" GET "/api1/collections/$INTEL/objects/$RED/"
t_true "a TLP:RED read in an ordinary collection: recorded at once with its id" \
	eval 'code_is 200 && [ "$(last GET ".read[0] + \" \" + (.authorisation // \"-\")")" = "$RED -" ]'
req "$A" GET "/api1/collections/$INTEL/objects/$GREEN/?match%5Bversion%5D=all"
sleep 0.5
t_true "a green read: recorded (path and query) without ids" \
	[ "$(last GET '.path + " " + (.read // [] | length | tostring)')" = "/api1/collections/$INTEL/objects/$GREEN/?match[version]=all 0" ]
req "$A" GET "/api1/collections/$INTEL/objects/?match%5Bid%5D=a%22b%5Cc%0A%C3%A9%20&added_after=2020"
req "$A" GET "/api1/collections/$INTEL/objects/x%22y%5Cz%09%E2%80%A8/"
sleep 0.5
t_true "a query with a quote, a backslash, a newline, a space and UTF-8: percent-encoded in the trail" \
	[ "$(jq -r 'select(.action == "GET" and (.path | contains("match[id]"))) | .path' "$TRAIL" | tail -1)" = \
	  "/api1/collections/$INTEL/objects/?match[id]=a%22b%5Cc%0A%C3%A9%20&added_after=2020" ]
t_true "... and such a path too, each line still one JSON object" \
	[ "$(last GET .path)" = "/api1/collections/$INTEL/objects/x%22y%5Cz%09%E2%80%A8/" ]
req "alice:wrong-password" GET /taxii2/
sleep 0.5
t_true "a refused login: recorded with the name it claimed" \
	[ "$(jq -r 'select(.status == 401) | .login' "$TRAIL" | tail -1)" = alice ]
t_ok "audit show --user alice --action GET" cc audit show --user alice --action GET
t_true "... lists alice's reads, one line each" [ "$(wc -l <"$OUT")" -ge 10 ]
t_true "... the refusals with why" grep -q "	404	.*expired at" "$OUT"
t_ok "audit show --action authorise (its subcommands)" cc audit show --action authorise
t_true "... request, approve, list, revoke" [ "$(cut -f6 "$OUT" | sort -u | tr '\n' ,)" = \
	"authorise approve,authorise list,authorise request,authorise revoke," ]
t_true "a CLI command while the server runs joins the same chain" cc org add latecomer
stop_server
t_clean "server stderr" "$T/serve.err"
t_true "serve --no-audit" start_server --no-audit
t_true "... warns" grep -q "WARNING: --no-audit" "$T/serve.err"
t_true "... and opens no restricted collection, authorisation or not" same "$A" "$SEC"
t_true "... while the others serve as usual" opens "$A" "$INTEL"
stop_server
t_true "... nothing of it is in the trail" [ "$(jq -r .action "$TRAIL" | tail -2 | tr '\n' ,)" = "serve stop,checkpoint," ]
t_exit 1 "serve with a trail it cannot write" cc --audit /dev/full serve --listen 127.0.0.1:0
t_true "... refuses to start" grep -q "the audit trail /dev/full cannot be written" "$ERR"
t_true "the server's last entries: serve stop, then a signed checkpoint" \
	[ "$(tail -2 "$TRAIL" | jq -r .action | tr '\n' ,)" = "serve stop,checkpoint," ]
t_ok "the whole trail is intact" cc audit verify --pub "$T/saved.pub"
t_true "... says how many entries" grep -q "intact: $(wc -l <"$TRAIL") entries" "$OUT"

# ---- 6. tampering with the trail is detected and located -------------------------
cc audit head >"$T/head.json"
t_true "audit head: a signed count and hash" \
	[ "$(jq -r '.seq' "$T/head.json")" = "$(tail -1 "$TRAIL" | jq .seq)" ]
N=$(wc -l <"$TRAIL")
G=$(jq -r 'select(.actor == "alice" and .action == "GET") | .seq' "$TRAIL" | head -1)   # alice's first read
tamper() { cp "$TRAIL" "$T/t.audit"; "$@"; }
verify_bad() { # verify_bad WHERE PROBLEM [ARGS]: exit 1 naming the first bad entry
	local where=$1 problem=$2; shift 2
	"$CYBERCELL" audit verify --pub "$T/saved.pub" "$@" "$T/t.audit" >"$OUT" 2>"$ERR"
	[ $? = 1 ] && grep -q "TAMPERED: $T/t.audit:$where" "$ERR" && grep -q "$problem" "$ERR"
}
tamper sed -i "${G}s/\"alice\"/\"bobby\"/" "$T/t.audit"
t_true "an edited field (alice's read made bob's): names that entry" verify_bad "$G (seq $G)" "does not match its content"
tamper sed -i "${G}d" "$T/t.audit"
t_true "a deleted line: names the entry after the gap" verify_bad "$G (seq $((G + 1)))" "seq $((G + 1)) follows seq $((G - 1))"
tamper sed -i "${G}p" "$T/t.audit"
t_true "an inserted (repeated) line" verify_bad "$((G + 1)) (seq $G)" "inserted or moved"
tamper sed -i "$G{h;d};$((G + 1)){G}" "$T/t.audit"
t_true "two lines swapped" verify_bad "$G (seq $((G + 1)))" "seq $((G + 1)) follows seq $((G - 1))"
tamper sed -i "1d" "$T/t.audit"
t_true "the first line deleted" verify_bad "1 (seq 2)" "starts at seq 2 without a rotation"
tamper sed -i "$((N - 5)),\$d" "$T/t.audit"
t_ok "a truncated tail, without a head: not detectable" \
	cc audit verify --pub "$T/saved.pub" "$T/t.audit"
t_true "with the head saved before: truncated" verify_bad " end" "truncated: the trail ends at seq $((N - 6)) but the saved head names entry $N" --head "$T/head.json"
t_exit 1 "an altered head is refused" bash -c \
	"sed 's/\"seq\":[0-9]*/\"seq\":3/' '$T/head.json' >'$T/h2'; '$CYBERCELL' audit verify --pub '$T/saved.pub' --head '$T/h2'"
t_true "... as altered or forged" grep -q "head was altered or forged" "$ERR"
t_ok "the intact trail against the head" cc audit verify --pub "$T/saved.pub" --head "$T/head.json"
# a careful forger recomputes every hash after its edit (BLAKE2b is public)
cat >"$T/rehash.py" <<'PYEOF'
import hashlib, json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
out, prev = [], None
for i, l in enumerate(lines):
    if i + 1 == int(sys.argv[2]):
        l = l.replace('"alice"', '"bobby"', 1)
    if prev is not None:
        k = l.index(',"prev":"')
        l = l[:k] + ',"prev":"%s"' % prev + l[k + 74:]
    body = l[:-75]
    prev = hashlib.blake2b(body.encode("utf-8"), digest_size=32).hexdigest()
    out.append(body + ',"hash":"%s"}' % prev)
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
PYEOF
tamper "$PY" "$T/rehash.py" "$T/t.audit" "$G"
CP=$(jq -r "select(.seq > $G and .action == \"checkpoint\") | .seq" "$T/t.audit" | head -1)
t_true "an edit with every hash recomputed: the next signed checkpoint names it" \
	verify_bad "$CP (seq $CP)" "signature is not the hub's"
# ... and one who also replaces the hub's key: new key, whole trail rebuilt
mkdir -p "$T/forger"
( export CYBERCELL_DB=$T/forger/f.db; cc audit init >/dev/null; cc org add innocent >/dev/null )
cp "$T/forger/f.db.audit" "$T/t.audit"
t_ok "a trail rebuilt and signed with a new key passes against the key it brings" \
	cc audit verify --pub "$T/forger/f.db.audit-key.pub" "$T/t.audit"
t_true "... but not against the operator's copy of the hub's key" verify_bad "2 (seq 2)" "signature is not the hub's"

# ---- 7. the trail must be writable, or nothing is done ----------------------------
t_exit 1 "an administrative command with a trail it cannot write (a directory)" \
	cc --audit "$T" org add nobody-org
t_true "... says nothing was done" grep -q "nothing was done" "$ERR"
t_true "... and did nothing" bash -c "! '$CYBERCELL' org list | grep -q nobody-org"
t_ok "audit rotate" cc audit rotate
ARCH=$(sed -n 's/.* kept as \(.*\); .*/\1/p' "$OUT")
t_true "... the old file kept" test -s "$ARCH"
t_ok "... the new one continues the chain" cc audit verify --pub "$T/saved.pub" "$ARCH" "$TRAIL"
t_ok "... and alone, it starts after the rotation" cc audit verify --pub "$T/saved.pub"
t_true "... said so" grep -q "after a rotation" "$OUT"
t_done
