#!/usr/bin/env bash
# The store commands on the real binary: init, import, export, get, find,
# stats; our fixtures and generated bundles, bad inputs, a killed import;
# real data (ATT&CK, OASIS examples) when the outside test data is there.
. "$(dirname "$0")/lib.sh"
D="$(cd "$(dirname "$0")/../data/store" && pwd)"
IND=indicator--a932fcc6-e032-476c-826f-cb970a5a1ade

# jq program: the objects of a bundle, array or single object, sorted, keys sorted
OBJS='(if type == "array" then . elif .type == "bundle" then (.objects // []) else [.] end)
      | sort_by(.id, (.modified // .created // "")) | .[]'
same_objects() { # same_objects A B: JSON-equal object sets
	cmp -s <(jq -S -c "$OBJS" "$1") <(jq -S -c "$OBJS" "$2")
}
stats() { cc stats --json > "$T/stats.$1"; }

# ---- usage ----
for c in init import export get find stats; do
	t_exit 2 "$c: unknown option is bad usage" cc "$c" --bogus
	t_true "$c: usage hint" grep -q "cybercell $c --help" "$ERR"
done
t_exit 2 "import without FILE" cc import
t_exit 2 "get without ID" cc get
t_exit 2 "export: bad --added-after" cc export --added-after yesterday
t_exit 2 "find: bad --limit" cc find --limit -3
t_exit 2 "find: --relationship-type alone" cc find --relationship-type uses

# ---- init ----
t_ok "init creates the store" cc init
t_true "init says ready" grep -q "ready (schema version" "$OUT"
t_ok "init again (idempotent)" cc init
t_true "store file exists" test -s "$CYBERCELL_DB"
t_true "WAL mode" [ "$(sqlite3 "$CYBERCELL_DB" 'PRAGMA journal_mode')" = wal ]
# the schema version: what init says, what the file says, and the number of
# migration steps in the source
schema=$(sed -n 's/.* ready (schema version \([0-9]*\))$/\1/p' "$OUT")
steps=$(awk '/^static const store_step steps\[\] = \{/ { in_t = 1; next }
	in_t && /^\};/ { in_t = 0 } in_t && /^\t\{ / { n++ } END { print n + 0 }' "$ROOT/src/store/schema.c")
t_true "schema version $schema set, as many as the migration steps ($steps)" \
	[ "$(sqlite3 "$CYBERCELL_DB" 'PRAGMA user_version')" = "$steps" -a "$schema" = "$steps" ]
t_ok "stats on empty store" cc stats --json
t_true "empty: 0 objects, default collection" jq -e '.objects == 0 and (.collections | has("default"))' "$OUT"

# ---- import, versions, duplicates ----
t_ok "import a bundle" cc import "$D/good.json"
t_true "import message" grep -qx "imported 4 objects (4 new versions, 0 duplicates, 0 skipped) from $D/good.json" "$OUT"
t_ok "import again: duplicates" cc import --json "$D/good.json"
t_true "import --json shape" jq -e '.objects == 4 and .new_versions == 0 and .duplicates == 4 and .skipped == 0 and .collection == "default"' "$OUT"
t_ok "import a new version (single object, stdin)" sh -c "cc() { \"$CYBERCELL\" \"\$@\"; }; cc import - < '$D/indicator-v2.json'"
t_true "stdin display name" grep -q "from <stdin>" "$OUT"
gzip -c "$D/good.json" > "$T/good.json.gz"
t_ok "import .gz" cc import "$T/good.json.gz"
t_true ".gz all duplicates" grep -q "(0 new versions, 4 duplicates" "$OUT"
t_ok "stats --json" cc stats --json
t_true "4 objects, 5 versions" jq -e '.objects == 4 and .versions == 5 and .total.indicator.versions == 2 and .collections.default.indicator.objects == 1' "$OUT"
t_ok "stats table" cc stats
t_true "stats table lists indicator" grep -qE '^indicator +1 +2$' "$OUT"

# ---- get ----
t_ok "get latest" cc get "$IND"
t_true "get prints the latest version, indented" jq -e '.modified == "2024-02-01T12:00:00.000Z"' "$OUT"
t_true "get is pretty" grep -q '^  "type": "indicator",$' "$OUT"
t_ok "get --all-versions" cc get --all-versions "$IND"
t_true "two versions, oldest first" jq -e 'length == 2 and .[0].modified < .[1].modified' "$OUT"
t_true "custom property kept" jq -e '.[0].x_custom_score == 87' "$OUT"
t_exit 1 "get unknown id" cc get indicator--00000000-0000-4000-8000-000000000000
t_true "get unknown: message" grep -q "^cybercell: indicator--00000000-0000-4000-8000-000000000000: no such object" "$ERR"

# ---- export ----
t_ok "export to stdout" cc export
t_true "bundle of latest versions" jq -e '.type == "bundle" and (.id | startswith("bundle--")) and (.objects | length) == 4' "$OUT"
id1=$(jq -r .id "$OUT")
t_ok "export -o" cc export -o "$T/all.json" --all-versions
t_true "-o writes the file, nothing on stdout" test -s "$T/all.json" -a ! -s "$OUT"
t_true "all versions: 5" jq -e '(.objects | length) == 5' "$T/all.json"
t_true "fresh bundle id each time" [ "$(jq -r .id "$T/all.json")" != "$id1" ]
t_true "no temp files left" sh -c "! ls '$T'/all.json.tmp.* 2>/dev/null"
t_ok "export --type (repeated)" cc export --type malware --type identity
t_true "only those types" jq -e '[.objects[].type] | sort == ["identity","malware"]' "$OUT"
da=$(sqlite3 "$CYBERCELL_DB" "SELECT max(date_added) FROM entries WHERE vid IN (SELECT vid FROM versions WHERE type = 'relationship')")
ts=$(date -u -d "@$((da / 1000000))" +%Y-%m-%dT%H:%M:%S).$(printf %06d $((da % 1000000)))Z
t_ok "export --added-after" cc export --all-versions --added-after "$ts"
t_true "only the later version" jq -e '[.objects[].modified] == ["2024-02-01T12:00:00.000Z"]' "$OUT"
t_exit 1 "export unknown collection" cc export --collection nope
t_true "unknown collection message" grep -q "^cybercell: collection nope: no such collection" "$ERR"
t_ok "export --collection default" cc export --collection default
t_true "collection export" jq -e '(.objects | length) == 4' "$OUT"
t_ok "re-import of an export is all duplicates" cc import "$T/all.json"
t_true "5 duplicates" grep -q "(0 new versions, 5 duplicates" "$OUT"

# ---- find ----
t_ok "find --alias (case-insensitive)" cc find --alias slk
t_true "finds ShardLock" grep -qE '^malware +malware--31b940d4.* ShardLock' "$OUT"
t_ok "find --name substring --json" cc find --name "c2" --json
t_true "latest name" jq -e -s 'length == 1 and .[0].name == "ShardLock C2 (updated)"' "$OUT"
t_ok "find --related-to" cc find --related-to malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc --json
t_true "the indicator indicates it" jq -e -s '[.[].id] == ["'$IND'"]' "$OUT"
t_ok "find --related-to --relationship-type other" cc find --related-to "$IND" --relationship-type uses --json
t_true "nothing" test ! -s "$OUT"
t_ok "find --type --limit" cc find --type indicator --limit 1 --json
t_true "one line" [ "$(wc -l < "$OUT")" = 1 ]

# ---- --skip-invalid ----
stats a
t_exit 1 "mixed file without --skip-invalid" cc import "$D/mixed.json"
t_true "error names file, index, id, property" grep -q "^cybercell: $D/mixed.json: \[1\] (indicator--1b7a2e9d-5c3f-4d8e-9f0a-2b3c4d5e6f70): valid_from: " "$ERR"
t_true "nothing imported" grep -q "nothing imported" "$ERR"
stats b
t_true "store unchanged" cmp -s "$T/stats.a" "$T/stats.b"
t_ok "mixed file with --skip-invalid" cc import --skip-invalid "$D/mixed.json"
t_true "1 stored, 1 skipped" grep -q "imported 1 objects (1 new versions, 0 duplicates, 1 skipped)" "$OUT"
t_true "skipped one reported" grep -q "(skipped)" "$ERR"

# ---- bad inputs: exit 1, clear error, store unchanged ----
bad() { # bad NAME EXPECTED-STDERR-REGEX: import $T/NAME.json must fail cleanly
	stats before
	t_exit 1 "bad input $1: exit 1" cc import "$T/$1.json"
	t_true "bad input $1: error '$2'" grep -qE "^cybercell: $T/$1.json[:]? ?.*$2" "$ERR"
	stats after
	t_true "bad input $1: store unchanged" cmp -s "$T/stats.before" "$T/stats.after"
}
j() { jq "$1" "$D/good.json" > "$T/$2.json"; }
sed 's/"name": "Test Bank",/"name": "Test Bank"/' "$D/good.json" > "$T/invalid-json.json"
bad invalid-json "[0-9]+:[0-9]+: "
head -c 900 "$D/good.json" > "$T/truncated.json"
bad truncated "[0-9]+:[0-9]+: "
j '.objects[2].id = "malware--a932fcc6-e032-476c-826f-cb970a5a1ade"' wrong-prefix
bad wrong-prefix "objects\[2\] \(malware--a932fcc6-e032-476c-826f-cb970a5a1ade\): id"
j 'del(.objects[2].pattern)' missing-required
bad missing-required "objects\[2\] \($IND\): pattern: "
j '.objects[2].valid_from = "2024-13-45T00:00:00Z"' bad-timestamp
bad bad-timestamp "objects\[2\] \($IND\): valid_from: "
j '.objects[1].modified = "2023-01-01T00:00:00.000Z"' modified-before-created
bad modified-before-created "objects\[1\] \(malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc\): modified"
j '.objects[1].created_by_ref = "malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc"' wrong-ref-type
bad wrong-ref-type "objects\[1\] .*: created_by_ref: "
j '.objects[1].spec_version = "2.2"' unknown-spec-version
bad unknown-spec-version "objects\[1\] .*spec_version"
sed 's/"name": "ShardLock",/"name": "ShardLock", "name": "Other",/' "$D/good.json" > "$T/duplicate-keys.json"
bad duplicate-keys "[0-9]+:[0-9]+: .*(duplicate|name)"
sed 's/"name": "Test Bank",/"name": "Test \xff\xfe Bank",/' "$D/good.json" > "$T/non-utf8.json"
bad non-utf8 "[0-9]+:[0-9]+: .*(decode byte|UTF-8|utf-8)"
python3 -c 'import sys; sys.stdout.write("\"" + "a" * (100 * 1024 * 1024) + "\"")' > "$T/huge-string.json"
bad huge-string "(expected|not a JSON object or array|not a STIX bundle)"
rm -f "$T/huge-string.json"
python3 -c 'import sys; sys.stdout.write("[" * 10000 + "]" * 10000)' > "$T/deep-nesting.json"
bad deep-nesting "[0-9]+:[0-9]+: "
printf '' > "$T/empty.json"
bad empty "[0-9]+:[0-9]+: |empty|EOF|end of"
t_exit 1 "missing file" cc import "$T/does-not-exist.json"
t_true "missing file message" grep -q "^cybercell: $T/does-not-exist.json: No such file" "$ERR"
t_exit 1 "a bad file among good ones fails" cc import "$D/good.json" "$T/truncated.json"
t_true "the good one was still imported" grep -q "from $D/good.json" "$OUT"

# ---- every object type of tests/data/stix/valid round-trips JSON-equal ----
# Four files hold an object with the same id and version as another file
# (a variant of it): they go to a second store.
V=$ROOT/tests/data/stix/valid
variants="ipv4-cidr ipv6-cidr property-extension granular-marking"
: >"$T/va.list"; : >"$T/vb.list"
for f in "$V"/*.json; do
	case " $variants " in *" $(basename "$f" .json) "*) echo "$f" >>"$T/vb.list" ;; *) echo "$f" >>"$T/va.list" ;; esac
done
t_true "51 valid files, 4 of them variants" [ "$(cat "$T"/va.list "$T"/vb.list | wc -l) $(wc -l <"$T/vb.list")" = "51 4" ]
for s in va vb; do
	export CYBERCELL_DB="$T/$s.db"
	mapfile -t files <"$T/$s.list"
	jq -s . "${files[@]}" >"$T/$s.in.json"
	t_ok "import the $s valid objects" cc import "${files[@]}"
	t_ok "export the $s valid objects" cc export --all-versions -o "$T/$s.out.json"
	t_true "$s valid objects: export JSON-equal to the input" same_objects "$T/$s.in.json" "$T/$s.out.json"
done

# ---- OASIS examples (outside test data) round-trip JSON-equal ----
if t_need "OASIS examples round trip" data/oasis/examples/threat-reports; then
	n=0
	while IFS= read -r f; do
		n=$((n + 1))
		export CYBERCELL_DB="$T/oasis$n.db"
		t_ok "import $(basename "$f")" cc import "$f"
		t_ok "export $(basename "$f")" cc export --all-versions -o "$T/oasis$n.json"
		t_true "round trip $(basename "$f")" same_objects "$f" "$T/oasis$n.json"
		rm -f "$T/oasis$n".*
	done < <(find "$TESTDATA/data/oasis/examples" -name '*.json' | sort)
	t_true "8 examples found, incl. threat reports" [ "$n" = 8 ]
fi

# ---- a large STIX 2.1 bundle, generated: unchanged by import and export ----
# bench/gen_stix.py: 2000 objects of many types in one bundle of 640 KiB,
# which import parses on several threads (over 64 KiB and 512 objects).
python3 "$ROOT/bench/gen_stix.py" -n 2000 -f 1 -s 12 "$T/gen" && mv "$T/gen/synth-00.json" "$T/big.json"
BIG=$T/big.json
t_true "generated: 2000 objects, over 64 KiB" \
	[ "$(jq '.objects|length' "$BIG")" = 2000 -a "$(stat -c %s "$BIG")" -gt 65536 ]
export CYBERCELL_DB="$T/big.db"
t_ok "import the generated bundle" cc import "$BIG"
t_true "2000 objects" grep -q "^imported 2000 objects (2000 new versions" "$OUT"
t_ok "export the generated bundle" cc export --all-versions -o "$T/big-out.json"
t_true "export JSON-equal to the input" same_objects "$BIG" "$T/big-out.json"

# ---- ATT&CK for ICS (outside test data, STIX 2.1): unchanged ----
ICS=$TESTDATA/data/attack/ics-attack-18.1.json
if t_need "ATT&CK for ICS round trip" data/attack/ics-attack-18.1.json; then
	export CYBERCELL_DB="$T/ics.db"
	t_ok "import ICS" cc import "$ICS"
	t_true "1826 objects" grep -q "^imported 1826 objects (1826 new versions" "$OUT"
	t_ok "export ICS" cc export --all-versions -o "$T/ics-out.json"
	t_true "ICS export JSON-equal to the input" same_objects "$ICS" "$T/ics-out.json"
fi

# ---- large bundles (parallel path): invalid objects and syntax errors ----
export CYBERCELL_DB="$T/bad.db"
# a bad created on the first SDO from index 100 on, a bad id at index 1500
i1=$(jq '[.objects | to_entries[] | select(.key >= 100 and (.value | has("created"))) | .key][0]' "$BIG")
jq --argjson i "$i1" '.objects[$i].created = "yesterday" | .objects[1500].id = "malware--not-a-uuid"' "$BIG" > "$T/big-bad.json"
t_exit 1 "large bundle with 2 invalid objects" cc import "$T/big-bad.json"
t_true "both reported with index and property" sh -c "grep -q '^cybercell: $T/big-bad.json: objects\[$i1\] (.*): created: ' '$ERR' && grep -q 'objects\[1500\] (malware--not-a-uuid): id: ' '$ERR'"
t_true "nothing imported" grep -q "2 invalid objects (2 problems); nothing imported" "$ERR"
t_ok "the same with --skip-invalid" cc import --skip-invalid --json "$T/big-bad.json"
t_true "1998 stored, 2 skipped" jq -e '.objects == 1998 and .skipped == 2' "$OUT"
sed '0,/"type":"indicator",/s//"type":"indicator","type":"indicator",/' "$BIG" > "$T/big-dup.json"
t_true "a duplicate key was written" [ "$(grep -o '"type":"indicator","type":"indicator",' "$T/big-dup.json" | wc -l)" = 1 ]
stats before
t_exit 1 "large bundle with a duplicate key" cc import "$T/big-dup.json"
t_true "reported with line and column" grep -qE "^cybercell: $T/big-dup.json:[0-9]+:[0-9]+: " "$ERR"
stats after
t_true "store unchanged" cmp -s "$T/stats.before" "$T/stats.after"

# ---- several large files in one run: read and parsed ahead, one transaction each ----
export CYBERCELL_DB="$T/multi.db"
jq '.objects |= .[:900]' "$BIG" > "$T/big-1.json"
jq '.objects |= .[900:]' "$BIG" | gzip > "$T/big-2.json.gz"
t_exit 1 "five files, three of them bad" \
	cc import "$T/big-1.json" "$T/big-bad.json" "$T/missing.json" "$T/big-dup.json" "$T/big-2.json.gz"
t_true "the good ones imported, in order" sh -c "grep -o 'from .*' '$OUT' | tr '\n' ' ' | grep -qx 'from $T/big-1.json from $T/big-2.json.gz '"
t_true "each bad one reported as alone" sh -c "grep -q '^cybercell: $T/big-bad.json: objects\[1500\] (malware--not-a-uuid): id: ' '$ERR' && grep -q '^cybercell: $T/missing.json: No such file' '$ERR' && grep -qE '^cybercell: $T/big-dup.json:[0-9]+:[0-9]+: ' '$ERR'"
t_ok "export" cc export --all-versions -o "$T/multi-out.json"
t_true "the two good halves make the bundle again" same_objects "$BIG" "$T/multi-out.json"
t_true "integrity_check ok" [ "$(sqlite3 "$CYBERCELL_DB" 'PRAGMA integrity_check')" = ok ]
t_true "no WAL left behind" [ ! -e "$CYBERCELL_DB-wal" ]
t_ok "again: all duplicates" cc import --json "$T/big-1.json" "$T/big-2.json.gz"
t_true "2000 duplicates" jq -s -e 'map(.duplicates) | add == 2000' "$OUT"

# ---- STIX 2.0 (gz), shaped like ATT&CK: upgrade, counts, find ----
# tests/data/store/attack20.json: 30 objects, one of them an observed-data
# whose two embedded objects become SCOs of their own.
export CYBERCELL_DB="$T/a20.db"
gzip -c "$D/attack20.json" >"$T/attack20.json.gz"
HERON=intrusion-set--c0de0030-5e1f-4a11-8a5e-000000000030
t_ok "import STIX 2.0 .gz" cc import "$T/attack20.json.gz"
t_true "30 objects and 2 SCOs" grep -qx "imported 32 objects (32 new versions, 0 duplicates, 0 skipped) from $T/attack20.json.gz" "$OUT"
t_ok "stats" cc stats --json
t_true "32 objects, 13 relationships, 6 attack-patterns, 2 intrusion-sets, 2 malware, the SCOs" \
	jq -e '.objects == 32 and .total.relationship.objects == 13 and .total["attack-pattern"].objects == 6 and .total["intrusion-set"].objects == 2 and .total.malware.objects == 2 and .total["domain-name"].objects == 1 and .total["ipv4-addr"].objects == 1' "$OUT"
t_ok "find by alias" cc find --type intrusion-set --alias "heron team"
t_true "STONE HERON (G9001)" grep -qE "^intrusion-set +$HERON +STONE HERON +G9001$" "$OUT"
t_ok "find T9101.001" cc find --external-id T9101.001 --json
t_true "the sub-technique, upgraded" jq -e -s 'length == 1 and .[0].name == "Lure Mail with Attachment" and .[0].spec_version == "2.1"' "$OUT"
t_ok "what STONE HERON uses" cc find --related-to "$HERON" --relationship-type uses --type attack-pattern --json
t_true "its three attack-patterns" jq -e -s '[.[].name] | sort == ["Harvest Cached Credentials", "Lure Mail", "Lure Mail with Attachment"]' "$OUT"
t_ok "get the malware" cc get malware--c0de0040-5e1f-4a11-8a5e-000000000040
t_true "upgraded: labels became malware_types, is_family set" \
	jq -e '.spec_version == "2.1" and .is_family == true and .malware_types == ["malware"] and (has("labels") | not)' "$OUT"

# ---- ATT&CK Enterprise (outside test data, STIX 2.0, gz): upgrade, counts, find ----
ENT=$TESTDATA/data/attack/enterprise-attack-v18.1-stix2.0.json.gz
if t_need "ATT&CK Enterprise import" data/attack/enterprise-attack-v18.1-stix2.0.json.gz; then
	export CYBERCELL_DB="$T/ent.db"
	t_ok "import Enterprise 2.0 .gz" cc import "$ENT"
	t_ok "stats" cc stats --json
	t_true "24771 objects, 20048 relationships, 835 attack-patterns, 187 intrusion-sets, 696 malware" \
		jq -e '.objects == 24771 and .total.relationship.objects == 20048 and .total["attack-pattern"].objects == 835 and .total["intrusion-set"].objects == 187 and .total.malware.objects == 696' "$OUT"
	t_ok "find APT38" cc find --type intrusion-set --alias APT38
	t_true "APT38 (G0082)" grep -qE '^intrusion-set +intrusion-set--[0-9a-f-]+ +APT38 +G0082$' "$OUT"
	t_ok "find T1566" cc find --external-id T1566 --json
	t_true "Phishing" jq -e -s 'length == 1 and .[0].name == "Phishing" and .[0].spec_version == "2.1"' "$OUT"
	apt38=$(cc find --alias APT38 --json | jq -r .id)
	t_ok "what APT38 uses" cc find --related-to "$apt38" --relationship-type uses --type attack-pattern --json
	t_true "APT38 uses 56 attack-patterns" [ "$(wc -l < "$OUT")" = 56 ]
	t_ok "malware upgraded" cc find --type malware --limit 1 --json
	t_true "is_family set" jq -e '.is_family != null' "$OUT"
fi

# ---- kill -9 during a big import leaves the store as before ----
export CYBERCELL_DB="$T/kill.db"
python3 "$ROOT/bench/gen_stix.py" -n 30000 -f 1 -s 13 "$T/gen" && mv "$T/gen/synth-00.json" "$T/huge.json"
t_ok "kill test: a store with the generated bundle" cc import "$BIG"
sqlite3 "$CYBERCELL_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
stats before
# a small page cache makes the import write pages to the WAL long before its commit
CYBERCELL_CACHE_MB=2 "$CYBERCELL" import "$T/huge.json" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1200); do   # wait until the import is writing pages to the WAL
	[ "$(stat -c %s "$CYBERCELL_DB-wal" 2>/dev/null || echo 0)" -gt 1000000 ] && break
	sleep 0.02
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null; rc=$?
t_true "the import was killed mid-write (exit $rc)" [ "$rc" = 137 ]
t_true "integrity_check ok after kill -9" [ "$(sqlite3 "$CYBERCELL_DB" 'PRAGMA integrity_check')" = ok ]
stats after
t_true "after kill -9 the store is as before" cmp -s "$T/stats.before" "$T/stats.after"
t_ok "store still usable" cc import "$D/good.json"

t_done
