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
# the probability of their most likely attack; the exact cut removes it all
t_true "json has hardening: risk 33.7029 before, 0 after the exact cut of cost 5" \
	jq -e '.hardening.risk_before == 33.7029 and .attack_graph.risk == 33.7029 and
	       .hardening.cut.found and .hardening.cut.exact and .hardening.risk_after == 0 and
	       .hardening.cut.cost == 5 and .hardening.cut.uncuttable == []' "$T/a.json"
# the advice a CISO would take: no critical flow blocked, no MFA on a service
# account, every change an ATT&CK mitigation priced from the model's costs
t_true "the cut: strong password, MFA, patch, uncache; ATT&CK ids" \
	jq -e '[.hardening.changes[] | .change + " " + (.mitigations | map(.id) | join(","))] ==
	       ["set a strong password on account svc-core M1027",
	        "enforce MFA on account frank M1032", "enforce MFA on account swift-admin M1032",
	        "patch CVE-2020-1472 on dc-01 (netlogon) M1051",
	        "remove cached credentials of dave-adm from ws-it-01 M1043,M1026"]' "$T/a.json"
t_true "mitigations priced: M1032 two changes costing 2" \
	jq -e '.hardening.mitigations[] | select(.id == "M1032") | .changes == 2 and .cost == 2 and .source == "built-in"' "$T/a.json"
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
# the value of sharing: the same seed with and without the intel (paired campaigns)
t_ok "run with intel" cc wargame run "$bank" --adversary-file "$adv" --with-intel shared --runs 300 --seed 7 \
	--json "$T/i.json" --stix "$T/i.stix.json"
t_true "summary shows the value of sharing" \
	grep -q "with intel from 'shared' (14 techniques, 0 indicators; ATT&CK's own objects are public, not shared): P(any jewel) 0.370 -> 0.247; detected campaigns 295 -> 299;" "$OUT"
t_true "summary gives the paired difference with its interval" \
	grep -qF "value of sharing (paired campaigns, same seeds): P(any jewel) lower by 0.123 [95% 0.077, 0.170]" "$OUT"
t_true "json: value_of_sharing, reduction 0.123 within its interval" \
	jq -e '.value_of_sharing.p_any_jewel.reduction == 0.123333 and
	       .value_of_sharing.p_any_jewel.reduction_interval95[0] == 0.0768577 and
	       .value_of_sharing.p_any_jewel.reduction_interval95[1] == 0.169809 and
	       .simulation.detected_campaigns == 295 and .simulation_with_intel.detected_campaigns == 299' "$T/i.json"
# objects created by MITRE are public knowledge: they never count as shared
t_ok "import ATT&CK-shaped objects (created by MITRE) into the collection" \
	cc import -c shared "$root/tests/data/wargame/attack-fixture.json"
t_ok "run with intel again" cc wargame run "$bank" --adversary-file "$adv" --with-intel shared --runs 300 --seed 7 --json "$T/i2.json"
t_true "MITRE's T1204.002 is not shared intel: still 14 techniques" \
	jq -e '(.intel.techniques | length) == 14 and ([.intel.techniques[].technique] | index("T1204.002")) == null' "$T/i2.json"
t_true "and the value of sharing is the same" bash -c "cmp -s <(jq .value_of_sharing '$T/i.json') <(jq .value_of_sharing '$T/i2.json')"
ap=$(cc find --type attack-pattern --external-id T1190 --json 2>/dev/null | jq -r '.. | .id? // empty' | grep '^attack-pattern--' | head -1)
t_true "stix points at the store's attack-patterns" \
	sh -c "[ -n '$ap' ] && jq -e --arg ap '$ap' '[.objects[]|select(.target_ref==\$ap)]|length > 0' '$T/i.stix.json'"
t_true "stix courses of action reference ATT&CK mitigations" \
	jq -e '[.objects[] | select(.type == "course-of-action" and .name == "set a strong password on account svc-core")
	        | .external_references] == [[{"source_name": "mitre-attack", "external_id": "M1027",
	          "description": "Password Policies", "url": "https://attack.mitre.org/mitigations/M1027"}]]' "$T/i.stix.json"
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
