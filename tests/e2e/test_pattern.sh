#!/usr/bin/env bash
# cybercell pattern check|match: exit codes, messages, output shapes.
. "$(dirname "$0")/lib.sh"

# --- check ---
t_ok "check a valid pattern" cc pattern check "[file:name='a.exe' AND file:size>=10]"
t_true "check prints the normalised pattern" grep -qx "\[file:name = 'a.exe' AND file:size >= 10\]" "$OUT"
t_ok "check --ast" cc pattern check --ast "[file:hashes.'SHA-256' = 'ab'] WITHIN 5 SECONDS"
t_true "ast is JSON with the qualifier on top" sh -c "jq -e '.type == \"within\" and .seconds == 5 and .expr.expr.path == [\"hashes\",\"SHA-256\"]' '$OUT'"
t_exit 1 "check an invalid pattern" cc pattern check "[file:name = 'a' AND file:size 4]"
t_true "error names line and column" grep -qx "cybercell: pattern:1:32: expected a comparison operator, found '4'" "$ERR"
t_exit 1 "unclosed bracket" cc pattern check "[file:name = 'a'"
t_true "unclosed bracket message" grep -qx "cybercell: pattern:1:17: expected ']' after comparison, found end of pattern" "$ERR"
t_exit 2 "check without a pattern" cc pattern check
t_exit 2 "check with two patterns" cc pattern check "[a:b = 1]" "[a:b = 2]"
t_exit 2 "check with an unknown option" cc pattern check --nope "[a:b = 1]"
t_exit 2 "no subcommand" cc pattern
t_true "usage hint" grep -q "pattern --help" "$ERR"
t_exit 2 "unknown subcommand" cc pattern frob
t_ok "pattern --help" cc pattern --help
t_true "usage text" grep -q "^usage: cybercell pattern check" "$OUT"
# patterns check and their normalised form is stable (normalising it again
# gives it back): a sample of the pattern cases in tests/data/pattern, and,
# when the outside test data is there, every example of the specification
stable() { # stable LIST: every pattern of LIST (one a line) checks and normalises stably
	local p a b n=0 bad=0
	while IFS= read -r p; do
		n=$((n + 1))
		a=$(cc pattern check "$p") || { echo "$p: check failed"; bad=$((bad + 1)); continue; }
		b=$(cc pattern check "$a") || { echo "$a: normalised form fails"; bad=$((bad + 1)); continue; }
		[ "$a" = "$b" ] || { echo "$p: '$a' then '$b'"; bad=$((bad + 1)); }
	done <"$1"
	echo "$n patterns, $bad bad"
	[ "$n" -gt 0 ] && [ "$bad" = 0 ]
}
grep -h -E '^(match|nomatch) [^:]*: |^valid: ' "$ROOT"/tests/data/pattern/*.test |
	sed -E 's/^(match|nomatch) [^:]*: //; s/^valid: //' | sort -u | awk 'NR % 19 == 1' | head -30 >"$T/ours.txt"
t_true "a sample of 30 of our pattern cases" [ "$(wc -l <"$T/ours.txt")" = 30 ]
t_true "they check and normalise stably" stable "$T/ours.txt"
printf '%s\n' "[file:name = 'a.exe' AND file:size >= 10]" "[x:y = 'b' FOLLOWEDBY" >"$T/broken.txt"
t_true "the stability check fails on a pattern that does not check" eval '! stable "$T/broken.txt"'
if t_need "the specification's examples check and normalise stably" data/oasis/pattern-spec-examples-v21.txt; then
	t_true "all 23 specification examples check and normalise stably" \
		stable "$TESTDATA/data/oasis/pattern-spec-examples-v21.txt"
	t_true "the specification has 23 pattern examples" [ "$(grep -c . "$TESTDATA/data/oasis/pattern-spec-examples-v21.txt")" = 23 ]
fi

# --- match, STIX 2.1 bundle ---
cat > "$T/b21.json" <<'J'
{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
 {"type": "observed-data", "spec_version": "2.1", "id": "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
  "created": "2016-04-06T19:58:16.000Z", "modified": "2016-04-06T19:58:16.000Z",
  "first_observed": "2015-12-21T19:00:00Z", "last_observed": "2015-12-21T19:00:00Z", "number_observed": 1,
  "object_refs": ["network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d", "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"]},
 {"type": "observed-data", "spec_version": "2.1", "id": "observed-data--6ba4b3ce-0b36-41b8-aed2-41e0de9d1b09",
  "created": "2016-04-06T19:58:16.000Z", "modified": "2016-04-06T19:58:16.000Z",
  "first_observed": "2015-12-21T19:02:00Z", "last_observed": "2015-12-21T19:02:00Z", "number_observed": 1,
  "object_refs": ["domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5"]},
 {"type": "network-traffic", "spec_version": "2.1", "id": "network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d",
  "dst_ref": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "dst_port": 443, "protocols": ["tcp"]},
 {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "value": "203.0.113.10"},
 {"type": "domain-name", "spec_version": "2.1", "id": "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5", "value": "evil.example.com"}
]}
J
t_ok "2.1 match" cc pattern match --pattern "[network-traffic:dst_ref.value ISSUBSET '203.0.113.0/24']" "$T/b21.json"
t_true "prints the observed-data and the bound SCO" grep -q "^observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf	network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d	{\"type\":\"network-traffic\"" "$OUT"
t_exit 1 "2.1 no match" cc pattern match --pattern "[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8']" "$T/b21.json"
t_true "no output without a match" [ ! -s "$OUT" ]
t_ok "FOLLOWEDBY across observed-data" cc pattern match -p "[network-traffic:dst_port = 443] FOLLOWEDBY [domain-name:value = 'evil.example.com']" "$T/b21.json"
t_true "both observed-data printed" [ "$(cut -f1 "$OUT" | sort -u | wc -l)" = 2 ]
t_exit 1 "FOLLOWEDBY in the wrong order" cc pattern match -p "[domain-name:value = 'evil.example.com'] FOLLOWEDBY [network-traffic:dst_port = 443]" "$T/b21.json"
t_ok "--json output" cc pattern match --json -p "[domain-name:value LIKE '%.example.com']" "$T/b21.json"
t_true "json shape" sh -c "jq -e '.matched == true and .observed_data == [\"observed-data--6ba4b3ce-0b36-41b8-aed2-41e0de9d1b09\"] and (.bindings[0].objects | length) == 1 ' '$OUT'"
t_true "json carries the normalised pattern" grep -qF "\"pattern\":\"[domain-name:value LIKE '%.example.com']\"" "$OUT"
t_exit 1 "--json without a match" cc pattern match --json -p "[domain-name:value = 'x']" "$T/b21.json"
t_true "json says not matched" sh -c "jq -e '.matched == false and .bindings == []' '$OUT'"
t_ok "stdin input" sh -c "cat '$T/b21.json' | '$CYBERCELL' pattern match -p \"[ipv4-addr:value = '203.0.113.10']\" -"

# --- match, STIX 2.0 embedded objects, as a list ---
cat > "$T/od20.json" <<'J'
[{"type": "observed-data", "id": "observed-data--a", "created": "2017-01-01T00:00:00Z", "modified": "2017-01-01T00:00:00Z",
  "first_observed": "2017-01-01T00:00:00Z", "last_observed": "2017-01-01T00:00:00Z", "number_observed": 5,
  "objects": {"0": {"type": "file", "name": "foo.dll", "hashes": {"MD5": "79054025255fb1a26e4bc422aef54eb4"}}}}]
J
t_ok "2.0 REPEATS within number_observed" cc pattern match -p "[file:name = 'foo.dll'] REPEATS 5 TIMES" "$T/od20.json"
t_true "2.0 binding names object 0" grep -q "^observed-data--a	0	" "$OUT"
t_exit 1 "2.0 REPEATS beyond number_observed" cc pattern match -p "[file:name = 'foo.dll'] REPEATS 6 TIMES" "$T/od20.json"
jq '.[0]' "$T/od20.json" >"$T/od1.json"
t_ok "a single observed-data object" cc pattern match -p "[file:name = 'foo.dll']" "$T/od1.json"
t_true "single object: its binding" grep -q "^observed-data--a	0	" "$OUT"
echo '{"type": "indicator", "id": "indicator--x"}' >"$T/notod.json"
t_exit 2 "a single object that is not observed-data" cc pattern match -p "[a:b = 1]" "$T/notod.json"
t_true "single object: the problem named" grep -q "not a bundle, a list or an observed-data object" "$ERR"
gzip -c "$T/od20.json" > "$T/od20.json.gz"
t_ok "gzip input" cc pattern match -p "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']" "$T/od20.json.gz"

# --- match errors ---
t_exit 2 "invalid pattern" cc pattern match -p "[file:name = ]" "$T/od20.json"
t_true "invalid pattern message" grep -qx "cybercell: pattern:1:14: expected a literal after =, found ']'" "$ERR"
echo '{"type": "bundle", "objects": [' > "$T/broken.json"
t_exit 2 "invalid JSON" cc pattern match -p "[a:b = 1]" "$T/broken.json"
t_true "invalid JSON message names the file" grep -q "^cybercell: $T/broken.json:[0-9]*: invalid JSON" "$ERR"
echo '[{"type": "observed-data", "id": "observed-data--x", "number_observed": 1, "objects": {}}]' > "$T/nots.json"
t_exit 2 "observed-data without timestamps" cc pattern match -p "[a:b = 1]" "$T/nots.json"
t_true "names the observed-data and property" grep -q "observed-data\[observed-data--x\]: first_observed" "$ERR"
t_exit 2 "missing file" cc pattern match -p "[a:b = 1]" "$T/nope.json"
t_exit 2 "missing --pattern" cc pattern match "$T/od20.json"
t_exit 2 "missing FILE" cc pattern match -p "[a:b = 1]"
# --- warnings: patterns that parse but cannot mean what they say
# (tests/data/pattern/lint.cases) ---
pat="" n=0
check_case() {
	[ -n "$pat" ] || return 0
	t_ok "check $pat" cc pattern check "$pat"
	sed -n 's/^cybercell: pattern:\([0-9]*:[0-9]*\): warning: /\1 /p' "$ERR" > "$T/lint.got"
	t_true "warnings of $pat" cmp -s "$T/lint.got" "$T/lint.want"
}
while IFS= read -r line; do
	case "$line" in
	'#'*|'') ;;
	'check '*) check_case; pat=${line#check }; : > "$T/lint.want"; n=$((n + 1)) ;;
	*) printf '%s\n' "$line" >> "$T/lint.want" ;;
	esac
done < "${CC_ROOT:-$(pwd)}/tests/data/pattern/lint.cases"
check_case
t_true "lint cases read" [ "$n" -ge 25 ]
t_done
