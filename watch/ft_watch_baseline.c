/*
 * ft_watch_baseline.c - building the daemon's dirty set from scratch
 * (docs/watch.md "The baseline").
 *
 * Order is the whole point:
 *  1. read the recorded paths (and the generation) in one read transaction;
 *  2. place the watches, walking every path (ft_watch_walk.c);
 *  3. only then observe every (path, kind) against its recorded states
 *     (ft_select_baseline: the selection's own code) and mark the paths
 *     that differ.
 * A change before step 3 is seen by step 3; a change after step 2 placed
 * its watch raises an event.  If a recording committed between 1 and 3
 * (the generations differ), its new paths may have no watch: start over.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_select.h"
#include "ft_watch_int.h"
#include "ft_watch_walk.h"

/* Is `path` under `dir` (a plain prefix of components)? */
static int under(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (!n)
		return 0;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

static int collect(void *arg, const void *path, int len, int kind, const struct ft_state_hint *hint)
{
	struct ft__watchd *d = arg;
	struct ft_watch_set *ws = &d->set;
	char buf[4096];
	uint32_t idx;
	int rc;

	(void)hint;
	if (kind == FT_DEP_ENV)
		return 0; /* a name, no file: the selection observes it itself */
	if (!path || len <= 0 || (size_t)len >= sizeof(buf) || memchr(path, '\0', (size_t)len) ||
	    ((const char *)path)[0] != '/') {
		d->coverable = 0; /* no answer can name it: never whole */
		return 0;         /* the selection marks it changed anyway */
	}
	memcpy(buf, path, (size_t)len);
	buf[len] = '\0';
	if ((rc = ft_watch_set_path(ws, buf, &idx)) < 0)
		return rc;
	/* build triggers: recorded paths inside the repository, ftrace's own
	 * state directory left out (docs/watch.md "Build on change") */
	if (d->build.cmd && under(buf, d->top) && !under(buf, d->state))
		ft_watch_set_trigger(ws, idx);
	return 0;
}

static int unsettled(void *arg, const char *path, int settled)
{
	struct ft_watch_set *ws = arg;
	uint32_t idx;
	int rc;

	if (settled)
		return 0;
	if ((rc = ft_watch_set_path(ws, path, &idx)) < 0)
		return rc;
	ft_watch_set_mark(ws, idx, 0);
	return 0;
}

int ft__watchd_generation(const char *db, char *gen, size_t cap)
{
	struct ft_store *st;
	int rc;

	if ((rc = ft_store_open(&st, db, FT_STORE_RDONLY)) < 0)
		return rc;
	if ((rc = ft_store_read_begin(st)) == 0) {
		rc = ft_store_generation(st, gen, cap);
		ft_store_read_end(st);
	}
	ft_store_close(st);
	return rc;
}

/* One attempt: 0 done, 1 the database changed under it (again), <0. */
static int attempt(struct ft__watchd *d)
{
	static const struct ft_store_scan_ops ops = { collect, NULL };
	char gen1[FT_STORE_GEN_MAX], gen2[FT_STORE_GEN_MAX];
	struct ft_store *st = NULL;
	struct ft_state *state = NULL;
	struct ft_err err;
	struct stat sb;
	unsigned long long writes;
	long long began;
	int whole = 0, rc;

	ft_watch_set_release(&d->set);
	if (d->walker.ifd >= 0)
		close(d->walker.ifd);
	ft_watch_walker_release(&d->walker);
	memset(&d->walker, 0, sizeof(d->walker));
	d->walker.max = d->o->max_watches;
	if ((d->walker.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		rc = -errno;
		snprintf(d->fallback, sizeof(d->fallback), "inotify_init1: %s", strerror(-rc));
		return rc;
	}
	if ((rc = ft_store_open(&st, d->o->db, FT_STORE_RDONLY)) < 0) {
		ft_store_err(NULL, rc, &err);
		snprintf(d->fallback, sizeof(d->fallback), "cannot open %s: %s", d->o->db,
			 ft_err_msg(&err));
		return rc;
	}
	if (stat(d->o->db, &sb) == 0) {
		d->dev = (unsigned long long)sb.st_dev;
		d->ino = (unsigned long long)sb.st_ino;
	}
	d->coverable = 1;
	d->verified = 0;
	if ((rc = ft_store_read_begin(st)) == 0) {
		if ((rc = ft_store_generation(st, gen1, sizeof(gen1))) == 0)
			rc = ft_store_states_scan(st, 0, &ops, d);
		ft_store_read_end(st);
	}
	for (uint32_t i = 0; rc == 0 && i < ft_watch_set_npaths(&d->set); i++) {
		size_t len;
		rc = ft_watch_walk(&d->set, &d->walker, i, ft_map_key(&d->set.paths, i, &len));
	}
	if (rc == 0 && d->walker.limit) {
		snprintf(d->fallback, sizeof(d->fallback),
			 "out of inotify watches after %zu (at %s); raise fs.inotify.max_user_watches",
			 d->walker.placed, d->walker.limit_dir);
		goto out;
	}
	writes = d->db_writes;
	began = ft__watchd_now_ms();
	if (rc == 0 && (rc = ft_state_new(&state, st)) == 0)
		rc = ft_select_baseline(st, state, gen2, &whole, unsettled, &d->set);
	if (rc < 0) {
		snprintf(d->fallback, sizeof(d->fallback), "the baseline failed: %s", ft_strerror(rc));
		goto out;
	}
	if (strcmp(gen1, gen2)) {
		rc = 1;
		goto out;
	}
	snprintf(d->gen, sizeof(d->gen), "%s", gen1);
	d->fallback[0] = '\0';
	d->coverable = d->coverable && whole;
	/* verified in the baseline's transaction, unless a write came since
	 * it began (the loop verifies again once the database is quiet) */
	d->verified = ft__watchd_db_quiet(d, writes);
	d->verified_ms = began;
out:
	ft_watch_walker_release(&d->walker); /* the memo is for one walk */
	ft_state_free(state);
	ft_store_close(st);
	return rc;
}

int ft__watchd_baseline(struct ft__watchd *d)
{
	int rc = 1;

	d->gen[0] = '\0';
	d->fallback[0] = '\0';
	for (int tries = 0; tries < 5 && rc == 1; tries++)
		rc = attempt(d);
	if (rc == 1)
		snprintf(d->fallback, sizeof(d->fallback), "the database kept changing during the baseline");
	d->baselines++;
	d->baselined = time(NULL);
	d->need_baseline = 0;
	d->overflowed = 0;
	return rc < 0 ? rc : 0;
}

int ft__watchd_verify(struct ft__watchd *d)
{
	char gen[FT_STORE_GEN_MAX];
	unsigned long long writes = d->db_writes;
	long long began = ft__watchd_now_ms();
	struct ft_store *st;
	int rc;

	if ((rc = ft_store_open(&st, d->o->db, FT_STORE_RDONLY)) < 0)
		return rc;
	if ((rc = ft_store_read_begin(st)) == 0) {
		if ((rc = ft_store_generation(st, gen, sizeof(gen))) == 0)
			rc = strcmp(gen, d->gen) ? 1 : ft_store_verify(st);
		ft_store_read_end(st);
	}
	ft_store_close(st);
	if (rc == 0) {
		d->verified = ft__watchd_db_quiet(d, writes);
		d->verified_ms = began;
	}
	return rc;
}
