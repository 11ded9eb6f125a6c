#!/usr/bin/env bash
# Federation between two hubs, uk and us, on 127.0.0.1: peers and links
# (their usage errors), pulls both ways with exact counts, what moves and
# what does not (TLP ceilings, a private collection), one request per
# link for a pass with nothing new, new versions, provenance in get and
# find --json, push links and their ceilings, a peer that sends invalid
# objects (a stub TAXII server), `serve --sync-every`, and the OASIS
# client reading a hub that federation filled.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fed_lib.sh"
PY=/usr/bin/python3

hub_new uk
hub_new us
hc uk collection add national >/dev/null
hc us collection add national >/dev/null
t_true "uk serves" hub_start uk
t_true "us serves" hub_start us

# ---- peers and links: usage and refusals
t_exit 2 "peer add without --url" hc uk peer add x
t_exit 2 "peer add with --ca and --pin" hc uk peer add x --url https://h/taxii2/ --ca /etc/hosts --pin "$PIN_us"
t_exit 2 "peer add with a malformed pin" hc uk peer add x --url https://h/taxii2/ --pin sha256//nope
t_true "the pin error names the option" grep -q -- "--pin: 'sha256//nope'" "$ERR"
t_exit 2 "peer add with --user alone" hc uk peer add x --url https://h/taxii2/ --user u
t_exit 2 "peer add with a non-https URL" hc uk peer add x --url ftp://h/
t_exit 1 "peer add with an unreadable --ca" hc uk peer add x --url https://h/taxii2/ --ca "$T/none.pem"
hc uk org add bank-a >/dev/null
t_exit 1 "a member's organisation does not become a peer's" hc uk peer add bank-a --url https://h/taxii2/
t_true "and says why" grep -q "organisation of its own" "$ERR"
t_true "uk and us become peers of each other" fed_pair uk us amber amber
t_exit 1 "the same peer twice" hc uk peer add us --url https://h/taxii2/
t_exit 2 "peer link without a direction" hc uk peer link us
t_exit 2 "peer link --pull without --into" hc uk peer link us --pull x
t_exit 2 "peer link --max-tlp on a pull" hc uk peer link us --pull x --into shared --max-tlp red
t_exit 1 "peer link to an unknown peer" hc uk peer link nobody --pull x --into shared
t_exit 1 "peer link into an unknown collection" hc uk peer link us --pull x --into nowhere
t_ok "uk pulls us's shared collection" fed_pull uk us
t_ok "us pulls uk's shared collection" fed_pull us uk
t_exit 1 "the same link twice" fed_pull uk us
t_ok "peer list --json" hc uk peer list --json
t_true "lists us with its pin and one pull link" [ "$(jq -r '.[0] | "\(.name) \(.pin == "'"$PIN_us"'") \(.max_tlp) \(.links | length) \(.links[0].direction) \(.links[0].collection)"' "$OUT")" = "us true amber 1 pull shared" ]

# ---- the intelligence: each hub's own, TLP levels, a national collection never linked
for t in clear green amber amber+strict red; do
	mkobjs "uk-$t" 20 "$t" >"$T/uk-$t.json"; hc uk import --collection shared "$T/uk-$t.json" >/dev/null
	mkobjs "us-$t" 10 "$t" >"$T/us-$t.json"; hc us import --collection shared "$T/us-$t.json" >/dev/null
done
mkobjs uk-unmarked 15 >"$T/uk-unmarked.json"; hc uk import --collection shared "$T/uk-unmarked.json" >/dev/null
mkobjs uk-national 7 >"$T/uk-nat.json"; hc uk import --collection national "$T/uk-nat.json" >/dev/null
mkobjs us-national 9 >"$T/us-nat.json"; hc us import --collection national "$T/us-nat.json" >/dev/null
hc uk grant us shared read --max-tlp red >/dev/null      # capped at the peer's amber

# ---- first passes
t_ok "sync on us" hc us sync --json
t_true "us pulled uk's clear, green, amber and unmarked objects (75), no more" \
	[ "$(jq -r '"\(.peer) \(.direction) \(.objects) \(.new) \(.failed) \(.ok)"' "$OUT")" = "uk pull 75 75 0 true" ]
t_ok "sync on uk" hc uk sync --json
t_true "uk pulled us's 30 at most amber, and its own 75 came back as nothing new" \
	[ "$(jq -r '"\(.objects) \(.new) \(.already)"' "$OUT")" = "105 30 75" ]
t_true "uk's national collection stayed home" bash -c "! '$CYBERCELL' --db '$T/us.db' export --all-versions | grep -q 'uk-national'"
t_true "no TLP:RED or AMBER+STRICT object of uk reached us" \
	bash -c "! '$CYBERCELL' --db '$T/us.db' export --all-versions | grep -q -e 'uk-red' -e 'uk-amber+strict'"
t_true "us holds 50 of its own + 75 = 125 versions in shared" [ "$(versions us | wc -l)" = 125 ]
t_true "uk holds its 115 + 30 = 145" [ "$(versions uk | wc -l)" = 145 ]
t_true "no version twice on uk" [ -z "$(versions uk | uniq -d)" ]
t_true "no version twice on us" [ -z "$(versions us | uniq -d)" ]

# ---- what came from us goes back once over us's own pull link, recognised;
# then a pass with nothing new costs one request per link
t_ok "sync on us again" hc us sync --json
t_true "us's 30 came back from uk: nothing new" [ "$(jq -r '"\(.objects) \(.new) \(.already)"' "$OUT")" = "30 0 30" ]
t_true "still 125 versions on us" [ "$(versions us | wc -l)" = 125 ]
n0=$(objects_requests uk)
t_ok "sync on us once more" hc us sync --json
t_true "nothing moved, in one request" [ "$(jq -r '"\(.objects) \(.requests)"' "$OUT")" = "0 1" ]
t_true "uk's server saw exactly one objects request" [ "$(($(objects_requests uk) - n0))" = 1 ]
t_ok "sync on uk again" hc uk sync
t_true "text output, one line" [ "$(cat "$OUT")" = "pull us $(coll_id us shared) -> shared: 0 objects, 0 new, 0 already there, 0 invalid (1 request)" ]

# ---- provenance, and what a hub holds of what it made itself
ID=$(jq -r '.objects[0].id' "$T/uk-green.json")
t_ok "us: get a uk object" hc us get "$ID"
t_true "it says uk delivered it" [ "$(jq -r '.x_cybercell_provenance[0].peer' "$OUT")" = uk ]
t_true "and when" bash -c "jq -r '.x_cybercell_provenance[0].received' '$OUT' | grep -q '^20[0-9-]*T[0-9:.]*Z$'"
t_ok "us: find --json" hc us find --name "uk-green 0" --json
t_true "find --json says it too" [ "$(jq -r '.x_cybercell_provenance[0].peer' "$OUT")" = uk ]
t_ok "us: export" hc us export --collection shared
t_true "export never adds it" bash -c "! grep -q x_cybercell_provenance '$OUT'"
t_ok "uk: get its own object" hc uk get "$ID"
t_true "what came back from us is the same version, still uk's own (no provenance of its making)" \
	[ "$(jq -r '[.x_cybercell_provenance[]?.peer] | join(",")' "$OUT")" = us ]
t_ok "uk: get --all-versions" hc uk get --all-versions "$ID"
t_true "one version, one copy" [ "$(jq length "$OUT")" = 1 ]

# ---- new versions travel; the old ones stay
mkobjs uk-green 20 green 2024-06-01T00:00:00.000Z >"$T/uk-green2.json"
hc uk import --collection shared "$T/uk-green2.json" >/dev/null
t_ok "sync on us after new versions" hc us sync --json
t_true "20 new versions in one request" [ "$(jq -r '"\(.objects) \(.new) \(.requests)"' "$OUT")" = "20 20 1" ]
t_ok "us: get the object" hc us get "$ID"
t_true "its latest is the new version" [ "$(jq -r .modified "$OUT")" = 2024-06-01T00:00:00.000Z ]
t_true "versions equal on both sides for what uk may send" \
	[ "$(versions uk | grep -c 2024-06-01)" = 20 -a "$(versions us | grep -c 2024-06-01)" = 20 ]

# ---- push links: the link's ceiling (amber unless it says more) and the peer's
hc uk collection add alerts >/dev/null
hc us collection add inbox >/dev/null
hc us grant uk inbox write --max-tlp red >/dev/null
for t in clear amber amber+strict red; do
	mkobjs "alert-$t" 4 "$t" >"$T/a-$t.json"; hc uk import --collection alerts "$T/a-$t.json" >/dev/null
done
t_ok "uk pushes alerts to us's inbox" fed_push uk us alerts inbox
t_ok "sync on uk pushes" hc uk sync --json
t_true "the push sent clear and amber only (8)" \
	[ "$(jq -r 'select(.direction == "push") | "\(.objects) \(.new) \(.failed) \(.ok)"' "$OUT")" = "8 8 0 true" ]
t_true "us's inbox has them" [ "$(versions us inbox | wc -l)" = 8 ]
t_ok "a second pass pushes nothing" hc uk sync --json
t_true "in no request" [ "$(jq -r 'select(.direction == "push") | "\(.objects) \(.requests)"' "$OUT")" = "0 0" ]
t_ok "a link that allows red" fed_push uk us alerts shared --max-tlp red
t_true "is told the peer's ceiling is lower" grep -q "max TLP is amber" "$ERR"
t_ok "sync" hc uk sync --json
t_true "nothing above the peer's amber left: red stayed home" \
	bash -c "! '$CYBERCELL' --db '$T/us.db' export --all-versions | grep -q -e 'alert-red' -e 'alert-amber+strict'"
readd() { hc uk peer remove us && printf '%s\n' "$FED_PW" | hc uk peer add us --url "$URL_us" \
	--user uk-sync --password-stdin --pin "$PIN_us" --max-tlp red; }
t_ok "the peer comes back with max TLP red" readd
t_ok "its links went with it: link again, red allowed" fed_push uk us alerts inbox --max-tlp red
t_ok "and the pull" fed_pull uk us
t_ok "sync" hc uk sync --json
t_true "now amber+strict and red are pushed too (the link says red)" \
	[ "$(versions us inbox | wc -l)" = 16 ]
t_true "... and the pull found only the 8 alerts uk had pushed into us's shared (its cursor started again; the rest was there)" \
	[ "$(jq -r 'select(.direction == "pull") | "\(.new) \(.failed)"' "$OUT")" = "8 0" ]

# ---- a peer that sends invalid objects (and names its API root as MITRE's server does)
$PY - >"$T/stub.json" <<'PYEOF'
import json, uuid
good = lambda i: {"type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, "stub-%d" % i),
                  "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "stub %d" % i,
                  "pattern_type": "stix", "pattern": "[domain-name:value = 'stub%d.example']" % i, "valid_from": "2024-01-01T00:00:00Z"}
objs = [good(i) for i in range(12)]
objs[3] = dict(objs[3], pattern="[domain-name:value = ")                       # bad pattern
objs[7] = {k: v for k, v in objs[7].items() if k != "created"}                    # no created
objs[9] = dict(objs[9], id="indicator--not-a-uuid")                               # bad id
print(json.dumps(objs))
PYEOF
$PY "$ROOT/tests/e2e/taxii_stub.py" --objects "$T/stub.json" --page 5 --log "$T/stub.log" >"$T/stub.out" 2>&1 &
STUB=$!
for _ in $(seq 1 100); do grep -q '^listening' "$T/stub.out" && break; sleep 0.05; done
SURL=http://127.0.0.1:$(sed -n 's/^listening on //p' "$T/stub.out")/taxii2/
t_ok "the stub as a peer" hc uk peer add stub --url "$SURL"
t_ok "pull its collection" hc uk peer link stub --pull x-stub-collection--1 --into shared
t_ok "sync stub: the link is done though 3 objects are invalid" hc uk sync stub --json
t_true "9 stored, 3 refused, over 3 pages" [ "$(jq -r '"\(.objects) \(.new) \(.failed) \(.requests)"' "$OUT")" = "12 9 3 4" ]
t_true "each refusal on stderr, naming the object and the property" \
	[ "$(grep -c 'invalid STIX 2.1 object' "$ERR")" = 3 -a "$(grep -c 'pattern' "$ERR")" -ge 1 ]
t_true "the one without created is named" grep -q "$(jq -r '.[7].id' "$T/stub.json").*created" "$ERR"
t_true "none of them is stored, not even in part" [ "$(hc uk find --name stub --json | wc -l)" = 9 ]
t_ok "sync stub again" hc uk sync stub --json
t_true "nothing again, one request, no report" [ "$(jq -r '"\(.objects) \(.requests)"' "$OUT") $(wc -l <"$ERR")" = "0 1 0" ]
t_ok "a push to the stub follows its pending status" hc uk peer link stub --push national --to x-stub-collection--1
t_ok "sync stub" hc uk sync stub --json
t_true "7 national objects taken (status pending, then complete)" \
	[ "$(jq -r 'select(.direction == "push") | "\(.objects) \(.new) \(.ok)"' "$OUT")" = "7 7 true" ]
t_true "the stub's status was asked after the POST" grep -q '^GET /api/v21/status/' "$T/stub.log"
kill "$STUB"; wait "$STUB" 2>/dev/null

# ---- taxii client commands against us
P="$PIN_us"
tx() { printf '%s\n' "$FED_PW" | hc uk taxii "$@" --user uk-sync --password-stdin --pin "$P"; }
t_ok "taxii pin" hc uk taxii pin "$URL_us"
t_true "shows the pin serve printed" grep -qx "public key pin $PIN_us" "$OUT"
t_ok "taxii discover" tx discover "$URL_us"
t_true "discovery document" [ "$(jq -r '.api_roots | length' "$OUT")" = 1 ]
t_ok "taxii collections" tx collections "$URL_us"
t_true "uk's login sees shared and inbox" [ "$(cut -f3 "$OUT" | sort | tr '\n' ' ')" = "inbox shared " ]
SH=$(coll_id us shared)
t_ok "taxii get with filters" tx get "$URL_us" "$SH" --type indicator --version all --limit 7
t_true "a page of 7, more to come" [ "$(jq -r '"\(.objects | length) \(.more)"' "$OUT")" = "7 true" ]
t_ok "taxii get --all-pages" tx get "$URL_us" "$SH" --version all --limit 40 --all-pages
t_true "every version uk may read (all but us's own 20 red and amber+strict), once" \
	[ "$(jq -r '.objects | length' "$OUT")" = "$(($(versions us | wc -l) - 20))" ]
t_ok "taxii get --object --version all" tx get "$URL_us" "$SH" --object "$ID" --version all
t_true "both versions" [ "$(jq -r '.objects | length' "$OUT")" = 2 ]
t_exit 1 "taxii get of a collection it cannot see" tx get "$URL_us" "$(coll_id us national)"
t_true "the server's TAXII error is shown" grep -q 'HTTP 404 Not Found' "$ERR"
t_exit 1 "a wrong pin is refused before anything is sent" hc uk taxii collections "$URL_us" --pin "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
t_true "saying so" grep -q 'pinned public key' "$ERR"
t_exit 1 "no verification: the system's CAs do not know a self-signed hub" hc uk taxii collections "$URL_us"
t_exit 2 "http to a non-loopback address" hc uk taxii collections http://192.0.2.1/taxii2/
mkobjs adhoc 5 green >"$T/adhoc.json"
t_ok "taxii push FILE to us's inbox" tx push "$URL_us" "$(coll_id us inbox)" "$T/adhoc.json"
t_true "5 new" grep -qx "5 objects, 5 new, 0 already there, 0 refused" "$OUT"
t_ok "taxii push it again" tx push "$URL_us" "$(coll_id us inbox)" "$T/adhoc.json"
t_true "5 already there" grep -qx "5 objects, 0 new, 5 already there, 0 refused" "$OUT"
# one envelope of 2,500 (a status resource lists 1,000 successes): the counts stay exact
mkobjs bulk 1500 green >"$T/bulk-a.json"; mkobjs bulk 2500 green >"$T/bulk-b.json"
t_ok "taxii push 1,500" tx push "$URL_us" "$(coll_id us inbox)" "$T/bulk-a.json"
posts() { grep -c 'POST "/api1/collections/[^"]*/objects/" 202' "$T/us.err"; }
POSTS=$(posts)
t_ok "taxii push 2,500 of which those 1,500" tx push "$URL_us" "$(coll_id us inbox)" "$T/bulk-b.json"
t_true "1,000 new and 1,500 already there, counted past the status's lists" \
	grep -qx "2500 objects, 1000 new, 1500 already there, 0 refused" "$OUT"
t_true "in one envelope" [ "$(posts)" = $((POSTS + 1)) ]
hc uk collection add from-us >/dev/null
t_ok "taxii pull --type into a local collection, as the hub's own" tx pull "$URL_us" "$SH" --into from-us --type indicator
t_true "everything uk may read of us's shared" [ "$(versions uk from-us | wc -l)" = "$(($(versions us | wc -l) - 20))" ]
t_ok "taxii pull --peer" hc uk taxii pull --peer us "$SH" --into from-us
t_true "nothing new" grep -q ", 0 new," "$OUT"

# ---- serve --sync-every
hub_stop us
t_true "us serves with --sync-every 1" hub_start us --sync-every 1
# its first pass pulls what uk has that us has not yet: the late objects come after it
pulls() { grep -c '^sync: pull uk ' "$T/us.err"; }
for _ in $(seq 1 100); do [ "$(pulls)" -gt 0 ] && break; sleep 0.1; done
mkobjs uk-late 3 green >"$T/late.json"; hc uk import --collection shared "$T/late.json" >/dev/null
# the objects can be seen before the pass logs them: it syncs the WAL first
for _ in $(seq 1 100); do grep -q '^sync: pull uk .* 3 new' "$T/us.err" && break; sleep 0.1; done
t_true "the server's sync pulled the new objects" [ "$(hc us find --name uk-late --json | wc -l)" = 3 ]
t_true "and logged what moved" grep -q '^sync: pull uk .* 3 new' "$T/us.err"

# ---- the OASIS client reads a hub that federation filled
if t_need "the OASIS TAXII client reads us" tools/taxii2client/v21/__init__.py; then
	hc us org add readers >/dev/null
	printf '%s\n' 'reader-password' | hc us user add reader --org readers --password-stdin >/dev/null
	hc us grant readers shared read --max-tlp red >/dev/null
	cat >"$T/read.py" <<'PYEOF'
import sys, warnings
warnings.filterwarnings("ignore")
from taxii2client.v21 import Server, as_pages
url, coll, cert = sys.argv[1:4]
srv = Server(url, user="reader", password="reader-password", verify=cert)
col = [c for c in srv.default.collections if c.id == coll][0]
seen = []
for page in as_pages(col.get_objects, per_request=50, version="all"):
    seen += ["%s %s" % (o["id"], o.get("modified", "-")) for o in page.get("objects", [])]
print("\n".join(sorted(seen)))
PYEOF
	t_ok "taxii2client pages every version of us's shared" env -u REQUESTS_CA_BUNDLE -u CURL_CA_BUNDLE \
		PYTHONPATH="$TESTDATA/tools" $PY "$T/read.py" "$URL_us" "$SH" "$T/us.db.tls-cert.pem"
	t_true "exactly what us holds, federated objects included" [ "$(cat "$OUT")" = "$(versions us)" ]
	t_true "of which uk's" [ "$(grep -c "" "$OUT")" -gt 100 ]
fi

hub_stop us
hub_stop uk
t_clean "no sanitizer report from uk's server" "$T/uk.err"
t_clean "no sanitizer report from us's server" "$T/us.err"
t_done
