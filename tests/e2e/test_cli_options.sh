#!/usr/bin/env bash
# Option handling of every command (src/cmd/common.c cmd_getopt): a missing
# value, an unknown, ambiguous or valued flag each get a usage error that
# says so; every option of a command is in its --help.  The options are read
# from the command's option table in src/cmd/, so a new one is covered.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

# cmd_of FILE: the command line prefix whose options FILE's table holds
cmd_of() {
	case $(basename "$1" .c) in
	wargame) echo "wargame graph" ;;
	wargame_run) echo "wargame run" ;;
	wargame_common|wargame_print|common|resolve) ;;
	import_par) ;;
	pattern) echo "pattern match" ;;
	warninglist) echo "warninglist check" ;;
	*) basename "$1" .c ;;
	esac
}
# opts FILE KIND: the long options of FILE's tables with KIND (required|no)
opts() { sed -n "s/.*{ \"\([a-z-]*\)\", *$2_argument.*/\1/p" "$1"; }

nreq=0
for f in "$root"/src/cmd/*.c; do
	cmd=$(cmd_of "$f")
	[ -n "$cmd" ] || continue
	for o in $(opts "$f" required); do
		nreq=$((nreq + 1))
		# shellcheck disable=SC2086 # $cmd is "command [subcommand]"
		t_exit 2 "$cmd --$o without its value" cc $cmd "--$o"
		t_true "$cmd --$o: says the value is missing" \
			grep -qx "cybercell: $cmd: option '--$o' needs a value" "$ERR"
		t_true "$cmd --$o: help hint" grep -qx "Try 'cybercell $cmd --help'." "$ERR"
	done
	for o in $(opts "$f" required) $(opts "$f" no); do
		# shellcheck disable=SC2086
		t_true "$cmd --help lists --$o" sh -c "'$CYBERCELL' $cmd --help | grep -q -- '--$o\\b'"
	done
done
t_true "value options found in src/cmd (>40 of them)" [ "$nreq" -gt 40 ]

# The short forms, and each kind of refusal once.
t_exit 2 "export -o without a file" cc export -o
t_true "export -o: says so" grep -qx "cybercell: export: option '-o' needs a value" "$ERR"
t_exit 2 "import -c without a collection" cc import -c
t_true "import -c: says so" grep -qx "cybercell: import: option '-c' needs a value" "$ERR"
t_exit 2 "pattern match -p without a pattern" cc pattern match -p
t_true "pattern match -p: says so" grep -qx "cybercell: pattern match: option '-p' needs a value" "$ERR"
t_exit 2 "find --rel is ambiguous" cc find --rel x
t_true "find --rel: names the candidates" \
	grep -qx "cybercell: find: option '--rel' is ambiguous (--related-to, --relationship-type)" "$ERR"
t_ok "find --related (a unique abbreviation) works" cc find --related indicator--00000000-0000-4000-8000-000000000000
t_exit 2 "find --json=yes" cc find --json=yes
t_true "find --json=yes: takes no value" grep -qx "cybercell: find: option '--json' takes no value" "$ERR"
t_exit 2 "find --bogus" cc find --bogus
t_true "find --bogus: unknown" grep -qx "cybercell: find: unknown option '--bogus'" "$ERR"
t_exit 2 "find -jz (unknown in a cluster)" cc find --json -jz
t_true "find -jz: names -z" grep -qx "cybercell: find: unknown option '-z'" "$ERR"
t_exit 2 "wargame check --dot" cc wargame check --dot m.yaml
t_true "wargame check: its own name" grep -qx "cybercell: wargame check: unknown option '--dot'" "$ERR"

# wargame run --help: every option of run, with its range and default.
t_ok "wargame run --help" cc wargame run --help
t_true "run options listed with defaults" \
	grep -qE '^  --runs N +campaigns, 1\.\.10000000 \(default 1000\)$' "$OUT"
t_true "--with-intel listed" grep -qE '^  --with-intel COLLECTION ' "$OUT"
t_done
