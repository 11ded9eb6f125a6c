#!/usr/bin/env bash
# Web interface benchmark: the server time of the UI's search and object
# page (the access log's own duration of each request: from its first
# byte in to its answer queued) on a store with ATT&CK Enterprise (when
# ../shared has it, else the demo data) and 1,000,000 indicators
# (bench/gen_indicators.c), as a member at AMBER; and the adversary page of
# APT38 (GLASS KRAKEN) in Debian's chromium, request to matrix drawn.
#   bench/bench_ui.sh        (env: CYBERCELL, N=1000000, REQS=300)
# Writes bench/results/ui.md.  Everything listens on 127.0.0.1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CYBERCELL=${CYBERCELL:-$root/build/cybercell}
CC_SHARED=${CC_SHARED:-$root/../shared}
N=${N:-1000000}
REQS=${REQS:-300}
W=$root/bench/work/ui
ATTACK=$CC_SHARED/data/attack/enterprise-attack-v18.1-stix2.0.json.gz
export CYBERCELL_DB=$W/ui.db
if [ "${REUSE:-}" = 1 ] && [ -f "$W/built" ]; then	# the store of an earlier run
	rm -rf "$W/profile" "$W"/*.ms "$W/access.log"
else
	rm -rf "$W"
fi
mkdir -p "$W"
SPID=
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

if [ -f "$ATTACK" ]; then
	GROUP=APT38 TECH=T1566 ALIAS="Stardust Chollima" DATA="ATT&CK Enterprise v18.1 (24,771 objects)"
else
	GROUP="GLASS KRAKEN" TECH=T1566.001 ALIAS="Brittle Tide" DATA="the demo data (ATT&CK not found)"
fi
if [ ! -f "$W/built" ]; then
	cc -O2 -o "$W/gen_indicators" bench/gen_indicators.c
	"$W/gen_indicators" "$N" "$W/ind.json" "$W/plant.txt" "$W/literals.txt"
	"$CYBERCELL" init >/dev/null
	if [ -f "$ATTACK" ]; then "$CYBERCELL" import "$ATTACK" >/dev/null
	else "$CYBERCELL" import data/demo/*.json >/dev/null; fi
	t0=$(date +%s.%N)
	"$CYBERCELL" import "$W/ind.json" >/dev/null
	awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }" >"$W/import_s"
	"$CYBERCELL" org add bank-a >/dev/null
	"$CYBERCELL" grant bank-a default read --max-tlp amber >/dev/null
	printf 'bench-ui-password\n' | "$CYBERCELL" user add analyst --org bank-a --password-stdin >/dev/null
	touch "$W/built"
fi
IMPORT_S=$(cat "$W/import_s")
GID=$("$CYBERCELL" find --type intrusion-set --alias "$GROUP" --json | jq -r .id)
OBJS=$("$CYBERCELL" stats --json | jq -r '"\(.objects) objects, \(.versions) versions"')

: >"$W/serve.out"	# not the last run's lines, read before the shell truncates it
"$CYBERCELL" serve --listen 127.0.0.1:0 --threads 2 >"$W/serve.out" 2>>"$W/access.log" &
SPID=$!
for _ in $(seq 1 200); do grep -q '^listening on ' "$W/serve.out" && break; sleep 0.05; done
BASE=$(sed -n 's|^listening on \(https://[^/]*\)/taxii2/$|\1|p' "$W/serve.out")
curl -sk -c "$W/jar" -X POST -u analyst:bench-ui-password "$BASE/ui/api/login" >/dev/null

# the server's CPU time so far (user + system, ms): what a request costs
# whatever else the machine runs
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$SPID/stat"; }
# run NAME URL-PATH...: each path once, in order, on one kept-alive connection
run() {
	local name=$1; shift
	: >"$W/$name.cfg"
	for p in "$@"; do
		[ -s "$W/$name.cfg" ] && echo next >>"$W/$name.cfg"
		printf 'insecure\nsilent\nurl = "%s"\ncookie = "%s"\noutput = "/dev/null"\n' \
			"$BASE$p" "$W/jar" >>"$W/$name.cfg"
	done
	: >"$W/access.log"
	local c0; c0=$(cpu)
	curl -sk --config "$W/$name.cfg"
	sleep 0.2
	echo "$(( $(cpu) - c0 ))" >"$W/$name.cpu"
	awk '/ "\/ui\/api\// && $5 != 200 { bad++ } END { if (bad) { print "'"$name"': " bad " not 200"; exit 1 } }' "$W/access.log"
	awk '/ "\/ui\/api\// { sub("us", "", $7); print $7 / 1000 }' "$W/access.log" | sort -n >"$W/$name.ms"
	[ -s "$W/$name.ms" ] || { echo "$name: no request logged" >&2; exit 1; }
}
pct() { awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; printf "%.2f", v[i] }' "$1"; }
rep() { local i; for i in $(seq 1 "$REQS"); do echo "$1"; done; }
enc() { jq -rn --arg v "$1" '$v|@uri'; }

shuf -n "$REQS" --random-source=<(yes) <(awk '$1 == "ipv4" || $1 == "domain" { print $2 }' "$W/plant.txt") >"$W/values" || true
[ -s "$W/values" ] || grep -m "$REQS" -E '^[0-9.]+$' "$W/literals.txt" >"$W/values"
"$CYBERCELL" find --type indicator --limit 100000 --json | jq -r .id | shuf -n "$REQS" --random-source=<(yes) >"$W/ids"
"$CYBERCELL" find --type attack-pattern --json | jq -r .id | awk -v n="$REQS" 'NR <= n' >"$W/aps"

declare -A label
label[s_group]="search \"$GROUP\" (any: external id, alias, name, value)"
run s_group $(rep "/ui/api/search?q=$(enc "$GROUP")")
label[s_tech]="search \"$TECH\" (any)"
run s_tech $(rep "/ui/api/search?q=$TECH")
label[s_alias]="search alias \"$ALIAS\""
run s_alias $(rep "/ui/api/search?by=alias&q=$(enc "$ALIAS")")
label[s_value]="search an observed value, a different indicator's each time (any)"
run s_value $(while read -r v; do echo "/ui/api/search?q=$(enc "$v")"; done <"$W/values")
label[s_type]="search type indicator, first page of 50"
run s_type $(rep "/ui/api/search?type=indicator")
next=$(curl -sk -b "$W/jar" "$BASE/ui/api/search?type=indicator&limit=200" | jq -r .next)
label[s_page]="search type indicator, a page after 200 rows (before=cursor)"
run s_page $(rep "/ui/api/search?type=indicator&before=$next")
label[s_name]="search a name's part (by name, \"bench 77777\": the trigram index)"
run s_name $(rep "/ui/api/search?by=name&q=bench%2077777")
label[s_name2]="search a name's part, a different ATT&CK name's middle each time (by name)"
run s_name2 $("$CYBERCELL" find --type attack-pattern --json | jq -r '.name' | awk -v n="$REQS" 'length($0) >= 9 && NR <= n { print substr($0, 3, 6) }' |
	while read -r v; do echo "/ui/api/search?by=name&q=$(enc "$v")"; done)
label[o_ind]="object page, a different indicator each time"
run o_ind $(sed 's|^|/ui/api/object?id=|' "$W/ids")
label[o_ap]="object page, a different attack-pattern each time (relationships both ways)"
run o_ap $(sed 's|^|/ui/api/object?id=|' "$W/aps")
label[o_group]="object page of $GROUP (its relationships both ways)"
run o_group $(rep "/ui/api/object?id=$GID" | awk 'NR <= 50')
label[a_group]="adversary API of $GROUP (matrix of every technique, graph)"
run a_group $(rep "/ui/api/adversary?id=$GID" | awk 'NR <= 50')
label[w_seen]="who else saw this, a different indicator each time (sightings API)"
run w_seen $(sed 's|^|/ui/api/sightings?indicator=|' "$W/ids" | awk 'NR <= 10')

PROFILE=$W/profile BASE=$BASE UI_USER=analyst UI_PASS=bench-ui-password GROUP_ID=$GID RUNS=7 \
	node bench/ui_render.mjs >"$W/render.ms"
sort -n "$W/render.ms" -o "$W/render.sorted"
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo "## Web interface (\`/ui/\` of \`cybercell serve\`)"
	echo
	echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared with other engineers' builds."
	echo "Command: \`bench/bench_ui.sh\` — store: $DATA and $N indicators (bench/gen_indicators.c;"
	echo "import of the indicators ${IMPORT_S} s): $OBJS. Server \`--threads 2\`, a member"
	echo "at TLP:AMBER on the collection, requests one at a time over one kept-alive HTTPS"
	echo "connection. **Server time** is the access log's duration of each request (headers in"
	echo "to answer queued, TLS aside), in ms. Load average at start: $LOAD0; at the end: $LOAD1"
	echo "(a 2-core machine: above 2, other work was competing for it, and waits count in the"
	echo "server time). **CPU ms/request** is the server process's CPU time over the run divided"
	echo "by its requests (TLS included; clock ticks of 10 ms): what a request costs whatever else runs."
	echo
	echo "| request | n | p50 ms | p99 ms | max ms | CPU ms/request | goal |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
	for k in s_group s_tech s_alias s_value s_type s_page s_name s_name2 o_ind o_ap o_group a_group w_seen; do
		goal="p50, p99 < 50 ms"
		case $k in a_group) goal="(part of the page below)" ;;
		w_seen) goal="none: an_who_saw (issue 16) reads every sighting, observed-data and SCO the member may read; the object page shows it when it comes" ;; esac
		n=$(wc -l <"$W/$k.ms")
		echo "| ${label[$k]} | $n | $(pct "$W/$k.ms" 50) | $(pct "$W/$k.ms" 99) | $(tail -1 "$W/$k.ms") | $(awk -v c="$(cat "$W/$k.cpu")" -v n="$n" 'BEGIN { printf "%.1f", c / n }') | $goal |"
	done
	echo
	echo "Adversary page of $GROUP in Debian's chromium $(chromium --version 2>/dev/null | awk '{print $2}') (headless, puppeteer-core),"
	echo "from the request to the matrix drawn (the page's own measure, the API call included),"
	echo "7 loads: median **$(pct "$W/render.sorted" 50) ms**, slowest $(tail -1 "$W/render.sorted") ms (goal < 500 ms)."
} >bench/results/ui.md
cat bench/results/ui.md
