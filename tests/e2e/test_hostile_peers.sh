#!/usr/bin/env bash
# The hostile-peer suite: a peer hub ("evil") is as hostile as any member.
# Whatever it sends — by the home hub's pull or by its own login's POST —
# belongs to the organisation that stands for it and never changes,
# supersedes, shadows or deletes what a member of the home hub (bank-a,
# "alice") or the hub itself owns; and it never reads, by its login or by
# the home hub's push, anything above the ceiling the home hub set for it.
# Nor does a pull of its objects in bulk keep a member of home from writing,
# nor an answer made to hurt the client's HTTP layer do more than fail.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/fed_lib.sh"

hub_new home
hub_new evil
hc home collection add private >/dev/null
t_true "home serves" hub_start home
t_true "evil serves" hub_start evil
t_ok "home and evil are peers; home sends evil at most green" fed_pair home evil green red
hc home grant evil shared read-write --max-tlp red >/dev/null   # capped at green
hc home org add bank-a >/dev/null
hc home org add reader >/dev/null
printf '%s\n' alice-password | hc home user add alice --org bank-a --password-stdin >/dev/null
printf '%s\n' carol-password | hc home user add carol --org reader --password-stdin >/dev/null
hc home grant bank-a shared read-write --max-tlp red >/dev/null
hc home grant reader shared read --max-tlp red >/dev/null
BASE=${URL_home%/taxii2/}
A=alice:alice-password C=carol:carol-password E=evil-sync:$FED_PW
SH=$(coll_id home shared)

# alice's objects at home: green and amber; evil's forgeries of them at evil
mkobjs obj 4 green >"$T/a-green.json"
mkobjs amb 3 amber >"$T/a-amber.json"
jq '{objects: .objects}' "$T/a-green.json" >"$T/a-green.env"
jq '{objects: .objects}' "$T/a-amber.json" >"$T/a-amber.env"
post "$A" "$SH" "$T/a-green.env"
t_true "alice posts 4 green objects" [ "$CODE $(jb .success_count)" = "202 4" ]
post "$A" "$SH" "$T/a-amber.env"
t_true "and 3 amber ones" [ "$CODE $(jb .success_count)" = "202 3" ]
mkobjs solo 1 green >"$T/a-solo.json"
jq '{objects: .objects}' "$T/a-solo.json" >"$T/a-solo.env"
post "$A" "$SH" "$T/a-solo.env"
t_true "and one more green object, that evil does not forge" [ "$CODE $(jb .success_count)" = "202 1" ]
X=$(jq -r '.objects[0].id' "$T/a-green.json")
S=$(jq -r '.objects[0].id' "$T/a-solo.json")
# the same ids: a changed copy of version 1, a revocation, a newer version
jq '.objects |= [.[] | .name = "EVIL-COPY"]' "$T/a-green.json" >"$T/e-same.json"
jq '.objects |= [.[] | .modified = "2024-09-01T00:00:00.000Z" | .revoked = true | .name = "EVIL-REVOKE"]' \
	"$T/a-green.json" >"$T/e-revoke.json"
hc evil import --collection shared "$T/e-same.json" >/dev/null
hc evil import --collection shared "$T/e-revoke.json" >/dev/null
t_ok "home pulls evil's shared" fed_pull home evil
t_ok "sync" hc home sync --json
t_true "8 versions arrive, stored as evil's own copy" [ "$(jq -r '"\(.objects) \(.new)"' "$OUT")" = "8 8" ]

get() { # get WHO ID: names/modified of GET objects/ID/?match[version]=all
	req "$1" GET "/api1/collections/$SH/objects/$2/?match%5Bversion%5D=all"
	jq -r '[.objects[]? | "\(.name)/\(.modified)/\(.revoked // false)"] | join(",")' "$T/b"
}
t_true "alice still gets her object alone, unrevoked" \
	[ "$(get "$A" "$X")" = "obj 0/2024-01-01T00:00:00.000Z/false" ]
t_true "a reader is served alice's copy, not evil's newer revoked one" \
	[ "$(get "$C" "$X")" = "obj 0/2024-01-01T00:00:00.000Z/false" ]
req "$C" GET "/api1/collections/$SH/objects/?limit=1000"
t_true "no page of the collection serves evil's forgeries to a reader" \
	bash -c "! grep -q -e EVIL-COPY -e EVIL-REVOKE '$T/b'"
t_ok "the operator's get" hc home get --all-versions "$X"
t_true "shows alice's copy and evil's, apart (3 versions), evil's marked as delivered by evil" \
	[ "$(jq -r '[.[] | "\(.name):\((.x_cybercell_provenance // []) | map(.peer) | join("+"))"] | sort | join(",")' "$OUT")" = "EVIL-COPY:evil,EVIL-REVOKE:evil,obj 0:" ]

# ---- evil's own login: no new version of alice's object, no delete
jq '{objects: [.objects[] | .modified = "2024-09-01T00:00:00.000Z" | .revoked = true | .name = "EVIL-REVOKE"]}' \
	"$T/a-solo.json" >"$T/e-one.env"
post "$E" "$SH" "$T/e-one.env"
t_true "evil's POST of a revocation of alice's (green, readable) object is refused" \
	[ "$CODE $(jb '"\(.success_count) \(.failure_count)"')" = "202 0 1" ]
t_true "saying only the creator versions it" bash -c "jq -r '.failures[0].message' '$T/b' | grep -q 'another organisation'"
req "$E" DELETE "/api1/collections/$SH/objects/$S/?match%5Bversion%5D=2024-01-01T00:00:00.000Z"
t_true "evil's DELETE of alice's version is 404" code_is 404
req "$E" DELETE "/api1/collections/$SH/objects/$S/"
t_true "of the id too" code_is 404
t_true "and removes nothing" [ "$(get "$C" "$S")" = "solo 0/2024-01-01T00:00:00.000Z/false" ]
req "$E" DELETE "/api1/collections/$SH/objects/$X/"
t_true "evil's DELETE of an id it holds a copy of removes its own copy only" code_is 200
t_true "alice's object is still there" [ "$(get "$C" "$X")" = "obj 0/2024-01-01T00:00:00.000Z/false" ]

# ---- evil's ceiling: green, whatever its grant says, on every path
req "$E" GET "/api1/collections/$SH/objects/?match%5Bversion%5D=all&limit=1000"
t_true "evil's login gets no amber object of alice's" bash -c "! grep -q '\"amb ' '$T/b'"
t_true "but her green ones it holds no copy of (of the others it is served its own)" \
	[ "$(jq -r '[.objects[] | .name] | map(select(startswith("solo") or startswith("obj"))) | sort | join(",")' "$T/b")" = "obj 0,solo 0" ]
AMB=$(jq -r '.objects[0].id' "$T/a-amber.json")
req "$E" GET "/api1/collections/$SH/objects/$AMB/"; C1=$CODE
mkobjs never 1 >"$T/never.json"
req "$E" GET "/api1/collections/$SH/objects/$(jq -r '.objects[0].id' "$T/never.json")/"; C2=$CODE
t_true "an amber object is answered as one never stored" [ "$C1 $C2" = "404 404" ]
req "$E" GET "/api1/collections/$(coll_id home private)/objects/"
t_true "a collection without a grant is 404 to evil" code_is 404
t_ok "evil's hub pulls home's shared with its login" fed_pull evil home
t_ok "evil syncs" hc evil sync home --json
t_true "evil's pull got nothing above green" \
	bash -c "! '$CYBERCELL' --db '$T/evil.db' export --all-versions | grep -q '\"amb '"
# a push from home: the link may say red, the peer's ceiling is green
for t in clear amber red; do
	mkobjs "push-$t" 2 "$t" >"$T/p-$t.json"; hc home import --collection private "$T/p-$t.json" >/dev/null
done
t_ok "a push link that allows red" fed_push home evil private shared --max-tlp red
t_ok "home syncs" hc home sync --json
t_true "only the clear objects were sent" \
	[ "$(jq -r 'select(.direction == "push") | "\(.objects)"' "$OUT")" = 2 ]
t_true "evil holds no amber or red object of home's" \
	bash -c "! '$CYBERCELL' --db '$T/evil.db' export --all-versions | grep -q -e 'push-amber' -e 'push-red'"

# ---- no oracle: evil posting a copy of what it may not see learns nothing
jq '{objects: [.objects[0]]}' "$T/a-amber.json" >"$T/e-guess.env"
post "$E" "$SH" "$T/e-guess.env"; cp "$T/b" "$T/guess.out"
jq '{objects: .objects}' "$T/never.json" >"$T/never.env"
post "$E" "$SH" "$T/never.env"
t_true "a copy of a hidden object is answered as a new id" \
	[ "$(jq -c '[.success_count, [.successes[].message]]' "$T/guess.out")" = "$(jq -c '[.success_count, [.successes[].message]]' "$T/b")" ]
t_true "and alice's amber object is untouched" \
	[ "$(get "$A" "$AMB")" = "amb 0/2024-01-01T00:00:00.000Z/false" ]

# ---- what the hub imported is the hub's; a peer's version of it stays apart
mkobjs hubobj 1 clear >"$T/h.json"
hc home import --collection shared "$T/h.json" >/dev/null
HID=$(jq -r '.objects[0].id' "$T/h.json")
jq '.objects |= [.[] | .modified = "2025-01-01T00:00:00.000Z" | .name = "EVIL-HUB"]' "$T/h.json" >"$T/eh.json"
hc evil import --collection shared "$T/eh.json" >/dev/null
t_ok "home syncs evil's version of the hub's object" hc home sync evil
t_true "a reader is served the hub's own version" [ "$(get "$C" "$HID")" = "hubobj 0/2024-01-01T00:00:00.000Z/false" ]

# ---- evil's objects pulled in bulk do not keep home's members from writing:
# home stores them in transactions that follow each other at once, and
# alice's POST during the pull takes its turn between two of them (that it
# does not wait for the whole pull is test_store_pend's test_yield: this
# pull is too short to tell), is accepted and stays hers
mkobjs flood 3000 green >"$T/flood.json"
hc evil import --collection shared "$T/flood.json" >/dev/null
hc home sync evil --page-size 100 >/dev/null 2>"$T/flood.err" &
fp=$!
sleep 0.3
mkobjs during 1 green >"$T/during.json"
jq '{objects: .objects}' "$T/during.json" >"$T/during.env"
post "$A" "$SH" "$T/during.env"
t_true "alice's POST during home's pull of evil is accepted" [ "$CODE $(jb .success_count)" = "202 1" ]
t_ok "and the pull goes through" wait "$fp"
t_true "a reader is served alice's object as she posted it" \
	[ "$(get "$C" "$(jq -r '.objects[0].id' "$T/during.json")")" = "during 0/2024-01-01T00:00:00.000Z/false" ]
t_clean "no sanitizer report from the pull" "$T/flood.err"

# ---- a peer that answers to hurt the client, not the store: after a 503,
# an answer whose headers start with a folded line (after a bare CR in its
# status line).  On one libcurl handle for both attempts, Debian 12's
# libcurl reads and reallocates freed memory; the client fails the request
# and nothing else (test_sync's test_folded_after_answer is the unit case)
cat >"$T/raw.py" <<'PYEOF'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
for a in [b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n",
          b"HTTP/1.1 200C\rO\n Kontent-Type: application/taxii+json;version=2.1\r\n"
          b"Content-Length: 2\r\n\r\n{}"]:
    c, _ = s.accept(); c.recv(65536); c.sendall(a); c.shutdown(socket.SHUT_RDWR); c.close()
PYEOF
: >"$T/raw.out"
$PY "$T/raw.py" >"$T/raw.out" 2>&1 &
rp=$!
for _ in $(seq 1 100); do [ -s "$T/raw.out" ] && break; sleep 0.05; done
t_exit 1 "a peer's folded answer after a 503 fails the request" \
	hc home taxii discover "http://127.0.0.1:$(cat "$T/raw.out")/taxii2/" --retries 1
t_true "after both attempts" wait "$rp"

hub_stop home
hub_stop evil
t_clean "no sanitizer report from home's server" "$T/home.err"
t_clean "no sanitizer report from evil's server" "$T/evil.err"
t_done
