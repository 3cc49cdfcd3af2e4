/*
 * ft_statcache.c - the stored halves of the stat cache and of listings.
 *
 * The cache is owned by one boot of one machine (meta.statcache_owner =
 * the kernel's boot_id).  Why: stat data from elsewhere means nothing here.
 * A database copied from CI, or restored from a backup after a reboot, can
 * hold an entry whose dev/ino/size/mtime happen to equal a different local
 * file (fresh checkouts give every file the same mtime), and trusting it
 * would hide a change.  Under another owner the rows are ignored, and the
 * next write replaces them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_store_int.h"

#define FT_OWNER_KEY "statcache_owner"

/* This boot's identity, or "" if unknown (then the cache is never trusted). */
static const char *owner_id(void)
{
	static char id[64];
	static int done;

	if (!done) {
		int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, id, sizeof(id) - 1);
		if (fd >= 0)
			close(fd);
		id[n > 0 ? n : 0] = '\0';
		id[strcspn(id, "\n")] = '\0';
		done = 1;
	}
	return id;
}

const char *ft_store_boot_id(void)
{
	return owner_id();
}

/* 1 if the stored cache was written by this boot. */
static int owner_matches(struct ft_store *st)
{
	sqlite3_stmt *q = NULL;
	int ok = 0;
	const char *me = owner_id();

	if (!me[0] || ft__store_prepare(st, &q, "SELECT value FROM meta WHERE key='" FT_OWNER_KEY "'") < 0)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(q, 0);
		ok = v && !strcmp(v, me);
	}
	sqlite3_finalize(q);
	return ok;
}

int ft_store_statcache_trusted(struct ft_store *st)
{
	return owner_matches(st);
}

void ft__statcache_cols(sqlite3_stmt *q, int col, struct ft_statinfo *si, int64_t *taken_ns,
			uint64_t *value)
{
	*si = (struct ft_statinfo){
		.dev = (uint64_t)sqlite3_column_int64(q, col),
		.ino = (uint64_t)sqlite3_column_int64(q, col + 1),
		.size = (uint64_t)sqlite3_column_int64(q, col + 2),
		.mtime_ns = sqlite3_column_int64(q, col + 3),
		.ctime_ns = sqlite3_column_int64(q, col + 4),
		.mode = (uint32_t)sqlite3_column_int64(q, col + 5),
	};
	*taken_ns = sqlite3_column_int64(q, col + 6);
	*value = (uint64_t)sqlite3_column_int64(q, col + 7);
}

int ft_store_statcache_each(struct ft_store *st, ft_statcache_fn fn, void *arg)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (!owner_matches(st))
		return 0;
	rc = ft__store_prepare(st, &q,
		"SELECT p.path, c.kind, c.dev, c.ino, c.size, c.mtime_ns, c.ctime_ns, c.mode,"
		" c.taken_ns, c.value FROM statcache c JOIN paths p ON p.id = c.path_id");
	if (rc < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_statcache_row r = {
			.path = sqlite3_column_blob(q, 0),
			.path_len = (uint32_t)sqlite3_column_bytes(q, 0),
			.kind = (uint8_t)ft__store_kind(st, sqlite3_column_int(q, 1)),
		};
		int stop;

		ft__statcache_cols(q, 2, &r.st, &r.taken_ns, &r.value);
		if (!r.path)
			continue;
		if ((stop = fn(arg, &r)) != 0) {
			sqlite3_finalize(q);
			return stop;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

int ft_store_statcache_path(struct ft_store *st, const char *path, uint32_t path_len,
			    ft_statcache_fn fn, void *arg)
{
	sqlite3_stmt *q = NULL;
	int rc, stop = 0;

	if ((rc = ft__store_prepare_kept(st, FT_KEPT_STATCACHE_PATH, &q,
		"SELECT c.kind, c.dev, c.ino, c.size, c.mtime_ns, c.ctime_ns, c.mode, c.taken_ns,"
		" c.value FROM paths p JOIN statcache c ON c.path_id = p.id WHERE p.path = ?")) < 0)
		return rc;
	sqlite3_bind_blob(q, 1, path_len ? path : "", (int)path_len, SQLITE_STATIC);
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_statcache_row r = {
			.path = path,
			.path_len = path_len,
			.kind = (uint8_t)ft__store_kind(st, sqlite3_column_int(q, 0)),
		};
		ft__statcache_cols(q, 1, &r.st, &r.taken_ns, &r.value);
		stop = fn(arg, &r);
	}
	ft__store_give_back(q);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

static int put_rows(struct ft_store *st, const struct ft_statcache_row *rows, size_t n)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (!owner_matches(st)) {
		char sql[160];
		if ((rc = ft__store_exec(st, "DELETE FROM statcache")) < 0)
			return rc;
		snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO meta VALUES('" FT_OWNER_KEY "', '%s')",
			 owner_id());
		if ((rc = ft__store_exec(st, sql)) < 0)
			return rc;
	}
	if (!owner_id()[0])
		return 0; /* never trusted: do not bother writing */
	rc = ft__store_prepare_kept(st, FT_KEPT_STATCACHE_PUT, &q, "INSERT OR REPLACE INTO statcache(path_id, kind, dev, ino,"
			       " size, mtime_ns, ctime_ns, mode, taken_ns, value, ck) VALUES(?1, ?2, ?3,"
			       " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ft_ck('statcache', ?1, ?2, ?3, ?4, ?5, ?6,"
			       " ?7, ?8, ?9, ?10))");
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct ft_statcache_row *r = &rows[i];
		int64_t path_id;

		if ((rc = ft__store_path_id(st, r->path, r->path_len, 1, &path_id)) < 0)
			break;
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, path_id);
		sqlite3_bind_int(q, 2, r->kind);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)r->st.dev);
		sqlite3_bind_int64(q, 4, (sqlite3_int64)r->st.ino);
		sqlite3_bind_int64(q, 5, (sqlite3_int64)r->st.size);
		sqlite3_bind_int64(q, 6, r->st.mtime_ns);
		sqlite3_bind_int64(q, 7, r->st.ctime_ns);
		sqlite3_bind_int64(q, 8, r->st.mode);
		sqlite3_bind_int64(q, 9, r->taken_ns);
		sqlite3_bind_int64(q, 10, (sqlite3_int64)r->value);
		if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
			rc = ft__store_fail(st, rc);
			break;
		}
		rc = 0;
	}
	ft__store_give_back(q);
	return rc;
}

int ft_store_statcache_put(struct ft_store *st, const struct ft_statcache_row *rows, size_t n)
{
	int rc;

	if (st->readonly)
		return FT_EDB;
	if ((rc = ft__store_exec(st, "SAVEPOINT ft_statcache")) < 0)
		return rc;
	rc = put_rows(st, rows, n);
	if (rc < 0) {
		ft__store_undo(st, "ROLLBACK TO ft_statcache");
		ft__store_undo(st, "RELEASE ft_statcache");
	} else if (ft__store_exec(st, "RELEASE ft_statcache") < 0) {
		rc = FT_EDB;
	}
	return rc;
}

int ft_store_statcache_clear(struct ft_store *st)
{
	return ft__store_exec(st, "DELETE FROM statcache;"
			      "DELETE FROM meta WHERE key='" FT_OWNER_KEY "'");
}

int ft_store_listing_put(struct ft_store *st, const char *path, uint32_t path_len,
			 uint64_t value, const char *names, size_t names_len)
{
	sqlite3_stmt *q = NULL;
	int64_t path_id;
	int rc;

	if ((rc = ft__store_exec(st, "SAVEPOINT ft_listing")) < 0)
		return rc;
	if ((rc = ft__store_path_id(st, path, path_len, 1, &path_id)) < 0 ||
	    (rc = ft__store_prepare(st, &q, "INSERT OR REPLACE INTO listings(path_id, value, names, ck)"
				    " VALUES(?1, ?2, ?3, ft_ck('listings', ?1, ?2, ?3))")) < 0)
		goto out;
	sqlite3_bind_int64(q, 1, path_id);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)value);
	sqlite3_bind_blob(q, 3, names_len ? names : "", (int)names_len, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : ft__store_fail(st, sqlite3_errcode(st->db));
	/* garbage if no state has it: the commit's collection looks (outside
	 * a run, the next commit's collection looks at every listing) */
	if (rc == 0 && st->in_run)
		ft__store_gc_note_listing(st, path_id, (int64_t)value);
	else if (rc == 0)
		rc = ft__store_gc_forget_marks(st);
out:
	sqlite3_finalize(q);
	if (rc < 0) {
		ft__store_undo(st, "ROLLBACK TO ft_listing");
		ft__store_undo(st, "RELEASE ft_listing");
		if (st->pcache)
			ft__store_path_cache(st, 1); /* the path's id may be rolled back */
	} else {
		rc = ft__store_exec(st, "RELEASE ft_listing");
	}
	return rc;
}
