#!/usr/bin/env bash
# The web interface's hostile cases, at the API: a member with an AMBER
# ceiling (bank-a, "alice") tries every page and JSON call of /ui/ against
# RED objects, other members' objects, a collection it has no grant on,
# versions it may not see; none may show them or tell them from ids never
# stored.  Then sessions: CSRF, origin, logout, idle expiry, a password
# change, the login throttle, cookies, static files, bodies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/ui_lib.sh"

G=intrusion-set--11111111-1111-4111-8111-111111111111
R=intrusion-set--22222222-2222-4222-8222-222222222222
RI=indicator--33333333-3333-4333-8333-333333333333
TL=tool--55555555-5555-4555-8555-555555555555
AP=attack-pattern--66666666-6666-4666-8666-666666666666
RREL=relationship--77777777-7777-4777-8777-777777777777
GREL=relationship--88888888-8888-4888-8888-888888888888
V=indicator--99999999-9999-4999-8999-999999999999
RS=sighting--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa
GS=sighting--bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb
S=indicator--cccccccc-cccc-4ccc-8ccc-cccccccccccc
B1=indicator--dddddddd-dddd-4ddd-8ddd-dddddddddddd
A1=indicator--eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee
NONE=intrusion-set--ffffffff-ffff-4fff-8fff-ffffffffffff
red="\"object_marking_refs\":[\"$TLP_RED\"]" green="\"object_marking_refs\":[\"$TLP_GREEN\"]"
M2=2024-02-01T00:00:00.000Z
RAP=attack-pattern--abababab-abab-4bab-8bab-abababababab
VAP=attack-pattern--cdcdcdcd-cdcd-4dcd-8dcd-cdcdcdcdcdcd
VS=sighting--efefefef-efef-4fef-8fef-efefefefefef

cc init >/dev/null
ui_bundle "$T/hub.json" \
	"{\"type\":\"intrusion-set\",\"id\":\"$G\",\"name\":\"GREEN GROUP\",\"aliases\":[\"Verdant\"],$green,\"external_references\":[{\"source_name\":\"mitre-attack\",\"external_id\":\"G9990\"}]}" \
	"{\"type\":\"intrusion-set\",\"id\":\"$R\",\"name\":\"RED SECRET GROUP\",\"aliases\":[\"Crimson Ghost\"],$red,\"external_references\":[{\"source_name\":\"mitre-attack\",\"external_id\":\"G9991\"}]}" \
	"{\"id\":\"$RI\",\"name\":\"RED SECRET INDICATOR\",\"pattern\":\"[ipv4-addr:value = '198.51.100.77']\",$red}" \
	"{\"type\":\"tool\",\"id\":\"$TL\",\"name\":\"GREEN TOOL\",$green}" \
	"{\"type\":\"attack-pattern\",\"id\":\"$AP\",\"name\":\"Green Technique\",$green,\"kill_chain_phases\":[{\"kill_chain_name\":\"mitre-attack\",\"phase_name\":\"initial-access\"}],\"external_references\":[{\"source_name\":\"mitre-attack\",\"external_id\":\"T9990\"}]}" \
	"{\"type\":\"relationship\",\"id\":\"$RREL\",\"relationship_type\":\"uses\",\"source_ref\":\"$G\",\"target_ref\":\"$TL\",$red}" \
	"{\"type\":\"relationship\",\"id\":\"$GREL\",\"relationship_type\":\"uses\",\"source_ref\":\"$G\",\"target_ref\":\"$AP\",$green}" \
	"{\"id\":\"$V\",\"name\":\"TWO FACED v1\",$green}" \
	"{\"id\":\"$V\",\"name\":\"TWO FACED v2 SECRET\",\"modified\":\"$M2\",$red}" \
	"{\"type\":\"sighting\",\"id\":\"$RS\",\"sighting_of_ref\":\"$G\",\"count\":666,$red}" \
	"{\"type\":\"sighting\",\"id\":\"$GS\",\"sighting_of_ref\":\"$G\",\"count\":7,$green}" \
	"{\"type\":\"sighting\",\"id\":\"$VS\",\"sighting_of_ref\":\"$G\",\"count\":3,$green}" \
	"{\"type\":\"sighting\",\"id\":\"$VS\",\"sighting_of_ref\":\"$G\",\"count\":999,\"modified\":\"$M2\",$red}" \
	"{\"type\":\"attack-pattern\",\"id\":\"$RAP\",\"name\":\"Crimson Technique\",$red,\"kill_chain_phases\":[{\"kill_chain_name\":\"mitre-attack\",\"phase_name\":\"execution\"}]}" \
	"{\"type\":\"attack-pattern\",\"id\":\"$VAP\",\"name\":\"Two-faced Technique\",$green,\"kill_chain_phases\":[{\"kill_chain_name\":\"mitre-attack\",\"phase_name\":\"execution\"}]}" \
	"{\"type\":\"attack-pattern\",\"id\":\"$VAP\",\"name\":\"Two-faced Technique CRIMSON\",\"modified\":\"$M2\",$red,\"kill_chain_phases\":[{\"kill_chain_name\":\"mitre-attack\",\"phase_name\":\"execution\"}]}"
t_ok "the hub imports green and red intelligence" cc import "$T/hub.json"
cc collection add secret >/dev/null
ui_bundle "$T/secret.json" "{\"id\":\"$S\",\"name\":\"HIDDEN COLLECTION OBJECT\",$green}"
t_ok "and an object in a collection alice has no grant on" cc import -c secret "$T/secret.json"
for o in bank-a bank-b; do cc org add "$o" >/dev/null; done
pw 'alice-password' alice bank-a
pw 'bob-password!!' bob bank-b
A=alice:alice-password B='bob:bob-password!!'
cc grant bank-a default read-write --max-tlp amber >/dev/null
cc grant bank-b default read-write --max-tlp red >/dev/null
cc grant bank-b secret read --max-tlp red >/dev/null
mkdir -p "$T/models/bank-a" "$T/models/bank-b"
cp "$ROOT/data/demo/bank.yaml" "$T/models/bank-a/"
t_true "server starts" start_server --login-failures 2 --login-backoff 30 --wargame-models "$T/models"
DEF=$(cc collection list --json 2>/dev/null | jq -r '.[]|select(.name=="default").id')
[ -n "$DEF" ] || DEF=$(curl -sk -u "$A" -H "Accept: $MT" "$BASE/api1/collections/" | jq -r '.collections[0].id')
ui_bundle "$T/b1.json" "{\"id\":\"$B1\",\"name\":\"BOB RED PRIVATE\",$red}"
jq '{objects: .objects}' "$T/b1.json" >"$T/b1e.json"
post "$B" "$DEF" "$T/b1e.json"
t_true "bob posts a red object of his own" [ "$CODE $(jb .success_count)" = "202 1" ]
ui_bundle "$T/a1.json" "{\"id\":\"$A1\",\"name\":\"ALICE RED OWN\",$red}"
jq '{objects: .objects}' "$T/a1.json" >"$T/a1e.json"
post "$A" "$DEF" "$T/a1e.json"
t_true "alice posts a red object of her own" [ "$CODE $(jb .success_count)" = "202 1" ]

# ---- logging in
ui_login "alice:wrong-password"
t_true "a wrong password is 401" code_is 401
t_true "without WWW-Authenticate (no browser dialog)" [ -z "$(hdr WWW-Authenticate)" ]
ui_login "$A"
t_true "alice logs in" code_is 200
t_true "her session cookie is HttpOnly, Secure, SameSite=Strict, for the whole site" \
	bash -c "tr -d '\r' <'$T/h' | grep -q '^Set-Cookie: __Host-cybercell=[A-Za-z0-9_-]\{43\}; Path=/; Secure; HttpOnly; SameSite=Strict$'"
t_true "the answer names her and her one collection, at amber" \
	[ "$(jb '[.user, .organisation, (.collections|map(.name + ":" + .max_tlp)|join(","))]|join(" ")')" = "alice bank-a default:amber" ]
t_true "a CSRF token of 43 characters" [ "${#UCSRF}" = 43 ]
AUCK=$UCK ACSRF=$UCSRF

# ---- nothing red, nothing of the secret collection, on any path
search_ids() { # search_ids QUERY-STRING: the ids found (sorted, one line)
	ureq GET "/ui/api/search?$1"
	[ "$CODE" = 200 ] || { echo "status $CODE"; return; }
	jq -r '[.results[].id]|sort|join(" ")' "$T/b"
}
for q in "q=RED%20SECRET" "q=Crimson%20Ghost&by=alias" "q=crimson%20ghost" "q=G9991&by=external_id" \
	"q=g9991" "q=198.51.100.77&by=value" "q=198.51.100.77" "q=SECRET" "q=HIDDEN" "q=BOB%20RED" \
	"q=TWO%20FACED%20v2" "q=$R" "type=sighting&q=666" "q=SECRET%20GR" "q=v2%20SECRET" \
	"q=SECRET&by=name" "q=ECRET%20GRO&by=name" "q=v2&by=name" "q=PRIVATE" \
	"q=COLLECTION%20OBJ" "q=IDDEN%20COLL&by=name" "q=OB%20RED%20PRIV&by=name" "q=FACED%20v2&by=name" \
	"q=RIMSON%20TECH&by=name" "q=WO-faced%20Technique%20CRIM&by=name" "q=ECRET%20INDIC&by=name" \
	"q=%22RED%22%20OR%20%22PRI&by=name" "q=PRIVATE%22%20OR%20%22*&by=name" "q=RED%20PRI%20OR%20GREEN&by=name"; do
	t_true "search $q finds nothing" [ "$(search_ids "$q")" = "" ]
done
t_true "search by type finds the green group, not the red one" \
	[ "$(search_ids "type=intrusion-set")" = "$G" ]
t_true "the two-faced indicator is found by its green name" [ "$(search_ids "q=TWO%20FACED")" = "$V" ]
t_true "alice finds her own red object" [ "$(search_ids "q=ALICE%20RED")" = "$A1" ]
t_true "a word finds the green group, not the red one" [ "$(search_ids "q=GROUP")" = "$G" ]
t_true "a word of a name finds it (any)" [ "$(search_ids "q=faced%20v")" = "$V" ]
t_true "a part of a name finds it (by name)" [ "$(search_ids "q=WO%20FAC&by=name")" = "$V" ]
t_true "any does not read every name: a part inside a word is not found" \
	[ "$(search_ids "q=WO%20FAC")" = "" ]
t_true "alice finds her own red object by a word of it" [ "$(search_ids "q=red%20own")" = "$A1" ]
t_true "and by a part of it (the trigram index)" [ "$(search_ids "q=LICE%20RED%20O&by=name")" = "$A1" ]
t_true "a part of a name of 3 characters or more is found through the trigram index" \
	[ "$(search_ids "q=aced%20v1&by=name") $(search_ids "q=EEN%20GROU&by=name")" = "$V $G" ]
# a deleted version leaves the trigram index with its name
DEL=indicator--56565656-5656-4656-8656-565656565656
ui_bundle "$T/del.json" "{\"id\":\"$DEL\",\"name\":\"ALICE SOON DELETED\",$green}"
jq '{objects: .objects}' "$T/del.json" >"$T/dele.json"
post "$A" "$DEF" "$T/dele.json"
t_true "alice posts an object and finds it by a part of its name" \
	[ "$CODE $(search_ids "q=SOON%20DELE&by=name")" = "202 $DEL" ]
req "$A" DELETE "/api1/collections/$DEF/objects/$DEL/"
t_true "she deletes it" code_is 200
t_true "a part of its name no longer finds it" [ "$(search_ids "q=SOON%20DELE&by=name")" = "" ]
t_true "its trigrams left the index with its name" \
	[ "$(sqlite3 "$CYBERCELL_DB" "SELECT count(*) FROM names_tri WHERE names_tri MATCH '\"SOO\" \"DEL\"'")" = 0 ]
t_true "the index holds the names, one row per named version" [ "$(sqlite3 "$CYBERCELL_DB" \
	"SELECT (SELECT count(*) FROM names_tri) = (SELECT count(*) FROM names WHERE kind = 0)")" = 1 ]
t_true "every indicator alice may see, and no other" \
	[ "$(search_ids "type=indicator")" = "$(printf '%s\n' "$A1" "$V" | sort | tr '\n' ' ' | sed 's/ $//')" ]
ureq GET "/ui/api/object?id=$NONE"
NOBODY=$(sed "s/$NONE/ID/" "$T/b") NOCODE=$CODE
t_true "an id never stored is 404" [ "$NOCODE" = 404 ]
for id in "$R" "$RI" "$S" "$B1" "$RREL" "$RS"; do
	ureq GET "/ui/api/object?id=$id"
	t_true "object $id: exactly what an id never stored gets" \
		[ "$CODE $(sed "s/$id/ID/" "$T/b")" = "$NOCODE $NOBODY" ]
	ureq GET "/ui/api/adversary?id=$id"
	t_true "adversary $id: 404" code_is 404
done
ureq GET "/ui/api/object?id=$V"
t_true "the two-faced indicator shows one version, the green one" \
	[ "$(jb '[(.versions|length), .object.name, .summary.tlp]|map(tostring)|join(" ")')" = "1 TWO FACED v1 green" ]
t_true "nothing of its red version anywhere in the answer" bash -c "! grep -q 'SECRET\|$M2' '$T/b'"
ureq GET "/ui/api/object?id=$G"
t_true "the green group: only its green relationship" \
	[ "$(jb '[.relationships[].id]|join(" ")')" = "$GREL" ]
t_true "only its green sightings, of the two-faced one the green version" \
	[ "$(jb '[.sightings[].count]|sort|map(tostring)|join(" ")')" = "3 7" ]
t_true "no red id in the group's page" bash -c "! grep -q '$RREL\|$TL\|$RS\|\"count\": *999' '$T/b'"
ureq GET "/ui/api/adversary?id=$G"
t_true "the adversary page: one technique, no software" \
	[ "$(jb '[(.techniques|map(.attack_id)|join(",")), (.software|length)]|map(tostring)|join(" ")')" = "T9990 0" ]
t_true "its graph: the group and the technique" \
	[ "$(jb '[.graph.nodes[].id]|sort|join(" ")')" = "$AP $G" ]
t_true "no red id in the adversary page" bash -c "! grep -q '$RREL\|$TL\|$RS\|$R' '$T/b'"
t_true "its matrix: the green techniques, of the two-faced one the green version" \
	[ "$(jb '[.matrix[]|.id + " " + .name]|sort|join(",")')" = "$AP Green Technique,$VAP Two-faced Technique" ]
t_true "nothing of the red techniques in it" bash -c "! grep -q '$RAP\|CRIMSON\|Crimson' '$T/b'"
ureq GET "/ui/api/session"
t_true "the secret collection is not among hers" [ "$(jb '[.collections[].name]|join(",")')" = default ]

# ---- bob, at red on default and with the secret collection, sees them
ui_login "$B"
t_true "bob finds the red group, its red indicator and his own object" \
	[ "$(search_ids "q=RED%20SECRET") | $(search_ids "q=BOB%20RED")" = "$(printf '%s\n' "$R" "$RI" | sort | tr '\n' ' ' | sed 's/ $//') | $B1" ]
t_true "bob finds the object of the secret collection" [ "$(search_ids "q=HIDDEN")" = "$S" ]
t_true "bob, at red, sees alice's red object (TLP decides, as in TAXII)" \
	[ "$(search_ids "q=ALICE%20RED")" = "$A1" ]
ureq GET "/ui/api/object?id=$V"
t_true "bob sees both versions of the two-faced indicator" [ "$(jb '.versions|length')" = 2 ]
t_true "what changed in the newer one: name and markings" \
	[ "$(jb '.versions[0].changes|map(.property + " " + .change)|join(",")')" = "name changed,object_marking_refs changed" ]
BUCK=$UCK BCSRF=$UCSRF

# ---- war games: each organisation its own models, adversaries as it sees them
ureq GET /ui/api/wargame/models
t_true "bob has no model" [ "$CODE $(jb '.models|join(",")')" = "200 " ]
upost /ui/api/wargame/run --data '{"model":"bank","adversary":"'$G'","runs":10}'
t_true "bob cannot run bank-a's model" [ "$CODE $(jb .error)" = "404 no model bank of your organisation" ]
upost /ui/api/wargame/run --data '{"model":"../bank-a/bank","adversary":"'$G'","runs":10}'
t_true "nor reach it by a path" code_is 400
UCK=$AUCK UCSRF=$ACSRF
ureq GET /ui/api/wargame/models
t_true "alice has hers" [ "$CODE $(jb '.models|join(",")')" = "200 bank" ]
upost /ui/api/wargame/run --data '{"model":"bank","adversary":"'$R'","runs":10}'
t_true "alice cannot use the red group as an adversary" [ "$CODE $(jb .error)" = "404 no adversary $R" ]
upost /ui/api/wargame/run --data '{"model":"bank","adversary":"'$G'","runs":10}'
t_true "she runs one against the green group" [ "$CODE $(jb '.adversary + " " + (.techniques|tostring)')" = "200 GREEN GROUP 1" ]
RID=$(jb .id)
ureq GET "/ui/api/wargame/report?id=$RID"
t_true "its report is hers, sandboxed" [ "$CODE $(hdr Content-Security-Policy)" = "200 default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox" ]
UCK=$BUCK UCSRF=$BCSRF
ureq GET "/ui/api/wargame/report?id=$RID"
t_true "not bob's" code_is 404

# ---- the adversary's software's techniques too, as `wargame run
# --adversary` gathers them, each member through what it may see: the
# green group uses a green malware (a green technique) and, by a RED
# relationship, the green tool (another green technique)
MW=malware--12121212-1212-4212-8212-121212121212
AP2=attack-pattern--13131313-1313-4313-8313-131313131313
AP3=attack-pattern--14141414-1414-4414-8414-141414141414
tech() { echo "{\"type\":\"attack-pattern\",\"id\":\"$1\",\"name\":\"$2\",$green,\"external_references\":[{\"source_name\":\"mitre-attack\",\"external_id\":\"$3\"}]}"; }
uses() { echo "{\"type\":\"relationship\",\"id\":\"relationship--$1\",\"relationship_type\":\"uses\",\"source_ref\":\"$2\",\"target_ref\":\"$3\",$green}"; }
ui_bundle "$T/soft.json" "{\"type\":\"malware\",\"id\":\"$MW\",\"name\":\"GREEN MALWARE\",\"is_family\":true,$green}" \
	"$(tech "$AP2" "Malware Technique" T9993)" "$(tech "$AP3" "Tool Technique" T9994)" \
	"$(uses 15151515-1515-4515-8515-151515151515 "$G" "$MW")" \
	"$(uses 16161616-1616-4616-8616-161616161616 "$MW" "$AP2")" \
	"$(uses 17171717-1717-4717-8717-171717171717 "$TL" "$AP3")"
t_ok "the hub imports the group's software and their techniques" cc import "$T/soft.json"
cp "$ROOT/data/demo/bank.yaml" "$T/models/bank-b/"
upost /ui/api/wargame/run --data '{"model":"bank","adversary":"'$G'","runs":10}'
t_true "bob (red) plays the group with its malware's and its tool's techniques" \
	[ "$CODE $(jb .techniques)" = "200 3" ]
t_ok "the hub's CLI war game counts the same three" cc wargame run "$T/models/bank-b/bank.yaml" \
	--adversary "GREEN GROUP" --runs 10 --json "$T/cli.json"
t_true "(T9990, T9993, T9994)" [ "$(jq -r '.adversary.techniques|join(",")' "$T/cli.json")" = "T9990,T9993,T9994" ]
UCK=$AUCK UCSRF=$ACSRF
upost /ui/api/wargame/run --data '{"model":"bank","adversary":"'$G'","runs":10}'
t_true "alice (amber): the malware's technique, not the tool's behind the RED relationship" \
	[ "$CODE $(jb .techniques)" = "200 2" ]

# ---- changes need the session's CSRF token and this site's origin
UCK=$AUCK UCSRF=$ACSRF
ureq POST /ui/api/logout
t_true "logout without the CSRF token is 403" code_is 403
ureq POST /ui/api/logout -H "X-CSRF-Token: $BCSRF"
t_true "with another session's token: 403" code_is 403
upost /ui/api/logout -H "Origin: https://evil.example"
t_true "with the token from another origin: 403" code_is 403
upost /ui/api/logout -H "Sec-Fetch-Site: cross-site"
t_true "with the token from a cross-site page: 403" code_is 403
ureq GET /ui/api/session
t_true "alice is still logged in" code_is 200
upost /ui/api/logout -H "Origin: $BASE"
t_true "logout with the token from the site: 200" code_is 200
t_true "it clears the cookie" bash -c "tr -d '\r' <'$T/h' | grep -q '^Set-Cookie: __Host-cybercell=;.*Max-Age=0'"
ureq GET /ui/api/session
t_true "the old cookie no longer works" code_is 401
ureq GET /ui/api/search?q=GREEN -H "Cookie: __Host-cybercell=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
t_true "a forged cookie: 401" code_is 401
ureq GET /ui/api/search?q=GREEN -H "Cookie: x=1"
t_true "no cookie: 401" code_is 401

# ---- a password change or a removal ends sessions
ui_login "$B"
printf 'bob-new-password\n' | cc user passwd bob --password-stdin >/dev/null
ureq GET /ui/api/session
t_true "bob's session ends with his new password" code_is 401
ui_login "bob:bob-new-password"
t_true "he logs in with the new one" code_is 200

# ---- the login throttle is TAXII's
for i in 1 2; do ui_login "alice:guess-$i"; done
ui_login "alice:guess-3"
t_true "after 2 failures the next login waits: 429" code_is 429
t_true "with Retry-After" [ "$(hdr Retry-After)" -ge 1 ]
ui_login "$A"
t_true "even with the right password" code_is 429
req "$A" GET /taxii2/
t_true "and TAXII shares the throttle" code_is 429

# ---- the pages, their headers, bodies
CODE=$(curl -sk -o "$T/b" -D "$T/h" -w '%{http_code}' "$BASE/ui/")
t_true "the page is served without a session" code_is 200
t_true "with a CSP that forbids inline script" \
	bash -c "tr -d '\r' <'$T/h' | grep -q \"^Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self';\""
t_true "and no inline script in it" bash -c "! grep -q '<script>' '$T/b' && ! grep -qi ' on[a-z]*=' '$T/b'"
t_true "not to be framed, nor sniffed" [ "$(hdr X-Frame-Options) $(hdr X-Content-Type-Options)" = "DENY nosniff" ]
CODE=$(curl -sk -o "$T/b" -D "$T/h" -w '%{http_code}' "$BASE/ui/js/main.js")
t_true "scripts are JavaScript" [ "$CODE $(hdr Content-Type)" = "200 text/javascript; charset=utf-8" ]
CODE=$(curl -sk -o "$T/b" -w '%{http_code}' "$BASE/ui/vendor/cytoscape-LICENSE.txt")
t_true "cytoscape.js's licence ships with it" bash -c "[ $CODE = 200 ] && grep -q 'Cytoscape Consortium' '$T/b'"
CODE=$(curl -sk -o /dev/null -w '%{http_code}' --path-as-is "$BASE/ui/../../etc/passwd")
t_true "no file outside the UI's" [ "$CODE" != 200 ]
CODE=$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/ui/nothing.js")
t_true "an unknown file is 404" code_is 404
UCK=$BUCK UCSRF=$BCSRF
ui_login "bob:bob-new-password"
head -c 70000 /dev/zero | tr '\0' x >"$T/big"
# Expect: 100-continue: the answer comes before the body is sent (else a
# loaded machine may reset the upload before curl reads the 413)
upost /ui/api/logout -H "Expect: 100-continue" --data-binary "@$T/big"
t_true "a body over 64 KiB is 413" code_is 413
CODE=$(curl -sk -o /dev/null -D "$T/h" -w '%{http_code}' "$BASE/taxii2/")
t_true "TAXII still asks for Basic credentials" [ "$CODE $(hdr WWW-Authenticate)" = '401 Basic realm="cybercell"' ]
t_true "server stops" stop_server

# ---- idle expiry, and --no-ui
# (3 s: a login and the next request must fit in it on a busy machine)
t_true "server with a 3 s idle timeout starts" start_server --ui-idle-timeout 3
ui_login "bob:bob-new-password"
ureq GET /ui/api/session
t_true "a fresh session works" code_is 200
sleep 4.5
ureq GET /ui/api/session
t_true "after 4.5 s without a request it has ended" code_is 401
t_true "server stops" stop_server
t_true "server without the UI starts" start_server --no-ui
CODE=$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/ui/")
t_true "/ui/ is then TAXII's (401)" code_is 401
t_true "server stops" stop_server
t_clean "no sanitizer report from the server" "$T/serve.err"
t_done
