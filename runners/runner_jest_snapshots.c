/*
 * runner_jest_snapshots.c - the reader of jest's snapshot directories
 * (ft_reader.h, FT_READER_JEST_SNAPSHOTS; docs/jest.md, "Obsolete
 * snapshot files").
 *
 * Whichever test files a run picks, jest looks at every `*.snap` file in
 * its haste map, and a snapshot file whose test file is not there (jest's
 * default place: `D/__snapshots__/NAME.snap` for the test file `D/NAME`)
 * is obsolete: the run exits 1 with every test passed, until it is
 * removed.  No test file reads such a file, so no test's own dependency
 * sees it come.  Ingest gives the crawl's context (the prelude, on which
 * every test depends) a listing of this reader for each scanned
 * directory: its `__snapshots__`'s, or where it has none its own
 * (ingest/ft_collect.c, scan_listing), and this rule says which names
 * added or removed there matter.  It looks at the tree as it is now
 * (stat, opendir: nothing that blocks).
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_reader.h"
#include "ft_record.h"

static int ends_with(const char *s, size_t n, const char *end)
{
	size_t e = strlen(end);

	return n >= e && !memcmp(s + n - e, end, e);
}

/* Is the snapshot file `name` (n bytes, ending in ".snap") of the
 * `__snapshots__` directory below `parent` (plen bytes) one whose test
 * file is there now (`stat`, as jest's existsSync: a dangling link is no
 * test file)?  0 too when the path is too long to tell. */
static int has_test(const char *parent, size_t plen, const char *name, size_t n)
{
	char test[4096];
	struct stat st;
	size_t stem = n - (sizeof(".snap") - 1);

	if (!stem || plen + 1 + stem >= sizeof(test))
		return 0;
	memcpy(test, parent, plen);
	test[plen] = '/';
	memcpy(test + plen + 1, name, stem);
	test[plen + 1 + stem] = '\0';
	return stat(test, &st) == 0;
}

/* A `__snapshots__` directory added below `parent`: does every snapshot
 * file in it have its test file?  Gone again, or no directory: yes (there
 * is nothing for jest to find); unreadable: no. */
static int dir_clean(const char *parent)
{
	char path[4096];
	size_t plen = strlen(parent);
	struct dirent *e;
	DIR *d;
	int clean = 1;

	if (plen + sizeof("/__snapshots__") > sizeof(path))
		return 0;
	memcpy(path, parent, plen);
	memcpy(path + plen, "/__snapshots__", sizeof("/__snapshots__"));
	if (!(d = opendir(path)))
		return errno == ENOENT || errno == ENOTDIR;
	while (clean && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (ends_with(e->d_name, n, ".snap"))
			clean = has_test(parent, plen, e->d_name, n);
	}
	closedir(d);
	return clean;
}

/*
 * Is change `c` none to jest's obsolete check?  A name gone: yes (a test
 * file that used a snapshot read it, and its own dependency selects it).
 * In a `__snapshots__` listing, a name added that is not a snapshot file
 * (jest looks at `*.snap` only), or a snapshot file whose test file is
 * there now: it is then that test's own (a known test read it, or looked
 * it up and found nothing; a new test is the news step's).  In the
 * listing of a scanned directory that had no `__snapshots__`: any name
 * but that one, and that one when every snapshot file in it has its test
 * file.
 */
static int snapshots_neutral(const struct ft_listing_change *c)
{
	static const char dir_end[] = "/__snapshots__";
	size_t dlen = strlen(c->dir), nlen = strlen(c->name);

	if (!c->added)
		return 1;
	if (!ends_with(c->dir, dlen, dir_end))
		return strcmp(c->name, "__snapshots__") != 0 || dir_clean(c->dir);
	if (!ends_with(c->name, nlen, ".snap"))
		return 1;
	return has_test(c->dir, dlen - (sizeof(dir_end) - 1), c->name, nlen);
}

const struct ft_reader ft_jest_snapshots_reader = {
	.id = FT_READER_JEST_SNAPSHOTS,
	.name = "jest-snapshots",
	.list_name = "snapshot-list",
	/* the rule needs no view of where a runner collects */
	.flags = FT_READER_EVERYWHERE,
	.listing_neutral = snapshots_neutral,
};
