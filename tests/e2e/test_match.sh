#!/usr/bin/env bash
# cybercell match: every reader on hand-made logs against expected hits,
# sightings that validate, --threads 1 and 2 agreeing, malformed lines,
# format detection, .gz and stdin, the store path, usage errors.
. "$(dirname "$0")/lib.sh"
D="${CC_ROOT:-$(pwd)}/tests/data/match"
IND="$D/indicators.json"

hits_of() { # hits_of FILE: "line indicator" pairs of a --json output
	jq -r '"\(.line) \(.indicator)"' "$1"
}

for f in conn.log dns.log zeek.ndjson eve.json sample.csv sample.txt; do
	t_ok "match $f" cc match --no-warninglists --indicators "$IND" --json "$D/$f"
	hits_of "$OUT" > "$T/got"
	t_true "$f: expected hits" cmp -s "$T/got" "$D/expected/$f.hits"
done
t_ok "match with --map and a ';' CSV" cc match --no-warninglists --indicators "$IND" --json \
	--map peer=ipv4-addr:value --map when=time "$D/custom.csv"
hits_of "$OUT" > "$T/got"
t_true "custom.csv: expected hits" cmp -s "$T/got" "$D/expected/custom.csv.hits"
t_true "custom.csv: event time from the mapped column" \
	jq -e 'select(.time == "2020-09-13T12:00:00.000000Z")' "$OUT"

# JSON shape of a hit
t_ok "eve hits" cc match --no-warninglists --indicators "$IND" --json "$D/eve.json"
t_true "hit has indicator, name, file, line, time, matched" jq -e -s \
	'.[0] | (.indicator|startswith("indicator--")) and (.name|type=="string") and
	 (.file|endswith("eve.json")) and (.line==1) and (.time=="2020-09-13T12:26:40.000000Z") and
	 (.matched[0].path=="url:value") and (.matched[0].value=="http://dl.example.org/files/x.exe")' "$OUT"
t_true "revoked indicator never hits" sh -c "! grep -q 000000000017 '$OUT'"
t_true "malformed line reported with file:line" grep -q 'eve.json:7: malformed line' "$ERR"

# readable output
t_ok "readable output" cc match --no-warninglists --indicators "$IND" "$D/conn.log"
t_true "readable line names file:line and indicator" \
	grep -q '^.*conn.log:8: indicator--00000000-0000-4000-8000-000000000001 (exact ipv4) at 2020-09-13T12:26:40.000000Z: network-traffic:dst_ref.value=203.0.113.7$' "$OUT"

# format detection = explicit format
for pair in conn.log:zeek zeek.ndjson:zeek-json eve.json:eve sample.csv:csv sample.txt:text; do
	f=${pair%%:*} fmt=${pair#*:}
	t_ok "$f, format detected" cc match --no-warninglists --indicators "$IND" --json "$D/$f"
	cp "$OUT" "$T/auto"
	t_ok "$f, --format $fmt" cc match --no-warninglists --indicators "$IND" --json --format "$fmt" "$D/$f"
	t_true "auto-detects $f as $fmt: the same hits, the expected ones" \
		sh -c "cmp -s '$T/auto' '$OUT' && jq -r '\"\\(.line) \\(.indicator)\"' '$OUT' | cmp -s - '$D/expected/$f.hits'"
done

# .gz and stdin
gzip -c "$D/dns.log" > "$T/dns.log.gz"
t_ok "gzip input" cc match --no-warninglists --indicators "$IND" --json "$T/dns.log.gz"
hits_of "$OUT" > "$T/got"
t_true ".gz: same hits" cmp -s "$T/got" "$D/expected/dns.log.hits"
t_ok "stdin input" sh -c "'$CYBERCELL' match --no-warninglists --indicators '$IND' --json - < '$D/eve.json'"
t_true "stdin names <stdin>" jq -e -s 'length == 9 and .[0].file == "<stdin>"' "$OUT"

# malformed lines: counted, first 5 shown, scanning goes on
{ head -7 "$D/conn.log"; for i in 1 2 3 4 5 6 7; do echo "bad	row $i"; done; sed -n 8p "$D/conn.log"; } > "$T/bad.log"
t_ok "malformed lines do not stop the scan" cc match --no-warninglists --indicators "$IND" --json "$T/bad.log"
t_true "the good line after them hits" jq -e 'select(.line == 15)' "$OUT"
t_true "first 5 malformed shown" sh -c "[ \$(grep -c ': malformed line: ' '$ERR') = 5 ]"
t_true "then the count" grep -q '7 malformed lines in all' "$ERR"

# unreadable file, undeterminable format: exit 1, other files still scanned
printf 'a\0b\0c' > "$T/binary.bin"
t_exit 1 "binary log: format cannot be determined" cc match --no-warninglists --indicators "$IND" --json "$T/binary.bin" "$D/eve.json"
t_true "names the file" grep -q 'binary.bin: cannot determine the log format' "$ERR"
t_true "still scanned the next file" jq -e -s 'length == 9' "$OUT"
t_exit 1 "missing log" cc match --no-warninglists --indicators "$IND" "$T/nope.log"
t_true "missing log named" grep -q 'nope.log: No such file' "$ERR"

# threads: same hits on a file big enough for two pieces (8 MiB each)
awk 'BEGIN { for (i = 1; i <= 130000; i++)
	if (i % 50 == 0) printf "2021-01-01T00:00:00Z x.tracker.test %d 198.51.100.%d\n", i, i % 256;
	else printf "2021-01-01T00:00:00Z nothing.test %d 192.0.2.%d padding padding\n", i, i % 256 }' > "$T/big.txt"
t_ok "--threads 1" cc match --no-warninglists --indicators "$IND" --json --threads 1 "$T/big.txt"
cp "$OUT" "$T/t1"
t_ok "--threads 2" cc match --no-warninglists --indicators "$IND" --json --threads 2 "$T/big.txt"
t_true "same hits with 1 and 2 threads" cmp -s "$OUT" "$T/t1"
t_true "hits in both pieces" sh -c "[ \$(wc -l < '$T/t1') = 5708 ] && tail -1 '$T/t1' | grep -q '\"line\":130000'"

# sightings bundle
t_ok "sightings file" cc match --no-warninglists --indicators "$IND" --sightings "$T/s.json" "$D/conn.log" "$D/eve.json"
t_ok "sightings bundle validates" cc validate "$T/s.json"
t_true "one sighting per indicator hit" jq -e \
	'[.objects[] | select(.type=="sighting")] | length == 14 and
	 (map(.sighting_of_ref) | unique | length) == 14' "$T/s.json"
t_true "sighting of the /24 counts both hits" jq -e \
	'.objects[] | select(.type=="sighting" and .sighting_of_ref=="indicator--00000000-0000-4000-8000-000000000002") |
	 .count == 2 and .first_seen == "2020-09-13T12:26:41.000Z" and .last_seen == "2020-09-13T12:26:41.000Z"' "$T/s.json"
t_true "observed-data and SCOs in the bundle" jq -e \
	'(.objects | map(select(.type=="observed-data")) | length) >= 1 and
	 (.objects | map(select(.type=="ipv4-addr" and .value=="203.0.113.7")) | length) == 1' "$T/s.json"
t_true "where_sighted_refs is the local identity" jq -e \
	'(.objects[] | select(.type=="identity") | .id) as $i |
	 all(.objects[] | select(.type=="sighting"); .where_sighted_refs == [$i])' "$T/s.json"

# the store: indicators from a collection, sightings back into it
t_ok "init" cc init
t_ok "import indicators" cc import "$IND"
t_ok "match --collection default" cc match --no-warninglists --collection default --json "$D/eve.json"
hits_of "$OUT" > "$T/got"
t_true "collection: same hits as the bundle" cmp -s "$T/got" "$D/expected/eve.json.hits"
t_ok "match from the default collection, store sightings" cc match --no-warninglists --store-sightings "$D/eve.json"
t_ok "org add" cc org add "Bank A"
org_id=$(tr -d '\n' < "$OUT")
t_ok "sightings made by an org" cc match --no-warninglists --org "Bank A" --sightings "$T/o.json" "$D/eve.json"
t_true "where_sighted_refs is the org's identity" jq -e --arg i "$org_id" \
	'($i | startswith("identity--")) and all(.objects[] | select(.type=="sighting"); .where_sighted_refs == [$i])
	 and ([.objects[] | select(.type=="identity")] | length == 0)' "$T/o.json"
t_exit 1 "unknown org" cc match --no-warninglists --org "Nobody" --sightings "$T/o.json" "$D/eve.json"
t_ok "export sightings" cc export --type sighting
t_true "stored sightings" jq -e '[.objects[] | select(.type=="sighting")] | length == 8' "$OUT"

# Zeek's two formats of the same records (tests/data/match/gen_zeek.py): the
# TSV and the JSON reader give the same hits, exactly those an awk over the
# TSV finds (a domain in any case, an upper-case hash against lower-case
# fingerprints, a server subnet and port)
G=$T/zeek
fp=$(python3 "$D/gen_zeek.py" "$G")
I=indicator--20000000-0000-4000-8000-00000000000
for log in dns ssl x509; do
	t_ok "generated $log.log" cc match --no-warninglists --indicators "$G/indicators.json" --json "$G/$log.log"
	jq -r '"\(.line - 8) \(.indicator)"' "$OUT" | sort >"$T/tsv.$log"
	t_ok "generated $log.ndjson" cc match --no-warninglists --indicators "$G/indicators.json" --json "$G/$log.ndjson"
	jq -r '"\(.line) \(.indicator)"' "$OUT" | sort >"$T/json.$log"
	t_true "$log: TSV and JSON readers agree" cmp -s "$T/tsv.$log" "$T/json.$log"
done
awk -F'\t' -v i="$I" '!/^#/ && tolower($8) == "ise.corp.test" { print NR - 8, i 1 }' "$G/dns.log" | sort >"$T/want.dns"
awk -F'\t' -v i="$I" -v fp="$fp" '!/^#/ {
	if ($8 == "ise.corp.test") print NR - 8, i 1
	if (index($10, fp)) print NR - 8, i 2
	if ($5 ~ /^10\.47\.3\./ && $6 == 443) print NR - 8, i 3 }' "$G/ssl.log" | sort >"$T/want.ssl"
# and the subjects Zeek's TSV writer escapes (a doubled backslash, \x09,
# \x01) of the certificates of host1, host6 and host7 (records 2, 7, 8)
{ awk -F'\t' -v i="$I" -v fp="$fp" '!/^#/ && $2 == fp { print NR - 8, i 2 }' "$G/x509.log"
  printf '%s\n' "2 ${I}4" "7 ${I}4" "8 ${I}4"; } | sort >"$T/want.x509"
per() { # per FILE: the number of hits of each indicator, in indicator order
	cut -d' ' -f2 "$1" | sort | uniq -c | awk '{ printf "%s%s", s, $1; s = " " }'
}
t_true "dns: the 118 records of the domain" [ "$(per "$T/want.dns")" = 118 ]
t_true "ssl: 71 by server name, 48 by certificate, 43 by server and port" [ "$(per "$T/want.ssl")" = "71 48 43" ]
t_true "x509: the 10 certificates with the hash, 3 by subject" [ "$(per "$T/want.x509")" = "10 3" ]
for log in dns ssl x509; do
	t_true "$log: the readers find exactly those" cmp -s "$T/want.$log" "$T/tsv.$log"
done

# real Zeek 6.2 logs (outside test data): the TSV and the JSON writer's output give the same hits
if t_need "real Zeek logs" data/logs/zeek-tsv data/logs/zeek-ndjson; then
	L=$TESTDATA/data/logs
	cat > "$T/real.json" <<'EOF2'
[{"type":"indicator","id":"indicator--10000000-0000-4000-8000-000000000001","pattern_type":"stix",
  "pattern":"[domain-name:value = 'ISE.wrccdc.org']"},
 {"type":"indicator","id":"indicator--10000000-0000-4000-8000-000000000002","pattern_type":"stix",
  "pattern":"[x509-certificate:hashes.'SHA-256' = 'B2DAFBCDBC75210672F137F27CE882CCB799887631655D4F11191D5A678E44FE']"},
 {"type":"indicator","id":"indicator--10000000-0000-4000-8000-000000000003","pattern_type":"stix",
  "pattern":"[network-traffic:dst_ref.value ISSUBSET '10.47.3.0/24' AND network-traffic:dst_port = 443]"},
 {"type":"indicator","id":"indicator--10000000-0000-4000-8000-000000000004","pattern_type":"stix",
  "pattern":"[x509-certificate:subject = 'CN=platform.twitter.com,OU=Twitter Security,O=Twitter\\\\, Inc.,L=San Francisco,ST=California,C=US']"}]
EOF2
	for log in dns ssl x509; do
		t_ok "real $log.log.gz" cc match --no-warninglists --indicators "$T/real.json" --json "$L/zeek-tsv/$log.log.gz"
		jq -r '"\(.line - 8) \(.indicator)"' "$OUT" > "$T/tsv.$log"
		t_ok "real $log.ndjson.gz" cc match --no-warninglists --indicators "$T/real.json" --json "$L/zeek-ndjson/$log.ndjson.gz"
		jq -r '"\(.line) \(.indicator)"' "$OUT" > "$T/json.$log"
		t_true "real $log: TSV and JSON readers agree, with hits" sh -c "[ -s '$T/tsv.$log' ] && cmp -s '$T/tsv.$log' '$T/json.$log'"
	done
	t_true "real dns: the domain hits as many records as carry it" sh -c \
		"[ \$(grep -c 000000000001 '$T/tsv.dns') = \$(zcat '$L/zeek-tsv/dns.log.gz' | grep -c 'ise\.wrccdc\.org') ]"
	t_true "real x509: a subject with an escaped comma (TSV \\\\,) hits as many records as carry it" sh -c \
		"[ \$(grep -c 000000000004 '$T/tsv.x509') = \$(zcat '$L/zeek-ndjson/x509.ndjson.gz' | grep -c '\"certificate.subject\":\"CN=platform.twitter.com,') ] && grep -q 000000000004 '$T/tsv.x509'"
	t_true "real ssl: the server and port hit as many records as have them" sh -c \
		"[ \$(grep -c 000000000003 '$T/tsv.ssl') = \$(zcat '$L/zeek-tsv/ssl.log.gz' | awk -F'\t' '!/^#/ && \$5 ~ /^10\\.47\\.3\\./ && \$6 == 443' | wc -l) ]"
fi

# usage
t_exit 2 "no LOG" cc match --no-warninglists --indicators "$IND"
t_exit 2 "bad --format" cc match --no-warninglists --format xml --indicators "$IND" "$D/eve.json"
# LIKE/MATCHES are about characters and NFC forms, not bytes: '_' takes the
# two-byte e-acute, a decomposed e + U+0301 in the pattern matches the
# precomposed one in the log, and '_' never takes two characters.
t_ok "unicode LIKE/MATCHES" cc match --no-warninglists --indicators "$D/unicode-indicators.json" --json "$D/unicode.csv"
hits_of "$OUT" > "$T/got"
printf '%s\n' "2 indicator--1e4ffad7-0b88-41d4-ba4d-77d27490b956" \
	"3 indicator--2e4ffad7-0b88-41d4-ba4d-77d27490b956" \
	"4 indicator--1e4ffad7-0b88-41d4-ba4d-77d27490b956" \
	"5 indicator--3e4ffad7-0b88-41d4-ba4d-77d27490b956" > "$T/want"
t_true "unicode: one character per '_', NFC for MATCHES" cmp -s "$T/got" "$T/want"

t_exit 2 "bad --map" cc match --no-warninglists --map src --indicators "$IND" "$D/eve.json"
t_exit 2 "bad --map path" cc match --no-warninglists --map src=process:name --indicators "$IND" "$D/eve.json"
t_exit 2 "bad --threads" cc match --no-warninglists --threads 0 --indicators "$IND" "$D/eve.json"
t_exit 2 "--collection with --indicators" cc match --no-warninglists --collection x --indicators "$IND" "$D/eve.json"
t_done
