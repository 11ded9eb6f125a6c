#!/usr/bin/env bash
# bench_match.sh — cybercell match at scale, with grep -F -f beside it.
#   1,000,000 indicators (bench/gen_indicators.c): load+compile time, memory;
#   a >= 1 GB Zeek conn+dns TSV log and an EVE JSON log (bench/gen_logs.c,
#   shaped like ../shared/data/logs, planted hits): scan MB/s on one core,
#   --threads 2, and `grep -F -f` with the same literal values on the same
#   files; the exact-lookup rate alone (bench/bench_lookup.c).
# With warning lists and scores on (the built-in lists, MISP's 62,745
# public resolvers when ../shared has them, --min-score 0 so that every
# indicator is scored and kept), beside CYBERCELL_BASE (an older binary,
# e.g. built from main) on the same files in the same run; and --follow
# reading the TSV from a pipe.
# Writes bench/results/match.md.  Big files live in bench/work/ and are
# deleted at the end.   Env: CYBERCELL (binary), CYBERCELL_BASE (the binary
# to compare with; none: that part is left out), CYBERCELL_BASE_NOTE (what
# that binary is, for the table), MATCH_ROUNDS (3), MATCH_GB (TSV size, 1.1),
# MATCH_EVE_MB (EVE size, 600), MATCH_N (indicators, 1000000), CC_SHARED
# (the outside test data, ../shared).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${CYBERCELL:=$root/build/cybercell}"
N=${MATCH_N:-1000000}
base_note=${CYBERCELL_BASE_NOTE:+: $CYBERCELL_BASE_NOTE}
GB=${MATCH_GB:-1.1}
EVE_MB=${MATCH_EVE_MB:-600}
W=bench/work/match
mkdir -p "$W" bench/results
trap 'rm -rf "$W"' EXIT
libs=$(pkg-config --libs jansson sqlite3 libmicrohttpd gnutls libcurl libsodium libhs libpcre2-8 yaml-0.1 zlib icu-uc jemalloc)
lib="$(dirname "$CYBERCELL")/libcybercell.a"

cc -O2 -Wall -Wextra -o "$W/gen_indicators" bench/gen_indicators.c || exit 1
cc -O2 -Wall -Wextra -o "$W/gen_logs" bench/gen_logs.c || exit 1
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Isrc $(pkg-config --cflags jansson) bench/bench_lookup.c \
	"$lib" -o "$W/bench_lookup" $libs -lpthread -lm || exit 1

echo "generating $N indicators and the logs"
"$W/gen_indicators" "$N" "$W/ind.json" "$W/plant.txt" "$W/literals.txt"
conn_mb=$(awk -v g="$GB" 'BEGIN { printf "%d", g * 1024 * 0.55 }')
dns_mb=$(awk -v g="$GB" 'BEGIN { printf "%d", g * 1024 * 0.45 }')
"$W/gen_logs" conn "$conn_mb" "$W/plant.txt" 20000 "$W/conn.log"
"$W/gen_logs" dns "$dns_mb" "$W/plant.txt" 20000 "$W/dns.log"
"$W/gen_logs" eve "$EVE_MB" "$W/plant.txt" 20000 "$W/eve.json"
: > "$W/empty.log"
tsv_bytes=$(( $(stat -c %s "$W/conn.log") + $(stat -c %s "$W/dns.log") ))
eve_bytes=$(stat -c %s "$W/eve.json")
cat "$W/conn.log" "$W/dns.log" "$W/eve.json" > /dev/null   # page cache

# run LABEL CMD...: wall and user seconds of CMD into $LABEL_wall/$LABEL_user
run() {
	local label=$1; shift
	/usr/bin/time -f "%e %U %M %S" -o "$W/time" "$@" > "$W/out.$label" 2> "$W/err.$label"
	read -r w u m s < <(tail -1 "$W/time")
	eval "${label}_wall=$w ${label}_user=$u ${label}_rss=$m ${label}_cpus=$(awk -v w="$w" -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", (w > 0 ? (u + s) / w : 0) }')"
}
stat_of() { # stat_of LABEL KEY
	sed -n "s/.*[ :]$2=\([0-9.]*\).*/\1/p" "$W/err.$1" | tail -1
}
# bytes over the CPU seconds of LABEL's scan (--stats scan_cpu_s: user and
# system CPU from the end of compiling to the last hit, every thread)
cpu_mbps() { mbps "$1" "$(stat_of "$2" scan_cpu_s)"; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", b / s / 1e6; else print "-" }'; }

echo "compile (best of 3, like the other benches)"
compile_best=
for _ in 1 2 3; do
	run compile "$CYBERCELL" match --stats --indicators "$W/ind.json" "$W/empty.log"
	t=$(stat_of compile load_compile_s)
	if [ -z "$compile_best" ] || awk -v a="$t" -v b="$compile_best" 'BEGIN { exit !(a < b) }'; then
		compile_best=$t best_user=$compile_user best_rss=$compile_rss
	fi
done
compile_user=$best_user compile_rss=$best_rss
"$W/bench_lookup" "$W/ind.json" "$W/plant.txt" 5000000 > "$W/lookup.txt"
lk() { sed -n "s/^$1=//p" "$W/lookup.txt"; }

echo "scan zeek tsv, 1 thread"
run tsv1 "$CYBERCELL" match --stats --json --indicators "$W/ind.json" "$W/conn.log" "$W/dns.log"
echo "scan zeek tsv, 2 threads"
run tsv2 "$CYBERCELL" match --stats --json --threads 2 --indicators "$W/ind.json" "$W/conn.log" "$W/dns.log"
cmp -s "$W/out.tsv1" "$W/out.tsv2" && same_hits=yes || same_hits=NO
echo "scan eve, 1 and 2 threads"
run eve1 "$CYBERCELL" match --stats --json --indicators "$W/ind.json" "$W/eve.json"
run eve2 "$CYBERCELL" match --stats --json --threads 2 --indicators "$W/ind.json" "$W/eve.json"
# issue 16: warning lists and scores on; the binary before; --follow on a pipe
WL=${CC_SHARED:-$root/../shared}/data/warninglists/public-dns-v4/list.json
wl_args=(--min-score 0)
[ -f "$WL" ] && wl_args+=(--warninglist "$WL")
# Per-core rates on a shared machine: ROUNDS rounds, each running the
# binary before, now with the defaults and now with lists and scores on, in
# turn (compile alone, TSV, EVE); each keeps its run of least CPU (others'
# work on the cores only adds to it): the scan's CPU seconds for a scan,
# the command's user CPU for a compile.
# runmin LABEL CMD...: run CMD as run does; keep it as LABEL if its CPU is
# the least so far
runmin() {
	local label=$1 k; shift
	run _try "$@"
	case $label in
	*compile) _try_key=$_try_user ;;
	*) _try_key=$(stat_of _try scan_cpu_s) ;;
	esac
	k=${label}_key
	if [ -z "${!k:-}" ] || awk -v a="$_try_key" -v b="${!k}" 'BEGIN { exit !(a < b) }'; then
		eval "${label}_key=$_try_key"
		eval "${label}_wall=$_try_wall ${label}_user=$_try_user ${label}_rss=$_try_rss ${label}_cpus=$_try_cpus"
		cp "$W/err._try" "$W/err.$label"; cp "$W/out._try" "$W/out.$label"
	fi
}
ROUNDS=${MATCH_ROUNDS:-3}
kinds=(n l); [ -n "${CYBERCELL_BASE:-}" ] && kinds=(b n l)
for r in $(seq "$ROUNDS"); do
	echo "per-core round $r of $ROUNDS: ${kinds[*]}"
	for k in "${kinds[@]}"; do
		case $k in
		b) cmd=("$CYBERCELL_BASE" match --stats --json) ;;
		n) cmd=("$CYBERCELL" match --stats --json) ;;
		l) cmd=("$CYBERCELL" match --stats --json "${wl_args[@]}") ;;
		esac
		runmin "${k}compile" "${cmd[@]}" --indicators "$W/ind.json" "$W/empty.log"
		runmin "${k}tsv" "${cmd[@]}" --indicators "$W/ind.json" "$W/conn.log" "$W/dns.log"
		runmin "${k}eve" "${cmd[@]}" --indicators "$W/ind.json" "$W/eve.json"
	done
done
echo "--follow, the TSV through a pipe"
run follow sh -c "cat '$W/conn.log' '$W/dns.log' | '$CYBERCELL' match --follow --stats --json --indicators '$W/ind.json' -"

echo "grep -F -f (same literals, same files)"
GT=${MATCH_GREP_TIMEOUT:-300}
run grep_tsv timeout "$GT" grep -F -c -f "$W/literals.txt" "$W/conn.log" "$W/dns.log"
run grep_eve timeout "$GT" grep -F -c -f "$W/literals.txt" "$W/eve.json"
# grep's own set-up cost: the same patterns on an empty file
run grep_empty grep -F -c -f "$W/literals.txt" "$W/empty.log"

tsv1_scan=$(stat_of tsv1 scan_s); tsv2_scan=$(stat_of tsv2 scan_s)
eve1_scan=$(stat_of eve1 scan_s); eve2_scan=$(stat_of eve2 scan_s)
speedup=$(awk -v a="$tsv1_scan" -v b="$tsv2_scan" 'BEGIN { printf "%.2f", a / b }')
eve_speedup=$(awk -v a="$eve1_scan" -v b="$eve2_scan" 'BEGIN { printf "%.2f", a / b }')
grep_tsv_scan=$(awk -v a="$grep_tsv_wall" -v b="$grep_empty_wall" 'BEGIN { printf "%.2f", a - b }')
grep_eve_scan=$(awk -v a="$grep_eve_wall" -v b="$grep_empty_wall" 'BEGIN { printf "%.2f", a - b }')
# a grep that hit the time limit did not finish: its rate is an upper bound
gt_note() { awk -v w="$1" -v t="$GT" 'BEGIN { if (w >= t - 1) printf " (killed at the %d s limit: at most this)", t }'; }
nlit=$(wc -l < "$W/literals.txt")

{
	echo "## match — compiled indicators over logs"
	echo
	echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Commands: \`bench/bench_match.sh\` (generators bench/gen_indicators.c, bench/gen_logs.c;"
	echo "lookup timer bench/bench_lookup.c).  Timings are wall-clock on a shared 2-core machine;"
	echo "\`scan s\` is cybercell's own timer (\`--stats\`: from the end of compiling to the last hit),"
	echo "grep's scan time is its wall time minus its time on an empty file (its pattern set-up)."
	echo
	echo "### Compile: $N indicators ($(lk exact) exact, $(lk regex) LIKE/MATCHES)"
	echo
	echo "| measure | value | goal |"
	echo "| --- | --- | --- |"
	echo "| load + compile (bundle read, 1M patterns parsed, indexes, Hyperscan) | ${compile_best} s wall (best of 3), ${compile_user} s user CPU (whole command, that run) | <= 3 s |"
	echo "| index bytes per exact indicator (tables, records, bitmaps; strings apart) | $(lk index_bytes_per_exact) B | <= 64 B + strings |"
	echo "| string bytes (ids, names, normalised keys) | $(lk string_bytes) B | |"
	echo "| RSS growth for the whole matcher, per indicator (incl. strings, Hyperscan) | $(lk rss_bytes_per_indicator) B | |"
	echo "| peak RSS of \`match\` on an empty log (includes the 300 MB bundle text while loading) | $((compile_rss / 1024)) MiB | |"
	echo
	echo "### Exact lookups alone (bench_lookup, 5,000,000 values each, 1% planted)"
	echo
	echo "| index | lookups/s | found |"
	echo "| --- | --- | --- |"
	echo "| IPv4 (exact /32 and /16../28 CIDR tables) | $(lk lookup_ipv4_per_s) | $(lk lookup_ipv4_found) |"
	echo "| MD5 (string set) | $(lk lookup_md5_per_s) | $(lk lookup_md5_found) |"
	echo "| SHA-256 (string set) | $(lk lookup_sha256_per_s) | $(lk lookup_sha256_found) |"
	echo
	echo "### Scan"
	echo
	echo "MB/s is bytes over cybercell's scan wall time; CPU MB/s is bytes over the CPU seconds"
	echo "of the scan (\`--stats\` scan_cpu_s: user and system, less sensitive to a busy machine)."
	echo
	echo "CPUs used is (user + system CPU seconds) / wall seconds of the whole command: on"
	echo "an idle machine about 1 with one thread; below that, other work took the cores."
	echo
	echo "| log | size | threads | scan s | MB/s | CPU MB/s | CPUs used | hits | goal |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	echo "| Zeek conn+dns TSV | $((tsv_bytes / 1000000)) MB | 1 | $tsv1_scan | $(mbps $tsv_bytes $tsv1_scan) | $(cpu_mbps $tsv_bytes tsv1) | $tsv1_cpus | $(stat_of tsv1 hits) | >= 300 (goal 500) |"
	echo "| Zeek conn+dns TSV | $((tsv_bytes / 1000000)) MB | 2 | $tsv2_scan | $(mbps $tsv_bytes $tsv2_scan) | | $tsv2_cpus | $(stat_of tsv2 hits) | near 2x: ${speedup}x; same hits as 1 thread: $same_hits |"
	echo "| Suricata EVE JSON | $((eve_bytes / 1000000)) MB | 1 | $eve1_scan | $(mbps $eve_bytes $eve1_scan) | $(cpu_mbps $eve_bytes eve1) | $eve1_cpus | $(stat_of eve1 hits) | >= 150 |"
	echo "| Suricata EVE JSON | $((eve_bytes / 1000000)) MB | 2 | $eve2_scan | $(mbps $eve_bytes $eve2_scan) | | $eve2_cpus | $(stat_of eve2 hits) | ${eve_speedup}x |"
	echo
	echo "### Peer: \`grep -F -c -f literals.txt\` ($nlit literal values: every exact indicator but the CIDRs), same files, same run"
	echo
	echo "| run | wall s | of which pattern set-up | scan MB/s | matching lines |"
	echo "| --- | --- | --- | --- | --- |"
	echo "| grep -F, Zeek TSV | $grep_tsv_wall$(gt_note "$grep_tsv_wall") | $grep_empty_wall | $(mbps $tsv_bytes $grep_tsv_scan) | $(awk -F: '{ s += $NF } END { print s }' "$W/out.grep_tsv") |"
	echo "| grep -F, EVE | $grep_eve_wall$(gt_note "$grep_eve_wall") | $grep_empty_wall | $(mbps $eve_bytes $grep_eve_scan) | $(awk -F: '{ s += $NF } END { print s }' "$W/out.grep_eve") |"
	echo "| cybercell match, Zeek TSV (whole command, 1 thread) | $tsv1_wall | $(stat_of tsv1 load_compile_s) | $(mbps $tsv_bytes $tsv1_scan) | $(stat_of tsv1 hits) hits |"
	echo "| cybercell match, EVE (whole command, 1 thread) | $eve1_wall | $(stat_of eve1 load_compile_s) | $(mbps $eve_bytes $eve1_scan) | $(stat_of eve1 hits) hits |"
	echo
	echo "### Warning lists and scores on, the binary before, live input (same files, same run)"
	echo
	misp=; [ -f "$WL" ] && misp=", MISP's 62,745 public resolvers (--warninglist)"
	echo "Warning lists and scores on: the built-in lists$misp"
	echo "and \`--min-score 0\` (every indicator's score computed at load, all kept). Per-core MB/s"
	echo "is bytes over the CPU seconds of the scan (\`--stats\` scan_cpu_s; the binary before was"
	echo "built with that one field added to its stats line); each of the three is run $ROUNDS times"
	echo "in turn, and each figure is from its run of least CPU (scan CPU; user CPU for compiling)."
	echo
	echo "| run | compile user s | TSV scan s | TSV MB/s | TSV MB/s per core | EVE scan s | EVE MB/s | EVE MB/s per core | per core vs before (TSV / EVE) | hits TSV / EVE |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	row() { # row TITLE KIND
		local cu=${2}compile_user vs= t e
		t=$(cpu_mbps $tsv_bytes "${2}tsv"); e=$(cpu_mbps $eve_bytes "${2}eve")
		[ -n "${CYBERCELL_BASE:-}" ] && vs=$(awk -v t="$t" -v e="$e" -v bt="$(cpu_mbps $tsv_bytes btsv)" \
			-v be="$(cpu_mbps $eve_bytes beve)" 'BEGIN { printf "%+.1f %% / %+.1f %%", (t / bt - 1) * 100, (e / be - 1) * 100 }')
		echo "| $1 | ${!cu} | $(stat_of "${2}tsv" scan_s) | $(mbps $tsv_bytes "$(stat_of "${2}tsv" scan_s)") | $t |" \
			"$(stat_of "${2}eve" scan_s) | $(mbps $eve_bytes "$(stat_of "${2}eve" scan_s)") | $e | $vs |" \
			"$(stat_of "${2}tsv" hits) / $(stat_of "${2}eve" hits) |"
	}
	[ -n "${CYBERCELL_BASE:-}" ] && row "before (\`CYBERCELL_BASE\`$base_note)" b
	row "now, defaults (built-in lists)" n
	row "now, lists and scores on" l
	echo
	echo "Live input: \`cat conn.log dns.log | cybercell match --follow --json -\`: $((tsv_bytes / 1000000)) MB"
	echo "in $(stat_of follow scan_s) s of scanning ($(mbps $tsv_bytes "$(stat_of follow scan_s)") MB/s, one thread; lines are"
	echo "scanned as they come, in the pipe's chunks), $(stat_of follow hits) hits; the same hits (indicators and values, in order) as the whole files: $(cmp -s <(jq -c '[.indicator, .matched]' "$W/out.follow") <(jq -c '[.indicator, .matched]' "$W/out.tsv1") && echo yes || echo NO)."
	echo
	echo "grep only finds the literal bytes anywhere in a line (an address inside a longer"
	echo "address counts, CIDRs and case rules do not exist for it); match parses every"
	echo "field, normalises it, checks CIDRs, 1,000 regexes, validity windows, and reports"
	echo "which indicator hit which field with the event time."
} > bench/results/match.md
cat bench/results/match.md
