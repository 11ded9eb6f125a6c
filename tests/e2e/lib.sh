# lib.sh — helpers for the end-to-end tests; source it first.
#   t_ok DESC CMD...        CMD must exit 0
#   t_exit N DESC CMD...    CMD must exit N
#   t_true DESC CMD...      a condition on $OUT/$ERR ([ ... ], grep -q ...) that leaves them alone
#   t_clean DESC FILE       FILE (a process's stderr kept by the script) holds no sanitizer report
#   t_skip DESC REASON      DESC is not run: counted as skipped, REASON printed
#   t_need DESC PATH...     whether the outside test data PATH... (relative to
#                           $TESTDATA) is all there; if not, t_skip DESC naming
#                           what is missing.  The only way a test reaches it.
#   t_done                  print "<script>: N passed, M failed, K skipped" and set the exit status
#   serve_start OUT ERR CMD...  start CMD (a server) in the background, its stdout in OUT,
#                           its stderr added to ERR; SERVE_PID; waits up to 10 s for
#                           its "listening on" line in OUT
# $CYBERCELL is the binary under test, $ROOT the repository, $T a fresh
# temporary folder removed at exit, $OUT/$ERR the last command's output.  $TESTDATA is the material the
# project does not own (ATT&CK, the OASIS examples and client, real logs):
# $CYBERCELL_TESTDATA, else ../shared beside the clone; use it only after t_need.
# Every ASan or LeakSanitizer report of any process a script runs is written
# under $T/san and fails the check during which it appeared, or t_done when it
# came later (a server stopped at the end).  UBSan reports only go to stderr:
# t_ok and t_exit fail on one in $ERR; a script that sends a process's stderr
# elsewhere checks that file with t_clean.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${CYBERCELL:=$ROOT/build/asan/cybercell}"
TESTDATA=${CYBERCELL_TESTDATA:-$ROOT/../shared}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CYBERCELL_DB="$T/test.db"
mkdir "$T/san"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:log_path=$T/san/asan"
_pass=0 _fail=0 _skip=0
OUT="$T/.out" ERR="$T/.err"

cc() { "$CYBERCELL" "$@"; }

serve_start() {
	local out=$1 err=$2; shift 2
	# emptied first: the wait below must not read the last server's lines
	# before the background shell has truncated the file
	: >"$out"
	"$@" >"$out" 2>>"$err" &
	SERVE_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^listening on ' "$out" 2>/dev/null && break
		sleep 0.05
	done
}

_san_in() { # _san_in FILE: whether FILE (a stderr) holds a sanitizer report; shows it
	grep -q -e 'runtime error: ' -e 'Sanitizer' "$1" 2>/dev/null || return 1
	grep -A8 -e 'runtime error: ' -e 'Sanitizer' "$1" | head -12 | sed 's/^/    /'
}

_san() { # _san DESC [STDERR]: a failure of DESC for each sanitizer report since the last check
	local f
	if [ $# -gt 1 ] && _san_in "$2" >"$T/.san"; then
		_fail=$((_fail + 1))
		echo "FAIL: $1: sanitizer report on stderr"
		cat "$T/.san"
	fi
	for f in "$T"/san/*; do
		[ -e "$f" ] || continue
		_fail=$((_fail + 1))
		echo "FAIL: $1: sanitizer report"
		grep -E 'ERROR|SUMMARY|runtime error| #[0-9] ' "$f" | head -12 | sed 's/^/    /'
		rm -f "$f"
	done
}

_report() { # _report OK DESC
	if [ "$1" = 1 ]; then
		_pass=$((_pass + 1))
	else
		_fail=$((_fail + 1))
		echo "FAIL: $2"
		[ -s "$ERR" ] && sed 's/^/    stderr: /' "$ERR" | head -5
	fi
	_san "$2" "$ERR"
}

t_ok() {
	local d=$1; shift
	if "$@" >"$OUT" 2>"$ERR"; then _report 1 "$d"; else _report 0 "$d (exit $?)"; fi
}
t_true() { # a condition: its own output must not clobber $OUT/$ERR
	local d=$1; shift
	if "$@" >"$T/.tout" 2>&1; then
		_pass=$((_pass + 1))
	else
		_fail=$((_fail + 1))
		echo "FAIL: $d"
		head -5 "$T/.tout" | sed 's/^/    /'
	fi
	_san "$d"
}

t_exit() {
	local want=$1 d=$2 rc; shift 2
	"$@" >"$OUT" 2>"$ERR"; rc=$?
	if [ "$rc" = "$want" ]; then _report 1 "$d"; else _report 0 "$d (exit $rc, wanted $want)"; fi
}

t_clean() { # t_clean DESC FILE: FILE (a process's stderr) holds no sanitizer report
	if _san_in "$2" >"$T/.san"; then
		_fail=$((_fail + 1))
		echo "FAIL: $1"
		cat "$T/.san"
	else
		_pass=$((_pass + 1))
	fi
	_san "$1"
}

t_skip() {
	_skip=$((_skip + 1))
	echo "SKIP: $1: $2"
}

t_need() {
	local d=$1 p; shift
	for p in "$@"; do
		if [ ! -e "$TESTDATA/$p" ]; then
			t_skip "$d" "$TESTDATA/$p not found (outside test data: set CYBERCELL_TESTDATA or put it in ../shared)"
			return 1
		fi
	done
}

t_done() {
	_san "a process that ended after the last check"
	echo "$(basename "$0" .sh): $_pass passed, $_fail failed, $_skip skipped"
	[ "$_fail" = 0 ]
}
