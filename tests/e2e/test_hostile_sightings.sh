#!/usr/bin/env bash
# "Who else saw this" among rivals (issue 16, item 9): every member is
# hostile to every other.  Through TAXII (GET /api1/x-cybercell-sightings/)
# and the CLI (cybercell sightings --org), a member counts only the
# sightings its grants and TLP ceilings let it read, learns a rival's name
# only when the rival allows it, cannot make its sightings count as a
# rival's, and cannot tell a hidden sighting from one never made.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"

sx() { "$PY" "$(dirname "$0")/sightings_bundle.py" "$@"; }
I=indicator--11111111-0000-4000-8000-000000000001      # sighted by both banks
J=indicator--11111111-0000-4000-8000-000000000002      # only in a TLP:RED sighting
K=indicator--11111111-0000-4000-8000-000000000003      # a forgery's target
NEVER=indicator--11111111-0000-4000-8000-0000000000ff  # never sighted

# ---- the hub: two rival banks, an agency reading at green, an outsider
for o in bank-a bank-b agency outsider; do cc org add "$o" >/dev/null; done
AID=$(cc org list --json | jq -r '.[] | select(.name == "bank-a") | .identity_id')
pw 'alice-password' alice bank-a
pw 'bob-password!!' bob bank-b
pw 'carol-password' carol agency
pw 'eve-password!!' eve outsider
A=alice:alice-password B='bob:bob-password!!' C=carol:carol-password E='eve:eve-password!!'
SH=$(cc collection add shared)
AP=$(cc collection add a-private)
cc grant bank-a shared read-write --max-tlp red >/dev/null
cc grant bank-b shared read-write --max-tlp amber >/dev/null
cc grant agency shared read --max-tlp green >/dev/null
cc grant bank-a a-private read-write --max-tlp red >/dev/null
t_ok "bank-a allows its name" cc org set bank-a --named-in-sightings yes
t_true "server starts" start_server

okpost() { post "$1" "$2" "$3"; code_is 202 && [ "$(jb .failure_count)" = 0 ]; }
sx "n=1,of=$I,count=10,tlp=green,value=198.51.100.7" > "$T/a1.json"
sx "n=4,of=$I,count=100,tlp=green,value=198.51.100.7" > "$T/a4.json"
sx "n=5,of=$J,count=3,tlp=red,value=secret.example.com" > "$T/a5.json"
sx "n=2,of=$I,count=5,tlp=green,value=198.51.100.7" "n=3,of=$I,count=7,tlp=amber" > "$T/b.json"
sx "n=6,of=$K,count=1,where=$AID" > "$T/forged.json"
t_true "bank-a posts a green sighting to shared" okpost "$A" "$SH" "$T/a1.json"
t_true "bank-a posts one to its private collection" okpost "$A" "$AP" "$T/a4.json"
t_true "bank-a posts a red one to shared" okpost "$A" "$SH" "$T/a5.json"
t_true "bank-b posts a green and an amber one" okpost "$B" "$SH" "$T/b.json"
t_true "bank-b posts one that claims bank-a saw it" okpost "$B" "$SH" "$T/forged.json"

# seen WHO ARG: the answer to GET x-cybercell-sightings/?ARG, compact
seen() {
	req "$1" GET "/api1/x-cybercell-sightings/?$2"
	if code_is 200; then jq -cS . "$T/b"; else echo "$CODE"; fi
}
# who: the answer reduced to who is named, with their counts, and the rest
who() { jq -c '[.members, .count, [.named[] | [.member, (.you // false), .sightings, .count]],
	[.unnamed.members, .unnamed.sightings, .unnamed.count]]'; }

# ---- counts: only what each may read, names only where allowed
r=$(seen "$B" "indicator=$I" | who)
t_true "bank-b: bank-a named (it allows) with its shared sighting only, itself as you" \
	[ "$r" = '[2,22,[["bank-a",false,1,10],["bank-b",true,2,12]],[0,0,0]]' ]
r=$(seen "$A" "indicator=$I" | who)
t_true "bank-a: its own (shared and private), bank-b counted, not named" \
	[ "$r" = '[2,122,[["bank-a",true,2,110]],[1,2,12]]' ]
r=$(seen "$C" "indicator=$I" | who)
t_true "agency at green: the green sightings only, bank-b counted" \
	[ "$r" = '[2,15,[["bank-a",false,1,10]],[1,1,5]]' ]
r=$(seen "$E" "indicator=$I" | who)
t_true "outsider (no grant): nothing" [ "$r" = '[0,0,[],[0,0,0]]' ]
r=$(seen "$C" "value=198.51.100.7" | who)
t_true "by value: the observed-data the agency may read" [ "$r" = '[2,15,[["bank-a",false,1,10]],[1,1,5]]' ]
r=$(seen "$B" "value=198.51.100.7" | who)
t_true "by value, bank-b: the amber sighting has no observed-data: not counted" \
	[ "$r" = '[2,15,[["bank-a",false,1,10],["bank-b",true,1,5]],[0,0,0]]' ]

# ---- no existence oracle: a hidden sighting answers as one never made
hidden=$(seen "$B" "indicator=$J" | jq -c 'del(.indicator)')
never=$(seen "$B" "indicator=$NEVER" | jq -c 'del(.indicator)')
t_true "bank-b: a red sighting's indicator = an indicator never sighted" [ "$hidden" = "$never" ]
hidden=$(seen "$B" "value=secret.example.com" | jq -c 'del(.value)')
never=$(seen "$B" "value=nothing.example.com" | jq -c 'del(.value)')
t_true "bank-b: a value only in a red sighting = a value never seen" [ "$hidden" = "$never" ]
t_true "and both are empty" [ "$(echo "$never" | jq -c '[.members, .sightings]')" = '[0,0]' ]
r=$(seen "$A" "indicator=$J" | who)
t_true "bank-a reads its red sighting" [ "$r" = '[1,3,[["bank-a",true,1,3]],[0,0,0]]' ]
hidden=$(seen "$E" "indicator=$I" | jq -c 'del(.indicator)')
never=$(seen "$E" "indicator=$NEVER" | jq -c 'del(.indicator)')
t_true "outsider: a sighted indicator = one never sighted" [ "$hidden" = "$never" ]

# ---- a member's sightings are its own, whatever they claim
r=$(seen "$A" "indicator=$K" | who)
t_true "bank-b's sighting naming bank-a's identity is bank-b's: bank-a sees no 'you'" \
	[ "$r" = '[1,1,[],[1,1,1]]' ]
r=$(seen "$B" "indicator=$K" | who)
t_true "and bank-b sees it as its own" [ "$r" = '[1,1,[["bank-b",true,1,1]],[0,0,0]]' ]

# ---- naming follows the setting at once
t_ok "bank-a withdraws its name" cc org set bank-a --named-in-sightings no
r=$(seen "$B" "indicator=$I" | who)
t_true "bank-b: bank-a now only counted" [ "$r" = '[2,22,[["bank-b",true,2,12]],[1,1,10]]' ]

# ---- the CLI answers as the same access layer does
req "$C" GET "/api1/x-cybercell-sightings/?indicator=$I"
t_ok "cybercell sightings --org agency --json" cc sightings --org agency --json "$I"
t_true "CLI = TAXII for the same member" sh -c "[ \"\$(jq -cS . '$OUT')\" = \"\$(jq -cS . '$T/b')\" ]"
t_ok "cybercell sightings --org bank-b (text)" cc sightings --org bank-b "$I"
t_true "text: you, and one other member" sh -c "grep -q '^  bank-b (you) .* 2 sightings .* 12 events' '$OUT' &&
	grep -q '^  1 other member .* 1 sighting .* 10 events' '$OUT'"

# ---- the endpoint's edges
req "" GET "/api1/x-cybercell-sightings/?indicator=$I"
t_true "no credentials: 401" code_is 401
req "$A" POST "/api1/x-cybercell-sightings/?indicator=$I"
t_true "POST: 405" code_is 405
req "$A" GET "/api1/x-cybercell-sightings/"
t_true "no query: 400" code_is 400
req "$A" GET "/api1/x-cybercell-sightings/?indicator=$I&value=x"
t_true "both: 400" code_is 400
t_true "a TAXII error body" jb '.http_status' | grep -qx 400
ACC=application/json req "$A" GET "/api1/x-cybercell-sightings/?indicator=$I"
t_true "a media type it does not serve: 406" code_is 406
stop_server
t_clean "server: no sanitizer report" "$T/serve.err"
t_done
