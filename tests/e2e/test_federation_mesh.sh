#!/usr/bin/env bash
# Three hubs, a, b and c, each pulling from the two others (so every
# version can come round a loop a -> b -> c -> a), with a TLP ceiling on
# one link, and a push link into the loop: after the second round the
# counts do not move, nothing is stored twice, TLP:RED never leaves its
# hub, what a ceiling holds back does not go over that link, and nothing
# goes back to the peer it came from.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fed_lib.sh"

for h in a b c; do
	hub_new "$h"
	t_true "$h serves" hub_start "$h"
done
t_ok "a and b are peers (amber both ways)" fed_pair a b amber amber
t_ok "b and c are peers" fed_pair b c amber amber
t_ok "c and a are peers; a sends c at most green" fed_pair a c green amber
for pair in "a b" "a c" "b a" "b c" "c a" "c b"; do
	t_ok "pull link $pair" fed_pull $pair
done
for h in a b c; do
	for t in clear green amber red; do
		mkobjs "$h-$t" 10 "$t" >"$T/$h-$t.json"
		hc "$h" import --collection shared "$T/$h-$t.json" >/dev/null
	done
done

round() { # round N: a pass on each hub; the JSON lines in $T/round-N
	local h
	: >"$T/round-$1"
	for h in a b c; do
		hc "$h" sync --json >>"$T/round-$1" 2>>"$T/sync.err" || return 1
	done
}
counts() { for h in a b c; do printf '%s ' "$(versions "$h" | wc -l)"; done; }

t_ok "round 1" round 1
C1=$(counts)
t_ok "round 2" round 2
C2=$(counts)
t_ok "round 3" round 3
C3=$(counts)
t_true "each hub: its 40 and the others' 60 at most amber (after round 1: $C1)" [ "$C2" = "100 100 100 " ]
t_true "stable after the second round" [ "$C3" = "$C2" ]
t_true "round 3 moves nothing on any of the 6 links, one request each" \
	[ "$(jq -s -r '[.[] | select(.objects == 0 and .requests == 1 and .ok)] | length' "$T/round-3")" = 6 ]
t_true "rounds 2 and 3 store nothing new" \
	[ "$(cat "$T/round-2" "$T/round-3" | jq -s '[.[].new] | add')" = 0 ]
for h in a b c; do
	hc "$h" export --all-versions --collection shared | jq -r '.objects[] | "\(.id) \(.modified) \(.name)"' | sort >"$T/$h.v"
	t_true "$h: no version twice" [ -z "$(cut -d' ' -f1,2 "$T/$h.v" | uniq -d)" ]
	t_true "$h: no other hub's TLP:RED" [ -z "$(grep -- '-red ' "$T/$h.v" | grep -v " $h-red ")" ]
done
t_true "a, b and c hold the same versions of what all may share" \
	[ "$(grep -v -- '-red ' "$T/a.v")" = "$(grep -v -- '-red ' "$T/c.v")" -a "$(grep -v -- '-red ' "$T/b.v")" = "$(grep -v -- '-red ' "$T/c.v")" ]
# what a's ceiling for c held back went to c through b, never over a's link
hc c find --name a-amber --json >"$T/c-a-amber"
t_true "c has a's 10 amber objects" [ "$(wc -l <"$T/c-a-amber")" = 10 ]
t_true "each delivered by b only" [ "$(jq -r '[.x_cybercell_provenance[].peer] | join(",")' "$T/c-a-amber" | sort -u)" = b ]
hc c find --name a-green --json >"$T/c-a-green"
t_true "a's green objects reached c from a (first) and from b (the same version)" \
	[ "$(jq -r '[.x_cybercell_provenance[].peer] | join(",")' "$T/c-a-green" | sort -u)" = "a,b" ]
t_true "a's own objects on a came back: recognised, one copy each" \
	[ "$(hc a get --all-versions "$(jq -r '.objects[0].id' "$T/a-green.json")" | jq length)" = 1 ]

# ---- a new version goes round once; a push link into the loop: what came
# from b is not sent back to b, also when a member of a re-shares it into
# the pushed collection
mkobjs a-green 10 green 2024-06-01T00:00:00.000Z >"$T/a-green2.json"
hc a import --collection shared "$T/a-green2.json" >/dev/null
hc a collection add reports >/dev/null
t_ok "a pushes reports to b's shared" fed_push a b reports shared
mkobjs a-report 5 green >"$T/rep.json"
hc a import --collection reports "$T/rep.json" >/dev/null
hc b export --collection shared | jq '{type: "bundle", id: "bundle--00000000-0000-4000-8000-000000000001", objects: [.objects[] | select(.name | startswith("b-clear"))]}' >"$T/from-b.json"
t_ok "a re-shares b's 10 clear objects into reports" hc a import --collection reports "$T/from-b.json"
t_true "as the same versions (nothing new)" grep -q "0 new versions" "$OUT"
t_ok "round 4" round 4
t_true "a's push sent its 5 reports, none of b's own" \
	[ "$(jq -s -r '.[] | select(.direction == "push") | "\(.objects) \(.new)"' "$T/round-4")" = "5 5" ]
t_ok "round 5" round 5
C5=$(counts)
t_ok "round 6" round 6
t_true "each hub has the 10 new versions and the 5 reports once" [ "$C5 $(counts)" = "115 115 115  115 115 115 " ]
t_true "round 6 moves nothing" [ "$(jq -s '[.[].objects] | add' "$T/round-6")" = 0 ]
t_true "a's reports came back into its shared collection as the same versions" \
	[ "$(hc a get --all-versions "$(jq -r '.objects[0].id' "$T/rep.json")" | jq -r 'length')" = 1 ]
for h in a b c; do
	t_true "$h: no version twice" [ -z "$(versions "$h" | uniq -d)" ]
done
t_true "no sync reported a problem" [ ! -s "$T/sync.err" ]
for h in a b c; do
	hub_stop "$h"
	t_clean "no sanitizer report from $h's server" "$T/$h.err"
done
t_done
