#!/usr/bin/env bash
# Directory walks and path resolution that glibc does with its own internal
# calls, which no interposer hook saw: glob(), nftw(), ftw(), fts_read()
# list and stat inside libc, and realpath() readlinks every component
# inside libc.  A test that globbed data/glob/*, walked a tree with nftw,
# or resolved data/current (a link to releases/v1) depended on nothing
# there: a file added to the tree, or the link pointed at releases/v2 (a
# directory with the same entries), selected nothing, and the test's
# outcome changed.  Each must now select exactly the test that walked or
# resolved there, with the interposer (the dynamic program) and with the
# ptrace back end (the same program linked static).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture cmd-partial
mkdir -p data/glob data/nftw/sub data/ftw data/fts data/releases/v1 data/releases/v2 data/other
for d in data/glob data/nftw/sub data/ftw data/fts data/releases/v1 data/releases/v2 data/other; do
	echo x >"$d/a"
done
ln -s releases/v1 data/current
cat >walk.c <<'C'
#define _GNU_SOURCE
#include <fts.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int count;
static int one(const char *p, const struct stat *sb, int type, struct FTW *f) { count++; return 0; }
static int old(const char *p, const struct stat *sb, int type) { count++; return 0; }
int main(int argc, char **argv)
{
	const char *what = argv[1];
	if (!strcmp(what, "glob")) {
		glob_t g;
		if (glob("data/glob/*", 0, NULL, &g))
			return 1;
		count = (int)g.gl_pathc;
	} else if (!strcmp(what, "nftw")) {
		if (nftw("data/nftw", one, 4, FTW_PHYS))
			return 1;
	} else if (!strcmp(what, "ftw")) {
		if (ftw("data/ftw", old, 4))
			return 1;
	} else if (!strcmp(what, "fts")) {
		char *roots[] = { "data/fts", NULL };
		FTS *t = fts_open(roots, FTS_PHYSICAL, NULL);
		while (t && fts_read(t))
			count++;
	} else if (!strcmp(what, "realpath")) {
		char buf[PATH_MAX];
		if (!realpath("data/current/a", buf))
			return 1;
		/* the release it resolved to is what the program prints */
		return strstr(buf, "/releases/v1/a") ? 0 : 3;
	}
	printf("%d\n", count);
	/* each walk expects the entries the fixture made */
	return count == atoi(argv[2]) ? 0 : 2;
}
C
cc -O0 -o walk-prog walk.c
progs=(walk-prog)
if cc -O0 -static -o walk-static-prog walk.c 2>/dev/null; then
	progs+=(walk-static-prog)
else
	ft_log "no static libc: the ptrace half is not run"
fi
echo '*-prog' >>.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm walks
find . -path ./.git -prune -o -exec touch -h -d '2020-01-01 00:00:00' {} +

# glob: 1 entry; nftw: the root, sub, sub/a (3); ftw: root and a (2);
# fts: root, a, root again after it (3)
record_all() {
	local p n
	for p in "${progs[@]}"; do
		n=${p%-prog}
		ft_record 0 --name "$n-glob" -- "./$p" glob 1
		ft_record 0 --name "$n-nftw" -- "./$p" nftw 3
		ft_record 0 --name "$n-ftw" -- "./$p" ftw 2
		ft_record 0 --name "$n-fts" -- "./$p" fts 3
		ft_record 0 --name "$n-realpath" -- "./$p" realpath 0
	done
}
record_all
ft_affected_is "" "nothing changed"

# the names of one kind, for each program
names() {
	local p out=""
	for p in "${progs[@]}"; do
		out="$out ${p%-prog}-$1"
	done
	printf '%s' "${out# }"
}
for kind in glob ftw fts; do
	echo y >"data/$kind/new"
	ft_affected_is "$(names "$kind")" "a file added where $kind() walked"
	rm "data/$kind/new"
done
echo y >data/nftw/sub/new
ft_affected_is "$(names nftw)" "a file added two levels down where nftw() walked"
rm data/nftw/sub/new
mkdir data/nftw/sub/dir
ft_affected_is "$(names nftw)" "a directory added where nftw() walked"
rmdir data/nftw/sub/dir
ft_affected_is "" "the walks' trees put back"

# a link retargeted to a directory of the same type, with the same entries
ln -sfn releases/v2 data/current
ft_affected_is "$(names realpath)" "the link realpath() went through points elsewhere"
# a directory replaced by a link, and a link in the middle of a link's target
ln -sfn releases/v1 data/current
ft_affected_is "" "the link points back"
mv data/releases/v1 data/releases/v1.real
ln -s v1.real data/releases/v1
ft_affected_is "$(names realpath)" "a directory on the resolved path became a link"
rm data/releases/v1
mv data/releases/v1.real data/releases/v1

# what they select does change the tests' outcomes: a file added makes the
# walk count one more, and the test fail
echo y >data/glob/new
ft_record 2 --name walk-glob -- ./walk-prog glob 1
rm data/glob/new
