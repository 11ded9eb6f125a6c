#!/usr/bin/env bash
# What an admin gets: a man page and a docs page for every command of the
# command table; `make install` into a DESTDIR, the installed binary finding
# its rules from anywhere; the systemd unit for serve (systemd-analyze
# verify, the sysusers file); `make uninstall` leaving nothing behind.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(dirname "${CYBERCELL#"$root"/}")      # e.g. build/asan
man="$root/$build/man"
dest="$T/root" prefix=/usr/local
share="$dest$prefix/share/cybercell"
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$root" --no-print-directory BUILD="$build" "$@"; }

# ---- a man page and a docs page per command ----
sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", *cmd_[a-z_]*,.*/\1/p' "$root/src/main.c" > "$T/table"
t_true "the command table has 26 commands" [ "$(wc -l < "$T/table")" = 26 ]
t_ok "help" cc help
t_true "help lists exactly the table's commands" \
	cmp -s "$T/table" <(sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' "$OUT")
while read -r c; do
	summary=$(sed -n "s/^  $c  *//p" "$OUT")
	t_true "$c: docs/commands/$c.md" test -s "$root/docs/commands/$c.md"
	t_true "$c: man page" test -s "$man/cybercell-$c.1"
	t_true "$c: man page NAME is its summary" \
		[ "$(lexgrog "$man/cybercell-$c.1" 2>&1)" = "$man/cybercell-$c.1: \"cybercell-$c - $summary\"" ]
	t_true "cybercell(1) refers to cybercell-$c(1)" \
		sh -c "MANWIDTH=200 man -l '$man/cybercell.1' 2>/dev/null | grep -q 'cybercell-$c(1)'"
done < "$T/table"
for md in "$root"/docs/commands/*.md; do
	t_true "$(basename "$md"): has a man page" test -s "$man/cybercell-$(basename "$md" .md).1"
done
for page in "$man"/*.1; do
	t_true "$(basename "$page") renders without a warning" sh -c \
		"LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$page' 2>&1 >/dev/null | grep -c . | grep -qx 0"
done
t_true "wargame run has its own page" test -s "$man/cybercell-wargame-run.1"
t_true "man pages are not in the repository" \
	[ -z "$(git -C "$root" ls-files '*.1' 'build/*')" ]

# ---- make install into a DESTDIR ----
t_ok "make install DESTDIR" mk install DESTDIR="$dest"
t_true "binary installed, mode 0755" [ "$(stat -c %a "$dest$prefix/bin/cybercell")" = 755 ]
t_true "every rules file installed" \
	cmp -s <(cd "$root/data/rules" && ls) <(ls "$share/rules")
t_true "demo data installed" cmp -s "$root/data/demo/bank.yaml" "$share/demo/bank.yaml"
t_true "demo logs installed" test -s "$share/demo/logs/conn.log"
t_true "data files are 0644" [ "$(stat -c %a "$share/rules/00-core.rules")" = 644 ]
t_true "docs installed" test -s "$dest$prefix/share/doc/cybercell/docs/commands/find.md"
t_true "one man page per command and cybercell(1)" \
	[ "$(ls "$dest$prefix/share/man/man1" | wc -l)" = "$(ls "$man" | wc -l)" ]
t_true "man finds cybercell-import" [ "$(MANPATH="$dest$prefix/share/man" man -w cybercell-import)" \
	= "$dest$prefix/share/man/man1/cybercell-import.1" ]
t_true "man finds cybercell" [ "$(MANPATH="$dest$prefix/share/man" man -w cybercell)" \
	= "$dest$prefix/share/man/man1/cybercell.1" ]

# The installed binary, run from elsewhere, finds the installed rules.
mkdir -p "$T/elsewhere"
inst() { (cd "$T/elsewhere" && env -u CYBERCELL_RULES "$dest$prefix/bin/cybercell" "$@"); }
# the same war game from the source tree names the same graph: the
# installed rules are the repository's
t_ok "source tree: war game on the demo" cc wargame run "$root/data/demo/bank.yaml" \
	--adversary-file "$root/data/demo/adversary.yaml" --rules "$root/data/rules" --runs 50 --seed 1
head -1 "$OUT" >"$T/src-line"
t_ok "installed: war game on the installed demo" inst wargame run "$share/demo/bank.yaml" \
	--adversary-file "$share/demo/adversary.yaml" --runs 50 --seed 1
t_true "installed: the demo's graph from the installed rules, as from the source tree's" \
	bash -c "grep -q '^war game: Northgate Savings Bank vs DEMO-HEIST; attack graph [1-9][0-9]* facts, [1-9][0-9]* rule instances\$' '$T/src-line' &&
		 head -1 '$OUT' | cmp -s - '$T/src-line'"
mv "$share/rules" "$T/rules.aside"
t_exit 1 "installed, rules gone: fails" inst wargame graph "$share/demo/bank.yaml" \
	--adversary-file "$share/demo/adversary.yaml"
if [ ! -e "$prefix/share/cybercell/rules" ]; then
	t_true "then the compiled-in PREFIX/share/cybercell/rules is tried" \
		grep -q "^cybercell: $prefix/share/cybercell/rules: " "$ERR"
fi
mv "$T/rules.aside" "$share/rules"
t_exit 1 "CYBERCELL_RULES overrides" env CYBERCELL_RULES="$T/no-rules" \
	"$dest$prefix/bin/cybercell" wargame graph "$share/demo/bank.yaml" \
	--adversary-file "$share/demo/adversary.yaml"
t_true "CYBERCELL_RULES: the error names it" grep -q "^cybercell: $T/no-rules: " "$ERR"
t_ok "the build tree's binary still finds data/rules from elsewhere" \
	sh -c "cd '$T/elsewhere' && '$CYBERCELL' wargame graph '$root/data/demo/bank.yaml' --adversary-file '$root/data/demo/adversary.yaml'"

# ---- the systemd unit for serve ----
unit="$root/contrib/systemd/cybercell.service"
# verify checks that ExecStart's program exists: point it at the installed one.
sed "s|$prefix/bin/cybercell|$dest$prefix/bin/cybercell|" "$unit" > "$T/cybercell.service"
t_true "the unit runs $prefix/bin/cybercell" [ "$(grep -c "^Exec.*=$prefix/bin/cybercell " "$unit")" = 2 ]
t_ok "systemd-analyze verify" env MANPATH="$dest$prefix/share/man" \
	systemd-analyze verify "$T/cybercell.service"
t_true "verify: no warning at all" sh -c "[ ! -s '$ERR' ] && [ ! -s '$OUT' ]"
for kv in User=cybercell Group=cybercell UMask=0077 StateDirectory=cybercell \
	ReadWritePaths=/var/lib/cybercell Environment=CYBERCELL_DB=/var/lib/cybercell/cybercell.db \
	ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes PrivateDevices=yes ProtectHome=yes \
	CapabilityBoundingSet=; do
	t_true "unit: $kv" grep -qx "$kv" "$unit"
done
t_ok "systemd-analyze security" systemd-analyze security --offline=yes "$T/cybercell.service"
t_true "exposure level at most 2.0 (OK)" awk '/Overall exposure level/ { v = $(NF-2) } END { exit !(v != "" && v <= 2.0) }' "$OUT"
sed 's/^NoNewPrivileges=yes/NoNewPrivileges=maybe/' "$T/cybercell.service" > "$T/bad.service"
t_ok "verify of a broken copy runs" systemd-analyze verify --man=no "$T/bad.service"
t_true "and the check catches it" grep -q "Failed to parse boolean value" "$ERR"
mkdir -p "$T/sysroot/etc"
t_ok "systemd-sysusers creates the user cybercell" \
	systemd-sysusers --root="$T/sysroot" "$root/contrib/systemd/cybercell.sysusers"
t_true "a system user with the state directory as home and no shell" grep -qE \
	'^cybercell:x:[0-9]+:[0-9]+:[^:]*:/var/lib/cybercell:/usr/sbin/nologin$' "$T/sysroot/etc/passwd"

# ---- make uninstall ----
t_ok "make uninstall DESTDIR" mk uninstall DESTDIR="$dest"
t_true "no file left" [ -z "$(find "$dest" ! -type d)" ]
t_true "share/cybercell gone" [ ! -e "$share" ]
t_true "share/doc/cybercell gone" [ ! -e "$dest$prefix/share/doc/cybercell" ]
t_ok "make uninstall again is harmless" mk uninstall DESTDIR="$dest"
t_done
