#!/usr/bin/env bash
# `find --related-to` by name or alias as `find --alias` resolves them (an
# unknown or ambiguous one is an error), and the table's NAME column for
# relationships (type and ends) and sightings, on the demo data.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
GK=intrusion-set--40bc9835-e633-593c-9cfd-1e20f23d5e2f

# ids ARGS...: the ids find prints for ARGS, one per line, sorted
ids() { "$CYBERCELL" find --json "$@" | jq -r .id | sort; }

t_ok "import the demo data" cc import "$root"/data/demo/*.json
t_ok "GLASS KRAKEN by alias" cc find --alias "glass kraken" --json
t_true "the demo adversary's id" [ "$(jq -r .id "$OUT")" = "$GK" ]

ids --related-to "$GK" > "$T/by-id"
t_true "by id: the adversary has 30 neighbours" [ "$(wc -l < "$T/by-id")" = 30 ]
for name in "GLASS KRAKEN" "glass kraken" "GK-FIN" "Brittle Tide"; do
	t_ok "--related-to '$name'" cc find --related-to "$name"
	t_true "--related-to '$name': the same objects as by id" \
		cmp -s "$T/by-id" <(ids --related-to "$name")
done
t_ok "--related-to NAME with --relationship-type uses --type malware" \
	cc find --related-to "gk-fin" --relationship-type uses --type malware --json
t_true "its three malware" [ "$(jq -r .name "$OUT" | sort | tr '\n' ,)" = "KrakenLoader,ShardLock,TideShell," ]

t_exit 1 "--related-to an unknown name" cc find --related-to "Glass Octopus"
t_true "unknown name: says so" \
	grep -qx "cybercell: --related-to 'Glass Octopus': no object has that name or alias" "$ERR"
t_true "unknown name: no table" [ ! -s "$OUT" ]

# Two objects called "Twin" (a malware and a tool): ambiguous.
cat > "$T/twins.json" <<'EOF'
{"type":"bundle","id":"bundle--5b0d6c6e-4a7e-4c55-9d4e-2f7a4b1c0a01","objects":[
{"type":"malware","spec_version":"2.1","id":"malware--5b0d6c6e-4a7e-4c55-9d4e-2f7a4b1c0a02","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"Twin","is_family":true},
{"type":"tool","spec_version":"2.1","id":"tool--5b0d6c6e-4a7e-4c55-9d4e-2f7a4b1c0a03","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"twin"}]}
EOF
t_ok "import two objects called Twin" cc import "$T/twins.json"
t_exit 1 "--related-to an ambiguous name" cc find --related-to TWIN
t_true "ambiguous: names both" grep -qx "cybercell: --related-to 'TWIN' is ambiguous: Twin (malware--5b0d6c6e-4a7e-4c55-9d4e-2f7a4b1c0a02), twin (tool--5b0d6c6e-4a7e-4c55-9d4e-2f7a4b1c0a03)" "$ERR"
t_ok "an id is taken as it is, even of nothing stored" \
	cc find --related-to malware--5b0d6c6e-4a7e-4c55-9d4e-2f7a4b1c0a09
t_true "nothing related to it" [ "$(wc -l < "$OUT")" = 1 ]

# The table: a relationship's type and ends, a sighting's object.
t_ok "find --type relationship" cc find --type relationship
t_true "no relationship row shows '-' as its name" \
	sh -c "! grep -E '^relationship +relationship--[0-9a-f-]+ +- ' '$OUT'"
t_true "uses: GLASS KRAKEN -> Mimikatz" grep -qxE \
	'relationship +relationship--11be9d91-6d7d-5a5a-be80-ed94b31e9d98 +uses: GLASS KRAKEN -> Mimikatz +-' "$OUT"
t_true "indicates: an indicator -> GLASS KRAKEN" grep -qxE \
	'relationship +relationship--10e1dee6-b53f-5362-80a5-5aa586a83ef7 +indicates: Rclone exfiltration to kraken storage -> GLASS KRAKEN -' "$OUT"
t_ok "find --type sighting" cc find --type sighting
t_true "sighting of KrakenLoader C2 servers" grep -qxE \
	'sighting +sighting--37bf7563-41e8-5667-93e7-e775489959ba +sighting of KrakenLoader C2 servers +-' "$OUT"
t_ok "find --type malware" cc find --type malware --name kraken
t_true "other objects keep their name" grep -qE \
	'^malware +malware--c7365b35-6f7e-5de6-8a66-8dc78b57e9a1 +KrakenLoader +-$' "$OUT"
t_done
