#!/usr/bin/env bash
# End-to-end tests of `cybercell validate`: our fixtures of every type, and
# real data when the outside test data is there, valid; every bad input
# of the foundation issue a clear error with its place and exit 1, no crash
# and no hang on huge or deep input.
. "$(dirname "$0")/lib.sh"

IND='{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern":"[ipv4-addr:value = '"'"'198.51.100.1'"'"']","pattern_type":"stix","valid_from":"2016-04-06T20:03:48.000Z"'
bundle() { # bundle FILE OBJECT-JSON...: write a bundle of the objects
	local f=$1; shift
	local IFS=,
	printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[%s]}\n' "$*" >"$f"
}
err_has() { grep -qF -- "$1" "$ERR"; }

# --- good input ---
V=$ROOT/tests/data/stix/valid
t_ok "every object type of tests/data/stix/valid" cc validate "$V"/*.json
t_true "51 files, each 1 object, valid" [ "$(grep -c ': 1 objects, valid$' "$OUT")" = 51 ]
gzip -c "$ROOT/tests/data/store/attack20.json" >"$T/attack20.json.gz"
t_ok "STIX 2.0 (gz) shaped like ATT&CK upgrades and validates" cc validate "$T/attack20.json.gz"
t_true "attack20: 30 objects" grep -qx "$T/attack20.json.gz: 30 objects, valid" "$OUT"
if t_need "ATT&CK (outside test data) validates" data/attack/ics-attack-18.1.json \
	data/attack/enterprise-attack-v18.1-stix2.0.json.gz; then
	t_ok "ICS ATT&CK (STIX 2.1) valid" cc validate "$TESTDATA/data/attack/ics-attack-18.1.json"
	t_true "ICS: 1826 objects" grep -q "1826 objects, valid" "$OUT"
	t_ok "Enterprise ATT&CK (STIX 2.0, gz) upgrades and validates" \
		cc validate "$TESTDATA/data/attack/enterprise-attack-v18.1-stix2.0.json.gz"
	t_true "Enterprise: 24771 objects" grep -q "24771 objects, valid" "$OUT"
fi
if t_need "OASIS examples (outside test data) validate" data/oasis/examples/threat-reports; then
	n=0
	for f in "$TESTDATA"/data/oasis/examples/*.json "$TESTDATA"/data/oasis/examples/threat-reports/*.json; do
		n=$((n + 1))
		t_ok "OASIS example $(basename "$f") valid" cc validate "$f"
	done
	t_true "8 OASIS examples, threat reports included" [ "$n" = 8 ]
fi
bundle "$T/good.json" "$IND}"
t_ok "stdin '-'" sh -c "'$CYBERCELL' validate - <'$T/good.json'"
t_true "stdin shown as <stdin>" grep -q "<stdin>: 1 objects, valid" "$OUT"
t_ok "--json all valid" cc validate --json "$T/good.json"
t_true "--json shape" jq -e '.files[0].valid == true and .files[0].objects == 1 and (.files[0].problems | length) == 0' "$OUT"
printf '%s}' "$IND" >"$T/one.json"
t_ok "single object (not a bundle)" cc validate "$T/one.json"

OD20='{"type":"observed-data","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf","created":"2016-04-06T19:58:16.000Z","modified":"2016-04-06T19:58:16.000Z","first_observed":"2015-12-21T19:00:00Z","last_observed":"2015-12-21T19:00:00Z","number_observed":1,"objects":{"0":{"type":"ipv4-addr","value":"198.51.100.3"},"1":{"type":"network-traffic","src_ref":"0","dst_port":443,"protocols":["tcp"]}}}'
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[%s]}' "$OD20" >"$T/od20.json"
t_ok "STIX 2.0 observed-data upgraded and valid" cc validate "$T/od20.json"
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[%s]}' "${OD20/\"src_ref\":\"0\"/\"src_ref\":\"9\"}" >"$T/od20bad.json"
t_exit 1 "STIX 2.0 observed-data with a dangling reference" cc validate "$T/od20bad.json"
t_true "dangling reference named" grep -qF 'objects[0] (observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf): objects.1: reference to unknown object "9"' "$ERR"
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[%s]}' "${OD20/198.51.100.3/198.51.100.300}" >"$T/od20ip.json"
t_exit 1 "STIX 2.0 observed-data: upgraded SCO validated too" cc validate "$T/od20ip.json"
t_true "bad SCO named with its new id" grep -qE 'objects\[0\] \(ipv4-addr--[0-9a-f-]{36}\): value: not an IPv4 address' "$ERR"

# --- usage ---
t_exit 2 "no FILE: usage error" cc validate
t_exit 2 "unknown option: usage error" cc validate --frobnicate x.json
t_ok "--help" cc validate --help
t_true "usage text" grep -q "^usage: cybercell validate" "$OUT"

# --- bad input: exit 1 and a message with file, place and reason ---
bad() { # bad DESC FILE EXPECTED-STDERR-FRAGMENT
	t_exit 1 "$1" cc validate "$2"
	if grep -qF -- "$3" "$ERR"; then _pass=$((_pass + 1)); else
		_fail=$((_fail + 1)); echo "FAIL: $1: stderr lacks '$3'"; sed 's/^/    /' "$ERR" | head -3; fi
}
printf '{"type": "bundle", "objects": [ {"type": }\n]}' >"$T/invalid.json"
bad "invalid JSON" "$T/invalid.json" "invalid.json:1:"
head -c 300 "$ROOT/tests/data/store/attack20.json" >"$T/truncated.json"
bad "truncated file" "$T/truncated.json" "truncated.json:"
bundle "$T/prefix.json" "${IND/indicator--8e2e/malware--8e2e}}"
bad "wrong id prefix" "$T/prefix.json" 'objects[0] (malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f): id: identifier type does not match "indicator"'
bundle "$T/missing.json" "${IND/\"pattern_type\":\"stix\",/}}"
bad "missing required property" "$T/missing.json" "objects[0] (indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f): pattern_type: required property missing"
bundle "$T/ts.json" "${IND/\"valid_from\":\"2016-04-06T20:03:48.000Z\"/\"valid_from\":\"2016-04-06 20:03\"}}"
bad "bad timestamp" "$T/ts.json" "ts.json: objects[0] (indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f): valid_from: not a STIX timestamp"
bundle "$T/mod.json" "${IND/\"modified\":\"2016/\"modified\":\"2015}}"
bad "modified < created" "$T/mod.json" "modified: must be later than or equal to created"
bundle "$T/ref.json" "$IND,\"created_by_ref\":\"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}"
bad "reference to a wrong type" "$T/ref.json" "created_by_ref: must reference identity, not malware"
bundle "$T/rel.json" '{"type":"relationship","spec_version":"2.1","id":"relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","relationship_type":"uses","source_ref":"bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}'
bad "relationship to a bundle" "$T/rel.json" "source_ref: must reference SDO or SCO, not bundle"
bundle "$T/sv.json" "${IND/\"spec_version\":\"2.1\"/\"spec_version\":\"2.3\"}}"
bad "unknown spec_version" "$T/sv.json" 'spec_version: unknown spec_version "2.3"'
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",\n"objects":[],\n"id":"x"}' >"$T/dup.json"
bad "duplicate keys" "$T/dup.json" "dup.json:3:"
t_true "duplicate keys named" err_has "duplicate"
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","x_n":"\xff\xfe"}' >"$T/utf8.json"
bad "non-UTF-8" "$T/utf8.json" "utf8.json:1:"
t_true "non-UTF-8 named" grep -qi "utf-8" "$ERR"
t_true "no output for an invalid file on stdout" sh -c "! grep -q valid '$OUT'"

printf '{"type":"bundle","id":"bundle--1234","objects":[]}' >"$T/bid.json"
bad "bundle with a bad id" "$T/bid.json" "bid.json: bundle: id: not a bundle identifier (bundle--UUID)"
printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}]}' >"$T/nested.json"
bad "bundle inside a bundle" "$T/nested.json" "objects[0] (bundle--5d0092c5-5f74-4287-9642-33f4c354e56d): type: a bundle is not allowed as an object"

# 100 MB: a single huge string as the whole document, and one inside an object
{ printf '"'; head -c 100000000 /dev/zero | tr '\0' a; printf '"'; } >"$T/bigstr.json"
bad "100 MB single string" "$T/bigstr.json" "bigstr.json:1:1: not a JSON object or array"
{ printf '%s,"description":"' "$IND"; head -c 100000000 /dev/zero | tr '\0' a; printf '"}'; } >"$T/bigdesc.json"
t_exit 0 "100 MB description in a valid object: no crash" timeout 120 "$CYBERCELL" validate "$T/bigdesc.json"
rm -f "$T/bigstr.json" "$T/bigdesc.json"
# 10,000 levels of nesting
{ head -c 10000 /dev/zero | tr '\0' '['; head -c 10000 /dev/zero | tr '\0' ']'; } >"$T/deep.json"
bad "10,000-level nesting" "$T/deep.json" "deep.json:1:"
t_true "nesting named" grep -q "depth" "$ERR"
{ printf '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[%s,"x_deep":' "$IND"
  head -c 10000 /dev/zero | tr '\0' '['; head -c 10000 /dev/zero | tr '\0' ']'; printf '}]}'; } >"$T/deep2.json"
bad "10,000-level nesting inside an object" "$T/deep2.json" "deep2.json:1:"

# --- several files, --json with problems ---
t_exit 1 "one bad file of two: exit 1" cc validate "$T/good.json" "$T/ts.json"
t_true "the good one reported valid" grep -q "good.json: 1 objects, valid" "$OUT"
t_exit 1 "--json with problems" cc validate --json "$T/ts.json" "$T/good.json"
t_true "--json problem entry" jq -e '.files[0].valid == false and .files[0].problems[0].index == 0 and .files[0].problems[0].id == "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" and .files[0].problems[0].path == "valid_from" and .files[0].problems[0].message == "not a STIX timestamp" and .files[1].valid == true' "$OUT"
t_exit 1 "--json parse error" cc validate --json "$T/dup.json"
t_true "--json parse error entry" jq -e '.files[0].valid == false and .files[0].problems[0].index == null and (.files[0].problems[0].message | test("duplicate"))' "$OUT"
t_exit 1 "missing file" cc validate "$T/nope.json"
t_true "missing file named" grep -q "nope.json" "$ERR"

t_done
