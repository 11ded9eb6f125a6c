#!/usr/bin/env bash
# The command-line contract shared by every command: help, version, usage errors.
. "$(dirname "$0")/lib.sh"

t_ok "--version prints the version" cc --version
t_true "version text" grep -q '^cybercell [0-9]' "$OUT"
t_ok "help lists commands" cc help
t_true "help names import" grep -q '^  import ' "$OUT"
t_exit 2 "no command is bad usage" cc
t_exit 2 "unknown command is bad usage" cc frobnicate
t_true "unknown command error format" grep -q "^cybercell: 'frobnicate' is not a command" "$ERR"
t_exit 2 "unknown global option" cc --nope init
t_exit 2 "--db without a path" cc --db
t_exit 2 "help for an unknown command" cc help frobnicate
for c in init import export get find validate stats serve org user collection grant revoke pattern match wargame exercise peer sync taxii; do
	t_ok "$c --help" cc "$c" --help
	t_true "$c --help shows usage" grep -q "^usage: cybercell $c" "$OUT"
	t_ok "help $c" cc help "$c"
done

# the library (all of src/ but main.c, linked by the unit tests and fuzzers)
# must not need a symbol that only main.c defines
lib_needs_main() {
	local b; b=$(dirname "$CYBERCELL")
	nm -g --defined-only "$b/obj/src/main.o" | awk '{print $3}' | sort -u >"$T/main.syms" &&
		grep -qx main "$T/main.syms" &&
		nm -u "$b/libcybercell.a" | awk '{print $2}' | sort -u >"$T/lib.undef" &&
		grep -qx json_loadb "$T/lib.undef" &&
		comm -12 "$T/lib.undef" "$T/main.syms"
}
t_ok "nm reads the library and main.o" lib_needs_main
t_true "the library needs nothing from main.c" [ ! -s "$OUT" ]
t_done
