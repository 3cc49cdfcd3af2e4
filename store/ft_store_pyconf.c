/*
 * ft_store_pyconf.c - the pyconf_views table (see ft_store_py.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_py.h"

int ft_store_pyconf_view(struct ft_store *st, const char *path, uint64_t value, char **view)
{
	sqlite3_stmt *q;
	int rc = 0;

	*view = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT view FROM pyconf_views WHERE path = ?1 AND value = ?2",
			       -1, &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_TEXT)
		rc = (*view = strdup((const char *)sqlite3_column_text(q, 0))) ? 1 : -ENOMEM;
	sqlite3_finalize(q);
	return rc;
}

int ft_store_pyconf_put(struct ft_store *st, const char *path, uint64_t value, const char *view)
{
	sqlite3_stmt *q;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO pyconf_views(path, value, view, ck)"
			       " VALUES (?1, ?2, ?3, ft_ck('pyconf_views', ?1, ?2, ?3))", -1, &q,
			       NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	sqlite3_bind_text(q, 3, view, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(q);
	return rc;
}

int ft_store_pyconf_gc(struct ft_store *st, int pyconf_kind)
{
	sqlite3_stmt *q;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "DELETE FROM pyconf_views WHERE NOT EXISTS (SELECT 1 FROM"
			       " states s JOIN paths p ON p.id = s.path_id WHERE p.path ="
			       " pyconf_views.path AND s.kind IN (?1, ?2) AND s.value = pyconf_views.value)",
			       -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_int(q, 1, pyconf_kind);
	sqlite3_bind_int(q, 2, FT_DEP_FILE);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(q);
	return rc;
}
