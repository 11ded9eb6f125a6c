#!/usr/bin/env bash
# TAXII server benchmark: 100,000 objects ingested over HTTPS in envelopes of
# 1,000 (POST rate, 202 complete, durable), then wrk (2 threads, 64
# connections, loopback, TLS) on GET one object by id and GET a page of 100,
# against nginx serving the same response bytes as static files with the same
# certificate and TLS protocols; then GET objects and pages of 100 where
# every request asks for a different one (what the store itself delivers,
# since repeated reads of one resource are answered from the workers' memo
# while the store is unchanged); then RSS over a mixed load (SOAK seconds,
# 0 = skip); and the server with its audit trail (the default) against
# --no-audit, alternating in the same run: the four GET rows and a POST
# ingest of AUDIT_ENVS envelopes each, AUDIT_ROUNDS times.
#   bench/bench_taxii.sh            (env: CYBERCELL, SOAK=60, DUR=10, OBJECTS=100000,
#                                    AUDIT_ENVS=20, AUDIT_ROUNDS=3)
# Writes bench/results/taxii.md.  Everything listens on 127.0.0.1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CYBERCELL=${CYBERCELL:-$root/build/cybercell}
SOAK=${SOAK:-60}
DUR=${DUR:-10}
OBJECTS=${OBJECTS:-100000}
AUDIT_ENVS=${AUDIT_ENVS:-20}
AUDIT_ROUNDS=${AUDIT_ROUNDS:-3}
PER=1000
W=$root/bench/work/taxii
MT='application/taxii+json;version=2.1'
rm -rf "$W"
mkdir -p "$W/env" "$W/nginx/www" "$W/nginx/tmp"
export CYBERCELL_DB=$W/bench.db
SPID= NPID= LPID=
cleanup() {
	for p in $LPID $NPID $SPID; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT
. bench/taxii_lib.sh

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "generating $OBJECTS objects"
/usr/bin/python3 bench/gen_taxii.py "$W/env" $((OBJECTS / PER)) $PER
"$CYBERCELL" org add bench-bank >/dev/null
PW=$("$CYBERCELL" user add bench --org bench-bank)
COL=$("$CYBERCELL" collection add bench --title "Bench")
"$CYBERCELL" grant bench-bank bench read-write --max-tlp amber >/dev/null
AUTH="Authorization: Basic $(printf 'bench:%s' "$PW" | base64 -w0)"

start_taxii() { # start_taxii [SERVE ARGS]: the server (again): SPID, BASE, OBJ
	: >"$W/serve.out"	# not the last run's lines, read before the shell truncates it
	"$CYBERCELL" serve --listen 127.0.0.1:0 --threads 2 "$@" >"$W/serve.out" 2>/dev/null &
	SPID=$!
	for _ in $(seq 1 200); do grep -q '^listening on ' "$W/serve.out" && break; sleep 0.05; done
	BASE=$(sed -n 's|^listening on \(https://[^/]*\)/taxii2/$|\1|p' "$W/serve.out")
	OBJ=$BASE/api1/collections/$COL/objects
	curl -sk -o /dev/null -H "$AUTH" "$BASE/taxii2/"	# the first login runs argon2 once
}
stop_taxii() { kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=; }
start_taxii
CERT=$CYBERCELL_DB.tls-cert.pem KEY=$CYBERCELL_DB.tls-key.pem

# post_all DIR: POST DIR's envelopes (post_envelopes); sets t0, t1, ok,
# POST_S, POST_RATE
post_all() {
	post_envelopes "$OBJ" "$AUTH" "$1" "$1"
	POST_S=$(calc %.3f "$t1 - $t0")
	POST_RATE=$(calc %.0f "$ok / $POST_S")
}

# ---- POST ingest ---------------------------------------------------------------------
post_all "$W/env"
INGEST_OK=$ok INGEST_S=$POST_S INGEST_RATE=$POST_RATE
T0US=$(awk "BEGIN { printf \"%.0f\", $t0 * 1000000 }")
SPANUS=$(awk "BEGIN { printf \"%.0f\", ($t1 - $t0) * 900000 }")
echo "ingest: $ok objects acknowledged complete in ${POST_S}s = $POST_RATE objects/s"

ID=$(jq -r '.objects[1].id' "$(printf '%s/env/env-%05d.json' "$W" $((OBJECTS / PER / 2)))")
ONE="$OBJ/$ID/"
PAGE="$OBJ/?limit=100"
curl -sk -H "$AUTH" -H "Accept: $MT" -o "$W/nginx/www/one.json" "$ONE"
curl -sk -H "$AUTH" -H "Accept: $MT" -o "$W/nginx/www/page.json" "$PAGE"
[ "$(jq '.objects|length' "$W/nginx/www/page.json")" = 100 ]

# ---- nginx with the same certificate, protocols, bytes --------------------------
NPORT=$(free_port)
nginx_conf "$W/nginx" "$NPORT" "$CERT" "$KEY"
nginx -c "$W/nginx/nginx.conf" -p "$W/nginx" &
NPID=$!
sleep 1

run_wrk() { # run_wrk NAME URL [AUTH]
	wrk -t2 -c64 -d"${DUR}s" --latency -H "Accept: $MT" ${3:+-H "$3"} "$2" >"$W/wrk-$1.txt"
	echo "$1: $(lat "$W/wrk-$1.txt")"
}
run_wrk taxii-one "$ONE" "$AUTH"
run_wrk nginx-one "https://127.0.0.1:$NPORT/one.json"
run_wrk taxii-page "$PAGE" "$AUTH"
run_wrk nginx-page "https://127.0.0.1:$NPORT/page.json"
# every request a different page: next tokens spread over the ingest time
lua_pages "$COL" "$T0US" "$SPANUS" "$W/pages.lua"
wrk -t2 -c64 -d"${DUR}s" --latency -s "$W/pages.lua" -H "Accept: $MT" -H "$AUTH" "$BASE" >"$W/wrk-taxii-pages.txt"
echo "taxii-pages: $(lat "$W/wrk-taxii-pages.txt")"
# every request a different object (5,000 ids taken across the envelopes)
lua_ones "$W/env" "$COL" "$W/ones.lua"
wrk -t2 -c64 -d"${DUR}s" --latency -s "$W/ones.lua" -H "Accept: $MT" -H "$AUTH" "$BASE" >"$W/wrk-taxii-ones.txt"
echo "taxii-ones: $(lat "$W/wrk-taxii-ones.txt")"
kill "$NPID"; wait "$NPID" 2>/dev/null || true; NPID=

# ---- the audit trail on vs off, back to back ---------------------------------------
# AUDIT_ROUNDS rounds of: the server with --no-audit and with its trail
# (the default), in turn, each running the four GET rows and a POST of AUDIT_ENVS
# fresh envelopes of 1,000; the best round of each counts (the machine is
# shared: a round that other work slowed is not the trail's cost).
# wrk output in $W/wrk-<row>-off|on-<round>.txt
# the server's CPU time so far, all its threads (the audit writer's too), in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SPID/stat"; }
TCK=$(getconf CLK_TCK)
# cpu_per NAME T0 [N]: the server's CPU µs per request (per object: N) since T0
# ticks, of the wrk run in wrk-NAME.txt, into cpu-NAME.txt
cpu_per() {
	local n=${3:-$(awk '/ requests in /{print $1}' "$W/wrk-$1.txt")}
	calc %.1f "($(cpu_ticks) - $2) * 1000000 / $TCK / $n" >"$W/cpu-$1.txt"
}
# audit_wrk NAME URL [wrk args]: a row of the round, its CPU cost too
audit_wrk() {
	local name=$1 url=$2 c0; shift 2
	c0=$(cpu_ticks)
	wrk -t2 -c64 -d"${DUR}s" --latency -H "Accept: $MT" -H "$AUTH" "$@" "$url" >"$W/wrk-$name.txt"
	cpu_per "$name" "$c0"
}
audit_round() { # audit_round off|on ROUND
	local m=$1 r=$2 c0
	audit_wrk "taxii-one-$m-$r" "$OBJ/$ID/"
	audit_wrk "taxii-page-$m-$r" "$OBJ/?limit=100"
	audit_wrk "taxii-ones-$m-$r" "$BASE" -s "$W/ones.lua"
	audit_wrk "taxii-pages-$m-$r" "$BASE" -s "$W/pages.lua"
	/usr/bin/python3 bench/gen_taxii.py "$W/a$m$r" "$AUDIT_ENVS" $PER "audit$m$r"
	c0=$(cpu_ticks)
	post_all "$W/a$m$r"
	cpu_per "post-$m-$r" "$c0" "$ok"
	echo "$POST_RATE" >"$W/post-$m-$r.rate"
	echo "audit $m, round $r: one $(lat "$W/wrk-taxii-one-$m-$r.txt") $(cat "$W/cpu-taxii-one-$m-$r.txt") µs," \
		"pages $(lat "$W/wrk-taxii-pages-$m-$r.txt") $(cat "$W/cpu-taxii-pages-$m-$r.txt") µs," \
		"POST $POST_RATE objects/s $(cat "$W/cpu-post-$m-$r.txt") µs"
}
stop_taxii
# off first in odd rounds, on first in even ones: each POST leaves the store
# bigger, so that the second of a round would always pay for the first's
audit_run() { # audit_run off|on ROUND
	if [ "$1" = off ]; then start_taxii --no-audit; else start_taxii; fi
	audit_round "$1" "$2"
	stop_taxii
}
for r in $(seq 1 "$AUDIT_ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then
		audit_run off "$r"
		audit_run on "$r"
	else
		audit_run on "$r"
		audit_run off "$r"
	fi
done
start_taxii

# ---- memory over a mixed load ------------------------------------------------------------
cat >"$W/mixed.lua" <<EOF
local paths = { "/api1/collections/$COL/objects/$ID/", "/api1/collections/$COL/objects/?limit=100",
                "/api1/collections/$COL/manifest/?limit=50", "/api1/collections/" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF
# RSS = RssAnon (heap: what a leak would grow) + RssFile (the store's
# mmap'ed pages, which grow with the file and with what is read)
rss() { awk '/^VmRSS/{print $2}' "/proc/$SPID/status"; }
anon() { awk '/^RssAnon/{print $2}' "/proc/$SPID/status"; }
rfile() { awk '/^RssFile/{print $2}' "/proc/$SPID/status"; }
if [ "$SOAK" -gt 0 ]; then
	/usr/bin/python3 bench/gen_taxii.py "$W/soak" 200 100 soak
	( for f in "$W"/soak/env-*.json; do
		curl -sk -o /dev/null -H "$AUTH" -H "Content-Type: $MT" --data-binary "@$f" "$OBJ/"
		sleep 0.2
	  done ) &
	LPID=$!
	wrk -t2 -c64 -d"${SOAK}s" -s "$W/mixed.lua" -H "$AUTH" -H "Accept: $MT" "$BASE" >"$W/wrk-mixed.txt" &
	WPID=$!
	sleep $((SOAK / 10 > 2 ? SOAK / 10 : 2))
	RSS0=$(rss); RSSMAX=$RSS0; AN0=$(anon); ANMAX=$AN0; F0=$(rfile)
	while kill -0 "$WPID" 2>/dev/null; do
		r=$(rss); [ "$r" -gt "$RSSMAX" ] && RSSMAX=$r
		r=$(anon); [ "$r" -gt "$ANMAX" ] && ANMAX=$r
		sleep 1
	done
	RSS1=$(rss); AN1=$(anon); F1=$(rfile)
	[ "$RSS1" -gt "$RSSMAX" ] && RSSMAX=$RSS1
	[ "$AN1" -gt "$ANMAX" ] && ANMAX=$AN1
	DBSIZE=$(du -k "$CYBERCELL_DB" | cut -f1)
	kill "$LPID" 2>/dev/null || true; wait "$LPID" 2>/dev/null || true; LPID=
	MIXED_RPS=$(awk '/^Requests\/sec/{print $2}' "$W/wrk-mixed.txt")
	GROWTH=$(calc %.1f "($RSSMAX - $RSS0) * 100 / $RSS0")
	AGROWTH=$(calc %.1f "($ANMAX - $AN0) * 100 / $AN0")
	echo "mixed load ${SOAK}s: $MIXED_RPS req/s, RSS ${RSS0} -> ${RSS1} kB (max $RSSMAX, +$GROWTH %)," \
		"anon $AN0 -> $AN1 kB (max $ANMAX, +$AGROWTH %), file $F0 -> $F1 kB"
fi
stop_taxii
"$CYBERCELL" audit verify >"$W/verify.txt"
TRAIL_MB=$(calc %.1f "$(stat -c %s "$CYBERCELL_DB.audit") / 1048576")

if [ "$SOAK" -gt 0 ]; then
	MEMTABLE="| memory over a mixed load | value |
| --- | ---: |
| load | ${SOAK} s of wrk -c64 cycling object / page / manifest / collections, plus a POST of 100 objects every ~0.2 s |
| mixed req/s | $MIXED_RPS |
| RSS after warm-up ($((SOAK / 10 > 2 ? SOAK / 10 : 2)) s) | $RSS0 kB (heap $AN0 kB, mapped store pages $F0 kB) |
| RSS max | $RSSMAX kB (+$GROWTH %) |
| RSS at the end | $RSS1 kB (heap $AN1 kB, mapped store pages $F1 kB; store file now $DBSIZE kB) |
| **heap (RssAnon) max** | **$ANMAX kB (+$AGROWTH % over warm-up)** |

The store is read through a 1 GiB mmap (store's \`PRAGMA mmap_size\`), so RssFile grows with
the pages read and with the file, which the POSTs of the soak make bigger; RssAnon (heap,
stacks) is what a leak would grow."
else
	MEMTABLE="Memory over a mixed load: not measured in this run (SOAK=0)."
fi
read -r T1 T1P50 T1P99 <<<"$(lat "$W/wrk-taxii-one.txt")"
read -r TQ TQP50 TQP99 <<<"$(lat "$W/wrk-taxii-pages.txt")"
read -r TO TOP50 TOP99 <<<"$(lat "$W/wrk-taxii-ones.txt")"
read -r N1 N1P50 N1P99 <<<"$(lat "$W/wrk-nginx-one.txt")"
read -r TP TPP50 TPP99 <<<"$(lat "$W/wrk-taxii-page.txt")"
read -r NP NPP50 NPP99 <<<"$(lat "$W/wrk-nginx-page.txt")"
pct() { calc %.0f "$1 * 100 / $2"; }
# best NAME MODE: "req/s p50 p99" of the round of NAME in MODE with the most req/s
best() { for f in "$W"/wrk-"$1-$2"-*.txt; do lat "$f"; done | sort -k1,1gr | head -1; }
# audit_row TITLE NAME: a row of the on/off table
audit_row() {
	local a ap50 ap99 b bp50 bp99
	read -r a ap50 ap99 <<<"$(best "$2" off)"
	read -r b bp50 bp99 <<<"$(best "$2" on)"
	echo "| $1 | $a | $ap50 | $ap99 | $b | $bp50 | $bp99 | $(pct "$b" "$a") % |"
}
POST_RATE_off=$(sort -gr "$W"/post-off-*.rate | head -1)
POST_RATE_on=$(sort -gr "$W"/post-on-*.rate | head -1)
# cpu_row TITLE NAME: a row of the CPU table (the least of the rounds)
cpu_row() {
	local a b
	a=$(sort -g "$W"/cpu-"$2"-off-*.txt | head -1)
	b=$(sort -g "$W"/cpu-"$2"-on-*.txt | head -1)
	echo "| $1 | $a | $b | $(pct "$b" "$a") % |"
}
rounds() { # rounds NAME MODE: the req/s of every round
	for f in "$W"/wrk-"$1-$2"-*.txt; do lat "$f" | cut -d' ' -f1; done | paste -sd/ -
}
mkdir -p bench/results
cat >bench/results/taxii.md <<EOF
## TAXII 2.1 server (\`cybercell serve\`)

Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared with the load generator.
Command: \`SOAK=$SOAK DUR=$DUR bench/bench_taxii.sh\` — $OBJECTS indicators stored, server
\`--threads 2\`, wrk \`-t2 -c64 -d${DUR}s --latency\` over loopback HTTPS (TLS 1.3,
ECDSA P-256 self-signed certificate), HTTP Basic authentication on every request.
nginx $(nginx -v 2>&1 | sed 's|.*/||') (2 workers, same certificate, \`ssl_protocols TLSv1.2 TLSv1.3\`)
serves the byte-identical responses as static files, in the same run. The server's access log goes to /dev/null.
Load average when the run started: $LOAD0 (other work on the machine counts; compare the
two columns of one row, not runs).

| test | cybercell req/s | p50 | p99 | nginx req/s | p50 | p99 | cybercell / nginx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| GET one object by id ($(stat -c %s "$W/nginx/www/one.json") B) | $T1 | $T1P50 | $T1P99 | $N1 | $N1P50 | $N1P99 | $(pct "$T1" "$N1") % |
| GET a page of 100 objects ($(stat -c %s "$W/nginx/www/page.json") B) | $TP | $TPP50 | $TPP99 | $NP | $NPP50 | $NPP99 | $(pct "$TP" "$NP") % |
| GET one object by id, a different object every request (5,000 ids) | $TO | $TOP50 | $TOP99 | $N1 | $N1P50 | $N1P99 | $(pct "$TO" "$N1") % |
| GET pages of 100 objects, a different page every request (\`next\` spread over the store) | $TQ | $TQP50 | $TQP99 | $NP | $NPP50 | $NPP99 | $(pct "$TQ" "$NP") % |

Each worker thread keeps, per store generation (any commit anywhere starts a new one), the
users, grants, collections and the answers of reads asked more than once; so the first two
rows (the same resource again and again, as nginx serves the same file) are mostly answered
from that memo after authentication, the TLP rule and a one-snapshot check of the store.
The last two rows ask for a new object or page every time: that is the rate at which the
store itself delivers them (nginx column: its static file, for scale).

| ingest | value |
| --- | ---: |
| objects POSTed (envelopes of $PER; 2 clients, each one kept-alive connection) | $INGEST_OK acknowledged \`complete\` |
| time | $(printf '%.2f' "$INGEST_S") s |
| rate (durable: synchronous=FULL commit before each 202) | **$INGEST_RATE objects/s** |

The audit trail (every request an entry, hash-chained; a POST's entry and a read of
restricted material synced to disk before the answer, the others in batches within 100 ms;
a signed checkpoint every 1,000 entries or 10 s) against \`serve --no-audit\`, in this run:
$AUDIT_ROUNDS rounds of off and on in turn (off first in odd rounds, on first in even ones: each POST
leaves the store bigger; same requests, a fresh server each time),
the best round of each shown (req/s of every round: one object $(rounds taxii-one off) off,
$(rounds taxii-one on) on; pages $(rounds taxii-pages off) off, $(rounds taxii-pages on) on;
POST $(cat "$W"/post-off-*.rate | paste -sd/ -) off, $(cat "$W"/post-on-*.rate | paste -sd/ -) on):

| audit trail | off req/s | p50 | p99 | on req/s | p50 | p99 | on / off |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(audit_row "GET one object by id" taxii-one)
$(audit_row "GET a page of 100 objects" taxii-page)
$(audit_row "GET one object, a different one every request" taxii-ones)
$(audit_row "GET pages of 100, a different page every request" taxii-pages)
| POST ingest, objects/s ($AUDIT_ENVS envelopes of $PER, 2 clients) | $POST_RATE_off | | | $POST_RATE_on | | | $(pct "$POST_RATE_on" "$POST_RATE_off") % |

On a machine shared with other work req/s move by tens of percent from round to round
(above: the same server, the same requests), more than the trail costs; what the server
itself spends is steadier: its CPU time (all its threads, the audit writer's included) per
request, per object for the POSTs, over the same wrk runs (the least of the rounds):

| server CPU per request | off µs | on µs | on / off |
| --- | ---: | ---: | ---: |
$(cpu_row "GET one object by id" taxii-one)
$(cpu_row "GET a page of 100 objects" taxii-page)
$(cpu_row "GET one object, a different one every request" taxii-ones)
$(cpu_row "GET pages of 100, a different page every request" taxii-pages)
$(cpu_row "POST ingest, per object" post)

The trail at the end of the run: $TRAIL_MB MiB; \`audit verify\`: $(cut -d: -f2- "$W/verify.txt" | sed 's/^ //').

$MEMTABLE

Goals (issue 4): single object ≥ 20,000 req/s with p99 < 5 ms; ≥ 50 % of nginx;
ingest ≥ 50,000 objects/s; RSS within 10 % over the mixed load.
EOF
echo "wrote bench/results/taxii.md"
