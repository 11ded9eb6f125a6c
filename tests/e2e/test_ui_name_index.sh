#!/usr/bin/env bash
# The index behind the web interface's search of a name's part (store
# schema step 10, names_tri: FTS5 trigrams of every name; step 11: without
# positions, written by the flush of the pending rows): a store of schema 9
# or 10 gets it (re)filled from the names it holds; it stays in step with
# the names as versions come and go; a search through it finds exactly
# what a read of every name finds, its trigrams in another order or the
# FTS5 query syntax in the text included.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 "$CYBERCELL_DB" "$1"; }
in_step() { [ "$(q "SELECT (SELECT count(*) FROM names_tri) || ' ' || (SELECT count(*) FROM names WHERE kind = 0)")" = "$1 $1" ]; }
cc init >/dev/null
t_ok "import the demo data" cc import "$ROOT"/data/demo/*.json
N=$(q "SELECT count(*) FROM names WHERE kind = 0")
t_true "one trigram row per name ($N)" in_step "$N"
KRAKEN="GLASS KRAKEN|GLASS KRAKEN hosting range|Glass Kraken operators|KrakenLoader|KrakenLoader C2 domain|KrakenLoader C2 servers|KrakenLoader dropper|Rclone exfiltration to kraken storage|"
lean() { # the index as step 11 leaves it: no positions, 4 MiB of pending data, one trigger
	[ "$(q "SELECT sql LIKE '%detail=none%' FROM sqlite_master WHERE name = 'names_tri'")" = 1 ] &&
	[ "$(q "SELECT v FROM names_tri_config WHERE k = 'hashsize'")" = 4194304 ] &&
	[ "$(q "SELECT group_concat(name) FROM sqlite_master WHERE type = 'trigger'")" = names_tri_del ] &&
	[ "$(q "SELECT count(*) FROM sqlite_master WHERE name = 'names_tri_new'")" = 0 ]
}
t_true "the index keeps no positions and has no queue" lean
# the store as schema 9 left it
q "DROP TRIGGER names_tri_del; DROP TABLE names_tri; PRAGMA user_version = 9"
t_ok "a store of schema 9 is migrated when opened" cc find --name raken --json
t_true "to schema 11, the index filled from its names" \
	[ "$(q 'PRAGMA user_version') $(q 'SELECT count(*) FROM names_tri')" = "11 $N" ]
t_true "(as step 11 leaves it)" lean
t_true "and a part of a name finds what it finds" [ "$(jq -r .name "$OUT" | sort | tr '\n' '|')" = "$KRAKEN" ]
# the store as schema 10 left it: positions, a queue filled by a trigger
q "DROP TRIGGER names_tri_del; DROP TABLE names_tri;
CREATE VIRTUAL TABLE names_tri USING fts5(value, tokenize='trigram', columnsize=0);
CREATE TABLE names_tri_new(vid INTEGER PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO names_tri(rowid, value) SELECT vid, value FROM names WHERE kind = 0;
CREATE TRIGGER names_tri_add AFTER INSERT ON names WHEN new.kind = 0 BEGIN
 INSERT OR REPLACE INTO names_tri_new(vid, value) VALUES(new.vid, new.value); END;
CREATE TRIGGER names_tri_del AFTER DELETE ON names WHEN old.kind = 0 BEGIN
 DELETE FROM names_tri_new WHERE vid = old.vid; DELETE FROM names_tri WHERE rowid = old.vid; END;
PRAGMA user_version = 10"
t_ok "a store of schema 10 is migrated when opened" cc find --name raken --json
t_true "to schema 11, the index rebuilt from its names" \
	[ "$(q 'PRAGMA user_version') $(q 'SELECT count(*) FROM names_tri')" = "11 $N" ]
t_true "(as step 11 leaves it)" lean
t_true "and a part of a name finds what it finds" [ "$(jq -r .name "$OUT" | sort | tr '\n' '|')" = "$KRAKEN" ]
t_ok "a part of 2 characters still reads every name" cc find --name "ke" --json
t_true "(the same 8 and more)" [ "$(jq -r .name "$OUT" | grep -ci kraken)" = 8 ]
# a new version of a named object: its name joins the index
ID=$(cc find --name "Glass Kraken operators" --json | jq -r .id)
cc get "$ID" >"$T/obj.json"
jq '.name = "Glass Kraken crew" | .modified = "2030-01-01T00:00:00.000Z"' "$T/obj.json" >"$T/obj2.json"
t_ok "import a renamed version" cc import "$T/obj2.json"
t_true "its name is indexed" in_step $((N + 1))
t_true "(its row is the version's)" [ "$(q "SELECT count(*) FROM names_tri WHERE rowid = (SELECT max(vid) FROM names WHERE value = 'Glass Kraken crew')")" = 1 ]
t_ok "a part of the new name" cc find --name "raken cre" --json
t_true "finds it" [ "$(jq -r .id "$OUT")" = "$ID" ]
t_ok "a part of the old name" cc find --name "ken operat" --json
t_true "finds no latest version any more" [ ! -s "$OUT" ]
# the trigrams only narrow: every trigram of "qwert" is in "qwer-wert", the text is not
cat >"$T/odd.json" <<'JSON'
{"type": "bundle", "id": "bundle--0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b", "objects": [
 {"type": "tool", "spec_version": "2.1", "id": "tool--0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a",
  "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "qwer-wert"},
 {"type": "tool", "spec_version": "2.1", "id": "tool--0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c",
  "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "He said \"hi\" OR *"}]}
JSON
t_ok "import two oddly named tools" cc import "$T/odd.json"
t_ok "a text whose trigrams are all in a name, in another order" cc find --name qwert --json
t_true "does not find it" [ ! -s "$OUT" ]
t_ok "a part of it" cc find --name "r-we" --json
t_true "finds it" [ "$(jq -r .name "$OUT")" = "qwer-wert" ]
t_ok "a part with quotes and FTS5 operators" cc find --name 'd "hi" OR *' --json
t_true "is only text" [ "$(jq -r .name "$OUT")" = 'He said "hi" OR *' ]
t_ok "FTS5 syntax that is in no name" cc find --name '"hi" AND NOT x' --json
t_true "finds nothing" [ ! -s "$OUT" ]
t_done
