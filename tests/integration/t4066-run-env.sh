#!/usr/bin/env bash
# Environment variables are dependencies (common/ft_envdep.h): a test that
# read one (getenv) is selected when its value in the environment
# `ftrace affected` runs in differs from the one `ftrace run` was started
# in: changed, newly set, or unset.  A test that did not read it is not.
# The variables libc reads itself (the locale, TZ, PATH, LD_*, MALLOC_*)
# are every test's.
# ftrace's own (FTRACE_...) are none.  What is stored is a hash: a value
# never reaches the database.  Export and import keep them, and the watch
# daemon, whose environment is not the caller's, never answers for them.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-watch.sh"

mkdir -p "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
git init -q .
cat >getv.c <<'C'
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
/* getv NAME...: print each variable; secure_getenv for a name after -s;
 * -t: the name tempnam(3) gives (libc reads TMPDIR itself) */
int main(int argc, char **argv)
{
	int sec = 0;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == 's') { sec = 1; continue; }
		if (argv[i][0] == '-' && argv[i][1] == 't') {
			char *n = tempnam(NULL, "t4066");
			printf("tempnam=%s\n", n ? n : "(null)");
			free(n);
			continue;
		}
		const char *v = sec ? secure_getenv(argv[i]) : getenv(argv[i]);
		printf("%s=%s\n", argv[i], v ? v : "(unset)");
	}
	return 0;
}
C
cc -O0 -o getv getv.c || ft_fail "cannot build getv"
ft_old getv getv.c .
git add getv.c && git -c user.email=t@t -c user.name=t commit -qm t4066

unset T4066_A T4066_B T4066_C
export T4066_SET=one
secret=t4070-secret-$RANDOM$RANDOM
export T4066_SECRET=$secret
ft_record 0 --name reads-a -- ./getv T4066_A T4066_SET T4066_SECRET
ft_record 0 --name reads-b -- ./getv -s T4066_B
ft_record 0 --name reads-none -- ./getv
ft_record 0 --name names-temp -- ./getv -t
ft_affected_is "" "same environment: nothing"

# a variable that was unset, now set; set, now changed; set, now unset
T4066_A=1 ft_affected_is "reads-a" "T4066_A set"
T4066_B=1 ft_affected_is "reads-b" "T4066_B set (secure_getenv)"
T4066_SET=two ft_affected_is "reads-a" "T4066_SET changed"
(unset T4066_SET; ft_affected_is "reads-a" "T4066_SET unset")
T4066_C=1 ft_affected_is "" "a variable no test read"
# TMPDIR, read inside libc by tempnam only (before: selected nothing)
TMPDIR=$FT_SCRATCH ft_affected_is "names-temp" "TMPDIR set, for the test that called tempnam"
# the same value again is no change
T4066_SET=one ft_affected_is "" "T4066_SET set to what it was"

# what libc reads for every program
# (values no environment has already)
LC_MEASUREMENT=T4066 ft_affected_is "reads-a reads-b reads-none names-temp" "LC_MEASUREMENT set"
TZ=T4066/Nowhere ft_affected_is "reads-a reads-b reads-none names-temp" "TZ set"
PATH=$FT_SCRATCH:$PATH ft_affected_is "reads-a reads-b reads-none names-temp" "PATH changed"
# glibc's malloc tunables by their old names, ld.so's own: any variable
# of the two prefixes (before, MALLOC_PERTURB_=1, which makes malloc's
# fresh memory nonzero, selected nothing: found by hand)
MALLOC_PERTURB_=1 ft_affected_is "reads-a reads-b reads-none names-temp" "MALLOC_PERTURB_ set"
MALLOC_ARENA_MAX=1 ft_affected_is "reads-a reads-b reads-none names-temp" "MALLOC_ARENA_MAX set"
LD_BIND_NOW=1 ft_affected_is "reads-a reads-b reads-none names-temp" "LD_BIND_NOW set"

# ftrace's own variables are none
ft_record 0 --name reads-own -- ./getv FTRACE_T4066 FTRACE_TEST_ID
FTRACE_T4066=x ft_affected_is "" "an FTRACE_ variable"

# why, with --explain
out=$(T4066_A=1 ft affected --explain)
grep -q 'T4066_A.*now set' <<<"$out" || ft_fail "--explain does not name the variable: $out"

# only hashes are stored
! grep -qa "$secret" .ftrace/ftrace.db || ft_fail "a variable's value is in the database"

# export and import keep them
ft export "$FT_SCRATCH/b.ftb" || ft_fail "export failed"
! grep -qa "$secret" "$FT_SCRATCH/b.ftb" || ft_fail "a variable's value is in the bundle"
git clone -q . "$FT_SCRATCH/clone" && cp getv "$FT_SCRATCH/clone/"
(
	cd "$FT_SCRATCH/clone"
	ft_old getv
	ft import "$FT_SCRATCH/b.ftb" >/dev/null || ft_fail "import failed"
	T4066_A=1 ft affected >"$FT_SCRATCH/imp.out" || ft_fail "affected after import exited $?"
	grep -qx reads-a "$FT_SCRATCH/imp.out" || ft_fail "after import, T4066_A set does not select reads-a: $(cat "$FT_SCRATCH/imp.out")"
	! grep -qx reads-none "$FT_SCRATCH/imp.out" || ft_fail "after import, T4066_A selects reads-none"
)

# the daemon: its answer never stands for an environment variable
ft_watch_start
ft_watch_same "the daemon, same environment"
T4066_SET=two ft_affected_is "reads-a" "T4066_SET changed, with the daemon"
json=$(T4066_SET=two ft affected --format json)
case "$json" in *'"watch":{"used":true'*) ;; *) ft_fail "the daemon was not used: $json" ;; esac
