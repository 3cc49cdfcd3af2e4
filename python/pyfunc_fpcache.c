/*
 * pyfunc_fpcache.c - see ft_pyfunc_fpcache.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft_pyfunc_fpcache.h"
#include "ft_store.h"
#include "ft_store_py.h"

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
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - tool) : 1, slash ? tool : ".");
	return ft_fpcache_key_of(NULL, python, dir, parts, sizeof(parts) / sizeof(parts[0]));
}

char *ft_fpcache_key_of(const char *family, const char *python, const char *dir,
			const char *const *parts, size_t nparts)
{
	char *key = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&key, &len);

	if (!f)
		return NULL;
	if (family)
		fprintf(f, "%s\n", family);
	fputs(python, f);
	for (size_t i = 0; i < nparts; i++) {
		char *path = NULL;
		struct stat s;

		if (asprintf(&path, "%s/%s", dir, parts[i]) < 0) {
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

/* Does the cached row describe `s` on this boot for `python`? */
static int row_matches(const struct ft_store_fprow *r, const char *boot, const char *python,
		       const struct stat *s)
{
	return r->boot && r->python && !strcmp(r->boot, boot) && !strcmp(r->python, python) &&
	       (unsigned long long)r->dev == (unsigned long long)s->st_dev &&
	       (unsigned long long)r->ino == (unsigned long long)s->st_ino &&
	       r->size == (long long)s->st_size && r->mtime_ns == ns_of(&s->st_mtim) &&
	       r->ctime_ns == ns_of(&s->st_ctim);
}

int ft_fpcache_lookup(struct ft_store *st, const char *python, const cJSON *files,
		      cJSON *now, cJSON *missing, struct ft_fpcache *c)
{
	const char *boot = ft_store_boot_id();
	const char *off = getenv("FTRACE_PYFUNC_FPCACHE");
	struct ft_store_fpcache *q = NULL;
	struct ft_store_fprow row;
	struct timespec t0;
	const cJSON *e;
	size_t n = (size_t)cJSON_GetArraySize(files);

	memset(c, 0, sizeof(*c));
	c->off = off && !strcmp(off, "0");
	clock_gettime(CLOCK_REALTIME, &t0);
	c->t0_ns = ns_of(&t0);
	if (n && !(c->f = calloc(n, sizeof(*c->f))))
		return -ENOMEM;
	if (!c->off && boot[0] && ft_store_fpcache_reader(st, &q) < 0)
		q = NULL;   /* no table (version 1, read-only): nothing cached */
	cJSON_ArrayForEach(e, files) {
		struct ft_fpcache_file *f = &c->f[c->n++];
		cJSON *fp = NULL;
		f->path = e->valuestring;
		f->statted = stat(f->path, &f->before) == 0;
		if (q && f->statted) {
			if (ft_store_fpcache_get(q, f->path, &row) && row_matches(&row, boot, python, &f->before))
				fp = cJSON_Parse(row.fp);
		}
		if (fp) {
			f->cached = 1;
			cJSON_AddItemToObject(now, f->path, fp);
		} else {
			cJSON *s = cJSON_CreateString(f->path);
			if (!s) {
				ft_store_fpcache_close(q, 0);
				return -ENOMEM;
			}
			cJSON_AddItemToArray(missing, s);
		}
	}
	ft_store_fpcache_close(q, 0);
	return 0;
}

void ft_fpcache_store(struct ft_store *st, const char *python, const struct ft_fpcache *c,
		      const cJSON *now)
{
	struct ft_store_fpcache *ins = NULL;
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
			ok = ft_store_fpcache_writer(st, &ins) == 0;
		}
		if (!ok)
			break;
		if (!(text = cJSON_PrintUnformatted(fp)))
			continue;
		ok = ft_store_fpcache_put(ins, &(struct ft_store_fprow){
			.path = f->path, .boot = boot, .python = python,
			.dev = (uint64_t)f->before.st_dev, .ino = (uint64_t)f->before.st_ino,
			.size = (int64_t)f->before.st_size, .mtime_ns = ns_of(&f->before.st_mtim),
			.ctime_ns = ns_of(&f->before.st_ctim), .fp = text,
		}) == 0;
		free(text);
	}
	if (began) {
		ft_store_fpcache_close(ins, ok);
		ft_store_busy_timeout(st, FT_STORE_BUSY_MS);
	}
}

void ft_fpcache_release(struct ft_fpcache *c)
{
	free(c->f);
	c->f = NULL;
	c->n = 0;
}
