#!/usr/bin/env bash
# The index behind the web interface's search of a name's part (store
# schema step 10, names_tri: FTS5 trigrams of every name): a store of
# schema 9 gets it filled from the names it holds; it stays in step with
# the names as versions come and go; a search through it finds exactly
# what a read of every name finds.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 "$CYBERCELL_DB" "$1"; }
in_step() { [ "$(q "SELECT (SELECT count(*) FROM names_tri) || ' ' || (SELECT count(*) FROM names WHERE kind = 0)")" = "$1 $1" ]; }
cc init >/dev/null
t_ok "import the demo data" cc import "$ROOT"/data/demo/*.json
N=$(q "SELECT count(*) FROM names WHERE kind = 0")
t_true "one trigram row per name ($N)" in_step "$N"
# the store as schema 9 left it
q "DROP TRIGGER names_tri_add; DROP TRIGGER names_tri_del; DROP TABLE names_tri; DROP TABLE names_tri_new; PRAGMA user_version = 9"
t_ok "a store of schema 9 is migrated when opened" cc find --name raken --json
t_true "to schema 10, the index filled from its names" \
	[ "$(q 'PRAGMA user_version') $(q 'SELECT count(*) FROM names_tri')" = "10 $N" ]
t_true "and a part of a name finds what it finds" [ "$(jq -r .name "$OUT" | sort | tr '\n' '|')" = \
	"GLASS KRAKEN|GLASS KRAKEN hosting range|Glass Kraken operators|KrakenLoader|KrakenLoader C2 domain|KrakenLoader C2 servers|KrakenLoader dropper|Rclone exfiltration to kraken storage|" ]
t_ok "a part of 2 characters still reads every name" cc find --name "ke" --json
t_true "(the same 8 and more)" [ "$(jq -r .name "$OUT" | grep -ci kraken)" = 8 ]
# a new version of a named object: its name joins the index
ID=$(cc find --name "Glass Kraken operators" --json | jq -r .id)
cc get "$ID" >"$T/obj.json"
jq '.name = "Glass Kraken crew" | .modified = "2030-01-01T00:00:00.000Z"' "$T/obj.json" >"$T/obj2.json"
t_ok "import a renamed version" cc import "$T/obj2.json"
t_true "its name is indexed" in_step $((N + 1))
t_true "(through names_tri_new, empty again)" [ "$(q 'SELECT count(*) FROM names_tri_new')" = 0 ]
t_ok "a part of the new name" cc find --name "raken cre" --json
t_true "finds it" [ "$(jq -r .id "$OUT")" = "$ID" ]
t_ok "a part of the old name" cc find --name "ken operat" --json
t_true "finds no latest version any more" [ ! -s "$OUT" ]
t_done
