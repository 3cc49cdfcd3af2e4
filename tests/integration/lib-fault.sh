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

# fault_plant_run KIND: record t4 with a command that first plants a
# hostile file named like a region in its own run dir ($FTRACE_RUN_DIR),
# with --keep-records; ftrace run must not block (30 s bound), must run the
# program, and must not touch the victim file a symlink points at.  Sets
# FAULT_RC (ftrace run's status).  KIND: fifo, symlink, truncated, garbage.
fault_plant_run() {
	local plant
	echo "victim, not ftrace's" >"$FT_SCRATCH/victim"
	case $1 in
	fifo) plant='mkfifo "$FTRACE_RUN_DIR/r-99999-0.rec"' ;;
	symlink) plant='ln -s "$1" "$FTRACE_RUN_DIR/r-99999-0.rec"' ;;
	truncated) plant='for r in "$FTRACE_RUN_DIR"/r-*.rec; do head -c 40 "$r" >"$FTRACE_RUN_DIR/r-99999-0.rec"; break; done' ;;
	garbage) plant='seq 1 3000 >"$FTRACE_RUN_DIR/r-99999-0.rec"' ;;
	*) ft_fail "fault_plant_run: unknown kind $1" ;;
	esac
	FAULT_RC=0
	timeout 30 "$FTRACE_BIN" run --keep-records --name t4 -- sh -c \
		"grep -qx ok in/4.txt && $plant && echo program-done" sh "$FT_SCRATCH/victim" \
		>"$FT_SCRATCH/plant.out" 2>"$FT_SCRATCH/plant.err" || FAULT_RC=$?
	[ "$FAULT_RC" -ne 124 ] || ft_fail "ftrace run blocked on a planted $1 region"
	grep -qx program-done "$FT_SCRATCH/plant.out" ||
		ft_fail "the program did not run as without ftrace (exit $FAULT_RC): $(cat "$FT_SCRATCH/plant.err")"
	[ "$(cat "$FT_SCRATCH/victim")" = "victim, not ftrace's" ] ||
		ft_fail "the symlink's target was changed or removed"
	# the kept run dir: ftrace records must not block on it either
	local dir rc=0
	for dir in .ftrace/runs/*/; do
		[ -d "$dir" ] || continue
		timeout 30 "$FTRACE_BIN" records "$dir" >/dev/null 2>&1 || rc=$?
		[ "$rc" -ne 124 ] || ft_fail "ftrace records blocked on a planted $1 region"
	done
}

# fault_record_bg N: start recording t1..tN all at once, in the background
# (stderr of tI in $FT_SCRATCH/recI.err); fault_wait_bg WHAT waits for them
# and fails, naming WHAT and each failed run, unless every one succeeded.
fault_record_bg() {
	local i
	FAULT_PIDS=()
	for i in $(seq 1 "$1"); do
		fault_record "$i" 2>"$FT_SCRATCH/rec$i.err" &
		FAULT_PIDS+=($!)
	done
}
fault_wait_bg() {
	local i bad=""
	for i in $(seq 1 "${#FAULT_PIDS[@]}"); do
		wait "${FAULT_PIDS[$((i - 1))]}" || bad="$bad
  t$i: exit $?: $(cat "$FT_SCRATCH/rec$i.err")"
	done
	[ -z "$bad" ] || ft_fail "$1 failed:$bad"
}

# fault_full_disk_begin: the state dir ($FTRACE_DIR) on a 2 MB tmpfs
# mounted at MNT (skip when it cannot be mounted: not root), unmounted on
# exit; fixtures/cmd-kinds with 3000 empty files in big/ (a run that lists
# and reads them writes many records), and t1..t4 recorded.
fault_full_disk_begin() {
	MNT=$FT_SCRATCH/state
	mkdir "$MNT"
	mount -t tmpfs -o size=2m,mode=0700 tmpfs "$MNT" 2>/dev/null || ft_skip "cannot mount a tmpfs (not root?)"
	trap 'rc=$?; umount -l "$MNT" 2>/dev/null; (exit $rc); ft__cleanup' EXIT
	export FTRACE_DIR=$MNT/ftrace

	ft_fixture cmd-kinds
	mkdir big
	(cd big && seq 1 3000 | sed 's/$/.txt/' | xargs touch)
	fault_suite 4
	fault_record_all
}

# fault_full_disk_end RC: `ftrace run --name t4` ran on the full disk and
# exited RC (stdout in $FT_SCRATCH/full.out, stderr in full.err): the
# program must have finished as without ftrace, without SIGBUS; the run
# exits 0 or 70, says the disk is full when it says anything, and not
# "no transaction is active".  Then, with space again (MNT/filler
# removed), nothing recorded before is lost (the oracle).
fault_full_disk_end() {
	local rc=$1
	grep -qx program-done "$FT_SCRATCH/full.out" ||
		ft_fail "the program did not finish as it would without ftrace (exit $rc): $(cat "$FT_SCRATCH/full.err")"
	! grep -qi "bus error" "$FT_SCRATCH/full.err" || ft_fail "the program got SIGBUS: $(cat "$FT_SCRATCH/full.err")"
	case $rc in
	0|70) ;;
	*) ft_fail "ftrace run on a full disk exited $rc (0 or 70 expected): $(cat "$FT_SCRATCH/full.err")" ;;
	esac
	if [ "$rc" -eq 70 ] || grep -q . "$FT_SCRATCH/full.err"; then
		grep -qi "space\|full" "$FT_SCRATCH/full.err" ||
			ft_fail "the message does not say the disk is full: $(cat "$FT_SCRATCH/full.err")"
	fi
	! grep -qi "no transaction is active" "$FT_SCRATCH/full.err" ||
		ft_fail "a misleading message: $(cat "$FT_SCRATCH/full.err")"

	rm -f "$MNT/filler"
	oracle_baseline
	fault_check "a run on a full disk"
	oracle_finish
}
