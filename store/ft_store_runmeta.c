/*
 * ft_store_runmeta.c - a run's metadata in its tables (schema version 6:
 * run_pytest, run_runners, run_strings; ft_store_runmeta.h), written with
 * the run, read by selection, turned back into the JSON text a bundle
 * carries, and the 5 -> 6 conversion of the texts older versions stored.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_store_int.h"
#include "ft_store_runmeta.h"

/* The lists and their names in run_strings.list; a row's `has` has bit i
 * set when list i was recorded. */
static const struct list {
	const char *name;
	size_t off;
} pytest_lists[] = {
	{ "python_files", offsetof(struct ft_runmeta_pytest, python_files) },
	{ "norecursedirs", offsetof(struct ft_runmeta_pytest, norecursedirs) },
	{ "doctest_glob", offsetof(struct ft_runmeta_pytest, doctest_glob) },
	{ "python_functions", offsetof(struct ft_runmeta_pytest, python_functions) },
	{ "python_classes", offsetof(struct ft_runmeta_pytest, python_classes) },
	{ "loaded", offsetof(struct ft_runmeta_pytest, loaded) },
	{ "stdlib", offsetof(struct ft_runmeta_pytest, stdlib) },
	{ "noted", offsetof(struct ft_runmeta_pytest, noted) },
	{ "options", offsetof(struct ft_runmeta_pytest, options) },
	{ "args", offsetof(struct ft_runmeta_pytest, args) },
}, runner_lists[] = {
	{ "args", offsetof(struct ft_runmeta_runner, args) },
	{ "own_files", offsetof(struct ft_runmeta_runner, own_files) },
};
#define NPYTEST (sizeof(pytest_lists) / sizeof(pytest_lists[0]))
#define NRUNNER (sizeof(runner_lists) / sizeof(runner_lists[0]))

/* run_strings.owner of the import mark (0 is run_pytest's, 1.. the runner
 * entries') */
#define FT_RUNMETA_OWNER_IMPORT (-1)

#define STRV(base, l) ((struct ft_runmeta_strv *)((char *)(base) + (l)->off))

static int step_done(struct ft_store *st, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

static int put_lists(struct ft_store *st, sqlite3_stmt *q, int64_t run_id, int owner,
		     const void *base, const struct list *ls, size_t nl, int64_t *rows)
{
	int rc;

	for (size_t i = 0; i < nl; i++) {
		const struct ft_runmeta_strv *s = STRV(base, &ls[i]);
		for (size_t k = 0; k < s->n; k++) {
			sqlite3_bind_int64(q, 1, run_id);
			sqlite3_bind_int(q, 2, owner);
			sqlite3_bind_text(q, 3, ls[i].name, -1, SQLITE_STATIC);
			sqlite3_bind_int64(q, 4, (int64_t)k);
			sqlite3_bind_text(q, 5, s->v[k], -1, SQLITE_STATIC);
			if ((rc = step_done(st, q)) < 0)
				return rc;
			++*rows;
		}
	}
	return 0;
}

static int has_bits(const void *base, const struct list *ls, size_t nl)
{
	int has = 0;

	for (size_t i = 0; i < nl; i++)
		if (STRV(base, &ls[i])->has)
			has |= 1 << i;
	return has;
}

static int put_pytest(struct ft_store *st, int64_t run_id, const struct ft_runmeta_pytest *p)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = ft__store_prepare(st, &q, "INSERT INTO run_pytest(run_id, rootdir, collector, plain,"
				    " doctest_modules, pyplain, std, has, ck) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,"
				    " ft_ck('run_pytest', ?1,?2,?3,?4,?5,?6,?7,?8))")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_text(q, 2, p->rootdir, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, p->collector);
	sqlite3_bind_int(q, 4, p->plain);
	if (p->doctest_modules >= 0)
		sqlite3_bind_int(q, 5, p->doctest_modules);
	if (p->pyplain >= 0)
		sqlite3_bind_int(q, 6, p->pyplain);
	if (p->std)
		sqlite3_bind_text(q, 7, p->std, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 8, has_bits(p, pytest_lists, NPYTEST));
	rc = step_done(st, q);
	sqlite3_finalize(q);
	return rc;
}

static int put_runner(struct ft_store *st, sqlite3_stmt *q, int64_t run_id, int pos,
		      const struct ft_runmeta_runner *r)
{
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_int(q, 2, pos);
	sqlite3_bind_text(q, 3, r->runner, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->dir, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, has_bits(r, runner_lists, NRUNNER));
	return step_done(st, q);
}

int ft__store_runmeta_put(struct ft_store *st, int64_t run_id, const struct ft_runmeta *m,
			  int64_t *rows)
{
	sqlite3_stmt *qr = NULL, *qs = NULL;
	int rc;

	*rows = 0;
	if (m->pytest && (rc = put_pytest(st, run_id, m->pytest)) < 0)
		return rc;
	*rows += m->pytest != NULL;
	if ((rc = ft__store_prepare(st, &qr, "INSERT INTO run_runners(run_id, pos, runner, dir, has, ck)"
				    " VALUES(?1,?2,?3,?4,?5, ft_ck('run_runners', ?1,?2,?3,?4,?5))")) < 0 ||
	    (rc = ft__store_prepare(st, &qs, "INSERT INTO run_strings(run_id, owner, list, pos, value, ck)"
				    " VALUES(?1,?2,?3,?4,?5, ft_ck('run_strings', ?1,?2,?3,?4,?5))")) < 0)
		goto out;
	if (m->pytest && (rc = put_lists(st, qs, run_id, 0, m->pytest, pytest_lists, NPYTEST, rows)) < 0)
		goto out;
	if (m->imported) {
		sqlite3_bind_int64(qs, 1, run_id);
		sqlite3_bind_int(qs, 2, FT_RUNMETA_OWNER_IMPORT);
		sqlite3_bind_text(qs, 3, "imported", -1, SQLITE_STATIC);
		sqlite3_bind_int64(qs, 4, 0);
		sqlite3_bind_text(qs, 5, m->imported, -1, SQLITE_STATIC);
		if ((rc = step_done(st, qs)) < 0)
			goto out;
		++*rows;
	}
	for (size_t i = 0; i < m->nrunners && rc == 0; i++) {
		if ((rc = put_runner(st, qr, run_id, (int)i + 1, &m->runners[i])) == 0)
			rc = put_lists(st, qs, run_id, (int)i + 1, &m->runners[i], runner_lists, NRUNNER, rows);
		++*rows;
	}
out:
	sqlite3_finalize(qr);
	sqlite3_finalize(qs);
	return rc;
}

static char *dup_col(sqlite3_stmt *q, int col, int *nomem)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*nomem = 1;
	return d;
}

static int corrupt(struct ft_store *st, int64_t run_id, const char *what)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: runs %lld: its metadata %s",
		 (long long)run_id, what);
	return FT_ECORRUPT;
}

static int get_owners(struct ft_store *st, struct ft_runmeta *m, int64_t *rows)
{
	sqlite3_stmt *q;
	int rc, nomem = 0;

	if ((rc = ft__store_read_prepare(st, &q, "SELECT rootdir, collector, plain, doctest_modules,"
					 " pyplain, std, has FROM run_pytest WHERE run_id = ?")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, m->run_id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_runmeta_pytest *p = m->pytest = calloc(1, sizeof(*p));
		int has = sqlite3_column_int(q, 6);
		if (!p) {
			sqlite3_finalize(q);
			return -ENOMEM;
		}
		p->rootdir = dup_col(q, 0, &nomem);
		p->collector = sqlite3_column_int(q, 1);
		p->plain = sqlite3_column_int(q, 2);
		p->doctest_modules = sqlite3_column_type(q, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 3);
		p->pyplain = sqlite3_column_type(q, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 4);
		p->std = dup_col(q, 5, &nomem);
		for (size_t i = 0; i < NPYTEST; i++)
			STRV(p, &pytest_lists[i])->has = (has >> i) & 1;
		++*rows;
		rc = sqlite3_step(q);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return ft__store_read_err(rc);
	if (nomem)
		return -ENOMEM;
	if ((rc = ft__store_read_prepare(st, &q, "SELECT pos, runner, dir, has FROM run_runners"
					 " WHERE run_id = ? ORDER BY pos")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, m->run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && !nomem) {
		struct ft_runmeta_runner *r, *nv = realloc(m->runners, (m->nrunners + 1) * sizeof(*nv));
		int has = sqlite3_column_int(q, 3);
		if (!nv) {
			nomem = 1;
			break;
		}
		m->runners = nv;
		r = &nv[m->nrunners++];
		memset(r, 0, sizeof(*r));
		if (sqlite3_column_int64(q, 0) != (int64_t)m->nrunners) {
			sqlite3_finalize(q);
			return corrupt(st, m->run_id, "has a gap in its runner entries");
		}
		r->runner = dup_col(q, 1, &nomem);
		r->dir = dup_col(q, 2, &nomem);
		for (size_t i = 0; i < NRUNNER; i++)
			STRV(r, &runner_lists[i])->has = (has >> i) & 1;
		++*rows;
	}
	sqlite3_finalize(q);
	if (nomem)
		return -ENOMEM;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

/* The list `name` of owner `owner` in m, or NULL. */
static struct ft_runmeta_strv *list_of(struct ft_runmeta *m, int64_t owner, const char *name)
{
	const struct list *ls = owner ? runner_lists : pytest_lists;
	size_t nl = owner ? NRUNNER : NPYTEST;
	void *base = owner < 0 ? NULL
		   : owner ? (owner <= (int64_t)m->nrunners ? (void *)&m->runners[owner - 1] : NULL)
			   : (void *)m->pytest;

	for (size_t i = 0; base && name && i < nl; i++)
		if (!strcmp(ls[i].name, name))
			return STRV(base, &ls[i]);
	return NULL;
}

static int get_strings(struct ft_store *st, struct ft_runmeta *m, int64_t *rows)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = ft__store_read_prepare(st, &q, "SELECT owner, list, pos, value FROM run_strings"
					 " WHERE run_id = ? ORDER BY owner, list, pos")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, m->run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_runmeta_strv *s = list_of(m, sqlite3_column_int64(q, 0),
						    (const char *)sqlite3_column_text(q, 1));
		const char *v = (const char *)sqlite3_column_text(q, 3);
		char **nv;

		if (sqlite3_column_int64(q, 0) == FT_RUNMETA_OWNER_IMPORT) {
			const char *l = (const char *)sqlite3_column_text(q, 1);
			if (m->imported || !v || !l || strcmp(l, "imported") || sqlite3_column_int64(q, 2)) {
				sqlite3_finalize(q);
				return corrupt(st, m->run_id, "has an import mark out of place");
			}
			if (!(m->imported = strdup(v))) {
				sqlite3_finalize(q);
				return -ENOMEM;
			}
			++*rows;
			continue;
		}

		if (!s || !s->has || !v || sqlite3_column_int64(q, 2) != (int64_t)s->n) {
			sqlite3_finalize(q);
			return corrupt(st, m->run_id, "has a list entry out of place");
		}
		if (!(nv = realloc(s->v, (s->n + 2) * sizeof(*nv))) || !(nv[s->n] = strdup(v))) {
			if (nv)
				s->v = nv;
			sqlite3_finalize(q);
			return -ENOMEM;
		}
		s->v = nv;
		nv[++s->n] = NULL;
		++*rows;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

/* Run m->run_id's tables into m, which holds `want` rows. */
static int runmeta_get(struct ft_store *st, struct ft_runmeta *m, int64_t want)
{
	int64_t rows = 0;
	int rc;

	if ((rc = get_owners(st, m, &rows)) < 0 || (rc = get_strings(st, m, &rows)) < 0)
		return rc;
	/* args are always recorded: an empty list has no row to say so */
	for (size_t i = 0; i < m->nrunners; i++)
		if (!m->runners[i].args.v && !(m->runners[i].args.v = calloc(1, sizeof(char *))))
			return -ENOMEM;
	if (rows != want)
		return corrupt(st, m->run_id, "rows are not all there");
	return 0;
}

int ft_store_runmeta_each(struct ft_store *st,
			  int (*fn)(void *arg, const struct ft_runmeta *m), void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	rc = ft__store_read_prepare(st, &q, st->version >= 6
		? "SELECT id, meta_json, meta_rows FROM runs WHERE (meta_json IS NOT NULL OR"
		  " meta_rows IS NOT NULL) AND id IN (SELECT run_id FROM tests) ORDER BY id DESC"
		: "SELECT id, meta_json, NULL FROM runs WHERE meta_json IS NOT NULL AND"
		  " id IN (SELECT run_id FROM tests) ORDER BY id DESC");
	if (rc < 0)
		return rc;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_runmeta m = FT_RUNMETA_INIT;
		const char *json = (const char *)sqlite3_column_text(q, 1);

		m.run_id = sqlite3_column_int64(q, 0);
		if (json)
			r = ft_runmeta_parse(json, &m, 0);
		else
			r = runmeta_get(st, &m, sqlite3_column_int64(q, 2));
		if (r == FT_EFORMAT)
			r = 0; /* not a text any version read: skipped, as they did */
		else if (r == 0)
			r = fn(arg, &m);
		ft_runmeta_release(&m);
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

int ft__store_runmeta_text(struct ft_store *st, int64_t run_id, const char *json, int64_t rows,
			   char **out)
{
	struct ft_runmeta m = FT_RUNMETA_INIT;
	int rc;

	*out = NULL;
	if (json)
		return (*out = strdup(json)) ? 0 : -ENOMEM;
	m.run_id = run_id;
	if ((rc = runmeta_get(st, &m, rows)) == 0)
		rc = ft_runmeta_json(&m, out);
	ft_runmeta_release(&m);
	return rc;
}

/* Convert run run_id's text: its rows written, meta_json NULL and
 * meta_rows set (the runs row's ck is the caller's).  1 when the text
 * cannot be converted (it stays), 0, or a negative code. */
static int convert_one(struct ft_store *st, sqlite3_stmt *up, int64_t run_id, const char *json)
{
	struct ft_runmeta m = FT_RUNMETA_INIT;
	int64_t rows = 0;
	int rc;

	m.run_id = run_id;
	if ((rc = ft_runmeta_parse(json, &m, 1)) == FT_EFORMAT)
		return 1;
	if (rc == 0 && (rc = ft__store_runmeta_put(st, run_id, &m, &rows)) == 0) {
		if (rows)
			sqlite3_bind_int64(up, 1, rows);
		else
			sqlite3_bind_null(up, 1);
		sqlite3_bind_int64(up, 2, run_id);
		rc = step_done(st, up);
	}
	ft_runmeta_release(&m);
	return rc;
}

int ft__store_runmeta_migrate(struct ft_store *st, size_t *unconverted)
{
	sqlite3_stmt *q = NULL, *up = NULL, *mark = NULL;
	struct { int64_t id; char *json; } *v = NULL;
	size_t n = 0;
	int rc;

	*unconverted = 0;
	/* read first: the loop below updates the rows this reads */
	if ((rc = ft__store_prepare(st, &q, "SELECT id, meta_json FROM runs WHERE meta_json IS NOT NULL"
				    " ORDER BY id")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *json = (const char *)sqlite3_column_text(q, 1);
		void *nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv || !json) {
			rc = nv ? SQLITE_CORRUPT : SQLITE_NOMEM;
			v = nv ? nv : v;
			break;
		}
		v = nv;
		v[n].id = sqlite3_column_int64(q, 0);
		if (!(v[n].json = strdup(json))) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	sqlite3_finalize(q);
	rc = rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
	if (rc < 0 ||
	    (rc = ft__store_prepare(st, &up, "UPDATE runs SET meta_json = NULL, meta_rows = ?"
				    " WHERE id = ?")) < 0 ||
	    /* its tests were found new by what the text held: they are
	     * selected, as an untraced test is, until they are recorded again */
	    (rc = ft__store_prepare(st, &mark, "UPDATE tests SET untraced = ? WHERE run_id = ?"
				    " AND untraced = 0")) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int c = convert_one(st, up, v[i].id, v[i].json);

		if (c < 0) {
			rc = c;
		} else if (c == 1) {
			++*unconverted;
			st->tsum_ok = 0; /* rows the kept digest cannot follow */
			sqlite3_bind_int(mark, 1, FT_UNTRACED_UNKNOWN);
			sqlite3_bind_int64(mark, 2, v[i].id);
			rc = step_done(st, mark);
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].json);
	free(v);
	sqlite3_finalize(up);
	sqlite3_finalize(mark);
	return rc;
}
