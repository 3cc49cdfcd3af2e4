/*
 * ft_pyconf_rec.c - fold the pytest start-up's views of its config files into
 * the store (python/ft_pyconf.h has the table; docs/pytest.md the rules).
 *
 * The start-up module read each file before pytest's start-up ended and
 * says which bytes its view is of (size, CRC-32); here the file is read
 * again and the view is kept under the content value of those same bytes,
 * the value ingest gave the FT_PYCONF_KIND dependency.  A file edited in
 * between gets no view: selection then counts any change of it.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "ft_store_py.h"

static int side_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return !strncmp(d->d_name, "startup-pytest-", 15) && n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

static int put_view(struct ft_store *st, cJSON *v)
{
	cJSON *path = cJSON_GetObjectItem(v, "path"), *view = cJSON_GetObjectItem(v, "view");
	cJSON *size = cJSON_GetObjectItem(v, "size"), *crc = cJSON_GetObjectItem(v, "crc32");
	size_t len;
	mode_t mode;
	uint64_t value;
	char *buf;

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
	return ft_store_pyconf_put(st, path->valuestring, value, view->valuestring);
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
			if ((rc = ft_store_write_begin(st)) < 0) {
				cJSON_Delete(doc);
				break;
			}
			began = 1;
		}
		cJSON_ArrayForEach(v, cJSON_GetObjectItem(doc, "views")) {
			if ((rc = put_view(st, v)) < 0)
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
		rc = ft_store_pyconf_gc(st, FT_PYCONF_KIND);
	if (rc >= 0)
		rc = ft_store_write_commit(st);
	if (rc < 0)
		ft_store_write_rollback(st);
	return rc;
}
