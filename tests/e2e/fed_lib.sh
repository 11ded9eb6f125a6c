# fed_lib.sh — helpers for the federation tests: several hubs, each a
# store $T/NAME.db served on 127.0.0.1; source it after lib.sh.
#   hc HUB ARGS...          cybercell on HUB's store
#   hub_new HUB             create HUB's store with the collection "shared"
#   hub_start HUB [ARGS]    serve HUB (a free port): URL_HUB, PIN_HUB, PID_HUB; its
#                           access log goes to $T/HUB.err
#   hub_stop HUB            SIGTERM and wait
#   coll_id HUB NAME        the TAXII id of HUB's collection NAME
#   fed_pair A B [TLP_AB [TLP_BA]]   make A and B peers of each other: on each, the
#                           other as a peer (max TLP TLP_AB on A for B, TLP_BA on B
#                           for A; default amber), verified by its public key pin,
#                           and a login for it (NAME-sync, in the peer's organisation)
#                           with a read-write grant on "shared"
#   fed_pull A B [LOCAL [REMOTE]]    on A: pull B's collection REMOTE (shared) into LOCAL
#   fed_push A B [LOCAL [REMOTE]] [LINK ARGS]   on A: push LOCAL (shared) to B's REMOTE
#   versions HUB [COLL]     "id modified" of every version in COLL (shared), sorted
#   mkobjs PREFIX N [TLP [MODIFIED]]   a bundle of N valid indicators with ids made
#                           from PREFIX (same PREFIX and i, same id), marked TLP
#                           (clear, green, amber, amber+strict, red; "" = none)
#   objects_requests HUB    GET objects requests in HUB's access log so far
FED_PW=sync-password-1

hc() { local h=$1; shift; "$CYBERCELL" --db "$T/$h.db" "$@"; }

hub_new() {
	hc "$1" init >/dev/null && hc "$1" collection add shared >/dev/null
}

hub_start() {
	local h=$1; shift
	serve_start "$T/$h.out" "$T/$h.err" \
		"$CYBERCELL" --db "$T/$h.db" serve --listen 127.0.0.1:0 --threads 2 "$@"
	eval "PID_$h=$SERVE_PID"
	eval "URL_$h=$(sed -n 's/^listening on //p' "$T/$h.out")"
	eval "PIN_$h=$(sed -n 's/^public key pin //p' "$T/$h.out")"
	[ -n "$(eval echo "\$URL_$h")" ]
}

hub_stop() {
	local pid
	pid=$(eval echo "\$PID_$1")
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

coll_id() { hc "$1" collection list | awk -v n="$2" '$2 == n { print $1 }'; }

# _peer_add A B TLP: on A, B as a peer, with A's login on B
_peer_add() {
	printf '%s\n' "$FED_PW" | hc "$1" peer add "$2" --url "$(eval echo "\$URL_$2")" \
		--user "$1-sync" --password-stdin --pin "$(eval echo "\$PIN_$2")" \
		--max-tlp "${3:-amber}" >/dev/null
}

# _login A B: on A, the login B uses (in the organisation standing for B)
_login() {
	printf '%s\n' "$FED_PW" | hc "$1" user add "$2-sync" --org "$2" --password-stdin >/dev/null &&
		hc "$1" grant "$2" shared read-write --max-tlp red >/dev/null
}

fed_pair() {
	_peer_add "$1" "$2" "${3:-amber}" && _peer_add "$2" "$1" "${4:-amber}" &&
		_login "$1" "$2" && _login "$2" "$1"
}

fed_pull() {
	hc "$1" peer link "$2" --pull "$(coll_id "$2" "${4:-shared}")" --into "${3:-shared}" >/dev/null
}

fed_push() {
	local a=$1 b=$2 l=${3:-shared} r=${4:-shared}
	shift $(($# < 4 ? $# : 4))
	hc "$a" peer link "$b" --push "$l" --to "$(coll_id "$b" "$r")" "$@" >/dev/null
}

versions() {
	hc "$1" export --all-versions --collection "${2:-shared}" |
		jq -r '.objects[] | "\(.id) \(.modified // .created // "-")"' | sort
}

objects_requests() { grep -c 'GET "/api1/collections/[^"]*/objects/"' "$T/$1.err"; }

cat >"$T/mkobjs.py" <<'PYEOF'
import json, sys, uuid
prefix, n = sys.argv[1], int(sys.argv[2])
tlp = sys.argv[3] if len(sys.argv) > 3 else ""
mod = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else "2024-01-01T00:00:00.000Z"
ids = {"clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
       "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
       "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
       "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
       "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}
objs = []
for i in range(n):
    o = {"type": "indicator", "spec_version": "2.1",
         "id": "indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, "%s-%d" % (prefix, i)),
         "created": "2024-01-01T00:00:00.000Z", "modified": mod,
         "name": "%s %d" % (prefix, i), "pattern_type": "stix",
         "pattern": "[ipv4-addr:value = '198.51.100.%d']" % (i % 250),
         "valid_from": "2024-01-01T00:00:00Z"}
    if tlp:
        o["object_marking_refs"] = [ids[tlp]]
    objs.append(o)
print(json.dumps({"type": "bundle", "id": "bundle--%s" % uuid.uuid4(), "objects": objs}))
PYEOF
mkobjs() { /usr/bin/python3 "$T/mkobjs.py" "$@"; }
