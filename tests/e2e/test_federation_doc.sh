#!/usr/bin/env bash
# docs/federation.md's walk-through, a UK hub and a US hub, run as it
# stands: every ```sh block, in order, in one shell (the two ports it
# names replaced by free ones), then what it says is checked: the sync
# lines it shows, what each hub holds, the national collections kept home.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
DOC=$ROOT/docs/federation.md

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P1=$(free_port)
P2=$(free_port)
mkdir -p "$T/doc/bin"
ln -s "$CYBERCELL" "$T/doc/bin/cybercell"
ln -s "$ROOT/data" "$T/doc/data"
{
	echo 'set -e'
	awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on' "$DOC"
} | sed -e "s/127\.0\.0\.1:6443/127.0.0.1:$P1/g" -e "s/127\.0\.0\.1:7443/127.0.0.1:$P2/g" >"$T/doc/run.sh"
t_true "the walk-through has its blocks" [ "$(grep -c 'cybercell' "$T/doc/run.sh")" -gt 20 ]
t_ok "the walk-through runs" env PATH="$T/doc/bin:$PATH" CYBERCELL_DB= bash -c "cd '$T/doc' && timeout 120 bash run.sh"
cp "$OUT" "$T/doc.out"
mask() { sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ID/g; s/[0-9a-f]{8}-…/ID/g'; }
# the sync lines the page shows, in the order it shows them
awk '/^```/ { if (inb) { inb = 0; plain = 0 } else { inb = 1; plain = ($0 == "```") } next }
	inb && plain && /^pull /' "$DOC" | mask >"$T/want"
grep '^pull ' "$T/doc.out" | mask >"$T/got"
t_true "the page shows four sync lines" [ "$(wc -l <"$T/want")" = 4 ]
t_true "the sync lines are those the page shows" cmp -s "$T/want" "$T/got"
diff "$T/want" "$T/got" | head -5
t_true "the provenance line the page shows" \
	[ "$(grep -c '^\[{"peer":"uk-hub","received":"20[0-9-]*T[0-9:.]*Z"}\]$' "$T/doc.out")" = 1 ]
c() { "$CYBERCELL" --db "$T/doc/$1.db" "${@:2}"; }
t_true "the US joint collection: the UK's 89 up to amber, and its own 4" \
	[ "$(c us export --all-versions --collection joint | jq '.objects | length')" = 93 ]
t_true "the UK joint collection: its 92 and the US 4" \
	[ "$(c uk export --all-versions --collection joint | jq '.objects | length')" = 96 ]
t_true "no UK national object on the US hub" \
	bash -c "! '$CYBERCELL' --db '$T/doc/us.db' export --all-versions | grep -q 'UK-only'"
t_true "nor any object marked TLP:RED or AMBER+STRICT" [ "$(c us export --all-versions | jq '[.objects[] |
	select((.object_marking_refs // []) | map(test("e828b379|939a9414")) | any)] | length')" = 0 ]
t_true "no US national object on the UK hub" \
	bash -c "! '$CYBERCELL' --db '$T/doc/uk.db' export --all-versions | grep -q 'US-only'"
t_clean "no sanitizer report from the UK server" "$T/doc/uk.log"
t_clean "no sanitizer report from the US server" "$T/doc/us.log"
t_done
