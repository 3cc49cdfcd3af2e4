/*
 * ft_store_paths.c - paths.id of a path (ft__store_path_id), and the
 * in-memory cache of them a bulk writer keeps for its transaction
 * (ft__store_path_cache): see ft_store_int.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_vec.h"

static int path_id_db(struct ft_store *st, const char *path, uint32_t len, int create, int search,
		      int64_t *id);

int ft__store_path_cache(struct ft_store *st, int on)
{
	sqlite3_stmt *q;
	int rc;

	if (st->pcache) {
		ft_map_release(st->pcache);
		free(st->pcache);
		free(st->pcache_ids);
		st->pcache = NULL;
		st->pcache_ids = NULL;
		st->pcache_cap = 0;
	}
	if (!on)
		return 0;
	if (!(st->pcache = calloc(1, sizeof(*st->pcache))))
		return -ENOMEM;
	/* every path the database has, in one scan: a path the cache then
	 * does not know is not in the database, and goes in without a search */
	if ((rc = ft__store_prepare(st, &q, "SELECT id, path FROM paths")) < 0)
		goto fail;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		uint32_t slot;
		int64_t *v;
		int added;
		const void *p = sqlite3_column_blob(q, 1);
		if (!p)
			continue; /* no path names "" */
		if (ft_map_intern(st->pcache, p, (size_t)sqlite3_column_bytes(q, 1), &slot, &added) < 0 ||
		    !(v = ft_vec_grow(st->pcache_ids, &st->pcache_cap, slot, sizeof(*v), 1024))) {
			rc = -ENOMEM;
			break;
		}
		st->pcache_ids = v;
		v[slot] = sqlite3_column_int64(q, 0);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	rc = rc < 0 ? rc : ft__store_fail(st, rc);
fail:
	ft__store_path_cache(st, 0);
	return rc;
}

int ft__store_path_id(struct ft_store *st, const char *path, uint32_t len, int create, int64_t *id)
{
	uint32_t slot = 0;
	int rc, cached = 0;

	*id = 0;
	if (st->pcache) {
		int added;
		int64_t *v;
		if (ft_map_intern(st->pcache, path, len, &slot, &added) < 0 ||
		    !(v = ft_vec_grow(st->pcache_ids, &st->pcache_cap, slot, sizeof(*v), 1024))) {
			ft__store_path_cache(st, 0); /* out of memory: on without it */
		} else {
			st->pcache_ids = v;
			if (added)
				v[slot] = 0;
			else if (v[slot])
				return (*id = v[slot]), 0;
			/* not in the database: the cache has every path */
			if (!create)
				return 0;
			cached = 1;
		}
	}
	if ((rc = path_id_db(st, path, len, create, !cached, id)) == 0 && cached)
		st->pcache_ids[slot] = *id;
	return rc;
}

static int path_id_db(struct ft_store *st, const char *path, uint32_t len, int create, int search,
		      int64_t *id)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (search) {
		if ((rc = ft__store_prepare_kept(st, FT_KEPT_PATH_SEL, &q,
						 "SELECT id FROM paths WHERE path = ?")) < 0)
			return rc;
		sqlite3_bind_blob(q, 1, path, (int)len, SQLITE_STATIC);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			*id = sqlite3_column_int64(q, 0);
		ft__store_give_back(q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return ft__store_fail(st, rc);
	}
	if (*id || !create)
		return 0;
	if ((rc = ft__store_prepare_kept(st, FT_KEPT_PATH_INS, &q, "INSERT INTO paths(path) VALUES(?)")) < 0)
		return rc;
	sqlite3_bind_blob(q, 1, path, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(q);
	ft__store_give_back(q);
	if (rc != SQLITE_DONE)
		return ft__store_fail(st, rc);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}
