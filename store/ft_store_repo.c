/*
 * ft_store_repo.c - see ft_store_repo.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_statedir.h"
#include "ft_store_int.h"
#include "ft_store_repo.h"

static int under(const char *path, const char *top)
{
	size_t tl = strlen(top);

	if (!strcmp(top, "/"))
		return path[0] == '/';
	return !strncmp(path, top, tl) && (path[tl] == '\0' || path[tl] == '/');
}

/* A database without an identity: is every run's cwd under `top`?  1 yes,
 * 0 no (the first other cwd in `other`), or an error. */
static int legacy_runs_here(struct ft_store *st, const char *top, char *other, size_t cap)
{
	sqlite3_stmt *q = NULL;
	int rc, here = 1;

	rc = sqlite3_prepare_v2(st->db, "SELECT cwd FROM runs", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return FT_EDB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *cwd = (const char *)sqlite3_column_text(q, 0);
		if (!cwd || !under(cwd, top)) {
			snprintf(other, cap, "%s", cwd ? cwd : "(none)");
			here = 0;
			break;
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (rc & 0xff) == SQLITE_CORRUPT ? FT_ECORRUPT : FT_EDB;
	return here;
}

/* The recorded top and identity, read by one statement: one snapshot.
 * Two reads could fall on either side of a concurrent first run's adopt
 * (which writes both in one statement too), and a top found missing with
 * its identity present refused this very tree.  0 each when found, 1 when
 * not, or an error. */
static int read_identity_once(struct ft_store *st, char *rtop, size_t tcap, int *got_top,
			      char *rident, size_t icap, int *got_ident)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*got_top = *got_ident = 1;
	if ((rc = sqlite3_prepare_v2(st->db, "SELECT key, value FROM meta WHERE key IN (?1, ?2)", -1,
				     &q, NULL)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(q, 1, FT_STORE_META_REPO_TOP, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, FT_STORE_META_REPO_IDENT, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(q, 0);
		const char *v = (const char *)sqlite3_column_text(q, 1);
		int is_top;

		if (!k || !v || sqlite3_column_type(q, 1) != SQLITE_TEXT)
			continue;
		is_top = !strcmp(k, FT_STORE_META_REPO_TOP);
		if (strlen(v) >= (is_top ? tcap : icap))
			continue;
		strcpy(is_top ? rtop : rident, v);
		*(is_top ? got_top : got_ident) = 0;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : rc;
}

/* A read SQLite answers SQLITE_BUSY without its busy handler (while a
 * concurrent first run sets the new file up, WAL recovery) is tried again
 * for as long as the store waits for a lock (ft_store_lock_wait), never
 * taken for "no identity". */
static int read_identity(struct ft_store *st, char *rtop, size_t tcap, int *got_top,
			 char *rident, size_t icap, int *got_ident)
{
	const struct timespec pause = { 0, 10 * 1000 * 1000 };
	int rc, waited_ms = 0;

	while ((rc = read_identity_once(st, rtop, tcap, got_top, rident, icap, got_ident)) != 0) {
		if ((rc & 0xff) != SQLITE_BUSY || (st->busy_ms >= 0 && waited_ms >= st->busy_ms))
			return ft__store_fail(st, rc);
		nanosleep(&pause, NULL);
		waited_ms += 10;
	}
	return 0;
}

/* Both keys in one statement, so no reader sees the identity without
 * the top (read_identity). */
static int write_identity(struct ft_store *st, const char *top, const char *ident)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2), "
				     "(?3, ?4)", -1, &q, NULL)) != SQLITE_OK)
		return ft__store_fail(st, rc);
	sqlite3_bind_text(q, 1, FT_STORE_META_REPO_TOP, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, top, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, FT_STORE_META_REPO_IDENT, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, ident, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

int ft_store_repo_check(struct ft_store *st, const char *top, int adopt, struct ft_err *e)
{
	char rtop[PATH_MAX], rident[64], ident[64], other[PATH_MAX];
	struct stat sb;
	int rc, got_top, got_ident;

	ft_err_set(e, 0, NULL);
	if (!top) {
		if (ft_store_meta_get(st, FT_STORE_META_REPO_TOP, rtop, sizeof(rtop)))
			return 0;
		if (stat(rtop, &sb) < 0) {
			return ft_err_set(e, FT_EREPO, "this database belongs to the repository at "
					  "%.1024s, which is gone: its paths name that tree's files. Record "
					  "the tree you mean into its own state directory", rtop);
		}
		top = rtop;
	}
	if (stat(top, &sb) < 0)
		return ft_err_set(e, -errno, NULL);
	snprintf(ident, sizeof(ident), "%llu:%llu", (unsigned long long)sb.st_dev,
		 (unsigned long long)sb.st_ino);
	if ((rc = read_identity(st, rtop, sizeof(rtop), &got_top, rident, sizeof(rident), &got_ident)) < 0)
		return ft_err_set(e, rc, NULL);
	if (got_top == 0 || got_ident == 0) {
		/* The same path is the same tree for selection: every path the
		 * database names leads to this checkout's files, whose states are
		 * compared by content where a stat cannot be trusted.  A fresh
		 * clone at the same path (a CI job restoring its .ftrace cache)
		 * has another directory identity and must still be answered; the
		 * identity is refreshed, never a reason to refuse. */
		if (got_top == 0 && !strcmp(rtop, top)) {
			if (adopt && (got_ident != 0 || strcmp(rident, ident)) &&
			    (rc = ft_store_meta_set(st, FT_STORE_META_REPO_IDENT, ident)) < 0)
				return ft_err_set(e, rc, NULL);
			return 0;
		}
		return ft_err_set(e, FT_EREPO, "this database belongs to the repository at %.1024s "
				  "(directory %s), not to this one at %.1024s (directory %s): its paths "
				  "name that tree's files. Record this tree into its own state directory "
				  "(move the database away, or set FTRACE_DIR to another directory); a "
				  "database cannot be relocated yet",
				  got_top == 0 ? rtop : "(unknown)", got_ident == 0 ? rident : "unknown",
				  top, ident);
	}
	/* written before the identity existed */
	if ((rc = legacy_runs_here(st, top, other, sizeof(other))) < 0)
		return ft_err_set(e, rc, NULL);
	if (!rc)
		return ft_err_set(e, FT_EREPO, "this database does not name its repository (an "
				  "older ftrace wrote it) and recorded a run in %.1024s, outside this "
				  "repository at %.1024s: it may be another tree's. Record this tree "
				  "into its own state directory (move the database away, or set "
				  "FTRACE_DIR to another directory)", other, top);
	if (!adopt)
		return 0;
	if ((rc = write_identity(st, top, ident)) < 0)
		return ft_err_set(e, rc, NULL);
	return 0;
}
