# taxii_lib.sh — helpers for the end-to-end tests that drive the real TAXII
# server; source it after lib.sh.
#   start_server [ARGS]      serve the test store on 127.0.0.1 (a free port): BASE, HP
#                            (host:port), SPID; with $SERVE_ARGS first (default: two
#                            threads and a 300000-byte body limit)
#   stop_server              SIGTERM and wait
#   req WHO METHOD PATH [curl args]   body in $T/b, headers in $T/h, status in $CODE
#   post WHO COLL FILE       POST an envelope file to a collection's objects
#   code_is N / jb JQ / hdr NAME      conditions on the last answer
#   pw PASSWORD USER ORG     add a user with that password
# WHO is "user:password" (empty: no credentials).
MT='application/taxii+json;version=2.1'
TLP_CLEAR=marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487
TLP_GREEN=marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb
TLP_AMBER=marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421
TLP_STRICT=marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003
TLP_RED=marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1
PY=/usr/bin/python3

req() {
	local who=$1 m=$2 p=$3; shift 3
	CODE=$(curl -sk -o "$T/b" -D "$T/h" -w '%{http_code}' -X "$m" ${who:+-u "$who"} \
		-H "Accept: ${ACC:-$MT}" "$@" "$BASE$p")
}
post() {
	req "$1" POST "/api1/collections/$2/objects/" -H "Content-Type: $MT" --data-binary "@$3"
}
code_is() { [ "$CODE" = "$1" ]; }
jb() { jq -r "$1" "$T/b"; }
hdr() { tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | head -1; }
pw() { printf '%s\n' "$1" | cc user add "$2" --org "$3" --password-stdin >/dev/null; }

start_server() {
	# shellcheck disable=SC2086
	serve_start "$T/serve.out" "$T/serve.err" "$CYBERCELL" serve --listen 127.0.0.1:0 \
		${SERVE_ARGS---threads 2 --max-content-length 300000} "$@"
	SPID=$SERVE_PID
	BASE=$(sed -n 's|^listening on \(https\{0,1\}://[^/]*\)/taxii2/$|\1|p' "$T/serve.out")
	HP=${BASE#*://}
	[ -n "$BASE" ]
}
stop_server() { kill -TERM "$SPID" 2>/dev/null; wait "$SPID"; }
