#!/usr/bin/env bash
# A test whose only lasting change is an environment variable shares what
# it ran and saw with the tests that read the variable, read the whole
# environment or start a program, not with every test
# (docs/python-functions.md, "A variable a test set"; fixtures/pyleak-env).
# Under each interpreter of 3.11 or later found with pytest (and those
# named in FT_EXTRA_PYTHONS), at function granularity, and under the C
# profile hook for the first:
#
# - tests/test_env.py and tests/test_direct.py: test_a sets PKG_TERM to
#   what label() reads from name.txt and runs width().  An edit of
#   label(), of width() or of name.txt selects test_a and its users:
#   test_b (reads the variable), test_d (the whole environment), test_e
#   (a shell expands it) and test_x (reads it, and pkg/term.py is in no
#   closure of its module); never test_c, which reads no variable.  The
#   edit of label() fails test_b, test_d, test_e and test_x in a full run.
#   Before, what test_a ran was every test's.  An edit of other() selects
#   test_c alone.
# - what must still select every test, each in its own recording: a
#   module-scoped fixture's setup reads the variable (tests/test_z.py);
#   a user imports a module whose body keeps the value (tests/test_lazy.py,
#   test_g reads that copy: it fails, and no closure of its module holds
#   pkg/term.py, so before this even file granularity missed it); a user
#   keeps the value in a module's dict (tests/test_kept.py); xdist.
# - a user that fills an lru_cache with what it read (tests/test_cached.py,
#   test_j): the cache's users (test_k) become test_a's users, and test_c
#   is still left out.
. "$(dirname "$0")/lib.sh"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1
unset PKG_TERM

E=tests/test_env.py
A=$E::test_a B=$E::test_b C=$E::test_c D=$E::test_d X=$E::test_e
T=tests/test_direct.py::test_x
Z=tests/test_z.py::test_z
F=tests/test_lazy.py::test_f G=tests/test_lazy.py::test_g
H=tests/test_kept.py::test_h I=tests/test_kept.py::test_i
J=tests/test_cached.py::test_j K=tests/test_cached.py::test_k

# side KEY: the kept side file's top-level KEY, as JSON
side() {
	"$PY" - "$1" <<'PY'
import glob, json, sys
f, = glob.glob(".ftrace/runs/*/adapter-pytest-*.json")
d = json.load(open(f))
print(json.dumps(d.get(sys.argv[1]), sort_keys=True))
PY
}

sel() { ft affected --format ids --granularity="${1:-function}"; }

# full_fails WHAT ID... -- PYTEST ARGS: a plain full run fails each ID
full_fails() {
	local what=$1 out id
	shift
	local ids=() args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do ids+=("$1"); shift; done
	[ $# -gt 0 ] && shift && args=("$@")
	out=$("$PY" -m pytest -q -p no:cacheprovider "${args[@]}" 2>&1) && ft_fail "$what: the full run fails no test: $out"
	for id in "${ids[@]}"; do
		grep -qF "FAILED $id" <<<"$out" || ft_fail "$what: $id passes in the full run: $out"
	done
}

record() { # record NAME GRANULARITY PYTEST-ARGS...
	local name=$1 gran=$2
	shift 2
	ft_fixture pyleak-env "$name"
	ft_clock_past_ctime
	ft run -q --keep-records --granularity="$gran" -- "$PY" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	assert_eq "" "$(sel "$gran")" "$PY ($name): nothing changed"
}

LABEL_OLD='return f.read().strip()'
LABEL_NEW='return f.read().strip().upper()'

check() { # check NAME
	local name=$1 args=(tests/test_env.py tests/test_direct.py)
	record "$name" function "${args[@]}"
	assert_eq "{\"importers\": [], \"tests\": {\"$A\": [\"PKG_TERM\"]}}" "$(side leaky_env)" \
		"$PY ($name): the side file's leaky_env"

	ft_edit pkg/term.py "$LABEL_OLD" "$LABEL_NEW"
	full_fails "$PY ($name): label() edited" "$B" "$D" "$X" "$T" -- "${args[@]}"
	assert_set "$A $B $D $X $T" "$(sel)" "$PY ($name): label() edited (test_c reads no variable)"
	ft_back pkg/term.py

	ft_edit pkg/term.py 'return len(s)' 'return len(s) + 0'
	assert_set "$A $B $D $X $T" "$(sel)" "$PY ($name): width() edited"
	ft_back pkg/term.py

	echo vt100 >pkg/name.txt
	ft_settle
	full_fails "$PY ($name): name.txt edited" "$B" "$D" "$X" "$T" -- "${args[@]}"
	assert_set "$A $B $D $X $T" "$(sel)" "$PY ($name): name.txt edited (what test_a saw)"
	ft_back pkg/name.txt

	ft_edit pkg/term.py 'return s.upper()' 'return s.upper() + ""'
	assert_set "$C" "$(sel)" "$PY ($name): other() edited"
	ft_back pkg/term.py
}

# wide NAME FILE FAILS...: recorded with FILE too, what test_a ran and
# saw is every test's
wide() {
	local name=$1 file=$2 all
	shift 2
	record "$name" function tests/test_env.py "$file"
	all="$A $B $C $D $X $(sed -n 's/^def \(test_[a-z]*\).*/\1/p' "$file" | sed "s|^|$file::|")"
	ft_edit pkg/term.py "$LABEL_OLD" "$LABEL_NEW"
	full_fails "$PY ($name): label() edited" "$@" -- tests/test_env.py "$file"
	assert_set "$all" "$(sel)" "$PY ($name): label() edited: every test"
	ft_back pkg/term.py
	ft_edit pkg/term.py 'return len(s)' 'return len(s) + 0'
	assert_set "$all" "$(sel)" "$PY ($name): width() edited: every test"
	ft_back pkg/term.py
	echo vt100 >pkg/name.txt
	ft_settle
	assert_set "$all" "$(sel)" "$PY ($name): name.txt edited: every test"
	ft_back pkg/name.txt
}

walls() { # walls NAME
	wide "$1-z" tests/test_z.py "$B" "$Z"
	assert_eq "{\"importers\": [], \"tests\": {\"$A\": [\"PKG_TERM\"]}}" "$(side leaky_env)" \
		"$PY ($1-z): the side file names test_a (ingest widens it)"
	wide "$1-lazy" tests/test_lazy.py "$B" "$F" "$G"
	# test_f's import loads its module: what it reads then, the variable
	# too, is the prelude's (docs/pytest.md, the import that loads a
	# module in a test), every test's, so no test is an importer of it
	assert_eq "{\"importers\": [], \"tests\": {\"$A\": [\"PKG_TERM\"]}}" "$(side leaky_env)" \
		"$PY ($1-lazy): the side file's importers"
	wide "$1-kept" tests/test_kept.py "$B" "$I"

	# a user that fills an lru_cache with what it read hands test_a's code
	# on to the cache's users: test_k, which reads no variable
	record "$1-cached" function tests/test_env.py tests/test_cached.py
	ft_edit pkg/term.py "$LABEL_OLD" "$LABEL_NEW"
	full_fails "$PY ($1-cached): label() edited" "$B" "$J" "$K" -- tests/test_env.py tests/test_cached.py
	assert_set "$A $B $D $X $J $K" "$(sel)" "$PY ($1-cached): label() edited (test_k through test_j)"
	ft_back pkg/term.py

	# at file granularity too, test_g (whose module's closure does not
	# hold pkg/term.py) gets what test_a ran
	record "$1-lazy-file" file tests/test_env.py tests/test_lazy.py
	ft_edit pkg/term.py "$LABEL_OLD" "$LABEL_NEW"
	assert_set "$A $B $C $D $X $F $G" "$(sel file)" "$PY ($1-lazy-file): label() edited: every test"
	ft_back pkg/term.py
}

# xdist: each worker's readers are its own: no test is scoped
xdist() {
	"$PY" -c 'import xdist' 2>/dev/null || return 0
	ft_fixture pyleak-env "$1-x"
	ft_clock_past_ctime
	ft run -q --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider -n 2 \
		tests/test_env.py tests/test_direct.py >"$FT_SCRATCH/run.out" 2>&1 || :
	ft_edit pkg/term.py 'return len(s)' 'return len(s) + 0'
	assert_set "$A $B $C $D $X $T" "$(sel)" "$PY ($1-x): width() edited, recorded under xdist: every test"
	ft_back pkg/term.py
}

each() { # each INDEX: with $PY
	check "p$1"
	walls "p$1"
	xdist "p$1"
	if [ "$PY" = "$FT_PYTHON" ]; then
		FTRACE_PYFUNC_HOOK=cprofile check "p$1-cprofile"
	fi
}
ft_each_python each
