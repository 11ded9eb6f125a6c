#!/usr/bin/env bash
# cybercell attribute (issue 16, item 11): intrusion-sets ranked by the
# evidence they share with what was seen, explained item by item; an aid,
# not a verdict.  On the made-up base tests/data/store/attack20.json, and
# on MITRE ATT&CK Enterprise when the outside test data is there.
. "$(dirname "$0")/lib.sh"
S="${CC_ROOT:-$(pwd)}/tests/data/store"
HERON=intrusion-set--c0de0030-5e1f-4a11-8a5e-000000000030
MOTH=intrusion-set--c0de0031-5e1f-4a11-8a5e-000000000031

t_ok "import the made-up base" cc import "$S/attack20.json"
t_ok "--techniques (an ATT&CK id and a software name)" cc attribute --techniques T9101.001,quillrat
t_true "says it is an aid, not a verdict" grep -q '^An aid to an analyst, not a verdict: 2 intrusion-sets' "$OUT"
t_true "STONE HERON first, explained by both items" sh -c "
	grep -q '^ 1\. STONE HERON .* shares 2 of 2' '$OUT' &&
	grep -q '^      + T9101.001 *Lure Mail with Attachment *weight 0.69 (1 groups)' '$OUT' &&
	grep -q '^ 2\. COPPER MOTH .* shares 0 of 2' '$OUT' && grep -q '^      - S9001 *Quillrat' '$OUT'"
t_ok "--json" cc attribute --techniques T9104 --json
t_true "--json: COPPER MOTH first, its share, the item's weight" jq -e --arg m "$MOTH" '
	(.note | test("not a verdict")) and .groups == 2 and .evidence == 1 and
	.ranking[0].id == $m and .ranking[0].probability > 0.9 and
	.ranking[0].shared[0].external_id == "T9104" and .ranking[0].shared[0].groups == 1 and
	.ranking[1].missing[0].external_id == "T9104"' "$OUT"
t_ok "--top 1" cc attribute --techniques T9104 --top 1 --json
t_true "--top 1: one group" jq -e '.ranking | length == 1' "$OUT"

# --sightings: the indicators sighted and what they indicate (the Heron C2
# domain indicates Quillrat, which STONE HERON uses)
cat > "$T/seen.json" <<'EOF'
{"type":"bundle","id":"bundle--c0de0099-5e1f-4a11-8a5e-000000000099","objects":[
 {"type":"sighting","spec_version":"2.1","id":"sighting--c0de0098-5e1f-4a11-8a5e-000000000098",
  "created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",
  "sighting_of_ref":"indicator--c0de0060-5e1f-4a11-8a5e-000000000060","count":3}]}
EOF
t_ok "--sightings" cc attribute --sightings "$T/seen.json" --json
t_true "--sightings: the indicator and Quillrat, STONE HERON first" jq -e --arg h "$HERON" '
	.evidence == 2 and .ranking[0].id == $h and
	(.ranking[0].shared | map(.name) | sort) == ["Heron C2 domain", "Quillrat"]' "$OUT"

# --report: the objects a stored report refers to
cat > "$T/report.json" <<'EOF'
{"type":"report","spec_version":"2.1","id":"report--c0de0097-5e1f-4a11-8a5e-000000000097",
 "created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"incident 7",
 "published":"2024-01-01T00:00:00Z","object_refs":["attack-pattern--c0de0024-5e1f-4a11-8a5e-000000000024",
 "intrusion-set--c0de0030-5e1f-4a11-8a5e-000000000030","x-unknown--c0de0096-5e1f-4a11-8a5e-000000000096"]}
EOF
t_ok "a report" cc import "$T/report.json"
t_ok "--report" cc attribute --report report--c0de0097-5e1f-4a11-8a5e-000000000097 --json
t_true "--report: its technique (the group it names is not evidence), the unknown object unmatched" \
	jq -e --arg m "$MOTH" '.evidence == 1 and .ranking[0].id == $m and .unmatched ==
	["x-unknown--c0de0096-5e1f-4a11-8a5e-000000000096"]' "$OUT"

t_exit 1 "an unknown technique" cc attribute --techniques T9101,T0000
t_true "names it" grep -q 'attribute: T0000: no technique or software of that id or name in the store' "$ERR"
t_exit 1 "--report of something else" cc attribute --report "$HERON"
t_exit 2 "no evidence option" cc attribute
t_exit 2 "two evidence options" cc attribute --techniques T9101 --report x
t_exit 2 "--top 0" cc attribute --techniques T9101 --top 0

# ATT&CK Enterprise: half of a group's techniques names the group
if t_need "ATT&CK Enterprise" data/attack/enterprise-attack-v18.1-stix2.0.json.gz; then
	export CYBERCELL_DB="$T/attack.db"
	t_ok "import ATT&CK" cc import "$TESTDATA/data/attack/enterprise-attack-v18.1-stix2.0.json.gz"
	for g in G0007 G0016 G0032 G0096; do          # APT28, APT29, Lazarus Group, APT41
		t_ok "$g: its techniques" cc find --related-to "$(cc find --external-id "$g" --json | jq -r .id)" \
			--relationship-type uses --type attack-pattern --json
		half=$(jq -r '.external_references[] | select(.source_name == "mitre-attack") | .external_id' "$OUT" |
			sort | awk 'NR % 2 == 1' | paste -sd, -)
		t_ok "$g: attribute half of them" cc attribute --techniques "$half" --top 3 --json
		t_true "$g: ranked first" jq -e --arg g "$g" \
			'.ranking[0].shared | length > 0' "$OUT"
		t_true "$g: the first is the group" sh -c "cc() { \"$CYBERCELL\" \"\$@\"; };
			[ \"\$(jq -r '.ranking[0].id' '$OUT')\" = \"\$(cc find --external-id $g --json | jq -r .id)\" ]"
	done
fi
t_done
