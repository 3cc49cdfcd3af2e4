/*
 * ft_store_fpcache.c - the pyfunc_fpcache table (see ft_store_py.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_py.h"

struct ft_store_fpcache {
	struct ft_store *st;
	sqlite3_stmt *q;
	int writer;
};

int ft_store_fpcache_reader(struct ft_store *st, struct ft_store_fpcache **out)
{
	struct ft_store_fpcache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->st = st;
	if (sqlite3_prepare_v2(st->db, "SELECT boot, python, dev, ino, size, mtime_ns, ctime_ns, fp"
			       " FROM pyfunc_fpcache WHERE path = ?", -1, &c->q, NULL) != SQLITE_OK) {
		free(c);
		return FT_EDB;
	}
	*out = c;
	return 0;
}

int ft_store_fpcache_get(struct ft_store_fpcache *c, const char *path, struct ft_store_fprow *row)
{
	sqlite3_stmt *q = c->q;

	/* the previous row's strings go with this reset */
	sqlite3_reset(q);
	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW)
		return 0;
	*row = (struct ft_store_fprow){
		.path = path,
		.boot = (const char *)sqlite3_column_text(q, 0),
		.python = (const char *)sqlite3_column_text(q, 1),
		.dev = (uint64_t)sqlite3_column_int64(q, 2),
		.ino = (uint64_t)sqlite3_column_int64(q, 3),
		.size = sqlite3_column_int64(q, 4),
		.mtime_ns = sqlite3_column_int64(q, 5),
		.ctime_ns = sqlite3_column_int64(q, 6),
		.fp = (const char *)sqlite3_column_text(q, 7),
	};
	return 1;
}

int ft_store_fpcache_writer(struct ft_store *st, struct ft_store_fpcache **out)
{
	struct ft_store_fpcache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->st = st;
	c->writer = 1;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		free(c);
		return FT_EDB;
	}
	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO pyfunc_fpcache(path, boot, python,"
			       " dev, ino, size, mtime_ns, ctime_ns, fp, ck) VALUES(?1, ?2, ?3, ?4, ?5,"
			       " ?6, ?7, ?8, ?9, ft_ck('pyfunc_fpcache', ?1, ?2, ?3, ?4, ?5, ?6, ?7,"
			       " ?8, ?9))", -1, &c->q, NULL) != SQLITE_OK) {
		ft_store_fpcache_close(c, 0);
		return FT_EDB;
	}
	*out = c;
	return 0;
}

int ft_store_fpcache_put(struct ft_store_fpcache *c, const struct ft_store_fprow *row)
{
	sqlite3_stmt *q = c->q;

	sqlite3_reset(q);
	sqlite3_bind_blob(q, 1, row->path, (int)strlen(row->path), SQLITE_STATIC);
	sqlite3_bind_text(q, 2, row->boot, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, row->python, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)row->dev);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)row->ino);
	sqlite3_bind_int64(q, 6, row->size);
	sqlite3_bind_int64(q, 7, row->mtime_ns);
	sqlite3_bind_int64(q, 8, row->ctime_ns);
	sqlite3_bind_text(q, 9, row->fp, -1, SQLITE_TRANSIENT);
	return sqlite3_step(q) == SQLITE_DONE ? 0 : FT_EDB;
}

void ft_store_fpcache_close(struct ft_store_fpcache *c, int commit)
{
	if (!c)
		return;
	sqlite3_finalize(c->q);
	if (c->writer && (!commit || sqlite3_exec(c->st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK))
		sqlite3_exec(c->st->db, "ROLLBACK", NULL, NULL, NULL);
	free(c);
}
