#!/usr/bin/env bash
# What a change costs the TAXII server, measured against a baseline build in
# the same run: two hubs (the baseline binary and this one), each with its own
# store of the same OBJECTS indicators POSTed the same way, and nginx serving
# the byte-identical object and page as static files with the same
# certificate.  The four GET rows of bench_taxii.sh (one object, a page of
# 100, a different object every request, a different page every request) are
# run for baseline and current in turn, ROUNDS times, and the median of each
# is reported, so that the load of the machine falls on both alike.
#   BASE=/path/to/old/cybercell bench/bench_taxii_ab.sh
#        (env: CYBERCELL, BASE (without it: nothing is run), DUR=5, ROUNDS=3, OBJECTS=100000,
#         BASE_LABEL="baseline")
# Writes bench/results/taxii-ab.md.  Everything listens on 127.0.0.1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CYBERCELL=${CYBERCELL:-$root/build/cybercell}
BASE=${BASE:-}
if [ -z "$BASE" ]; then	# bench/run-all runs every script: keep the last result
	echo "bench_taxii_ab: skipped (set BASE to the cybercell binary to compare with)"
	exit 0
fi
DUR=${DUR:-5}
ROUNDS=${ROUNDS:-3}
OBJECTS=${OBJECTS:-100000}
BASE_LABEL=${BASE_LABEL:-baseline}
PER=1000
W=$root/bench/work/taxii-ab
MT='application/taxii+json;version=2.1'
rm -rf "$W"
mkdir -p "$W/env" "$W/nginx/www" "$W/nginx/tmp"
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT
. bench/taxii_lib.sh

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "generating $OBJECTS objects"
/usr/bin/python3 bench/gen_taxii.py "$W/env" $((OBJECTS / PER)) $PER

# hub NAME BIN: a store and a server of BIN under $W/NAME, the envelopes
# POSTed to it; writes $W/NAME/vars (URL COL AUTH T0US SPANUS)
hub() {
	local d=$W/$1 bin=$2 pw col base
	mkdir -p "$d"
	export CYBERCELL_DB=$d/bench.db
	"$bin" org add bench-bank >/dev/null
	pw=$("$bin" user add bench --org bench-bank)
	col=$("$bin" collection add bench --title "Bench")
	"$bin" grant bench-bank bench read-write --max-tlp amber >/dev/null
	local auth="Authorization: Basic $(printf 'bench:%s' "$pw" | base64 -w0)"
	: >"$d/serve.out"	# not the last run's lines, read before the shell truncates it
	"$bin" serve --listen 127.0.0.1:0 --threads 2 >"$d/serve.out" 2>/dev/null &
	PIDS="$PIDS $!"
	for _ in $(seq 1 200); do grep -q '^listening on ' "$d/serve.out" && break; sleep 0.05; done
	base=$(sed -n 's|^listening on \(https://[^/]*\)/taxii2/$|\1|p' "$d/serve.out")
	[ -n "$base" ] || { echo "$1: the server did not start" >&2; exit 1; }
	curl -sk -o /dev/null -H "$auth" "$base/taxii2/"
	post_envelopes "$base/api1/collections/$col/objects" "$auth" "$W/env" "$d"
	[ "$ok" = "$OBJECTS" ] || { echo "$1: $ok of $OBJECTS objects stored" >&2; exit 1; }
	echo "$1: $OBJECTS objects in $(calc %.2f "$t1 - $t0") s"
	cat >"$d/vars" <<EOF
URL='$base'
COL='$col'
AUTH='$auth'
T0US=$(calc %.0f "$t0 * 1000000")
SPANUS=$(calc %.0f "($t1 - $t0) * 900000")
POST_RATE=$(calc %.0f "$OBJECTS / ($t1 - $t0)")
EOF
}
hub base "$BASE"
hub cur "$CYBERCELL"
unset CYBERCELL_DB

ID=$(jq -r '.objects[1].id' "$(printf '%s/env/env-%05d.json' "$W" $((OBJECTS / PER / 2)))")
# the wrk scripts of one hub: the same object, the same page, a different
# object (5,000 ids across the envelopes), a different page (next tokens
# spread over that hub's ingest time) every request
scripts() {
	local d=$W/$1
	# shellcheck disable=SC1091
	. "$d/vars"
	printf 'request = function() return wrk.format("GET", "/api1/collections/%s/objects/%s/") end\n' \
		"$COL" "$ID" >"$d/one.lua"
	printf 'request = function() return wrk.format("GET", "/api1/collections/%s/objects/?limit=100") end\n' \
		"$COL" >"$d/page.lua"
	lua_ones "$W/env" "$COL" "$d/ones.lua"
	lua_pages "$COL" "$T0US" "$SPANUS" "$d/pages.lua"
	curl -sk -H "$AUTH" -H "Accept: $MT" -o "$d/one.json" "$URL/api1/collections/$COL/objects/$ID/"
	curl -sk -H "$AUTH" -H "Accept: $MT" -o "$d/page.json" "$URL/api1/collections/$COL/objects/?limit=100"
	[ "$(jq '.objects|length' "$d/page.json")" = 100 ] || { echo "$1: no page of 100" >&2; exit 1; }
}
scripts base
scripts cur
# both hubs answer with the same bytes (the ids are the same, so are the objects)
cmp -s "$W/base/one.json" "$W/cur/one.json" || echo "note: the two hubs' object answers differ" >&2
cp "$W/cur/one.json" "$W/nginx/www/one.json"
cp "$W/cur/page.json" "$W/nginx/www/page.json"

NPORT=$(free_port)
. "$W/cur/vars"
nginx_conf "$W/nginx" "$NPORT" "$W/cur/bench.db.tls-cert.pem" "$W/cur/bench.db.tls-key.pem"
nginx -c "$W/nginx/nginx.conf" -p "$W/nginx" &
PIDS="$PIDS $!"
sleep 1

# run HUB ROW ROUND: one wrk run, its "req/s p50 p99" appended to $W/HUB-ROW
run() {
	local out=$W/wrk-$1-$2-$3.txt
	if [ "$1" = nginx ]; then
		wrk -t2 -c64 -d"${DUR}s" --latency -H "Accept: $MT" "https://127.0.0.1:$NPORT/$2.json" >"$out"
	else
		. "$W/$1/vars"
		wrk -t2 -c64 -d"${DUR}s" --latency -s "$W/$1/$2.lua" -H "Accept: $MT" -H "$AUTH" "$URL" >"$out"
	fi
	lat "$out" >>"$W/$1-$2"
	echo "round $3 $1 $2: $(tail -1 "$W/$1-$2")"
}
ROWS="one page ones pages"
for r in $(seq 1 "$ROUNDS"); do
	for row in $ROWS; do
		# alternate which goes first, so neither always runs on a warmer machine
		if [ $((r % 2)) = 1 ]; then run base "$row" "$r"; run cur "$row" "$r"
		else run cur "$row" "$r"; run base "$row" "$r"; fi
	done
	run nginx one "$r"
	run nginx page "$r"
done

med() { sort -n -k1,1 "$W/$1" | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2)'; }	# the median run by req/s
row() { # row TITLE ROW NGINXROW
	local b c n
	read -r b bp50 bp99 <<<"$(med "base-$2")"
	read -r c cp50 cp99 <<<"$(med "cur-$2")"
	read -r n np50 np99 <<<"$(med "nginx-$3")"
	echo "| $1 | $b | $bp50 | $bp99 | $c | $cp50 | $cp99 | $(calc %+.1f "($c - $b) * 100 / $b") % | $n | $(calc %.0f "$c * 100 / $n") % |"
}
. "$W/base/vars"; BRATE=$POST_RATE
. "$W/cur/vars"; CRATE=$POST_RATE
mkdir -p bench/results
cat >bench/results/taxii-ab.md <<EOF
## TAXII 2.1 server against $BASE_LABEL, in the same run

Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared with the load generator.
Command: \`BASE=… DUR=$DUR ROUNDS=$ROUNDS bench/bench_taxii_ab.sh\` — two hubs, $BASE_LABEL
and this build ($(git rev-parse --short HEAD)), each with its own store of the same
$OBJECTS indicators POSTed the same way; server \`--threads 2\`; wrk \`-t2 -c64 -d${DUR}s --latency\`
over loopback HTTPS, HTTP Basic authentication on every request; nginx $(nginx -v 2>&1 | sed 's|.*/||')
serving the same bytes as static files with the same certificate. Every row ran $ROUNDS times
for each hub, alternating which went first; the table shows the median run by req/s.
Load average when the run started: $LOAD0.

| test | $BASE_LABEL req/s | p50 | p99 | now req/s | p50 | p99 | change | nginx req/s | now / nginx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(row "GET one object by id" one one)
$(row "GET a page of 100 objects" page page)
$(row "GET one object by id, a different object every request (5,000 ids)" ones one)
$(row "GET pages of 100 objects, a different page every request" pages page)

Ingest of the $OBJECTS objects (POST, envelopes of $PER, two kept-alive clients, one pass each,
not repeated): $BASE_LABEL $BRATE objects/s, now $CRATE objects/s.

Wall-clock rates on a shared 2-core machine move by several per cent from run to run (see
the rounds in the log); bench_taxii_cost.sh counts the instructions per request of the same
two builds with callgrind, a measure the machine's load does not change.
EOF
echo "wrote bench/results/taxii-ab.md"
