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
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "generating $OBJECTS objects"
/usr/bin/python3 bench/gen_taxii.py "$W/env" $((OBJECTS / PER)) $PER

# hub NAME BIN: a store and a server of BIN under $W/NAME, the envelopes
# POSTed to it; writes $W/NAME/vars (URL COL AUTH T0US SPANUS)
hub() {
	local d=$W/$1 bin=$2 pw col base t0 t1 k=0 f c c0 c1
	mkdir -p "$d"
	export CYBERCELL_DB=$d/bench.db
	"$bin" org add bench-bank >/dev/null
	pw=$("$bin" user add bench --org bench-bank)
	col=$("$bin" collection add bench --title "Bench")
	"$bin" grant bench-bank bench read-write --max-tlp amber >/dev/null
	local auth="Authorization: Basic $(printf 'bench:%s' "$pw" | base64 -w0)"
	"$bin" serve --listen 127.0.0.1:0 --threads 2 >"$d/serve.out" 2>/dev/null &
	PIDS="$PIDS $!"
	for _ in $(seq 1 200); do grep -q '^listening on ' "$d/serve.out" && break; sleep 0.05; done
	base=$(sed -n 's|^listening on \(https://[^/]*\)/taxii2/$|\1|p' "$d/serve.out")
	[ -n "$base" ] || { echo "$1: the server did not start" >&2; exit 1; }
	: >"$d/post-0.cfg"; : >"$d/post-1.cfg"
	for f in "$W"/env/env-*.json; do
		c=$d/post-$((k % 2)).cfg; k=$((k + 1))
		[ -s "$c" ] && echo next >>"$c"
		printf 'insecure\nsilent\nurl = "%s/"\nheader = "%s"\nheader = "Content-Type: %s"\nheader = "Accept: %s"\ndata-binary = "@%s"\noutput = "%s/status-%d"\n' \
			"$base/api1/collections/$col/objects" "$auth" "$MT" "$MT" "$f" "$d" "$k" >>"$c"
	done
	curl -sk -o /dev/null -H "$auth" "$base/taxii2/"
	t0=$(date +%s.%N)
	curl -sk --config "$d/post-0.cfg" & c0=$!
	curl -sk --config "$d/post-1.cfg" & c1=$!
	wait $c0 $c1
	t1=$(date +%s.%N)
	local ok
	ok=$(cat "$d"/status-* | jq -s '[.[]|select(.status=="complete")|.success_count]|add')
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
	/usr/bin/python3 - "$COL" "$W/env" >"$d/ones.lua" <<'EOF'
import glob, json, sys
col, env = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(env + "/env-*.json"))
ids = []
for f in files[::max(1, len(files) // 50)]:
    ids += [o["id"] for o in json.load(open(f))["objects"][:100]]
print("local ids = {%s}" % ",".join('"%s"' % i for i in ids[:5000]))
print("""local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api1/collections/%s/objects/" .. ids[(i %% #ids) + 1] .. "/")
end""" % col)
EOF
	/usr/bin/python3 - "$COL" "$T0US" "$SPANUS" >"$d/pages.lua" <<'EOF'
import random, sys
col, t0, span = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(11)
print("local next = {%s}" % ",".join('"%d"' % (t0 + random.randrange(span)) for _ in range(5000)))
print("""local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api1/collections/%s/objects/?limit=100&next=" .. next[(i %% #next) + 1])
end""" % col)
EOF
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
cat >"$W/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $W/nginx/tmp; proxy_temp_path $W/nginx/tmp;
    fastcgi_temp_path $W/nginx/tmp; uwsgi_temp_path $W/nginx/tmp; scgi_temp_path $W/nginx/tmp;
    types { }
    default_type application/taxii+json;
    server {
        listen 127.0.0.1:$NPORT ssl;
        ssl_certificate $W/cur/bench.db.tls-cert.pem;
        ssl_certificate_key $W/cur/bench.db.tls-key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_requests 1000000;
        root $W/nginx/www;
    }
}
EOF
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
	echo "$(awk '/^Requests\/sec/{print $2}' "$out") $(awk '$1=="50%"{print $2}' "$out") $(awk '$1=="99%"{print $2}' "$out")" >>"$W/$1-$2"
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
