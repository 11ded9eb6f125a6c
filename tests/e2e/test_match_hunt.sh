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

# 6. warning lists: the built-in ones, MISP-format ones, what match skips
A="${CC_ROOT:-$(pwd)}/tests/data/analysis"
t_ok "warninglist list" cc warninglist list
t_true "nine built-in lists, the documentation ones off" sh -c "
	[ \$(grep -c '^cybercell-' '$OUT') = 9 ] &&
	grep -q '^cybercell-documentation-ranges	off	cidr	4	' '$OUT' &&
	grep -q '^cybercell-public-resolvers	on	cidr	' '$OUT' &&
	grep -q '^cybercell-private	on	cidr	4	' '$OUT'"
t_ok "check values on the built-in lists" cc warninglist check 8.8.8.8 10.1.2.0/24 100.64.9.9 \
	224.0.0.251 ::1 fe80::1 d41d8cd98f00b204e9800998ecf8427e 0.0.0.0/4 org 2001:4860:4860::8888
cut -f3 "$OUT" > "$T/got"
printf '%s\n' "on warning list cybercell-public-resolvers" "on warning list cybercell-private" \
	"on warning list cybercell-shared-cgn" "on warning list cybercell-multicast" \
	"on warning list cybercell-loopback-link-local" "on warning list cybercell-loopback-link-local" \
	"on warning list cybercell-empty-hashes" "too broad: an address range wider than /16" \
	"too broad: a top-level domain" "on warning list cybercell-public-resolvers" > "$T/want"
t_true "each on its list, or too broad" cmp -s "$T/got" "$T/want"
t_exit 1 "a value on no list: exit 1" cc warninglist check 203.0.113.5 evil.example.com
t_true "says so, with the guessed path" grep -qx '203.0.113.5	ipv4-addr:value	not on a list' "$OUT"
t_ok "show a built-in list as MISP JSON" cc warninglist show cybercell-shared-cgn
t_true "its MISP fields" jq -e '.name == "cybercell-shared-cgn" and .type == "cidr" and .list == ["100.64.0.0/10"]
	and (.matching_attributes | index("ip-dst"))' "$OUT"

t_ok "match with the built-in lists" cc match --indicators "$A/wl-indicators.json" --json --stats "$A/wl-log.txt"
hits_of "$OUT" | sed 's/indicator--70000000-0000-4000-8000-00000000000//' | tr '\n' ' ' > "$T/got"
t_true "only the c2 address, the /16 away from the resolver, the domains, the scanner hit" \
	[ "$(cat "$T/got")" = "2 2 3 3 5 7 6 8 " ]
t_true "the skipped values are said, and why" sh -c "
	grep -q \"indicator--70000000-0000-4000-8000-000000000001: skipping ipv4-addr:value '10.0.0.0/8': on warning list cybercell-private\" '$ERR' &&
	grep -q \"000000000002: skipping ipv4-addr:value '8.8.8.8': on warning list cybercell-public-resolvers\" '$ERR' &&
	grep -q \"000000000004: skipping ipv4-addr:value '0.0.0.0/4': too broad, an address range wider than /16\" '$ERR' &&
	grep -q \"000000000005: skipping domain-name:value 'org': too broad, a top-level domain\" '$ERR' &&
	grep -q \"000000000006: skipping file:hashes.'SHA-256' 'E3B0C442.*': on warning list cybercell-empty-hashes\" '$ERR' &&
	grep -q '5 indicator values skipped: on a warning list or too broad' '$ERR'"
t_true "the /16 hitting 8.8.8.8 alone is not reported, and counted" sh -c "
	grep -q '1 hit on warning-listed values not reported' '$ERR' && grep -q ' warninglisted=5 .* suppressed=1 ' '$ERR'"
t_ok "--no-warninglists" cc match --no-warninglists --indicators "$A/wl-indicators.json" --json "$A/wl-log.txt"
t_true "--no-warninglists: every hit (13)" [ "$(wc -l < "$OUT")" = 13 ]
t_ok "--warninglist FILE (hostname, cidr)" cc match --warninglist "$A/wl-hosts.json" \
	--warninglist "$A/wl-cidr.json" --indicators "$A/wl-indicators.json" --json "$A/wl-log.txt"
hits_of "$OUT" | sed 's/indicator--70000000-0000-4000-8000-00000000000//' | tr '\n' ' ' > "$T/got"
t_true "the telemetry subdomain and the scanner skipped too, evil.example.com kept" \
	sh -c "[ \"\$(cat '$T/got')\" = '2 2 3 3 5 7 ' ] && grep -q '7 indicator values skipped' '$ERR'"

# lists kept in the hub
t_ok "init" cc init
t_ok "import MISP lists" cc warninglist import "$A/wl-hosts.json" "$A/wl-sub.json" "$A/wl-rx.json" "$A/wl-cidr.json"
t_true "imported, with type and size" grep -qx 'imported warning list test-scanner-ranges (cidr, 3 entries)' "$OUT"
t_ok "check against them" cc warninglist check updates.example.org cdn.UPDATES.example.org \
	http://x.test/static/cdn-1/a.js SINKHOLE12.example.com 198.51.100.14 2001:db8:5ca::9 203.0.113.200
cut -f3 "$OUT" > "$T/got"
printf '%s\n' "on warning list test-telemetry-hosts" "on warning list test-telemetry-hosts" \
	"on warning list test-cdn-substrings" "on warning list test-sinkhole-regex" \
	"on warning list test-scanner-ranges" "on warning list test-scanner-ranges" \
	"on warning list test-scanner-ranges" > "$T/want"
t_true "hostname (and subdomains), substring, regex, cidr lists" cmp -s "$T/got" "$T/want"
t_exit 1 "not on them" cc warninglist check 198.51.100.16 sinkhole.example.com notupdates.example.org
t_ok "disable a list" cc warninglist disable test-scanner-ranges
t_exit 1 "a disabled list holds nothing" cc warninglist check 198.51.100.14
t_ok "enable the documentation ranges" cc warninglist enable cybercell-documentation-ranges
t_ok "the documentation ranges hold 203.0.113.7 now" cc warninglist check 203.0.113.7
t_ok "list" cc warninglist list --json
t_true "states kept in the store" jq -e '
	(map(select(.name == "test-scanner-ranges"))[0] | .enabled == false and .builtin == false and .entries == 3) and
	(map(select(.name == "cybercell-documentation-ranges"))[0] | .enabled == true and .builtin == true)' "$OUT"
t_ok "match uses the hub's lists" cc match --indicators "$A/wl-indicators.json" --json "$A/wl-log.txt"
t_true "203.0.113.0/24 and 198.51.100.0/24 are documentation now: only the /16 and evil.example.com hit" \
	sh -c "[ \"\$(jq -r .indicator '$OUT' | sed 's/indicator--70000000-0000-4000-8000-00000000000//' | tr -d '\n')\" = 37 ]"
t_ok "remove an imported list" cc warninglist remove test-cdn-substrings
t_exit 1 "removing it again" cc warninglist remove test-cdn-substrings
t_exit 1 "a bad list is refused" cc warninglist import "$A/wl-bad.json"
t_true "naming the file and the entry" grep -q "wl-bad.json: list\[1\]: '198.51.100.300' is not an address or CIDR" "$ERR"
printf '{"name": "cybercell-private", "type": "cidr", "list": ["192.0.2.0/24"]}' > "$T/clash.json"
t_exit 1 "a built-in list's name is refused" cc warninglist import "$T/clash.json"
t_exit 2 "warninglist without subcommand" cc warninglist
t_exit 2 "warninglist show without NAME" cc warninglist show

# import and validate warn about such indicators, and about their patterns
cat > "$T/warn.json" <<'EOF'
[{"type":"indicator","spec_version":"2.1","id":"indicator--70000000-0000-4000-8000-0000000000f1",
  "created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","valid_from":"2020-01-01T00:00:00Z",
  "pattern_type":"stix","pattern":"[ipv4-addr:value = '10.0.0.0/8' OR ipv4-addr:valu = '1.2.3.4']"}]
EOF
t_ok "validate: valid, with warnings" cc validate "$T/warn.json"
t_true "validate: the warning list and the lint" sh -c "
	grep -q \"warn.json: \[0\] (indicator--70000000-0000-4000-8000-0000000000f1): warning: pattern:1:36: ipv4-addr:valu: 'valu' names nothing of ipv4-addr\" '$ERR' &&
	grep -q \"warning: ipv4-addr:value '10.0.0.0/8' is on warning list cybercell-private: it never alerts\" '$ERR'"
t_ok "validate --json" cc validate --json "$T/warn.json"
t_true "validate --json: warnings listed" jq -e '.files[0].valid == true and (.files[0].warnings | length) == 2' "$OUT"
t_ok "import: stored, with the warnings" cc import "$T/warn.json"
t_true "import: the warnings" sh -c "[ \$(grep -c ': warning: ' '$ERR') = 2 ]"

# MISP's own lists (outside test data): read as they are; 62,745 resolvers
# cost nothing per line
if t_need "MISP warning lists" data/warninglists/public-dns-v4/list.json data/warninglists/tlds/list.json; then
	W=$TESTDATA/data/warninglists
	t_ok "import MISP's lists" cc warninglist import "$W"/*/list.json
	t_true "all 11, the resolvers whole" sh -c "[ \$(grep -c '^imported warning list' '$OUT') = 11 ] &&
		grep -qx 'imported warning list List of known IPv4 public DNS resolvers (cidr, 62745 entries)' '$OUT'"
	t_ok "their values" cc warninglist check 1.0.0.19 2001:148f:fffe::1 api.ipify.org COM
	cut -f3 "$OUT" > "$T/got"
	printf '%s\n' "on warning list List of known IPv4 public DNS resolvers" \
		"on warning list List of known IPv6 public DNS resolvers" \
		"on warning list List of known domains to know external IP" "on warning list TLDs as known by IANA" > "$T/want"
	t_true "on MISP's lists" cmp -s "$T/got" "$T/want"
	jq -r '.list[:2000][]' "$W/public-dns-v4/list.json" | awk '{ printf "2021-01-01T00:00:%02dZ conn %s 203.0.113.9\n", NR % 60, $1 }' > "$T/res.txt"
	t_ok "a scan with the 62,745-entry list" cc match --warninglist "$W/public-dns-v4/list.json" --stats \
		--indicators "$D/eve-tx-indicators.json" --json "$T/res.txt"
	t_true "loads in under a second" sh -c "sed -n 's/.* load_compile_s=\([0-9.]*\) .*/\1/p' '$ERR' | awk '{ exit !(\$1 < 1.0) }'"
fi

# 8. live input: a pipe line by line, a growing file across rotations,
# sightings flushed as it goes
mkfifo "$T/pipe"
"$CYBERCELL" match --follow --no-warninglists --indicators "$D/indicators.json" --json - \
	< "$T/pipe" > "$T/live.out" 2> "$T/live.err" &
live=$!
exec 3> "$T/pipe"
# within_1s N: the output has N lines within a second (polled every 50 ms)
within_1s() {
	for _ in $(seq 20); do
		[ "$(wc -l < "$T/live.out")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
sleep 1         # let it start (a sanitizer build is slow to)
echo "2020-09-13T12:00:00Z first 203.0.113.7" >&3
t_true "pipe: the hit within 1 s of its line" within_1s 1
sleep 1.5
echo "2020-09-13T12:00:09Z second EVIL.example.COM" >&3
t_true "pipe: the next one too, while the pipe stays open" within_1s 2
exec 3>&-
wait "$live"; rc=$?
t_true "pipe: ends when the pipe does, exit 0" [ "$rc" = 0 ]
t_clean "pipe: no sanitizer report" "$T/live.err"
t_true "pipe: the two hits, in order" sh -c "jq -r .line '$T/live.out' | tr '\n' ' ' | grep -qx '1 2 '"

# a Zeek log that grows, is rotated as Zeek does (renamed, a new one with
# its header), with sightings stored every second
t_ok "collection for live sightings" cc collection add live
t_ok "indicators into it" cc import --collection live "$D/indicators.json"
hdr=$(grep -c '^#' "$D/conn.log")
head -n "$hdr" "$D/conn.log" > "$T/conn.log"
"$CYBERCELL" match --follow --flush 1 --store-sightings --collection live --no-warninglists --json \
	"$T/conn.log" > "$T/follow.out" 2> "$T/follow.err" &
live=$!
sleep 1
sed -n "$((hdr + 1)),$((hdr + 2))p" "$D/conn.log" >> "$T/conn.log"    # records 1-2
sleep 2.5
t_ok "sightings stored while it runs" cc export --collection live --type sighting
t_true "flushed: the sightings of the first records" jq -e '[.objects[] | select(.type == "sighting")] | length == 2' "$OUT"
mv "$T/conn.log" "$T/conn.1.log"
{ head -n "$hdr" "$D/conn.log"; sed -n "$((hdr + 3)),$((hdr + 14))p" "$D/conn.log"; } > "$T/conn.log"
sleep 2
kill -TERM "$live"; wait "$live"; rc=$?
t_true "follow: SIGTERM ends it, exit 0" [ "$rc" = 0 ]
t_clean "follow: no sanitizer report" "$T/follow.err"
t_ok "the same records scanned whole" cc match --no-warninglists --indicators "$D/indicators.json" --json "$D/conn.log"
jq -r --argjson h "$hdr" 'select(.line <= $h + 14) | .indicator' "$OUT" > "$T/whole"
jq -r .indicator "$T/follow.out" > "$T/followed"
t_true "follow: every hit of both files in order, none twice" cmp -s "$T/whole" "$T/followed"
t_true "follow: the new file's lines counted from its start" \
	jq -e -s --argjson h "$hdr" '[.[].line] == [$h + 1, $h + 2, $h + 2, $h + 2, $h + 2, $h + 3, $h + 4,
	$h + 5, $h + 7, $h + 8, $h + 11, $h + 12]' "$T/follow.out"
t_ok "sightings at the end" cc export --collection live --type sighting
jq -r .indicator "$T/follow.out" | sort | uniq -c | awk '{ print $2, $1 }' | sort > "$T/want"
t_true "stored sightings: one per indicator, count = its hits" sh -c \
	"jq -r '.objects[] | select(.type == \"sighting\") | \"\(.sighting_of_ref) \(.count)\"' '$OUT' | sort | cmp -s - '$T/want'"
first=$(jq -r '.[0].indicator' -s "$T/follow.out")
t_ok "the first hit's sighting, all its versions" cc get --all-versions \
	"$(jq -r --arg i "$first" '.objects[] | select(.type == "sighting" and .sighting_of_ref == $i) | .id' "$OUT")"
t_true "versions from the flushes (one id, modified later each time)" \
	jq -e 'length >= 2 and (map(.modified) | . == (sort | unique)) and (map(.id) | unique | length == 1)' "$OUT"
t_exit 2 "--flush without --follow" cc match --flush 5 --indicators "$D/indicators.json" "$D/conn.log"
t_exit 2 "--follow with two logs" cc match --follow --indicators "$D/indicators.json" "$D/conn.log" "$D/dns.log"

# 10. scores: confidence decaying with age (per type), restarted by a
# sighting, moved by opinions; find shows them, match --min-score uses them
ago() { date -u -d "-$1 days" +%Y-%m-%dT%H:%M:%S.000Z; }
ind() { # ind N DAYS CONFIDENCE PATTERN
	printf '{"type":"indicator","spec_version":"2.1","id":"indicator--80000000-0000-4000-8000-00000000000%s",
	  "created":"%s","modified":"%s","valid_from":"%s",%s"name":"s%s","pattern_type":"stix","pattern":"%s"},\n' \
		"$1" "$(ago "$2")" "$(ago "$2")" "$(ago "$2")" "${3:+\"confidence\":$3,}" "$1" "$4"
}
{
	echo '{"type":"bundle","id":"bundle--80000000-0000-4000-8000-000000000000","objects":['
	ind 1 10 80 "[ipv4-addr:value = '203.0.113.1']"
	ind 2 10 "" "[file:hashes.MD5 = '0123456789abcdef0123456789abcdef']"
	ind 3 40 80 "[ipv4-addr:value = '203.0.113.3']"
	ind 4 40 80 "[ipv4-addr:value = '203.0.113.4']"
	ind 5 10 90 "[domain-name:value = 'scored.example.net']"
	cat <<EOF
{"type":"sighting","spec_version":"2.1","id":"sighting--80000000-0000-4000-8000-000000000004","created":"$(ago 1)",
 "modified":"$(ago 1)","sighting_of_ref":"indicator--80000000-0000-4000-8000-000000000004","last_seen":"$(ago 1)"},
{"type":"sighting","spec_version":"2.1","id":"sighting--80000000-0000-4000-8000-000000000005","created":"$(ago 12)",
 "modified":"$(ago 12)","sighting_of_ref":"indicator--80000000-0000-4000-8000-000000000005","last_seen":"$(ago 12)"},
{"type":"identity","spec_version":"2.1","id":"identity--80000000-0000-4000-8000-0000000000a1","created":"$(ago 30)",
 "modified":"$(ago 30)","name":"analyst x","identity_class":"individual"},
{"type":"identity","spec_version":"2.1","id":"identity--80000000-0000-4000-8000-0000000000a2","created":"$(ago 30)",
 "modified":"$(ago 30)","name":"analyst y","identity_class":"individual"},
{"type":"opinion","spec_version":"2.1","id":"opinion--80000000-0000-4000-8000-000000000001","created":"$(ago 3)",
 "modified":"$(ago 3)","created_by_ref":"identity--80000000-0000-4000-8000-0000000000a1","opinion":"strongly-disagree",
 "explanation":"false positive: our CDN","object_refs":["indicator--80000000-0000-4000-8000-000000000005"]},
{"type":"opinion","spec_version":"2.1","id":"opinion--80000000-0000-4000-8000-000000000002","created":"$(ago 3)",
 "modified":"$(ago 3)","created_by_ref":"identity--80000000-0000-4000-8000-0000000000a2","opinion":"disagree",
 "object_refs":["sighting--80000000-0000-4000-8000-000000000005"]},
{"type":"opinion","spec_version":"2.1","id":"opinion--80000000-0000-4000-8000-000000000003","created":"$(ago 2)",
 "modified":"$(ago 2)","created_by_ref":"identity--80000000-0000-4000-8000-0000000000a2","opinion":"agree",
 "object_refs":["sighting--80000000-0000-4000-8000-000000000005"]}
]}
EOF
} > "$T/scores.json"
t_ok "a scores store" cc --db "$T/scores.db" import "$T/scores.json"
t_ok "find shows scores" cc --db "$T/scores.db" find --type indicator
# 1: 80 (1 - (10/30)^(1/2)) = 33.8; 2: 75 (1 - (10/365)^2) = 74.9; 3: 40 days > 30: 0;
# 4: restarted by the sighting a day ago: 80 (1 - (1/30)^(1/2)) = 65.4;
# 5: 90 - 40 (strongly-disagree) + 10 (y's agree replaced y's disagree) = 60; 60 (1 - (10/90)^(2/3)) = 46.1
t_true "find: the decayed, restarted and disputed scores" sh -c "
	grep -q 's1 \[score 34\]' '$OUT' && grep -q 's2 \[score 75\]' '$OUT' && grep -q 's3 \[score 0\]' '$OUT' &&
	grep -q 's4 \[score 65\]' '$OUT' && grep -q 's5 \[score 46\]' '$OUT'"
t_ok "find --json" cc --db "$T/scores.db" find --type indicator --json
t_true "find --json: x_cybercell_score" jq -e -s 'map(.x_cybercell_score) == [34, 75, 0, 65, 46]' "$OUT"
printf '%s\n' "2021-01-01T00:00:00Z 203.0.113.1 203.0.113.3 203.0.113.4 scored.example.net" \
	"2021-01-01T00:00:01Z md5 0123456789abcdef0123456789abcdef" > "$T/scored.txt"
t_ok "match --min-score 40" cc --db "$T/scores.db" match --retro --no-warninglists --min-score 40 --json "$T/scored.txt"
t_true "only indicators scoring 40 or more hit" sh -c \
	"[ \"\$(jq -r .indicator '$OUT' | sed 's/.*0000000000//' | tr -d '\n')\" = 452 ]"
t_true "the others are said, with the score" sh -c "
	grep -q 'indicator--80000000-0000-4000-8000-000000000001: skipping: score 33.8 below 40 (confidence 80, opinions +0, age 10.0 days, lifetime 30 days)' '$ERR' &&
	grep -q '2 indicators skipped: score below 40' '$ERR'"
t_ok "match --min-score 40 from a bundle: the same" cc match --retro --no-warninglists --min-score 40 --indicators "$T/scores.json" --json "$T/scored.txt"
t_true "bundle: the same hits" sh -c "[ \"\$(jq -r .indicator '$OUT' | sed 's/.*0000000000//' | tr -d '\n')\" = 452 ]"
t_exit 2 "--min-score out of range" cc match --min-score 101 --indicators "$T/scores.json" "$T/scored.txt"

t_done
