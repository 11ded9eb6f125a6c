#!/usr/bin/env bash
# The audit trail survives kill -9 of the server: what the server
# acknowledged is in the trail — every POST answered 202 with the ids it
# wrote, every read of a restricted collection answered 200 with its ids
# and authorisation — and the trail, a torn last line cut off by the next
# appender, verifies intact, the server's next run and the command line
# chaining on to it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"

TRAIL=$CYBERCELL_DB.audit
cc audit init >/dev/null
cc org add bank-a >/dev/null
cc org add ministry >/dev/null
pw 'alice-password' alice bank-a
A=alice:alice-password
SEC=$(cc collection add secret --restricted)
INTEL=$(cc collection add intel)
for c in secret intel; do cc grant bank-a "$c" read-write --max-tlp red >/dev/null; done
cc approver add ann --org ministry --key-out "$T/ann.key" >/dev/null
AZ=$(cc authorise request --collection secret --user alice --reason "crash test" --for 1h)
cc authorise approve "$AZ" --approver ann --key "$T/ann.key" >/dev/null

# env PREFIX N [MARKING]: an envelope of N indicators with ids from PREFIX
env_of() {
	"$PY" - "$@" <<'EOF'
import json, sys, uuid
prefix, n = sys.argv[1], int(sys.argv[2])
objs = [{"type": "indicator", "spec_version": "2.1",
         "id": "indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, "%s-%d" % (prefix, i)),
         "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
         "name": "%s %d" % (prefix, i), "pattern_type": "stix",
         "pattern": "[ipv4-addr:value = '10.1.%d.%d']" % (i // 250, i % 250),
         "valid_from": "2024-01-01T00:00:00Z"} for i in range(n)]
if len(sys.argv) > 3:
    for o in objs:
        o["object_marking_refs"] = [sys.argv[3]]
print(json.dumps({"objects": objs}))
EOF
}
env_of secret 3 "$TLP_RED" |
	jq '{type: "bundle", id: "bundle--00000000-0000-4000-8000-000000000001", objects}' >"$T/secret.json"
cc import --collection secret "$T/secret.json" >/dev/null

t_true "server starts" start_server
# writers: envelopes of 20 indicators POSTed in turn; each one answered
# 202 complete has its prefix in acked-post
: >"$T/acked-post"
(
	for k in $(seq 1 400); do
		env_of "crash$k" 20 >"$T/p$k.json"
		out=$(curl -sk -u "$A" -H "Accept: $MT" -H "Content-Type: $MT" --data-binary "@$T/p$k.json" \
			-w '\n%{http_code}' "$BASE/api1/collections/$INTEL/objects/" 2>/dev/null) || break
		case "$out" in *'"status":"complete"'*202) echo "$k" >>"$T/acked-post" ;; *) break ;; esac
	done
) &
PW=$!
# readers: the restricted collection's objects, each request a path of its
# own (limit=K+2: all three objects); each one answered 200 with them has
# K+2 in acked-read
: >"$T/acked-read"
(
	for k in $(seq 1 2000); do
		code=$(curl -sk -o "$T/r.json" -w '%{http_code}' -u "$A" -H "Accept: $MT" \
			"$BASE/api1/collections/$SEC/objects/?limit=$((k + 2))" 2>/dev/null) || break
		[ "$code" = 200 ] && [ "$(jq '.objects|length' "$T/r.json")" = 3 ] || break
		echo "$((k + 2))" >>"$T/acked-read"
	done
) &
PR=$!
# and ordinary reads, whose entries may wait up to 100 ms (not checked)
( while curl -sk -o /dev/null -u "$A" -H "Accept: $MT" "$BASE/api1/collections/"; do :; done ) &
PG=$!
# until both have a few answers (the machine may be busy), then kill -9
for _ in $(seq 1 300); do
	[ "$(wc -l <"$T/acked-post")" -ge 5 ] && [ "$(wc -l <"$T/acked-read")" -ge 5 ] && break
	sleep 0.1
done
kill -9 "$SPID"; wait "$SPID" 2>/dev/null
wait $PW $PR $PG
t_true "POSTs were acknowledged before the kill" [ "$(wc -l <"$T/acked-post")" -gt 0 ]
t_true "restricted reads were acknowledged before the kill" [ "$(wc -l <"$T/acked-read")" -gt 0 ]

# what the trail holds, read as it was left (before anything appends)
cp "$TRAIL" "$T/left"
# the last line may be torn (a batch cut short by the kill): only whole lines count
jq -cR 'fromjson? // empty' "$T/left" >"$T/whole"
jq -r 'select(.action == "POST" and .status == 202) | .written[]' "$T/whole" | sort -u >"$T/written"
jq -r --arg az "$AZ" 'select(.action == "GET" and .status == 200 and .authorisation == $az
	and (.read | length) == 3) | .path' "$T/whole" | sed -n 's/.*[?]limit=//p' | sort -u >"$T/read"
# every_post_in_trail: every id of every acknowledged POST is in a POST entry's written
every_post_in_trail() {
	local k
	while read -r k; do
		jq -r '.objects[].id' "$T/p$k.json" | sort >"$T/want"
		comm -23 "$T/want" "$T/written" | grep -q . && { echo "    POST $k not in the trail"; return 1; }
	done <"$T/acked-post"
	return 0
}
t_true "every POST acknowledged 202 is in the trail with the ids it wrote" every_post_in_trail
t_true "every restricted read acknowledged 200 is in the trail with its ids and authorisation" \
	[ -z "$(sort -u "$T/acked-read" | comm -23 - "$T/read")" ]
# ends_whole FILE: whether FILE's last line is whole (ends in a newline)
ends_whole() { [ "$(tail -c1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ]; }
t_true "the trail as the kill left it verifies intact (unless its last line is torn)" \
	eval 'ends_whole "$T/left" && cc audit verify "$T/left" >/dev/null || ! ends_whole "$T/left"'
t_ok "a command after the kill" cc org add after-kill
t_ok "... and the trail verifies" cc audit verify

# a torn last line, as a kill in mid-write leaves it: the next appender
# cuts it off and says so
head -c -40 "$TRAIL" >"$T/torn" && cat "$T/torn" >"$TRAIL"
N=$(jq -cR 'fromjson? // empty' "$TRAIL" | wc -l)
t_exit 1 "a torn last line: verify names it" cc audit verify
t_ok "a command after the crash" cc org add after-crash
t_true "... cut the torn line off and said so (recover), then its own entry" \
	[ "$(jq -r 'select(.seq > '"$N"') | .action' "$TRAIL" | head -2 | tr '\n' ,)" = "recover,org add," ]
t_true "... the torn line's seq reused: the chain goes on from the last whole entry" \
	[ "$(jq -r 'select(.action == "recover") | .seq' "$TRAIL")" = $((N + 1)) ]
t_ok "the trail verifies after the recovery" cc audit verify
t_true "the server starts again on it" start_server
req "$A" GET "/api1/collections/$SEC/objects/?limit=99999"
t_true "... and serves the restricted collection" code_is 200
stop_server
t_true "... its last entry a checkpoint" [ "$(tail -1 "$TRAIL" | jq -r .action)" = checkpoint ]
t_ok "... and the trail verifies" cc audit verify
t_done
