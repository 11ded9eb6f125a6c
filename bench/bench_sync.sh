#!/usr/bin/env bash
# Federation benchmark: N objects (default 1,000,000, bench/gen_stix.py)
# from hub A to hub B on loopback, both on this machine: A serves them
# (`serve --threads 2`, TLS 1.3), B pulls them with `cybercell sync` (pages
# of 10,000, each stored with its cursor in one transaction), PULLS times
# into a fresh B, the median run the result; then an
# incremental pass with nothing new; then, in the same run, the way the
# issue says hubs share today: a hand-written curl/jq paging loop (curl
# GETs each page with `next`, jq takes its objects, `cybercell import`
# stores them into a third hub C); then B pushes PUSH objects (default
# 100,000) of its own to A.  Rates are end to end: objects over the wall
# time of the `sync` command, everything included (TLS, HTTP, JSON,
# validation, B's commits and the sync that makes them durable, A's reads).  Beside each
# wall time: the CPU seconds of the command and of hub A's server during it.
#   bench/bench_sync.sh     (env: CYBERCELL, N=1000000, PUSH=100000, PULLS=5)
# Writes bench/results/sync.md.  Everything listens on 127.0.0.1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CYBERCELL=${CYBERCELL:-$root/build/cybercell}
N=${N:-1000000}
PUSH=${PUSH:-100000}
PULLS=${PULLS:-5}
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
echo "hub A: importing $N objects"
a import "$W"/synth/synth-*.json >/dev/null
a peer add b --url https://127.0.0.1:1/taxii2/ >/dev/null
echo 'bench-sync-password' | a user add b-sync --org b --password-stdin >/dev/null
a grant b default read-write --max-tlp amber >/dev/null
: >"$W/a.out"	# not the last run's lines, read before the shell truncates it
"$CYBERCELL" --db "$W/a.db" serve --listen 127.0.0.1:0 --threads 2 >"$W/a.out" 2>/dev/null &
SPID=$!
for _ in $(seq 1 200); do grep -q '^listening on ' "$W/a.out" && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' "$W/a.out")
PIN=$(sed -n 's/^public key pin //p' "$W/a.out")
COLL=$(a collection list | awk '$2 == "default" { print $1 }')
# hub B, fresh: pulls from A into default, pushes outbound to A
setup_b() {
	fresh b.db
	echo 'bench-sync-password' | b peer add a --url "$URL" --user b-sync --password-stdin --pin "$PIN" >/dev/null
	b peer link a --pull "$COLL" --into default >/dev/null
	b collection add outbound >/dev/null
	b peer link a --push outbound --to "$COLL" >/dev/null
}

# The pull is timed PULLS times, each into a fresh hub B (this machine's
# speed varies by tens of per cent from minute to minute); the median run
# is the result, the others are shown beside it.  Before each, the writes
# of what came before (A's import of a gigabyte, the last run's B) reach
# the disk: the kernel's writeback of them would otherwise run during it.
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$PULLS"); do
	setup_b
	/usr/bin/sync
	sleep 5
	echo "hub B: sync (pull of $N, run $r of $PULLS)"
	timeit "pull$r" "$CYBERCELL" --db "$W/b.db" sync --json
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
MEDIAN=$(for r in $(seq 1 "$PULLS"); do echo "$(wall "pull$r") $r"; done | sort -n |
	awk '{ v[NR] = $2 } END { print v[int((NR + 1) / 2)] }')
for f in t out; do cp "$W/pull$MEDIAN.$f" "$W/pull.$f"; done
PULLED=$(jq -r 'select(.direction == "pull") | .new' "$W/pull.out")
REQS=$(jq -r 'select(.direction == "pull") | .requests' "$W/pull.out")
STORED=$(b stats --json | jq -r '.collections.default | [.[].versions] | add')
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
	echo "and stored in a pipeline, each page stored with its cursor in one transaction that pages share, up to 100,000 objects"
	echo "or 2 s, committed when no page has come for 0.25 s; the pull's commits are made durable together, by one sync of the"
	echo "WAL, before \`sync\` reports); B pushes in envelopes of up to 50,000 objects and A's max_content_length (16 MiB)."
	echo "Load average (1, 5, 15 min) before the pull: $LOAD0; after it: $LOAD1; before and after the push: $LOAD2 / $LOAD3."
	echo "The machine is shared with other engineers' builds and tests: a load average above 2 on 2 cores means"
	echo "the run did not have the machine to itself, and its times are longer than on a quiet one."
	echo
	echo "| what | objects | wall s | CPU s of the command (user+sys) | CPU s of hub A's server | objects/s (wall) | goal |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
	echo "| pull A → B, end to end ($REQS requests), the median of $PULLS runs | $PULLED | $(wall pull) | $(cpu pull) | $(acpu pull) | **$(rate "$PULLED" "$(wall pull)")** | ≥ 50,000/s |"
	for r in $(seq 1 "$PULLS"); do
		p=$(jq -r 'select(.direction == "pull") | .new' "$W/pull$r.out")
		echo "| pull, run $r of $PULLS | $p | $(wall "pull$r") | $(cpu "pull$r") | $(acpu "pull$r") | $(rate "$p" "$(wall "pull$r")") | |"
	done
	echo "| peer: curl/jq paging loop + \`import\` into hub C, same run ($LOOP_PAGES pages) | $LOOPED | $(wall loop) | $(cpu loop) | $(acpu loop) | $(rate "$LOOPED" "$(wall loop)") | |"
	echo "| incremental pass, nothing new ($IDLE_REQ request per link) | 0 | $(wall idle) | $(cpu idle) | $(acpu idle) | | one request per link |"
	echo "| push B → A, end to end ($PUSH_REQ requests, each status followed) | $PUSHED | $(wall push) | $(cpu push) | $(acpu push) | $(rate "$PUSHED" "$(wall push)") | |"
	echo
	echo "Both processes share the 2 cores: with A using X and B using Y CPU seconds for the pull, no schedule"
	echo "finishes it in less than (X + Y) / 2 = $(awk -v x="$(acpu pull)" -v y="$(cpu pull)" 'BEGIN { printf "%.1f", (x + y) / 2 }') s here"
	echo "($(rate "$PULLED" "$(awk -v x="$(acpu pull)" -v y="$(cpu pull)" 'BEGIN { print (x + y) / 2 }')") objects/s), nor in less than the busiest single thread's CPU time (B's storing thread);"
	echo "this run's two processes had $(awk -v x="$(acpu pull)" -v y="$(cpu pull)" -v w="$(wall pull)" 'BEGIN { printf "%.2f", (x + y) / w }') of the 2 cores on average."
	echo
	echo "Where the time goes (measured apart from this run, 2026-12-07 at load 1-2: a build that times B's storing thread,"
	echo "pulls of 1.1M objects alternated between the old and the new way of committing; callgrind of a pull of 100,000)."
	echo "B runs three threads besides the checkpointer: one fetches and parses the pages (~58,000 instructions an object, of"
	echo "which jansson's parse ~53,000), one validates and serialises (~30,000), one stores (~81,000: names and their trigram"
	echo "index 26,000, the version row 20,000, entries 11,500, provenance 5,000, ids, relationships and commits the rest);"
	echo "A serves the million in ~1.8 CPU s.  With A's server, B's checkpointer and the kernel's writeback, the pull keeps"
	echo "both cores busy: B's storing thread is the critical path, and the fetching thread a near second.  Committing,"
	echo "in three pairs of pulls of 1.1M: before (each transaction durable at once, and committed as soon as no page was"
	echo "ready), 21-27 commits wrote 147,000-171,000 pages of 16 KiB to the WAL (each commit rewrites most pages of the"
	echo "random-key indexes) and took the storing thread 13.5-13.9 s, 6.0-6.8 s of it in SQLite's COMMIT (mostly its"
	echo "fsync); now (commits that do not wait for the disk, made durable by one sync of the WAL when the pull ends, and a"
	echo "transaction kept open up to 0.25 s for the next page, up to 100,000 objects), 11 commits, 101,000 pages, 7.3-9.9 s,"
	echo "2.2-2.7 s of it in COMMIT; the storing thread then waits 1.4-1.5 s for pages.  The pulls: 25.3, 25.0, 22.3 s"
	echo "before against 24.8, 18.9, 19.0 s now, each pair run back to back (the machine's speed drifts by tens of per cent)."
	echo "The push into A (1M objects already) costs A ~48 µs an object,"
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
