#!/usr/bin/env bash
# End-to-end: the war game against adversaries from an ATT&CK-shaped hub.
# The adversary's techniques (group + malware + tools, revoked and
# deprecated left out) and their coverage by the rules must equal an
# independent count made from the bundle by tests/e2e/wargame_attack_check.py.
# First on a made-up fixture (always), then on ATT&CK Enterprise v18.1 when
# the outside test data has it: the rules against ATT&CK, the coverage of
# the 30 biggest groups, the eight groups of issue 13, and APT38 against
# SWIFT.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
check=$root/tests/e2e/wargame_attack_check.py
rules=$root/data/rules
bank=$root/data/demo/bank.yaml
fx=$root/tests/data/wargame/attack-fixture.json
FIELDS='{techniques_total, techniques_modelled, techniques_outside, techniques_unmodelled}'

# same_coverage DESC BUNDLE GROUP [--no-software]: cybercell's JSON ($OUT)
# and the independent count agree
same_coverage() {
	local d=$1 bundle=$2 group=$3; shift 3
	python3 "$check" profile "$bundle" "$rules" "$group" "$@" | jq -S "$FIELDS" >"$T/want.json"
	jq -S ".adversary | $FIELDS" "$OUT" >"$T/got.json"
	t_true "$d" cmp "$T/want.json" "$T/got.json"
}

# ---- the fixture ----
t_ok "import the ATT&CK-shaped fixture" cc import "$fx"
t_ok "a group with its software" cc wargame graph "$bank" --adversary "fixture spider" --json
same_coverage "fixture: counts equal the independent count" "$fx" "FIXTURE SPIDER"
t_true "fixture: 9 techniques (2 tools, not the revoked malware, relationship or patterns)" \
	jq -e '.adversary.techniques_total == 9 and .adversary.techniques_modelled == 7 and
	       .adversary.techniques_outside == 1 and .adversary.techniques_unmodelled == ["T1669"] and
	       .adversary.software == ["Quietloader", "Dumpster"]' "$OUT"
t_ok "the group alone (--no-software, by an alias)" cc wargame graph "$bank" --adversary "fixture crew" --no-software --json
same_coverage "fixture --no-software: counts equal the independent count" "$fx" "FIXTURE SPIDER" --no-software
t_true "fixture --no-software: 3 techniques" jq -e '.adversary.techniques == ["T1059.001", "T1566.001", "T1595"]' "$OUT"
t_ok "a group whose one technique is not modelled" cc wargame run "$bank" --adversary "FIXTURE HERON" --runs 20
t_true "its coverage line" grep -qx "adversary: 1 technique: 0 modelled, 0 outside the modelled network, 1 not modelled (T1669)" "$OUT"
t_true "no silent all-zero: the note says why" \
	grep -qx "note: The 1 technique of FIXTURE HERON is not modelled by the rules, so nothing can happen: every result is zero." "$OUT"
# the hub's course-of-action objects confirm the mitigations of a change:
# the fixture says M1043 and M1026 mitigate LSASS dumping, M1032 only SMB
# admin shares, and has no EDR mitigation.  At equal cost the cut prefers
# confirmed mitigations: it uncaches swift-admin's credentials (M1043,
# M1026) where, without a hub, it enforces MFA (M1032 not confirmed here).
t_ok "hardening with the hub's mitigations" cc wargame graph "$bank" --adversary-file "$root/data/demo/adversary.yaml" --json
t_true "the cut of cost 5 prefers the hub's mitigations" \
	jq -e '.hardening.cut_cost == 5 and ([.hardening.cut[] | .change + " " + (.mitigations | map(.id) | join(","))] ==
	       ["remove cached credentials of swift-admin from swift-jump M1043,M1026",
	        "set a strong password on account svc-core ",
	        "remove cached credentials of swift-admin from ws-it-01 M1043,M1026",
	        "patch CVE-2020-1472 on dc-01 (netlogon) ",
	        "remove cached credentials of dave-adm from ws-it-01 M1043,M1026"])' "$OUT"
t_true "EDR is not confirmed as a mitigation by this hub" \
	jq -e '[.hardening.ranked[] | select(.kind == "edr") | .mitigations] | length > 0 and all(. == [])' "$OUT"
t_true "the cut by mitigation, from the hub" \
	jq -e '.hardening.mitigations == [{"id": "M1043", "name": "Credential Access Protection", "changes": 3, "cost": 3, "source": "hub"},
	                                  {"id": "M1026", "name": "Privileged Account Management", "changes": 3, "cost": 3, "source": "hub"}]' "$OUT"

# ---- ATT&CK Enterprise v18.1 ----
A=data/attack/enterprise-attack-v18.1-stix2.0.json.gz
if t_need "ATT&CK Enterprise checks" "$A"; then
	A=$TESTDATA/$A
	export CYBERCELL_DB=$T/attack.db
	t_ok "import ATT&CK Enterprise" cc import "$A"
	groups=(APT28 APT38 "Sandworm Team" "Lazarus Group" APT29 FIN7 "Wizard Spider" OilRig)
	t_ok "the independent count from the ATT&CK file" python3 "$check" all "$A" "$rules" 30 "${groups[@]}"
	cp "$OUT" "$T/want-all.json"
	t_true "the rules agree with ATT&CK (ids, names, tactics, platforms; every technique covered)" \
		jq -e '.rules == []' "$T/want-all.json"
	t_true "at most 5 % of the union of the 30 biggest groups is not modelled" \
		jq -e '.top.groups == 30 and .top.share <= 0.05' "$T/want-all.json"
	for g in "${groups[@]}"; do
		if [ "$g" = APT38 ]; then     # APT38 against SWIFT: a 90-day simulation
			t_ok "$g: run, 90 days" cc wargame run "$bank" --adversary "$g" \
				--runs 400 --horizon 90 --seed 1 --json "$T/g.json"
			t_true "APT38 reaches swift-payments" \
				jq -e '.simulation.jewels[] | select(.jewel == "swift-payments") | .p > 0' "$T/g.json"
			cp "$T/g.json" "$OUT"
		else
			t_ok "$g: graph" cc wargame graph "$bank" --adversary "$g" --json
		fi
		t_true "$g: coverage equals the independent count" bash -c "cmp -s \
			<(jq -S --arg g '$g' '.profiles[\$g] | $FIELDS' '$T/want-all.json') \
			<(jq -S '.adversary | $FIELDS' '$OUT')"
		t_true "$g: no silent all-zero" \
			jq -e '([(.jewels // .attack_graph.jewels)[] | select(.reachable)] | length > 0) or (.notes | length > 0)' "$OUT"
	done
fi

t_done
