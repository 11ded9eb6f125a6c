#!/usr/bin/env bash
# Federation benchmark: N objects (default 1,000,000, bench/gen_stix.py)
# from hub A to hub B on loopback, both on this machine: A serves them
# (`serve --threads 2`, TLS 1.3), B pulls them with `cybercell sync` (pages
# of 10,000, each stored with its cursor in one transaction); then an
# incremental pass with nothing new; then, in the same run, the way the
# issue says hubs share today: a hand-written curl/jq paging loop (curl
# GETs each page with `next`, jq takes its objects, `cybercell import`
# stores them into a third hub C); then B pushes PUSH objects (default
# 100,000) of its own to A.  Rates are end to end: objects over the wall
# time of the `sync` command, everything included (TLS, HTTP, JSON,
# validation, the store's durable commits on B, A's reads).  Beside each
# wall time: the CPU seconds of the command and of hub A's server during it.
#   bench/bench_sync.sh     (env: CYBERCELL, N=1000000, PUSH=100000)
# Writes bench/results/sync.md.  Everything listens on 127.0.0.1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CYBERCELL=${CYBERCELL:-$root/build/cybercell}
N=${N:-1000000}
PUSH=${PUSH:-100000}
FILES=10
W=$root/bench/work/sync
PY=/usr/bin/python3
mkdir -p "$W" bench/results
SPID=
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
fresh() { rm -f "$W/$1" "$W/$1-wal" "$W/$1-shm" "$W/$1".tls-*; }
# server_ticks: user+sys clock ticks hub A's server has used so far
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SPID/stat"; }
# timeit NAME CMD...: wall, user+sys CPU seconds of CMD and CPU seconds of
# hub A's server meanwhile into $W/NAME.t, output in $W/NAME.out
timeit() {
	local name=$1 t0; shift
	sync
	t0=$(server_ticks)
	/usr/bin/time -f '%e %U %S' -o "$W/$name.time" "$@" >"$W/$name.out"
	awk -v a="$(( $(server_ticks) - t0 ))" -v hz="$(getconf CLK_TCK)" \
		'{ printf "%.2f %.2f %.2f\n", $1, $2 + $3, a / hz }' "$W/$name.time" >"$W/$name.t"
}
wall() { cut -d' ' -f1 "$W/$1.t"; }
cpu() { cut -d' ' -f2 "$W/$1.t"; }
acpu() { cut -d' ' -f3 "$W/$1.t"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
a() { "$CYBERCELL" --db "$W/a.db" "$@"; }
b() { "$CYBERCELL" --db "$W/b.db" "$@"; }

if [ "$(cat "$W/synth/count" 2>/dev/null)" != "$N $FILES" ]; then
	echo "generating $N objects"
	rm -rf "$W/synth"
	$PY bench/gen_stix.py -n "$N" -f "$FILES" "$W/synth"
	echo "$N $FILES" >"$W/synth/count"
	$PY bench/gen_stix.py -n "$PUSH" -f 1 -s 7 "$W/push"
fi
[ -d "$W/push" ] || $PY bench/gen_stix.py -n "$PUSH" -f 1 -s 7 "$W/push"
fresh a.db
fresh b.db
echo "hub A: importing $N objects"
a import "$W"/synth/synth-*.json >/dev/null
a peer add b --url https://127.0.0.1:1/taxii2/ >/dev/null
echo 'bench-sync-password' | a user add b-sync --org b --password-stdin >/dev/null
a grant b default read-write --max-tlp amber >/dev/null
"$CYBERCELL" --db "$W/a.db" serve --listen 127.0.0.1:0 --threads 2 >"$W/a.out" 2>/dev/null &
SPID=$!
for _ in $(seq 1 200); do grep -q '^listening on ' "$W/a.out" && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' "$W/a.out")
PIN=$(sed -n 's/^public key pin //p' "$W/a.out")
COLL=$(a collection list | awk '$2 == "default" { print $1 }')
echo 'bench-sync-password' | b peer add a --url "$URL" --user b-sync --password-stdin --pin "$PIN" >/dev/null
b peer link a --pull "$COLL" --into default >/dev/null
b collection add outbound >/dev/null
b peer link a --push outbound --to "$COLL" >/dev/null

# the import's gigabyte of writes reaches the disk before the pull is timed
# (the kernel's writeback of it would otherwise run during the pull)
/usr/bin/sync
sleep 5
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "hub B: sync (pull of $N)"
timeit pull "$CYBERCELL" --db "$W/b.db" sync --json
PULLED=$(jq -r 'select(.direction == "pull") | .new' "$W/pull.out")
REQS=$(jq -r 'select(.direction == "pull") | .requests' "$W/pull.out")
STORED=$(b stats --json | jq -r '.collections.default | [.[].versions] | add')
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "hub B: a pass with nothing new"
timeit idle "$CYBERCELL" --db "$W/b.db" sync --json
IDLE_REQ=$(jq -s 'map(.requests) | add' "$W/idle.out")

# The peer: a curl/jq paging loop into hub C (what the issue says is the
# only way today; MISP and OpenCTI are not on this machine).
fresh c.db
"$CYBERCELL" --db "$W/c.db" init >/dev/null 2>&1 || true
cat >"$W/loop.sh" <<'LOOP'
set -euo pipefail
# curl_loop URL PIN COLL DB: page through COLL with next, import each page
api=$(curl -sfk --pinnedpubkey "$2" -u b-sync:bench-sync-password \
	-H 'Accept: application/taxii+json;version=2.1' "$1" | jq -r '.default // .api_roots[0]')
case "$api" in http*) ;; *) api="${1%/taxii2/}$api" ;; esac
next= n=0 pages=0
while :; do
	curl -sfk --pinnedpubkey "$2" -u b-sync:bench-sync-password \
		-H 'Accept: application/taxii+json;version=2.1' \
		"${api}collections/$3/objects/?limit=10000&match%5Bversion%5D=all${next:+&next=$next}" \
		>"$5/page.json"
	jq '.objects // []' "$5/page.json" >"$5/objects.json"
	k=$(jq length "$5/objects.json")
	[ "$k" -gt 0 ] && "$CYBERCELL" --db "$4" import "$5/objects.json" >/dev/null
	n=$((n + k)) pages=$((pages + 1))
	[ "$(jq -r '.more // false' "$5/page.json")" = true ] || break
	next=$(jq -r '.next // empty' "$5/page.json")
	[ -n "$next" ] || { echo "more but no next" >&2; exit 1; }
done
echo "$n $pages"
LOOP
echo "hub C: the curl/jq paging loop (pull of $N)"
timeit loop bash "$W/loop.sh" "$URL" "$PIN" "$COLL" "$W/c.db" "$W"
LOOPED=$(cut -d' ' -f1 "$W/loop.out")
LOOP_PAGES=$(cut -d' ' -f2 "$W/loop.out")
LOOP_STORED=$("$CYBERCELL" --db "$W/c.db" stats --json | jq -r '.collections.default | [.[].versions] | add')
b import --collection outbound "$W"/push/synth-*.json >/dev/null
echo "hub B: sync (push of $PUSH)"
LOAD2=$(cut -d' ' -f1-3 /proc/loadavg)
timeit push "$CYBERCELL" --db "$W/b.db" sync --json
PUSHED=$(jq -r 'select(.direction == "push") | .new' "$W/push.out")
PUSH_REQ=$(jq -r 'select(.direction == "push") | .requests' "$W/push.out")
LOAD3=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo "## Federation: hub to hub (\`cybercell sync\`)"
	echo
	echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), both hubs on this machine, over loopback TLS 1.3."
	echo "Command: \`N=$N PUSH=$PUSH bench/bench_sync.sh\` ($N synthetic STIX 2.1 objects from bench/gen_stix.py)."
	echo "Hub A serves (\`serve --threads 2\`); hub B runs \`cybercell sync\` (pages of 10,000 objects: fetched, validated"
	echo "and stored in a pipeline, each page stored with its cursor in a durable transaction that pages arriving together share,"
	echo "up to 200,000 objects or 2 s); B pushes in envelopes of up to 50,000 objects and A's max_content_length (16 MiB)."
	echo "Load average (1, 5, 15 min) before the pull: $LOAD0; after it: $LOAD1; before and after the push: $LOAD2 / $LOAD3."
	echo "The machine is shared with other engineers' builds and tests: a load average above 2 on 2 cores means"
	echo "the run did not have the machine to itself, and its times are longer than on a quiet one."
	echo
	echo "| what | objects | wall s | CPU s of the command (user+sys) | CPU s of hub A's server | objects/s (wall) | goal |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
	echo "| pull A → B, end to end ($REQS requests) | $PULLED | $(wall pull) | $(cpu pull) | $(acpu pull) | **$(rate "$PULLED" "$(wall pull)")** | ≥ 50,000/s |"
	echo "| peer: curl/jq paging loop + \`import\` into hub C, same run ($LOOP_PAGES pages) | $LOOPED | $(wall loop) | $(cpu loop) | $(acpu loop) | $(rate "$LOOPED" "$(wall loop)") | |"
	echo "| incremental pass, nothing new ($IDLE_REQ request per link) | 0 | $(wall idle) | $(cpu idle) | $(acpu idle) | | one request per link |"
	echo "| push B → A, end to end ($PUSH_REQ requests, each status followed) | $PUSHED | $(wall push) | $(cpu push) | $(acpu push) | $(rate "$PUSHED" "$(wall push)") | |"
	echo
	echo "Both processes share the 2 cores: with A using X and B using Y CPU seconds for the pull, no schedule"
	echo "finishes it in less than (X + Y) / 2 = $(awk -v x="$(acpu pull)" -v y="$(cpu pull)" 'BEGIN { printf "%.1f", (x + y) / 2 }') s here"
	echo "($(rate "$PULLED" "$(awk -v x="$(acpu pull)" -v y="$(cpu pull)" 'BEGIN { print (x + y) / 2 }')") objects/s), nor in less than the busiest single thread's CPU time (B's storing thread);"
	echo "this run's two processes had $(awk -v x="$(acpu pull)" -v y="$(cpu pull)" -v w="$(wall pull)" 'BEGIN { printf "%.2f", (x + y) / w }') of the 2 cores on average."
	echo
	echo "Where the time goes (measured apart from this run, 2026-12-07 at load 0-2: perf per thread of pulls of the same million,"
	echo "callgrind of a pull of 100,000): of B's ~25 CPU s for the pull, its storing thread used ~15 s, the thread that fetches"
	echo "(TLS, HTTP, jansson's parse: ~53,000 of the ~58,000 instructions it runs an object) ~6 s, the worker (validation,"
	echo "serialising) ~3 s, the checkpointer ~1.3 s; A serves the million in ~1.8 s.  The storing thread is the critical path,"
	echo "and besides its CPU it waits: ~2.5 s in the fsyncs of its commits (each transaction of up to 2 s rewrites most pages of"
	echo "the random-key indexes, ~19,000 pages of 16 KiB, to the WAL) and 0.2-1.9 s for the checkpointer when the WAL passes"
	echo "512 MiB.  Its instructions per stored object (callgrind, before -> after schema step 11, which writes the trigram index"
	echo "of names without positions, without a trigger on every row of names and with fewer FTS5 segments): names (1.7 rows an"
	echo "object) and the trigram index of their 0.5 names 40,000 -> 31,000; the version row 20,000; entries 11,500; ids and"
	echo "relationships 10,000; provenance (received) 5,100; commits 1,900 -> 6,700 (FTS5 writes its pending data there now);"
	echo "in all 89,800 -> 80,800.  In time that is a few per cent of the storing thread, not 10 %: it mostly waits for memory"
	echo "in B-tree pages, which instruction counts do not see.  The push into A (1M objects already) costs A ~48 µs an object,"
	echo "as much as \`cybercell import\` of the same 100,000 objects into the same store"
	echo "(5.5 CPU s): each envelope is one transaction, and one of 50,000 random ids dirties nearly every page of the id and"
	echo "search indexes (~10,000 pages of 16 KiB, ~360 MB written: to the WAL, then to the database at the checkpoint)."
	echo "Envelopes of 1,000 (before) paid ~2.7 such pages per object."
	echo
	echo "B's default collection holds $STORED versions after the pull (A sent $N); C's holds $LOOP_STORED after the loop."
	echo "The loop has no cursor that survives an interruption, no retries, no provenance and no TLP ceiling:"
	echo "it is the baseline of speed only.  MISP and OpenCTI, the other systems the issue names, are not on"
	echo "this machine (neither is a Debian package, and it has no other network): they are not measured."
	echo "The command's CPU column is the timed command alone (\`sync\`, or the loop with its curl, jq and imports);"
	echo "hub A's server's is what it used meanwhile (/proc/PID/stat, user+sys)."
} >bench/results/sync.md
cat bench/results/sync.md
