/*
 * pyfunc_fpcache.c - see ft_pyfunc_fpcache.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "ft_pyfunc_fpcache.h"
#include "ft_store.h"

static const char ft_fpcache_sql[] =
	"CREATE TABLE IF NOT EXISTS pyfunc_fpcache(path BLOB PRIMARY KEY, boot TEXT NOT NULL,"
	"  python TEXT NOT NULL, dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER,"
	"  ctime_ns INTEGER, fp TEXT NOT NULL) WITHOUT ROWID";

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       ns_of(&a->st_mtim) == ns_of(&b->st_mtim) && ns_of(&a->st_ctim) == ns_of(&b->st_ctim);
}

char *ft_fpcache_key(const char *python, const char *tool)
{
	static const char *const parts[] = { "ftrace_fingerprint.py", "ftrace_pystate.py" };
	const char *slash = strrchr(tool, '/');
	int dlen = slash ? (int)(slash - tool) : 1;
	char *key = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&key, &len);

	if (!f)
		return NULL;
	fputs(python, f);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *path = NULL;
		struct stat s;

		if (asprintf(&path, "%.*s/%s", dlen, slash ? tool : ".", parts[i]) < 0) {
			fclose(f);
			free(key);
			return NULL;
		}
		if (stat(path, &s) == 0)
			fprintf(f, "\n%s %lld %lld.%09ld", parts[i], (long long)s.st_size,
				(long long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
		else
			fprintf(f, "\n%s ?", parts[i]);
		free(path);
	}
	if (fclose(f) != 0) {
		free(key);
		return NULL;
	}
	return key;
}

/* Does the row under q (boot, python, dev, ino, size, mtime, ctime, fp)
 * describe `s` on this boot for `python`? */
static int row_matches(sqlite3_stmt *q, const char *boot, const char *python, const struct stat *s)
{
	const char *rb = (const char *)sqlite3_column_text(q, 0);
	const char *rp = (const char *)sqlite3_column_text(q, 1);

	return rb && rp && !strcmp(rb, boot) && !strcmp(rp, python) &&
	       (unsigned long long)sqlite3_column_int64(q, 2) == (unsigned long long)s->st_dev &&
	       (unsigned long long)sqlite3_column_int64(q, 3) == (unsigned long long)s->st_ino &&
	       sqlite3_column_int64(q, 4) == (long long)s->st_size &&
	       sqlite3_column_int64(q, 5) == ns_of(&s->st_mtim) &&
	       sqlite3_column_int64(q, 6) == ns_of(&s->st_ctim);
}

int ft_fpcache_lookup(struct ft_store *st, const char *python, const cJSON *files,
		      cJSON *now, cJSON *missing, struct ft_fpcache *c)
{
	const char *boot = ft_store_boot_id();
	const char *off = getenv("FTRACE_PYFUNC_FPCACHE");
	sqlite3_stmt *q = NULL;
	struct timespec t0;
	const cJSON *e;
	size_t n = (size_t)cJSON_GetArraySize(files);

	memset(c, 0, sizeof(*c));
	c->off = off && !strcmp(off, "0");
	clock_gettime(CLOCK_REALTIME, &t0);
	c->t0_ns = ns_of(&t0);
	if (n && !(c->f = calloc(n, sizeof(*c->f))))
		return -ENOMEM;
	if (!c->off && boot[0] &&
	    sqlite3_prepare_v2(ft_store_db(st), "SELECT boot, python, dev, ino, size, mtime_ns,"
			       " ctime_ns, fp FROM pyfunc_fpcache WHERE path = ?", -1, &q, NULL) != SQLITE_OK)
		q = NULL;   /* no table yet: nothing cached */
	cJSON_ArrayForEach(e, files) {
		struct ft_fpcache_file *f = &c->f[c->n++];
		cJSON *fp = NULL;
		f->path = e->valuestring;
		f->statted = stat(f->path, &f->before) == 0;
		if (q && f->statted) {
			sqlite3_bind_blob(q, 1, f->path, (int)strlen(f->path), SQLITE_STATIC);
			if (sqlite3_step(q) == SQLITE_ROW && row_matches(q, boot, python, &f->before))
				fp = cJSON_Parse((const char *)sqlite3_column_text(q, 7));
			sqlite3_reset(q);
		}
		if (fp) {
			f->cached = 1;
			cJSON_AddItemToObject(now, f->path, fp);
		} else {
			cJSON *s = cJSON_CreateString(f->path);
			if (!s) {
				sqlite3_finalize(q);
				return -ENOMEM;
			}
			cJSON_AddItemToArray(missing, s);
		}
	}
	sqlite3_finalize(q);
	return 0;
}

void ft_fpcache_store(struct ft_store *st, const char *python, const struct ft_fpcache *c,
		      const cJSON *now)
{
	sqlite3 *db = ft_store_db(st);
	sqlite3_stmt *ins = NULL;
	const char *boot = ft_store_boot_id();
	int ok = 1, began = 0;

	if (c->off || !boot[0])
		return;
	for (size_t i = 0; i < c->n; i++) {
		const struct ft_fpcache_file *f = &c->f[i];
		struct stat after;
		const cJSON *fp;
		char *text;
		if (f->cached || !f->statted ||
		    ns_of(&f->before.st_ctim) >= c->t0_ns - FT_FPCACHE_SETTLE_NS ||
		    !(fp = cJSON_GetObjectItemCaseSensitive(now, f->path)) ||
		    stat(f->path, &after) < 0 || !same_stat(&f->before, &after))
			continue;
		if (!began) {
			/* never wait: a writer (a recording) may hold the lock */
			ft_store_busy_timeout(st, 0);
			began = 1;
			ok = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
			if (ok && sqlite3_exec(db, ft_fpcache_sql, NULL, NULL, NULL) != SQLITE_OK)
				ok = 0;
			if (ok && sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO pyfunc_fpcache(path, boot,"
						     " python, dev, ino, size, mtime_ns, ctime_ns, fp)"
						     " VALUES(?,?,?,?,?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK)
				ok = 0;
		}
		if (!ok)
			break;
		if (!(text = cJSON_PrintUnformatted(fp)))
			continue;
		sqlite3_reset(ins);
		sqlite3_bind_blob(ins, 1, f->path, (int)strlen(f->path), SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, boot, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, python, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, (sqlite3_int64)f->before.st_dev);
		sqlite3_bind_int64(ins, 5, (sqlite3_int64)f->before.st_ino);
		sqlite3_bind_int64(ins, 6, (sqlite3_int64)f->before.st_size);
		sqlite3_bind_int64(ins, 7, ns_of(&f->before.st_mtim));
		sqlite3_bind_int64(ins, 8, ns_of(&f->before.st_ctim));
		sqlite3_bind_text(ins, 9, text, -1, SQLITE_TRANSIENT);
		ok = sqlite3_step(ins) == SQLITE_DONE;
		free(text);
	}
	sqlite3_finalize(ins);
	if (began) {
		if (!ok || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		ft_store_busy_timeout(st, FT_STORE_BUSY_MS);
	}
}

void ft_fpcache_release(struct ft_fpcache *c)
{
	free(c->f);
	c->f = NULL;
	c->n = 0;
}
