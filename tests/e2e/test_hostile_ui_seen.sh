#!/usr/bin/env bash
# "Who else saw this" in the web interface (GET /ui/api/sightings): every
# member is hostile to every other, and the UI may tell a member nothing
# that TAXII's x-cybercell-sightings (and `cybercell sightings --org`)
# would not.  The answer is the same analysis through the same access
# layer: compared here member by member, question by question, and checked
# against exact counts for what must stay hidden — the names of members
# that do not allow naming, sightings above the member's ceiling, in a
# collection it has no grant on, above a peer login's cap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/ui_lib.sh"

sx() { "$PY" "$(dirname "$0")/sightings_bundle.py" "$@"; }
I=indicator--22222222-0000-4000-8000-000000000001      # sighted by both banks
J=indicator--22222222-0000-4000-8000-000000000002      # only in a TLP:RED sighting
NEVER=indicator--22222222-0000-4000-8000-0000000000ff  # never sighted

# two rival banks, an agency at green, an outsider, a peer's login (its
# grant says red, the peer's cap green)
for o in bank-a bank-b agency outsider; do cc org add "$o" >/dev/null; done
cc peer add hub-2 --url http://127.0.0.1:9/taxii2/ --max-tlp green >/dev/null
pw 'alice-password' alice bank-a
pw 'bob-password!!' bob bank-b
pw 'carol-password' carol agency
pw 'eve-password!!' eve outsider
pw 'peer-password!' hub2 hub-2
A=alice:alice-password B='bob:bob-password!!' C=carol:carol-password E='eve:eve-password!!'
P='hub2:peer-password!'
SH=$(cc collection add shared)
PRIV=$(cc collection add b-private)
cc grant bank-a shared read-write --max-tlp amber >/dev/null
cc grant bank-b shared read-write --max-tlp red >/dev/null
cc grant agency shared read --max-tlp green >/dev/null
cc grant hub-2 shared read --max-tlp red >/dev/null
cc grant bank-b b-private read-write --max-tlp red >/dev/null
t_ok "bank-a allows its name" cc org set bank-a --named-in-sightings yes
t_true "server starts" start_server

okpost() { post "$1" "$2" "$3"; code_is 202 && [ "$(jb .failure_count)" = 0 ]; }
sx "n=1,of=$I,count=10,tlp=green,value=198.51.100.7" >"$T/a.json"
sx "n=2,of=$I,count=5,tlp=green,value=198.51.100.7" "n=3,of=$I,count=7,tlp=amber" \
	"n=4,of=$I,count=400,tlp=red,value=198.51.100.7" "n=5,of=$J,count=3,tlp=red" >"$T/b.json"
sx "n=6,of=$I,count=2000,tlp=green,value=198.51.100.7" >"$T/bp.json"
t_true "bank-a posts a green sighting" okpost "$A" "$SH" "$T/a.json"
t_true "bank-b posts green, amber and red ones" okpost "$B" "$SH" "$T/b.json"
t_true "bank-b posts one to its private collection" okpost "$B" "$PRIV" "$T/bp.json"

# taxii WHO ARG / ui WHO ARG: the answer of each, sorted and compact
taxii() {
	req "$1" GET "/api1/x-cybercell-sightings/?$2"
	if code_is 200; then jq -cS . "$T/b"; else echo "$CODE"; fi
}
declare -A COOKIE    # a session per member, logged in once
ui() {
	if [ -z "${COOKIE[$1]:-}" ]; then ui_login "$1"; COOKIE[$1]=$UCK; fi
	UCK=${COOKIE[$1]}
	ureq GET "/ui/api/sightings?$2"
	if code_is 200; then jq -cS . "$T/b"; else echo "$CODE"; fi
}
who() { jq -c '[.members, .count, [.named[] | [.member, (.you // false), .sightings, .count]],
	[.unnamed.members, .unnamed.sightings, .unnamed.count]]'; }
QS=("indicator=$I" "indicator=$J" "indicator=$NEVER" "value=198.51.100.7" "value=203.0.113.1")

same_everywhere() { # the UI's answer = TAXII's, for every member and question
	local w q bad=""
	for w in "$A" "$B" "$C" "$E" "$P"; do
		for q in "${QS[@]}"; do
			[ "$(ui "$w" "$q")" = "$(taxii "$w" "$q")" ] || bad="$bad ${w%%:*}:$q"
		done
	done
	[ -z "$bad" ] || echo "differ:$bad" >&2
	[ -z "$bad" ]
}
t_true "every member's UI answer is its TAXII answer, for every question" same_everywhere
ui "$A" "indicator=$I" >"$T/alice"
t_true "alice (amber): bank-a as you, bank-b counted at green and amber only, not named" \
	[ "$(who <"$T/alice")" = '[2,22,[["bank-a",true,1,10]],[1,2,12]]' ]
t_true "the name bank-b is nowhere in alice's answer" [ "$(grep -c bank-b "$T/alice")" = 0 ]
t_true "nor its private 2000 or red 400 in any count" \
	[ "$(jq -c '[.count, .unnamed.count, .sightings]' "$T/alice")" = '[22,12,3]' ]
t_true "bob (red, and his private collection): all of his own, bank-a named" \
	[ "$(ui "$B" "indicator=$I" | who)" = '[2,2422,[["bank-a",false,1,10],["bank-b",true,4,2412]],[0,0,0]]' ]
t_true "carol (green): the green sightings of the shared collection" \
	[ "$(ui "$C" "indicator=$I" | who)" = '[2,15,[["bank-a",false,1,10]],[1,1,5]]' ]
t_true "the peer's login: capped at green by the peer, whatever its grant says" \
	[ "$(ui "$P" "indicator=$I" | who)" = '[2,15,[["bank-a",false,1,10]],[1,1,5]]' ]
t_true "eve (no grant): nothing" [ "$(ui "$E" "indicator=$I" | who)" = '[0,0,[],[0,0,0]]' ]
t_true "by value, alice: the observed-data she may read" \
	[ "$(ui "$A" "value=198.51.100.7" | who)" = '[2,15,[["bank-a",true,1,10]],[1,1,5]]' ]
hidden=$(ui "$A" "indicator=$J" | jq -c 'del(.indicator)')
never=$(ui "$A" "indicator=$NEVER" | jq -c 'del(.indicator)')
t_true "alice: an indicator only sighted at red = one never sighted" [ "$hidden" = "$never" ]
t_true "and both are empty" [ "$(echo "$never" | jq -c '[.members, .sightings]')" = '[0,0]' ]

t_ok "bank-a withdraws its name" cc org set bank-a --named-in-sightings no
t_true "bob: bank-a now only counted" \
	[ "$(ui "$B" "indicator=$I" | who)" = '[2,2422,[["bank-b",true,4,2412]],[1,1,10]]' ]
t_true "and its name is nowhere in bob's answer" [ "$(ui "$B" "indicator=$I" | grep -c bank-a)" = 0 ]
t_true "still the TAXII answer everywhere" same_everywhere

# ---- the call's edges
UCK="Cookie: __Host-cybercell=not-a-session" ureq GET "/ui/api/sightings?indicator=$I"
t_true "without a session: 401" code_is 401
ui_login "$A"
ureq GET "/ui/api/sightings"
t_true "no question: 400" code_is 400
ureq GET "/ui/api/sightings?indicator=$I&value=x"
t_true "both: 400" code_is 400
ureq GET "/ui/api/sightings?value=$(head -c 1100 /dev/zero | tr '\0' a)"
t_true "a value over 1024 bytes: 400" code_is 400
upost "/ui/api/sightings?indicator=$I"
t_true "POST: 405" code_is 405
t_true "server stops" stop_server
t_clean "server: no sanitizer report" "$T/serve.err"
t_done
