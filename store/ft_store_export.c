/*
 * ft_store_export.c - the recording into a bundle: see ft_store_share.h.
 *
 * Ids are the database's own and mean nothing elsewhere: every reference
 * (a set's states, a test's sets and run) becomes an index into the
 * bundle's sections, and paths are interned once, relative to the top
 * where they lie under it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_envdep.h"
#include "ft_error.h"
#include "ft_map.h"
#include "ft_store_int.h"
#include "ft_store_share.h"
#include "ft_store_share_int.h"
#include "ft_vec.h"

struct ex {
	struct ft_store *st;
	struct ft_bundle *b;
	const char *top;
	size_t tlen;
	struct ft_map paths;     /* flag byte + bytes -> bundle path index */
	int64_t *pid;            /* paths.id, ascending ... */
	uint32_t *pidx;          /* ... and its bundle index */
	size_t npid;
	int64_t *sid;            /* depsets.id, ascending (bundle index = position) */
	uint32_t *sn;            /* depsets.n: the room of the set's deps */
	int64_t *rid;            /* runs.id, ascending (bundle index = position) */
	size_t nrid;
};

/* Intern `path` (absolute) as a bundle path: relative when under the top. */
static int intern(struct ex *x, const char *path, size_t len, uint32_t *idx)
{
	char *key = malloc(len + 2);
	uint8_t flags = 0;
	size_t off = 0;
	int added, rc;

	if (!key)
		return -ENOMEM;
	if (ft_envdep_is(path, len)) {
		flags = FT_BUNDLE_ENV; /* a name, never a file */
	} else if (len >= x->tlen && !memcmp(path, x->top, x->tlen) &&
	    (len == x->tlen || path[x->tlen] == '/') &&
	    (len == x->tlen || ft_bundle_rel_ok(path + x->tlen + 1, (uint32_t)(len - x->tlen - 1)))) {
		/* (a path under the top whose ".." parts climb out of it stays
		 * absolute: it names no file of this checkout's tree) */
		flags = FT_BUNDLE_REL;
		off = len == x->tlen ? len : x->tlen + 1;
	}
	key[0] = (char)flags;
	memcpy(key + 1, path + off, len - off);
	rc = ft_map_intern(&x->paths, key, len - off + 1, idx, &added);
	if (rc == 0 && added) {
		uint32_t got;
		rc = ft_bundle_add_path(x->b, key + 1, (uint32_t)(len - off), flags, &got);
		if (rc == 0 && got != *idx)
			rc = FT_EINTERNAL; /* the bundle had paths before: not ours to intern */
	}
	free(key);
	return rc;
}

static int intern_cb(void *arg, const char *path, size_t len, uint32_t *idx)
{
	return intern(arg, path, len, idx);
}

static int64_t *find(int64_t *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] == id)
			return &v[mid];
		if (v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int step_err(struct ft_store *st, int rc)
{
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

static int load_paths(struct ex *x)
{
	sqlite3_stmt *q;
	size_t cap = 0;
	int rc;

	if ((rc = ft__store_prepare(x->st, &q, "SELECT id, path FROM paths ORDER BY id")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t c2 = cap;
		int64_t *np = ft_vec_grow(x->pid, &cap, x->npid, sizeof(*np), 256);
		uint32_t *ni;
		if (!np)
			goto nomem;
		x->pid = np;
		if (!(ni = ft_vec_grow(x->pidx, &c2, x->npid, sizeof(*ni), 256)))
			goto nomem;
		x->pidx = ni;
		x->pid[x->npid] = sqlite3_column_int64(q, 0);
		if ((rc = intern(x, sqlite3_column_blob(q, 1), (size_t)sqlite3_column_bytes(q, 1),
				 &x->pidx[x->npid])) < 0) {
			sqlite3_finalize(q);
			return rc;
		}
		x->npid++;
	}
	sqlite3_finalize(q);
	return step_err(x->st, rc);
nomem:
	sqlite3_finalize(q);
	return -ENOMEM;
}

static int load_sets(struct ex *x)
{
	struct ft_bundle *b = x->b;
	sqlite3_stmt *q;
	size_t cap = 0;
	int rc;

	if ((rc = ft__store_prepare(x->st, &q, "SELECT id, n FROM depsets ORDER BY id")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t c2 = cap;
		int64_t *ni = ft_vec_grow(x->sid, &cap, b->nsets, sizeof(*ni), 64);
		uint32_t *nn = ni ? ft_vec_grow(x->sn, &c2, b->nsets, sizeof(*nn), 64) : NULL;
		struct ft_bundle_set *ns;
		sqlite3_int64 n = sqlite3_column_int64(q, 1);
		if (ni)
			x->sid = ni;
		if (nn)
			x->sn = nn;
		if (!ni || !nn || !(ns = ft_vec_grow(b->sets, &b->csets, b->nsets, sizeof(*ns), 64)))
			goto nomem;
		b->sets = ns;
		x->sid[b->nsets] = sqlite3_column_int64(q, 0);
		if (n < 0 || n > UINT32_MAX || !(ns[b->nsets].deps = calloc(n ? (size_t)n : 1,
									 sizeof(*ns->deps))))
			goto nomem;
		x->sn[b->nsets] = (uint32_t)n;
		ns[b->nsets++].n = 0;
	}
	sqlite3_finalize(q);
	if ((rc = step_err(x->st, rc)) < 0)
		return rc;
	if ((rc = ft__store_prepare(x->st, &q, "SELECT ds.set_id, s.path_id, s.kind, s.value"
				    " FROM depset_states ds JOIN states s ON s.id = ds.state_id")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t *s = find(x->sid, b->nsets, sqlite3_column_int64(q, 0));
		int64_t *p = find(x->pid, x->npid, sqlite3_column_int64(q, 1));
		struct ft_bundle_set *set;
		if (!s || !p) {
			sqlite3_finalize(q);
			snprintf(x->st->errmsg, sizeof(x->st->errmsg), "a set member names a "
				 "missing set or path");
			return FT_ECORRUPT;
		}
		set = &b->sets[s - x->sid];
		if (set->n >= x->sn[s - x->sid]) {
			sqlite3_finalize(q);
			snprintf(x->st->errmsg, sizeof(x->st->errmsg), "a set has more members "
				 "than its size");
			return FT_ECORRUPT;
		}
		set->deps[set->n].path = x->pidx[p - x->pid];
		/* the version-7 kind where there was one: an older ftrace
		 * reads the bundle (ft_dep_legacy_code) */
		set->deps[set->n].kind = (uint8_t)ft_dep_legacy_code(sqlite3_column_int(q, 2));
		set->deps[set->n++].value = (uint64_t)sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
	return step_err(x->st, rc);
nomem:
	sqlite3_finalize(q);
	return -ENOMEM;
}

static int load_runs(struct ex *x, const char *jtop)
{
	struct ft_bundle *b = x->b;
	sqlite3_stmt *q;
	size_t cap = 0;
	int rc;

	/* version 6 keeps the metadata in tables: the bundle carries its
	 * JSON text still (ft__store_runmeta_text) */
	if ((rc = ft__store_prepare(x->st, &q, x->st->version >= 6
				    ? "SELECT id, command, cwd, started_ns, finished_ns, exit_status,"
				      " meta_json, meta_rows FROM runs WHERE id IN"
				      " (SELECT run_id FROM tests) ORDER BY id"
				    : "SELECT id, command, cwd, started_ns, finished_ns, exit_status,"
				      " meta_json, NULL FROM runs WHERE id IN"
				      " (SELECT run_id FROM tests) ORDER BY id")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t *ni = ft_vec_grow(x->rid, &cap, x->nrid, sizeof(*ni), 16);
		struct ft_bundle_run *r;
		const char *s;
		char *meta;
		if (!ni || !(r = ft_vec_grow(b->runs, &b->cruns, b->nruns, sizeof(*r), 16)))
			goto nomem;
		x->rid = ni;
		b->runs = r;
		r = &b->runs[b->nruns];
		memset(r, 0, sizeof(*r));
		x->rid[x->nrid++] = sqlite3_column_int64(q, 0);
		b->nruns++;
		r->cwd = FT_BUNDLE_NONE;
		if ((s = (const char *)sqlite3_column_text(q, 1)) && !(r->command = strdup(s)))
			goto nomem;
		if ((s = (const char *)sqlite3_column_text(q, 2)) && s[0] == '/' &&
		    (rc = intern(x, s, strlen(s), &r->cwd)) < 0) {
			sqlite3_finalize(q);
			return rc;
		}
		r->started_ns = sqlite3_column_int64(q, 3);
		r->finished_ns = sqlite3_column_int64(q, 4);
		r->exit_status = sqlite3_column_int(q, 5);
		meta = NULL;
		if ((sqlite3_column_type(q, 6) != SQLITE_NULL || sqlite3_column_type(q, 7) != SQLITE_NULL) &&
		    (rc = ft__store_runmeta_text(x->st, x->rid[x->nrid - 1],
						 (const char *)sqlite3_column_text(q, 6),
						 sqlite3_column_int64(q, 7), &meta)) < 0) {
			sqlite3_finalize(q);
			return rc;
		}
		if (meta && !(r->meta_json = ft_bundle_json_swap(meta, jtop, FT_BUNDLE_TOP_TOKEN))) {
			free(meta);
			goto nomem;
		}
		free(meta);
	}
	sqlite3_finalize(q);
	return step_err(x->st, rc);
nomem:
	sqlite3_finalize(q);
	return -ENOMEM;
}

static int load_tests(struct ex *x)
{
	struct ft_bundle *b = x->b;
	sqlite3_stmt *q, *qs;
	int rc;

	if ((rc = ft__store_prepare(x->st, &q, "SELECT id, name, runner, file, outcome, untraced,"
				    " run_id FROM tests ORDER BY name")) < 0)
		return rc;
	if ((rc = ft__store_prepare(x->st, &qs, "SELECT set_id FROM test_sets WHERE test_id = ?"
				    " ORDER BY set_id")) < 0) {
		sqlite3_finalize(q);
		return rc;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_bundle_test *t = ft_vec_grow(b->tests, &b->ctests, b->ntests, sizeof(*t), 64);
		const char *s;
		int64_t *r;
		size_t scap = 0;
		if (!t)
			goto nomem;
		b->tests = t;
		t = &b->tests[b->ntests++];
		memset(t, 0, sizeof(*t));
		t->file = t->run = FT_BUNDLE_NONE;
		if (!(t->name = strdup((const char *)sqlite3_column_text(q, 1))))
			goto nomem;
		if ((s = (const char *)sqlite3_column_text(q, 2)) && !(t->runner = strdup(s)))
			goto nomem;
		if ((s = (const char *)sqlite3_column_text(q, 3)) && s[0] == '/' &&
		    (rc = intern(x, s, strlen(s), &t->file)) < 0)
			goto fail;
		t->outcome = sqlite3_column_int(q, 4);
		t->untraced = sqlite3_column_int(q, 5) ? 1 : 0;
		if ((r = find(x->rid, x->nrid, sqlite3_column_int64(q, 6))))
			t->run = (uint32_t)(r - x->rid);
		sqlite3_reset(qs);
		sqlite3_bind_int64(qs, 1, sqlite3_column_int64(q, 0));
		while ((rc = sqlite3_step(qs)) == SQLITE_ROW) {
			int64_t *si = find(x->sid, b->nsets, sqlite3_column_int64(qs, 0));
			uint32_t *ns = ft_vec_grow(t->sets, &scap, t->nsets, sizeof(*ns), 4);
			if (!si) {
				snprintf(x->st->errmsg, sizeof(x->st->errmsg), "test %s names a "
					 "missing set", t->name);
				rc = FT_ECORRUPT;
				goto fail;
			}
			if (!ns)
				goto nomem;
			t->sets = ns;
			t->sets[t->nsets++] = (uint32_t)(si - x->sid);
		}
		if ((rc = step_err(x->st, rc)) < 0)
			goto fail;
	}
	rc = step_err(x->st, rc);
	goto out;
nomem:
	rc = -ENOMEM;
fail:
out:
	sqlite3_finalize(q);
	sqlite3_finalize(qs);
	return rc;
}

/* Each test's shares (store/ft_store_carry.h): the rows of run_shares of
 * its own latest run and of its runner, which are the only ones a later
 * run carries; a row naming a set that is gone carries nothing. */
static int load_shares(struct ex *x)
{
	struct ft_bundle *b = x->b;
	sqlite3_stmt *q;
	size_t t = 0, cap = 0;
	int rc;

	if (!ft_store_has_table(x->st, "run_shares"))
		return 0;
	if ((rc = ft__store_prepare(x->st, &q, "SELECT t.name, s.set_id FROM run_shares s"
				    " JOIN tests t ON t.name = s.test AND t.run_id = s.run_id"
				    " AND s.runner = coalesce(t.runner, '')"
				    " ORDER BY t.name, s.set_id")) < 0)
		return rc;
	/* both in name order (BINARY: strcmp's) */
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		int64_t *si = find(x->sid, b->nsets, sqlite3_column_int64(q, 1));
		struct ft_bundle_test *bt;
		uint32_t *ns;
		int c = 1;
		while (name && t < b->ntests && (c = strcmp(b->tests[t].name, name)) < 0) {
			t++;
			cap = 0;
		}
		if (!name || c != 0 || !si)
			continue;
		bt = &b->tests[t];
		if (!(ns = ft_vec_grow(bt->shares, &cap, bt->nshares, sizeof(*ns), 4))) {
			sqlite3_finalize(q);
			return -ENOMEM;
		}
		bt->shares = ns;
		bt->shares[bt->nshares++] = (uint32_t)(si - x->sid);
	}
	sqlite3_finalize(q);
	return step_err(x->st, rc);
}

static int load_listings(struct ex *x)
{
	struct ft_bundle *b = x->b;
	sqlite3_stmt *q;
	int rc;

	if ((rc = ft__store_prepare(x->st, &q, "SELECT path_id, value, names FROM listings")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_bundle_listing *l = ft_vec_grow(b->listings, &b->clistings, b->nlistings,
							  sizeof(*l), 16);
		int64_t *p = find(x->pid, x->npid, sqlite3_column_int64(q, 0));
		size_t n = (size_t)sqlite3_column_bytes(q, 2);
		if (!l)
			goto nomem;
		b->listings = l;
		if (!p)
			continue; /* a listing of a path gone: the commit's gc drops those */
		l = &b->listings[b->nlistings];
		if (!(l->names = malloc(n + 1)))
			goto nomem;
		if (n)
			memcpy(l->names, sqlite3_column_blob(q, 2), n);
		l->names[n] = '\0';
		l->len = (uint32_t)n;
		l->path = x->pidx[p - x->pid];
		l->value = (uint64_t)sqlite3_column_int64(q, 1);
		b->nlistings++;
	}
	sqlite3_finalize(q);
	return step_err(x->st, rc);
nomem:
	sqlite3_finalize(q);
	return -ENOMEM;
}

static int load_flaky(struct ex *x)
{
	struct ft_bundle *b = x->b;
	sqlite3_stmt *q;
	int rc;

	if (!ft_store_has_table(x->st, "flaky"))
		return 0;
	if ((rc = ft__store_prepare(x->st, &q, "SELECT name, count, last_ns, last_from, last_to,"
				    " clean FROM flaky ORDER BY name")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_bundle_flaky *f = ft_vec_grow(b->flaky, &b->cflaky, b->nflaky,
							sizeof(*f), 16);
		if (!f) {
			sqlite3_finalize(q);
			return -ENOMEM;
		}
		b->flaky = f;
		f = &b->flaky[b->nflaky];
		if (!(f->name = strdup((const char *)sqlite3_column_text(q, 0)))) {
			sqlite3_finalize(q);
			return -ENOMEM;
		}
		f->count = sqlite3_column_int64(q, 1);
		f->last_ns = sqlite3_column_int64(q, 2);
		f->last_from = sqlite3_column_int(q, 3);
		f->last_to = sqlite3_column_int(q, 4);
		f->clean = sqlite3_column_int64(q, 5);
		b->nflaky++;
	}
	sqlite3_finalize(q);
	return step_err(x->st, rc);
}

int ft_store_export(struct ft_store *st, const char *top, struct ft_bundle *b)
{
	struct ex x = { .st = st, .b = b, .top = top, .tlen = strlen(top) };
	char *jtop;
	int rc;

	if (b->npaths || !strcmp(top, "/") || top[0] != '/')
		return FT_EUSAGE;
	if (!(jtop = ft_bundle_json_escape(top)))
		return -ENOMEM;
	if ((rc = load_paths(&x)) == 0 && (rc = load_sets(&x)) == 0 &&
	    (rc = load_runs(&x, jtop)) == 0 && (rc = load_tests(&x)) == 0 &&
	    (rc = load_shares(&x)) == 0 &&
	    (rc = load_listings(&x)) == 0 && (rc = load_flaky(&x)) == 0)
		rc = ft__store_export_py(st, b, jtop, x.rid, intern_cb, &x);
	free(jtop);
	ft_map_release(&x.paths);
	free(x.pid);
	free(x.pidx);
	free(x.sid);
	free(x.sn);
	free(x.rid);
	return rc;
}
