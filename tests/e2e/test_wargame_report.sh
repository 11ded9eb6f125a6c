#!/usr/bin/env bash
# End-to-end: the war game's HTML pages in a real browser (Debian's
# chromium, headless, from scripts/install-deps): the `wargame run` report
# and the exercise's one-page after-action review load, show what they
# must (coverage up front, the attack graph with two-line labels and no
# literal "\n"), and render to a screenshot.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
bank=$root/data/demo/bank.yaml
adv=$root/data/demo/adversary.yaml

# browser MODE FILE [OUT]: chromium headless on file:// (MODE dump-dom or
# screenshot), each run with a fresh profile and no network
browser() {
	local mode=$1 file=$2 prof rc
	prof=$(mktemp -d "$T/chromium.XXXXXX")
	if [ "$mode" = screenshot ]; then
		timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
			--disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
			--screenshot="$3" --window-size=1280,2000 "file://$file" >/dev/null 2>"$T/chromium.err"
	else
		timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
			--disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
			--dump-dom "file://$file" 2>"$T/chromium.err"
	fi
	rc=$?
	rm -rf "$prof"
	return $rc
}

t_ok "run with a report" cc wargame run "$bank" --adversary-file "$adv" --runs 200 --seed 3 --report "$T/r.html"
# the labels of technique steps are two lines (dot's \n), never a literal backslash-n
t_true "svg labels: no literal backslash-n" sh -c "! grep -o '<text[^>]*>[^<]*</text>' '$T/r.html' | grep -qF '\\n'"
t_true "svg labels: a technique and its odds on two lines" \
	sh -c "grep -A1 '<text[^>]*>T1566.002 Spearphishing Link</text>' '$T/r.html' |
	       grep -q '<text[^>]*>p=0.05, 40 h</text>'"
t_true "no article before a vowel sound" sh -c "! grep -q 'raises a EDR' '$T/r.html'"

printf 'map\ninvestigate ws-teller-01\nisolate web-banking\n\n' >"$T/moves"
t_ok "an exercise with its one-page review" sh -c "'$CYBERCELL' exercise '$bank' --adversary-file '$adv' \
	--turns 6 --seed 2 --review '$T/review.html' <'$T/moves'"
t_true "the board was shown" grep -q "^    ws-teller-01     windows  workstation  EDR  SOC" "$OUT"

if ! command -v chromium >/dev/null; then
	t_skip "the report in a browser" "chromium is not installed (scripts/install-deps installs it)"
else
	t_ok "chromium loads the report" browser dump-dom "$T/r.html"
	t_true "the rendered page has the coverage up front" \
		grep -q "<b>Adversary coverage:</b> 39 techniques: 39 modelled, 0 outside the modelled network, 0 not modelled." "$OUT"
	t_true "and the attack graph drawn as SVG" grep -q '<svg width=' "$OUT"
	t_true "and the defenders' view, per step" grep -q "detections / attempts of the step" "$OUT"
	t_ok "chromium renders a screenshot" browser screenshot "$T/r.html" "$T/r.png"
	t_true "a 1280x2000 PNG that is not a blank page" python3 -c "
import struct, sys
d = open('$T/r.png', 'rb').read()
w, h = struct.unpack('>II', d[16:24])
sys.exit(not (d[:8] == b'\x89PNG\r\n\x1a\n' and (w, h) == (1280, 2000) and len(d) > 60000))"
	t_ok "chromium loads the after-action review" browser dump-dom "$T/review.html"
	t_true "the review: outcome, timeline, lessons" \
		sh -c "grep -q '<h1>After-action review: Northgate Savings Bank against DEMO-HEIST</h1>' '$OUT' &&
		       grep -q '<h2>Timeline</h2>' '$OUT' && grep -q '<h2>Lessons</h2>' '$OUT' &&
		       grep -q 'isolate web-banking' '$OUT'"
fi

t_done
