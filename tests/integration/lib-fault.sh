# lib-fault.sh - sourced after lib.sh, fixtures/cmd-common/helpers.sh and
# lib-oracle.sh by the tests/integration/t99NN-fault-*.sh scripts.
#
# A fault case records a small suite of named commands, injects a fault
# (a kill, a full disk, a hostile file, a concurrent run), then asks the
# oracle: every test recorded before must still be known (or ftrace says
# it cannot tell, exit 2), and `ftrace affected` after a real change is a
# superset of what the change broke.
#
# The suite: tests t1..tN, test tI is `grep -qx ok in/I.txt`, recorded with
# `ftrace run --name tI`; its verdict is its exit status.

# fault_suite N: create in/1.txt .. in/N.txt (settled) in the current
# directory (a fixture copy)
fault_suite() {
	local i
	FAULT_N=$1
	mkdir -p in
	for i in $(seq 1 "$FAULT_N"); do
		echo ok >"in/$i.txt"
	done
	git add -A && git -c user.email=t@t -c user.name=t commit -qm suite
	ft_settle
}

oracle_suite() {
	local i
	for i in $(seq 1 "$FAULT_N"); do
		if grep -qx ok "in/$i.txt" 2>/dev/null; then
			printf 't%s\tpass\n' "$i"
		else
			printf 't%s\tfail\n' "$i"
		fi
	done
}

# fault_record I [ARGS...]: record test tI (exit status is ftrace run's)
fault_record() {
	local i=$1
	shift
	"$FTRACE_BIN" run -q "$@" --name "t$i" -- grep -qx ok "in/$i.txt"
}

# fault_record_all: record t1..tN one after the other; each must succeed
fault_record_all() {
	local i
	for i in $(seq 1 "$FAULT_N"); do
		fault_record "$i" 2>"$FT_SCRATCH/rec.err" ||
			ft_fail "recording t$i failed: $(cat "$FT_SCRATCH/rec.err")"
	done
}

# fault_check WHAT: break every input: each test must be selected (none
# was lost), or affected exits 2; then restore them.
fault_check() {
	oracle_scenario "$1: every input broken" \
		'for f in in/*.txt; do echo broken >"$f"; done' \
		'for f in in/*.txt; do echo ok >"$f"; done'
}

# fault_pids_of_children PID: the direct children of PID
fault_children() { cat "/proc/$1/task/"*/children 2>/dev/null || true; }
