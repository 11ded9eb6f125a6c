#!/usr/bin/env bash
# Hostile-member suite, abuse resistance (issue 11, items 7, 8, 9, 11, 13):
# password guessing, connection exhaustion and slow clients, bodies sent
# before authentication, access-log injection, contradictory framing and
# weak TLS suites, against the real server on 127.0.0.1.  Each attacker
# connects from an address of its own in 127.0.0.0/8 (abuse_client.py);
# the member who must stay served comes from 127.0.0.1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"
SERVE_ARGS=""           # the limits under test are set per server below
AB="$(dirname "$0")/abuse_client.py"
ab() { "$PY" "$AB" "$@"; }
# kv KEY: the value of KEY=... in $OUT (the last abuse_client line)
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$OUT" | tail -1; }
# between LO X HI: LO <= X <= HI (decimals)
between() { awk -v lo="$1" -v x="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x >= lo && x <= hi) }'; }
basic() { printf '%s' "$1" | base64 -w0; }

cc org add bank-a >/dev/null && cc org add bank-b >/dev/null
pw alice-password alice bank-a
pw carol-password carol bank-b
COL=$(cc collection add intel)
cc grant bank-a intel read-write >/dev/null
cc grant bank-b intel read >/dev/null
A=alice:alice-password C=carol:carol-password

t_ok "server starts with the limits lowered for the test" start_server --threads 2 \
	--max-connections-per-address 20 --header-timeout 2 --body-min-rate 1000 \
	--login-failures 2 --login-backoff 2 --auth-queue 2

# ---- 13: framing, TLS suites ------------------------------------------------------
t_ok "two different Content-Length headers" ab raw "$HP" 127.0.0.6 5 \
	"POST /api1/collections/$COL/objects/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $(basic "$A")\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}"
t_true "... are refused with 400" [ "$(kv status)" = 400 ]
t_ok "Content-Length with Transfer-Encoding" ab raw "$HP" 127.0.0.6 5 \
	"POST /api1/collections/$COL/objects/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $(basic "$A")\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
t_true "... is refused with 400" [ "$(kv status)" = 400 ]
t_ok "TLS 1.2 with a CBC-SHA1 suite" ab tls "$HP" 1.2 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA@SECLEVEL=0'
t_true "... is not offered" [ "$(kv handshake)" = fail ]
t_ok "TLS 1.2 with AES-GCM" ab tls "$HP" 1.2 ECDHE-ECDSA-AES128-GCM-SHA256
t_true "... is" grep -q 'handshake=ok version=TLSv1.2' "$OUT"
t_ok "TLS 1.3" ab tls "$HP" 1.3 -
t_true "... works" grep -q 'handshake=ok version=TLSv1.3' "$OUT"

# ---- 9: no body is read before the credentials are checked -------------------------
POST10M="POST /api1/collections/$COL/objects/ HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n"
t_ok "unauthenticated POST announcing 10 MB, no body sent" ab raw "$HP" 127.0.0.7 3 "$POST10M\r\n"
t_true "... answered 401 at once, on the headers" [ "$(kv status)" = 401 ]
t_ok "wrong password, 10 MB announced" ab raw "$HP" 127.0.0.7 5 \
	"${POST10M}Authorization: Basic $(basic alice:not-her-password)\r\n\r\n"
t_true "... 401 without waiting for the body" [ "$(kv status)" = 401 ]
early() { # early USER:PW COLLECTION CONTENT-TYPE: a POST announcing 10 MB, no body
	ab raw "$HP" 127.0.0.7 3 "POST /api1/collections/$2/objects/ HTTP/1.1\r\nHost: x\r\nAccept: $MT\r\nContent-Type: $3\r\nAuthorization: Basic $(basic "$1")\r\nContent-Length: 10000000\r\n\r\n"
}
t_ok "a member's POST to a collection it cannot see, 10 MB announced" \
	early "$A" 3f1e2d4c-0000-4000-8000-000000000000 "$MT"
t_true "... 404 on the headers" [ "$(kv status)" = 404 ]
t_ok "a POST with read access only" early "$C" "$COL" "$MT"
t_true "... 403 on the headers" [ "$(kv status)" = 403 ]
t_ok "a POST of the wrong media type" early "$A" "$COL" application/json
t_true "... 415 on the headers" [ "$(kv status)" = 415 ]
t_ok "a POST announcing 200 MB (the limit is 16 MiB)" ab raw "$HP" 127.0.0.7 3 \
	"POST /api1/collections/$COL/objects/ HTTP/1.1\r\nHost: x\r\nAccept: $MT\r\nContent-Type: $MT\r\nAuthorization: Basic $(basic "$A")\r\nContent-Length: 200000000\r\n\r\n"
t_true "... 413 on the headers" [ "$(kv status)" = 413 ]
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SPID/status"; }
H0=$(hwm)
t_ok "three unauthenticated 15 MiB uploads at once" ab upload "$HP" 127.0.0.7 3 15728640
t_true "... all refused with 401" [ "$(kv statuses)" = 401,401,401 ]
H1=$(hwm)
t_true "... and the server's peak memory grew by less than 4 MiB ($H0 -> $H1 kB)" \
	[ $((H1 - H0)) -lt 4096 ]

# ---- 11: the access log cannot be forged ---------------------------------------------
FORGED='2026-01-01T00:00:00.000Z 127.0.0.1 DELETE "/api1/" 200 0 1us alice'
t_ok "a path with an encoded newline and a forged line" ab raw "$HP" 127.0.0.8 5 \
	"GET /taxii2/%0a${FORGED// /%20} HTTP/1.1\r\nHost: x\r\n\r\n"
t_ok "a path with bytes that are not UTF-8 and a C1 control" ab raw "$HP" 127.0.0.8 5 \
	"GET /x%ff%fe%c2%85y HTTP/1.1\r\nHost: x\r\n\r\n"
sleep 0.2
t_true "no forged line in the log" bash -c "! grep -q '^2026-01-01T00:00:00.000Z' '$T/serve.err'"
t_true "the newline is escaped, spaces too, and the path quoted" \
	grep -q ' 127\.0\.0\.8 GET "/taxii2/\\x0a2026-01-01T00:00:00\.000Z\\x20127\.0\.0\.1\\x20DELETE\\x20\\x22/api1/\\x22\\x20200\\x200\\x201us\\x20alice" 401 ' "$T/serve.err"
t_true "bytes that are not UTF-8 are escaped" grep -q ' "/x\\xff\\xfe\\xc2\\x85y" 404 \| "/x\\xff\\xfe\\xc2\\x85y" 401 ' "$T/serve.err"
t_true "every log line has the eight fields" \
	bash -c "! grep -v -e '^cybercell: ' '$T/serve.err' | awk 'NF < 8 || NF > 9 { bad = 1 } END { exit !bad }'"
t_exit 2 "user name with a newline" cc user add "$(printf 'eve\nx')" --org bank-b
t_true "... says what is wrong" grep -q 'NAME: character 4 (0x0a)' "$ERR"
t_exit 2 "user name with a tab" cc user add "$(printf 'eve\tx')" --org bank-b
t_exit 2 "user name with a space" cc user add 'eve x' --org bank-b
t_exit 2 "user name with DEL" cc user add "$(printf 'eve\177')" --org bank-b
t_exit 2 "user name with a quote" cc user add 'eve"' --org bank-b
t_exit 2 "user name with a colon (as before)" cc user add 'eve:x' --org bank-b
t_ok "user name with . _ - @ +" sh -c "echo 'a good password' | '$CYBERCELL' user add 'first.last_x-y+z@bank-b' --org bank-b --password-stdin"
t_ok "user list" cc user list
t_true "... holds no refused name" [ "$(cut -f1 "$OUT" | tr '\n' ' ')" = "alice carol first.last_x-y+z@bank-b " ]

# ---- 8: connections per address, slow headers, slow bodies ---------------------------
t_ok "1100 idle connections from one address, then a member request" \
	ab flood "$HP" 127.0.0.4 1100 "$A" 5
t_true "... only 20 stay open" [ "$(kv open)" = 20 ]
t_true "... and the member is served at once" \
	eval '[ "$(kv member)" = 200 ] && between 0 "$(kv secs)" 2'
t_true "refused connections do not flood the log" \
	[ "$(grep -c 'connection limit' "$T/serve.err")" -le 40 ]
ab trickle "$HP" 127.0.0.5 3 0.3 8 >"$T/trickle" 2>&1 &
TRP=$!
t_ok "a POST body trickling at 3 bytes/s" ab slowbody "$HP" 127.0.0.5 "$A" "/api1/collections/$COL/objects/" 0.3 8
t_true "... is cut off after the 2 s grace ($(kv closed) s)" between 1.5 "$(kv closed)" 4.5
wait "$TRP"
t_true "headers trickling a byte every 0.3 s are cut off at the 2 s deadline ($(cat "$T/trickle"))" \
	bash -c "grep -q 'closed=3 of=3 ' '$T/trickle' && awk -F'last=' '{ exit !(\$2 >= 1.5 && \$2 <= 4.5) }' '$T/trickle'"

# ---- 7: password guessing -------------------------------------------------------------
login() { # login USER:PW SRC: status in $OUT (status=..., retry_after=...)
	ab raw "$HP" "$2" 10 "GET /taxii2/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $(basic "$1")\r\n\r\n"
}
t_ok "alice logs in from 127.0.0.3" login "$A" 127.0.0.3
t_true "... 200" [ "$(kv status)" = 200 ]
t_ok "guess 1 at alice from 127.0.0.2" login alice:guess-1 127.0.0.2
t_true "... 401" [ "$(kv status)" = 401 ]
t_ok "guess 2" login alice:guess-2 127.0.0.2
t_true "... 401" [ "$(kv status)" = 401 ]
t_ok "then her right password from there (known to the verification cache)" login "$A" 127.0.0.2
t_true "... must wait: 429 with Retry-After 2 (the cache tells a guesser nothing)" \
	[ "$(kv status) $(kv retry_after)" = "429 2" ]
# while the 2 s pass, another address sprays guesses over 8 user names
# and, at once after its 8th failure, carol's right password from there
{ for k in 1 2 3 4 5 6 7 8; do login "nobody$k:guess" 127.0.0.9 >"$T/spray.$k" 2>&1; done
  login "$C" 127.0.0.9 >"$T/carol.9" 2>&1; } &
SPRAY=$!
sleep 2.1 &
PAUSE=$!
t_ok "alice from her usual address meanwhile" login "$A" 127.0.0.3
t_true "... is not locked out: 200" [ "$(kv status)" = 200 ]
t_ok "alice from an address she never used" login "$A" 127.0.0.12
t_true "... is not locked out either: 200" [ "$(kv status)" = 200 ]
wait "$SPRAY" "$PAUSE"
t_ok "from 127.0.0.2 after Retry-After" login "$A" 127.0.0.2
t_true "... 200" [ "$(kv status)" = 200 ]
t_true "8 names guessed from one address: 401 each" \
	[ "$(cat "$T"/spray.* | sed -n 's/^status=\([0-9]*\).*/\1/p' | sort | uniq -c | awk '{print $1 ":" $2}')" = 8:401 ]
t_true "then carol's right password from that address" grep -q '^status=' "$T/carol.9"
t_true "... 429 (the address is throttled)" grep -q '^status=429' "$T/carol.9"
t_ok "carol from 127.0.0.1" login "$C" 127.0.0.1
t_true "... 200" [ "$(kv status)" = 200 ]
t_ok "6 guesses at once with a queue of 2" ab burst "$HP" 127.0.2 6
t_true "... the ones past the queue get 503 with Retry-After 1 ($(kv answers))" \
	grep -q '503/1' "$OUT"
t_ok "a member's 40 requests while 8 connections guess" ab guess "$HP" "$A" 8 40
t_true "... all answered 200" [ "$(kv member_errors) $(kv requests)" = "0 40" ]
t_true "... with a median under 100 ms ($(kv p50_ms) ms; p99 $(kv p99_ms) ms)" \
	between 0 "$(kv p50_ms)" 100
t_true "... while the guessers got answers ($(kv guesses))" grep -q 'guesses=.*401:' "$OUT"
stop_server
t_true "SIGTERM stops cleanly" [ $? = 0 ]

# ---- 8: connections in all --------------------------------------------------------------
t_ok "server with 16 connections in all, 8 per address" start_server --threads 2 \
	--max-connections 16 --max-connections-per-address 8 --header-timeout 2
t_ok "alice logs in (her password is checked once)" login "$A" 127.0.0.1
t_ok "16 idle connections from two addresses, then a member request" \
	ab flood "$HP" 127.0.0.10,127.0.0.11 8 "$A" 6
t_true "... all 16 are held" [ "$(kv open)" = 16 ]
t_true "... the member waits for the header deadline to free room, then 200 ($(kv secs) s)" \
	eval '[ "$(kv member)" = 200 ] && between 0.8 "$(kv secs)" 4'
stop_server
t_true "no sanitizer report" \
	bash -c "! grep -q -e AddressSanitizer -e LeakSanitizer -e 'runtime error' '$T/serve.err'"
t_done
