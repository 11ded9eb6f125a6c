#!/usr/bin/env bash
# End-to-end tests of `cybercell wargame check` and `wargame graph`.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
D=$root/tests/data/wargame
ADV="--adversary-file $D/adversary.yaml --rules $D/rules"

t_exit 2 "wargame without subcommand" cc wargame
t_true "usage hint" grep -q "cybercell wargame --help" "$ERR"
t_ok "wargame --help" cc wargame --help
t_true "help starts with usage" grep -q "^usage: cybercell wargame" "$OUT"
t_exit 2 "unknown subcommand" cc wargame frobnicate

# check
t_ok "check the demo bank" cc wargame check "$root/data/demo/bank.yaml"
t_true "check summary" grep -q "ok — Northgate Savings Bank: 8 zones, 21 hosts" "$OUT"
t_ok "check --json" cc wargame check "$root/data/demo/bank.yaml" --json
t_true "check json" jq -e '.ok == true and .hosts == 21 and .jewels == 5' "$OUT"
printf 'zones: [{name: z}]\nhosts:\n  - {name: a, zone: z, colour: red}\n' > "$T/bad.yaml"
t_exit 1 "check an unknown key" cc wargame check "$T/bad.yaml"
t_true "error names file:line:col and key" grep -q "cybercell: $T/bad.yaml:3:24: hosts\[0\]: unknown key 'colour'" "$ERR"
printf 'zones: [{name: z}]\nhosts: [{name: a, zone: z}]\naccounts: [{name: u, cached: [ghost]}]\n' > "$T/dangling.yaml"
t_exit 1 "check a dangling reference" cc wargame check "$T/dangling.yaml"
t_true "dangling reference named" grep -q "accounts\[0\].cached\[0\]: no host or zone named 'ghost'" "$ERR"
t_exit 1 "check a missing file" cc wargame check "$T/none.yaml"
t_exit 2 "check without a model" cc wargame check

# graph on the hand-checked chain
t_ok "graph chain" cc wargame graph "$D/chain.yaml" $ADV
t_true "one of two jewels reachable" grep -q "crown jewels reachable: 1 of 2" "$OUT"
t_true "chain probability" grep -q "most likely: 6 steps, p=0.072, 12.0 h" "$OUT"
t_true "vault unreachable" grep -q "jewel vault-data (payments on vault): not reachable" "$OUT"
t_true "explanation" grep -q "The attacker uses Exploit Public-Facing Application (T1190, p=0.50" "$OUT"
t_true "cheapest cut, an ATT&CK mitigation" grep -qF "  - remove cached credentials of dbadmin from app (cost 1.0; ATT&CK M1043 Credential Access Protection, M1026 Privileged Account Management)" "$OUT"
t_ok "graph chain --json" cc wargame graph "$D/chain.yaml" $ADV --json
t_true "json jewel p" jq -e '.jewels[0].most_likely.p > 0.0719 and .jewels[0].most_likely.p < 0.0721 and .jewels[1].reachable == false' "$OUT"
t_true "json cut" jq -e '.hardening.cut_found and .hardening.cut_exact and (.hardening.cut | length) == 1' "$OUT"
t_ok "graph chain --dot" cc wargame graph "$D/chain.yaml" $ADV --dot
t_true "dot header" grep -q "^digraph attack {" "$OUT"
t_ok "dot renders (graphviz, from scripts/install-deps)" dot -Tsvg "$OUT" -o "$T/g.svg"

# the demo bank with the project's rules and adversary
t_ok "graph the demo bank" cc wargame graph "$root/data/demo/bank.yaml" --adversary-file "$root/data/demo/adversary.yaml" --rules "$root/data/rules"
t_true "swift jewel reachable" grep -q "jewel swift-payments (swift on swift-aa): REACHABLE" "$OUT"
t_true "hardening printed" grep -q "^hardening: risk" "$OUT"

# usage and input errors
t_exit 2 "graph needs an adversary" cc wargame graph "$D/chain.yaml"
t_exit 2 "graph takes one adversary" cc wargame graph "$D/chain.yaml" --adversary X --adversary-file "$D/adversary.yaml"
t_exit 2 "dot and json exclude" cc wargame graph "$D/chain.yaml" $ADV --dot --json
printf 'name: x\ntechniques: [T1190, bogus]\n' > "$T/adv.yaml"
t_exit 1 "bad adversary file" cc wargame graph "$D/chain.yaml" --adversary-file "$T/adv.yaml" --rules "$D/rules"
t_true "adversary error located" grep -q "adv.yaml:2:21: techniques\[1\]" "$ERR"
mkdir -p "$T/rules"
printf 'builtin "x"\n  user(H) :- zone(H).\nend\n' > "$T/rules/bad.rules"
t_exit 1 "bad rules" cc wargame graph "$D/chain.yaml" --adversary-file "$D/adversary.yaml" --rules "$T/rules"
t_true "rules error located" grep -q "bad.rules:2: zone takes 2 arguments, not 1" "$ERR"
# the adversary from the store: an intrusion-set and the attack-patterns it uses
t_ok "import a small actor bundle" cc import "$D/actor-bundle.json"
t_ok "graph with --adversary alias" cc wargame graph "$D/chain.yaml" --adversary thc --rules "$D/rules"
t_true "store adversary by alias, with its coverage" grep -qx "adversary: Test Heist Crew — 6 techniques: 6 modelled, 0 outside the modelled network, 0 not modelled" "$OUT"
t_true "same answer as the file adversary" grep -q "most likely: 6 steps, p=0.072, 12.0 h" "$OUT"
t_ok "graph with --adversary name, any case" cc wargame graph "$D/chain.yaml" --adversary "test heist crew" --rules "$D/rules"
# one lookup: a part of the name finds it too, and the JSON names its id
t_ok "graph with --adversary part of the name" cc wargame graph "$D/chain.yaml" --adversary "Heist" --rules "$D/rules" --json
t_true "adversary found by part of its name has its id and coverage" \
	jq -e '.adversary.id == "intrusion-set--442b1de0-bed4-5c59-90fe-c2b764636757" and .adversary.source == "store"
	       and .adversary.techniques_total == 6 and .adversary.techniques_modelled == 6
	       and .adversary.techniques_outside == 0 and .adversary.techniques_unmodelled == []' "$OUT"
t_ok "file adversary: coverage against the rules" cc wargame graph "$D/chain.yaml" --adversary-file "$root/data/demo/adversary.yaml" --rules "$D/rules" --json
t_true "file adversary: 39 techniques, 6 modelled by the test rules, no id" \
	jq -e '.adversary.id == null and .adversary.techniques_total == 39 and .adversary.techniques_modelled == 6
	       and (.adversary.techniques_unmodelled | length) == 33' "$OUT"
t_exit 2 "--no-software goes with --adversary" cc wargame graph "$D/chain.yaml" $ADV --no-software
t_exit 1 "unknown adversary" cc wargame graph "$D/chain.yaml" --adversary "Nobody" --rules "$D/rules"
t_true "unknown adversary named" grep -q "adversary 'Nobody': no intrusion-set" "$ERR"
t_exit 1 "adversary from a missing store" cc --db "$T/none.db" wargame graph "$D/chain.yaml" --adversary APT1 --rules "$D/rules"

# docs/wargame-rules.md lists every technique of the rules, as the rules say
t_ok "the technique tables from the rules" python3 "$root/tests/e2e/wargame_rules_table.py" "$root/data/rules"
sed -n '/^<!-- BEGIN technique tables/,/^<!-- END technique tables/p' "$root/docs/wargame-rules.md" | sed '1d;$d' >"$T/doc-tables.md"
t_true "docs/wargame-rules.md has exactly those tables" cmp "$OUT" "$T/doc-tables.md"
t_true "691 techniques: 594 modelled, 92 outside, 5 not modelled" grep -qx '| \*\*all\*\* | \*\*691\*\* | \*\*594\*\* | \*\*92\*\* | \*\*5\*\* |' "$OUT"

t_done
