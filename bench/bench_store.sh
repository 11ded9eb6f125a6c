#!/usr/bin/env bash
# Store benchmark: import of ATT&CK Enterprise (gz, STIX 2.0 upgrade, validation,
# store), import of N synthetic STIX 2.1 objects (bench/gen_stix.py), get by id
# in-process (bench/bench_get.c against libcybercell.a), a TAXII-style page of
# 100, and export; jq and python3 json.load over the same files as the
# parse-only floor.
#   bench/bench_store.sh      (env: CYBERCELL, N=1000000, FILES=10, GETS=1000000)
# Writes bench/results/store.md.  Wall time is what counts; CPU time (user+sys)
# is shown too because the machine may be shared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CYBERCELL=${CYBERCELL:-$root/build/cybercell}
CC_SHARED=${CC_SHARED:-$root/../shared}
N=${N:-1000000}
FILES=${FILES:-10}
GETS=${GETS:-1000000}
W=$root/bench/work/store
ENT=$CC_SHARED/data/attack/enterprise-attack-v18.1-stix2.0.json.gz
mkdir -p "$W" bench/results
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# timeit NAME CMD...: run once, record "wall cpu" in $W/NAME.t.  Writes of the
# step before are flushed first, so that no run pays for another's writeback.
timeit() {
	local name=$1; shift
	sync
	/usr/bin/time -f '%e %U %S' -o "$W/$name.time" "$@" > "$W/$name.out"
	awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$W/$name.time" > "$W/$name.t"
}
wall() { cut -d' ' -f1 "$W/$1.t"; }
cpu() { cut -d' ' -f2 "$W/$1.t"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
fresh() { rm -f "$W/$1" "$W/$1-wal" "$W/$1-shm"; }

# ---- ATT&CK Enterprise ------------------------------------------------------
echo "ATT&CK Enterprise import"
zcat "$ENT" > "$W/enterprise.json"
best=
for i in 1 2 3; do   # best of three
	fresh ent.db
	timeit "ent$i" "$CYBERCELL" --db "$W/ent.db" import "$ENT"
	if [ -z "$best" ] || awk -v a="$(wall "ent$i")" -v b="$(wall "$best")" 'BEGIN { exit !(a < b) }'; then best=ent$i; fi
done
cp "$W/$best.t" "$W/ent.t"
ENT_N=$("$CYBERCELL" --db "$W/ent.db" stats --json | jq .objects)
timeit ent-jq jq length "$W/enterprise.json"
timeit ent-py "$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["objects"]))' "$W/enterprise.json"
timeit ent-zjq sh -c "zcat '$ENT' | jq length"

# ---- synthetic objects --------------------------------------------------------
if [ "$(cat "$W/synth/count" 2>/dev/null)" != "$N $FILES" ]; then
	echo "generating $N synthetic objects"
	rm -rf "$W/synth"
	"$PY" bench/gen_stix.py -n "$N" -f "$FILES" "$W/synth"
	echo "$N $FILES" > "$W/synth/count"
fi
SYN_MB=$(du -cm "$W"/synth/synth-*.json | tail -1 | cut -f1)
echo "synthetic import"
cat "$W"/synth/synth-*.json > /dev/null     # inputs in the page cache, for every run and peer
SYN_RUNS=
for i in 1 2 3; do   # best of three, each into a new store
	fresh syn.db
	timeit "syn$i" "$CYBERCELL" --db "$W/syn.db" import "$W"/synth/synth-*.json
	SYN_RUNS="$SYN_RUNS${SYN_RUNS:+, }$(wall "syn$i") s"
	if [ "$i" = 1 ] || awk -v a="$(wall "syn$i")" -v b="$(wall syn-import)" 'BEGIN { exit !(a < b) }'; then
		cp "$W/syn$i.t" "$W/syn-import.t"
	fi
done
SYN_N=$("$CYBERCELL" --db "$W/syn.db" stats --json | jq .objects)
timeit syn-jq sh -c "for f in '$W'/synth/synth-*.json; do jq length \"\$f\"; done"
timeit syn-py "$PY" -c 'import json,sys
for f in sys.argv[1:]: json.load(open(f))' "$W"/synth/synth-*.json

echo "export"
timeit syn-export "$CYBERCELL" --db "$W/syn.db" export --all-versions -o "$W/export.json"
EXP_N=$(jq '.objects | length' "$W/export.json")
timeit syn-jqc sh -c "jq -c . '$W/export.json' > '$W/export-jq.json'"
timeit ent-export "$CYBERCELL" --db "$W/ent.db" export -o "$W/ent-export.json"

echo "get and page (in-process)"
lib=$(dirname "$CYBERCELL")/libcybercell.a
cc -std=c11 -O2 -D_GNU_SOURCE -Isrc -o "$W/bench_get" bench/bench_get.c "$lib" \
	$(pkg-config --libs jansson sqlite3 libmicrohttpd gnutls libcurl libsodium libhs libpcre2-8 yaml-0.1 zlib icu-uc jemalloc) -lpthread -lm
"$W/bench_get" get "$W/syn.db" "$GETS" > "$W/get.res"
"$W/bench_get" page "$W/syn.db" 20000 > "$W/page.res"
GET_WALL=$(awk '{ print $3 }' "$W/get.res"); GET_CPU=$(awk '{ print $6 }' "$W/get.res")
PAGE_WALL=$(awk '{ print $3 }' "$W/page.res"); PAGE_CPU=$(awk '{ print $6 }' "$W/page.res")

# ---- results ------------------------------------------------------------------------
{
	echo "## Store (import, get, export)"
	echo
	echo "Run: $(date -u +%Y-%m-%dT%H:%MZ), \`bench/bench_store.sh\` (N=$N in $FILES bundles, ${SYN_MB} MB; GETS=$GETS)."
	echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work may share the machine: CPU = user+sys)."
	echo
	echo "| what | count | wall s | CPU s | per second (wall) | per CPU second | target | peer (same run) | ratio to peer (wall) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	echo "| import ATT&CK Enterprise .gz (gunzip, parse, 2.0→2.1, validate, store; best of 3) | $ENT_N | $(wall ent) | $(cpu ent) | $(rate "$ENT_N" "$(wall ent)") | $(rate "$ENT_N" "$(cpu ent)") | ≤ 1 s | \`jq length\` on the unzipped file: $(wall ent-jq) s; python3 json.load: $(wall ent-py) s; \`zcat \| jq length\`: $(wall ent-zjq) s | $(ratio "$(wall ent)" "$(wall ent-jq)")× jq, $(ratio "$(wall ent)" "$(wall ent-py)")× python |"
	echo "| import synthetic STIX 2.1 (parse, validate, store; best of 3: $SYN_RUNS) | $SYN_N | $(wall syn-import) | $(cpu syn-import) | $(rate "$SYN_N" "$(wall syn-import)") | $(rate "$SYN_N" "$(cpu syn-import)") | ≥ 100,000/s | \`jq length\`: $(wall syn-jq) s ($(rate "$SYN_N" "$(wall syn-jq)")/s); python3 json.load: $(wall syn-py) s ($(rate "$SYN_N" "$(wall syn-py)")/s) | $(ratio "$(wall syn-import)" "$(wall syn-jq)")× jq, $(ratio "$(wall syn-import)" "$(wall syn-py)")× python |"
	echo "| get by id, in-process (\`store_get\`, latest version, random ids) | $GETS | $GET_WALL | $GET_CPU | $(rate "$GETS" "$GET_WALL") | $(rate "$GETS" "$GET_CPU") | ≥ 100,000/s | | |"
	echo "| TAXII-style page of 100 (\`store_query_run\`, latest, random added_after) | 20000 pages | $PAGE_WALL | $PAGE_CPU | $(rate 20000 "$PAGE_WALL") pages | $(rate 20000 "$PAGE_CPU") pages | thousands/s | | |"
	echo "| export --all-versions -o (synthetic) | $EXP_N | $(wall syn-export) | $(cpu syn-export) | $(rate "$EXP_N" "$(wall syn-export)") | $(rate "$EXP_N" "$(cpu syn-export)") | ≥ 200,000/s | \`jq -c .\` of the exported bundle: $(wall syn-jqc) s | $(ratio "$(wall syn-export)" "$(wall syn-jqc)")× jq |"
	echo "| export ATT&CK Enterprise (latest) | $ENT_N | $(wall ent-export) | $(cpu ent-export) | $(rate "$ENT_N" "$(wall ent-export)") | $(rate "$ENT_N" "$(cpu ent-export)") | | | |"
	echo
	echo "Ratio = cybercell's wall time / the peer's (below 1: cybercell is faster than the peer only parsing)."
	echo "Import runs worker threads (parse, upgrade, validate) beside the thread that stores, so its"
	echo "CPU time can exceed its wall time; \"per CPU second\" is the rate one core would reach alone."
	echo "Every timed step starts after \`sync\`, so none pays for the disk writeback of the step before;"
	echo "the synthetic files are read once before, so every run and peer finds them in the page cache."
} > bench/results/store.md
cat bench/results/store.md
