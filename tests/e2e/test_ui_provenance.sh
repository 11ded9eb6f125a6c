#!/usr/bin/env bash
# Federation provenance on the web interface's object page: each version
# of an object says which peer delivered it and when (as `find --json`'s
# x_cybercell_provenance), a version stored here says nothing, and a member
# sees it only for the versions it may see.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/fed_lib.sh"
. "$(dirname "$0")/ui_lib.sh"

hub_new us && hub_new uk
t_true "uk starts" hub_start uk
t_true "us starts" hub_start us
t_true "us and uk are peers" fed_pair us uk red red
t_ok "us pulls uk's shared collection" fed_pull us uk
mkobjs prov 1 green >"$T/v1.json"
mkobjs prov 1 red 2024-02-01T00:00:00.000Z >"$T/v2.json"
mkobjs prov 1 green 2024-03-01T00:00:00.000Z >"$T/v3.json"
for v in v1 v2 v3; do hc uk import --collection shared "$T/$v.json" >/dev/null; done
mkobjs local 1 green >"$T/local.json"
hc us import --collection shared "$T/local.json" >/dev/null
t_ok "us syncs" hc us sync --json
t_true "it pulled the three versions" [ "$(jq -r '"\(.objects) \(.new)"' "$OUT")" = "3 3" ]
hc us org add bank-a >/dev/null
hc us grant bank-a shared read --max-tlp amber >/dev/null
printf 'analyst-password\n' | hc us user add analyst --org bank-a --password-stdin >/dev/null
BASE=${URL_us%/taxii2/}
ui_login analyst:analyst-password
t_true "the analyst logs in on us" code_is 200

ID=$(hc us find --name "prov 0" --json | jq -r .id)
WHEN=$(hc us find --name "prov 0" --json | jq -c .x_cybercell_provenance)
ureq GET "/ui/api/object?id=$ID"
t_true "the object page lists the two versions at most amber" \
	[ "$CODE $(jb '[.versions[].modified]|join(",")')" = "200 2024-03-01T00:00:00.000Z,2024-01-01T00:00:00.000Z" ]
t_true "the latest says uk delivered it, when find --json says" \
	[ "$(jq -c '.versions[0].received' "$T/b")" = "$WHEN" ]
t_true "the first too, from uk" [ "$(jb '.versions[1].received|map(.peer)|join(",")')" = "uk" ]
t_true "nothing of the red version between them" [ "$(grep -c 2024-02-01 "$T/b")" = 0 ]
LID=$(hc us find --name "local 0" --json | jq -r .id)
ureq GET "/ui/api/object?id=$LID"
t_true "a version stored here says nothing of a peer" [ "$CODE $(jb '.versions[0].received|length')" = "200 0" ]
hub_stop us
hub_stop uk
t_clean "no sanitizer report from the servers" "$T/us.err"
t_done
