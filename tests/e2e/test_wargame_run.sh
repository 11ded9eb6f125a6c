#!/usr/bin/env bash
# End-to-end: `wargame run` (summary, JSON, HTML report, STIX bundle that
# validates and imports, determinism across threads, --with-intel and
# --adversary from the store) and `exercise` (JSON lines driven by the
# scripted agent tests/e2e/exercise_agent.py, and the terminal mode).
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
bank=$root/data/demo/bank.yaml
adv=$root/data/demo/adversary.yaml
agent=$root/tests/e2e/exercise_agent.py

# ---- wargame run with a file adversary ----
t_ok "run bank.yaml" cc wargame run "$bank" --adversary-file "$adv" --runs 300 --seed 7 \
	--json "$T/a.json" --report "$T/a.html" --stix "$T/a.stix.json"
t_true "summary names the jewels" grep -q "crown jewels (P within 30 days, 300 campaigns)" "$OUT"
t_true "summary gives detection" grep -q "detected in" "$OUT"
t_true "json is valid with 300 runs" \
	sh -c "jq -e '.simulation.runs == 300 and (.simulation.jewels|length) > 0' '$T/a.json'"
t_true "json has the defenders' view" \
	sh -c "jq -e '(.defenders_view|length) > 0 and .defenders_view[0].what_defenders_see' '$T/a.json'"
# the risk is the attack graph's (no randomness): the jewels' values times
# the probability of the tree the probability search finds for each; the
# reported most likely path is the best of three searches, so it can only be
# likelier.  (The exact values are checked by hand on chain.yaml below.)
t_true "json: risk > 0 and at most the sum of value x p(most likely path)" \
	jq -e '.hardening.risk_before == .attack_graph.risk and .attack_graph.risk > 0 and
	       .attack_graph.risk <= ([.attack_graph.jewels[] | select(.reachable) | .value * .most_likely.p] | add) + 1e-4' "$T/a.json"
t_true "json: the exact cut leaves no risk; its cost is the sum of its changes" \
	jq -e '.hardening.cut.found and .hardening.cut.exact and .hardening.risk_after == 0 and
	       .hardening.cut.uncuttable == [] and (.hardening.changes | length) > 0 and
	       .hardening.cut.cost == ([.hardening.changes[].cost] | add)' "$T/a.json"
# the cut applied to the model by an independent script (PyYAML): no jewel
# reachable any more; without its last change, some jewel still is (the cut
# is minimal there)
t_ok "apply the cut to bank.yaml (tests/e2e/wargame_apply_cut.py)" \
	python3 "$root/tests/e2e/wargame_apply_cut.py" "$bank" "$T/a.json"
cp "$OUT" "$T/cut.yaml"
t_ok "graph of the hardened bank" cc wargame graph "$T/cut.yaml" --adversary-file "$adv" --json
t_true "the hardened bank: no crown jewel reachable, risk 0" \
	jq -e '(.jewels | length) == 5 and all(.jewels[]; .reachable == false) and .risk == 0' "$OUT"
jq '.hardening.changes |= .[:-1]' "$T/a.json" >"$T/a-less.json"
t_ok "apply the cut but its last change" python3 "$root/tests/e2e/wargame_apply_cut.py" "$bank" "$T/a-less.json"
cp "$OUT" "$T/cut-less.json.yaml"
t_ok "graph of the bank hardened by less" cc wargame graph "$T/cut-less.json.yaml" --adversary-file "$adv" --json
t_true "without the last change some jewel is still reachable" jq -e 'any(.jewels[]; .reachable)' "$OUT"
# the advice a CISO would take: no critical flow blocked, no MFA on a service
# account, every change an ATT&CK mitigation (the table of
# docs/commands/wargame.md) priced from the model's costs
t_true "every change of the cut carries its kind's ATT&CK mitigations (built-in table)" \
	jq -e '{"patch": "M1051", "mfa": "M1032", "password": "M1027", "uncache": "M1043,M1026",
	        "block_flow": "M1037,M1035,M1030", "segment": "M1030", "edr": "M1040,M1049,M1050"} as $m |
	       all(.hardening.changes[]; (.mitigations | map(.id) | join(",")) == $m[.kind])' "$T/a.json"
t_true "mitigations priced: each is the count and the cost sum of the cut's changes carrying it" \
	jq -e '.hardening.changes as $c | (.hardening.mitigations | length) > 0 and
	       all(.hardening.mitigations[]; .id as $id | .source == "built-in" and
	           .changes == ([$c[] | select(any(.mitigations[]; .id == $id))] | length) and
	           .cost == ([$c[] | select(any(.mitigations[]; .id == $id)) | .cost] | add))' "$T/a.json"
t_true "no critical flow is ever proposed for blocking" \
	jq -e '[.hardening.ranked[].change | select(test("corp->dc|corp->file|vpn-users|internet->"))] == []' "$T/a.json"
t_true "no MFA on a service account" \
	jq -e '[.hardening.ranked[].change | select(test("MFA on account svc-"))] == []' "$T/a.json"
t_true "report is html" grep -q "<!DOCTYPE html>" "$T/a.html"
t_true "report has svg" grep -q "<svg" "$T/a.html"
t_true "report has the defenders table" grep -q "What your defenders would see" "$T/a.html"
mkdir -p "$T/nodot"
t_ok "report without graphviz" env PATH="$T/nodot" "$CYBERCELL" wargame run "$bank" \
	--adversary-file "$adv" --runs 50 --report "$T/nodot.html"
t_true "report says dot is missing" grep -q "graphviz dot is not installed" "$T/nodot.html"
t_true "and still has the histogram" grep -q "<svg" "$T/nodot.html"
mkdir -p "$T/baddot"
printf '#!/bin/sh\necho "$@" >"%s/dot.args"\ncat >"%s/dot.in"\necho "Error: <stdin>: syntax error in line 1" >&2\nexit 1\n' \
	"$T" "$T" >"$T/baddot/dot"
chmod +x "$T/baddot/dot"
t_ok "report with a failing dot" env PATH="$T/baddot:$PATH" "$CYBERCELL" wargame run "$bank" \
	--adversary-file "$adv" --runs 50 --report "$T/baddot.html"
t_true "dot was run as 'dot -Tsvg'" [ "$(cat "$T/dot.args")" = "-Tsvg" ]
t_true "with the graph on its standard input" sh -c "head -1 '$T/dot.in' | grep -qx 'digraph attack {'"
t_true "the error output names the failure" grep -qxF "cybercell: wargame run: graphviz dot failed to draw the attack graph (exit status 1: Error: <stdin>: syntax error in line 1)" "$ERR"
t_true "and so does the report" grep -qF "graphviz dot failed to draw the attack graph (exit status 1: Error: &lt;stdin&gt;: syntax error in line 1)" "$T/baddot.html"
t_ok "stix validates" cc validate "$T/a.stix.json"
t_true "stix has courses of action" \
	sh -c "jq -e '[.objects[]|select(.type==\"course-of-action\")]|length > 0' '$T/a.stix.json'"
t_true "stix has mitigates" \
	sh -c "jq -e '[.objects[]|select(.relationship_type==\"mitigates\")]|length > 0' '$T/a.stix.json'"
t_ok "stix imports" cc import "$T/a.stix.json"

# ---- a model computed by hand: tests/data/wargame/chain.yaml, round-number rules ----
# One way to customer-db: a foothold on web by T1190 (p 0.5) or, when that
# failed, by T1210 on web (0.4): 1 - 0.5 * 0.6 = 0.7; then T1210 on app
# (0.4), LSASS dump of dbadmin on app (0.9), SMB to db (0.8), collect (1.0),
# exfiltrate (0.5).  A failed action is not retried and nothing is monitored
# (no detection, no response), so P = 0.7 * 0.4 * 0.9 * 0.8 * 1.0 * 0.5 =
# 0.1008 whatever the horizon; 4000 campaigns put the estimate within
# 4 sd = 4 * sqrt(0.1008 * 0.8992 / 4000) = 0.019 of it.  The earliest
# compromise is the sum of the fixed times 2 + 3 + 1 + 1 + 1 + 4 = 12 h.
# vault-data has no flow: never.  The graph's most likely path (T1190
# first) has p 0.072: risk 100 * 0.072 = 7.2; every change of the chain cuts
# it, the cheapest is uncaching dbadmin on app (1; patches cost 3 and 4,
# flows 10).
D=$root/tests/data/wargame
t_ok "run the hand-computed chain, 4000 campaigns" cc wargame run "$D/chain.yaml" \
	--adversary-file "$D/adversary.yaml" --rules "$D/rules" --runs 4000 --seed 3 --json "$T/c.json"
t_true "chain: P(customer-db) = 0.1008 within 4 sd, and within its 95 % interval" \
	jq -e '.simulation.jewels[] | select(.jewel == "customer-db") |
	       .p > 0.1008 - 0.019 and .p < 0.1008 + 0.019 and
	       .p_interval95[0] < 0.1008 and .p_interval95[1] > 0.1008' "$T/c.json"
t_true "chain: vault-data never falls, any jewel = customer-db" \
	jq -e '(.simulation.jewels[] | select(.jewel == "vault-data") | .compromised == 0) and
	       .simulation.any_jewel.compromised == (.simulation.jewels[] | select(.jewel == "customer-db") | .compromised)' "$T/c.json"
t_true "chain: nothing detected; every campaign ends all-jewels or exhausted, never at the horizon" \
	jq -e '.simulation.detected_campaigns == 0 and .simulation.outcomes.contained == 0 and
	       .simulation.outcomes.horizon == 0 and
	       .simulation.outcomes["all-jewels"] == .simulation.any_jewel.compromised and
	       .simulation.outcomes["all-jewels"] + .simulation.outcomes.exhausted == 4000' "$T/c.json"
t_true "chain: no compromise before 12 h" \
	jq -e '.simulation.any_jewel.time_to_compromise.interval95_hours[0] >= 12' "$T/c.json"
t_true "chain: risk 7.2, the exact cut of cost 1 uncaches dbadmin" \
	jq -e '.attack_graph.risk == 7.2 and .hardening.risk_before == 7.2 and .hardening.risk_after == 0 and
	       .hardening.cut.exact and .hardening.cut.cost == 1 and
	       [.hardening.changes[].change] == ["remove cached credentials of dbadmin from app"]' "$T/c.json"

# ---- determinism: same seed, 1 and 2 threads, byte-identical JSON ----
t_ok "threads 1" cc wargame run "$bank" --adversary-file "$adv" --runs 400 --seed 11 \
	--threads 1 --json "$T/t1.json"
t_ok "threads 2" cc wargame run "$bank" --adversary-file "$adv" --runs 400 --seed 11 \
	--threads 2 --json "$T/t2.json"
t_true "same bytes" cmp "$T/t1.json" "$T/t2.json"
t_ok "another seed" cc wargame run "$bank" --adversary-file "$adv" --runs 400 --seed 12 \
	--json "$T/t3.json"
t_true "differs with the seed" sh -c "! cmp -s '$T/t1.json' '$T/t3.json'"

# ---- usage errors ----
t_exit 2 "no adversary" cc wargame run "$bank"
t_exit 2 "both adversaries" cc wargame run "$bank" --adversary X --adversary-file "$adv"
t_exit 2 "bad runs" cc wargame run "$bank" --adversary-file "$adv" --runs 0
t_exit 1 "missing model" cc wargame run "$T/nope.yaml" --adversary-file "$adv"

# ---- the adversary and the intel from the store ----
t_ok "collection" cc collection add shared
for f in "$root"/data/demo/*.json; do
	t_ok "import $(basename "$f")" cc import -c shared "$f"
done
t_ok "run with store adversary" cc wargame run "$bank" --adversary "GLASS KRAKEN" --runs 100 --seed 7 --json "$T/k.json"
t_true "adversary id from the store" \
	sh -c "jq -e '.adversary.id|startswith(\"intrusion-set--\")' '$T/k.json'"
# GLASS KRAKEN has no privilege escalation: no silent all-zero, the note says how far it gets
t_true "the summary says why nothing fell" grep -q "^note: No crown jewel fell in 100 campaigns; the furthest GLASS KRAKEN got: " "$OUT"
t_true "json: notes and the furthest reach" \
	jq -e '(.notes | length) == 1 and (.simulation.furthest | length) > 0 and
	       (.simulation.furthest[0] | has("privilege") and .p > 0)' "$T/k.json"
# the value of sharing: the same seed with and without the intel (paired
# campaigns).  Checked against a run without intel and against the
# definitions, not against numbers the code once printed.
t_ok "run without intel, seed 7" cc wargame run "$bank" --adversary-file "$adv" --runs 300 --seed 7 --json "$T/n.json"
t_ok "run with intel, seed 7" cc wargame run "$bank" --adversary-file "$adv" --with-intel shared --runs 300 --seed 7 \
	--json "$T/i.json" --stix "$T/i.stix.json"
t_true "paired: the baseline of the intel run is the run without intel, campaign for campaign" \
	bash -c "cmp -s <(jq -S '.simulation | del(.with_intel)' '$T/n.json') <(jq -S '.simulation | del(.with_intel)' '$T/i.json')"
# the intel's techniques: every ATT&CK technique of the demo bundles' own
# attack-patterns (none is MITRE's), counted here from the files
jq -r '.objects[] | select(.type == "attack-pattern") | .external_references[]? |
	select(.source_name == "mitre-attack") | .external_id' "$root"/data/demo/*.json | sort -u >"$T/intel-want"
t_true "intel: the techniques of the shared bundles, counted from the files" \
	bash -c "cmp -s '$T/intel-want' <(jq -r '.intel.techniques[].technique' '$T/i.json' | sort -u)"
t_true "intel only adds detection: more campaigns detected, no more jewels lost" \
	jq -e '.simulation_with_intel.detected_campaigns >= .simulation.detected_campaigns and
	       .simulation_with_intel.any_jewel.compromised <= .simulation.any_jewel.compromised' "$T/i.json"
t_true "json: value_of_sharing is the difference of the two runs" \
	jq -e '.value_of_sharing.p_any_jewel as $v | $v.without == .simulation.any_jewel.p and
	       $v.with == .simulation_with_intel.any_jewel.p and
	       ($v.reduction - ($v.without - $v.with) | fabs) < 1e-5 and
	       (.value_of_sharing.detected.without * 300 - .simulation.detected_campaigns | fabs) < 0.01 and
	       (.value_of_sharing.detected.with * 300 - .simulation_with_intel.detected_campaigns | fabs) < 0.01' "$T/i.json"
# The paired 95 % interval from its definition: per campaign d = lost
# without - lost with is 1 (b campaigns), -1 (c) or 0; mean r = (b - c)/n,
# sample variance (b + c - n r^2)/(n - 1), half-width 1.96 sd / sqrt(n).  So
# the interval fixes b + c, and b and c must come out as whole numbers with
# b <= jewels lost without intel and c <= lost with it.
t_true "json: the paired interval is mean +- 1.96 sd/sqrt(n) of whole discordant campaigns" \
	python3 -c '
import json, sys
j = json.load(open(sys.argv[1])); v = j["value_of_sharing"]["p_any_jewel"]; n = 300
r = v["reduction"]; lo, hi = v["reduction_interval95"]
s = ((hi - lo) / 2 / 1.959964) ** 2 * n * (n - 1) + n * r * r      # b + c
b, c = (s + n * r) / 2, (s - n * r) / 2
ok = (abs((lo + hi) / 2 - r) < 1e-5 and abs(b - round(b)) < 0.01 and abs(c - round(c)) < 0.01
      and round(c) >= 0 and round(b) > 0 and round(b) <= j["simulation"]["any_jewel"]["compromised"]
      and round(c) <= j["simulation_with_intel"]["any_jewel"]["compromised"] and lo > 0)
print("b=%.3f c=%.3f" % (b, c)); sys.exit(0 if ok else 1)' "$T/i.json"
cp "$OUT" "$T/i.out"   # the summary of the run with intel
sum=$(jq -r '[.simulation.any_jewel.p, .simulation_with_intel.any_jewel.p, .simulation.detected_campaigns,
	      .simulation_with_intel.detected_campaigns] + .value_of_sharing.p_any_jewel.reduction_interval95 +
	     [.value_of_sharing.p_any_jewel.reduction] | @tsv' "$T/i.json")
read -r pw pi dw di lo hi red <<<"$sum"
t_true "summary: the value of sharing with the json's numbers" grep -qF \
	"$(printf "P(any jewel) %.3f -> %.3f; detected campaigns %d -> %d;" "$pw" "$pi" "$dw" "$di")" "$T/i.out"
t_true "summary: the paired difference with the json's interval" grep -qF \
	"$(printf "value of sharing (paired campaigns, same seeds): P(any jewel) lower by %.3f [95%% %.3f, %.3f]" "$red" "$lo" "$hi")" "$T/i.out"
# objects created by MITRE are public knowledge: they never count as shared
t_ok "import ATT&CK-shaped objects (created by MITRE) into the collection" \
	cc import -c shared "$root/tests/data/wargame/attack-fixture.json"
t_ok "run with intel again" cc wargame run "$bank" --adversary-file "$adv" --with-intel shared --runs 300 --seed 7 --json "$T/i2.json"
t_true "MITRE's techniques (e.g. T1204.002) are not shared intel: the same techniques as before" \
	bash -c "cmp -s '$T/intel-want' <(jq -r '.intel.techniques[].technique' '$T/i2.json' | sort -u)"
t_true "and the value of sharing is the same" bash -c "cmp -s <(jq .value_of_sharing '$T/i.json') <(jq .value_of_sharing '$T/i2.json')"
ap=$(cc find --type attack-pattern --external-id T1190 --json 2>/dev/null | jq -r '.. | .id? // empty' | grep '^attack-pattern--' | head -1)
t_true "stix points at the store's attack-patterns" \
	sh -c "[ -n '$ap' ] && jq -e --arg ap '$ap' '[.objects[]|select(.target_ref==\$ap)]|length > 0' '$T/i.stix.json'"
t_true "stix: each change of the cut is a course of action referencing its ATT&CK mitigations" \
	jq -e --slurpfile r "$T/i.json" '. as $b | all($r[0].hardening.changes[]; .change as $c |
	       [$b.objects[] | select(.type == "course-of-action" and .name == $c) | .external_references] ==
	       [[.mitigations[] | {"source_name": "mitre-attack", "external_id": .id, "description": .name,
	                           "url": ("https://attack.mitre.org/mitigations/" + .id)}]])' "$T/i.stix.json"
t_ok "store stix validates" cc validate "$T/i.stix.json"
t_exit 1 "unknown collection" cc wargame run "$bank" --adversary-file "$adv" --with-intel nope --runs 10
t_exit 1 "unknown adversary" cc wargame run "$bank" --adversary "NOBODY AT ALL" --runs 10

# ---- exercise ----
t_ok "agent plays to the end" python3 "$agent" "$CYBERCELL" exercise "$bank" \
	--adversary-file "$adv" --seed 5 --turns 25 --json
t_true "end message" sh -c "jq -e '.type == \"end\" and (.outcome|test(\"evicted|jewel-lost|turns-out\")) \
	and (.score|type == \"number\") and (.review.attacker_steps|length) > 0' '$OUT'"
t_ok "agent again, same seed" python3 "$agent" "$CYBERCELL" exercise "$bank" \
	--adversary-file "$adv" --seed 5 --turns 25 --json
cp "$OUT" "$T/e1.json"
t_ok "agent a third time" python3 "$agent" "$CYBERCELL" exercise "$bank" \
	--adversary-file "$adv" --seed 5 --turns 25 --json
t_true "same seed, same game" cmp "$T/e1.json" "$OUT"
printf 'garbage\n' >"$T/bad.in"
t_ok "bad json reply" sh -c "'$CYBERCELL' exercise '$bank' --adversary-file '$adv' --json --turns 3 <'$T/bad.in'"
t_true "error message then end" sh -c "grep -q '\"type\":\"error\"' '$OUT' && tail -1 '$OUT' | grep -q '\"type\":\"end\"'"
printf 'investigate ws-teller-01\nfly\nisolate web-banking\n\n' >"$T/human.in"
t_ok "terminal mode" sh -c "'$CYBERCELL' exercise '$bank' --adversary-file '$adv' --turns 4 <'$T/human.in'"
t_true "review printed" grep -q "After-action review" "$OUT"
t_true "bad command explained" grep -q "unknown command" "$OUT"
t_exit 2 "exercise usage" cc exercise "$bank"
t_exit 2 "exercise bad turns" cc exercise "$bank" --adversary-file "$adv" --turns 0

t_done
