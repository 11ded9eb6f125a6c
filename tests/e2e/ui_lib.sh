# ui_lib.sh — helpers for the tests of the web interface (/ui/); source it
# after lib.sh and taxii_lib.sh (start_server gives BASE).
#   ui_login WHO             POST /ui/api/login with Basic WHO ("user:password"):
#                            status in CODE, cookie header in UCK, CSRF token in UCSRF
#   ureq METHOD PATH [curl args]   with the session cookie UCK: body $T/b, headers $T/h, CODE
#   upost PATH [curl args]   POST with the cookie and the CSRF token
#   ui_bundle FILE JSON...   a bundle file of objects (each completed from a base
#                            indicator, as in the hostile suite)
ui_login() {
	CODE=$(curl -sk -o "$T/b" -D "$T/h" -w '%{http_code}' -X POST -u "$1" "$BASE/ui/api/login")
	UCK="Cookie: $(tr -d '\r' <"$T/h" | sed -n 's/^Set-Cookie: \(__Host-cybercell=[^;]*\).*/\1/Ip')"
	UCSRF=$(jq -r '.csrf // empty' "$T/b" 2>/dev/null)
}
ureq() {
	local m=$1 p=$2; shift 2
	CODE=$(curl -sk -o "$T/b" -D "$T/h" -w '%{http_code}' -X "$m" -H "$UCK" "$@" "$BASE$p")
}
upost() {
	local p=$1; shift
	ureq POST "$p" -H "X-CSRF-Token: $UCSRF" -H 'Content-Type: application/json' "$@"
}
ui_bundle() {
	local f=$1; shift
	"$PY" - "$@" >"$f" <<'PYEOF'
import json, sys
objs = []
for a in sys.argv[1:]:
    o = json.loads(a)
    base = {"spec_version": "2.1", "created": "2024-01-01T00:00:00.000Z",
            "modified": "2024-01-01T00:00:00.000Z"}
    if o.get("type", "indicator") == "indicator":
        base.update({"type": "indicator", "name": "ui test", "pattern_type": "stix",
                     "pattern": "[domain-name:value = 'ui.example']", "valid_from": "2024-01-01T00:00:00Z"})
    base.update(o)
    objs.append(base)
print(json.dumps({"type": "bundle", "id": "bundle--6f0e3d9a-3b9e-4c43-9c55-1f2b7c1a0b01", "objects": objs}))
PYEOF
}
