#!/usr/bin/env bash
# The web interface in a real browser (Debian's chromium, headless, driven
# by puppeteer-core: tests/e2e/ui_browser.mjs): log in with the keyboard,
# search APT38 (ATT&CK Enterprise when the outside test data has it, else
# GLASS KRAKEN of the demo data), the group's matrix shows exactly the
# techniques it and its software use (counted here with `find`), the graph
# renders, a member at AMBER sees no RED object on any page or API call,
# objects named and described as HTML stay text, a change without the CSRF
# token is refused, a war game runs on the organisation's model and shows
# its report, "who else saw this" names only the members that allow it and
# counts nothing above the member's ceiling, logout ends the session.  UI_SCREENSHOT=FILE keeps a
# screenshot of the adversary page (README's, docs/img/).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"
. "$(dirname "$0")/ui_lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# The browser is the project's own dependency (scripts/install-deps installs
# chromium, the build's npm ci puppeteer-core): its absence is a failure.
browser_missing() { # browser_missing WHY: fail and stop
	t_true "the browser tests can run: $1" false
	t_done; exit
}
[ -x "$CHROMIUM" ] || browser_missing "$CHROMIUM not installed (scripts/install-deps installs chromium)"
[ -d "$ROOT/node_modules/puppeteer-core" ] ||
	browser_missing "node_modules/puppeteer-core missing (the build's npm ci installs it)"
if ! "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--user-data-dir="$T/probe" --dump-dom about:blank >/dev/null 2>"$T/chromium.err"; then
	browser_missing "chromium cannot start: $(tail -1 "$T/chromium.err")"
fi

cc init >/dev/null
if t_need "APT38 from ATT&CK Enterprise (GLASS KRAKEN of the demo data instead)" \
	data/attack/enterprise-attack-v18.1-stix2.0.json.gz; then
	t_ok "import ATT&CK Enterprise" cc import "$TESTDATA/data/attack/enterprise-attack-v18.1-stix2.0.json.gz"
	GROUP=APT38
else
	t_ok "import the demo data" cc import "$ROOT"/data/demo/*.json
	GROUP="GLASS KRAKEN"
fi
GID=$(cc find --type intrusion-set --alias "$GROUP" --json | jq -r .id)
# what the group and its software use, as the hub's own `find` counts it
techniques() { cc find --type attack-pattern --related-to "$1" --relationship-type uses --json | jq -r .id; }
{
	techniques "$GID"
	for s in $(cc find --related-to "$GID" --relationship-type uses --json |
		jq -r 'select(.type == "malware" or .type == "tool") | .id'); do techniques "$s"; done
} | sort -u >"$T/techniques"
N=$(wc -l <"$T/techniques")
t_true "the group uses techniques ($N)" [ "$N" -gt 5 ]

# a RED group, a RED malware the group uses and that uses a RED technique,
# a RED indicator; then objects named and described as HTML
RED=intrusion-set--0bad0bad-0000-4000-8000-000000000001
RMAL=malware--0bad0bad-0000-4000-8000-000000000002
RREL=relationship--0bad0bad-0000-4000-8000-000000000003
XSS=malware--0bad0bad-0000-4000-8000-000000000004
XREL=relationship--0bad0bad-0000-4000-8000-000000000005
OTHER=attack-pattern--0bad0bad-0000-4000-8000-000000000008
XSS_NAME='<img src=x onerror=alert(1)>'
red="\"object_marking_refs\":[\"$TLP_RED\"]" green="\"object_marking_refs\":[\"$TLP_GREEN\"]"
ui_bundle "$T/extra.json" \
	"{\"type\":\"intrusion-set\",\"id\":\"$RED\",\"name\":\"RED SHADOW\",\"aliases\":[\"RED SHADOW\"],$red}" \
	"{\"type\":\"attack-pattern\",\"id\":\"$OTHER\",\"name\":\"RED TECHNIQUE\",$red,\"kill_chain_phases\":[{\"kill_chain_name\":\"mitre-attack\",\"phase_name\":\"impact\"}],\"external_references\":[{\"source_name\":\"mitre-attack\",\"external_id\":\"T1999\"}]}" \
	"{\"type\":\"malware\",\"id\":\"$RMAL\",\"name\":\"RED MALWARE\",\"is_family\":true,$red}" \
	"{\"type\":\"relationship\",\"id\":\"$RREL\",\"relationship_type\":\"uses\",\"source_ref\":\"$GID\",\"target_ref\":\"$RMAL\",$red}" \
	"{\"type\":\"relationship\",\"id\":\"relationship--0bad0bad-0000-4000-8000-000000000006\",\"relationship_type\":\"uses\",\"source_ref\":\"$RMAL\",\"target_ref\":\"$OTHER\",$red}" \
	"{\"id\":\"indicator--0bad0bad-0000-4000-8000-000000000007\",\"name\":\"RED SHADOW C2\",\"pattern\":\"[ipv4-addr:value = '198.51.100.99']\",$red}" \
	"{\"type\":\"malware\",\"id\":\"$XSS\",\"name\":\"$XSS_NAME\",\"is_family\":false,\"description\":\"<script>alert(2)</script><img src=x onerror=alert(3)>\",$green}" \
	"{\"type\":\"relationship\",\"id\":\"$XREL\",\"relationship_type\":\"uses\",\"source_ref\":\"$GID\",\"target_ref\":\"$XSS\",$green}"
t_ok "import the RED and the XSS objects" cc import "$T/extra.json"
for o in bank-a bank-b bank-c; do cc org add "$o" >/dev/null; done
cc org set bank-b --named-in-sightings yes >/dev/null
ident() { cc org list --json | jq -r --arg o "$1" '.[] | select(.name == $o) | .identity_id'; }
# "who else saw this": an indicator sighted by bank-a (the analyst's), by
# bank-b (named) and bank-c (not named), and at RED by bank-c (hidden)
SEEN=indicator--0bad0bad-0000-4000-8000-000000000010
sighting() { # sighting N WHERE COUNT MARKING
	echo "{\"type\":\"sighting\",\"id\":\"sighting--0bad0bad-0000-4000-8000-00000000002$1\",\"sighting_of_ref\":\"$SEEN\",\"where_sighted_refs\":[\"$(ident "$2")\"],\"count\":$3,\"first_seen\":\"2024-03-0$1T00:00:00Z\",\"last_seen\":\"2024-03-0$1T12:00:00Z\",$4}"
}
ui_bundle "$T/seen.json" "{\"id\":\"$SEEN\",\"name\":\"SEEN BY THREE\",$green}" \
	"$(sighting 1 bank-a 1 "$green")" "$(sighting 2 bank-b 5 "$green")" \
	"$(sighting 3 bank-c 7 "$green")" "$(sighting 4 bank-c 900 "$red")"
t_ok "import an indicator and its sightings by three members" cc import "$T/seen.json"
cc grant bank-a default read --max-tlp amber >/dev/null
pw 'analyst-password' analyst bank-a
mkdir -p "$T/models/bank-a"
cp "$ROOT/data/demo/bank.yaml" "$T/models/bank-a/"
t_true "server starts" start_server --wargame-models "$T/models"

export BASE UI_USER=analyst UI_PASS=analyst-password GROUP GROUP_ID=$GID TECHNIQUES=$N \
	RED_ID=$RED RED_NAME="RED SHADOW" RED_REL=$RREL RED_MAL=$RMAL XSS_ID=$XSS XSS_NAME SEEN_ID=$SEEN \
	PROFILE=$T/profile SHOT=${UI_SCREENSHOT:-} NODE_TLS_REJECT_UNAUTHORIZED=0 CHROMIUM \
	NODE_NO_WARNINGS=1
t0=$(date +%s)
(cd "$ROOT" && timeout 120 node tests/e2e/ui_browser.mjs) >"$T/browser.out" 2>&1
rc=$?
sed -n 's/^INFO /    /p' "$T/browser.out"
while IFS= read -r line; do
	case $line in
	PASS\ *) t_true "${line#PASS }" true ;;
	FAIL\ *) t_true "${line#FAIL }" false ;;
	esac
done <"$T/browser.out"
t_true "the browser run ended well ($(( $(date +%s) - t0 )) s)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || tail -20 "$T/browser.out"
t_true "server stops" stop_server
t_clean "no sanitizer report from the server" "$T/serve.err"
t_done
