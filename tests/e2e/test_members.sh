#!/usr/bin/env bash
# End-to-end tests of the member commands: org, user, collection, grant, revoke.
. "$(dirname "$0")/lib.sh"

# ---- org ----
t_ok "org add" cc org add bank-a
t_true "org add prints an identity id" grep -qE '^identity--[0-9a-f-]{36}$' "$OUT"
t_ok "second org" cc org add "bank b"
t_exit 1 "duplicate org" cc org add bank-a
t_true "duplicate org message" grep -q '^cybercell: ' "$ERR"
t_ok "org list" cc org list
t_true "org list has both" [ "$(cut -f1 "$OUT" | sort | tr '\n' ,)" = "bank b,bank-a," ]
t_ok "org list --json" cc org list --json
t_true "org list json" [ "$(jq -r '[.[].name]|sort|join(",")' "$OUT")" = "bank b,bank-a" ]
t_exit 2 "org without subcommand" cc org
t_exit 2 "org bad subcommand" cc org remove x
t_exit 2 "org add without name" cc org add
t_ok "org --help" cc org --help
t_true "org usage text" grep -q '^usage: cybercell org' "$OUT"

# ---- user ----
t_ok "user add with generated password" cc user add alice --org bank-a
PW=$(cat "$OUT")
t_true "generated password is 24 characters" [ ${#PW} = 24 ]
t_true "told on stderr that it is shown once" grep -q 'shown once' "$ERR"
t_true "password not in the store in clear" bash -c "! grep -qa -- '$PW' '$CYBERCELL_DB'"
t_true "argon2id hash in the store" bash -c "grep -qa argon2id '$CYBERCELL_DB'*"
t_ok "user add with stdin password" sh -c "echo 'correct horse battery' | '$CYBERCELL' user add bob --org 'bank b' --password-stdin"
t_true "nothing printed for a stdin password" [ ! -s "$OUT" ]
t_exit 1 "short password refused" sh -c "echo short | '$CYBERCELL' user add carol --org bank-a --password-stdin"
t_exit 1 "empty stdin refused" sh -c "'$CYBERCELL' user add carol --org bank-a --password-stdin </dev/null"
t_exit 1 "unknown org" cc user add carol --org nobody
t_exit 1 "duplicate user" sh -c "echo 'another password' | '$CYBERCELL' user add bob --org bank-a --password-stdin"
t_exit 2 "user add without --org" cc user add carol
t_exit 2 "user name with a colon" cc user add 'a:b' --org bank-a
t_ok "user list" cc user list
t_true "user list lines" [ "$(sort "$OUT" | tr '\t\n' ':,')" = "alice:bank-a,bob:bank b," ]
t_ok "user list --json" cc user list --json
t_true "user list json" [ "$(jq -r '.[]|select(.name=="bob").org' "$OUT")" = "bank b" ]
t_true "no hash in user list" bash -c "! grep -q argon2 '$OUT'"
t_ok "user passwd (stdin)" sh -c "echo 'a new long password' | '$CYBERCELL' user passwd bob --password-stdin"
t_ok "user passwd (generated)" cc user passwd alice
t_true "passwd prints a new password" [ "$(wc -c <"$OUT")" = 25 -a "$(cat "$OUT")" != "$PW" ]
t_exit 1 "passwd unknown user" sh -c "echo 'a new long password' | '$CYBERCELL' user passwd nobody --password-stdin"
echo 'temporary password' | cc user add leaver --org bank-a --password-stdin >/dev/null
t_ok "user remove" cc user remove leaver
t_true "removed from the list" bash -c "! '$CYBERCELL' user list | grep -q '^leaver'"
t_exit 1 "remove again: no such user" cc user remove leaver
t_true "says so" grep -q 'leaver: no such user' "$ERR"
t_exit 2 "remove without a name" cc user remove
t_exit 2 "user without subcommand" cc user
t_ok "user --help" cc user --help
t_true "user usage text" grep -q '^usage: cybercell user' "$OUT"

# ---- collection ----
t_ok "collection add" cc collection add intel --title "Shared intel" --description "d"
ID=$(cat "$OUT")
t_true "collection add prints a UUID" grep -qE '^[0-9a-f-]{36}$' "$OUT"
t_ok "collection add with id and default tlp" cc collection add secret \
	--id 11111111-2222-4333-8444-555555555555 --default-tlp amber+strict
t_true "the given id" [ "$(cat "$OUT")" = 11111111-2222-4333-8444-555555555555 ]
t_exit 1 "duplicate collection" cc collection add intel
t_exit 1 "duplicate collection id" cc collection add other --id 11111111-2222-4333-8444-555555555555
t_exit 2 "bad --id" cc collection add x --id nope
t_exit 2 "bad --default-tlp" cc collection add x --default-tlp purple
t_ok "collection list" cc collection list
t_true "collection list line" grep -q "^$ID	intel	clear	Shared intel	-$" "$OUT"
t_true "default tlp listed" grep -q "^11111111-2222-4333-8444-555555555555	secret	amber+strict	" "$OUT"
t_ok "collection list --json" cc collection list --json
t_true "collection list json" [ "$(jq -r '.[]|select(.name=="intel")|.title + "/" + .description + "/" + .default_tlp' "$OUT")" = "Shared intel/d/clear" ]
t_exit 2 "collection list with add options" cc collection list --title x

# ---- grant / revoke ----
t_ok "grant read-write" cc grant bank-a intel read-write --max-tlp red
t_true "grant echoes" [ "$(cat "$OUT")" = "bank-a	intel	read-write	red" ]
t_ok "grant by collection id, default max amber" cc grant "bank b" "$ID" read
t_true "default max-tlp amber" grep -q 'read	amber$' "$OUT"
t_ok "grant replaces" cc grant "bank b" intel write --max-tlp green
t_true "replaced" grep -q 'write	green$' "$OUT"
t_exit 2 "grant bad mode" cc grant bank-a intel everything
t_exit 2 "grant bad tlp" cc grant bank-a intel read --max-tlp white-ish
t_exit 2 "grant missing args" cc grant bank-a intel
t_exit 1 "grant unknown org" cc grant nobody intel read
t_exit 1 "grant unknown collection" cc grant bank-a nothing read
t_ok "revoke" cc revoke "bank b" intel
t_exit 1 "revoke again: no grant" cc revoke "bank b" intel
t_exit 1 "revoke unknown org" cc revoke nobody intel
t_exit 2 "revoke missing args" cc revoke bank-a
for c in grant revoke collection serve; do
	t_ok "$c --help" cc "$c" --help
	t_true "$c usage text" grep -q "^usage: cybercell $c" "$OUT"
done
t_done
