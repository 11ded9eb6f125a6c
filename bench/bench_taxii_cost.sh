#!/usr/bin/env bash
# Instructions per TAXII request, for the four GET rows of bench_taxii.sh
# (one object, a page of 100 — both repeated, so answered from the workers'
# memo — and a different object or page every time), and per object of a
# POST of new objects in envelopes of 1,000, counted by callgrind:
# the same count for the same binary and inputs whatever else the machine
# is doing, so two builds can be compared on a busy machine where req/s
# cannot.  Each row is (instructions of N2 requests - those of N1) /
# (N2 - N1): the server's start, its TLS handshake and the first login's
# argon2 cancel out.  The POST row posts P1 then P2 envelopes (per object =
# (instructions of P2 envelopes - those of P1) / ((P2 - P1) * 1000)), last,
# into stores that every build fills alike.
#   bench/bench_taxii_cost.sh   (env: CYBERCELL, BASE=an older cybercell to
#                                compare with, BASE_LABEL=what it is (e.g. its
#                                commit), N1=100, N2=1100, OBJECTS=20000,
#                                AUDIT_AB=1: this build with `serve
#                                --no-audit` as the baseline, to count what
#                                the audit trail costs)
# Writes bench/results/taxii-cost.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CYBERCELL=${CYBERCELL:-$root/build/cybercell}
BASE=${BASE:-}
AUDIT_AB=${AUDIT_AB:-}
SARGS=()              # more options of serve (the run's)
N1=${N1:-100}
N2=${N2:-1100}
P1=${P1:-1}
P2=${P2:-3}
OBJECTS=${OBJECTS:-20000}
PER=1000
W=$root/bench/work/taxii-cost
MT='application/taxii+json;version=2.1'
rm -rf "$W"
mkdir -p "$W" bench/results
SPID=
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
/usr/bin/python3 bench/gen_taxii.py "$W/env" $((OBJECTS / PER)) $PER

# serve BIN DB [valgrind...]: start the server (SPID, URL)
serve() {
	local bin=$1 db=$2; shift 2
	: >"$W/serve.out"	# not the last run's lines, read before the shell truncates it
	"$@" "$bin" --db "$db" serve --listen 127.0.0.1:0 --threads 1 ${SARGS[@]+"${SARGS[@]}"} \
		>"$W/serve.out" 2>"$W/serve.err" &
	SPID=$!
	for _ in $(seq 1 1200); do grep -q '^listening on ' "$W/serve.out" 2>/dev/null && break; sleep 0.1; done
	URL=$(sed -n 's|^listening on \(https://[^/]*\)/taxii2/$|\1|p' "$W/serve.out")
	[ -n "$URL" ]
}
stop() { kill -TERM "$SPID"; wait "$SPID" || true; SPID=; }

# fill BIN DB: a store with the objects, POSTed through the server
fill() {
	local bin=$1 db=$2 pw col
	"$bin" --db "$db" org add cost-bank >/dev/null
	pw=$("$bin" --db "$db" user add cost --org cost-bank)
	col=$("$bin" --db "$db" collection add cost)
	"$bin" --db "$db" grant cost-bank cost read-write --max-tlp amber >/dev/null
	serve "$bin" "$db"
	for f in "$W"/env/env-*.json; do
		curl -sk -o /dev/null -u "cost:$pw" -H "Accept: $MT" -H "Content-Type: $MT" \
			--data-binary "@$f" "$URL/api1/collections/$col/objects/"
	done
	curl -sk -u "cost:$pw" -H "Accept: $MT" "$URL/api1/collections/$col/manifest/?limit=10000" |
		jq -r '.objects[].id' >"$W/$(basename "$db").ids"
	curl -sk -u "cost:$pw" -H "Accept: $MT" "$URL/api1/collections/$col/manifest/?limit=10000" |
		jq -r '.objects[].date_added' >"$W/$(basename "$db").dates"
	stop
	echo "$pw $col" >"$W/$(basename "$db").who"
}

# requests KIND N DB: N GETs of KIND over one kept-alive TLS connection, or
# (KIND post) N envelopes of 1,000 new objects, one POST each
requests() {
	if [ "$1" = post ]; then
		rm -rf "$W/post"
		/usr/bin/python3 bench/gen_taxii.py "$W/post" "$2" $PER "post$2" >/dev/null
	fi
	/usr/bin/python3 - "$URL" "$1" "$2" "$W/$(basename "$3")" <<'EOF'
import base64, http.client, ssl, sys, urllib.parse
url, kind, n, pre = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
pw, col = open(pre + ".who").read().split()
ids = open(pre + ".ids").read().split()
dates = open(pre + ".dates").read().split()
host = urllib.parse.urlparse(url).netloc
c = http.client.HTTPSConnection(host, context=ssl._create_unverified_context())
h = {"Accept": "application/taxii+json;version=2.1",
     "Authorization": "Basic " + base64.b64encode(("cost:" + pw).encode()).decode()}
base = "/api1/collections/%s/objects/" % col
if kind == "post":
    import glob
    h["Content-Type"] = h["Accept"]
    for f in sorted(glob.glob(pre.rsplit("/", 1)[0] + "/post/env-*.json")):
        c.request("POST", base, body=open(f, "rb").read(), headers=h)
        r = c.getresponse()
        r.read()
        assert r.status == 202, (f, r.status)
    n = 0
for i in range(n):
    if kind == "one":
        p = base + ids[len(ids) // 2] + "/"
    elif kind == "page":
        p = base + "?limit=100"
    elif kind == "ones":
        p = base + ids[(i * 7919) % len(ids)] + "/"
    else:
        p = base + "?limit=100&added_after=" + dates[(i * 7919) % (len(dates) - 200)]
    c.request("GET", p, headers=h)
    r = c.getresponse()
    r.read()
    assert r.status == 200, (p, r.status)
EOF
}

# cost BIN DB KIND: instructions per request (per object: post)
cost() {
	local bin=$1 db=$2 kind=$3 n ir=() n1=$N1 n2=$N2 per=1
	[ "$kind" = post ] && n1=$P1 n2=$P2 per=$PER
	for n in "$n1" "$n2"; do
		serve "$bin" "$db" valgrind --tool=callgrind --callgrind-out-file="$W/cg.%p" -q
		requests "$kind" "$n" "$db"
		stop
		ir+=("$(cat "$W"/cg.* | awk '/^summary:/{s += $2} END {print s}')")
		rm -f "$W"/cg.*
	done
	awk -v a="${ir[0]}" -v b="${ir[1]}" -v n=$(((n2 - n1) * per)) 'BEGIN { printf "%.0f", (b - a) / n }'
}

names=(new) bins=("$CYBERCELL")
[ -n "$BASE" ] && names=(base new) bins=("$BASE" "$CYBERCELL")
[ -n "$AUDIT_AB" ] && names=(base new) bins=("$CYBERCELL" "$CYBERCELL") \
	BASE_LABEL="this build with \`serve --no-audit\` (the audit trail off); this build is the trail on"
declare -A res
for i in "${!names[@]}"; do
	fill "${bins[$i]}" "$W/${names[$i]}.db"
	SARGS=()
	[ -n "$AUDIT_AB" ] && [ "${names[$i]}" = base ] && SARGS=(--no-audit)
	for k in one page ones pages post; do
		res[${names[$i]}-$k]=$(cost "${bins[$i]}" "$W/${names[$i]}.db" "$k")
		echo "${names[$i]} $k: ${res[${names[$i]}-$k]} instructions/request"
	done
done

label() { case $1 in one) echo "GET one object (repeated)";; page) echo "GET page of 100 (repeated)";;
	ones) echo "GET a different object each time";; pages) echo "GET a different page of 100 each time";;
	post) echo "POST new objects, envelopes of 1,000 (per object)";; esac; }
{
	echo "## TAXII: instructions per request (callgrind)${AUDIT_AB:+, the audit trail on vs off}"
	echo
	echo "Run $(date -u +%Y-%m-%dT%H:%MZ); $OBJECTS objects POSTed, one server thread, TLS, one kept-alive"
	echo "connection; per request = (Ir of $N2 requests - Ir of $N1) / $((N2 - N1)); per object of a POST"
	echo "= (Ir of $P2 envelopes - Ir of $P1) / $(((P2 - P1) * PER)), posted last. Load does not change it;"
	echo "timers (the trail's 10-second checkpoint) fire a different number of times, which moves"
	echo "it by a few hundred instructions per request from run to run."
	echo
	if [ "${#names[@]}" = 2 ]; then		# a baseline beside this build
		echo "| request | baseline | this build | change |"
		echo "|---|---:|---:|---:|"
		for k in one page ones pages post; do
			echo "| $(label $k) | ${res[base-$k]} | ${res[new-$k]} | $(awk -v a="${res[base-$k]}" -v b="${res[new-$k]}" 'BEGIN { printf "%+.1f %%", (b - a) * 100 / a }') |"
		done
		echo
		echo "Baseline: ${BASE_LABEL:-\`$BASE\`}."
	else
		echo "| request | instructions |"
		echo "|---|---:|"
		for k in one page ones pages post; do echo "| $(label $k) | ${res[new-$k]} |"; done
	fi
} >"bench/results/taxii-cost${AUDIT_AB:+-audit}.md"
cat "bench/results/taxii-cost${AUDIT_AB:+-audit}.md"
