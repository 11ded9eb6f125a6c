#!/usr/bin/env bash
# A member's latency while others guess passwords (issue 11): one member,
# logged in, sends N GETs one after the other on a kept-alive TLS
# connection for DUR seconds (tests/e2e/abuse_client.py guess) — alone, then while 8
# connections (from 8 addresses of 127.0.0.0/8) guess passwords of random
# user names as fast as the server answers, with the default login throttle,
# and again with the throttle out of the way (--login-failures 1000000), so
# that every guess costs an argon2 run on the auth pool.
#   bench/bench_guess.sh            (env: CYBERCELL, DUR=10 seconds per row)
# Writes bench/results/guess.md.  Everything listens on 127.0.0.1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CYBERCELL=${CYBERCELL:-$root/build/cybercell}
DUR=${DUR:-10}
W=$root/bench/work/guess
PY=/usr/bin/python3
AB=$root/tests/e2e/abuse_client.py
rm -rf "$W"
mkdir -p "$W" bench/results
export CYBERCELL_DB=$W/bench.db
SPID=
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

"$CYBERCELL" org add bench-bank >/dev/null
printf '%s\n' 'bench-member-password' | "$CYBERCELL" user add member --org bench-bank --password-stdin
MEMBER=member:bench-member-password

serve() { # serve [limits...]: start the server, HP=host:port
	: >"$W/serve.out"	# not the last run's lines, read before the shell truncates it
	"$CYBERCELL" serve --listen 127.0.0.1:0 --threads 2 "$@" >"$W/serve.out" 2>/dev/null &
	SPID=$!
	for _ in $(seq 1 200); do grep -q '^listening on ' "$W/serve.out" && break; sleep 0.05; done
	HP=$(sed -n 's|^listening on https://\([^/]*\)/taxii2/$|\1|p' "$W/serve.out")
}
stop() { kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=; }
# run LABEL GUESSERS: one row of the table
run() {
	local out
	out=$("$PY" "$AB" guess "$HP" "$MEMBER" "$2" 1 "$DUR")
	echo "$1: $out" >&2
	kv() { printf '%s\n' "$out" | sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p"; }
	printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(kv requests)" "$(kv p50_ms)" \
		"$(kv p99_ms)" "$(kv max_ms)" "$(kv guesses | tr ',' ' ')"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
serve
ROWS=$(run "alone" 0)
ROWS+=$'\n'$(run "8 connections guessing, default throttle" 8)
stop
serve --login-failures 1000000
ROWS+=$'\n'$(run "8 connections guessing, no throttle (argon2 all the time)" 8)
stop

cat >bench/results/guess.md <<EOF
## TAXII server: a member's latency while passwords are guessed

Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; load average at the start: $LOAD0.
Command: \`DUR=$DUR bench/bench_guess.sh\` — server \`--threads 2\` (default limits: 1 auth
thread, auth queue 64); for $DUR s the member sends GETs of \`/taxii2/\` one after the other
on one kept-alive TLS connection, after logging in once; each guesser keeps one connection and
guesses the password of a new random user name per request (answers counted by status:
401 wrong, 429 throttled, 503 auth queue full). Latency is measured by the Python client
(\`tests/e2e/abuse_client.py guess\`), so it includes the client's own time.

| load | member requests | p50 ms | p99 ms | max ms | guess answers (status:count) |
| --- | ---: | ---: | ---: | ---: | --- |
$ROWS

Passwords are checked by argon2id (64 MiB, libsodium's interactive limits) on the auth
pool, never on the network threads; a member whose password was verified once is
answered from the verification cache, so the guesses cost it only the CPU they take from
the machine.
EOF
cat bench/results/guess.md
