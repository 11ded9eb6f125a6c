#!/usr/bin/env bash
# One ingest path: the same objects stored through a small file (the serial
# import), a large file (the import's worker threads) and a TAXII POST are
# the same bytes in the store, whatever the input's own spelling of them
# (escapes, number forms, white space).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/taxii_lib.sh"

# gen N: a bundle of N indicators written with escapes and number forms
# that a re-serialisation changes; the first three are the ones compared.
gen() {
	"$PY" - "$1" <<'PYEOF'
import sys
n = int(sys.argv[1])
objs = []
for i in range(n):
    objs.append(
        '{ "type" : "indicator", "spec_version": "2.1",\n'
        '  "id": "indicator--%08x-0000-4000-8000-000000000001",\n'
        '  "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",\n'
        '  "name": "caf\\u00e9 \\/x \\ud83d\\ude00 %d", "x_score": 1.0E2, "x_count": 7,\n'
        '  "description": "tab\\there \\"quoted\\" \\u0041",\n'
        '  "pattern_type": "stix", "pattern": "[ipv4-addr:value = \'10.0.%d.%d\']",\n'
        '  "valid_from": "2024-01-01T00:00:00Z" }' % (i, i, i // 250 % 250, i % 250))
print('{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000",\n'
      ' "objects": [\n' + ',\n'.join(objs) + '\n]}')
PYEOF
}
gen 3 >"$T/small.json"
gen 1200 >"$T/large.json"
t_true "the large file takes the import's threaded path (>= 64 KiB, >= 512 objects)" \
	[ "$(stat -c %s "$T/large.json")" -ge 65536 ]
# the first three objects as the store keeps them, one per line
first3() { jq -c '[.objects[] | select(.id | test("^indicator--0000000[012]-"))] | sort_by(.id)[]' "$1"; }
raw3() { # the exported bytes of the first three (export writes an object a line)
	grep -E '^\{"type":"indicator",.*"id":"indicator--0000000[012]-' "$1" | sed 's/,$//' | sort
}

t_ok "import the small file" cc --db "$T/small.db" import "$T/small.json"
t_ok "import the large file" cc --db "$T/large.db" import "$T/large.json"
t_ok "export the small store" cc --db "$T/small.db" export -o "$T/small.out"
t_ok "export the large store" cc --db "$T/large.db" export -o "$T/large.out"

export CYBERCELL_DB="$T/post.db"
cc org add bank >/dev/null
pw 'poster-password' poster bank
COL=$(cc collection add feed)
cc grant bank feed read-write --max-tlp red >/dev/null
t_true "server starts" start_server
# the envelope keeps the input's spelling of the objects
"$PY" - "$T/small.json" >"$T/env.json" <<'PYEOF'
import sys
t = open(sys.argv[1]).read()
print('{"objects": [' + t[t.index('[') + 1:t.rindex(']')] + ']}')
PYEOF
post poster:poster-password "$COL" "$T/env.json"
t_true "POST 202 with 3 successes" [ "$CODE $(jb .success_count)" = "202 3" ]
stop_server
t_ok "export the posted store" cc export -o "$T/post.out"

raw3 "$T/small.out" >"$T/s3"
raw3 "$T/large.out" >"$T/l3"
raw3 "$T/post.out" >"$T/p3"
t_true "three objects from each path" [ "$(wc -l <"$T/s3") $(wc -l <"$T/l3") $(wc -l <"$T/p3")" = "3 3 3" ]
t_true "small file and large file: the same bytes" cmp -s "$T/s3" "$T/l3"
t_true "small file and TAXII POST: the same bytes" cmp -s "$T/s3" "$T/p3"
t_true "the stored text is the parsed object's (one spelling)" \
	bash -c 'grep -q "\"name\":\"café /x 😀 0\"" "$1" && ! grep -q "1.0E2" "$1"' _ "$T/s3"
t_true "and the same content as the input" \
	[ "$(first3 "$T/small.out" | md5sum)" = "$(jq -c '.objects[:3]|sort_by(.id)[]' "$T/small.json" | md5sum)" ]
t_done
