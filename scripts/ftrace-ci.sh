#!/usr/bin/env bash
# ftrace-ci.sh - the commands of docs/ci.md's recipe: a golden recording
# kept in an artifact store, keyed by commit, with no server of ftrace's
# own.  The store is a directory here ($FTRACE_STORE, or the argument):
# the CI system's cache or artifact step copies it in and out (docs/ci.md
# shows GitHub Actions and GitLab CI doing so).  Run from the checkout.
#
#   ftrace-ci.sh key                  the bundle's name for HEAD: <commit>.ftb
#   ftrace-ci.sh publish STORE        export this recording as STORE/<HEAD>.ftb
#   ftrace-ci.sh restore STORE        import the bundle of the nearest first-parent
#                                     ancestor of HEAD that has one (50 back);
#                                     exit 1 when none: run everything then
#   ftrace-ci.sh shard STORE K N CMD...  run shard K of N of the affected tests
#                                     under `ftrace run` (CMD gets the test ids as
#                                     arguments; nothing to run: CMD is not run),
#                                     and export STORE/shard-K.ftb
#   ftrace-ci.sh merge STORE N        merge STORE/<HEAD>.ftb (if there) and
#                                     STORE/shard-1..N.ftb into STORE/<HEAD>.ftb
#   ftrace-ci.sh select REPORT CMD... the selected stage: `ftrace test --report
#                                     REPORT -- CMD` (the affected tests, recorded);
#                                     CMD's status
#   ftrace-ci.sh verify STORE REPORT CMD...
#                                     the verify stage: `ftrace verify --report
#                                     REPORT -- CMD` (the whole suite under
#                                     recording, compared with the selection),
#                                     then publish its recording as
#                                     STORE/<HEAD>.ftb; the escape gate: exit 99
#                                     when a test the selection left out changed
#                                     or fails (said on stderr), else verify's
#                                     status (CMD's failure, 2: no verdict)
#
# A bundle of an older commit is sound to start from: selection compares
# the states the tests saw with the files now, never commits (docs/ci.md).
set -euo pipefail

FTRACE=${FTRACE:-ftrace}

die() { echo "ftrace-ci: $*" >&2; exit 2; }

key() { echo "$(git rev-parse HEAD).ftb"; }

cmd=${1:-}
[ -n "$cmd" ] || die "usage: ftrace-ci.sh key|publish|restore|shard|merge|select|verify ..."
shift
case $cmd in
key)
	key ;;
publish)
	store=${1:-${FTRACE_STORE:?}}
	mkdir -p "$store"
	"$FTRACE" export "$store/$(key)" ;;
restore)
	store=${1:-${FTRACE_STORE:?}}
	for c in $(git rev-list --first-parent -n 50 HEAD); do
		if [ -f "$store/$c.ftb" ]; then
			"$FTRACE" import "$store/$c.ftb"
			exit $?
		fi
	done
	echo "ftrace-ci: no bundle in $store for HEAD or its 50 first-parent ancestors" >&2
	exit 1 ;;
shard)
	[ $# -ge 4 ] || die "usage: ftrace-ci.sh shard STORE K N CMD..."
	store=$1 k=$2 n=$3
	shift 3
	# exit 2 from affected (it cannot tell): this shard's part of every test
	ids=$("$FTRACE" affected --format ids --shard "$k/$n") ||
		ids=$("$FTRACE" affected --format ids --on-unknown=all --shard "$k/$n" || true)
	if [ -n "$ids" ]; then
		mapfile -t args <<<"$ids"
		"$FTRACE" run -- "$@" "${args[@]}"
	fi
	"$FTRACE" export "$store/shard-$k.ftb" ;;
merge)
	[ $# -ge 2 ] || die "usage: ftrace-ci.sh merge STORE N"
	store=$1 n=$2 in=()
	[ -f "$store/$(key)" ] && in+=("$store/$(key)")
	for k in $(seq 1 "$n"); do
		in+=("$store/shard-$k.ftb")
	done
	"$FTRACE" merge "$store/$(key)" "${in[@]}" ;;
select)
	[ $# -ge 2 ] || die "usage: ftrace-ci.sh select REPORT CMD..."
	report=$1
	shift
	exec "$FTRACE" test --report "$report" -- "$@" ;;
verify)
	[ $# -ge 3 ] || die "usage: ftrace-ci.sh verify STORE REPORT CMD..."
	store=$1 report=$2 rc=0
	shift 2
	"$FTRACE" verify --report "$report" -- "$@" || rc=$?
	# the whole suite's recording is the truth, escape or not: keep it
	mkdir -p "$store"
	"$FTRACE" export "$store/$(key)" ||
		echo "ftrace-ci: the verify stage's recording was not published" >&2
	if [ "$rc" -eq 99 ]; then
		echo "ftrace-ci: ESCAPE GATE: ftrace left out a test that this change affects" \
			"(each escape is described above, and in $report): failing the job" >&2
	elif [ "$rc" -eq 2 ]; then
		echo "ftrace-ci: verify exited 2: no verdict (said above), or the command's own 2: failing the job" >&2
	fi
	exit "$rc" ;;
*)
	die "unknown command '$cmd'" ;;
esac
