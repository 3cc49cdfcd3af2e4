/*
 * ft_pyconf_rec.c - fold the pytest start-up's views of its config files into
 * the store (python/ft_pyconf.h has the table; docs/pytest.md the rules).
 *
 * The start-up module read each file before pytest's start-up ended and
 * says which bytes its view is of (size, CRC-32); here the file is read
 * again and the view is kept under the content value of those same bytes,
 * the value ingest gave the FT_DEP_PYCONF dependency.  A file edited in
 * between gets no view: selection then counts any change of it.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_adapter.h"
#include "ft_error.h"
#include "ft_file.h"
#include "ft_pyconf.h"
#include "ft_pyfunc.h"
#include "ft_state.h"
#include "ft_store.h"

static const char pyconf_schema[] =
	"CREATE TABLE IF NOT EXISTS pyconf_views(path BLOB NOT NULL, value INTEGER NOT NULL,"
	"  view TEXT NOT NULL, PRIMARY KEY(path, value)) WITHOUT ROWID;";

_Static_assert(FT_DEP_PYCONF == 8, "the DELETE below spells FT_DEP_PYCONF as 8");

static int exec_sql(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : FT_EDB;
}

static int side_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return !strncmp(d->d_name, "startup-pytest-", 15) && n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

static int put_view(sqlite3 *db, cJSON *v)
{
	cJSON *path = cJSON_GetObjectItem(v, "path"), *view = cJSON_GetObjectItem(v, "view");
	cJSON *size = cJSON_GetObjectItem(v, "size"), *crc = cJSON_GetObjectItem(v, "crc32");
	sqlite3_stmt *q;
	size_t len;
	mode_t mode;
	uint64_t value;
	char *buf;
	int rc = 0;

	if (!cJSON_IsString(path) || path->valuestring[0] != '/' || !cJSON_IsString(view) ||
	    !cJSON_IsNumber(size) || !cJSON_IsNumber(crc))
		return 0;
	if (!(buf = ft_file_read(path->valuestring, O_NOFOLLOW, &len, &mode)))
		return 0;
	if ((double)len != size->valuedouble || (double)ft_pyfunc_crc32(buf, len) != crc->valuedouble) {
		free(buf);
		return 0;  /* another version than the one viewed */
	}
	value = XXH3_64bits_withSeed(buf, len, ft_state_file_seed(mode));
	free(buf);
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO pyconf_views(path, value, view)"
			       " VALUES (?1, ?2, ?3)", -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_blob(q, 1, path->valuestring, (int)strlen(path->valuestring), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	sqlite3_bind_text(q, 3, view->valuestring, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(q);
	return rc;
}

/* meta `key` = the side file's `field`, if that is an absolute path. */
static int note_path(struct ft_store *st, cJSON *doc, const char *field, const char *key)
{
	cJSON *p = cJSON_GetObjectItem(doc, field);

	if (!cJSON_IsString(p) || p->valuestring[0] != '/')
		return 0;
	return ft_store_meta_set(st, key, p->valuestring);
}

int ft_pyconf_record(struct ft_store *st, const char *run_dir)
{
	struct dirent **names = NULL;
	sqlite3 *db = ft_store_db(st);
	int n, rc = 0, began = 0;

	n = scandir(run_dir, &names, side_file, alphasort);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n && rc >= 0; i++) {
		cJSON *doc = ft_adapter_read_doc(run_dir, names[i]->d_name), *v;

		if (!cJSON_IsArray(cJSON_GetObjectItem(doc, "views"))) {
			cJSON_Delete(doc);
			continue;
		}
		if (!began) {
			if ((rc = exec_sql(db, "BEGIN IMMEDIATE")) < 0 ||
			    (rc = exec_sql(db, pyconf_schema)) < 0) {
				cJSON_Delete(doc);
				break;
			}
			began = 1;
		}
		cJSON_ArrayForEach(v, cJSON_GetObjectItem(doc, "views")) {
			if ((rc = put_view(db, v)) < 0)
				break;
		}
		if (rc >= 0)
			rc = note_path(st, doc, "executable", FT_PYCONF_META_PYTHON);
		/* where that run's iniconfig came from; a run without one
		 * (say, no tox.ini or setup.cfg) leaves the last one known */
		if (rc >= 0)
			rc = note_path(st, doc, "iniconfig", FT_PYCONF_META_INICONFIG);
		cJSON_Delete(doc);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!began)
		return rc;
	/* Versions no dependency references any more. */
	if (rc >= 0)
		rc = exec_sql(db, "DELETE FROM pyconf_views WHERE NOT EXISTS (SELECT 1 FROM states s"
			      " JOIN paths p ON p.id = s.path_id WHERE p.path = pyconf_views.path"
			      " AND s.kind = 8 AND s.value = pyconf_views.value)");
	if (rc >= 0)
		rc = exec_sql(db, "COMMIT");
	if (rc < 0)
		exec_sql(db, "ROLLBACK");
	return rc;
}
