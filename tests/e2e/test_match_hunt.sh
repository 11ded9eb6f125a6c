#!/usr/bin/env bash
# cybercell match as analysts use it: one EVE transaction is one
# observation, Zeek TSV escapes, ECS JSON, warnings instead of silent
# nothing, retro-hunts (issue 16, items 1-4 and 7).
. "$(dirname "$0")/lib.sh"
D="${CC_ROOT:-$(pwd)}/tests/data/match"

hits_of() { # hits_of FILE: "line indicator" pairs of a --json output
	jq -r '"\(.line) \(.indicator)"' "$1"
}
I3=indicator--30000000-0000-4000-8000-00000000000

# 1. EVE: the alert, http and fileinfo records of one transaction (same
# flow_id and tx_id, also fileinfo.tx_id and dns.tx_id of older
# Suricatas) are one observation; a flow record is one per flow and time;
# records without flow_id are each their own
t_ok "EVE transactions" cc match --indicators "$D/eve-tx-indicators.json" --json --stats "$D/eve-tx.json"
hits_of "$OUT" > "$T/got"
t_true "EVE: one hit per transaction, at its first record" cmp -s "$T/got" "$D/expected/eve-tx.json.hits"
t_true "EVE: the other records are counted as merged" grep -q ' hits=12 merged=7 ' "$ERR"
t_ok "EVE sightings" cc match --indicators "$D/eve-tx-indicators.json" --sightings "$T/s.json" "$D/eve-tx.json"
t_true "EVE: sighting counts are observations (domain 5, address 6, hash 1)" jq -e '
	[.objects[] | select(.type == "sighting") | {(.sighting_of_ref[-1:]): .count}] | add ==
	{"1": 5, "2": 6, "3": 1}' "$T/s.json"
t_true "EVE: the merged records' values are in the observed-data (both files, the hash)" jq -e '
	[.objects[] | select(.type == "file") | .hashes.MD5] == ["0123456789abcdef0123456789abcdef"]' "$T/s.json"
if t_need "real Suricata EVE" data/logs/suricata/surevego-eve.json; then
	E=$TESTDATA/data/logs/suricata/surevego-eve.json
	cat > "$T/deb.json" <<'EOF'
[{"type":"indicator","id":"indicator--30000000-0000-4000-8000-0000000000d1","pattern_type":"stix",
  "pattern":"[domain-name:value = 'deb.debian.org']"}]
EOF
	t_ok "real EVE" cc match --indicators "$T/deb.json" --sightings "$T/deb-s.json" --json "$E"
	want=$(jq -r 'select(.http.hostname == "deb.debian.org") | "\(.flow_id) \(.tx_id // .fileinfo.tx_id)"' "$E" | sort -u | wc -l)
	t_true "real EVE: $want transactions to the host, 3 records each: $want hits, not 3x" \
		sh -c "[ $want = 68 ] && [ \$(wc -l < '$OUT') = $want ]"
	t_true "real EVE: the sighting counts $want" jq -e --argjson n "$want" \
		'[.objects[] | select(.type == "sighting") | .count] == [$n]' "$T/deb-s.json"
fi

# 3. ECS (Filebeat / Elastic Agent): detected, nested and dotted keys
t_ok "ECS" cc match --indicators "$D/ecs-indicators.json" --json "$D/ecs.ndjson"
hits_of "$OUT" > "$T/got"
t_true "ECS: expected hits" cmp -s "$T/got" "$D/expected/ecs.ndjson.hits"
t_true "ECS: no warning" sh -c "! grep -q warning '$ERR'"
t_ok "ECS, --format ecs" cc match --indicators "$D/ecs-indicators.json" --json --format ecs "$D/ecs.ndjson"
hits_of "$OUT" | cmp -s - "$D/expected/ecs.ndjson.hits"; t_true "ECS: --format ecs = detected" [ $? = 0 ]
t_ok "ECS read as Zeek JSON" cc match --indicators "$D/ecs-indicators.json" --json --format zeek-json "$D/ecs.ndjson"
t_true "no hit" [ ! -s "$OUT" ]
t_true "and a warning that no field maps to an indicator path" grep -q \
	'ecs.ndjson: warning: no field of its 6 events maps to an object path of the indicators (read as zeek-json)' "$ERR"
jq '[.[0]]' "$D/ecs-indicators.json" > "$T/domain.json"
t_ok "a log with nothing for the indicators" cc match --indicators "$T/domain.json" --json "$D/conn.log"
t_true "warns: addresses and ports only, a domain indicator" grep -q \
	'conn.log: warning: no field of its 15 events maps to an object path of the indicators (read as zeek)' "$ERR"

# 4. silent nothing: scanning with no indicator says so
echo '[]' > "$T/none.json"
t_ok "0 indicators" cc match --indicators "$T/none.json" "$D/conn.log"
t_true "warns that nothing can hit" grep -q 'warning: no indicator to match with (0 skipped): nothing can hit' "$ERR"

# 7. retro-hunting: an indicator published after the log's time
cat > "$T/late.json" <<'EOF'
[{"type":"indicator","spec_version":"2.1","id":"indicator--30000000-0000-4000-8000-0000000000a1",
  "created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"late",
  "pattern_type":"stix","pattern":"[ipv4-addr:value = '203.0.113.7']","valid_from":"2024-01-01T00:00:00Z"}]
EOF
t_ok "not valid yet at the log's time" cc match --indicators "$T/late.json" --json "$D/conn.log"
t_true "no hit" [ ! -s "$OUT" ]
t_ok "--retro" cc match --retro --indicators "$T/late.json" --json --sightings "$T/r.json" "$D/conn.log"
t_true "--retro: the hits, marked retro" jq -e -s \
	'map(.line) == [8, 21] and all(.retro == true)' "$OUT"
t_true "--retro: the sighting says so" jq -e \
	'[.objects[] | select(.type == "sighting") | .x_cybercell_retro] == [true]' "$T/r.json"
t_ok "retro sightings validate" cc validate "$T/r.json"
t_ok "--retro, readable" cc match --retro --indicators "$T/late.json" "$D/conn.log"
t_true "readable hit says [retro]" grep -q '^.*conn.log:8: indicator--.*a1 (late) \[retro\] at 2020-09-13T12:26:40' "$OUT"

t_done
