# lib.sh — helpers for the end-to-end tests; source it first.
#   t_ok DESC CMD...        CMD must exit 0
#   t_exit N DESC CMD...    CMD must exit N
#   t_true DESC CMD...      a condition on $OUT/$ERR ([ ... ], grep -q ...) that leaves them alone
#   t_done                  print "<script>: N passed, M failed" and set the exit status
# $CYBERCELL is the binary under test, $CC_SHARED the shared data folder,
# $T a fresh temporary folder removed at exit, $OUT/$ERR the last command's output.
set -u
: "${CYBERCELL:=$(pwd)/build/asan/cybercell}"
: "${CC_SHARED:=$(pwd)/../shared}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CYBERCELL_DB="$T/test.db"
_pass=0 _fail=0
OUT="$T/.out" ERR="$T/.err"

cc() { "$CYBERCELL" "$@"; }

_report() { # _report OK DESC
	if [ "$1" = 1 ]; then
		_pass=$((_pass + 1))
	else
		_fail=$((_fail + 1))
		echo "FAIL: $2"
		[ -s "$ERR" ] && sed 's/^/    stderr: /' "$ERR" | head -5
	fi
}

t_ok() {
	local d=$1; shift
	if "$@" >"$OUT" 2>"$ERR"; then _report 1 "$d"; else _report 0 "$d (exit $?)"; fi
}
t_true() { # a condition: its own output must not clobber $OUT/$ERR
	local d=$1; shift
	if "$@" >"$T/.tout" 2>&1; then _pass=$((_pass + 1)); else _fail=$((_fail + 1)); echo "FAIL: $d"; fi
}

t_exit() {
	local want=$1 d=$2 rc; shift 2
	"$@" >"$OUT" 2>"$ERR"; rc=$?
	if [ "$rc" = "$want" ]; then _report 1 "$d"; else _report 0 "$d (exit $rc, wanted $want)"; fi
}

t_done() {
	echo "$(basename "$0" .sh): $_pass passed, $_fail failed"
	[ "$_fail" = 0 ]
}
